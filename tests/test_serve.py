"""`gkml serve`: a preview that rebuilds after an edit, writing only the pages whose data changed."""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import source_env
from sitetools import SITE_FIXTURE, write_config

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


def _log(tmp_path) -> str:
    return (tmp_path / "serve.log").read_text(encoding="utf-8")


@contextlib.contextmanager
def _previewing(tmp_path, method: str = "fork", extra: str = "", **env: str):
    """`gkml serve` on a copy of the site fixture: yields the catalogue copy, the base URL and the process."""
    catalogue = tmp_path / "catalogue"
    shutil.copytree(SITE_FIXTURE, catalogue)
    config = write_config(catalogue, tmp_path / "unused", tmp_path, extra=extra)
    port = _free_port()
    # PYTHONFAULTHANDLER: a preview that will not stop is sent SIGABRT, which prints every thread's stack
    env = source_env(NO_COLOR="1", GKML_START_METHOD=method, PYTHONFAULTHANDLER="1", **env)
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "gkml.cli", "-v", "serve", "-f", str(config), "-a",
                               f"127.0.0.1:{port}"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield catalogue, f"http://127.0.0.1:{port}", server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.send_signal(signal.SIGABRT)
            server.wait(timeout=30)
            raise AssertionError(f"the preview did not stop within 30 s of SIGTERM:\n{_log(tmp_path)}") from None
        finally:
            log.close()
        print(_log(tmp_path))  # shown by pytest when the test fails


@pytest.mark.parametrize("method", ["fork", "spawn"])  # spawn: the background job as on Windows (workers.py)
def test_serve_rewrites_only_what_an_edit_touches_and_reloads_the_browser(tmp_path, method):
    with _previewing(tmp_path, method) as (catalogue, base, _):
        url = f"{base}/item/{QZF}/2025-00001.html"
        page = _wait_for(url, "政府信息公开工作制度")
        assert "/__gkml/changes" in page  # the reload script
        assert "unregister" in _get(f"{base}/sw.js")  # no cached pages in a preview
        assert _get(f"{base}/assets/gkml-reload.js") is None  # the preview's scripts are not part of the site
        version = int(re.search(r'<script data-changes="/__gkml/changes" data-version="(\d+)">', page)[1])
        assert "location.reload()" in page  # site-templates/assets/gkml-reload.js, inline
        item = catalogue / "items/qzf/2025/00001.md"
        item.write_text(item.read_text(encoding="utf-8").replace("制定本制度。", "制定本制度（预览中修改）。"), encoding="utf-8")
        _wait_for(url, "制定本制度（预览中修改）")
        assert int(_get(f"{base}/__gkml/changes?since={version}")) > version  # open pages reload
        text = _log(tmp_path)
        assert re.findall(r"增量生成：(\d+)/(\d+)", text) == [("264", "264")]  # one full build: the first
        rewritten = [int(n) for n in re.findall(r"已更新 (\d+) 个页面", text)]
        assert rewritten and all(1 <= n <= 9 for n in rewritten), rewritten  # the item and the lists showing it
        assert _get(f"{base}/qzf/gfxwj/index.html") is not None  # untouched pages are still served
        _wait_for(f"{base}/search/meta.js", "gkmlSearchLoad")

        good = item.read_text(encoding="utf-8")
        renamed = good.replace("标题: 示例区人民政府办公室关于印发", "标题: 预览改名：示例区人民政府办公室关于印发")
        item.write_text(renamed, encoding="utf-8")
        assert "<title>预览改名" in _wait_for(url, "预览改名")  # the page's own title too
        assert "预览改名" in _get(f"{base}/qzf/zfxxgkzd/index.html")  # and the list that shows it
        _wait_for(f"{base}/feed.xml", "预览改名")  # feeds, exports and search follow the pages
        assert len(re.findall(r"增量生成：", _log(tmp_path))) == 1  # a title is text: still no full build
        moved = renamed.replace("发布日期: 2025-03-05", "发布日期: 2025-03-06")
        item.write_text(moved, encoding="utf-8")
        _wait_for(url, "2025-03-06")  # shown at once on the pages that show the item …
        _wait_for_log(tmp_path, "增量生成：", times=2)  # … then a full build moves it in every list
        text = _log(tmp_path)
        assert text.index("已先更新") < [m.start() for m in re.finditer("增量生成：", text)][1]
        item.write_text(moved.replace("标题: ", "标题: [未闭合\n", 1), encoding="utf-8")  # broken YAML
        _wait_for_log(tmp_path, "预览仍显示上一次生成的网站")
        assert "预览改名" in _get(url)  # the last good site is still served
        item.write_text(moved.replace("制定本制度", "制定本工作制度"), encoding="utf-8")
        _wait_for(url, "制定本工作制度")  # fixed: shown again
        assert "Traceback" not in _log(tmp_path) and "dirty" not in _log(tmp_path)
    assert "预览已停止" in _log(tmp_path)


def test_a_structural_edit_shows_on_the_items_pages_first_then_everywhere(tmp_path):
    with _previewing(tmp_path) as (catalogue, base, _):
        url = f"{base}/item/{QZF}/2025-00001.html"
        _wait_for(url, "政府信息公开工作制度")
        item = catalogue / "items/qzf/2025/00001.md"
        good = item.read_text(encoding="utf-8")
        assert "发布机构: 示例区人民政府\n" in good
        item.write_text(good.replace("发布机构: 示例区人民政府\n", "发布机构: 示例区人民政府办公室\n"), encoding="utf-8")
        _wait_for(url, "示例区人民政府办公室")
        _wait_for_log(tmp_path, "增量生成：", times=2)  # the lists by publisher follow in the full build
        assert _log(tmp_path).count("已先更新") == 1
        _wait_for(f"{base}/feed.xml", "示例区人民政府办公室")

        # a draft is no longer published: its page is taken down at once, the full build takes it
        # out of its lists and removes the file
        item.write_text(good.replace("---\n", "---\n草稿: true\n", 1), encoding="utf-8")
        _wait_for_log(tmp_path, "撤下 1 个页面")
        assert _get(url) is None
        _wait_for_log(tmp_path, "增量生成：", times=3)
        assert _get(url) is None
        assert "2025-00001.html" not in _get(f"{base}/qzf/zfxxgkzd/index.html")
        assert _log(tmp_path).count("已先更新") == 2
        item.unlink()  # a deleted file: the same
        _wait_for_log(tmp_path, "增量生成：", times=4)
        assert _get(url) is None and "Traceback" not in _log(tmp_path)


# A MkDocs hook (a real one, in the test's mkdocs.yml) that holds a full build open after its pages
# are written for as long as the file `hold` exists, and says so in `held`: the test decides when
# the build ends, instead of hoping an edit lands while it runs.
HOLD_HOOK = """
import pathlib, time
HERE = pathlib.Path(__file__).parent
def on_post_build(config):
    if (HERE / "hold").exists():
        (HERE / "held").write_text("", encoding="utf-8")
        while (HERE / "hold").exists():
            time.sleep(0.1)
"""


def test_an_edit_saved_while_a_full_build_runs_is_served_before_that_build_ends(tmp_path):
    (tmp_path / "hold_hook.py").write_text(HOLD_HOOK, encoding="utf-8")
    with _previewing(tmp_path, extra="hooks:\n  - hold_hook.py\n") as (catalogue, base, _):
        url = f"{base}/item/{QZF}/2025-00001.html"
        _wait_for(url, "政府信息公开工作制度")
        (tmp_path / "hold").write_text("", encoding="utf-8")
        (tmp_path / "pages" / "shuoming.md").write_text("# 说明\n", encoding="utf-8")  # not an item: a full build
        _wait_for_path(tmp_path / "held")  # that build has read the catalogue and written its pages
        item = catalogue / "items/qzf/2025/00001.md"
        item.write_text(item.read_text(encoding="utf-8").replace("制定本制度。", "制定本制度（生成期间修改）。"),
                        encoding="utf-8")
        _wait_for(url, "制定本制度（生成期间修改）")
        new = item.read_text(encoding="utf-8").replace("2025-00001", "2025-00090").replace(
            "标题: 示例区人民政府办公室关于印发", "标题: 生成期间新增：关于印发")
        (catalogue / "items/qzf/2025/00090.md").write_text(new, encoding="utf-8")
        _wait_for(f"{base}/item/{QZF}/2025-00090.html", "生成期间新增")  # a new item's page …
        listed = _wait_for(f"{base}/qzf/zfxxgkzd/index.html", "生成期间新增")  # … and its column's list
        assert "2025-00090.html" in listed and "2025-00001.html" in listed
        # a second new file with that 索引号, saved a moment later: it must not take over the first's page
        waiting = _log(tmp_path).count("这次修改要等整个网站重新生成后显示")
        twin = catalogue / "items/qzf/2025/00094.md"
        twin.write_text(new.replace("生成期间新增", "重号的新文件"), encoding="utf-8")
        _wait_for_log(tmp_path, "这次修改要等整个网站重新生成后显示", times=waiting + 1)
        assert "生成期间新增" in _get(f"{base}/item/{QZF}/2025-00090.html")
        twin.unlink()
        _wait_for_log(tmp_path, "这次修改要等整个网站重新生成后显示", times=waiting + 2)
        assert _log(tmp_path).count("网站已重新生成") == 1  # the first build's only: the held one has not ended
        assert "已先更新" in _log(tmp_path)  # provisional: a full build that reads the edit follows
        (tmp_path / "hold").unlink()
        _wait_for_log(tmp_path, "网站已重新生成", times=3)  # the held build, then the one after the edits
        assert "制定本制度（生成期间修改）" in _get(url)  # from that build's own pages now
        assert _get(f"{base}/qzf/zfxxgkzd/index.html").count("2025-00090.html") == 1
        assert "说明" in _get(f"{base}/shuoming.html")  # what the held build was for
        assert "Traceback" not in _log(tmp_path)


def test_a_new_item_file_shows_at_once_and_joins_its_list_with_the_full_build(tmp_path):
    with _previewing(tmp_path) as (catalogue, base, _):
        _wait_for(f"{base}/item/{QZF}/2025-00001.html", "政府信息公开工作制度")
        source = (catalogue / "items/qzf/2025/00001.md").read_text(encoding="utf-8")
        new = source.replace("2025-00001", "2025-00090").replace("标题: 示例区人民政府办公室关于印发", "标题: 新增条目预览：关于印发")
        (catalogue / "items/qzf/2025/00090.md").write_text(new, encoding="utf-8")
        url = f"{base}/item/{QZF}/2025-00090.html"
        page = _wait_for(url, "新增条目预览")
        assert "<title>新增条目预览" in page and "制定本制度" in page and "/__gkml/changes" in page
        _wait_for(f"{base}/qzf/zfxxgkzd/index.html", "2025-00090.html")  # in its column's list at once …
        _wait_for_log(tmp_path, "网站已重新生成", times=2)
        assert _get(f"{base}/qzf/zfxxgkzd/index.html").count("2025-00090.html") == 1  # … and after the build
        assert _log(tmp_path).count("已先更新 2 个页面") == 1  # its own page and its column's list

        # Never through the quick path: a draft, personal data, a file with errors (said in Chinese).
        (catalogue / "items/qzf/2025/00091.md").write_text(
            new.replace("2025-00090", "2025-00091").replace("---\n", "---\n草稿: true\n", 1), encoding="utf-8")
        _wait_for_log(tmp_path, "网站已重新生成", times=3)
        (catalogue / "items/qzf/2025/00092.md").write_text(
            new.replace("2025-00090", "2025-00092").replace("制定本制度。", "联系人身份证号 11010519491231002X。"),
            encoding="utf-8")
        _wait_for_log(tmp_path, "预览仍显示上一次生成的网站")
        (catalogue / "items/qzf/2025/00092.md").unlink()
        _wait_for_log(tmp_path, "网站已重新生成", times=4)
        (catalogue / "items/qzf/2025/00093.md").write_text(
            new.replace("2025-00090", "2025-00093").replace("标题: ", "标题: [未闭合\n", 1), encoding="utf-8")
        _wait_for_log(tmp_path, "预览仍显示上一次生成的网站", times=2)
        assert "00093.md:3: 错误" in _log(tmp_path)
        for n in ("91", "92", "93"):
            assert _get(f"{base}/item/{QZF}/2025-000{n}.html") is None
        assert "11010519491231002X" not in _get(f"{base}/qzf/zfxxgkzd/index.html")
        assert _log(tmp_path).count("已先更新") == 1
        assert "Traceback" not in _log(tmp_path)


def _wait_for_path(path, limit: float = 60) -> None:
    end = time.monotonic() + limit
    while not path.exists():
        assert time.monotonic() < end, f"{path} never appeared"
        time.sleep(0.1)


def test_a_preview_killed_earlier_leaves_no_folder_behind(tmp_path):
    """A preview stopped by SIGKILL cannot remove its temporary site; the next one does."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    stale = tmp / "gkml-serve-99999999-abc"  # no such process
    (stale / "item").mkdir(parents=True)
    alive = tmp / f"gkml-serve-{os.getpid()}-def"  # this test's own process: a preview still running
    other = tmp / "gkml-serve-abc"  # not named by a preview of this kind: not ours to judge
    alive.mkdir(), other.mkdir()
    with _previewing(tmp_path, TMPDIR=str(tmp)) as (_, base, _):
        _wait_for(f"{base}/index.html", "</html>")
        assert not stale.exists() and alive.is_dir() and other.is_dir()
        [own] = [p for p in tmp.iterdir() if p not in (alive, other)]
        assert own.name.startswith("gkml-serve-") and (own / "index.html").is_file()
    assert not own.exists()  # stopped properly: it removed its own


def test_an_open_page_reloads_itself_after_an_edit(tmp_path, chromium):
    """The reload script (site-templates/assets/gkml-reload.js) in a real browser: the page shows
    the edit without anyone touching it, and the script raised no error."""
    with _previewing(tmp_path) as (catalogue, base, _):
        url = f"{base}/item/{QZF}/2025-00001.html"
        _wait_for(url, "政府信息公开工作制度")
        page = chromium.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)  # the page knows the version it was served at: an edit before its first poll still reloads it
        item = catalogue / "items/qzf/2025/00001.md"
        item.write_text(item.read_text(encoding="utf-8").replace("制定本制度。", "制定本制度（浏览器中看到）。"),
                        encoding="utf-8")
        page.wait_for_selector("text=制定本制度（浏览器中看到）", timeout=60000)
        assert errors == []


def _wait_for_log(tmp_path, needle: str, limit: float = 60, times: int = 1) -> None:
    end = time.monotonic() + limit
    while _log(tmp_path).count(needle) < times:
        assert time.monotonic() < end, f"{needle!r} never logged"
        time.sleep(0.2)


def _serve(config, *args: str) -> subprocess.CompletedProcess:
    env = source_env(NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "gkml.cli", "serve", "-f", str(config), *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_serve_refuses_clearly(tmp_path):
    catalogue = tmp_path / "catalogue"
    shutil.copytree(SITE_FIXTURE, catalogue)
    config = write_config(catalogue, tmp_path / "unused", tmp_path)
    result = _serve(config, "-a", "8000")  # no host: never listen on every interface by accident
    assert result.returncode == 1 and "主机:端口" in result.stderr and "Traceback" not in result.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = _serve(config, "-a", f"127.0.0.1:{taken.getsockname()[1]}")
    assert result.returncode == 1 and "端口可能已被占用" in result.stderr and "Traceback" not in result.stderr
    item = catalogue / "items/qzf/2025/00001.md"
    item.write_text(item.read_text(encoding="utf-8").replace("标题: ", "标题: [未闭合\n", 1), encoding="utf-8")
    result = _serve(config, "-a", f"127.0.0.1:{_free_port()}")
    assert result.returncode == 1 and "00001.md:3: 错误" in result.stderr and "无法预览" in result.stderr
    assert "Traceback" not in result.stderr


def _signal_thread(pid: int, tid: int, signum: int) -> None:
    """Linux tgkill(2): a signal to one thread of a process (os.kill lets the kernel choose one)."""
    import ctypes
    import platform
    number = {"x86_64": 234, "aarch64": 131}[platform.machine()]  # SYS_tgkill
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.syscall(number, pid, tid, signum) != 0:
        raise OSError(ctypes.get_errno(), "tgkill")


def test_a_stop_signal_caught_by_any_thread_stops_the_preview(tmp_path):
    """The kernel hands SIGTERM (or Ctrl+C's SIGINT) to any thread of the process that does not
    block it; Python runs the handler in the main thread, so that thread must never sleep unbounded."""
    with _previewing(tmp_path) as (_, base, server):
        _wait_for(f"{base}/index.html", "</html>")
        _wait_for_log(tmp_path, "预览地址")
        time.sleep(1)  # the main thread now waits for edits
        threads = sorted(int(t) for t in os.listdir(f"/proc/{server.pid}/task") if int(t) != server.pid)
        assert threads  # the HTTP server's and the watcher's
        _signal_thread(server.pid, threads[0], signal.SIGTERM)
        server.wait(timeout=10)
    assert "预览已停止" in _log(tmp_path)
