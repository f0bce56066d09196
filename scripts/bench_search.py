#!/usr/bin/env python3
"""Benchmark of gkml search (issue 4): index build, cold-query transfer and latency, relevance.

    python3 scripts/bench_search.py                       # everything: default catalogue, 20k, 100k
    python3 scripts/bench_search.py --sizes 20000         # one generated corpus size only
    python3 scripts/bench_search.py --no-pagefind         # skip the Pagefind comparison

What it measures (results go to bench-out/search/report.md and stdout):

1. Index build at each size, in a fresh process: wall and CPU seconds of build_search_index plus
   writing the files, and how much it raised the process's peak memory (ru_maxrss after the build
   minus after loading the catalogue).
2. Cold queries in Chromium (/usr/bin/chromium) over HTTP (python http.server on 127.0.0.1): a fresh
   browser context per query (empty cache), the search page opened with ?q=<two terms>; bytes
   transferred (CDP encodedDataLength of every response, page and assets included) and the time
   from the query starting to the results being on screen (data-ms), and from navigation start.
   Also from file://.
3. Relevance over the default catalogue and the 20k corpus (phrases of titles, and of bodies): per
   query, every item whose title holds the phrase must be returned (title recall), the top 10 must
   all be such items when there are at least 10, the top 10 must all hold the phrase somewhere
   (title or body) when 10 do, and precision/recall against "the item's text holds the phrase" — for gkml and for
   Pagefind (pip package pagefind[extended], same items as plain HTML pages, same Chromium).

Corpora come from scripts/gen_corpus.py (written under bench-out/, cached between runs).
No timed assertions: this script reports numbers, BENCHMARKS.md records them.
"""
from __future__ import annotations

import argparse
import contextlib
import html
import json
import hashlib
import os
import pickle
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))  # the tests' browser launcher and search helpers
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "search"))

from gkml.search import write_search_index  # noqa: E402
from gkml.search.fold import WHITESPACE, fold  # noqa: E402
from gkml.search.page import standalone_html  # noqa: E402
from gkml.search.text import plain_text  # noqa: E402
from gkml.search.tokenize import segments  # noqa: E402
from gkml.catalogue.validate import load_catalogue  # noqa: E402
from searchtools import title_phrases  # noqa: E402
from sitetools import browser as chromium  # noqa: E402

OUT = ROOT / "bench-out" / "search"
DONE = '#gkml-search[data-state="done"], #gkml-search[data-state="error"]'
# Two-term queries for the cold-query budget, typical of what citizens type.
COLD_QUERIES = ["行政许可 决定", "安全生产 检查", "部门预算 公开", "最低生活保障 公示", "行政处罚 决定",
                "政务公开 工作", "食品安全 抽检", "职务任免 通知"]
# One-phrase queries found mostly in bodies of the generated corpus (none or few titles): their first
# page needs the texts of its results (their pages; search/t/ in a copy made by gkml bundle); 「任务落实」 is in no body as a phrase, but its
# three pairs are in most (the bounded check, then newest first).
BODY_COLD_QUERIES = ["发现问题", "部门协同", "政策宣传解读", "任务落实"]
# Phrases every relevance run includes (the rest are sampled from the corpus titles).
FIXED_QUERIES = ["发展改革", "财政预算", "临时救助", "应急管理", "政府信息公开", "安全生产", "乡村振兴",
                 "行政处罚", "年度报告", "防汛", "城乡居民", "通知", "公示", "2025年", "工作方案", "专项资金"]


# ---------------------------------------------------------------------------------------------
# corpora

def corpus(items: int) -> Path:
    """bench-out/search/c<items>/ : a generated catalogue (seed 1), made once."""
    target = OUT / f"c{items}"
    if not (target / "site.yml").exists():
        import gen_corpus
        gen_corpus.write(items, 1, target, ["gkml"], force=True, quiet=True, subfolders=False)
    return target


def pickle_path(root: Path) -> Path:
    """One cached catalogue per version of the model's code: a pickle of other classes would not
    load, or load wrong."""
    model = hashlib.sha256((ROOT / "plugins" / "gkml" / "catalogue" / "model.py").read_bytes()).hexdigest()[:12]
    return root.with_suffix(f".{model}.pickle")


def load(root: Path):
    """The catalogue, cached as a pickle next to it (loading 100k items takes minutes)."""
    cache = pickle_path(root)
    if cache.exists() and cache.stat().st_mtime > (root / "site.yml").stat().st_mtime:
        return pickle.loads(cache.read_bytes())
    catalogue, report = load_catalogue(root)
    assert catalogue is not None and not report.errors, report.summary()
    cache.write_bytes(pickle.dumps(catalogue))
    return catalogue


def write_site(catalogue, target: Path) -> None:
    """search.html (standalone), the real script and stylesheet, the index. The index keeps the items'
    texts (search/t/, as in gkml bundle's copies): this bare site has no item pages to read them
    from, and a browser test holds the two to the same fields (test_search_body.py)."""
    if target.exists():
        shutil.rmtree(target)
    (target / "assets").mkdir(parents=True)
    for name in ("gkml-search.js", "gkml-search.css"):
        shutil.copy(ROOT / "site-templates" / "assets" / name, target / "assets" / name)
    (target / "search.html").write_text(standalone_html(), encoding="utf-8")
    write_search_index(catalogue, target, texts=True)


# ---------------------------------------------------------------------------------------------
# 1. index build, in a fresh process

BUILD_CHILD = r"""
import json, os, pickle, resource, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from gkml.search import write_search_index
catalogue = pickle.loads(Path(sys.argv[2]).read_bytes())
catalogue.public_items
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
wall, cpu = time.perf_counter(), os.times()
index = write_search_index(catalogue, Path(sys.argv[3]))
wall, end = time.perf_counter() - wall, os.times()
cpu = (end.user + end.system + end.children_user + end.children_system
       - cpu.user - cpu.system - cpu.children_user - cpu.children_system)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "cpu": cpu, "rss_before_mb": before / 1024, "rss_after_mb": after / 1024,
                  "added_mb": (after - before) / 1024, "worker_rss_mb": child / 1024, **index.stats}))
"""


def measure_build(root: Path, target: Path) -> dict:
    load(root)
    out = subprocess.run([sys.executable, "-c", BUILD_CHILD, str(ROOT / "plugins"), str(pickle_path(root)),
                          str(target)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


# ---------------------------------------------------------------------------------------------
# serving and Chromium

@contextlib.contextmanager
def serve(directory: Path):
    """python -m http.server on 127.0.0.1 in its own process (not sharing this one's GIL), with
    HTTP/1.1 keep-alive as any real web server has (HTTP/1.0 opens a connection per file)."""
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(directory), "--protocol", "HTTP/1.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def cold_query(browser, url: str) -> dict:
    """One query in a fresh context: bytes over the wire, files, time to results."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: dict[str, float] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url)
    page.wait_for_selector(DONE, timeout=60000)
    state = page.get_attribute("#gkml-search", "data-state")
    ms = int(page.get_attribute("#gkml-search", "data-ms") or -1)
    since_nav = page.evaluate("performance.now()")
    status = page.inner_text("#gkml-status")
    page.wait_for_timeout(100)
    context.close()
    files = [urls.get(r, r) for r in sizes]
    facet_bytes = sum(size for r, size in sizes.items() if urls.get(r, "").split("?")[0].endswith("/search/facets.js"))
    return {"state": state, "ms": ms, "since_navigation_ms": round(since_nav), "bytes": int(sum(sizes.values())),
            "facet_bytes": int(facet_bytes), "files": len(files), "status": status,
            "index_files": sum("/search/" in f for f in files), "text_files": sum("/search/t/" in f for f in files),
            "text_bytes": int(sum(size for r, size in sizes.items() if "/search/t/" in urls.get(r, ""))),
            # a built site keeps no texts: the search reads its results' own pages instead
            "page_reads": sum("/item/" in f for f in files),
            "page_bytes": int(sum(size for r, size in sizes.items() if "/item/" in urls.get(r, "")))}


def file_query(browser, path: Path, query: str) -> dict:
    from urllib.parse import quote
    context = browser.new_context()
    page = context.new_page()
    page.goto(path.as_uri() + "?q=" + quote(query))
    page.wait_for_selector(DONE, timeout=60000)
    result = {"state": page.get_attribute("#gkml-search", "data-state"),
              "ms": int(page.get_attribute("#gkml-search", "data-ms") or -1)}
    context.close()
    return result


def measure_cold(site: Path, queries: list[str]) -> list[dict]:
    from urllib.parse import quote
    rows = []
    with serve(site) as url, chromium() as browser:
        cold_query(browser, f"{url}/search.html?q=" + quote("预热"))  # start-up of Chromium itself, not counted
        for q in queries:
            row = cold_query(browser, f"{url}/search.html?q=" + quote(q))
            row["query"] = q
            row["file_ms"] = file_query(browser, site / "search.html", q)["ms"]
            rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------
# 3. relevance

def phrase_pattern(phrase: str) -> re.Pattern | None:
    """The phrase as the index defines containment: 汉字 exactly, words whole, spaces ignored."""
    units = [u for seg in segments(fold(phrase)) for u in seg]
    if not units:
        return None
    gap = f"[{WHITESPACE}]*"
    parts = [rf"(?<![0-9a-z]){re.escape(u)}(?![0-9a-z])" if u[0].isascii() else re.escape(u) for u in units]
    return re.compile(gap.join(parts))


def item_text(item) -> str:
    """Everything a reader sees of the item; fields joined with 。 so no phrase spans two fields."""
    return fold("\n。\n".join((item.title, item.summary, item.doc_no, " ".join(item.keywords), item.publisher,
                               plain_text(item.body))))


def gkml_results(site: Path, queries: list[str]) -> list[list[str]]:
    """Result URLs (best first) of each query, from gkml-search.js in Chromium."""
    with serve(site) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(f"{url}/search.html")
        page.wait_for_selector(DONE, timeout=60000)
        out = []
        for q in queries:
            docs = page.evaluate("q => gkmlSearch.search(q).then(r => r.docs)", q)
            out.append(docs)
        return out


def write_pagefind_pages(items, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    for n, item in enumerate(items):
        path = target / item.url
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(item.title)}</title>'
            f'</head><body><main data-pagefind-body><h1>{html.escape(item.title)}</h1>'
            f'<p>{html.escape(item.doc_no)} {html.escape(item.publisher)}</p><p>{html.escape(item.summary)}</p>'
            f'<div>{html.escape(plain_text(item.body))}</div></main></body></html>', encoding="utf-8")
    (target / "pf.html").write_text('<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body></body></html>',
                                    encoding="utf-8")


def pagefind_available() -> bool:
    try:
        return subprocess.run([sys.executable, "-m", "pagefind", "--version"], capture_output=True,
                              timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def pagefind_results(items, target: Path, queries: list[str]) -> tuple[list[list[int]], dict]:
    write_pagefind_pages(items, target)
    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(target), "--force-language", "zh"],
                         capture_output=True, text=True)
    build_s = time.perf_counter() - t0
    if run.returncode != 0:
        raise RuntimeError(run.stderr[-2000:])
    doc_of = {item.url: n for n, item in enumerate(items)}
    out = []
    with serve(target) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(f"{url}/pf.html")
        page.evaluate("async () => { window.pf = await import('./pagefind/pagefind.js'); await pf.init(); }")
        for q in queries:
            urls = page.evaluate("""async q => {
                const r = await pf.search(q);
                const out = [];
                for (let i = 0; i < r.results.length; i += 200) {
                    const part = await Promise.all(r.results.slice(i, i + 200).map(x => x.data()));
                    part.forEach(d => out.push(d.url));
                }
                return out; }""", q)
            out.append([doc_of.get(u.lstrip("/").split("#")[0], -1) for u in urls])
    size = sum(p.stat().st_size for p in (target / "pagefind").rglob("*") if p.is_file())
    return out, {"build_s": round(build_s, 1), "bundle_mb": round(size / 1e6, 1)}


def score(items, queries: list[str], results: list[list[int]]) -> list[dict]:
    titles = [fold(i.title) for i in items]
    texts = [item_text(i) for i in items]
    rows = []
    for q, got in zip(queries, results):
        pattern = phrase_pattern(q)
        exact = [n for n, t in enumerate(titles) if pattern.search(t)]
        anywhere = {n for n, t in enumerate(texts) if pattern.search(t)}
        got_set = set(got)
        top = got[:10]
        want_top = min(10, len(exact))
        rows.append({
            "query": q, "title_matches": len(exact), "returned": len(got), "text_matches": len(anywhere),
            "title_recall": len(got_set & set(exact)) / len(exact) if exact else 1.0,
            "top10_exact": sum(1 for n in top[:want_top] if n in set(exact)) == want_top,
            "top10_phrase": all(n in anywhere for n in top[:min(10, len(anywhere))]),
            "precision": len(got_set & anywhere) / len(got) if got else 1.0,
            "recall": len(got_set & anywhere) / len(anywhere) if anywhere else 1.0,
        })
    return rows


def summarise(rows: list[dict]) -> dict:
    return {
        "queries": len(rows),
        "title_recall_min": min(r["title_recall"] for r in rows),
        "queries_full_title_recall": sum(r["title_recall"] == 1.0 for r in rows),
        "top10_exact": sum(r["top10_exact"] for r in rows),
        "top10_phrase": sum(r["top10_phrase"] for r in rows),
        "precision_mean": statistics.mean(r["precision"] for r in rows),
        "recall_mean": statistics.mean(r["recall"] for r in rows),
        "returned_total": sum(r["returned"] for r in rows),
        "text_matches_total": sum(r["text_matches"] for r in rows),
    }


def apart_phrases(items, texts: list[str], count: int, seed: int) -> tuple[list[str], int]:
    """Three-汉字 phrases 「abc」 drawn from bodies that hold 「ab」 and 「bc」 apart but not 「abc」,
    kept where at least one item holds 「abc」 and the newest-first order of the items holding both
    pairs would put an item without the phrase among the first min(10, holders): the queries that
    need the body-phrase check. Returns (queries, phrases drawn)."""
    rng, out, drawn = random.Random(seed), [], 0
    cjk = re.compile(r"[\u4e00-\u9fff]{2}")
    for _ in range(count * 400):
        if len(out) == count:
            break
        n = rng.randrange(len(items))
        body = fold(plain_text(items[n].body))
        starts = [m.start() for m in cjk.finditer(body)] if len(body) > 3 else []
        if not starts:
            continue
        i = rng.choice(starts)
        a, b = body[i], body[i + 1]
        follow = {body[j + 1] for j in range(len(body) - 1) if body[j] == b and cjk.match(body, j)}
        follow.discard(body[i + 2] if i + 2 < len(body) else "")
        if not follow:
            continue
        query = a + b + rng.choice(sorted(follow))
        if query in out or query in texts[n]:
            continue
        drawn += 1
        pairs = (query[:2], query[1:])
        candidates = [k for k, t in enumerate(texts) if pairs[0] in t and pairs[1] in t]
        holders = {k for k in candidates if query in texts[k]}
        if holders and any(k not in holders for k in candidates[:min(10, len(holders))]):
            out.append(query)
    return out, drawn


def relevance(name: str, catalogue, site: Path, samples: int, use_pagefind: bool, apart: int = 0) -> dict:
    items = catalogue.public_items
    texts = [item_text(i) for i in items]
    if apart:  # only phrases whose pairs are apart in many bodies (see apart_phrases)
        queries, tried = apart_phrases(items, texts, apart, seed=8)
        name += f" pairs apart ({len(queries)} of {tried} drawn)"
    else:
        queries = FIXED_QUERIES + title_phrases([fold(i.title) for i in items], samples, seed=5)
        queries = [q for q in queries if any(phrase_pattern(q).search(fold(i.title)) for i in items)]
        # phrases of bodies too, which titles seldom hold: they test the body-phrase ranking
        drawn = title_phrases([fold(plain_text(i.body)) for i in items], samples // 2, seed=6)
        queries += [q for q in drawn if q not in queries and any(phrase_pattern(q).search(t) for t in texts)]
    report = {"name": name, "items": len(items), "queries": queries}
    report["gkml_rows"] = score(items, queries, gkml_results(site, queries))
    report["gkml"] = summarise(report["gkml_rows"])
    if use_pagefind:
        pf, info = pagefind_results(items, OUT / f"pagefind-{name}", queries)
        report["pagefind_rows"] = score(items, queries, pf)
        report["pagefind"] = {**summarise(report["pagefind_rows"]), **info}
    return report


# ---------------------------------------------------------------------------------------------

def t2s_size() -> dict:
    from gkml.search.fold import t2s_table
    full = "".join(k + v for k, v in sorted(t2s_table().items()))
    return {"pairs": len(t2s_table()), "bytes": len(full.encode())}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[20000, 100000])
    ap.add_argument("--relevance-size", type=int, default=20000)
    ap.add_argument("--samples", type=int, default=44, help="sampled title phrases per relevance run")
    ap.add_argument("--no-pagefind", action="store_true")
    ap.add_argument("--apart", type=int, default=30, help="phrases whose pairs are apart in many bodies (relevance)")
    ap.add_argument("--reuse", action="store_true", help="keep the index of an earlier run (cold queries only)")
    ap.add_argument("--no-default", action="store_true", help="skip the default catalogue's relevance run")
    ap.add_argument("--built-site", type=Path, action="append", default=[],
                    help="cold queries on a site gkml built (item pages, no search/t/: the search reads the pages)")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    use_pagefind = not args.no_pagefind and pagefind_available()
    report: dict = {"machine": {"cpus": os.cpu_count(), "load": os.getloadavg()}, "t2s_full": t2s_size(),
                    "pagefind": use_pagefind, "builds": {}, "cold": {}, "relevance": []}

    if not args.no_default:
        # the default catalogue as committed (the work tree may hold someone's unfinished edits)
        snapshot = OUT / "default-catalogue"
        if snapshot.exists():
            shutil.rmtree(snapshot)
        snapshot.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD", "catalogue"], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(snapshot)], input=archive.stdout, check=True)
        mk = OUT / "mkdocs-default"
        config = OUT / "mkdocs-default.yml"
        config.write_text(f"site_name: 示例区政府信息公开\ndocs_dir: {ROOT / 'pages'}\nsite_dir: {mk}\n"
                          "use_directory_urls: false\ntheme:\n  name: material\n  language: zh\n  font: false\n"
                          f"plugins:\n  - gkml:\n      catalogue: {snapshot / 'catalogue'}\nextra:\n  generator: false\n",
                          encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], env=env, check=True)
        report["cold"]["default site (MkDocs + Material)"] = measure_cold(mk, ["临时救助 办法", "政务公开 工作", "财政 预算"])
        default = load_catalogue(snapshot / "catalogue")[0]
        write_site(default, OUT / "site-default")
        report["relevance"].append(relevance("default", default, OUT / "site-default", 20, use_pagefind))
        print(json.dumps(report["relevance"][-1]["gkml"], ensure_ascii=False), file=sys.stderr)

    for built in args.built_site:
        report["cold"][f"built site {built.name}"] = rows = measure_cold(built, COLD_QUERIES + BODY_COLD_QUERIES)
        for row in rows:
            print(built.name, json.dumps(row, ensure_ascii=False), file=sys.stderr)

    for size in args.sizes:
        root = corpus(size)
        site = OUT / f"site-{size}"
        if not (args.reuse and (site / "search" / "meta.js").exists()):
            if site.exists():
                shutil.rmtree(site)
            (site / "assets").mkdir(parents=True)
            report["builds"][size] = measure_build(root, site)
            print(size, json.dumps(report["builds"][size]), file=sys.stderr)
        for name in ("gkml-search.js", "gkml-search.css"):
            shutil.copy(ROOT / "site-templates" / "assets" / name, site / "assets" / name)
        (site / "search.html").write_text(standalone_html(), encoding="utf-8")
        report["cold"][size] = measure_cold(site, COLD_QUERIES + BODY_COLD_QUERIES)
        for row in report["cold"][size]:
            print(size, json.dumps(row, ensure_ascii=False), file=sys.stderr)
        if size == args.relevance_size:
            for apart in sorted({0, args.apart}):
                report["relevance"].append(relevance(f"c{size}", load(root), site, args.samples, use_pagefind, apart))
                print(json.dumps(report["relevance"][-1]["gkml"], ensure_ascii=False), file=sys.stderr)

    (OUT / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    md = markdown(report)
    (OUT / "report.md").write_text(md, encoding="utf-8")
    print(md)


def markdown(report: dict) -> str:
    lines = ["### Index build (fresh process; catalogue already loaded)", "",
             "| items | wall s | CPU s (both processes) | peak memory added MB | worker process peak MB | terms | shards | files | index MB | text files (t/) | texts MB |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size, b in report["builds"].items():
        lines.append(f"| {b['docs']:,} | {b['wall']:.1f} | {b['cpu']:.1f} | {b['added_mb']:.0f} | "
                     f"{b.get('worker_rss_mb', 0):.0f} | {b['terms']:,} | "
                     f"{b['shards']} (+{b['big']} big) | {b['files']:,} | {b['bytes'] / 1e6:.1f} | "
                     f"{b.get('text_files', 0):,} | {b.get('text_bytes', 0) / 1e6:.1f} |")
    lines += ["", "### Cold two-term queries (fresh Chromium context each, HTTP on 127.0.0.1)", "",
              "| items | query | results | transferred KB (of which facets.js, texts or item pages read) | files (index, texts or item pages) | query→results on screen ms | navigation→facet counts ms | file:// query→results ms |",
              "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for size, rows in report["cold"].items():
        for r in rows:
            found = re.search(r"找到 (\d+)", r["status"])
            lines.append(f"| {size if isinstance(size, str) else format(int(size), ',')} | {r['query']} | {found.group(1) if found else 0} | "
                         f"{r['bytes'] / 1024:.0f} ({r.get('facet_bytes', 0) / 1024:.0f}, {(r.get('text_bytes', 0) + r.get('page_bytes', 0)) / 1024:.0f}) | "
                         f"{r['files']} ({r['index_files']}, {r.get('text_files', 0) + r.get('page_reads', 0)}) | {r['ms']} | {r['since_navigation_ms']} | {r['file_ms']} |")
    lines += ["", "### Relevance", "",
              "| corpus | engine | queries | title recall = 1 | top-10 all exact title matches | top-10 all hold the phrase | mean precision | mean recall | results returned | items holding the phrase |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for rel in report["relevance"]:
        for engine in ("gkml", "pagefind"):
            if engine in rel:
                s = rel[engine]
                lines.append(f"| {rel['name']} ({rel['items']:,}) | {engine} | {s['queries']} | "
                             f"{s['queries_full_title_recall']}/{s['queries']} | {s['top10_exact']}/{s['queries']} | "
                             f"{s['top10_phrase']}/{s['queries']} | "
                             f"{s['precision_mean']:.3f} | {s['recall_mean']:.3f} | {s['returned_total']:,} | "
                             f"{s['text_matches_total']:,} |")
    worst = [(rel["name"], r) for rel in report["relevance"] for r in rel.get("pagefind_rows", [])]
    if worst:
        lines += ["", "Pagefind's widest answers (query: returned / items holding the phrase):", ""]
        for name, r in sorted(worst, key=lambda x: -x[1]["returned"] / max(1, x[1]["text_matches"]))[:5]:
            lines.append(f"- {name} 「{r['query']}」: {r['returned']} / {r['text_matches']}")
    lines += ["", f"Full t2s table: {report['t2s_full']['pairs']} pairs, {report['t2s_full']['bytes'] / 1024:.1f} KB; "
              f"the index ships only the pairs whose simplified form occurs (see meta.js).",
              f"Machine: {report['machine']['cpus']} CPUs, load average at start {report['machine']['load'][0]:.1f}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
