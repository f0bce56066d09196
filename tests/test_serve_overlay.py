"""The preview serves quick updates from memory over the built site (preview.Overlay) until a full
build that started after them has written its own pages."""
from __future__ import annotations

import pytest

from gkml.host.preview import Overlay
from previewtools import get as get_bytes, preview_handler


@pytest.fixture
def site(tmp_path):
    (tmp_path / "item").mkdir()
    (tmp_path / "item" / "a.html").write_text("<html><body>磁盘上的页面</body></html>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<html><body>找不到页面</body></html>", encoding="utf-8")
    overlay = Overlay()
    with preview_handler(tmp_path, overlay) as (port, _):
        yield port, overlay


def get(port: int, path: str) -> tuple[int, str]:
    status, body = get_bytes(port, path)
    return status, body.decode("utf-8")


def test_quick_pages_are_served_over_the_site_until_a_build_that_started_after_them(site):
    port, overlay = site
    overlay.put({"item/a.html": "<html><body>快速更新</body></html>", "item/new.html": "<html><body>新条目</body></html>"})
    status, body = get(port, "/item/a.html")
    assert status == 200 and "快速更新" in body and "/__gkml/changes" in body  # the reload script too
    assert get(port, "/item/new.html")[1].count("新条目") == 1  # not on disk at all
    mark = overlay.mark()  # a full build starts
    overlay.put({"item/a.html": None})  # taken down while it runs
    status, body = get(port, "/item/a.html")
    assert status == 404 and "找不到页面" in body
    overlay.superseded(mark)  # that build read what was saved before it: the taking down is newer
    assert get(port, "/item/a.html")[0] == 404
    assert get(port, "/item/new.html")[0] == 404  # the build's own pages now: it wrote none there
    overlay.superseded(overlay.mark())  # the next build
    status, body = get(port, "/item/a.html")
    assert status == 200 and "磁盘上的页面" in body
