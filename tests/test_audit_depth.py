"""Audit depth: 政策解读 coverage, backdating against git (补录), the roll-up naming the units it
left out, and hand-typed 年报 items (reported where gkml could compute them; tables checked)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

from conftest import REPO, front_matter, line_of, run_cli, write_item
from test_annual_helpers import annual, build, write  # noqa: F401
from test_audit_fixture import AS_OF, FIXTURE, findings, set_audit_config

from gkml.audit import run_audit


def test_interpretation_coverage_per_unit(tmp_path):
    result = run_audit(FIXTURE, as_of=AS_OF)
    missing = findings(result, "interpretation-missing")
    assert [(f.unit, f.file) for f in missing] == [("qzf", "items/qzf/2025/00003.md"), ("qzf", "items/qzf/2025/00011.md")]
    [ratio] = findings(result, "interpretation-ratio")
    assert ratio.details == {"documents": 4, "interpreted": 2, "share": 0.5}
    assert "解读比例 50%，低于 100%" in ratio.message
    assert result.context.coverage == {"qzf": (2, 4), "qczj": (1, 1)}  # 废止/失效 documents are not counted
    root = tmp_path / "catalogue"
    shutil.copytree(FIXTURE, root)
    set_audit_config(root, "自查:\n  解读比例: 0.5\n")
    lenient = run_audit(root, as_of=AS_OF)
    assert findings(lenient, "interpretation-ratio") == [] and len(findings(lenient, "interpretation-missing")) == 2


def _git(root, *args, when: str | None = None):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    if when:
        env |= {"GIT_AUTHOR_DATE": f"{when}T12:00:00", "GIT_COMMITTER_DATE": f"{when}T12:00:00"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def _dhz_item(serial: int, published: str) -> dict:
    return {"索引号": f"11350199MB0600006E/2025-{serial:05d}", "标题": f"东湖镇补录测试{serial}", "内容概述": "测试。",
            "生成日期": published, "发布日期": published, "发布机构": "示例区东湖镇人民政府", "栏目": "nyzc",
            "主题分类": "农业、林业、水利/农业、畜牧业、渔业", "体裁": "其他", "有效性": "有效", "公开方式": "主动公开",
            "保密审查": {"审查人": "审查员", "日期": published}}


def test_backdating_against_the_first_commit(tmp_path):
    root = tmp_path / "catalogue"
    shutil.copytree(FIXTURE, root)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "上线", when="2025-01-02")  # go-live: older items are history typed in
    write_item(root, "dhz/2025/00090.md", _dhz_item(90, "2025-03-03"))  # typed in three months later
    write_item(root, "dhz/2025/00091.md", _dhz_item(91, "2025-05-28"))  # within 7 days: fine
    write_item(root, "dhz/2025/00092.md", "# 导入键: 0123456789abcdef\n" + front_matter(_dhz_item(92, "2025-02-03")))
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "补录", when="2025-06-03")
    result = run_audit(root, as_of=AS_OF)
    [late] = findings(result, "backdated")
    assert (late.file, late.line) == ("items/dhz/2025/00090.md", line_of(root / "items/dhz/2025/00090.md", "发布日期"))
    assert late.details == {"published": "2025-03-03", "committed": "2025-06-03", "days": 92}
    assert "2025-06-03 才第一次提交到目录，晚了 92 天" in late.message
    [migrated] = findings(result, "backdated-migrated")
    assert migrated.unit == "dhz" and migrated.details["files"] == ["items/dhz/2025/00092.md"]
    set_audit_config(root, "自查:\n  补录天数: 100\n")
    assert findings(run_audit(root, as_of=AS_OF), "backdated") == []
    set_audit_config(root, "自查:\n  上线日期: 2025-04-01\n")
    assert findings(run_audit(root, as_of=AS_OF), "backdated") == []  # published before going live


def test_rollup_names_the_units_it_left_out(annual):
    write(annual, "requests/dhz/2025.yml", "申请: []\n")
    reports, _ = build(annual)
    rollup = reports["qzf-2025-huizong"]
    assert rollup.members == ("qzf", "qczj")
    assert rollup.left_out == {
        "示例区东湖镇人民政府": "有依申请公开登记，但没有 reports/dhz/2025.md，未生成本单位年报",
        "示例区城关街道办事处": "没有 2025 年的年度报告数据（reports/cgjd/2025.md）"}
    assert "未纳入汇总的 2 个单位：示例区东湖镇人民政府（有依申请公开登记" in rollup.render_html()
    assert "未纳入汇总的 2 个单位" in rollup.render_markdown()
    assert rollup.to_dict()["left_out"] == rollup.left_out


def _hand_typed(root, body_change=None):
    text = (REPO / "catalogue/items/dhz/2026/00001.md").read_text(encoding="utf-8")
    if body_change:
        text = text.replace(*body_change)
    path = root / "items/dhz/2026/00001.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_hand_typed_report_where_gkml_could_compute_it(annual):
    write(annual, "requests/dhz/2025.yml", "申请: []\n")
    path = _hand_typed(annual)
    data = json.loads(run_cli("audit", annual, "--as-of", "2026-03-31", "--unit", "dhz", "--format", "json").stdout)
    [typed] = [f for f in data["findings"] if f["kind"] == "annual-hand-typed"]
    assert typed["file"] == "items/dhz/2026/00001.md" and typed["details"]["year"] == 2025
    assert "gkml 可以按 30号 格式计算并校验年报（写 reports/dhz/2025.md 即可）" in typed["message"]
    assert not [f for f in data["findings"] if f["kind"] == "annual-item-table"]  # its tables add up
    # One wrong cell: 予以公开 typed as 3 for 自然人.
    _hand_typed(annual, ("| （一）予以公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |", "| （一）予以公开 | 3 | 0 | 0 | 0 | 0 | 0 | 2 |"))
    data = json.loads(run_cli("audit", annual, "--as-of", "2026-03-31", "--unit", "dhz", "--format", "json").stdout)
    table = [f for f in data["findings"] if f["kind"] == "annual-item-table"]
    assert table and all(f["level"] == "error" and f["file"] == "items/dhz/2026/00001.md" for f in table)
    assert line_of(path, "| （一）予以公开") in {f["line"] for f in table}
