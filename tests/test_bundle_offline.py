"""`gkml bundle`: the offline copy for archives and reading rooms — its layout, 说明.html, the
SHA-256 manifest (checked by `sha256sum -c` and by `gkml bundle --verify`), determinism, one
unit's / one year's part, refusal on a bad catalogue, and the unzipped copy in real Chromium
from file:// (说明.html → item → attachment, search), with no failed request."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import MINI, run_gkml, write_item
from sitetools import browser, record_failed_requests, write_config

EPOCH = "1767225600"  # 2026-01-01 00:00 UTC
QCZJ_ITEM = "site/item/11350199MB0300003D/2025-00001.html"
QCZJ_PDF = "site/item/11350199MB0300003D/2025-00001/00001/预算表.pdf"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """An editors' repository: the mini catalogue and its mkdocs.yml."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(MINI, root / "catalogue")
    write_config(root / "catalogue", root / "site", root)
    return root


def bundle(project: Path, out: Path, *args: str, epoch: str | None = EPOCH, cwd: Path | None = None):
    import os
    old = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        return run_gkml("bundle", "-o", out, "-f", project / "mkdocs.yml", *args, cwd=cwd or project)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


@pytest.fixture(scope="module")
def whole(project, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("copies") / "示例区-副本.zip"
    result = bundle(project, out)
    assert result.returncode == 0, result.stderr
    assert "副本已制作" in result.stderr
    return out


@pytest.fixture(scope="module")
def unzipped(whole, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reading-room")
    with zipfile.ZipFile(whole) as zf:
        zf.extractall(folder)
    return folder


def test_layout_readme_and_manifest(whole, unzipped):
    with zipfile.ZipFile(whole) as zf:
        names = zf.namelist()
        infos = zf.infolist()
    assert names == sorted(names)
    assert {"说明.html", "index.html", "SHA256SUMS", "site/index.html", "site/search.html", QCZJ_ITEM, QCZJ_PDF} <= set(names)
    assert "site/search/t/0.js" in names  # the items' texts: from file:// search cannot read their pages
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    readme = (unzipped / "说明.html").read_text(encoding="utf-8")
    assert "示例区政府信息公开（离线副本）" in readme and "全部单位" in readme and "全部年份" in readme
    assert "制作时间</th><td>2026年01月01日 00:00（+00:00）" in readme
    assert '<a class="open" href="site/index.html">' in readme and 'href="site/qczj/index.html">示例区财政局</a>' in readme
    assert "http" not in readme.replace('lang="zh-CN"', "")  # nothing the reading-room PC would fetch
    assert 'url=说明.html' in (unzipped / "index.html").read_text(encoding="utf-8")

    sums = (unzipped / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = [line.split("  ", 1)[1] for line in sums]
    assert listed == sorted(n for n in names if n != "SHA256SUMS")
    check = subprocess.run(["sha256sum", "--check", "--strict", "--quiet", "SHA256SUMS"], cwd=unzipped,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    count = f"{len(names) - 1} 个文件与 SHA256SUMS 一致"
    verified = run_gkml("bundle", "--verify", whole)
    assert verified.returncode == 0 and count in verified.stderr


def test_deterministic_apart_from_the_creation_date(project, whole, tmp_path):
    again = tmp_path / "again.zip"
    assert bundle(project, again).returncode == 0
    assert again.read_bytes() == whole.read_bytes()  # same catalogue, same stated date: the same bytes
    later = tmp_path / "later.zip"
    assert bundle(project, later, epoch="1767312000").returncode == 0
    with zipfile.ZipFile(whole) as a, zipfile.ZipFile(later) as b:
        assert a.namelist() == b.namelist()
        differ = [n for n in a.namelist() if a.read(n) != b.read(n)]
        assert differ == ["SHA256SUMS", "说明.html"]
        old, new = (dict(line.split("  ")[::-1] for line in z.read("SHA256SUMS").decode().splitlines()) for z in (a, b))
        assert [n for n in old if old[n] != new[n]] == ["说明.html"]
        assert "2026年01月02日" in b.read("说明.html").decode()


def rewrite(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info, data)
    return target


@pytest.mark.parametrize("case, change, message", [
    ("changed", lambda n, d: d.replace("示例区".encode(), "某某区".encode()) if n == QCZJ_ITEM else d,
     f"「{QCZJ_ITEM}」的校验值不符"),
    ("missing", lambda n, d: None if n == QCZJ_PDF else d, f"「{QCZJ_PDF}」缺失"),
    ("sums", lambda n, d: d + b"not a line\n" if n == "SHA256SUMS" else d, "SHA256SUMS 第"),
])
def test_verify_finds_changed_missing_and_broken(whole, tmp_path, case, change, message):
    copy = rewrite(whole, tmp_path / f"{case}.zip", change)
    result = run_gkml("bundle", "--verify", copy)
    assert result.returncode == 1 and message in result.stdout, result.stdout + result.stderr
    assert "校验未通过" in result.stderr and "Traceback" not in result.stderr


def test_verify_finds_added_files_and_non_zips(whole, tmp_path):
    added = tmp_path / "added.zip"
    shutil.copyfile(whole, added)
    with zipfile.ZipFile(added, "a") as zf:
        zf.writestr("site/extra.html", "<p>后加的</p>")
    result = run_gkml("bundle", "--verify", added)
    assert result.returncode == 1 and "「site/extra.html」不在 SHA256SUMS 中" in result.stdout
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really")
    result = run_gkml("bundle", "--verify", junk)
    assert result.returncode == 1 and "不是有效的 zip 文件" in result.stderr and "Traceback" not in result.stderr


def test_one_unit_one_year(project, tmp_path):
    out = tmp_path / "qczj-2025.zip"
    result = bundle(project, out, "--unit", "qczj", "--year", "2025")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        readme = zf.read("说明.html").decode("utf-8")
    items = sorted(n for n in names if n.startswith("site/item/") and n.endswith(".html"))
    assert items and all(n.startswith("site/item/11350199MB0300003D/2025-") for n in items)
    assert "包含的单位</th><td>示例区财政局</td>" in readme and "包含的年份</th><td>2025 年</td>" in readme
    assert run_gkml("bundle", "--verify", out).returncode == 0


def test_refuses_a_bad_catalogue_and_bad_arguments(project, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(project / "catalogue", broken / "catalogue")
    write_config(broken / "catalogue", broken / "site", broken)
    write_item(broken / "catalogue", "qczj/2025/00009.md", {"标题": "缺少索引号的信息"})
    out = tmp_path / "bad.zip"
    result = bundle(broken, out)
    assert result.returncode == 1 and not out.exists()
    assert "副本没有制作" in result.stderr and "Traceback" not in result.stderr
    result = bundle(project, out, "--unit", "nosuch")
    assert result.returncode == 1 and "没有单位「nosuch」" in result.stderr and not out.exists()
    result = run_gkml("bundle", "-f", project / "mkdocs.yml", cwd=project)
    assert result.returncode == 1 and "请用 -o 指定副本文件" in result.stderr


@pytest.mark.browser
def test_reading_room_pc_opens_the_copy_from_disk(unzipped):
    """说明.html → 平台首页 → 单位 → 栏目 → 信息 → 附件, then 检索, all from file:// with no network."""
    with browser() as chromium:
        context = chromium.new_context(accept_downloads=True)
        context.route("http://**/*", lambda route: route.abort())  # a reading-room PC has no network
        context.route("https://**/*", lambda route: route.abort())
        page = context.new_page()
        failed, outside, errors = [], [], []
        record_failed_requests(page, failed)
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file://", "data:", "blob:")) else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((unzipped / "index.html").as_uri())
        page.wait_for_url("**/%E8%AF%B4%E6%98%8E.html")  # the redirect to 说明.html
        assert page.locator("h1").inner_text() == "示例区政府信息公开（离线副本）"
        page.get_by_role("link", name="打开平台首页").click()
        assert page.locator("h1").first.inner_text() == "示例区政府信息公开"
        page.locator("article").get_by_role("link", name="示例区财政局", exact=True).click()
        assert page.locator("h1").first.inner_text() == "示例区财政局"
        page.goto((unzipped / QCZJ_ITEM).as_uri())
        assert page.locator("article h1").inner_text() == "示例区财政局2025年部门预算"
        link = page.locator("section.gkml-attachments a").first
        with page.expect_download() as download:
            link.click(modifiers=["Alt"])  # Alt-click: save the file, as a reader who wants a copy
        saved = download.value.path()
        assert hashlib.sha256(Path(saved).read_bytes()).hexdigest() == \
            hashlib.sha256((unzipped / QCZJ_PDF).read_bytes()).hexdigest()
        page.goto((unzipped / "site" / "search.html").as_uri() + "?q=部门预算")
        page.wait_for_selector('#gkml-search[data-state="done"]', timeout=15000)
        titles = page.eval_on_selector_all(".gkml-result-title", "els => els.map(e => e.textContent)")
        assert "示例区财政局2025年部门预算" in titles
        assert page.evaluate("gkmlSearch.meta().textChunk") > 0
        with page.expect_navigation():
            page.click(".gkml-result-title >> text=示例区财政局2025年部门预算")
        assert page.url.endswith("/" + QCZJ_ITEM.removeprefix("site/"))
        context.close()
    assert failed == [] and outside == [] and errors == [], (failed, outside, errors)
