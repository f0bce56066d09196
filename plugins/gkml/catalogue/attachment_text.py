"""The text inside attachments, so publication gates can scan it like the item body.

Readable: txt, csv (UTF-8, UTF-16 with BOM, or GB18030), docx (body, tables, headers, footers,
notes), xlsx (every cell), pdf (text layer, via pypdf) and zip (members of those types, one
level deep). Each piece of text comes with a position in Chinese ("第 3 页第 2 行", "工作表「名单」
单元格 C3") so a finding can name where it is. Other types (images, doc, wps, ofd …) yield
nothing: they cannot be checked automatically.
"""
from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

SUPPORTED = (".txt", ".csv", ".docx", ".xlsx", ".pdf", ".zip")
MAX_MEMBER_BYTES = 50 * 1024 * 1024  # a zip member larger than an attachment may be is skipped
MAX_MEMBERS = 500
MAX_CHARS = 20_000_000  # stop reading one attachment after this much text
MAX_UNPACKED = 500 * 1024 * 1024  # docx / xlsx whose parts unpack to more than this are refused (zip bombs)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_PARTS = re.compile(r"word/(header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")
_PART_LABEL = {"header": "页眉", "footer": "页脚", "footnotes": "脚注", "endnotes": "尾注", "comments": "批注"}


class UnreadableAttachment(Exception):
    """The file is damaged, encrypted or not what its suffix says; the message is Chinese."""


@dataclass(frozen=True)
class Chunk:
    where: str  # position in Chinese, e.g. "第 2 页", "工作表「名单」单元格 C3"
    text: str

    def locate(self, offset: int) -> str:
        """Position of `offset` inside this chunk, adding the line when the chunk has several."""
        if "\n" not in self.text.strip("\n"):
            return self.where
        return f"{self.where}第 {self.text.count(chr(10), 0, offset) + 1} 行"


def extract(path: Path, suffix: str | None = None) -> list[Chunk]:
    """All text of the attachment at `path`, in reading order; [] for types that cannot be read."""
    suffix = (suffix or path.suffix).lower()
    if suffix not in _READERS:
        return []
    try:
        stat = path.stat()
    except OSError as exc:
        raise UnreadableAttachment(f"无法读取文件：{exc.strerror}") from None
    return list(_cached(str(path), stat.st_mtime_ns, stat.st_size, suffix))


_CACHE: dict[tuple, tuple[Chunk, ...] | str] = {}


def _cached(path: str, mtime: int, size: int, suffix: str) -> tuple[Chunk, ...]:
    key = (path, mtime, size, suffix)
    if key not in _CACHE:
        if len(_CACHE) > 256:
            _CACHE.clear()
        try:
            _CACHE[key] = tuple(read_bytes(Path(path).read_bytes(), suffix))
        except UnreadableAttachment as exc:
            _CACHE[key] = str(exc)
        except OSError as exc:
            _CACHE[key] = f"无法读取文件：{exc.strerror}"
    value = _CACHE[key]
    if isinstance(value, str):
        raise UnreadableAttachment(value)
    return value


def read_bytes(data: bytes, suffix: str) -> list[Chunk]:
    reader = _READERS.get(suffix.lower())
    return reader(data) if reader else []


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (GBK files from Windows)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _lines(data: bytes) -> list[Chunk]:
    text = decode_text(data)[:MAX_CHARS].replace("\r\n", "\n").replace("\r", "\n")
    return [Chunk(f"第 {n} 行", line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]


def _check_unpacked(data: bytes, kind: str) -> None:
    """Office files are zips: refuse one that would unpack to an absurd size before reading it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile:
        raise UnreadableAttachment(f"不是有效的 {kind} 文件") from None
    if total > MAX_UNPACKED:
        raise UnreadableAttachment(f"{kind} 文件解压后超过 {MAX_UNPACKED // 1048576} MB，疑似压缩炸弹")


def _docx(data: bytes) -> list[Chunk]:
    _check_unpacked(data, "DOCX")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            if "word/document.xml" not in names:
                raise UnreadableAttachment("不是有效的 DOCX 文件（缺少 word/document.xml）")
            chunks = _docx_part(zf.read("word/document.xml"), "")
            for name in sorted(n for n in names if _DOCX_PARTS.match(n)):
                kind = re.sub(r"\d+$", "", _DOCX_PARTS.match(name)[1])
                chunks += _docx_part(zf.read(name), _PART_LABEL[kind])
            return chunks
    except (zipfile.BadZipFile, ET.ParseError, KeyError, RuntimeError, EOFError) as exc:
        raise UnreadableAttachment(f"不是有效的 DOCX 文件（{type(exc).__name__}）") from None


def _docx_part(xml: bytes, label: str) -> list[Chunk]:
    root = ET.fromstring(xml)
    chunks: list[Chunk] = []
    counters = {"p": 0, "tbl": 0}

    def text_of(node) -> str:
        out = []
        for el in node.iter():
            if el.tag == _W + "t" and el.text:
                out.append(el.text)
            elif el.tag == _W + "tab":
                out.append("\t")
            elif el.tag in (_W + "br", _W + "cr"):
                out.append("\n")
            elif el.tag == _W + "p" and out and out[-1] != "\n":
                out.append("\n")
        return "".join(out).strip("\n")

    def walk(node) -> None:
        for child in node:
            if child.tag == _W + "p":
                counters["p"] += 1
                if text := text_of(child):
                    chunks.append(Chunk(f"{label}第 {counters['p']} 段", text))
            elif child.tag == _W + "tbl":
                counters["tbl"] += 1
                rows = [r for r in child if r.tag == _W + "tr"]
                for r, row in enumerate(rows, 1):
                    cells = [c for c in row if c.tag == _W + "tc"]
                    for c, cell in enumerate(cells, 1):
                        if text := text_of(cell):
                            chunks.append(Chunk(f"{label}第 {counters['tbl']} 个表格第 {r} 行第 {c} 列", text))
            else:
                walk(child)

    walk(root)
    return chunks


def _cell_text(value) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e20:
        return str(int(value))
    return str(value)


def _xlsx(data: bytes) -> list[Chunk]:
    from openpyxl import load_workbook
    _check_unpacked(data, "XLSX")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise UnreadableAttachment(f"不是有效的 XLSX 文件（{type(exc).__name__}）") from None
    chunks: list[Chunk] = []
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    text = _cell_text(getattr(cell, "value", None))
                    if text.strip():
                        chunks.append(Chunk(f"工作表「{ws.title}」单元格 {cell.coordinate}", text))
    except Exception as exc:
        raise UnreadableAttachment(f"XLSX 文件内容损坏（{type(exc).__name__}）") from None
    finally:
        wb.close()
    return chunks


def _pdf(data: bytes) -> list[Chunk]:
    try:
        from pypdf import PdfReader
    except ImportError:
        raise UnreadableAttachment("未安装 pypdf，无法读取 PDF 文字") from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are reported by us, in Chinese
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableAttachment("PDF 已加密，无法读取文字")
        chunks, total = [], 0
        for n, page in enumerate(reader.pages, 1):
            text = (page.extract_text() or "").strip()
            if text:
                chunks.append(Chunk(f"第 {n} 页", text))
                total += len(text)
                if total > MAX_CHARS:
                    break
        return chunks
    except UnreadableAttachment:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        raise UnreadableAttachment(f"不是有效的 PDF 文件（{type(exc).__name__}）") from None


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zip tools on Chinese Windows store GBK names without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _zip(data: bytes) -> list[Chunk]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnreadableAttachment("不是有效的 ZIP 文件") from None
    chunks: list[Chunk] = []
    with zf:
        members = [i for i in zf.infolist() if not i.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise UnreadableAttachment(f"压缩包内有 {len(members)} 个文件，超过 {MAX_MEMBERS} 个，未逐一检查")
        for info in members:
            name = _member_name(info)
            suffix = PurePosixPath(name).suffix.lower()
            if suffix not in _READERS or suffix == ".zip":
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                raise UnreadableAttachment(f"压缩包内「{name}」解压后超过 {MAX_MEMBER_BYTES // 1048576} MB，未检查")
            try:
                inner = read_bytes(zf.read(info), suffix)
            except UnreadableAttachment as exc:
                raise UnreadableAttachment(f"压缩包内「{name}」{exc}") from None
            except (zipfile.BadZipFile, RuntimeError, EOFError, OSError) as exc:
                raise UnreadableAttachment(f"压缩包内「{name}」无法解压（{type(exc).__name__}）") from None
            chunks += [Chunk(f"压缩包内「{name}」{c.where}", c.text) for c in inner]
    return chunks


_READERS = {".txt": _lines, ".csv": _lines, ".docx": _docx, ".xlsx": _xlsx, ".pdf": _pdf, ".zip": _zip}
