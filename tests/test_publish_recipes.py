"""The publishing recipes in docs/publish/ and the git hooks, tested as far as this machine can:
the CI files parse and name the right commands, whose gkml commands are then run for real in an
editors' repository (passing on good content, failing on a bad item); the rsync script deploys a
real build with --delete-after and refuses to deploy when the build fails; the pre-commit hook
stops a commit of a bad item."""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import MINI, REPO, source_env, write_item
from sitetools import write_config

PUBLISH = REPO / "docs" / "publish"
BAD_ITEM = {"索引号": "11350199MB0300003D/2025-00009", "标题": "缺少生成日期的信息", "公开方式": "主动公开"}


@pytest.fixture
def shell_env(tmp_path: Path) -> dict:
    """An environment whose `gkml` is this working tree's, as an installed gkml would be."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "gkml"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gkml.cli "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return source_env(PATH=f"{bin_dir}:{os.environ['PATH']}", NO_COLOR="1", NO_MKDOCS_2_WARNING="1")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An editors' repository: catalogue/ and mkdocs.yml at its root."""
    root = tmp_path / "content"
    shutil.copytree(MINI, root / "catalogue")
    write_config(root / "catalogue", root / "site", root, site_url="https://xxgk.example.gov.cn/")  # --strict wants the address
    return root


def sh(command: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def github_steps() -> tuple[dict, list[str]]:
    wf = yaml.safe_load((PUBLISH / "github-actions.yml").read_text(encoding="utf-8"))
    return wf, [s["run"] for s in wf["jobs"]["build"]["steps"] if "run" in s]


def gitlab_jobs() -> dict:
    return yaml.safe_load((PUBLISH / "gitlab-ci.yml").read_text(encoding="utf-8"))


def runs_at(steps: list[dict], command: str) -> int:
    return next(n for n, s in enumerate(steps) if s.get("run") == command)


def test_github_actions_recipe_names_the_right_steps():
    wf, runs = github_steps()
    triggers = wf[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"] == {"branches": ["main"]} and "pull_request" in triggers
    steps = wf["jobs"]["build"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    assert runs.index("gkml check --strict catalogue") < runs.index("gkml build --strict -f mkdocs.yml -d site")
    pages = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert pages["with"]["path"] == "site"  # what `gkml build -d site` wrote
    deploy = wf["jobs"]["deploy"]
    assert deploy["needs"] == "build" and "pull_request" in deploy["if"]
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == "~/.cache/gkml" and steps.index(cache) < runs_at(steps, "gkml check --strict catalogue")


def test_gitlab_ci_recipe_names_the_right_steps():
    ci = gitlab_jobs()
    assert ci["variables"]["GIT_DEPTH"] == "0"
    assert "gkml check --strict catalogue" in ci["check"]["script"]
    assert ci["pages"]["script"][0] == "gkml build --strict -f mkdocs.yml -d public"
    assert "public" in ci["pages"]["artifacts"]["paths"]
    assert ci["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert ci["stages"].index(ci["check"]["stage"]) < ci["stages"].index(ci["pages"]["stage"])
    assert ci["variables"]["GKML_CACHE_DIR"] == "$CI_PROJECT_DIR/.cache/gkml" and ".cache/gkml" in ci["cache"]["paths"]


def recipe_commands() -> list[tuple[str, str, str]]:
    """(recipe, command, what it must leave behind) for every gkml command of both recipes."""
    _, runs = github_steps()
    ci = gitlab_jobs()
    out = [("github", c, "") for c in runs if c.startswith("gkml ")]
    out += [("gitlab", c, "") for c in ci["check"]["script"] + ci["pages"]["script"] if c.startswith("gkml ")]
    made = {"-d site": "site/index.html", "-d public": "public/index.html", "-d build-preview": "build-preview/index.html",
            "-o offline-copy.zip": "offline-copy.zip"}
    return [(r, c, next((f for flag, f in made.items() if flag in c), "")) for r, c, _ in out]


def test_recipe_commands_publish_good_content(repo, shell_env):
    commands = recipe_commands()
    assert len(commands) == 7
    for recipe, command, made in commands:
        result = sh(command, repo, shell_env)
        assert result.returncode == 0, (recipe, command, result.stderr)
        if made:
            assert (repo / made).is_file(), (recipe, command)
    assert "示例区财政局2025年部门预算" in (repo / "public/item/11350199MB0300003D/2025-00001.html").read_text(encoding="utf-8")


def test_recipe_commands_stop_a_bad_item(repo, shell_env):
    write_item(repo / "catalogue", "qczj/2025/00009.md", BAD_ITEM)
    for recipe, command, made in recipe_commands():
        result = sh(command, repo, shell_env)
        assert result.returncode != 0, (recipe, command)
        assert "items/qczj/2025/00009.md" in result.stdout + result.stderr, (recipe, command)
        if made:
            assert not (repo / made).exists(), (recipe, command)


def test_rsync_script_deploys_with_delete_after(repo, shell_env, tmp_path):
    script = PUBLISH / "deploy-rsync.sh"
    assert "--delete-after" in script.read_text(encoding="utf-8") and os.access(script, os.X_OK)
    live = tmp_path / "www" / "gkml"
    live.mkdir(parents=True)
    (live / "stale.html").write_text("上一次部署留下的旧页面", encoding="utf-8")
    result = sh(f"{shlex.quote(str(script))} {shlex.quote(str(live))}/", repo, shell_env)
    assert result.returncode == 0, result.stderr
    assert f"已部署到 {live}/" in result.stdout
    assert (live / "index.html").is_file() and not (live / "stale.html").exists()
    pdf = "item/11350199MB0300003D/2025-00001/00001/预算表.pdf"
    assert (live / pdf).read_bytes() == (MINI / "items/qczj/2025/00001/预算表.pdf").read_bytes()
    assert oct((live / "index.html").stat().st_mode & 0o777) == "0o644"

    before = {p: p.read_bytes() for p in live.rglob("*") if p.is_file()}
    write_item(repo / "catalogue", "qczj/2025/00009.md", BAD_ITEM)
    result = sh(f"{shlex.quote(str(script))} {shlex.quote(str(live))}/", repo, shell_env)
    assert result.returncode == 1
    assert "网站生成失败，没有部署，线上网站保持不变" in result.stderr and "items/qczj/2025/00009.md" in result.stderr
    assert {p: p.read_bytes() for p in live.rglob("*") if p.is_file()} == before


def test_rsync_script_explains_its_usage(repo, shell_env):
    result = sh(shlex.quote(str(PUBLISH / "deploy-rsync.sh")), repo, shell_env)
    assert result.returncode != 0 and "用法：deploy-rsync.sh 目标目录" in result.stderr


def git(repo: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=120)


def test_pre_commit_hooks_file_and_git_hook_stop_a_bad_commit(repo, shell_env):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert len(hooks) == 1
    hook = hooks[0]
    assert (hook["id"], hook["entry"], hook["language"], hook["pass_filenames"]) == \
        ("gkml-check", "gkml check --strict", "python", False)
    env = {**shell_env, "GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "editor@example.gov.cn",
           "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "editor@example.gov.cn"}
    assert sh(hook["entry"], repo, env).returncode == 0  # what pre-commit runs, in the repository root

    git(repo, env, "init", "-q", "-b", "main")
    shutil.copyfile(PUBLISH / "pre-commit", repo / ".git" / "hooks" / "pre-commit")
    (repo / ".git" / "hooks" / "pre-commit").chmod(0o755)
    git(repo, env, "add", "catalogue", "mkdocs.yml")
    first = git(repo, env, "commit", "-q", "-m", "目录初始内容")
    assert first.returncode == 0, first.stderr

    bad = write_item(repo / "catalogue", "qczj/2025/00009.md", BAD_ITEM)
    git(repo, env, "add", "catalogue")
    refused = git(repo, env, "commit", "-q", "-m", "新增一条信息")
    assert refused.returncode != 0
    assert "提交被拒绝" in refused.stderr and "catalogue/items/qczj/2025/00009.md" in refused.stdout + refused.stderr
    assert sh(hook["entry"], repo, env).returncode == 1
    assert git(repo, env, "rev-list", "--count", "HEAD").stdout.strip() == "1"

    bad.unlink()
    git(repo, env, "add", "-A", "catalogue")
    assert git(repo, env, "commit", "-q", "--allow-empty", "-m", "撤回").returncode == 0
