"""The three ways of building the same corpus: gkml (MkDocs + the gkml plugin), plain MkDocs + Material, Hugo."""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import ROOT


SOURCE = ROOT  # where gkml's plugins/, site-templates/ and mkdocs.yml are taken from; see use_source()


def use_source(rev: str, work: Path) -> str:
    """Build with gkml as committed at `rev` (exported with git archive into `work`, so that other
    engineers' edits to the shared working tree cannot change the code mid-benchmark), or with the
    working tree itself for rev "worktree". Returns a description for the report."""
    global SOURCE
    if rev == "worktree":
        SOURCE = ROOT
        dirty = subprocess.run(["git", "status", "--porcelain", "plugins", "site-templates", "mkdocs.yml"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        head = _rev_parse("HEAD")
        return f"working tree at {head[:10]}" + (" (with uncommitted changes)" if dirty else "")
    commit = _rev_parse(rev)
    target = (work / f"gkml-src-{commit[:10]}").absolute()
    if not (target / "mkdocs.yml").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    SOURCE = target
    return f"commit {commit[:10]}"


def _rev_parse(rev: str) -> str:
    return subprocess.run(["git", "rev-parse", rev], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def build_env() -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SOURCE / "plugins"), env.get("PYTHONPATH", "")) if p)
    return env


def gkml_config(catalogue: Path, site: Path) -> Path:
    """A config next to the corpus: gkml's own mkdocs.yml with the plugin's catalogue pointed at the corpus and every
    relative path that exists in the source tree (docs_dir, plugin options such as manual:) made absolute."""
    import yaml
    config = yaml.safe_load((SOURCE / "mkdocs.yml").read_text(encoding="utf-8"))

    def absolute(value):
        if isinstance(value, str) and value and not os.path.isabs(value) and (SOURCE / value).exists():
            return str(SOURCE / value)
        if isinstance(value, dict):
            return {k: absolute(v) for k, v in value.items()}
        if isinstance(value, list):
            return [absolute(v) for v in value]
        return value

    config = {k: absolute(v) for k, v in config.items() if k != "site_dir"}
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "gkml" in plugin:
            plugin["gkml"]["catalogue"] = str(catalogue.absolute())
    config["site_dir"] = str(site.absolute())
    path = catalogue.parent / "gkml-mkdocs.yml"
    path.write_text(f"# Written by scripts/bench from {SOURCE / 'mkdocs.yml'} for a generated corpus.\n"
                    + yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def gkml_missing() -> str | None:
    """Why the gkml engine cannot run yet, or None."""
    if not (SOURCE / "mkdocs.yml").exists():
        return "not available yet (no mkdocs.yml)"
    sys.path.insert(0, str(SOURCE / "plugins"))
    try:
        if importlib.util.find_spec("gkml.host.plugin") is None:
            return "not available yet (no gkml.host.plugin)"
    finally:
        sys.path.pop(0)
    return None


def _hugo_missing() -> str | None:
    return None if shutil.which("hugo") else "hugo not installed (apt-get install -y hugo)"


@dataclass(frozen=True)
class Engine:
    name: str
    label: str
    flavour: str  # the corpus folder it builds (gen_corpus.py --flavour)
    command: Callable[[Path, Path], list[str]]  # (corpus folder, site folder) -> argv
    missing: Callable[[], str | None]


def _gkml_cmd(corpus: Path, site: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(gkml_config(corpus, site)), "-d", str(site.absolute())]


def _mkdocs_cmd(corpus: Path, site: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(corpus / "mkdocs.yml"), "-d", str(site.absolute())]


def _hugo_cmd(corpus: Path, site: Path) -> list[str]:
    return ["hugo", "--quiet", "--source", str(corpus.absolute()), "--destination", str(site.absolute())]


ENGINES = {
    "gkml": Engine("gkml", "gkml (MkDocs + gkml plugin)", "gkml", _gkml_cmd, gkml_missing),
    "mkdocs": Engine("mkdocs", "MkDocs + Material", "mkdocs", _mkdocs_cmd, lambda: None),
    "hugo": Engine("hugo", "Hugo", "hugo", _hugo_cmd, _hugo_missing),
}
