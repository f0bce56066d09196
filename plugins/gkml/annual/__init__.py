"""政府信息公开工作年度报告 (条例第四十九、五十条; format of 国办公开办函〔2021〕30号), computed
from the catalogue, the request registers and the narrative each office writes.

    from gkml.annual import build_annual_reports
    for rep in build_annual_reports(catalogue, report):
        rep.unit_id, rep.year, rep.title, rep.problems, rep.render_html()
"""
from .build import AnnualReport, build_annual_reports, check_annual_inputs

__all__ = ["AnnualReport", "build_annual_reports", "check_annual_inputs"]
