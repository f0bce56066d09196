"""The build refuses to publish when a publication gate fires in an attachment (real MkDocs build)."""
from __future__ import annotations

from sitetools import build_site
from test_gates_attachments import CARD, with_attachments


def test_build_stops_on_a_bank_card_in_a_pdf_attachment(catalogue, tmp_path):
    with_attachments(catalogue, ["说明.pdf"])  # an 18-digit code with a wrong ID check character: publishable
    clean, result = build_site(catalogue, tmp_path, "clean")
    assert result.returncode == 0, result.stderr
    assert (clean / "item/11350199MB0300003D/2025-00009.html").exists()
    with_attachments(catalogue, ["账户.pdf"])
    site, result = build_site(catalogue, tmp_path)
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "items/qczj/2025/00009.md" in log
    assert "附件「00009/账户.pdf」第 2 页第 2 行：含有银行卡号「6222***********0128」，不会发布" in log
    assert CARD not in log
    assert not (site / "index.html").exists()
