"""Helpers for whole-site tests: real MkDocs builds, a local HTTP server, real Chromium."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SITE_FIXTURE = REPO / "tests" / "fixtures" / "site"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# Screenshots and PDFs the browser tests leave for people to look at (every page kind at 360 px and
# desktop, normal and 适老模式, under pages/); GKML_ARTIFACTS puts them elsewhere (a CI job's folder).
ARTIFACTS = Path(os.environ.get("GKML_ARTIFACTS") or REPO / "artifacts")
SEARCH_DONE = '#gkml-search[data-state="done"]'  # the search page has results (or none) on screen


def write_config(catalogue: Path, site_dir: Path, where: Path, site_url: str | None = None, extra: str = "") -> Path:
    """A site's mkdocs.yml at `where`: docs_dir an empty pages/ beside it (never the catalogue), the
    theme gkml registers itself (no custom_dir), the catalogue named in the plugin's settings."""
    cfg = where / "mkdocs.yml"
    (where / "pages").mkdir(parents=True, exist_ok=True)
    cfg.write_text(
        f"site_name: 测试平台\ndocs_dir: pages\nsite_dir: {site_dir}\nuse_directory_urls: false\n"
        + (f"site_url: {site_url}\n" if site_url else "")
        + "theme:\n  name: material\n  language: zh\n  font: false\n"
        f"plugins:\n  - gkml:\n      catalogue: {catalogue}\n      history: false\nextra:\n  generator: false\n"
        + extra, encoding="utf-8")
    return cfg


def mkdocs_build(config: Path, *flags: str) -> subprocess.CompletedProcess:
    from conftest import source_env
    env = source_env(NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), *flags], env=env,
                          capture_output=True, text=True, timeout=600)


def built(config: Path, site: Path) -> Path:
    """The site `config` builds into `site` with --strict, which must succeed."""
    result = mkdocs_build(config, "--site-dir", str(site), "--strict")
    assert result.returncode == 0, result.stderr
    return site


def build_site(catalogue: Path, tmp: Path, name: str = "site", site_url: str | None = None, *flags: str):
    site = tmp / name
    result = mkdocs_build(write_config(catalogue, site, tmp, site_url), *flags)
    return site, result


def all_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """The site over HTTP on 127.0.0.1 (a random free port), for the length of the block."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def open_search(chromium, url: str, **kwargs):
    """A new page at a search URL, once its results are on screen; page.errors collects script errors."""
    page = chromium.new_page(**kwargs)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector(SEARCH_DONE, timeout=15000)
    page.errors = errors
    return page


def record_failed_requests(page, into: list[str]) -> None:
    """Collect requests that failed because a resource is missing or refused. A request the
    browser cancelled itself (net::ERR_ABORTED: the page navigated away before, say, the
    favicon arrived) says nothing about the site, and would make a walk through it flaky."""
    def failed(request) -> None:
        if request.failure != "net::ERR_ABORTED":
            into.append(f"{request.url} {request.failure}")
    page.on("requestfailed", failed)
