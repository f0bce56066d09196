"""`gkml serve`: a preview that rebuilds after an edit, writing only the pages whose data changed."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from sitetools import REPO, SITE_FIXTURE, write_config

QZF = "11350199MB01000012"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, needle: str, limit: float = 120) -> str:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        page = _get(url)
        if page and needle in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never appeared at {url}")


def test_serve_rebuilds_only_what_an_edit_touches(tmp_path):
    catalogue = tmp_path / "catalogue"
    shutil.copytree(SITE_FIXTURE, catalogue)
    config = write_config(catalogue, tmp_path / "unused", tmp_path)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins"), "NO_COLOR": "1"}
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "gkml.cli", "-v", "serve", "-f", str(config), "-a",
                               f"127.0.0.1:{port}"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        url = f"{base}/item/{QZF}/2025-00001.html"
        _wait_for(url, "政府信息公开工作制度")
        item = catalogue / "items/qzf/2025/00001.md"
        item.write_text(item.read_text(encoding="utf-8").replace("制定本制度。", "制定本制度（预览中修改）。"), encoding="utf-8")
        _wait_for(url, "制定本制度（预览中修改）")
        log.flush()
        counts = [tuple(map(int, m)) for m in re.findall(r"增量生成：(\d+)/(\d+)", (tmp_path / "serve.log").read_text())]
        assert len(counts) >= 2, counts
        first, last = counts[0], counts[-1]
        assert first[0] == first[1]  # the first build writes every page
        assert 1 <= last[0] <= 8 < last[1], last  # the edit: the item page and the listings that show it
        assert _get(f"{base}/qzf/gfxwj/index.html") is not None  # untouched pages are still served
        item.write_text(item.read_text(encoding="utf-8").replace("标题: 示例区人民政府办公室关于印发",
                                                                 "标题: 预览改名：示例区人民政府办公室关于印发"), encoding="utf-8")
        _wait_for(f"{base}/feed.xml", "预览改名")  # feeds, exports and search follow the pages
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
