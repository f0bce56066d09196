"""索引号, 文号 and organisation codes, including every real 文号 of the 平潭 sample."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from gkml.catalogue.codes import check_org_identifier, org_check_char, uscc_check_char
from gkml.catalogue.identifiers import (check_docno, docno_year, format_index_no, is_no_docno, next_serial, parse_index_no,
                              period_of)

PINGTAN = Path("/work/shared/realdata/pingtan/index-sample.tsv")


# -- 索引号 -------------------------------------------------------------------------------------

def test_parse_and_format_index_no():
    parsed = parse_index_no("11350199MB0300003D/2025-00012")
    assert (parsed.prefix, parsed.period, parsed.serial) == ("11350199MB0300003D", "2025", 12)
    assert format_index_no(parsed.prefix, parsed.period, 12, 5) == "11350199MB0300003D/2025-00012"
    assert parse_index_no("000014349/202503-00336").period == "202503"


@pytest.mark.parametrize("bad", ["0142768-8/2022-00185", "01527918X-2020-153077", "11350199MB0300003D/2025",
                                 "11350199mb0300003d/2025-00012", "11350199MB0300003D/2025-00012 ", ""])
def test_parse_index_no_refuses(bad):
    assert parse_index_no(bad) is None


def test_period_of():
    assert period_of(dt.date(2025, 3, 8), "年") == "2025"
    assert period_of(dt.date(2025, 3, 8), "年月") == "202503"


def test_next_serial_counts_per_prefix_and_period():
    existing = ["A00000001/2025-00003", "A00000001/2025-00011", "A00000001/2024-00050", "B00000001/2025-00099", "x"]
    assert next_serial(existing, "A00000001", "2025") == 12
    assert next_serial(existing, "A00000001", "2026") == 1


# -- 文号 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("good", ["国发〔2024〕10号", "国办发明电〔2021〕11号", "国令第672号", "示政令第3号",
                                  "国办公开办函〔2021〕30号", "岚征公告补〔2026〕1号"])
def test_docno_well_formed(good):
    assert check_docno(good) is None


@pytest.mark.parametrize("bad, fixed", [
    ("岚综管综【2019】117号", "岚综管综〔2019〕117号"),
    ("国发(2024)10号", "国发〔2024〕10号"),
    ("国发〖2024〗10号", "国发〔2024〕10号"),
    ("国发﹝2024﹞10号", "国发〔2024〕10号"),
    ("国发 〔2024〕 10号", "国发〔2024〕10号"),
    ("国发〔2024〕第10号", "国发〔2024〕10号"),
    ("国发〔2024〕010号", "国发〔2024〕10号"),
    ("国令第0672号", "国令第672号"),
])
def test_docno_suggests_the_correction(bad, fixed):
    assert check_docno(bad).endswith(f"应改为「{fixed}」")


@pytest.mark.parametrize("bad", ["示政办第3号", "国发〔24〕10号", "国发〔2024〕0号", "2024年第3号公告", "国发"])
def test_docno_refused_without_a_guess(bad):
    message = check_docno(bad)
    assert message and "应改为" not in message and "机关代字〔年份〕序号号" in message


def test_docno_year():
    assert docno_year("国发〔2024〕10号") == 2024 and docno_year("国令第672号") is None


def test_every_real_pingtan_docno():
    """Each 文号 of the real sample: well-formed ones pass, 【】 ones get 〔〕, 无 and empty mean "none"."""
    with PINGTAN.open(encoding="utf-8", newline="") as f:
        values = [row["fileno"] for row in csv.DictReader(f, delimiter="\t")]
    assert len(values) == 1093
    seen = {"ok": 0, "fixed": 0, "none": 0}
    for value in values:
        value = value.strip()
        if not value or is_no_docno(value):
            seen["none"] += 1
        elif "【" in value:
            assert check_docno(value).endswith(f"应改为「{value.replace('【', '〔').replace('】', '〕')}」"), value
            seen["fixed"] += 1
        else:
            assert check_docno(value) is None, (value, check_docno(value))
            seen["ok"] += 1
    assert seen == {"ok": 122, "fixed": 1, "none": 970}


# -- 统一社会信用代码 / 组织机构代码 -------------------------------------------------------------------

@pytest.mark.parametrize("code", ["11350199MB0300003D", "11350199MB01000012", "91350100M000100Y43", "000014349",
                                  "014416330"])
def test_valid_org_identifiers(code):
    assert check_org_identifier(code) is None


def test_check_characters():
    assert uscc_check_char("11350199MB0300003") == "D"
    assert org_check_char("00001434") == "9"


@pytest.mark.parametrize("code, text", [("11350199MB0300003E", "校验位应为 D"), ("000014340", "校验位应为 9"),
                                        ("1135019", "应为 18 位"), ("11350199MI0300003D", "应为 18 位")])
def test_invalid_org_identifiers(code, text):
    assert text in check_org_identifier(code)
