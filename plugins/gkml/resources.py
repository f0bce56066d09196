"""Where the files gkml ships beside its code live.

In a wheel they are package data: the theme (templates and assets, from the repository's
site-templates/), the example catalogue (from catalogue/), the editors' manual (from docs/editors/),
the publishing recipes (docs/publish/) and the docs_dir page (pages/), mapped into the package by pyproject.toml. In a source checkout (tests,
`pip install -e .`) the same folders are read where they are, so there is one copy of each.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = PACKAGE.parents[1]  # plugins/gkml -> the repository root


def _shipped(packaged: str, checkout: str) -> Path:
    inside = PACKAGE / packaged
    return inside if inside.is_dir() else _CHECKOUT / checkout


def theme_dir() -> Path:
    """Templates and assets: Material overrides at the top, fragment templates in gkml/."""
    return _shipped("theme", "site-templates")


def example_dir() -> Path:
    """The fictional 示例区 catalogue (`gkml init --example`)."""
    return _shipped("example", "catalogue")


def pages_dir() -> Path:
    """docs_dir of a new repository: the page a host that skips the plugin shows instead."""
    return _shipped("pages", "pages")


def recipes_dir() -> Path:
    """CI recipes (GitLab CI, GitHub Actions) an office copies into its repository."""
    return _shipped("recipes", "docs/publish")


def manual_dir() -> Path:
    """The editors' manual, published under 编辑手册."""
    return _shipped("manual", "docs/editors")
