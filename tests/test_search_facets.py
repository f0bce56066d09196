"""facets.js: per-document facet values in context-dependent canonical Huffman codes (facets.py).
Read back by an independent Python reader and, in Chromium, by gkml-search.js itself."""
from __future__ import annotations

import math
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from sitetools import browser, serve

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "search"))
import searchtools as st  # noqa: E402

from gkml.search import write_search_index  # noqa: E402
from gkml.search.encode import ALPHABET, decode_varints  # noqa: E402
from gkml.search.facets import canonical_codes, facet_tables, huffman_lengths  # noqa: E402


# ---- an independent reader of the format --------------------------------------------------------

def _tables(text: str) -> list[dict[str, int]]:
    """Per context: bit string of the code -> symbol ("" for a context of one symbol)."""
    numbers, at, out = decode_varints(text), 0, []
    while at < len(numbers):
        k, at = numbers[at], at + 1
        lengths, symbol = {}, -1
        for _ in range(k):
            symbol += numbers[at] + 1
            lengths[symbol] = numbers[at + 1]
            at += 2
        code, previous, table = 0, 0, {}
        for s, length in sorted(lengths.items(), key=lambda kv: (kv[1], kv[0])):
            code <<= length - previous
            table[format(code, f"0{length}b") if length else ""] = s
            code, previous = code + 1, length
        out.append(table)
    return out


def read_facets(data: dict, labels: dict, count: int) -> list[tuple[str, str, tuple, str, str]]:
    """(unit id, column code, topic, genre, validity) of documents 0..count-1."""
    bits = "".join(format(ALPHABET.index(ch), "06b") for ch in data["docs"])
    at = 0

    def read(table: dict[str, int]) -> int:
        nonlocal at
        for end in range(at, len(bits) + 1):
            if bits[at:end] in table:
                symbol, at = table[bits[at:end]], end
                return symbol
        raise AssertionError("no code matches")

    mtf, cols, topics, gvs = (_tables(data[k]) for k in ("mtf", "col", "topic", "gvCodes"))
    order, out = list(range(len(labels["unit"]))), []
    for _ in range(count):
        unit = order.pop(read(mtf[0]))
        order.insert(0, unit)
        col, topic = read(cols[unit]), read(topics[unit])
        genre, valid = data["gv"][read(gvs[col])]
        out.append((labels["unit"][unit][0], labels["col"][col][0], tuple(labels["topic"][topic]),
                    labels["genre"][genre], labels["valid"][valid]))
    assert len(bits) - at < 6, "bits left over"
    return out


def _expected(item) -> tuple[str, str, tuple, str, str]:
    return item.unit_id, item.column, item.topic or ("", ""), item.genre, item.validity


def _in_runs(catalogue, run: int = 7, seed: int = 4):
    """Units in runs of `run` consecutive documents (as when a unit publishes a batch at once)."""
    rng, units = random.Random(seed), sorted(catalogue.units)
    for n, item in enumerate(catalogue.public_items):
        if n % run == 0:
            unit = rng.choice(units)
        item.unit_id = unit
    return catalogue


@pytest.fixture(scope="module")
def varied():
    return st.varied_catalogue()


@pytest.mark.parametrize("which", ["mini", "varied", "runs"])
def test_facets_describe_every_document(which, tmp_path):
    catalogue = {"mini": st.mini_catalogue, "varied": st.varied_catalogue,
                 "runs": lambda: _in_runs(st.varied_catalogue())}[which]()
    write_search_index(catalogue, tmp_path)
    index = st.IndexReader(tmp_path / "search")
    facets, labels, items = index.load("facets.js"), index.meta["labels"], catalogue.public_items
    assert read_facets(facets, labels, len(items)) == [_expected(i) for i in items]
    for n, item in enumerate(items):
        assert [y for y, first in facets["years"] if first <= n][-1] == item.published.year


@pytest.mark.parametrize("seed", range(6))
def test_codes_are_complete_prefix_codes_within_one_bit_of_the_entropy(seed):
    rng = random.Random(seed)
    counts = {s: rng.choice((1, 2, 3, 50, 400, 7000)) for s in rng.sample(range(200), rng.randint(2, 120))}
    lengths = huffman_lengths(counts)
    assert sum(2.0 ** -length for length in lengths.values()) == 1.0  # Kraft: complete
    codes = [format(c, f"0{n}b") for c, n in canonical_codes(lengths).values()]
    assert not [a for a in codes for b in codes if a != b and b.startswith(a)]  # prefix-free
    total = sum(counts.values())
    entropy = -sum(n * math.log2(n / total) for n in counts.values())
    assert entropy <= sum(counts[s] * lengths[s] for s in counts) < entropy + total
    assert huffman_lengths({9: 40}) == {9: 0}


def test_never_longer_than_fixed_widths_in_the_same_contexts(varied):
    """Per context the Huffman code is no longer than the fixed-width code of its symbols."""
    items = varied.public_items
    labels, data = facet_tables(varied, items)
    unit_ix = {u[0]: n for n, u in enumerate(labels["unit"])}
    col_ix = {c[0]: n for n, c in enumerate(labels["col"])}
    seen: dict[str, defaultdict] = {k: defaultdict(set) for k in ("col", "topic", "gv")}
    uses: dict[str, Counter] = {k: Counter() for k in seen}
    for item in items:
        unit, col = unit_ix[item.unit_id], col_ix[item.column]
        for kind, context, value in (("col", unit, col), ("topic", unit, item.topic), ("gv", col,
                                                                                      (item.genre, item.validity))):
            seen[kind][context].add(value)
            uses[kind][context] += 1
    fixed = sum(uses[k][c] * (len(v) - 1).bit_length() for k in seen for c, v in seen[k].items())
    fixed += len(items) * (len(labels["unit"]) - 1).bit_length()
    assert len(data["docs"]) * 6 <= fixed + 5


def test_a_unit_publishing_in_runs_costs_little(varied):
    """Move-to-front: the unit of the document before is rank 0, a short code."""
    plain = facet_tables(varied, varied.public_items)[1]
    runs = _in_runs(st.varied_catalogue())
    batched = facet_tables(runs, runs.public_items)[1]
    mtf = _tables(batched["mtf"])[0]
    assert len(min(mtf, key=len)) == 1 and mtf[min(mtf, key=len)] == 0
    # 4 units: 2 bits each drawn at random; in runs of 7, 6 in 7 cost 1 bit
    assert len(batched["docs"]) * 6 < len(plain["docs"]) * 6 - len(runs.public_items) * 0.5


@pytest.mark.browser
@pytest.mark.parametrize("which", ["varied", "runs"])
def test_the_search_script_reads_every_documents_values(which, tmp_path):
    """In Chromium, filtering all documents by each value of each facet gives exactly the documents
    that have it: gkml-search.js decodes every document's profile as the builder wrote it."""
    catalogue = st.varied_catalogue() if which == "varied" else _in_runs(st.varied_catalogue())
    items = catalogue.public_items
    out = st.write_harness(catalogue, tmp_path)
    want: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for n, item in enumerate(items):
        want["unit"][item.unit_id].append(n)
        want["col"][item.column].append(n)
        want["genre"][item.genre].append(n)
        want["valid"][item.validity].append(n)
        topic = item.topic or ("", "")
        want["topic"][topic[0]].append(n)
        if topic[1]:
            want["topic"][f"{topic[0]}/{topic[1]}"].append(n)
    # an empty value is no filter: its documents are those in no other value's list
    want = {k: {value: docs for value, docs in v.items() if value} for k, v in want.items()}
    script = """want => Promise.all(Object.keys(want).map(facet => Promise.all(Object.keys(want[facet]).map(
        value => gkmlSearch.search('', {[facet]: value}).then(r => [facet, value, r.docs])))))
        .then(all => { const got = {}; all.flat().forEach(([f, v, d]) => { (got[f] = got[f] || {})[v] = d; });
                       return got; })"""
    with browser() as chromium, serve(out) as url:
        page = chromium.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}/search.html")
        page.wait_for_function("window.gkmlSearch !== undefined")
        got = page.evaluate(script, want)
    assert errors == []
    assert got == want
