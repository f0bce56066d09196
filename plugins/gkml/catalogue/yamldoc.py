"""Safe YAML reading that keeps line numbers and refuses what editors never mean to write.

libyaml composes the node tree (linear in the input even for alias bombs, since an alias
reuses its node); we then build the values ourselves from the tree: aliases, repeated keys,
non-string keys, explicit tags and values that cannot be read are reported with their line
instead of being expanded, silently overwritten or raised as exceptions.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
# First characters that may make a plain scalar a number, date, bool or null (a None key would mean
# "any character", and then there is no shortcut).
_IMPLICIT_FIRST = frozenset(_BaseLoader.yaml_implicit_resolvers)
_SHORTCUT = None not in _IMPLICIT_FIRST


class _Loader(_BaseLoader):
    """Resolves plain text that starts with a character no implicit type can start with (every Chinese
    value and key) straight to str: the generic resolver is the largest cost of `gkml check`."""

    def resolve(self, kind, value, implicit):
        if _SHORTCUT and kind is ScalarNode and implicit[0] and value and value[0] not in _IMPLICIT_FIRST:
            return _STR_TAG
        return super().resolve(kind, value, implicit)


class _Constructor(SafeConstructor):
    """Keeps an impossible date such as 2025-02-30 as text, so the validator can name it."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return str(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


class YamlProblem(Exception):
    def __init__(self, line: int | None, message: str, code: str = "yaml-syntax", field: str | None = None):
        super().__init__(message)
        self.line, self.message, self.code, self.field = line, message, code, field


def _field(path: str) -> str | None:
    """The field a problem belongs to: its key path up to the first list position ("附件.0.文件" -> "附件")."""
    parts = []
    for part in path.split("."):
        if part.isdigit():
            break
        parts.append(part)
    return ".".join(parts) or None


@dataclass
class YamlDoc:
    data: dict
    lines: dict[str, int] = field(default_factory=dict)  # "key", "key.0", "key.0.sub" -> line
    source: dict[str, str] = field(default_factory=dict)  # same paths -> the text of a number or true/false

    def line(self, *path, default: int | None = None) -> int | None:
        key = ".".join(str(p) for p in path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return default


_PROBLEMS = (  # libyaml's English -> what an editor can act on; first match wins
    ("found a tab character", "不能用 Tab 缩进；请改用空格"),
    ("while scanning a block scalar", "「|」或「>」之后应换行；值以 | 或 > 开头时请加引号"),
    ("cannot start any token", "此处有 YAML 不允许的字符（常见原因：用 Tab 缩进，或值以 @、` 开头）；缩进请只用空格，特殊值请加引号"),
    ("mapping values are not allowed", "此处不能出现冒号；值中含有「: 」时请给整个值加英文引号；"
                                       "如果这是新的一项，请删去行首多余的空格，与上一项对齐"),
    ("could not find expected ':'", "缺少冒号「:」；每行应为「键: 值」，冒号后留一个空格"),
    ("did not find expected key", "缩进不一致；同一层的键必须对齐"),
    ("expected <block end>", "缩进不一致；同一层的键必须对齐"),
    ("did not find expected '-' indicator", "列表缩进不一致；同一列表的「- 」必须对齐"),
    ("found unexpected end of stream", "引号或括号没有闭合"),
    ("found unknown escape character", "双引号中的反斜杠「\\」需要写成「\\\\」，或改用单引号"),
    ("invalid Unicode character escape", "双引号中的「\\u」转义不是有效的字符；请直接写出字符，或改用单引号"),
    ("control characters are not allowed", "含有不可见的控制字符；请删除后重新输入"),
    ("found undefined alias", "不支持 YAML 锚点和别名（& 和 *）；值以 * 或 & 开头时请加引号"),
    ("alphabetic or numeric character", "不支持 YAML 锚点和别名（& 和 *）；值以 * 或 & 开头时请加引号"),
    ("another document", "一个文件里只能有一段元数据；请删除多余的「---」行"),
    ("<document start>", "一个文件里只能有一段元数据；请删除多余的「---」或「...」行"),
    ("expected ',' or ']'", "方括号 [ ] 没有闭合或其中缺少逗号；列表写作 [甲, 乙]"),
    ("expected ',' or '}'", "花括号 { } 没有闭合或其中缺少逗号；写作 {键: 值, 键: 值}"),
    ("directive", "不支持以「%」开头的 YAML 指令；值以 % 开头时请加引号"),
    ("expected a comment or a line break", "「|」或「>」之后应换行；值以 | 或 > 开头时请加引号"),
    ("expected comment or line break", "引号或括号结束后本行还有多余的内容；整个值请放在一对引号里"),
    ("did not find expected node content", "此处缺少值；值以 [ ] { } , 等符号开头时请加引号"),
    ("unexpected end of stream", "文件意外结束；引号或括号没有闭合"),
)
_NOTICED_LATE = ("end of stream", "expected ',' or", "could not find expected ':'")
# Values an editor may write; anything else (!!binary, !!set, !custom, !!python/…) is refused.
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MAP_TAG, _SEQ_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
MAX_DEPTH = 20
_DEPTH_SCAN = 2000  # above this many nesting indicators, measure depth before composing (see _check_depth)


def _translate(exc: yaml.YAMLError, text: str) -> YamlProblem:
    problem = str(getattr(exc, "problem", None) or getattr(exc, "reason", None) or exc)
    context = str(getattr(exc, "context", None) or "")
    # An unclosed quote or bracket, or a key without colon, is noticed lines later; point at where it began.
    began = any(n in problem for n in _NOTICED_LATE) and getattr(exc, "context_mark", None) is not None
    mark = exc.context_mark if began else (getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None))
    line = mark.line + 1 if mark is not None else None
    if line is None and isinstance(getattr(exc, "position", None), int):  # ReaderError: a UTF-8 byte offset
        line = text.encode("utf-8", "surrogatepass")[: exc.position].count(b"\n") + 1
    last = text.rstrip().count("\n") + 1
    if line is not None and line > last:  # noticed only after the last line: something above was left open
        return YamlProblem(last, "YAML 语法错误：内容意外结束；前面有引号、方括号或花括号没有闭合")
    for needle, chinese in _PROBLEMS:
        if needle in problem or (needle.startswith("while ") and needle in context):
            return YamlProblem(line, f"YAML 语法错误：{chinese}")
    return YamlProblem(line, f"YAML 语法错误：无法解析本行（{problem}）；请对照 README.md 中的示例检查本行及上一行")


_FULLWIDTH_COLON = re.compile(r"^\s*(?:-\s+)?[^\s:#：\-][^:：]*：")
_NO_SPACE_COLON = re.compile(r"^\s*(?:-\s+)?[^\s:#\-\[{'\"][^:\s]*:(?=[^\s/:])")


def _colon_slip(text: str, line: int | None) -> YamlProblem | None:
    """The commonest slips of Chinese typing: 标题：示例 (full-width colon) and 标题:示例 (no space).

    libyaml reports them on the line where the structure finally breaks, often the next one, so
    the reported line and the non-blank line above it are examined."""
    if not line:
        return None
    lines = text.split("\n")
    candidates = [line - 1] + [i for i in range(min(line, len(lines)) - 2, -1, -1) if lines[i].strip()][:1]
    for i in candidates:
        if 0 <= i < len(lines):
            if _FULLWIDTH_COLON.match(lines[i]):
                return YamlProblem(i + 1, "YAML 语法错误：这一行的键和值之间用了中文冒号「：」；请改为英文冒号加一个空格「: 」")
            if _NO_SPACE_COLON.match(lines[i]):
                return YamlProblem(i + 1, "YAML 语法错误：这一行的冒号后面缺少空格；请写成「键: 值」，冒号后留一个空格")
    return None


def _check_depth(text: str) -> None:
    """libyaml's composer recurses in C and crashes the process on ~30,000 nested brackets or dashes.

    The event parser does not recurse, so for a text that could be that deep we count nesting from
    events first and stop as soon as it is too deep. Ordinary files have far fewer indicators.
    """
    indicators = sum(text.count(c) for c in "[{-?:\n")
    if indicators <= _DEPTH_SCAN:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH + 1:
                    raise _too_deep(event.start_mark.line + 1)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as exc:
        if too_deep := _libyaml_depth_limit(exc):
            raise too_deep from None
        raise


def _too_deep(line: int | None, field: str | None = None) -> YamlProblem:
    return YamlProblem(line, f"YAML 嵌套层次过深（超过 {MAX_DEPTH} 层）", "yaml-depth", field)


def _libyaml_depth_limit(exc: yaml.YAMLError) -> YamlProblem | None:
    """PyYAML 6.0.4 and later stop at their own nesting limit (about 1,000 levels) with a scanner
    error; that is the same problem as ours, reported the same way."""
    if "nesting depth" not in str(exc):
        return None
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return _too_deep(mark.line + 1 if mark is not None else None)


def _first_alias_line(text: str) -> int:
    """0-based line of the first `*alias` (composition succeeded, so parsing again cannot fail)."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line
    return 0


def _tag_name(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


# The plain front matter nearly every item has (`键: 值` lines, one level of `  键: 值` or `- 值`
# below a key, or a list of `- 键: 值` entries as 附件 are written): read without libyaml, which with
# building the values from its tree was a third of `gkml check` on 100,000 items (issue 18).
# Anything else goes to libyaml, which reads the subset the same way: a value here is plain text
# that the loader's implicit resolvers leave as text, or an exact YYYY-MM-DD date, or a boolean
# (true, false …, recorded as typed like libyaml's), or a one-line [甲, 乙] of such text; quotes,
# other flow collections, indicators, tabs, ": " or " #" inside a value, continuation lines,
# repeated keys, control or YAML line-break characters all send the whole text the long way
# (tests/test_yaml.py checks the two agree).
_INDICATOR_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`")
_RESOLVERS = _BaseLoader.yaml_implicit_resolvers
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NOT_SIMPLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_YMD = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DASH = re.compile(r"- +")
_FLOW_BAD = re.compile("[\\[\\]{}:#'\"]")
_KEYS: dict[str, str] = {}  # keys already found plain (a few dozen names recur in every file)
_DATES: dict[str, object] = {}  # YYYY-MM-DD texts already read (a few thousand days recur)


class _NotSimple(Exception):
    pass


def _simple_value(text: str, path: str, source: dict):
    """The value of a plain scalar of the subset (text, a date or a boolean), or _NotSimple."""
    known = _DATES.get(text)
    if known is not None:
        return known
    if not text or text[0] in _INDICATOR_FIRST or ": " in text or " #" in text or text[-1] == ":":
        raise _NotSimple
    for tag, pattern in _RESOLVERS.get(text[0], ()):  # as the loader resolves a plain scalar
        if pattern.match(text):
            if tag == _BOOL_TAG:
                source[path] = text  # as typed, as parse_mapping keeps it (see Fields.text)
                return SafeConstructor.bool_values[text.lower()]
            if tag != _TIMESTAMP_TAG or not _YMD.fullmatch(text):
                raise _NotSimple
            try:
                value = dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
            except ValueError:
                value = text  # as _Constructor keeps an impossible date
            if len(_DATES) < 100_000:
                _DATES[text] = value
            return value
    return text


def _simple_flow(text: str, path: str, source: dict) -> list:
    """A one-line list of plain text, [甲, 乙]: no flow indicator, quote or comment inside an entry."""
    if text[-1] != "]" or _FLOW_BAD.search(text, 1, len(text) - 1):
        raise _NotSimple
    inner = text[1:-1].strip(" ")
    if not inner:
        return []
    return [_simple_value(part.strip(" "), f"{path}.{i}", source) for i, part in enumerate(inner.split(","))]


def _simple_key(text: str) -> str:
    known = _KEYS.get(text)
    if known is not None:
        return known
    if not text or text[0] in _INDICATOR_FIRST or "#" in text or text != text.strip(" ") or text == "<<":
        raise _NotSimple
    if len(_KEYS) < 1000:
        _KEYS[text] = text.strip()
    return text.strip()


def _simple_pairs(rows: list[tuple[int, str]], path: str, first_line: int, lines: dict, source: dict) -> dict:
    """`键: 值` rows (already unindented) as a mapping of plain values; `path` is the mapping's."""
    sub: dict = {}
    for at, row in rows:
        name, colon, rest = row.partition(":")
        name = _simple_key(name)
        if not colon or name in sub or (rest and rest[0] != " "):
            raise _NotSimple
        rest = rest.strip(" ")
        where = f"{path}.{name}"
        sub[name] = _simple_value(rest, where, source) if rest else None
        lines[where] = at + first_line
    return sub


def _simple_list(block: list[tuple[int, int, str]], indent: int, key: str, first_line: int, lines: dict,
                 source: dict) -> list:
    """`- 值` rows, or `- 键: 值` entries whose further keys line up under the first one."""
    values: list = []
    entry: list | None = None  # the rows of the mapping entry being read, and their column
    column = -1
    for at, width, row in block:
        if width == indent:
            dash = _DASH.match(row)
            if not dash:
                raise _NotSimple
            content = row[dash.end():].rstrip(" ")
            where = f"{key}.{len(values)}"
            lines[where] = at + first_line
            if ": " in content or content.endswith(":"):
                entry, column = [(at, content)], indent + dash.end()
                values.append(entry)
            else:
                entry, column = None, -1
                values.append(_simple_value(content, where, source))
        elif width == column and entry is not None:
            entry.append((at, row))
        else:
            raise _NotSimple
    for i, value in enumerate(values):
        if isinstance(value, list):
            values[i] = _simple_pairs(value, f"{key}.{i}", first_line, lines, source)
    return values


def _simple_mapping(text: str, first_line: int) -> YamlDoc | None:
    """`text` read as the subset above, or None when it is not (the caller uses libyaml)."""
    if _NOT_SIMPLE.search(text):
        return None
    data: dict = {}
    lines: dict[str, int] = {}
    source: dict[str, str] = {}
    rows = text.split("\n")
    n, count = 0, len(rows)
    try:
        while n < count:
            row = rows[n]
            if not row or row[0] == "#":
                n += 1
                continue
            if row[0] == " ":
                if not row.strip(" ") or row.lstrip(" ")[0] == "#":
                    n += 1
                    continue
                raise _NotSimple  # indented without a key above it: a continuation line
            key, colon, rest = row.partition(":")
            key = _simple_key(key)
            if not colon or key in data or (rest and rest[0] != " "):
                raise _NotSimple
            lines[key] = n + first_line
            rest = rest.strip(" ")
            n += 1
            if rest:
                if rest[0] == "[":
                    data[key] = value = _simple_flow(rest, key, source)
                    lines.update((f"{key}.{i}", n - 1 + first_line) for i in range(len(value)))
                else:
                    data[key] = _simple_value(rest, key, source)
                continue
            block, indent = [], None  # the lines below `key:` : a list or a mapping, one level
            while n < count:
                row = rows[n]
                stripped = row.lstrip(" ")
                if not stripped or stripped[0] == "#":
                    n += 1
                    continue
                width = len(row) - len(stripped)
                if width == 0 and row[0] != "-":
                    break  # the next key
                if indent is None:
                    indent = width
                block.append((n, width, stripped))
                n += 1
            if not block:
                data[key] = None
            elif block[0][2][0] == "-":
                data[key] = _simple_list(block, indent, key, first_line, lines, source)
            elif indent and all(width == indent for _, width, _ in block):
                data[key] = _simple_pairs([(at, row) for at, _, row in block], key, first_line, lines, source)
            else:
                raise _NotSimple
    except _NotSimple:
        return None
    return YamlDoc(data, lines, source) if data else None


def parse_mapping(text: str, first_line: int = 1) -> YamlDoc:
    """Parse `text` as one YAML mapping. Line numbers are shifted so that `text` starts at `first_line`."""
    if (simple := _simple_mapping(text, first_line)) is not None:
        return simple
    shift = first_line - 1
    try:
        _check_depth(text)
        root = yaml.compose(text, Loader=_Loader)
    except YamlProblem as p:
        raise YamlProblem(p.line and p.line + shift, p.message, p.code, p.field) from None
    except yaml.YAMLError as exc:
        problem = _libyaml_depth_limit(exc) or _colon_slip(text, _translate(exc, text).line) or _translate(exc, text)
        if problem.code == "yaml-depth":
            raise YamlProblem(problem.line and problem.line + shift, problem.message, problem.code) from None
        raise YamlProblem(problem.line and problem.line + shift, problem.message) from None
    except (ValueError, RecursionError, MemoryError) as exc:  # pathological input libyaml gives up on
        raise YamlProblem(None, f"YAML 无法解析（{type(exc).__name__}）；请对照 README.md 中的示例检查") from None
    if root is None:
        raise YamlProblem(first_line, "YAML 内容为空；应为「键: 值」的列表", "yaml-empty")
    if not isinstance(root, MappingNode):
        if slip := _colon_slip(text, root.start_mark.line + 1):
            raise YamlProblem(slip.line + shift, slip.message)
        raise YamlProblem(root.start_mark.line + first_line, "YAML 顶层应为「键: 值」的列表，而不是单个值或列表",
                          "yaml-not-mapping")
    offset = first_line  # libyaml lines are 0-based
    lines: dict[str, int] = {}
    source: dict[str, str] = {}
    seen: set[int] = set()
    constructor = _Constructor()

    def scalar(node: ScalarNode, path: str):
        line = node.start_mark.line + offset
        if node.tag not in _SCALAR_TAGS:
            raise YamlProblem(line, f"不支持 YAML 标签「{_tag_name(node.tag)}」；请删去它，直接写值", "yaml-tag",
                              _field(path))
        if node.tag == _STR_TAG:
            return node.value  # what SafeConstructor would return, without its bookkeeping
        try:
            value = constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError):
            raise YamlProblem(line, f"无法识别的值「{node.value[:40]}」；如果这是一段文字，请给它加上英文引号",
                              "yaml-value", _field(path)) from None
        if isinstance(value, (bool, int, float)) and not node.style:  # plain: None (pure) or "" (libyaml)
            source[path] = node.value  # what the editor typed, for fields that want text (see Fields.text)
        return value

    def walk(node, path: str, depth: int):
        if id(node) in seen:  # an alias: the node is shared, so its own mark is the anchor's line
            raise YamlProblem(_first_alias_line(text) + offset,
                              "不支持 YAML 锚点和别名（& 和 *）；请把内容直接写出来", "yaml-alias", _field(path))
        if depth > MAX_DEPTH:
            raise _too_deep(node.start_mark.line + offset, _field(path))
        seen.add(id(node))
        if path:
            lines[path] = node.start_mark.line + offset
        if isinstance(node, ScalarNode):
            return scalar(node, path)
        expected = _MAP_TAG if isinstance(node, MappingNode) else _SEQ_TAG
        if node.tag != expected:
            raise YamlProblem(node.start_mark.line + offset,
                              f"不支持 YAML 标签「{_tag_name(node.tag)}」；请删去它，直接写值", "yaml-tag", _field(path))
        if isinstance(node, SequenceNode):
            return [walk(child, f"{path}.{i}" if path else str(i), depth + 1) for i, child in enumerate(node.value)]
        data: dict[str, object] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + offset
            if isinstance(key_node, ScalarNode) and key_node.value == "<<":
                raise YamlProblem(line, "不支持 YAML 合并键「<<」；请把内容直接写出来", "yaml-alias",
                                  _field(f"{path}.<<" if path else "<<"))
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                raise YamlProblem(line, "键必须是文字", "yaml-key", _field(path))
            key = str(key_node.value).strip()
            sub = f"{path}.{key}" if path else key
            if key in data:
                raise YamlProblem(line, f"键「{key}」重复出现（第 {lines[sub]} 行已有）；请删除或合并其中一个",
                                  "yaml-duplicate-key", _field(sub))
            data[key] = walk(value_node, sub, depth + 1)
            lines[sub] = line
        return data

    return YamlDoc(walk(root, "", 0), lines, source)
