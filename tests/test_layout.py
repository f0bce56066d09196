"""The package's layout by role holds: only the host adapter knows MkDocs, and every folder of
code is in the wheel."""
from __future__ import annotations

import ast
import tomllib

from conftest import REPO

PACKAGE = REPO / "plugins" / "gkml"


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_only_the_host_adapter_imports_mkdocs_or_material():
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "host":
            continue
        hosts = {m for m in imported_modules(path) if m.split(".")[0] in ("mkdocs", "material")}
        if hosts:
            offenders[rel.as_posix()] = sorted(hosts)
    assert offenders == {}
    # and the host adapter does use it (the test would pass vacuously on an empty folder)
    assert any("mkdocs.plugins" in imported_modules(p) for p in (PACKAGE / "host").glob("*.py"))


def test_model_and_pages_are_plain_python():
    for rel in ("catalogue/model.py", "site/pages.py", "site/render.py"):
        assert not {m for m in imported_modules(PACKAGE / rel) if m.startswith(("mkdocs", "material", "click"))}, rel


def test_every_folder_of_code_is_a_packaged_package():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    code = {".".join(("gkml", *p.parent.relative_to(PACKAGE).parts)) for p in PACKAGE.rglob("__init__.py")}
    assert code - listed == set()
    # the shipped folders exist where package-dir says they are
    for package, folder in config["package-dir"].items():
        assert (REPO / folder).is_dir(), package
