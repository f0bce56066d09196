"""The preview's HTTP handler answers hostile requests with a status, not a traceback (issue 17)."""
from __future__ import annotations

import pytest

from previewtools import get, preview_handler


@pytest.fixture
def server(tmp_path):
    (tmp_path / "index.html").write_text("<html><body>首页</body></html>", encoding="utf-8")
    with preview_handler(tmp_path) as served:
        yield served


@pytest.mark.parametrize("path, status", [
    ("/__gkml/changes?since=abc", 400),
    ("/__gkml/changes?since=%D9%A3", 400),  # an Arabic-Indic digit
    ("/x.html%00", 404),
    ("/%00/index.html", 404),
    ("/" + "a" * 300 + ".html", 404),  # longer than a file name may be
    ("/index.html", 200),
])
def test_hostile_requests_get_a_status(server, path, status):
    port, errors = server
    assert get(port, path)[0] == status
    assert errors == []
