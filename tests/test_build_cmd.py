"""`gkml build`: the MkDocs build with mkdocs' flags, diagnostics in the `gkml check` format."""
from __future__ import annotations

import shutil

from conftest import run_gkml, source_env
from sitetools import SITE_FIXTURE, write_config


def test_build_prints_diagnostics_like_check_and_fails_without_touching_the_site(tmp_path):
    catalogue = tmp_path / "catalogue"
    shutil.copytree(SITE_FIXTURE, catalogue)
    config = write_config(catalogue, tmp_path / "out", tmp_path)
    ok = run_gkml("build", "-f", config)
    assert ok.returncode == 0, ok.stderr
    assert "网站已生成" in ok.stderr and str(tmp_path / "out") in ok.stderr
    assert "items/qzf/2025/00008.md:1: 警告: 主动公开的信息没有保密审查记录" in ok.stderr
    index = (tmp_path / "out" / "index.html").read_bytes()
    item = catalogue / "items/qczj/2025/00001.md"
    item.write_text(item.read_text(encoding="utf-8").replace("栏目: bmyjs", "栏目: nosuch"), encoding="utf-8")
    bad = run_gkml("build", "-f", config)
    assert bad.returncode == 1
    assert "items/qczj/2025/00001.md:8: 错误: 统一目录中没有栏目「nosuch」 (栏目)" in bad.stderr
    assert "网站没有生成，原有网站保持不变" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert (tmp_path / "out" / "index.html").read_bytes() == index


def test_strict_flag_and_site_dir_flag(tmp_path):
    config = write_config(SITE_FIXTURE, tmp_path / "unused", tmp_path)
    strict = run_gkml("build", "-f", config, "--strict", "-d", tmp_path / "elsewhere")
    assert strict.returncode == 1  # the fixture's unreviewed item is a warning
    assert not (tmp_path / "elsewhere" / "index.html").exists()
    plain = run_gkml("build", "-f", config, "-d", tmp_path / "elsewhere")
    assert plain.returncode == 0 and (tmp_path / "elsewhere" / "index.html").exists()
    assert not (tmp_path / "unused").exists()


def test_quiet_build_prints_only_errors(tmp_path):
    config = write_config(SITE_FIXTURE, tmp_path / "out", tmp_path)
    quiet = run_gkml("-q", "build", "-f", config)
    assert quiet.returncode == 0 and quiet.stderr.strip() == ""


def _on_a_terminal(args, env) -> str:
    """Run with stderr on a pseudo-terminal, as an editor at a console would; what it printed."""
    import os
    import pty
    import subprocess
    import sys
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "gkml.cli", *map(str, args)], stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=300)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bars_only_on_a_terminal_and_never_when_quiet(tmp_path):
    import os
    from sitetools import REPO
    config = write_config(SITE_FIXTURE, tmp_path / "out", tmp_path)
    env = source_env(NO_COLOR="1")
    tty = _on_a_terminal(["build", "-f", config], env)
    assert "生成页面" in tty and "100%" in tty
    quiet = _on_a_terminal(["-q", "build", "-f", config], env)
    assert "生成页面" not in quiet
    piped = run_gkml("build", "-f", config)
    assert "生成页面" not in piped.stderr and "\x1b[" not in piped.stderr
    check = _on_a_terminal(["check", REPO / "catalogue"], env)
    assert "读取条目" in check
