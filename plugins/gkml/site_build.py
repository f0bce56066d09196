"""One build of the site: the model, its page plan and renderer, and the outputs written after
MkDocs has rendered the pages. Plain Python, used by the MkDocs plugin."""
from __future__ import annotations

import importlib
from pathlib import Path

from .export import EXPORT_FIELDS, write_feeds, write_open_data, write_sitemap
from .model import Catalogue
from .pages import PageSpec, SitePlan
from .render import Renderer


def optional(module: str, entry: str):
    """A stage another part of gkml provides (search, annual reports, offline): its `entry`
    function, or None where that part is not installed."""
    try:
        return getattr(importlib.import_module(f"gkml.{module}"), entry, None)
    except ModuleNotFoundError as exc:
        if exc.name != f"gkml.{module}":
            raise
        return None


class SiteBuild:
    def __init__(self, catalogue: Catalogue, renderer: Renderer, config, page_size: int = 20):
        self.catalogue = catalogue
        self.config = config
        self.write_search = optional("search", "write_search_index")
        self.write_offline = optional("offline", "write_offline_files")
        build_reports = optional("annual", "build_annual_reports")
        self.plan = SitePlan(catalogue, page_size, build_reports(catalogue) if build_reports else [])
        if self.write_search is None:
            self.plan.pages = [p for p in self.plan.pages if p.uri != "search.md"]
        self.plan.add("data/index.md", "开放数据", "data.html", fields=[(n, d) for n, d, _ in EXPORT_FIELDS])
        self.by_uri = {p.uri: p for p in self.plan.pages}
        renderer.env.globals.update(site=catalogue.site, taxonomy=catalogue.taxonomy,
                                    search_html=optional("search", "search_page_html") or str)
        self.renderer = renderer

    def spec(self, uri: str) -> PageSpec | None:
        return self.by_uri.get(uri)

    def meta(self, spec: PageSpec) -> dict:
        meta = {"title": spec.title, "hide": ["toc"]}
        if spec.template == "annual_report.html":
            meta["gkml_css"] = ["assets/gkml-annual.css"]
        if spec.template == "search.html":
            meta["gkml_css"] = ["assets/gkml-search.css"]
        return meta

    def render(self, spec: PageSpec) -> str:
        return self.renderer.render(spec)

    def attachment_files(self):
        for item in self.catalogue.public_items:
            for att in item.attachments:
                yield f"{item.url[:-5]}/{att.file}", att.source

    def footer(self) -> str:
        site = self.catalogue.site
        parts = [f"主办单位：{site.website.get('主办单位', site.name)}"]
        for key in ("网站标识码", "备案号"):
            if site.website.get(key):
                parts.append(f"{key}：{site.website[key]}" if key != "备案号" else site.website[key])
        return " · ".join(parts)

    def write_outputs(self, site_dir: Path) -> None:
        site_url = self.config.site_url or ""
        write_sitemap([p.url for p in self.plan.pages], site_url, site_dir)
        write_feeds(self.catalogue, site_url, site_dir)
        write_open_data(self.catalogue, site_dir)
        if self.write_search is not None:
            self.write_search(self.catalogue, site_dir)
        if self.write_offline is not None:
            self.write_offline(site_dir, self.catalogue.site.platform)
