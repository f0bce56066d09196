"""The preview's HTTP handler (gkml serve) over a folder, for tests that talk to it directly,
without a build."""
from __future__ import annotations

import contextlib
import functools
import http.client
import http.server
import threading
from pathlib import Path

from gkml.host.preview import Handler, Versions


@contextlib.contextmanager
def preview_handler(directory: Path, overlay=None):
    """(port, errors) of the handler serving `directory` (and `overlay`'s quick pages over it) on
    127.0.0.1 for the length of the block; `errors` collects what would have been a traceback."""
    class Site(Handler):
        versions = Versions()

    if overlay is not None:
        Site.overlay = overlay
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Site, directory=str(directory)))
    errors: list = []
    httpd.handle_error = lambda request, address: errors.append(address)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], errors
    finally:
        httpd.shutdown()
        httpd.server_close()


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()
