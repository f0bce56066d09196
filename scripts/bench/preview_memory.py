#!/usr/bin/env python3
"""Memory of `gkml serve` (the preview): its process tree idle after the first build, and at most
while the full build after an edit runs (the preview then keeps the plan of the site it serves, for
quick updates, beside the one being built).

    python3 scripts/bench/preview_memory.py --config bench-out/x/mkdocs.yml \
        --item bench-out/x/catalogue/items/qtyj/2019/00005.md --old '发布机构: 示例区退役军人事务局' --new '发布机构: 示例区退役军人事务局办公室'

The edit replaces --old by --new once in --item (a 发布机构 edit needs a full build; a body edit does
not) and is undone at the end. Memory: PSS of every process of the tree (/proc/<pid>/smaps_rollup),
sampled every 0.3 s; the largest process's RSS beside it. Linux only.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def tree(pid: int) -> list[int]:
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [pid] + [p for child in children for p in tree(int(child))]


def sample(pid: int) -> tuple[float, float]:
    """(PSS of the tree, largest RSS) in MB."""
    total = largest = 0
    for p in tree(pid):
        try:
            text = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            continue  # ended between listing and reading
        total += int(re.search(r"^Pss:\s+(\d+)", text, re.M)[1])
        largest = max(largest, int(re.search(r"^Rss:\s+(\d+)", text, re.M)[1]))
    return total / 1024, largest / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", type=Path, required=True)
    ap.add_argument("--item", type=Path, required=True)
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--seconds", type=float, default=100, help="how long to sample after the edit")
    ap.add_argument("--timeout", type=float, default=900, help="seconds to wait for the first build")
    args = ap.parse_args()
    original = args.item.read_bytes()
    if args.old.encode() not in original:
        sys.exit(f"{args.old!r} is not in {args.item}")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = Path(os.environ.get("TMPDIR", "/tmp")) / "preview-memory.log"
    proc = subprocess.Popen([sys.executable, "-m", "gkml.cli", "serve", "-f", str(args.config), "-a", f"127.0.0.1:{port}"],
                            stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    try:
        start = time.time()
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=1)
                break
            except OSError:
                if time.time() - start > args.timeout or proc.poll() is not None:
                    sys.exit(f"the preview did not come up; see {log}")
                time.sleep(0.3)
        time.sleep(3)
        idle = sample(proc.pid)
        args.item.write_bytes(original.replace(args.old.encode(), args.new.encode(), 1))
        during = (0.0, 0.0)
        start = time.time()
        while time.time() - start < args.seconds:
            during = max(during, sample(proc.pid))
            time.sleep(0.3)
    finally:
        args.item.write_bytes(original)
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(60)
    print(f"idle after the first build: {idle[0]:.0f} MB (tree PSS), largest process {idle[1]:.0f} MB RSS")
    print(f"after the edit, {args.seconds:.0f} s: at most {during[0]:.0f} MB, largest process {during[1]:.0f} MB RSS")
    print("the preview's log:", *(line for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
                                   if "秒" in line or "页面" in line), sep="\n  ")


if __name__ == "__main__":
    main()
