"""`gkml init`: a new office's repository that checks and builds as written, and the example."""
from __future__ import annotations

import subprocess

import yaml

from conftest import REPO, run_gkml

CODE = "11350199MB01000012"  # checksum-valid 统一社会信用代码 (the example's government)


def test_new_office_checks_builds_and_carries_its_name(tmp_path):
    office = tmp_path / "office"
    result = run_gkml("init", office, "--name", "测试县人民政府", "--code", CODE)
    assert result.returncode == 0, result.stderr
    assert "catalogue/units/zf.yml" in result.stderr  # the next step names the file to fill in
    site = yaml.safe_load((office / "catalogue" / "site.yml").read_text(encoding="utf-8"))
    assert site["名称"] == "测试县人民政府" and site["平台名称"] == "测试县政府信息公开"
    unit = yaml.safe_load((office / "catalogue" / "units" / "zf.yml").read_text(encoding="utf-8"))
    assert unit["机构代码"] == CODE and unit["类型"] == "县级政府" and set(unit["指南"]) >= {"办公地址", "联系电话"}
    for rel in (".gitignore", ".pre-commit-config.yaml", ".gitlab-ci.yml", "requirements.txt", "README.md",
                "pages/index.md", "catalogue/taxonomy.yml", "catalogue/README.md", "catalogue/holidays.yml"):
        assert (office / rel).is_file(), rel
    assert "示例区" not in (office / "catalogue" / "site.yml").read_text(encoding="utf-8")
    assert "示例区" not in (office / "catalogue" / "units" / "zf.yml").read_text(encoding="utf-8")

    check = run_gkml("check", "--strict", "catalogue", cwd=office)
    assert check.returncode == 0, check.stdout + check.stderr
    build = run_gkml("build", cwd=office)
    assert build.returncode == 0 and "site_url" in build.stderr, build.stderr  # reminded of the address
    home = (office / "site" / "index.html").read_text(encoding="utf-8")
    assert "测试县人民政府" in home and "测试县政府信息公开" in home
    assert "本网站由 gkml 生成" not in home  # docs_dir's fallback page gives way to the generated home page
    assert "示例区" not in home


def test_example_repository_builds_the_example_site(tmp_path):
    demo = tmp_path / "demo"
    assert run_gkml("init", demo, "--example", "--ci", "github").returncode == 0
    assert (demo / ".github" / "workflows" / "publish.yml").is_file() and not (demo / ".gitlab-ci.yml").exists()
    ours = sorted(p.relative_to(REPO / "catalogue").as_posix() for p in (REPO / "catalogue").rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(demo / "catalogue").as_posix() for p in (demo / "catalogue").rglob("*") if p.is_file())
    assert theirs == ours  # the example is catalogue/ itself, whole
    build = run_gkml("build", "--strict", cwd=demo)
    assert build.returncode == 0, build.stderr
    assert "示例区人民政府" in (demo / "site" / "index.html").read_text(encoding="utf-8")


def test_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "notes.txt").write_text("x", encoding="utf-8")
    result = run_gkml("init", tmp_path / "old", "--example")
    assert result.returncode == 1 and "不是空的" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "old").iterdir()) == ["notes.txt"]  # nothing written


def test_missing_or_wrong_values_are_named_without_a_terminal(tmp_path):
    missing = run_gkml("init", tmp_path / "a", "--code", CODE)
    assert missing.returncode == 1 and "--name" in missing.stderr
    wrong = run_gkml("init", tmp_path / "b", "--name", "测试县人民政府", "--code", CODE[:-1] + "3")
    assert wrong.returncode == 1 and "校验位应为 2" in wrong.stderr
    assert wrong.stderr.startswith("错误：--code") and "Error" not in wrong.stderr  # not click's English prefix
    markup = run_gkml("init", tmp_path / "c", "--name", "测试县<b>人民政府", "--code", CODE)
    assert markup.returncode == 1 and "不合适" in markup.stderr
    assert not any((tmp_path / d).exists() for d in "abc")


def test_prompts_in_chinese_on_a_terminal(tmp_path):
    """On a terminal the missing name and code are asked for (a wrong code is asked again)."""
    import os
    import pty
    import select
    import sys
    import time

    from conftest import source_env
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "gkml.cli", "init", str(tmp_path / "t")], stdin=slave,
                            stdout=slave, stderr=slave, env=source_env(NO_COLOR="1"))
    os.close(slave)
    seen = b""

    def until(text: str) -> None:
        nonlocal seen
        deadline = time.monotonic() + 60
        while text.encode() not in seen:
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, f"no «{text}» on the terminal: {seen.decode(errors='replace')}"
            seen += os.read(master, 4096)

    until("本级政府全称")
    os.write(master, "测试镇人民政府\n".encode())
    until("统一社会信用代码")
    os.write(master, b"123\n")
    until("不对")
    os.write(master, f"{CODE}\n".encode())
    assert proc.wait(timeout=60) == 0
    os.close(master)
    assert "名称: 测试镇人民政府" in (tmp_path / "t" / "catalogue" / "site.yml").read_text(encoding="utf-8")


def test_the_address_given_makes_a_strict_build_pass(tmp_path):
    office = tmp_path / "office"
    result = run_gkml("init", office, "--name", "测试县人民政府", "--code", CODE, "--url", "https://xxgk.example.gov.cn/")
    assert result.returncode == 0, result.stderr
    assert "site_url: https://xxgk.example.gov.cn/" in (office / "mkdocs.yml").read_text(encoding="utf-8")
    assert run_gkml("build", "--strict", cwd=office).returncode == 0
    assert (office / "site" / "sitemap.xml").read_text(encoding="utf-8").count("https://xxgk.example.gov.cn/") > 3
    bad = run_gkml("init", tmp_path / "bad", "--name", "测试县人民政府", "--code", CODE, "--url", "xxgk.example")
    assert bad.returncode == 1 and "--url" in bad.stderr and not (tmp_path / "bad").exists()
