"""One build of the site: the model, its page plan and renderer, and the outputs written after
MkDocs has rendered the pages. Plain Python, used by the MkDocs plugin."""
from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
from urllib.parse import urlsplit
from functools import partial
from pathlib import Path

from ..annual import build_annual_reports
from ..search import search_page_html, write_search_index
from ..site.offline import write_offline_files
from ..site.export import EXPORT_FIELDS, report_entries, write_feeds, write_open_data, write_sitemap
from markupsafe import escape
from ..site.redirects import write_redirects
from mkdocs.plugins import get_plugin_logger

from ..catalogue.history import item_history
from .incremental import Fingerprints, folder_stamp, plan_writes, stamp
from ..catalogue.model import Catalogue
from ..site.pages import PageSpec, SitePlan
from ..site.leak_scan import PageScan, allowed_numbers, scan_site
from ..site.render import Renderer
from .shell import SHELL_CONTENT, SHELL_HEAD, SHELL_UNIT, Shells, head_html
from ..terminal import progress as terminal_progress, shared_label
from ..workers import run_tasks, slices, start_method, workers_for


log = get_plugin_logger("gkml")
EMBLEM_URI = "assets/gkml-dzjg"  # the 党政机关标识 image, when site.yml names a file


class SiteBuild:
    def __init__(self, catalogue: Catalogue, renderer: Renderer, config, page_size: int = 20, history: bool = False,
                 offline_pages: int | None = None, manual: bool = False, offline_search_mb: int | None = None,
                 today: dt.date | None = None, index_page_size: int = 100, search_texts: bool = False):
        self.catalogue = catalogue
        self.search_texts = search_texts
        self.today = today  # None: the real date
        self.offline_search_mb = offline_search_mb
        self.manual = manual
        self.offline_pages = offline_pages
        self.config = config
        self.plan = SitePlan(catalogue, page_size, build_annual_reports(catalogue, today=today),
                             item_history(catalogue.root) if history else {}, index_page_size)
        self.plan.add("data/index.md", "开放数据", "data.html", fields=[(n, d) for n, d, _ in EXPORT_FIELDS])
        self.bulk = [p for p in self.plan.pages if p.bulk]
        self.shells = Shells(self.bulk, catalogue.site.platform)
        self.by_uri = {p.uri: p for p in self.plan.pages if not p.bulk} | self.shells.by_uri
        # Feeds and the sitemap need the site's whole address: without site_url there are none to link to
        renderer.add_globals(site=catalogue.site, taxonomy=catalogue.taxonomy, search_html=search_page_html,
                             addressed=bool(config.site_url))
        self.renderer = renderer
        if not config.site_url:  # the preview sets its own address; a real build needs the site's
            log.warning("mkdocs.yml 没有设置 site_url（网站的正式地址，如 https://www.example.gov.cn/xxgk/）："
                        "网站地图 sitemap.xml 和订阅 feed.xml 需要完整网址，这次都没有生成，页面上也不显示订阅链接；"
                        "404 页面的链接按网站放在域名根目录生成，网站放在子路径下时会失效。"
                        "请在 mkdocs.yml 中写上 site_url。")
        self.scanned: list = []  # what write_bulk's PageScans found, for scan_output
        self._allowed: frozenset[str] | None = None  # see allowed_numbers
        self.bodies: dict[str, str] = {}  # uri -> body given to MkDocs, for pages it renders
        self.written: dict[str, str] = {}  # uri -> what MkDocs wrote (the preview only)

    def spec(self, uri: str) -> PageSpec | None:
        return self.by_uri.get(uri)

    def meta(self, spec: PageSpec) -> dict:
        # Material writes page titles as HTML (header, <title>): escape the catalogue's text
        head = SHELL_HEAD if spec.template == "shell" else head_html(spec, self.catalogue.site.platform)
        meta = {"title": str(escape(spec.title)), "hide": ["toc"], "gkml_css": list(spec.css), "gkml_head": head}
        if spec.template == "shell":  # bulk pages: the lean sidebar (main.html), the unit filled in per page
            meta["gkml_lean"] = SHELL_UNIT
        return meta

    def mkdocs_pages(self) -> list[PageSpec]:
        return list(self.by_uri.values())

    def render(self, spec: PageSpec) -> str:
        """The body of a page MkDocs renders (in the nav, or a shell)."""
        if spec.template == "shell":
            return SHELL_CONTENT
        self.bodies[spec.uri] = body = self.renderer.render(spec)
        return body

    def remember(self, uri: str, output: str) -> None:
        """A nav page as MkDocs wrote it, so that `rewrite` can put a new body into it."""
        if uri in self.bodies:
            self.written[uri] = output

    def can_rewrite(self, spec: PageSpec) -> bool:
        """Bulk pages are rendered from their shell; a nav page only if its body can be found again."""
        if spec.bulk:
            return True
        body, output = self.bodies.get(spec.uri), self.written.get(spec.uri)
        return body is not None and output is not None and body in output

    def rewrite(self, spec: PageSpec) -> str:
        """One page rendered again after its items changed (the preview's fast path), as served."""
        body = self.renderer.render(spec)
        if spec.bulk:
            return self.shells.page(spec, body)
        html = self.written[spec.uri].replace(self.bodies[spec.uri], body, 1)
        self.written[spec.uri], self.bodies[spec.uri] = html, body
        return html

    def write_bulk(self, site_dir: Path, workers: int | None = None, incremental: bool = False,
                   progress: bool = False, beside=None, stamp_of=None) -> None:
        """Write the pages outside the nav over `workers` processes (default: every core, for a
        large site), and run `beside` (the machine outputs) meanwhile: where processes fork, in the
        last of them, which then joins the writers; elsewhere in one more process.
        `incremental`: only pages whose fingerprint changed (`stamp_of`: see Fingerprints). A full
        build's pages are scanned for leaks as they are written, for scan_output."""
        for shell in self.shells.by_uri.values():  # shells are templates, not pages of the site
            shutil.rmtree(site_dir / shell.url.split("/", 1)[0], ignore_errors=True)
        pending = self.bulk
        if incremental:
            prints = Fingerprints(self.salt(), stamp_of)
            todo, stale = plan_writes(site_dir, {p.url: prints.page(p, self.shells.html_for(p)) for p in self.bulk})
            for url in stale:
                (site_dir / url).unlink(missing_ok=True)
            pending = [p for p in self.bulk if p.url in todo]
            log.info(f"增量生成：{len(pending)}/{len(self.bulk)} 个页面有变化，删除 {len(stale)} 个")
        workers = workers_for(len(pending), workers)
        # A full build is scanned at its end (scan_output): its pages are scanned here, as written.
        negative, allowed = self.catalogue.site.negative_patterns, None if incremental else self.allowed_numbers()
        scans = [None if incremental else PageScan(negative, allowed) for _ in range(workers)]
        if beside is not None and workers > 1 and start_method() == "fork":
            # `workers` processes in all, not one more: the machine outputs' process joins the
            # writers when it is done, taking chunks of pages from the same queue (PageQueue).
            queue = PageQueue(len(pending))
            tasks = [partial(write_queued, self.renderer, self.shells, site_dir, pending, queue, n == 0 and progress,
                             workers, scans[n]) for n in range(workers)]
            self.scanned = [] if incremental else run_tasks(tasks[:-1] + [partial(_then, beside, tasks[-1])])
            return
        # Module-level function and picklable arguments (the renderer pickles as its templates
        # folder), not a bound method of this build, which holds MkDocs' config: spawned workers.
        tasks = [partial(write_pages, self.renderer, self.shells, site_dir, pending[part.start:part.stop],
                         n == 0 and progress, workers, scans[n])
                 for n, part in enumerate(slices(len(pending), workers))]
        if beside is not None and workers == 1:
            results = [tasks[0]()]
            beside()
        else:
            results = run_tasks(tasks + ([beside] if beside is not None else []))[:len(tasks)]
        self.scanned = [] if incremental else results

    def attachment_files(self):
        """Files copied into the site as they are: public attachments and the 党政机关标识 image."""
        for item in self.catalogue.public_items:
            for att in item.attachments:
                yield f"{item.url[:-5]}/{att.file}", att.source
        emblem = self.catalogue.site.website.get("党政机关标识", "")
        if emblem and not emblem.startswith(("http://", "https://")):
            yield EMBLEM_URI + Path(emblem).suffix.lower(), self.catalogue.root / emblem

    def identity(self) -> dict:
        """What the theme shows on every page (main.html): the site's <meta> tags and the footer's
        identity fields (site.yml 网站), the portal link and the manual's address."""
        site = self.catalogue.site
        web = site.website
        emblem = web.get("党政机关标识", "")
        if emblem and not emblem.startswith(("http://", "https://")):
            emblem = EMBLEM_URI + Path(emblem).suffix.lower()
        domain = web.get("域名") or urlsplit(self.config.site_url or "").hostname or ""
        return {"name": site.platform, "domain": domain, "id_code": web.get("网站标识码", ""),
                "host": web.get("主办单位", site.name), "operator": web.get("承办单位", ""),
                "icp": web.get("备案号", ""), "police": web.get("公安备案号", ""),
                "police_code": "".join(ch for ch in web.get("公安备案号", "") if ch.isdigit()),
                "emblem": emblem, "emblem_link": web.get("党政机关标识链接", ""),
                "phone": web.get("联系电话", ""), "email": web.get("联系邮箱", ""),
                "portal": web.get("门户网站", ""), "portal_name": web.get("门户网站名称", "") or "政府门户网站",
                "guide": "zhinan.html", "manual": "manual/index.html" if self.manual else ""}

    def salt(self) -> tuple:
        """What every bulk page depends on besides its own context: settings, taxonomy, units, templates."""
        root = self.catalogue.root
        return (stamp(root / "site.yml"), stamp(root / self.catalogue.site.taxonomy_file), folder_stamp(root / "units"),
                *map(folder_stamp, self.renderer.templates), self.plan.page_size, self.plan.index_page_size)

    def machine_outputs(self, site_dir: Path, offline: bool = False) -> partial:
        """The job that writes the sitemap, feeds, open data and search index (and, if `offline`,
        then the offline files, which list every page): a picklable call, for a worker or the
        preview's background process, holding the model but not MkDocs' config."""
        return partial(write_machine_outputs, self.catalogue, [p.url for p in self.plan.pages],
                       self.config.site_url or "", site_dir, offline, self.offline_pages, self.offline_search_mb,
                       report_entries(self.catalogue, self.plan.annual_reports, self.plan.report_url), self.search_texts)

    def allowed_numbers(self) -> frozenset[str]:
        if self._allowed is None:
            self._allowed = allowed_numbers(self.catalogue)
        return self._allowed

    def scan_output(self, site_dir: Path) -> list:
        """The last line of defence (site/leak_scan.py) over everything written to `site_dir`: the
        pages write_bulk scanned as it wrote them, every other file now."""
        theme_dirs = [Path(d) for d in self.config.theme.dirs]
        scanned, self.scanned = self.scanned, []
        return scan_site(site_dir, self.catalogue, dict(self.attachment_files()), theme_dirs, scanned=scanned,
                         allowed=self.allowed_numbers())

    def write_offline_files(self, site_dir: Path) -> None:
        write_offline(site_dir, self.catalogue.site.platform, self.offline_pages, self.offline_search_mb)


class PageQueue:
    """Contiguous chunks of the page list, handed out in turn to forked processes (a counter in
    shared memory, inherited, never pickled): a process that is done with other work joins the
    writers, and none idles while another has pages left. Chunks keep neighbouring pages (a unit's
    columns) together, where the rows they share are remembered (render.Once)."""

    CHUNK = 200

    def __init__(self, count: int):
        self.count = count
        self.taken = multiprocessing.get_context("fork").Value("q", 0)

    def __call__(self, specs: list[PageSpec]):
        while True:
            with self.taken.get_lock():
                start = self.taken.value * self.CHUNK
                self.taken.value += 1
            if start >= self.count:
                return
            yield from specs[start:start + self.CHUNK]


def write_queued(renderer: Renderer, shells: Shells, site_dir: Path, specs: list[PageSpec], queue: PageQueue,
                 progress: bool = False, workers: int = 1, scan: PageScan | None = None):
    """write_pages for the chunks of `specs` this process takes from `queue`. Its bar counts to
    every page, the most this process may write (it jumps to the end when the queue is empty)."""
    return write_pages(renderer, shells, site_dir, queue(specs), progress, workers, scan, len(specs))


def _then(first, second):
    first()
    return second()


def write_pages(renderer: Renderer, shells: Shells, site_dir: Path, specs, progress: bool = False,
                workers: int = 1, scan: PageScan | None = None, length: int | None = None):
    """Render and write `specs` (`length` of them, for the progress bar, if not a list); with
    `scan`, scan each page as written and return scan.result()."""
    made: set[Path] = set()
    length = len(specs) if length is None else length
    with renderer.remembering():  # rows and breadcrumbs shared by many pages are rendered once
        for spec in terminal_progress(specs, length, shared_label("生成页面", workers), quiet=not progress):
            path = site_dir / spec.url
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            html = shells.page(spec, renderer.render(spec))
            with open(path, "w", encoding="utf-8") as out:  # as Path.write_text writes it
                out.write(html)
                if scan is not None:
                    out.flush()  # the file as written, for its identity
                    scan.page(spec.url, html, os.fstat(out.fileno()))
    return None if scan is None else scan.result()


def write_machine_outputs(catalogue: Catalogue, urls: list[str], site_url: str, site_dir: Path,
                          offline: bool = False, offline_pages: int | None = None,
                          offline_search_mb: int | None = None, reports=(), search_texts: bool = False) -> None:
    """Sitemap, feeds, open data, search index: everything but the pages; then, if `offline`,
    the offline files. `reports`: the dated 年报 gkml computes, listed with the items;
    `search_texts`: the index keeps a copy of each item's text (search/build.py)."""
    if site_url:
        write_sitemap(urls, site_url, site_dir)
        write_feeds(catalogue, site_url, site_dir, reports)
    else:  # sitemaps and feeds need whole addresses; MkDocs' own sitemap would hold "None" in each
        for name in ("sitemap.xml", "sitemap.xml.gz", "feed.xml", *(f"{u}/feed.xml" for u in catalogue.units)):
            (site_dir / name).unlink(missing_ok=True)
    write_open_data(catalogue, site_dir, reports)
    write_search_index(catalogue, site_dir, reports, search_texts)
    write_redirects(catalogue, site_url, site_dir)  # the old platform's addresses -> item pages
    if offline:
        write_offline(site_dir, catalogue.site.platform, offline_pages, offline_search_mb)


def write_offline(site_dir: Path, platform: str, offline_pages: int | None, offline_search_mb: int | None) -> None:
    limit = {} if offline_pages is None else {"max_visits": offline_pages}
    if offline_search_mb is not None:  # an index up to this size is cached whole on a first visit
        limit["budget"] = offline_search_mb * 1024 * 1024
    write_offline_files(site_dir, platform, **limit)
