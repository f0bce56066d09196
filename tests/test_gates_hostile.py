"""Bounded work on hostile input (issue 17): a sheet claiming XFD1048576, archives nested too deep or
packed too tightly, 负面清单 patterns that backtrack catastrophically, and copies whose entries are
huge, unsafe or duplicated. Each stops at a limit with a Chinese message; nothing hangs."""
from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, run_gkml, write_item

from gkml.catalogue.attachment_text import AttachmentLimit, extract
from gkml.site.bundle import SUMS, verify_bundle
from test_gates_attachments import ITEM

ID = "11010519491231002X"


def far_cell_xlsx(path: Path, title: str = "Sheet") -> None:
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.title = title
    wb.active["A1"] = "姓名"
    wb.active["XFD1048576"] = f"张三 {ID}"
    wb.save(path)


def run_python(code: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(REPO / "plugins"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env)


def test_a_sheet_claiming_the_last_cell_is_read_by_its_cells_not_its_size(tmp_path):
    path = tmp_path / "表.xlsx"
    far_cell_xlsx(path)
    assert path.stat().st_size < 10_000
    # in a child process with a deadline: reading the claimed rectangle would take minutes
    result = run_python(f"from gkml.catalogue.attachment_text import extract\n"
                        f"print([c.where for c in extract(__import__('pathlib').Path({str(path)!r}))])", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "单元格 XFD1048576" in result.stdout and "单元格 A1" in result.stdout


def nest(data: bytes, depth: int) -> bytes:
    for _ in range(depth):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("内层.zip" if _ else "名单.txt", data)
        data = buf.getvalue()
    return data


def test_archives_nested_too_deep_are_not_read(tmp_path):
    path = tmp_path / "包.zip"
    path.write_bytes(nest(ID.encode(), 3))
    assert [c.text for c in extract(path)] == [ID]
    path.write_bytes(nest(ID.encode(), 5))
    with pytest.raises(AttachmentLimit, match="压缩包嵌套超过 3 层"):
        extract(path)


def test_a_member_packed_too_tightly_is_a_bomb(tmp_path):
    path = tmp_path / "炸弹.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("零.txt", b"0" * (5 * 1024 * 1024))
    with pytest.raises(AttachmentLimit, match="压缩比超过 200 倍，疑似压缩炸弹"):
        extract(path)


def test_an_attachment_over_a_limit_blocks_its_item(catalogue):
    folder = catalogue / "items/qczj/2025/00009"
    folder.mkdir(parents=True)
    (folder / "包.zip").write_bytes(nest(ID.encode(), 5))
    write_item(catalogue, "qczj/2025/00009.md", {**ITEM, "附件": ["00009/包.zip"]})
    from gkml.catalogue.validate import load_catalogue
    cat, report = load_catalogue(catalogue)
    assert cat.by_index_no[ITEM["索引号"]].blocked
    (d,) = [d for d in report.errors if d.code == "attachment-unchecked"]
    assert "压缩包嵌套超过 3 层" in d.message and "不会发布" in d.message


@pytest.mark.parametrize("pattern", ["(a+)+$", "(内部|内部资)*料", "(\\\\d+)*x"])
def test_catastrophic_negative_patterns_are_refused(catalogue, pattern):
    site = catalogue / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + f'  - "{pattern}"\n', encoding="utf-8")
    write_item(catalogue, "qczj/2025/00009.md", {**ITEM, "标题": "a" * 40 + "!" + "内部" * 30 + "1" * 40})
    result = run_gkml("check", catalogue, timeout=60)  # matching would run for hours
    assert result.returncode == 1
    assert "会长时间停不下来" in result.stdout and "site.yml:" in result.stdout


def sums(entries: dict[str, bytes]) -> bytes:
    return "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in sorted(entries.items())).encode()


def test_verify_refuses_unsafe_and_duplicate_entries(tmp_path):
    path = tmp_path / "副本.zip"
    good = {"site/index.html": b"<p>ok</p>"}
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(SUMS, sums(good))
        zf.writestr("site/index.html", good["site/index.html"])
        zf.writestr("site/../../逃逸/", b"")  # a directory entry
        zf.writestr("C:/Windows/x.html", b"x")
        link = zipfile.ZipInfo("site/link")
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about the duplicate: that is the point
            zf.writestr("site/index.html", b"<p>evil</p>")
    result = verify_bundle(path)
    text = "\n".join(result.problems)
    assert "「site/../../逃逸/」的路径不安全（含「..」）" in text
    assert "「C:/Windows/x.html」的路径不安全（是绝对路径或 Windows 路径）" in text
    assert "「site/link」的路径不安全（是符号链接" in text
    assert "「site/index.html」在副本中出现了不止一次" in text


def test_verify_streams_a_large_entry(tmp_path):
    path = tmp_path / "大.zip"
    size = 768 * 1024 * 1024
    digest = hashlib.sha256()
    block = b"\0" * (4 * 1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("site/零.bin", "w", force_zip64=True) as out:
            for _ in range(size // len(block)):
                out.write(block)
                digest.update(block)
        zf.writestr(SUMS, f"{digest.hexdigest()}  site/零.bin\n")
    # the child may use far less memory than the entry: reading it whole would fail
    code = ("import resource; resource.setrlimit(resource.RLIMIT_AS, (512 * 1024 * 1024,) * 2)\n"
            "from gkml.site.bundle import verify_bundle\n"
            f"r = verify_bundle({str(path)!r}); print(r.checked, r.problems)")
    result = run_python(code, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "1 []"


def test_import_refuses_a_sheet_claiming_the_last_cell(tmp_path, catalogue):
    from test_import_xlsx import FIXTURES, TODAY
    sheet = tmp_path / "导出.xlsx"
    far_cell_xlsx(sheet, "信息列表")
    result = run_gkml("import", sheet, "--unit", "qczj", "--mapping", FIXTURES / "dirty.yml", "--catalogue", catalogue,
                      "--today", TODAY, timeout=120)  # walking the rectangle would take hours or run out of memory
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "超过 5000000 个单元格" in result.stdout + result.stderr
