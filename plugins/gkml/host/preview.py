"""`gkml serve`: a local preview that shows any edit within a second.

MkDocs' own `serve` rebuilds the whole site for every saved file and looks for changes by
listing the whole catalogue every half second; on 20,000 items that is ~10 s per edit. This
preview:
- watches the catalogue, the templates, the manual and the configuration with the operating
  system's change notifications (watchdog; inotify on Linux);
- hands edits to item files, and new item files, to the plugin's fast path
  (`GkmlPlugin.live_update`, live.py), which renders only the pages that show the item;
- runs a full MkDocs build for anything else, and after a provisional quick update, "dirty" so
  that pages whose data did not change are not written again, and keeps showing the last good
  site when a build fails;
- serves the site over HTTP and reloads open pages after each update (each HTML page gets a
  small script that waits on /__gkml/changes), with the site's service worker switched off so
  that a reload shows the new page, not a cached one.

Two threads: the main one runs the full builds (and stops the preview on Ctrl+C or SIGTERM); the
other takes the watcher's changes and applies quick updates at once, also while a full build
runs, from the last good build's page plan. Quick updates are not written into the site: they
are kept in memory (Overlay) and served over it, until a full build that started after them
succeeds — that build read the edits and wrote its own pages. An edit saved while a build runs
keeps its pages until the build after it.
The site is built into a temporary folder, removed when the preview stops.
"""
from __future__ import annotations

import functools
import http.server
import logging
import os
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import click

from ..resources import theme_dir
from ..terminal import Failure

CHANGES = "/__gkml/changes"
# The preview's own scripts, asset files of the theme that a built site leaves out (PREVIEW_ONLY).
RELOAD_SCRIPT = "assets/gkml-reload.js"  # put into every page served: reloads it after an update
NO_SERVICE_WORKER = "assets/gkml-preview-sw.js"  # served as /sw.js: removes itself and its caches
PREVIEW_ONLY = (RELOAD_SCRIPT, NO_SERVICE_WORKER)
SETTLE = 0.05  # seconds without further events before an update starts (an editor's save is several)
# After a provisional update, the full build waits this long for the editor's next edit, so that
# a burst of saves makes one build. (It was 3 s while an edit saved during a build waited for it;
# quick updates now run beside the build, and the lists follow the sooner.)
GRACE = 1.0
AWAKE = 0.5  # the longest the main thread sleeps at a time: a stop signal is acted on within this
WRITES = frozenset({"created", "modified", "moved", "deleted", "closed"})
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")


@functools.cache
def _script(name: str) -> str:
    """One of the preview's scripts, read once from the theme gkml ships."""
    return (theme_dir() / name).read_text(encoding="utf-8")


PREFIX = "gkml-serve-"  # then the preview's process id: a folder whose process is gone is stale


def remove_stale_previews(tmp: Path) -> None:
    """The folders of previews that were killed before they could remove theirs (SIGKILL, a
    power cut). Only where a process can be asked whether it lives without touching it (POSIX)."""
    if os.name != "posix":
        return
    for folder in tmp.glob(f"{PREFIX}*-*"):
        pid = folder.name[len(PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (PermissionError, OverflowError):
            continue  # alive (someone else's) or not a process id


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


class Versions:
    """The preview's version number, bumped after each update; pages wait for the next one."""

    def __init__(self):
        self.number = 1
        self.cond = threading.Condition()

    def bump(self) -> None:
        with self.cond:
            self.number += 1
            self.cond.notify_all()

    def wait_past(self, seen: int, timeout: float) -> int:
        with self.cond:
            self.cond.wait_for(lambda: self.number > seen, timeout=timeout)
            return self.number


class Overlay:
    """Pages rendered by quick updates, served instead of the files on disk: each with the
    generation it was made in, so that a full build drops those made before it started."""

    GONE = ""  # what `get` gives for a page taken down (a 404) until the full build

    def __init__(self):
        self.pages: dict[str, tuple[int, str | None]] = {}  # site-relative URL -> (generation, HTML or None)
        self.generation = 0
        self.lock = threading.Lock()

    def put(self, pages: dict[str, str | None]) -> None:
        with self.lock:
            self.generation += 1
            self.pages.update((url, (self.generation, html)) for url, html in pages.items())

    def get(self, url: str) -> str | None:
        """The page's HTML; GONE if it was taken down; None if the site on disk is to be served."""
        entry = self.pages.get(url)
        return None if entry is None else self.GONE if entry[1] is None else entry[1]

    def mark(self) -> int:
        """Taken as a full build starts: every quick update so far was saved before it reads."""
        with self.lock:
            return self.generation

    def superseded(self, mark: int) -> None:
        """The build that started at `mark` succeeded: its pages replace the quick ones before it."""
        with self.lock:
            self.pages = {url: entry for url, entry in self.pages.items() if entry[0] > mark}


class Handler(http.server.SimpleHTTPRequestHandler):
    versions: Versions
    overlay = Overlay()  # the preview gives its handler its own

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == CHANGES:
            since = (parse_qs(url.query).get("since") or ["0"])[0] or "0"
            if not since.isascii() or not since.isdigit():
                return self._send(400, "since 应为版本号（整数）".encode(), "text/plain; charset=utf-8")
            return self._send(200, str(self.versions.wait_past(int(since), 30)).encode(), "text/plain")
        if url.path == "/sw.js":
            return self._send(200, _script(NO_SERVICE_WORKER).encode("utf-8"), "text/javascript")
        try:
            return self._file(url.path)
        except ConnectionError:  # the browser left mid-answer (it reloaded): no one to send a 404 to
            return None
        except (OSError, ValueError):  # %00 (a NUL), a name too long …: not a file of the site
            return self._send(404, "<h1>404</h1>".encode(), "text/html; charset=utf-8")

    def _file(self, path: str) -> None:
        target = Path(self.translate_path(path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html":
            html = self.overlay.get(target.relative_to(self.directory).as_posix())
            status = 200 if html or (html is None and target.is_file()) else 404
            if not html:
                page = target if status == 200 else Path(self.directory) / "404.html"
                html = page.read_text(encoding="utf-8") if page.is_file() else "<h1>404</h1>"
            script = (f'<script data-changes="{CHANGES}" data-version="{self.versions.number}">'
                      f"{_script(RELOAD_SCRIPT)}</script>")
            html = html.replace("</body>", script + "</body>", 1) if "</body>" in html else html + script
            return self._send(status, html.encode("utf-8"), "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


class Changes:
    """Paths reported changed by the watcher since the last update, among those watched
    (a watched file is watched through its folder, whose other files are not of interest)."""

    def __init__(self, watched: list[Path]):
        self.folders = [p for p in watched if p.is_dir()]
        self.files = {str(p) for p in watched if not p.is_dir()}
        self.paths: set[str] = set()
        self.cond = threading.Condition()

    def relevant(self, name: str) -> bool:
        path = Path(name)
        if path.name.startswith((".", "#")) or name.endswith(IGNORED_SUFFIXES):
            return False  # editors' swap, lock and backup files
        return name in self.files or any(path.is_relative_to(folder) for folder in self.folders)

    def dispatch(self, event) -> None:  # watchdog's handler interface
        # Not "opened" or "closed_no_write": reading a file (as the update itself does) is no change.
        if event.event_type not in WRITES or (event.is_directory and event.event_type == "modified"):
            return
        names = [n for n in (event.src_path, getattr(event, "dest_path", "")) if n and self.relevant(n)]
        if names:
            with self.cond:
                self.paths.update(names)
                self.cond.notify_all()

    def take(self, timeout: float | None = None) -> set[str]:
        """Wait for changes (at most `timeout` seconds: then none), then until they settle; return them."""
        end = None if timeout is None else time.monotonic() + timeout
        with self.cond:
            while not self.paths:
                # Never one unbounded sleep: the kernel may hand Ctrl+C or SIGTERM to another thread
                # (the server's, the watcher's), and Python runs the handler only when this one
                # wakes; on Windows an untimed lock wait is not interrupted by Ctrl+C at all.
                left = AWAKE if end is None else min(AWAKE, end - time.monotonic())
                if left <= 0:
                    return set()
                self.cond.wait(left)
            size = -1
            while size != len(self.paths):  # more arrived during the pause: wait again
                size = len(self.paths)
                self.cond.wait(SETTLE)
            taken, self.paths = self.paths, set()
            return taken


class Schedule:
    """What the main thread does next, asked for by the thread that takes the changes: a full
    build (at once, or when the editing pauses) or, after quick updates of items' text, the
    machine outputs again. Also what the site is: being built, or broken (the last full build
    failed: every change is then built in full, whatever it is)."""

    def __init__(self):
        self.cond = threading.Condition()
        self.due: float | None = None  # when the next full build starts (time.monotonic)
        self.urgent = False  # a change the fast path cannot show: build as soon as possible
        self.outputs = False
        self.building = False
        self.broken = False

    def build(self, grace: float = 0.0) -> None:
        with self.cond:
            if grace == 0.0 or self.urgent:
                self.urgent, self.due = True, time.monotonic()
            else:  # each provisional update moves the build later, while the editor goes on
                self.due = time.monotonic() + grace
            self.cond.notify_all()

    def refresh(self) -> None:
        with self.cond:
            self.outputs = True
            self.cond.notify_all()

    def busy(self) -> bool:
        """A full build runs or is waiting: quick updates are provisional, it or the next one follows."""
        with self.cond:
            return self.building or self.due is not None

    def next(self) -> str:
        """Wait for the next job, "build" or "outputs", never more than AWAKE at a time."""
        with self.cond:
            while True:
                now = time.monotonic()
                if self.due is not None and self.due <= now:
                    self.due, self.urgent, self.outputs, self.building = None, False, False, True
                    return "build"
                if self.outputs and self.due is None:
                    self.outputs = False
                    return "outputs"
                self.cond.wait(AWAKE if self.due is None else min(AWAKE, self.due - now))

    def built(self, ok: bool) -> None:
        with self.cond:
            self.building, self.broken = False, not ok


class _DirtyBuildNotes(logging.Filter):
    """MkDocs' warnings about dirty builds are for its own `serve --dirty`; gkml's preview writes
    every page whose data changed, so they would only alarm the user."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(("A 'dirty' build is being performed", "The directory contains stale files"))


class Preview:
    def __init__(self, config_file: str, dev_addr: str, strict: bool, explain):
        self.config_file, self.strict, self.explain = config_file, strict, explain
        self.host, _, port = dev_addr.rpartition(":")
        if not self.host or not port.isdigit():
            raise Failure(f"预览地址「{dev_addr}」应写作 主机:端口，如 127.0.0.1:8000")
        self.port = int(port)
        remove_stale_previews(Path(tempfile.gettempdir()))
        self.site_dir = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
        self.versions = Versions()
        self.overlay = Overlay()
        self.schedule = Schedule()
        self.config = None
        self.plugin = None
        self.live = None  # the last good build's fast path (live.py), swapped under self.lock
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def full_build(self) -> bool:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        start = time.perf_counter()
        try:
            config = load_config(self.config_file, site_dir=str(self.site_dir), strict=self.strict or None)
            config.site_url = self.url
            plugin = config.plugins.get("gkml")
            if plugin is None:
                click.echo(f"错误：配置文件 {self.config_file} 没有启用 gkml 插件（plugins 中应有 - gkml）", err=True)
                return False
            if self.config is None:  # MkDocs keeps this plugin instance (and its memo) across loads
                config.plugins.on_startup(command="serve", dirty=True)
            build(config, dirty=True)
        except Exception as exc:  # MkDocs' Abort is also a SystemExit: caught here, the preview goes on
            click.echo(f"错误：{self.explain(exc, '预览仍显示上一次生成的网站')}", err=True)
            return False
        self.config, self.plugin = config, plugin
        click.echo(f"网站已重新生成（{time.perf_counter() - start:.1f} 秒）", err=True)
        return True

    def fast_update(self, paths: set[str], provisional: bool = False) -> bool:
        """Edits to item files only: the plugin's fast path, if it can take them (provisional:
        shown at once on the pages that show the items, a full build to follow)."""
        live = self.live
        items = live and live.build.catalogue.root / "items"
        if not items or not all(Path(p).suffix == ".md" and Path(p).is_relative_to(items) for p in paths):
            return False
        start = time.perf_counter()
        try:
            pages = self.plugin.live_update(live, [Path(p) for p in sorted(paths)], provisional)
        except Exception as exc:  # a bug on the fast path must not stop the preview: build in full
            click.echo(f"快速更新失败（{type(exc).__name__}: {exc}），改为重新生成整个网站", err=True)
            return False
        if pages is None:
            return False
        self.overlay.put(pages)
        self.versions.bump()
        then = "随后重新生成整个网站（列表、排序、检索与数据文件）" if provisional else "检索与数据文件随后更新"
        removed = sum(html is None for html in pages.values())
        down = f"、撤下 {removed} 个页面" if removed else ""
        click.echo(f"已{'先' if provisional else ''}更新 {len(pages) - removed} 个页面{down}"
                   f"（{time.perf_counter() - start:.2f} 秒）；{then}", err=True)
        return True

    def quick(self, paths: set[str]) -> None:
        """Show these changes at once if the fast path can, and ask for what must follow."""
        with self.lock:  # the main thread swaps in a new build's fast path only between updates
            if self.schedule.broken:
                done = None
            elif not self.schedule.busy() and self.fast_update(paths):
                done = "text"
            else:
                done = "provisional" if self.fast_update(paths, provisional=True) else None
        if done == "text":
            self.schedule.refresh()
        else:
            if done is None:
                click.echo("这次修改要等整个网站重新生成后显示", err=True)
            self.schedule.build(GRACE if done else 0.0)

    def take_changes(self, changes: Changes) -> None:
        """The second thread: every change, as it comes (a full build may be running)."""
        while True:
            paths = changes.take()
            try:
                self.quick(paths)
            except Exception as exc:  # never lose the edits: build in full
                click.echo(f"快速更新失败（{type(exc).__name__}: {exc}），改为重新生成整个网站", err=True)
                self.schedule.build()

    def rebuild(self) -> None:
        """One full build; on success its pages replace the quick updates made before it started."""
        click.echo("正在重新生成整个网站……", err=True)
        mark = self.overlay.mark()
        ok = self.full_build()
        if ok:
            with self.lock:
                self.live = self.plugin.live
                self.overlay.superseded(mark)
            self.versions.bump()
        self.schedule.built(ok)
        if ok:
            self.live.index  # noqa: B018 - made now, while nothing waits, not at the next edit

    def watched(self) -> list[Path]:
        """The catalogue, the configuration, the templates and the manual, as configured."""
        from mkdocs.config import load_config

        try:
            config = load_config(self.config_file, site_dir=str(self.site_dir), strict=self.strict or None)
        except Exception as exc:
            shutil.rmtree(self.site_dir, ignore_errors=True)
            raise Failure(self.explain(exc, "无法预览"))
        plugin = config.plugins.get("gkml")
        if plugin is None:
            return [Path(self.config_file).absolute()]  # full_build says what is wrong
        paths = [Path(plugin.config.catalogue), Path(config.docs_dir), Path(self.config_file)]
        paths += [Path(p) for p in (config.theme.custom_dir, plugin.config.manual, plugin.config.templates) if p]
        paths += [Path(p) for p in config.watch]
        return [p.absolute() for p in paths if p.exists()]

    def run(self) -> None:
        from watchdog.observers import Observer

        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyBuildNotes())
        handler = type("PreviewHandler", (Handler,), {"versions": self.versions, "overlay": self.overlay})
        try:
            server = http.server.ThreadingHTTPServer((self.host, self.port),
                                                     functools.partial(handler, directory=str(self.site_dir)))
        except OSError as exc:
            shutil.rmtree(self.site_dir, ignore_errors=True)
            raise Failure(f"无法在 {self.host}:{self.port} 预览（{exc.strerror}）；端口可能已被占用，请用 -a 换一个")
        watched = self.watched()
        changes = Changes(watched)
        observer = Observer()
        for folder in sorted({p if p.is_dir() else p.parent for p in watched}):
            observer.schedule(changes, str(folder), recursive=folder in watched)
        observer.start()  # before the first build: an edit saved while it runs is not lost
        if self.full_build():
            self.live = self.plugin.live
        else:
            observer.stop()
            server.server_close()
            shutil.rmtree(self.site_dir, ignore_errors=True)
            raise Failure("网站没有生成，无法预览；请先修正上面的错误")
        server.daemon_threads = True
        serving = threading.Thread(target=server.serve_forever, daemon=True)
        # Before the first page is served: whoever stops the preview from then on (a service manager,
        # a test that saw the page) gets the folder cleaned up too.
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            serving.start()
            threading.Thread(target=self.take_changes, args=(changes,), daemon=True).start()
            click.echo(f"预览地址：{self.url}（修改目录内容后页面自动刷新；按 Ctrl+C 停止）", err=True)
            self.live.index  # noqa: B018 - the pages showing each item, made before the first edit needs them
            while True:
                if self.schedule.next() == "build":
                    self.rebuild()
                else:
                    self.plugin.refresh_outputs(self.live)
        except KeyboardInterrupt:
            click.echo("预览已停止", err=True)
        finally:
            self.lock.acquire(timeout=5)  # no quick update from now on (its thread ends with the process)
            observer.stop()
            if serving.is_alive():
                server.shutdown()  # waits for serve_forever, which must have started
            server.server_close()
            if self.config is not None:
                self.config.plugins.on_shutdown()
            shutil.rmtree(self.site_dir, ignore_errors=True)
