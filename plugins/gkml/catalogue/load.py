"""Stage 1: read the catalogue's files from disk, safely, into raw documents.

Nothing here judges content; it only turns bytes into (mapping, line numbers, body) or a
diagnostic that says why it could not.
"""
from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Report
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


_OS_REASONS = {errno.ENOENT: "文件不存在（可能是失效的符号链接）", errno.EACCES: "没有读取权限",
               errno.ELOOP: "符号链接循环", errno.EISDIR: "这是一个文件夹", errno.ENAMETOOLONG: "文件名过长"}


def os_reason(exc: OSError) -> str:
    """An OS error in Chinese (strerror is English)."""
    return _OS_REASONS.get(exc.errno, f"系统错误 {exc.errno}")


def read_text(path: Path, root: Path, report: Report, limit: int = MAX_TEXT_BYTES) -> str | None:
    """UTF-8 text with BOM removed and newlines normalised, or None after reporting why not."""
    # Plain string tests first: pathlib's parts and relative_to cost more than reading a small file.
    name, top = str(path), str(root) + os.sep
    try:
        info = os.lstat(name)
        link = stat.S_ISLNK(info.st_mode)
        if (link or not name.startswith(top) or f"{os.sep}..{os.sep}" in name) and not inside(path, root):
            report.error(path, None, "symlink-outside" if link else "path-outside",
                         ("符号链接" if link else "路径") + "指向目录之外，已忽略；请把文件本身放进目录")
            return None
        if link:
            info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            report.error(path, None, "not-a-file", "不是普通文件（可能是管道、设备或文件夹），已忽略")
            return None
        if info.st_size > limit:
            report.error(path, None, "file-too-large", f"文件过大（{info.st_size / 1048576:.1f} MB），文本文件不得超过 "
                         f"{limit // 1048576} MB；大段内容请作为附件")
            return None
        fd = os.open(name, _READ_FLAGS)  # no file object: it costs more than reading a small file
        try:
            data = _read_fd(fd, info.st_size + 1)  # reading `limit` would allocate it whole for every file
            if len(data) > info.st_size:  # it grew since stat
                data += _read_fd(fd, limit + 1 - len(data))
        finally:
            os.close(fd)
    except OSError as exc:
        report.error(path, None, "unreadable", f"无法读取文件：{os_reason(exc)}")
        return None
    if len(data) > limit:
        report.error(path, None, "file-too-large", f"文件过大，文本文件不得超过 {limit // 1048576} MB；大段内容请作为附件")
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        report.error(path, None, "encoding", "文件是 UTF-16 编码；请在编辑器中选择「UTF-8」重新保存")
        return None
    if b"\0" in data:
        report.error(path, data[: data.index(b"\0")].count(b"\n") + 1, "binary",
                     "文件含有空字节，不是文本文件；请用文本编辑器另存为 UTF-8")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        hint = "，看起来是 GBK/GB2312 编码" if _looks_gbk(data, exc.start) else ""
        lines = data.decode("utf-8", "replace").removeprefix("\ufeff")
        report.error(path, line, "encoding",
                     f"文件不是 UTF-8 编码{hint}（第 {line} 行有无法识别的字节）；请在编辑器中选择「UTF-8」重新保存",
                     field_at(_normalise(lines), line))
        return None
    text = _normalise(text.removeprefix("\ufeff"))
    if not text or text.isspace():  # as `not text.strip()`, without copying the text
        report.error(path, None, "empty-file", "文件为空")
        return None
    return text


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)


def _read_fd(fd: int, size: int) -> bytes:
    """Up to `size` bytes, fewer only at the end of the file."""
    parts = []
    while size > 0 and (part := os.read(fd, size)):
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


_KEY_LINE = re.compile(r"^([^\s#\-?:：\[{][^:：]*?)\s*(?::(?:\s|$)|：|:(?=\S))")  # also the slips 标题：甲, 标题:甲
_MARKER = re.compile(r"^(---|\.\.\.)[ \t]*$", re.MULTILINE)


def field_at(text: str, line: int | None) -> str | None:
    """The top-level field that `line` (1-based) belongs to, for messages about raw text.

    Lines of an item's body give 正文; an indented or blank line belongs to the key above it; a
    top-level line that is not `key: value` gives None (we cannot tell).
    """
    if not line:
        return None
    lines = text.split("\n")
    if lines and _MARKER.match(lines[0]):
        closing = next((i for i in range(1, len(lines)) if _MARKER.match(lines[i])), None)
        if closing is not None and line > closing + 1:
            return "正文"
    for i in range(min(line, len(lines)) - 1, -1, -1):
        current = lines[i]
        if not current.strip() or current[0] in " \t" or current.lstrip().startswith("#"):
            continue
        if _MARKER.match(current):
            return None
        m = _KEY_LINE.match(current)
        return m[1].strip().strip("'\"") if m else None
    return None


def _looks_gbk(data: bytes, at: int) -> bool:
    """Whether the line with the bad byte reads as GB18030 (files are often half pasted from elsewhere)."""
    start, end = data.rfind(b"\n", 0, at) + 1, data.find(b"\n", at)
    line = data[start: end if end != -1 else len(data)]
    try:
        line.decode("gb18030")
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
        report.error(path, p.line, p.code, p.message, p.field or field_at(text, p.line))
        return None


def read_item(path: Path, root: Path, report: Report) -> RawDoc | None:
    """An item: YAML front matter between `---` lines, then a Markdown body."""
    text = read_text(path, root, report)
    if text is None:
        return None
    first, _, rest = text.partition("\n")
    if first.rstrip() != "---":
        extra = text.lstrip("\n").split("\n", 1)[0].strip() == "---"
        report.error(path, 1, "no-front-matter",
                     "缺少元数据：文件第一行应为「---」，随后是「键: 值」形式的元数据，再以「---」结束"
                     + ("（第一行前有多余的空行）" if extra else ""))
        return None
    closing = _MARKER.search(rest)
    if closing is None:
        report.error(path, 1, "front-matter-unclosed", "元数据没有结束：在元数据之后、正文之前加一行「---」")
        return None
    head = rest[: closing.start()]
    body_text = rest[closing.end() + 1:]
    try:
        meta = parse_mapping(head, first_line=2)
    except YamlProblem as p:
        report.error(path, p.line, p.code, p.message, p.field or field_at(text, p.line))
        return None
    return RawDoc(path, meta, body_text, head.count("\n") + 3)


def walk_files(folder: Path, root: Path, report: Report, suffix: str) -> list[Path]:
    """Files below `folder` with `suffix`, sorted, never following links out of the catalogue."""
    found: list[Path] = []
    if folder.is_symlink() and not inside(folder, root):
        report.error(folder, None, "symlink-outside", "符号链接指向目录之外，已忽略")
        return found
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
                else:
                    report.warning(base / d, None, "symlink-folder",
                                   "符号链接的文件夹不会被读取，其中的文件已忽略；请把文件直接放在这里")
        for name in sorted(filenames):
            if name.endswith(suffix) and not name.startswith("."):
                found.append(base / name)
    return found
