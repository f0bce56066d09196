"""Safe YAML reading that keeps line numbers and refuses what editors never mean to write.

libyaml composes the node tree (linear in the input even for alias bombs, since an alias
reuses its node); we then walk the tree ourselves: aliases, repeated keys and non-string
keys are reported with their line instead of being expanded or silently overwritten.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Constructor(SafeConstructor):
    """Keeps an impossible date such as 2025-02-30 as text, so the validator can name it."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return str(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


class YamlProblem(Exception):
    def __init__(self, line: int | None, message: str, code: str = "yaml-syntax"):
        super().__init__(message)
        self.line, self.message, self.code = line, message, code


@dataclass
class YamlDoc:
    data: dict
    lines: dict[str, int] = field(default_factory=dict)  # "key", "key.0", "key.0.sub" -> line

    def line(self, *path, default: int | None = None) -> int | None:
        key = ".".join(str(p) for p in path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return default


_PROBLEMS = (  # libyaml's English -> what an editor can act on
    ("cannot start any token", "此处有 YAML 不允许的字符（常见原因：用 Tab 缩进，或值以 @、` 开头）；缩进请只用空格，特殊值请加引号"),
    ("mapping values are not allowed", "此处不能出现冒号；值中含有「: 」时请给整个值加英文引号"),
    ("could not find expected ':'", "缺少冒号「:」；每行应为「键: 值」，冒号后留一个空格"),
    ("did not find expected key", "缩进不一致；同一层的键必须对齐"),
    ("expected <block end>", "缩进不一致；同一层的键必须对齐"),
    ("did not find expected '-' indicator", "列表缩进不一致；同一列表的「- 」必须对齐"),
    ("found unexpected end of stream", "引号或括号没有闭合"),
    ("found unknown escape character", "双引号中的反斜杠「\\」需要写成「\\\\」，或改用单引号"),
    ("control characters are not allowed", "含有不可见的控制字符；请删除后重新输入"),
)


def _translate(exc: yaml.YAMLError) -> YamlProblem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = str(getattr(exc, "problem", "") or exc)
    for needle, chinese in _PROBLEMS:
        if needle in problem:
            return YamlProblem(line, f"YAML 语法错误：{chinese}")
    return YamlProblem(line, f"YAML 语法错误：{problem}；请对照 README.md 中的示例检查本行及上一行")


def parse_mapping(text: str, first_line: int = 1) -> YamlDoc:
    """Parse `text` as one YAML mapping. Line numbers are shifted so that `text` starts at `first_line`."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.composer.ComposerError as exc:  # e.g. undefined alias
        problem = _translate(exc)
        raise YamlProblem(problem.line and problem.line + first_line - 1, problem.message)
    except yaml.YAMLError as exc:
        problem = _translate(exc)
        raise YamlProblem(problem.line and problem.line + first_line - 1, problem.message) from None
    except (ValueError, RecursionError) as exc:  # pathological nesting
        raise YamlProblem(None, f"YAML 无法解析：{exc}") from None
    if root is None:
        raise YamlProblem(first_line, "YAML 内容为空；应为「键: 值」的列表", "yaml-empty")
    if not isinstance(root, MappingNode):
        raise YamlProblem(root.start_mark.line + first_line, "YAML 顶层应为「键: 值」的列表，而不是单个值或列表",
                          "yaml-not-mapping")
    offset = first_line  # libyaml lines are 0-based
    lines: dict[str, int] = {}
    seen: set[int] = set()

    def walk(node, path: str, depth: int) -> None:
        if id(node) in seen:
            raise YamlProblem(node.start_mark.line + offset,
                              "不支持 YAML 锚点和别名（& 和 *）；请把内容直接写出来", "yaml-alias")
        if depth > 20:
            raise YamlProblem(node.start_mark.line + offset, "YAML 嵌套层次过深（超过 20 层）", "yaml-depth")
        seen.add(id(node))
        if path:
            lines[path] = node.start_mark.line + offset
        if isinstance(node, MappingNode):
            keys: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise YamlProblem(key_node.start_mark.line + offset, "键必须是文字", "yaml-key")
                key = str(key_node.value).strip()
                line = key_node.start_mark.line + offset
                if key == "<<":
                    raise YamlProblem(line, "不支持 YAML 合并键「<<」；请把内容直接写出来", "yaml-alias")
                if key in keys:
                    raise YamlProblem(line, f"键「{key}」重复出现（第 {keys[key]} 行已有）；请删除或合并其中一个",
                                      "yaml-duplicate-key")
                keys[key] = line
                sub = f"{path}.{key}" if path else key
                walk(value_node, sub, depth + 1)
                lines[sub] = line
        elif isinstance(node, SequenceNode):
            for i, child in enumerate(node.value):
                walk(child, f"{path}.{i}", depth + 1)

    walk(root, "", 0)
    data = _Constructor().construct_object(root, deep=True)
    data = {str(k).strip(): v for k, v in data.items()}
    return YamlDoc(data, lines)
