"""Personal data detection: real matches are found and shown masked; identifiers, dates and amounts are not."""
from __future__ import annotations

import pytest

from gkml.catalogue.privacy import id_check_char, line_of, luhn, mask, scan, valid_id

ID = "11010519491231002X"  # the GB 11643 example: valid date and check character
ID2 = "350102199003071234"
CARD = "6222021001123456789"  # 19 digits, Luhn-valid
CARD16 = "6228480012345671"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.masked) for f in scan(text)]


def test_id_number_checksum_and_date():
    assert valid_id(ID) and valid_id(ID.lower()) and valid_id(ID2)
    assert id_check_char(ID[:17]) == "X"
    assert not valid_id("110105194912310021")  # wrong check character
    assert not valid_id("110105194902300026")  # 1949-02-30


@pytest.mark.parametrize("text, expected", [
    (f"申请人身份证号：{ID}。", [("身份证号", "110105********002X")]),
    (f"联系电话 13912345678，", [("手机号码", "139****5678")]),
    ("电话 +86 139 1234 5678", [("手机号码", "139****5678")]),
    ("手机：139-1234-5678", [("手机号码", "139****5678")]),
    (f"账号 {CARD}", [("银行卡号", "6222***********6789")]),
    (f"卡号 {CARD16[:4]} {CARD16[4:8]} {CARD16[8:12]} {CARD16[12:]}", [("银行卡号", "6228********5671")]),
    (f"卡号 {'-'.join(CARD16)}", [("银行卡号", "6228********5671")]),  # the sparsest run the pre-check must pass
    (f"{ID2}和13800138000", [("身份证号", "350102********1234"), ("手机号码", "138****8000")]),
])
def test_found_and_masked(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize("text", [
    "索引号 11350199MB0300003D/2025-00012",
    "文号 示财〔2025〕13号，示政令第3号",
    "统一社会信用代码 91350100M000100Y43",
    "发布日期 2025-03-12，成文日期 20250308",
    "预算总额 1391234567.89 元",  # an amount that starts like a mobile number but has a decimal part
    "联系电话：0591-83123456，传真 0000-3100202",
    "110105194912310021",  # 18 digits, wrong check character
    "6222021001123456780",  # 19 digits, fails Luhn
    "213912345678",  # 12 digits: a number, not a mobile
    "邮编 350199，页码 13912345",
    "选字第350128201800005-3501282017000011号",  # a real permit number (平潭 index-sample.tsv): not a bank card
])
def test_not_personal_data(text):
    assert scan(text) == []


def test_positions_and_lines():
    text = f"第一行\n第二行 {ID}\n第三行 13912345678"
    found = scan(text)
    assert [line_of(text, f.start) for f in found] == [2, 3]
    assert text[found[0].start:found[0].start + 18] == ID


def test_masked_report_never_contains_the_number():
    for f in scan(f"{ID} {CARD} 13912345678"):
        assert ID not in f.masked and CARD not in f.masked and "13912345678" not in f.masked


def test_helpers():
    assert luhn("79927398713") and not luhn("79927398710")
    assert mask("13912345678") == "139****5678"
