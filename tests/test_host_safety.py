"""Safe under any host: a config or host that skips the gkml plugin publishes nothing from the
catalogue; gkml's own settings and templates behave as an office expects."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_gkml
from sitetools import SITE_FIXTURE, all_files, mkdocs_build, write_config

CODE = "11350199MB01000012"


def non_public_markers(catalogue: Path) -> list[str]:
    """Titles of the items that must never be published (依申请公开, 不予公开, drafts, unreviewed)."""
    markers = []
    for path in (catalogue / "items").rglob("*.md"):
        text = path.read_text(encoding="utf-8-sig")
        meta = yaml.safe_load(text.split("---", 2)[1])
        if meta.get("公开方式") != "主动公开" or meta.get("草稿") or not meta.get("保密审查"):
            markers.append(meta["标题"])
    return markers


def without_plugin(config: Path) -> Path:
    """The same config with the `- gkml` entry removed, as a host that ignores the plugin reads it."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["plugins"] = [p for p in data.get("plugins", []) if not (p == "gkml" or isinstance(p, dict) and "gkml" in p)]
    plain = config.with_name("plain.yml")
    plain.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return plain


def assert_nothing_from(catalogue: Path, site: Path) -> None:
    files = all_files(site)
    assert not [name for name in files if name.endswith((".yml", ".yaml"))]
    assert not [name for name in files if name.startswith(("items/", "units/", "requests/", "reports/"))]
    blob = b"\n".join(files.values()).decode("utf-8", "replace")
    leaked = [m for m in non_public_markers(catalogue) if m in blob]
    assert not leaked
    unit_names = [yaml.safe_load(p.read_text(encoding="utf-8"))["名称"] for p in (catalogue / "units").glob("*.yml")]
    assert not [n for n in unit_names if n in blob]  # nothing of the catalogue at all


def test_default_site_without_the_plugin_publishes_nothing_of_the_catalogue(tmp_path):
    markers = non_public_markers(REPO / "catalogue")
    assert len(markers) >= 3  # the example holds 依申请公开, 不予公开 and draft items to leak
    shutil.copytree(REPO, tmp_path / "repo", ignore=shutil.ignore_patterns(".git", "site", "artifacts", "bench-out"))
    plain = without_plugin(tmp_path / "repo" / "mkdocs.yml")
    result = mkdocs_build(plain, "--site-dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "本网站由 gkml 生成" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert_nothing_from(REPO / "catalogue", tmp_path / "out")


def test_zensical_publishes_nothing_of_the_catalogue(tmp_path):
    """Material's successor reads mkdocs.yml but runs no third-party plugin."""
    shutil.copytree(REPO, tmp_path / "repo", ignore=shutil.ignore_patterns(".git", "site", "artifacts", "bench-out"))
    result = subprocess.run([sys.executable, "-m", "zensical", "build"], cwd=tmp_path / "repo", capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "本网站由 gkml 生成" in (tmp_path / "repo" / "site" / "index.html").read_text(encoding="utf-8")
    assert_nothing_from(REPO / "catalogue", tmp_path / "repo" / "site")


def test_new_office_without_the_plugin_publishes_nothing_of_the_catalogue(tmp_path):
    office = tmp_path / "office"
    assert run_gkml("init", office, "--name", "测试县人民政府", "--code", CODE).returncode == 0
    result = mkdocs_build(without_plugin(office / "mkdocs.yml"), "--site-dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert_nothing_from(office / "catalogue", tmp_path / "out")


def test_a_misspelt_plugin_fails_instead_of_publishing(tmp_path):
    config = write_config(SITE_FIXTURE, tmp_path / "out", tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("  - gkml:", "  - gmkl:"), encoding="utf-8")
    result = mkdocs_build(config)
    assert result.returncode != 0 and not (tmp_path / "out").exists()


@pytest.mark.parametrize("docs_dir", ["catalogue", "."])
def test_catalogue_as_docs_dir_is_refused_with_the_fix(tmp_path, docs_dir):
    shutil.copytree(SITE_FIXTURE, tmp_path / "catalogue")
    config = write_config(tmp_path / "catalogue", tmp_path / "out", tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("docs_dir: pages", f"docs_dir: {docs_dir}"),
                      encoding="utf-8")
    result = run_gkml("build", "-f", config)
    if docs_dir == ".":  # MkDocs refuses its own config folder first; either way nothing is built
        assert result.returncode == 1 and not (tmp_path / "out").exists()
        return
    assert result.returncode == 1 and "docs_dir" in result.stderr and "catalogue: catalogue" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


@pytest.mark.parametrize("setting, shown", [
    ("page_size: 0", "page_size：应不小于 1"),
    ("page_size: -1", "page_size：应不小于 1"),
    ("page_size: 二十", "page_size：应为整数"),
    ("page_size: true", "page_size：应为整数"),
    ("offline_pages: 0", "offline_pages：应不小于 1"),
    ("history: 是", "history：应为 true 或 false"),
    ("templates: 没有这个文件夹", "templates：文件夹「没有这个文件夹」不存在"),
    ("year: 25", "year：应为四位年份"),
])
def test_settings_errors_are_chinese_messages(tmp_path, setting, shown):
    config = write_config(SITE_FIXTURE, tmp_path / "out", tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("      history: false\n", f"      {setting}\n"),
                      encoding="utf-8")
    result = run_gkml("build", "-f", config)
    assert result.returncode == 1 and f"gkml 插件的设置 {shown}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "Config value" not in result.stderr


def test_missing_catalogue_folder_says_how_to_start(tmp_path):
    config = write_config(tmp_path / "nowhere", tmp_path / "out", tmp_path)
    result = run_gkml("build", "-f", config)
    assert result.returncode == 1 and "catalogue：文件夹" in result.stderr and "gkml init" in result.stderr


def test_an_office_overrides_templates_and_assets_from_its_custom_dir(tmp_path):
    custom = tmp_path / "overrides"
    (custom / "gkml").mkdir(parents=True)
    (custom / "assets").mkdir()
    shipped = (REPO / "site-templates" / "gkml" / "home.html").read_text(encoding="utf-8")
    (custom / "gkml" / "home.html").write_text("<p>本单位自己的首页模板</p>\n" + shipped, encoding="utf-8")
    (custom / "assets" / "gkml.css").write_text("/* 本单位的样式 */\n", encoding="utf-8")
    config = write_config(SITE_FIXTURE, tmp_path / "out", tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material\n", f"  name: material\n  custom_dir: {custom}\n"),
                      encoding="utf-8")
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    assert "本单位自己的首页模板" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "assets" / "gkml.css").read_text(encoding="utf-8") == "/* 本单位的样式 */\n"
    # the other shipped templates and assets are still there
    assert (tmp_path / "out" / "assets" / "gkml-search.js").is_file()


def test_build_tells_when_material_support_ends(tmp_path):
    config = write_config(SITE_FIXTURE, tmp_path / "out", tmp_path)
    result = run_gkml("build", "-f", config)
    assert result.returncode == 0 and "2027年5月5日" in result.stderr and "Zensical" in result.stderr
