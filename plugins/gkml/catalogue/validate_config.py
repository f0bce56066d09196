"""Validation of the platform's settings: site.yml, the taxonomy and the unit files."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path, PurePosixPath

from .codes import check_org_identifier
from ..diagnostics import Report
from .fields import Fields, suggest
from .model import Column, Deadline, SiteConfig, Taxonomy, Unit
from .vocab import GENRE_ALIASES, GENRES, TOPICS, UNIT_KINDS, UPDATE_CYCLES
from .yamldoc import YamlDoc

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
_WORKDAYS_RE = re.compile(r"^(\d{1,3})\s*个?工作日(?:内)?$")
_ANNUAL_RE = re.compile(r"^每年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:前|之前)?$")
GUIDE_FIELDS = ("公开工作机构", "办公地址", "办公时间", "联系电话", "传真", "互联网联系方式", "邮编")


def parse_deadline(text: str) -> Deadline | None:
    text = text.strip()
    if (m := _WORKDAYS_RE.match(text)) and int(m[1]) > 0:
        return Deadline(text, workdays=int(m[1]))
    if m := _ANNUAL_RE.match(text):
        month, day = int(m[1]), int(m[2])
        try:
            dt.date(2024, month, day)  # a leap year, so 2月29日 is possible
        except ValueError:
            return None
        return Deadline(text, month=month, day=day)
    return None


def check_topic(text: str) -> tuple[tuple[str, str] | None, str | None]:
    """Parse `一级/二级` (also `一级\\二级`); return (topic, problem)."""
    parts = [p.strip() for p in re.split(r"[/\\＼／]", text, maxsplit=1)]
    first, second = parts[0], (parts[1] if len(parts) > 1 else "")
    if first not in TOPICS:
        return None, f"主题分类「{first}」不是 22 个主题之一" + suggest(first, TOPICS)
    subs = TOPICS[first]
    if second and second not in subs:
        return None, (f"「{first}」下没有二级主题「{second}」，可选：{'、'.join(subs)}" if subs
                      else f"「{first}」没有二级主题，只写「{first}」")
    if not second and subs:
        return None, f"请写到二级主题：「{first}/二级主题」，二级主题可选：{'、'.join(subs)}"
    return (first, second), None


MAX_PATTERN = 500


def backtracking_risk(pattern: str) -> str | None:
    """Why a 负面清单 pattern could take exponential time on some text (a repetition of something
    that can itself repeat or match in more than one way, like (a+)+ or (a|aa)*), or None.
    Python's regular expressions cannot be stopped once started, so such patterns are refused."""
    from re import _constants as c, _parser as parser  # the parser re itself uses

    if len(pattern) > MAX_PATTERN:
        return f"超过 {MAX_PATTERN} 个字符；请拆成几项"

    def ambiguous(items) -> bool:
        for op, arg in items:
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[1] > 1:
                return True
            if op is c.BRANCH:
                return True
            if op is c.SUBPATTERN and ambiguous(arg[-1]):
                return True
        return False

    def walk(items) -> bool:
        for op, arg in items:
            if op in (c.MAX_REPEAT, c.MIN_REPEAT) and (arg[1] == c.MAXREPEAT or arg[1] > 50) and ambiguous(arg[2]):
                return True
            children = [arg[-1]] if op in (c.SUBPATTERN, c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT, c.ASSERT,
                                            c.ASSERT_NOT) else arg[1] if op is c.BRANCH else []
            if any(walk(child) for child in children):
                return True
        return False

    return ("含有嵌套的重复（如 (a+)+ 或 (甲|甲乙)*），遇到某些文字时检查会长时间停不下来；"
            "请改写为不嵌套的形式，如 a+") if walk(parser.parse(pattern)) else None


def read_site(doc: YamlDoc, path: Path, report: Report) -> SiteConfig:
    f = Fields(doc, path, report)
    f.unknown_keys({"名称", "平台名称", "地区", "本级政府", "目录", "索引号", "网站", "自查", "负面清单", "发文机关", "原平台网址"})
    index = f.mapping("索引号")
    period, width = "年", 5
    if index:
        index.unknown_keys({"日期段", "序号位数"})
        period = index.choice("日期段", ("年", "年月"), default="年")
        width = index.integer("序号位数", 5, 3, 8)
    website = f.mapping("网站")
    if website:
        _check_website(website, path.parent)
    if website and (url := website.data.get("在线申请")) is not None and not re.match(r"https?://\S+$", str(url)):
        website.error("在线申请", "url", f"「在线申请」应为本省政府信息公开平台在线申请的网址，以 https:// 或 http:// 开头，现为「{url}」")
    negative = []
    for i, pattern in enumerate(f.string_list("负面清单")):
        try:
            re.compile(pattern)
        except re.error as exc:
            report.error(path, doc.line("负面清单", i), "regex", f"负面清单第 {i + 1} 项不是有效的正则表达式：{exc}", "负面清单")
            continue
        if problem := backtracking_risk(pattern):
            report.error(path, doc.line("负面清单", i), "regex-slow", f"负面清单第 {i + 1} 项「{pattern[:60]}」{problem}", "负面清单")
            continue
        negative.append(pattern)
    audit = f.mapping("自查")
    if audit is not None:
        from ..audit.config import AuditConfigError, read_config  # the audit owns what its settings mean
        try:
            read_config(audit.data)
        except AuditConfigError as exc:
            for problem in exc.problems:
                report.error(path, doc.line("自查"), "audit-config", problem, "自查")
    return SiteConfig(
        name=f.text("名称", True, "本级政府全称，如 示例区人民政府"),
        platform=f.text("平台名称") or (f.text("名称") + "政府信息公开"),
        gov_unit=f.text("本级政府", True, "本级政府的单位代码"),
        region=f.text("地区"),
        taxonomy_file=_taxonomy_file(f),
        index_period=period, serial_width=width,
        website={k: str(v) for k, v in (website.data.items() if website else ())},
        audit=dict(audit.data) if audit is not None else {},
        negative=tuple(negative),
        issuers=_issuers(f),
        old_sites=tuple(_old_sites(f)),
    )


def _issuers(f: Fields) -> dict[str, str]:
    """发文机关: the outside issuers an office publishes documents of (its own units are known
    anyway), each a name or {名称, 别名}; returns every name and alias -> the registered name."""
    out: dict[str, str] = {}
    for i, entry in enumerate(f.sequence("发文机关")):
        line = f.doc.line("发文机关", i)
        if isinstance(entry, str) and entry.strip():
            name, aliases = entry.strip(), []
        elif isinstance(entry, dict) and isinstance(entry.get("名称"), str) and entry["名称"].strip() \
                and set(entry) <= {"名称", "别名"}:
            name = entry["名称"].strip()
            aliases = entry.get("别名") or []
            aliases = [aliases] if isinstance(aliases, str) else aliases
        else:
            f.report.error(f.path, line, "issuer", "「发文机关」的每一项应为机关全称，或「名称: 全称」加「别名: [简称, …]」", "发文机关")
            continue
        for alias in [name, *(str(a).strip() for a in aliases if str(a).strip())]:
            if out.get(alias, name) != name:
                f.report.error(f.path, line, "issuer-alias", f"「{alias}」已是「{out[alias]}」的名称或别名，不能再指「{name}」", "发文机关")
            out.setdefault(alias, name)
    return out


def _old_sites(f: Fields):
    """原平台网址: the old platform's address(es); migrated items get redirect pages at their old paths."""
    value = f.data.get("原平台网址")
    for i, text in enumerate([value] if isinstance(value, str) else f.string_list("原平台网址")):
        text = str(text).strip()
        if not re.match(r"^https?://[^/\s]+/?", text):
            f.report.error(f.path, f.doc.line("原平台网址", i) if not isinstance(value, str) else f.doc.line("原平台网址"),
                           "old-site", f"原平台网址「{text}」应是网址，如 https://www.example.gov.cn/", "原平台网址")
            continue
        yield text.rstrip("/") + "/"


# 网站: the identity a government website shows in its footer and <meta> tags.
WEBSITE_FORMATS = {
    "主办单位": None, "承办单位": None, "联系电话": None, "门户网站名称": None, "在线申请名称": None,
    "在线申请": None,  # checked below, with its own message (the province's online application)
    "网站标识码": (re.compile(r"^(\d{10}|bm\d{8})$"), "10 位数字（如 3501000001）或 bm 加 8 位数字"),
    "备案号": (re.compile(r"ICP备"), "ICP 备案号，如 闽ICP备12345678号"),
    "公安备案号": (re.compile(r"公网安备\s*\d{14}号$"), "如 闽公网安备 35010002000001号"),
    "联系邮箱": (re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), "电子邮箱地址"),
    "域名": (re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}$"), "不带 http:// 的域名，如 www.example.gov.cn"),
    "门户网站": (re.compile(r"^https?://\S+$"), "以 http:// 或 https:// 开头的网址"),
    "党政机关标识链接": (re.compile(r"^https?://\S+$"), "以 http:// 或 https:// 开头的网址"),
    "党政机关标识": (re.compile(r"^(https?://\S+|[^:]+\.(png|gif|jpg|jpeg|svg))$"),
                "标识图片：网址，或目录文件夹内的图片文件（.png .gif .jpg .svg）"),
}


def _check_website(website: Fields, root: Path) -> None:
    website.unknown_keys(set(WEBSITE_FORMATS))
    for key, form in WEBSITE_FORMATS.items():
        value = website.text(key)
        if value and form and not form[0].search(value):
            website.error(key, "website-format", f"「网站」的「{key}」写作「{value}」，应为{form[1]}")
        if key == "党政机关标识" and value and not value.startswith(("http://", "https://")):
            parts = PurePosixPath(value.replace("\\", "/"))
            if parts.is_absolute() or ".." in parts.parts:
                website.error(key, "path-outside", f"党政机关标识图片「{value}」必须在目录文件夹之内；请写相对路径")
            elif not (root / value).is_file():
                website.error(key, "missing-file", f"找不到党政机关标识图片「{value}」（相对于目录文件夹）")


def _taxonomy_file(f: Fields) -> str:
    """`目录` names a file inside the catalogue folder; anything else would read files from elsewhere."""
    name = f.text("目录")
    if not name:
        return "taxonomy.yml"
    parts = PurePosixPath(name.replace("\\", "/"))
    if parts.is_absolute() or ".." in parts.parts or ":" in name:
        f.error("目录", "path-outside", f"统一目录文件「{name}」必须在目录文件夹之内；请写相对路径，如 taxonomy.yml")
        return "taxonomy.yml"
    return parts.as_posix()


_COLUMN_KEYS = {"代码", "名称", "依据", "时限", "适用", "更新周期", "权重", "预期主题", "预期体裁", "解读",
                "规范性文件", "年报", "子栏目"}


def read_taxonomy(doc: YamlDoc, path: Path, report: Report) -> Taxonomy:
    top = Fields(doc, path, report)
    top.unknown_keys({"名称", "版本", "栏目"})
    by_code: dict[str, Column] = {}
    counter = iter(range(1_000_000))

    def build(entries: list, prefix: str, parent: Column | None) -> list[Column]:
        columns = []
        for i, entry in enumerate(entries):
            key = f"{prefix}.{i}"
            if not isinstance(entry, dict):
                report.error(path, doc.line(key), "type", "栏目应为「键: 值」的列表", "栏目")
                continue
            f = Fields(doc, path, report, key, doc.line(key) or 1)
            f.unknown_keys(_COLUMN_KEYS)
            code = f.text("代码", True, "栏目代码，如 gfxwj")
            if code and not SLUG_RE.match(code):
                f.error("代码", "slug", f"栏目代码「{code}」只能用小写英文字母、数字和连字符")
            if code in by_code:
                f.error("代码", "duplicate-code", f"栏目代码「{code}」重复；栏目代码在全目录中必须唯一")
            deadline = parent.deadline if parent else Deadline("20个工作日", workdays=20)
            if f.has("时限"):
                deadline = parse_deadline(f.text("时限"))
                if deadline is None:
                    f.error("时限", "deadline", f"无法识别的时限「{f.text('时限')}」；应写成「20个工作日」或「每年1月31日前」")
            kinds = parent.kinds if parent else frozenset(UNIT_KINDS)
            if "适用" in f.data:
                wanted = f.string_list("适用")
                bad = [k for k in wanted if k not in UNIT_KINDS]
                if bad:
                    f.error("适用", "enum", f"未知的单位类型「{'、'.join(bad)}」，应为：{'、'.join(UNIT_KINDS)}")
                kinds = frozenset(k for k in wanted if k in UNIT_KINDS)
                if parent and not kinds <= parent.kinds:
                    f.warning("适用", "kinds-wider", "子栏目的适用范围超出了上级栏目；超出的单位类型看不到这个栏目")
            topics = []
            for t in f.string_list("预期主题"):
                if check_topic(t)[1] and t not in TOPICS:
                    f.error("预期主题", "topic", f"预期主题「{t}」不是有效的主题分类" + suggest(t, TOPICS))
                else:
                    topics.append(t)
            genres = [GENRE_ALIASES.get(g, g) for g in f.string_list("预期体裁")]
            for g in genres:
                if g not in GENRES:
                    f.error("预期体裁", "enum", f"预期体裁「{g}」不是公文种类之一" + suggest(g, GENRES))
            column = Column(
                code=code or f"?{i}", name=f.text("名称", True), basis=f.text("依据") or (parent.basis if parent else ""),
                deadline=deadline, kinds=kinds,
                cycle=f.choice("更新周期", tuple(UPDATE_CYCLES), default=parent.cycle if parent else "") or None,
                weight=f.number("权重", parent.weight if parent else 1),
                topics=tuple(topics) or (parent.topics if parent else ()),
                genres=tuple(g for g in genres if g in GENRES) or (parent.genres if parent else ()),
                interpretation=f.flag("解读"), normative=f.flag("规范性文件"), annual=f.flag("年报"),
                parent=parent, order=next(counter))
            if code:
                by_code[code] = column
            children = f.sequence("子栏目")
            column.children = build(children, f"{key}.子栏目", column)
            columns.append(column)
        return columns

    roots = build(top.sequence("栏目"), "栏目", None)
    if not roots:
        report.error(path, 1, "required", "统一目录没有任何栏目；请在「栏目」下列出栏目", "栏目")
    return Taxonomy(top.text("名称") or "统一目录", top.text("版本"), roots, by_code)


_UNIT_KEYS = {"名称", "类型", "机构代码", "上级", "排序", "简介", "指南", "不适用"}


def read_unit(doc: YamlDoc, path: Path, report: Report, taxonomy: Taxonomy) -> Unit | None:
    uid = path.stem
    f = Fields(doc, path, report)
    if not SLUG_RE.match(uid):
        report.error(path, None, "slug", f"单位文件名「{path.name}」只能用小写英文字母、数字和连字符（它就是单位代码，决定网址）")
    f.unknown_keys(_UNIT_KEYS)
    kind = f.choice("类型", UNIT_KINDS, True, why="县级政府、政府部门、乡镇或街道")
    code = f.text("机构代码", True, "统一社会信用代码或组织机构代码，是索引号的前段").replace("-", "").upper()
    if code and not code.isascii():
        f.error("机构代码", "org-code", f"机构代码「{code}」含有全角或其他非英文字符；请改用半角的大写字母和数字")
    elif code:
        problem = check_org_identifier(code)
        if problem and problem.startswith("应为"):
            f.error("机构代码", "org-code", f"机构代码「{code}」{problem}")
        elif problem:
            f.warning("机构代码", "org-code-check", problem)
    guide = f.mapping("指南", True, "政府信息公开指南必须载明的事项（条例第十二条）")
    guide_data: dict[str, str] = {}
    if guide:
        guide.unknown_keys(set(GUIDE_FIELDS) | {"受理机构", "说明"})
        for key in GUIDE_FIELDS:
            guide_data[key] = guide.text(key, True, "政府信息公开指南必须载明（条例第十二条）；没有的写「无」")
        for key in ("受理机构", "说明"):
            guide_data[key] = guide.text(key)
    not_applicable: dict[str, str] = {}
    for i, entry in enumerate(f.sequence("不适用")):
        if not isinstance(entry, dict):
            report.error(path, doc.line("不适用", i), "type", "「不适用」的每一项应写「栏目」和「理由」", "不适用")
            continue
        e = Fields(doc, path, report, f"不适用.{i}", doc.line("不适用", i) or 1)
        col = e.text("栏目", True)
        reason = e.text("理由", True, "请说明本单位为什么没有这个栏目的信息")
        column = taxonomy.by_code.get(col)
        if col and column is None:
            e.error("栏目", "unknown-column", f"统一目录中没有栏目「{col}」" + suggest(col, taxonomy.by_code))
        elif column is not None and kind and not column.applies_to(kind):
            e.warning("栏目", "not-in-profile", f"栏目「{column.name}」本来就不适用于{kind}，无需标为不适用")
        elif col:
            not_applicable[col] = reason
    if not kind or not code:
        return None
    return Unit(id=uid, name=f.text("名称", True), kind=kind, code=code, parent_id=f.text("上级") or None,
                order=f.integer("排序", 1000), guide=guide_data, not_applicable=not_applicable,
                intro=f.text("简介"), path=path)
