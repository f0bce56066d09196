"""The public 依申请公开 page: a printable 申请表 addressed from each unit's 指南 (条例第二十九条)
and the province's online application address from site.yml 网站.在线申请."""
from __future__ import annotations

import pytest

from conftest import check_json, line_of
from sitetools import ARTIFACTS, SITE_FIXTURE, build_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("form")
    site, result = build_site(SITE_FIXTURE, tmp)
    assert result.returncode == 0, result.stderr
    return site


def test_each_units_form_is_addressed_from_its_guide(site):
    html = (site / "qczj/yishenqing.html").read_text(encoding="utf-8")
    form = html[html.index('<section class="gkml-apply"'):]
    assert "<caption>示例区财政局政府信息公开申请表</caption>" in form
    assert "示例区财政局办公室" in form and "示例区人民路18号" in form and "0000-3100201" in form
    for part in ("姓名", "身份证件名称及号码", "名称、文号", "其他特征性描述", "提供形式", "获取途径", "申请人签名或盖章"):
        assert part in form  # 条例第二十九条: who asks, what, in which form and way
    # The online application link, its address escaped.
    assert 'href="https://apply.shiliqu.example.gov.cn/ysq?from=&lt;x&gt;&amp;y=1"' in html
    platform = (site / "yishenqing.html").read_text(encoding="utf-8")
    assert '<a href="qczj/yishenqing.html#apply-form">打印申请表</a>' in platform


@pytest.mark.browser
def test_printing_the_page_prints_only_the_form(chromium, site):
    page = chromium.new_page(viewport={"width": 1000, "height": 900})
    page.goto((site / "dhz/yishenqing.html").as_uri())
    assert page.locator("h1").first.is_visible()
    page.emulate_media(media="print")
    assert page.locator("table.gkml-apply-form").is_visible()
    assert not page.locator("article h1").first.is_visible()
    assert not page.locator("#catalogue").is_visible()
    assert not page.locator(".gkml-apply__how").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "apply-form-print.png"), full_page=True)
    page.close()


def test_online_application_address_is_validated(tmp_path):
    import shutil
    root = tmp_path / "catalogue"
    shutil.copytree(SITE_FIXTURE, root)
    site_yml = root / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(
        "在线申请: https://apply.shiliqu.example.gov.cn/ysq?from=<x>&y=1", "在线申请: javascript:alert(1)"),
        encoding="utf-8")
    code, data = check_json(root)
    [problem] = [d for d in data["diagnostics"] if d["code"] == "url"]
    assert code == 1 and problem["line"] == line_of(site_yml, "  在线申请")
    assert "「在线申请」应为本省政府信息公开平台在线申请的网址" in problem["message"]
