"""FileMemo (gkml serve): remembered per-file work gives exactly what a fresh load gives."""
from __future__ import annotations

import os

from gkml.catalogue.validate import FileMemo, load_catalogue


def _load(root, memo=None):
    cat, report = load_catalogue(root, memo=memo)
    return cat, sorted(d.format() for d in report.items)


def _touch_later(path):
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000_000))


def test_memo_matches_a_fresh_load_through_edits(catalogue):
    memo = FileMemo()
    first = _load(catalogue, memo)
    assert first[1] == _load(catalogue)[1]
    assert _load(catalogue, memo)[1] == first[1]
    item = next((catalogue / "items").rglob("*.md"))
    item.write_text(item.read_text(encoding="utf-8").replace("生成日期: ", "生成日期: 2025/"), encoding="utf-8")
    _touch_later(item)
    edited_memo, edited_fresh = _load(catalogue, memo), _load(catalogue)
    assert edited_memo[1] == edited_fresh[1] != first[1]
    assert any("生成日期" in line for line in edited_memo[1])


def test_memo_sees_a_changed_attachment(catalogue):
    memo = FileMemo()
    cat, _ = _load(catalogue, memo)
    item = next(i for i in cat.items if i.attachments)
    att = item.attachments[0].source
    text_file = att.with_suffix(".txt")
    text_file.write_text("无个人信息", encoding="utf-8")
    source = item.path.read_text(encoding="utf-8").replace(item.attachments[0].file, item.attachments[0].file[:-4] + ".txt")
    item.path.write_text(source, encoding="utf-8")
    _touch_later(item.path)
    cat, clean = _load(catalogue, memo)
    assert not any("身份证号" in line for line in clean)
    text_file.write_text("联系人身份证 11010519491231002X", encoding="utf-8")
    _touch_later(text_file)
    cat, dirty = _load(catalogue, memo)
    assert dirty == _load(catalogue)[1]
    assert any("身份证号" in line for line in dirty)
    assert next(i for i in cat.items if i.path == item.path).blocked


def test_a_pages_fingerprint_holds_the_stamp_its_item_was_read_with(catalogue):
    """An edit saved after a preview build read an item file, but before the build fingerprinted
    its pages, must not let the page written from the old text pass for current in the next build."""
    from gkml.catalogue.stamps import stamp
    from gkml.host.incremental import Fingerprints
    memo = FileMemo()
    cat, _ = _load(catalogue, memo)
    item = cat.items[0]
    read = stamp(item.path)
    before = Fingerprints((), memo.stamp_of).of(item)
    item.path.write_text(item.path.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    _touch_later(item.path)
    assert memo.stamp_of(item) == read != stamp(item.path)  # the build fingerprints what it read
    assert Fingerprints((), memo.stamp_of).of(item) == before
    again, _ = _load(catalogue, memo)  # the next build reads the edit: another fingerprint
    fresh = next(i for i in again.items if i.path == item.path)
    assert Fingerprints((), memo.stamp_of).of(fresh) != before
    assert memo.stamp_of(item) is None  # the memo no longer knows what the old reading was
