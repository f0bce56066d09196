"""Files a web server can serve (issue 17): the published folders and files carry the modes the
umask gives (0755/0644 by default, not mkdtemp's 0700), staging folders of killed builds are
removed by the next build, and attachment links are URL-encoded."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from conftest import write_item
from sitetools import build_site

from test_gates_attachments import ITEM


@pytest.fixture
def umask():
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


def modes(site: Path) -> tuple[set[int], set[int]]:
    dirs = {stat.S_IMODE(p.stat().st_mode) for p in [site, *site.rglob("*")] if p.is_dir()}
    files = {stat.S_IMODE(p.stat().st_mode) for p in site.rglob("*") if p.is_file()}
    return dirs, files


@pytest.mark.parametrize("mask, dirs, files", [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_published_modes_follow_the_umask(catalogue, tmp_path, umask, mask, dirs, files):
    umask(mask)
    site, result = build_site(catalogue, tmp_path)
    assert result.returncode == 0, result.stderr
    assert modes(site) == ({dirs}, {files})


def test_leftovers_of_killed_builds_are_removed(catalogue, tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a process id that no longer runs: its build was killed
    leftover = tmp_path / f".site-build-{dead.pid}-abcd1234"
    (leftover / "item").mkdir(parents=True)
    (leftover / "item" / "page.html").write_text("旧", encoding="utf-8")
    old_site = tmp_path / f".site-old-{dead.pid}"
    old_site.mkdir()
    running = tmp_path / f".site-build-{os.getpid()}-efgh5678"  # this test's process is alive: not touched
    running.mkdir()
    site, result = build_site(catalogue, tmp_path)
    assert result.returncode == 0, result.stderr
    assert not leftover.exists() and not old_site.exists() and running.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site")) == [running.name]


def test_attachment_links_are_url_encoded(catalogue, tmp_path):
    folder = catalogue / "items/qczj/2025/00009"
    folder.mkdir(parents=True)
    names = ["第1#号?.txt", "名单%20表.txt", "a b.txt"]
    for name in names:
        (folder / name).write_text("无", encoding="utf-8")
    write_item(catalogue, "qczj/2025/00009.md", {**ITEM, "附件": [f"00009/{n}" for n in names]})
    site, result = build_site(catalogue, tmp_path)
    assert result.returncode == 0, result.stderr
    page = site / "item/11350199MB0300003D/2025-00009.html"
    html = page.read_text(encoding="utf-8")
    for name in names:
        href = "2025-00009/00009/" + name.replace("%", "%25").replace("#", "%23").replace("?", "%3F").replace(" ", "%20")
        assert f'href="{href}"' in html
        target = page.parent / urllib.parse.unquote(href)  # what a browser asks the server for
        assert target.read_text(encoding="utf-8-sig") == "无"  # UTF-8 text is published with a BOM
