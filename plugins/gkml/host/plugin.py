"""The MkDocs plugin: wires MkDocs events to the stages; no logic of its own.

on_config   load + validate the catalogue, build the model and the page plan (whole, before
            any page is rendered); refuse to build on errors; stage the output directory.
on_files    drop the catalogue's own files, add generated pages and public attachments.
on_page_*   give generated pages their title and rendered body.
on_post_build  machine outputs, search index, offline files; swap the staged site in.
               Under serve: only pages whose data changed, machine outputs in the background.
live_update  the preview's fast path for edits to an item's text (called by preview.py).
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

from markupsafe import escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from ..resources import theme_dir
from .atomic import AtomicSiteDir, WarningCounter
from ..diagnostics import ERROR, WARNING, Report
from ..site.render import Renderer
from ..site.text_attachments import published_bytes
from .site_build import SiteBuild
from .live import LiveUpdate
from .preview import PREVIEW_ONLY
from .settings import GkmlConfig
from .shell import without_generator
from ..catalogue.validate import FileMemo, load_catalogue
from ..workers import Background

log = get_plugin_logger(__name__)


def escape_nav(nav: list) -> list:
    """The nav with every title HTML-escaped (unit names come from the catalogue)."""
    out = []
    for entry in nav:
        if isinstance(entry, dict):
            out.append({str(escape(title)): escape_nav(target) if isinstance(target, list) else target
                        for title, target in entry.items()})
        else:
            out.append(entry)
    return out


class GkmlPlugin(BasePlugin[GkmlConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.command = "build"
        self.memo: FileMemo | None = None
        self.extras = Background()  # serve: machine outputs written after the pages, in another process
        self.live: LiveUpdate | None = None  # serve: the fast path for edits to an item's text
        self.site_dir: Path | None = None
        self.base = Path(".")
        self.build: SiteBuild | None = None
        self.staging: AtomicSiteDir | None = None
        self.counter = WarningCounter()

    def on_startup(self, *, command, dirty) -> None:
        # MkDocs keeps a plugin that has on_startup across `serve` rebuilds, so the memo of
        # per-file work lives as long as the preview does.
        self.command = command
        self.memo = FileMemo() if command == "serve" else None

    def on_config(self, config):
        self._reset()
        logging.getLogger("mkdocs").addHandler(self.counter)  # before the catalogue's warnings are logged
        root = Path(self.config.catalogue)
        self.base = Path(config.config_file_path or ".").absolute().parent
        _refuse_catalogue_as_docs_dir(root, Path(config.docs_dir))
        catalogue, report = load_catalogue(root, Report(base=self.base), today=self.config.today, memo=self.memo)
        for d in report.sorted():
            {ERROR: log.error, WARNING: log.warning}.get(d.level, log.info)(d.format())  # a notice fails nothing
        if catalogue is None or report.errors:
            raise PluginError(f"目录检查未通过（{report.summary()}），网站没有生成，原有网站保持不变。请先运行 gkml check 修正。")
        if self.config.unit or self.config.year:
            if self.config.unit and self.config.unit not in catalogue.units:
                raise PluginError(f"没有单位「{self.config.unit}」；可选：{'、'.join(sorted(catalogue.units))}")
            catalogue = catalogue.subset(self.config.unit, self.config.year)
        if config.use_directory_urls:
            log.warning("gkml 需要 use_directory_urls: false（网站要能从本地磁盘直接打开）；已按 false 生成")
            config.use_directory_urls = False
        self.build = SiteBuild(catalogue, Renderer(_register_theme(config, self.config.templates)), config,
                               self.config.page_size, self.config.history, self.config.offline_pages,
                               manual=bool(self.config.manual), offline_search_mb=self.config.offline_search_mb,
                               today=self.config.today, index_page_size=self.config.index_page_size,
                               search_texts=self.config.search_texts)
        if config.nav is None:  # the manual is for editors: linked from the footer, not in the nav
            config.nav = escape_nav(self.build.plan.nav())  # Material writes nav titles as HTML
        config.extra["gkml_site"] = self.build.identity()  # footer and <meta> tags (main.html escapes them)
        if self.command == "build" and self.config.atomic:
            self.staging = AtomicSiteDir(Path(config.site_dir))
            config.site_dir = str(self.staging.staging)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        # docs_dir holds an office's own extra pages (网站声明 …); a generated page wins its address.
        generated = self.build.mkdocs_pages()
        taken = {spec.uri for spec in generated}
        # The preview's own scripts (theme assets) are not part of a site.
        out = Files([f for f in files if f.src_uri not in taken and f.src_uri not in PREVIEW_ONLY])
        for spec in generated:
            inclusion = InclusionLevel.INCLUDED if spec.in_nav else InclusionLevel.NOT_IN_NAV
            out.append(File.generated(config, spec.uri, content="", inclusion=inclusion))
        if self.config.manual:  # ordinary Markdown pages; the manual's own index is in the nav
            for source in sorted(Path(self.config.manual).glob("*.md")):
                out.append(File.generated(config, f"manual/{source.name}", abs_src_path=str(source),
                                          inclusion=InclusionLevel.NOT_IN_NAV))
        for uri, source in self.build.attachment_files():
            marked = published_bytes(source)  # UTF-8 text shows right with no charset from the server
            where = {"abs_src_path": str(source)} if marked is None else {"content": marked}
            out.append(File.generated(config, uri, inclusion=InclusionLevel.NOT_IN_NAV, **where))
        return out

    def on_page_markdown(self, markdown, *, page, config, files):
        spec = self.build.spec(page.file.src_uri)
        if spec is None:
            return markdown
        page.meta.update(self.build.meta(spec))
        return ""

    def on_page_content(self, html, *, page, config, files):
        spec = self.build.spec(page.file.src_uri)
        return html if spec is None else self.build.render(spec)

    def on_post_page(self, output, *, page, config):
        output = without_generator(output)
        if not self.build.shells.capture(page.file.src_uri, output) and self.command == "serve":
            self.build.remember(page.file.src_uri, output)
        return output

    def on_post_template(self, output_content, *, template_name, config):  # 404.html
        return without_generator(output_content)

    def on_post_build(self, *, config) -> None:
        site_dir = Path(config.site_dir)
        if self.command == "serve":
            # The preview shows the rebuilt pages at once; the search index, feeds and exports
            # follow a few seconds later, one refresh at a time.
            self.extras.stop()  # its files are about to be superseded
            self.build.write_bulk(site_dir, incremental=True)
            self.site_dir = site_dir
            self.live = LiveUpdate(self.build, self.memo)
            self.extras.start(self.build.machine_outputs(site_dir, offline=True))
            return
        # both cores, the machine outputs beside the pages
        self.build.write_bulk(site_dir, progress=self.config.progress,
                              beside=self.build.machine_outputs(site_dir))
        self.build.write_offline_files(site_dir)
        started = time.monotonic()
        leaks = self.build.scan_output(site_dir)
        log.info(f"最终检查（个人信息、负面清单）：{time.monotonic() - started:.1f} 秒")
        if leaks:
            from ..site.leak_scan import report
            raise PluginError(f"最终检查发现 {len(leaks)} 处不得公开的内容，网站没有生成，原有网站保持不变：\n{report(leaks)}")
        if self.staging is not None:
            if config.strict and self.counter.count:
                return  # MkDocs aborts right after this event; keep the old site
            self.staging.commit()
            self.staging = None

    def on_build_error(self, *, error) -> None:
        self._discard()

    def live_update(self, paths: list[Path], provisional: bool = False) -> list[str] | None:
        """The preview's fast path (live.py): the pages rewritten for edits to these item files,
        or None when a full build is needed. After a provisional update the caller builds in full
        (which writes the search index and data files), and warnings are reported by that build."""
        if self.live is None or self.site_dir is None:
            return None
        report = Report(base=self.base)
        urls = self.live.apply(paths, self.site_dir, report, provisional)
        if urls is not None and not provisional:
            for d in report.sorted():
                log.warning(d.format())
            self.extras.start(self.build.machine_outputs(self.site_dir, offline=True))
        return urls

    def on_shutdown(self) -> None:
        self.extras.stop()
        self._discard()
        logging.getLogger("mkdocs").removeHandler(self.counter)

    def _reset(self) -> None:
        self._discard()
        self.build = None
        self.live = None
        self.counter.count = 0

    def _discard(self) -> None:
        if self.staging is not None:
            self.staging.discard()
            self.staging = None


def _refuse_catalogue_as_docs_dir(catalogue: Path, docs_dir: Path) -> None:
    """A host that skips this plugin (Zensical, a config without `- gkml`) publishes docs_dir as it
    is: if the catalogue were inside it, non-public items, drafts and registers would go online."""
    catalogue, docs_dir = catalogue.resolve(), docs_dir.resolve()
    if catalogue == docs_dir or docs_dir in catalogue.parents:
        raise PluginError(
            f"mkdocs.yml 的 docs_dir（{docs_dir}）不能是目录内容文件夹或包含它：不运行 gkml 插件的程序会把 docs_dir "
            "原样发布，连同不公开的信息、草稿和登记表。请把 docs_dir 改为单独的文件夹（如 docs_dir: pages，放本单位"
            "自己的其他页面，可以为空），并在 gkml 插件设置中写 catalogue: catalogue。")


def _register_theme(config, templates: str | None) -> list[Path]:
    """Put gkml's templates and assets in the theme's search path, after the office's custom_dir
    (which may override any of them) and before Material's own (as mkdocs' search plugin adds its
    template folder). Returns the folders of the page fragments, the office's first."""
    shipped = theme_dir()
    dirs = config.theme.dirs
    if not any(Path(d).resolve() == shipped.resolve() for d in dirs):
        dirs.insert(1 if config.theme.custom_dir else 0, str(shipped))
    fragments = [Path(templates)] if templates else []
    if config.theme.custom_dir and (Path(config.theme.custom_dir) / "gkml").is_dir():
        fragments.append(Path(config.theme.custom_dir) / "gkml")
    return list(dict.fromkeys([*fragments, shipped / "gkml"]))
