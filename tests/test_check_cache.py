"""`gkml check` reuses what unchanged item files gave last time (catalogue/check_cache.py): the
result is the same as a full check, every change that matters is seen, and the cache lives in the
user's cache folder, never in the repository."""
from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

from conftest import run_cli, write_item

D = dt.date.fromisoformat
ITEM = {"索引号": "11350199MB0300003D/2025-00009", "标题": "示例区财政局2025年项目说明", "内容概述": "项目说明。",
        "生成日期": D("2025-03-01"), "发布日期": D("2025-03-03"), "发布机构": "示例区财政局", "栏目": "bmyjs",
        "主题分类": "财政、金融、审计/财政", "体裁": "其他", "有效性": "有效", "公开方式": "主动公开",
        "保密审查": {"审查人": "陈某", "日期": D("2025-03-02")}, "附件": [{"文件": "00009/说明.txt", "名称": "项目说明"}]}


def settle(root: Path) -> None:
    """Files written a minute ago: the cache records only files older than its racy window."""
    past = time.time() - 60
    for path in root.rglob("*"):
        os.utime(path, (past, past))


def check(root: Path, *extra: str) -> tuple[int, dict, int]:
    """(exit code, the JSON report, how many files came from the cache)."""
    result = run_cli("-v", "check", "--format", "json", *extra, root)
    reused = int(result.stderr.rsplit("其中 ", 1)[1].split(" ", 1)[0])
    return result.exit_code, json.loads(result.stdout), reused


def codes(report: dict) -> set[tuple[str, str]]:
    return {(d["path"].rsplit("/", 1)[-1], d["code"]) for d in report["diagnostics"]}


def with_attachment(catalogue: Path) -> Path:
    item = write_item(catalogue, "qczj/2025/00009.md", ITEM, "详见附件。\n")
    (item.parent / "00009").mkdir()
    (item.parent / "00009" / "说明.txt").write_text("项目说明，联系人见单位指南。\n", encoding="utf-8")
    return item


def test_an_unchanged_catalogue_gives_the_same_report_from_the_cache(catalogue):
    with_attachment(catalogue)
    write_item(catalogue, "qczj/2025/00010.md", {**ITEM, "索引号": "11350199MB0300003D/2025-00010", "附件": [],
                                                 "栏目": "nosuch"})
    settle(catalogue)
    files = len(list((catalogue / "items").rglob("*.md")))
    code, report, reused = check(catalogue, "--no-cache")
    assert code == 1 and ("00010.md", "unknown-column") in codes(report) and reused == 0
    code, again, reused = check(catalogue)  # writes the cache
    assert again == report and reused == 0
    code, again, reused = check(catalogue)
    assert reused == files and again == report and code == 1
    _, _, none = check(catalogue, "--no-cache")
    assert none == 0


def test_a_fresh_clone_reuses_the_cache_by_content(catalogue):
    """CI checks out every file anew (new stamps, same bytes) and may keep the cache folder between
    runs: the recorded content is recognised; a changed content is not, whatever its stamp."""
    item = with_attachment(catalogue)
    settle(catalogue)
    _, report, _ = check(catalogue)
    files = len(list((catalogue / "items").rglob("*.md")))
    for path in sorted(p for p in (catalogue / "items").rglob("*") if p.is_file()):
        copy = path.with_name(path.name + ".clone")  # a new file: new inode, change and modification time
        copy.write_bytes(path.read_bytes())
        os.replace(copy, path)
    settle(catalogue)
    code, again, reused = check(catalogue)
    assert reused == files and again == report
    _, _, reused = check(catalogue)  # the new stamps were recorded: the quick comparison again
    assert reused == files
    attachment = item.parent / "00009" / "说明.txt"
    attachment.write_text("联系人电话 13812345678。\n", encoding="utf-8")  # new content and stamp
    settle(catalogue)
    code, report, reused = check(catalogue)
    assert code == 1 and reused == files - 1 and "手机号码" in json.dumps(report, ensure_ascii=False)


def test_every_change_that_matters_is_seen(catalogue):
    item = with_attachment(catalogue)
    settle(catalogue)
    _, report, _ = check(catalogue)
    assert report["errors"] == 0 and ("00009.md", "personal-data") not in codes(report)
    files = len(list((catalogue / "items").rglob("*.md")))

    # the attachment changes, its item file does not: read again, and the gate sees the number
    (item.parent / "00009" / "说明.txt").write_text("联系人电话 13812345678。\n", encoding="utf-8")
    code, report, reused = check(catalogue)
    assert code == 1 and reused == files - 1
    assert any(d["path"].endswith("00009.md") and d["level"] == "error" and "手机号码" in d["message"]
               for d in report["diagnostics"])
    (item.parent / "00009" / "说明.txt").write_text("项目说明。\n", encoding="utf-8")

    # the 负面清单 grows in site.yml: every file is gated again, unchanged ones too
    body = catalogue / "items" / "qczj" / "2025" / "00001.md"
    assert "详见附件" in body.read_text(encoding="utf-8")
    site = catalogue / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("  - 内部资料\n", "  - 内部资料\n  - 详见附件\n"),
                    encoding="utf-8")
    code, report, reused = check(catalogue)
    assert reused == 0 and code == 1
    assert any(d["path"].endswith("00001.md") and "详见附件" in d["message"] for d in report["diagnostics"])

    # an item file edited: its new error is there, the other files come from the cache
    settle(catalogue)
    check(catalogue)
    text = body.read_text(encoding="utf-8").replace("标题: 示例区财政局2025年部门预算\n", "")
    body.write_text(text, encoding="utf-8")
    code, report, reused = check(catalogue)
    assert reused == files - 1 and code == 1
    assert any(d["path"].endswith("00001.md") and "标题" in d["message"] for d in report["diagnostics"])

    # the day checked on matters through a file's dates only: later days reuse every file …
    settle(catalogue)
    check(catalogue)  # the edited file recorded too, now that it is past the racy window
    _, same, reused = check(catalogue, "--today", "2030-06-30")
    assert reused == files and same == report
    # … a day before some of them does not: those dates are in the future then
    code, early, reused = check(catalogue, "--today", "2025-03-02")
    future = {d["path"].rsplit("/", 1)[-1] for d in early["diagnostics"] if d["code"] == "date-future"}
    assert future and reused <= files - len(future) and code == 1
    # a file with a future date is judged again once the date has come
    _, later, reused = check(catalogue, "--today", "2027-01-01")
    assert not [d for d in later["diagnostics"] if d["code"] == "date-future"] and later == report


def test_the_cache_is_the_users_never_the_repositorys(catalogue, tmp_path, monkeypatch):
    settle(catalogue)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    folder = tmp_path.parent / f"{tmp_path.name}-cache"
    monkeypatch.setenv("GKML_CACHE_DIR", str(folder))
    _, report, _ = check(catalogue)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing beside the catalogue
    [cache] = (folder / "gkml").iterdir()

    cache.write_bytes(b"\x00not a cache")  # damaged: ignored, the check is whole
    _, again, reused = check(catalogue)
    assert again == report and reused == 0

    monkeypatch.setenv("GKML_CACHE", "0")
    cache.unlink()
    _, again, reused = check(catalogue)
    assert again == report and reused == 0 and not cache.exists()
