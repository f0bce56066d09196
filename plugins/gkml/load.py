"""Stage 1: read the catalogue's files from disk, safely, into raw documents.

Nothing here judges content; it only turns bytes into (mapping, line numbers, body) or a
diagnostic that says why it could not.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Report
from .yamldoc import YamlDoc, YamlProblem, parse_mapping

MAX_TEXT_BYTES = 2 * 1024 * 1024  # an item or settings file; attachments have their own limit


@dataclass
class RawDoc:
    path: Path
    meta: YamlDoc
    body: str = ""
    body_line: int = 1


def inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def read_text(path: Path, root: Path, report: Report, limit: int = MAX_TEXT_BYTES) -> str | None:
    """UTF-8 text with BOM removed and newlines normalised, or None after reporting why not."""
    if path.is_symlink() and not inside(path, root):
        report.error(path, None, "symlink-outside", "符号链接指向目录之外，已忽略；请把文件本身放进目录")
        return None
    try:
        size = path.stat().st_size
    except OSError as exc:
        report.error(path, None, "unreadable", f"无法读取文件：{exc.strerror}")
        return None
    if size > limit:
        report.error(path, None, "file-too-large",
                     f"文件过大（{size / 1048576:.1f} MB），文本文件不得超过 {limit // 1048576} MB；大段内容请作为附件")
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.error(path, None, "unreadable", f"无法读取文件：{exc.strerror}")
        return None
    if b"\0" in data:
        report.error(path, data[: data.index(b"\0")].count(b"\n") + 1, "binary",
                     "文件含有空字节，不是文本文件；请用文本编辑器另存为 UTF-8")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = "，看起来是 GBK/GB2312 编码" if _looks_gbk(data) else ""
        report.error(path, line, "encoding",
                     f"文件不是 UTF-8 编码{hint}（第 {line} 行有无法识别的字节）；请在编辑器中选择「UTF-8」重新保存")
        return None
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        report.error(path, None, "empty-file", "文件为空")
        return None
    return text


def _looks_gbk(data: bytes) -> bool:
    try:
        data.decode("gb18030")
        return True
    except UnicodeDecodeError:
        return False


def read_mapping(path: Path, root: Path, report: Report) -> YamlDoc | None:
    """A whole-file YAML mapping (site.yml, taxonomy.yml, units/*.yml)."""
    text = read_text(path, root, report)
    if text is None:
        return None
    try:
        return parse_mapping(text)
    except YamlProblem as p:
        report.error(path, p.line, p.code, p.message)
        return None


def read_item(path: Path, root: Path, report: Report) -> RawDoc | None:
    """An item: YAML front matter between `---` lines, then a Markdown body."""
    text = read_text(path, root, report)
    if text is None:
        return None
    if not text.startswith("---\n"):
        first = text.lstrip("\n").split("\n", 1)[0]
        report.error(path, 1, "no-front-matter",
                     "缺少元数据：文件第一行应为「---」，随后是「键: 值」形式的元数据，再以「---」结束"
                     + ("（第一行前有多余的内容）" if first.strip() == "---" else ""))
        return None
    end = _closing(text)
    if end is None:
        report.error(path, 1, "front-matter-unclosed", "元数据没有结束：在元数据之后、正文之前加一行「---」")
        return None
    head, body = text[4:end], text[end:].split("\n", 2)
    body_text = body[2] if len(body) > 2 else ""
    try:
        meta = parse_mapping(head, first_line=2)
    except YamlProblem as p:
        report.error(path, p.line, p.code, p.message)
        return None
    head_lines = head.count("\n") + 1 if head else 0
    return RawDoc(path, meta, body_text, head_lines + 3)


def _closing(text: str) -> int | None:
    for marker in ("\n---\n", "\n...\n"):
        pos = text.find(marker, 3)
        if pos != -1:
            return pos
    for marker in ("\n---", "\n..."):
        if text.endswith(marker):
            return len(text) - len(marker)
    return None


def walk_files(folder: Path, root: Path, report: Report, suffix: str) -> list[Path]:
    """Files below `folder` with `suffix`, sorted, never following links out of the catalogue."""
    found: list[Path] = []
    if not folder.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        base = Path(dirpath)
        dirnames.sort()
        for d in list(dirnames):
            if d.startswith("."):
                dirnames.remove(d)
            elif (base / d).is_symlink():
                dirnames.remove(d)
                if not inside(base / d, root):
                    report.error(base / d, None, "symlink-outside", "符号链接指向目录之外，已忽略")
        for name in sorted(filenames):
            if name.endswith(suffix) and not name.startswith("."):
                found.append(base / name)
    return found
