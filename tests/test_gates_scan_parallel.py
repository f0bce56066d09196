"""The final scan of pages written by several processes (the pages scanned as each process writes
them, the machine outputs' process joining the writers when it is done): a leak in any page fails
the build, named and traced to its item, as in a build on one core."""
from __future__ import annotations

import pytest
from conftest import write_item
from mkdocs.commands.build import build
from mkdocs.config import load_config
from sitetools import write_config

from gkml import workers
from test_gates_attachments import ITEM

MASKED = "138****5678"


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_leak_in_a_page_written_by_any_process_fails_the_build(catalogue, tmp_path, monkeypatch, caplog, method):
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)  # every core, however small the site
    monkeypatch.setenv(workers.START_METHOD_VARIABLE, method)
    # an empty Markdown link between the digits: the source has no number, the page shows one
    write_item(catalogue, "qczj/2025/00009.md", ITEM, body="\n联系电话：138[](x)12345678\n")
    config = load_config(str(write_config(catalogue, tmp_path / "site", tmp_path, site_url="https://www.example.org/")))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        with pytest.raises(Exception):
            build(config)
    finally:
        config.plugins.on_shutdown()
    message = caplog.text  # MkDocs logs the plugin's error and aborts
    assert "最终检查发现" in message
    assert (f"输出文件 item/11350199MB0300003D/2025-00009.html 含有手机号码「{MASKED}」"
            "（来源：items/qczj/2025/00009.md）") in message
    assert not (tmp_path / "site" / "index.html").exists()
