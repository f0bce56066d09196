"""Benchmark kit for gkml: corpus generation, baseline sites (MkDocs, Hugo) and measurement helpers.

Used by scripts/gen_corpus.py, scripts/bench_build.py and scripts/bench_incremental.py.
"""
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ROOT / "plugins"
if str(PLUGINS) not in sys.path:  # the scripts run from a checkout without installing gkml
    sys.path.insert(0, str(PLUGINS))
