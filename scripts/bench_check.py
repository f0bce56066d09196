"""Benchmark: how long `gkml check` takes on a generated 10,000-item catalogue.

    cd /work/main && python3 scripts/bench_check.py [--items 10000] [--runs 3] [--keep DIR]
    python3 scripts/bench_check.py --catalogue bench-out/c100k --runs 3 \
        --plugins /tmp/gkml-old/plugins --plugins plugins      # two revisions on a 100k corpus

Generates a catalogue (settings and units copied from tests/fixtures/mini, items written here)
in a temporary folder, checks that it is clean, then times the real command
`python -m gkml.cli check --strict <catalogue>` end to end (interpreter start included, as a
pre-commit hook runs it) and prints the median and the best of --runs.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"
# unit id -> (机构代码, 发布机构, columns its items go to)
UNITS = {
    "qzf": ("11350199MB01000012", "示例区人民政府", ["gfxwj", "qtwj", "ndjh", "tjsj", "yjya", "rsxx"]),
    "qczj": ("11350199MB0300003D", "示例区财政局", ["bmyjs", "sgjf", "qtwj", "gfxwj", "cgss"]),
    "dhz": ("11350199MB0600006E", "示例区东湖镇人民政府", ["nyzc", "ntsl", "xzjz", "qtwj", "ndjh"]),
    "cgjd": ("11350199MB0800008R", "示例区城关街道办事处", ["sqgk", "ggfl", "qtwj", "shjz"]),
}
TOPICS = ["综合政务/政务公开", "财政、金融、审计/财政", "农业、林业、水利/水利", "民政、扶贫、救灾/社会福利"]
BODY = "为进一步做好相关工作，现将有关事项通知如下。\n\n" + "一、工作目标。按照有关要求，结合本地实际，扎实推进各项工作。\n\n" * 6


def generate(root: Path, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    shutil.copytree(MINI, root, ignore=shutil.ignore_patterns("items"))
    serials: dict[tuple[str, int], int] = {}
    for n in range(count):
        unit = list(UNITS)[n % len(UNITS)]
        code, publisher, columns = UNITS[unit]
        day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
        key = (unit, day.year)
        serials[key] = serials.get(key, 0) + 1
        index_no = f"{code}/{day.year}-{serials[key]:05d}"
        column = rng.choice(columns)
        lines = ["---", f"索引号: {index_no}", f"标题: {publisher}关于第{n}项工作的通知",
                 f"内容概述: 部署第{n}项工作的目标、任务和保障措施。", f"生成日期: {day}"]
        if column in ("gfxwj", "qtwj"):
            lines += [f"成文日期: {day}", f"文号: 示文〔{day.year}〕{serials[key]}号"]
        lines += [f"发布日期: {day + dt.timedelta(days=2)}", f"发布机构: {publisher}", f"栏目: {column}",
                  f"主题分类: {rng.choice(TOPICS)}", "体裁: 通知" if column in ("gfxwj", "qtwj") else "体裁: 其他",
                  "关键词: [工作, 通知]", "有效性: 有效", "公开方式: 主动公开", "保密审查:", "  审查人: 张某",
                  f"  日期: {day + dt.timedelta(days=1)}", "---", "", BODY]
        folder = root / "items" / unit / str(day.year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{serials[key]:05d}.md").write_text("\n".join(lines), encoding="utf-8")


def reclone(root: Path) -> None:
    """Every file under items/ written anew with the same bytes: new stamps, as a fresh clone gives;
    then past the cache's racy window, so the run's cache records them."""
    for path in [p for p in (root / "items").rglob("*") if p.is_file()]:
        scratch = path.with_name(path.name + ".bench")
        scratch.write_bytes(path.read_bytes())
        os.replace(scratch, path)
    time.sleep(2.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--catalogue", type=Path, help="check this catalogue (e.g. a gen_corpus.py corpus) instead")
    parser.add_argument("--plugins", type=Path, action="append",
                        help="import gkml from this folder (repeat to compare revisions in one run, "
                             "e.g. the plugins/ of a `git worktree` of an older commit); default: this checkout")
    parser.add_argument("--cache", choices=["off", "warm", "edit", "clone"], default="off",
                        help="off: every run reads every file (GKML_CACHE=0; a clean clone in CI); warm: after one "
                             "untimed run, nothing changed (the check cache of catalogue/check_cache.py); edit: "
                             "after one untimed run, one item file changed before each run (a commit); clone: after "
                             "one untimed run, every item file and attachment written anew with the same bytes "
                             "before each run (a fresh clone in CI with the cache folder kept)")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="gkml-bench-"))
    if args.catalogue:
        root = args.catalogue.absolute()
        args.items = sum(1 for _ in (root / "items").rglob("*.md"))
    else:
        root = base / "catalogue"
        if root.exists():
            shutil.rmtree(root)
        started = time.perf_counter()
        generate(root, args.items)
        print(f"generated {args.items} items in {time.perf_counter() - started:.1f} s: {root}")
    sources = args.plugins or [REPO / "plugins"]
    times: dict[Path, list[float]] = {s: [] for s in sources}
    cpu: dict[Path, list[float]] = {s: [] for s in sources}
    caches = Path(tempfile.mkdtemp(prefix="gkml-bench-cache-"))
    envs = {source: {**os.environ, "PYTHONPATH": str(source.absolute()), "NO_COLOR": "1",
                     **({"GKML_CACHE": "0"} if args.cache == "off" else {"GKML_CACHE_DIR": str(caches / str(n))})}
            for n, source in enumerate(sources)}
    command = [sys.executable, "-m", "gkml.cli", "check", "--strict", str(root)]
    edited = min((root / "items").rglob("*.md"))
    original = edited.read_bytes()  # put back at the end: a corpus given with --catalogue is not ours
    if args.cache != "off":
        time.sleep(2.5)  # files written within the cache's racy window are never recorded
        for source in sources:
            subprocess.run(command, env=envs[source], capture_output=True, check=False)  # fills the cache
    for _ in range(args.runs):
        for source in sources:  # round-robin, so drift on a shared machine hits every source alike
            env = envs[source]
            if args.cache == "edit":
                with edited.open("a", encoding="utf-8") as out:
                    out.write("\n本段为基准测试追加。\n")
            if args.cache == "clone":
                reclone(root)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            result = subprocess.run(command, env=env, capture_output=True, text=True)
            times[source].append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[source].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if result.returncode != 0:
                sys.exit(f"the catalogue is not clean:\n{result.stdout[:2000]}{result.stderr[-2000:]}")
    # CPU time is reported too: on a shared machine the wall clock mostly measures the neighbours.
    for source in sources:
        print(f"gkml check --strict (cache {args.cache}), {args.items} items, gkml from {source}: wall median "
              f"{statistics.median(times[source]):.2f} s, best {min(times[source]):.2f} s; CPU (user+sys) median "
              f"{statistics.median(cpu[source]):.2f} s; {args.runs} runs (wall {', '.join(f'{t:.2f}' for t in times[source])})")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    shutil.rmtree(caches)
    edited.write_bytes(original)
    if not args.keep and not args.catalogue:
        shutil.rmtree(base)


if __name__ == "__main__":
    main()
