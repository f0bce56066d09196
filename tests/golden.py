"""The golden site: what the fixture catalogue must build into, reduced to the parts gkml
itself writes (page bodies and machine outputs), so a Material upgrade does not churn it.
Regenerate only on purpose: python3 scripts/regen_golden.py"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from sitetools import SITE_FIXTURE, all_files, build_site

GOLDEN = Path(__file__).resolve().parent / "golden" / "site"
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>\s*</div>', re.S)
SITE_URL = "https://www.example.org/gk/"
MACHINE = ("feed.xml", "sitemap.xml", "data/items.json", "data/items.csv", "qzf/feed.xml")


def reduce_site(site: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for rel, data in all_files(site).items():
        if rel.endswith(".html") and rel != "404.html":
            m = _ARTICLE.search(data.decode("utf-8"))
            assert m, f"no article in {rel}"
            out[rel] = m.group(1).strip() + "\n"
        elif rel in MACHINE:
            out[rel] = data.decode("utf-8")
    return out


def build_reduced() -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        site, result = build_site(SITE_FIXTURE, Path(tmp), "site", SITE_URL)  # an address: feeds and sitemap
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
        return reduce_site(site)


def read_golden() -> dict[str, str]:
    return {p.relative_to(GOLDEN).as_posix(): p.read_bytes().decode("utf-8")
            for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
