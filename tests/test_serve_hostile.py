"""The preview's HTTP handler answers hostile requests with a status, not a traceback (issue 17)."""
from __future__ import annotations

import functools
import http.server
import http.client
import threading

import pytest

from gkml.host.preview import Handler, Versions


@pytest.fixture
def server(tmp_path):
    (tmp_path / "index.html").write_text("<html><body>首页</body></html>", encoding="utf-8")

    class Site(Handler):
        versions = Versions()

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Site, directory=str(tmp_path)))
    errors = []
    httpd.handle_error = lambda request, address: errors.append(address)  # a traceback would land here
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], errors
    httpd.shutdown()
    httpd.server_close()


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


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
