#!/usr/bin/env python3
"""Incremental-rebuild benchmark: in `gkml serve` (or `mkdocs serve`), edit one item and time until its page shows it.

    python3 scripts/bench_incremental.py                          # gkml, 20,000 items, 5 edits
    python3 scripts/bench_incremental.py --items 20000 --edits 5 --engine mkdocs --timeout 900

Generates the corpus (scripts/gen_corpus.py, --seed) under --work, starts a preview server on
127.0.0.1 (gkml: `gkml serve` — gkml's preview: inotify watcher, fast path for edits to an item's text, dirty MkDocs builds otherwise — with the repository's mkdocs.yml
pointed at the corpus; mkdocs: `mkdocs serve` on the plain MkDocs + Material baseline), waits for the first build, then --edits times: appends a unique
marker paragraph to one item's body (a different public item each time), and polls that item's
page over HTTP every --poll seconds until it contains the marker. Reports each latency and the
median. The edited files are restored, the new ones removed and the server (its own process
group) stopped at the end.

--edit new writes a new item file instead (a copy of a public item without attachments, with an
unused 索引号 and the marker in its title) and polls the new item's page. --during-build first
edits another item's 发布机构 (a provisional update, the full build following after the preview's
pause), waits for the server to log that the full build started and --lag seconds more, then
makes the timed edit; each line says whether that build had ended before the page showed it.
TMPDIR for the server is --work/tmp, because `mkdocs serve` builds into a temporary folder and
/tmp is several times slower per file on this machine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import ROOT  # noqa: E402
from bench.engines import build_env, gkml_config, use_source  # noqa: E402
from gen_corpus import write as write_corpus  # noqa: E402

MARKER = "基准测试修订标记"
BUILD_STARTS, BUILD_ENDS = "正在重新生成整个网站……", "网站已重新生成"  # what gkml serve logs (preview.py)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(url: str, needle: str | None, timeout: float, poll: float, proc: subprocess.Popen) -> float | None:
    """Seconds until GET `url` succeeds (and contains `needle`), or None on timeout or server exit."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            return None
        page = fetch(url)
        if page is not None and (needle is None or needle in page):
            return time.perf_counter() - start
        time.sleep(poll)
    return None


def targets(root: Path, engine: str, count: int, new: bool = False) -> list[tuple[Path, str, Path]]:
    """`count` public items spread over the corpus: (source file to edit, URL path of its page, the
    same file); `new`: (a new file beside one without attachments, URL path of its page, that one)."""
    from gkml.catalogue.validate import load_catalogue  # after sys.path is set by bench
    catalogue, _ = load_catalogue(root / "catalogue")
    public = [i for i in catalogue.items if i.is_public and not (new and i.attachments)]
    picks = [public[(k * 7919) % len(public)] for k in range(count)]
    taken = {i.index_no for i in catalogue.items}
    out = []
    for k, item in enumerate(picks):
        if new:
            head, serial = item.index_no.rsplit("-", 1)
            index_no = next(f"{head}-{n:0{len(serial)}d}" for n in range(10 ** len(serial) - 1 - k, 0, -1)
                            if f"{head}-{n:0{len(serial)}d}" not in taken)
            taken.add(index_no)
            out.append((item.path.with_name(f"bench-new-{index_no.rsplit('-', 1)[1]}.md"), f"/item/{index_no}.html",
                        item.path))
        elif engine == "gkml":
            out.append((item.path, "/" + item.url, item.path))
        else:
            rel = Path(item.rel).relative_to("items").with_suffix("")
            page = root / "mkdocs" / "docs" / "items" / rel.with_suffix(".md")
            out.append((page, f"/items/{rel.as_posix()}/", page))
    return out


def edited(text: str, marker: str, what: str) -> str:
    if what == "new":  # the copy of an item: its own 索引号 (from the file's name) and the marker in its title
        return edited(text, marker, "title")
    if what in ("title", "publisher"):
        field = {"title": "标题", "publisher": "发布机构"}[what]
        return re.sub(rf"^{field}:\s*", lambda m: m.group(0) + marker, text, count=1, flags=re.M)
    return text.rstrip("\n") + f"\n\n{marker}\n"


def renumbered(text: str, url: str) -> str:
    """An item's text under the 索引号 its new page `url` (/item/<索引号>.html) is for."""
    index_no = url[len("/item/"):-len(".html")]
    return re.sub(r"^索引号:.*$", f"索引号: {index_no}", text, count=1, flags=re.M)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--engine", choices=["gkml", "mkdocs"], default="gkml")
    ap.add_argument("--edit", choices=["body", "title", "publisher", "new"], default="body",
                    help="body: append a paragraph; title: put the marker before the title (both gkml's "
                         "fast path); publisher: append it to 发布机构, which moves the item to another "
                         "publisher index (a full dirty build); new: a new item file (gkml only)")
    ap.add_argument("--during-build", action="store_true",
                    help="make each timed edit while a full build runs (gkml only; see above)")
    ap.add_argument("--follow", action="store_true",
                    help="after each page shows the edit, also wait for the full build that puts it into its "
                         "lists to end (gkml only; not with --during-build) and report that time")
    ap.add_argument("--lag", type=float, default=1.0,
                    help="--during-build: seconds between the build's start and the timed edit")
    ap.add_argument("--poll", type=float, default=0.05, help="seconds between HTTP polls")
    ap.add_argument("--timeout", type=float, default=900, help="seconds to wait for the first build and for each edit")
    ap.add_argument("--work", type=Path, default=ROOT / "bench-out" / "incremental")
    ap.add_argument("--gkml-rev", default="HEAD", help="gkml as committed at this revision, or 'worktree'")
    args = ap.parse_args(argv)
    source = use_source(args.gkml_rev, args.work) if args.engine == "gkml" else "-"

    root = args.work / f"n{args.items}-s{args.seed}"
    flavours = ["gkml"] if args.engine == "gkml" else ["gkml", "mkdocs"]  # the catalogue picks the targets
    root.mkdir(parents=True, exist_ok=True)
    folders = write_corpus(args.items, args.seed, root, flavours, force=True, subfolders=True)
    if args.engine != "gkml" and (args.edit == "new" or args.during_build or args.follow):
        ap.error("--edit new, --during-build and --follow need --engine gkml (they read gkml serve's log)")
    if args.follow and args.during_build:
        ap.error("--follow times a build started by the edit, --during-build makes the edit during another one")
    picks = targets(root, args.engine, args.edits, new=args.edit == "new")
    triggers = targets(root, args.engine, 2 * args.edits)[args.edits:] if args.during_build else []  # other items
    if args.engine == "gkml":
        config = gkml_config(folders["gkml"], root / "site-unused")
    else:
        config = folders["mkdocs"] / "mkdocs.yml"
    tmp = args.work / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(args.work / f"serve-{args.engine}.log", "w")  # read back for --during-build
    env = dict(build_env(), TMPDIR=str(tmp))
    started = time.perf_counter()
    # gkml: its own preview command (`gkml serve`, plugins/gkml/preview.py)
    server = ["gkml.cli", "-v", "serve"] if args.engine == "gkml" else ["mkdocs", "serve"]
    proc = subprocess.Popen([sys.executable, "-m", *server, "-f", str(config), "-a", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    originals: dict[Path, bytes | None] = {}  # None: a file the benchmark created
    latencies: list[float | None] = []
    notes: list[str] = []
    log_path = args.work / f"serve-{args.engine}.log"
    # A SIGTERM to this script must still restore the files and stop the server (its own session).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(f"stopped by SIGTERM after {len(latencies)} edits"))
    try:
        first_page = "/index.html" if args.edit == "new" else picks[0][1]  # a new item's page is not there yet
        if wait_for(base + first_page, None, args.timeout, 0.5, proc) is None:
            raise SystemExit(f"server did not come up within {args.timeout:.0f} s; see {log.name}")
        first = time.perf_counter() - started
        print(f"first build served after {first:.1f} s", flush=True)
        for k, (path, url, origin) in enumerate(picks, start=1):
            originals.setdefault(path, path.read_bytes() if path.exists() else None)
            marker = f"{MARKER}{k}-{os.getpid()}"
            time.sleep(2)  # let the watcher settle after the previous rebuild
            text = edited(origin.read_text(encoding="utf-8"), marker, args.edit)
            if args.edit == "new":
                text = renumbered(text, url)
            ended = None
            if args.during_build:
                trigger = triggers[k - 1][0]
                originals.setdefault(trigger, trigger.read_bytes())
                started = log_path.read_text(encoding="utf-8").count(BUILD_STARTS)
                trigger.write_text(edited(trigger.read_text(encoding="utf-8"), f"{marker}t", "publisher"),
                                   encoding="utf-8")
                while (logged := log_path.read_text(encoding="utf-8")).count(BUILD_STARTS) == started:
                    time.sleep(0.05)
                ended = logged.count(BUILD_ENDS)  # as the build starts (one running before it has ended)
                time.sleep(args.lag)
            builds = log_path.read_text(encoding="utf-8").count(BUILD_ENDS)
            t0 = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            waited = wait_for(base + url, marker, args.timeout, args.poll, proc)
            latency = None if waited is None else time.perf_counter() - t0
            latencies.append(latency)
            note = ""
            if ended is not None:
                note = (" (the full build still running)" if log_path.read_text(encoding="utf-8").count(BUILD_ENDS) == ended
                        else " (after the full build ended)")
                notes.append(note)
            if args.follow and latency is not None:
                while log_path.read_text(encoding="utf-8").count(BUILD_ENDS) == builds and proc.poll() is None:
                    time.sleep(args.poll)
                note = f" (lists: the full build after it ended {time.perf_counter() - t0:.2f} s after the save)"
            print(f"edit {k}: {url} -> " + (f"{latency:.2f} s" if latency is not None else f"> {args.timeout:.0f} s")
                  + note, flush=True)  # on stdout as it happens, so a run stopped early still leaves its figures
            if latency is None:
                break
    finally:
        for path, data in originals.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
    done = [x for x in latencies if x is not None]
    median = f"{statistics.median(done):.2f} s" if len(done) == len(latencies) else f"> {args.timeout:.0f} s"
    print(f"\nbench_incremental.py {dt.date.today().isoformat()}: engine {args.engine}, {args.items:,} items, "
          f"seed {args.seed}, {len(latencies)} edits of the {args.edit}"
          + (f" each {args.lag:.1f} s into a full build" if args.during_build else "")
          + f", gkml {source}, server {' '.join(server)}, TMPDIR {tmp}, load average {os.getloadavg()[0]:.1f}")
    print(f"first build (serve start to first page): {first:.1f} s")
    print("edit -> page shows it: " + ", ".join(f"{x:.2f}" if x is not None else "timeout" for x in latencies)
          + f" s; median {median}")


if __name__ == "__main__":
    main()
