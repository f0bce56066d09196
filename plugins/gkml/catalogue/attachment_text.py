"""The text inside attachments, so publication gates can scan it like the item body.

Readable: txt, csv (UTF-8, UTF-16 with or without BOM, or GB18030), docx (body, tables, headers,
footers, notes, and the text of every other part), xlsx (every cell, formulas and the strings they
join, comments and every other part; read from the XML so a sheet claiming XFD1048576 costs
nothing), pdf (text layer, via pypdf) and zip (every member, whatever its name says, opened
recursively: a member's type is taken from its content when its suffix is unknown or missing).
Reading is bounded (bytes unpacked, compression ratio, nesting, cells, characters, time): past a
limit `AttachmentLimit` says which, and the gate refuses to publish what it could not read. Each piece of text comes with a position in Chinese ("第 3 页第 2 行", "工作表「名单」
单元格 C3") so a finding can name where it is. Other types (images, doc, wps, ofd …) yield
nothing: they cannot be checked automatically.
"""
from __future__ import annotations

import hashlib
import io
import logging
import re
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

SUPPORTED = (".txt", ".csv", ".docx", ".xlsx", ".pdf", ".zip")
MAX_MEMBER_BYTES = 50 * 1024 * 1024  # a zip member larger than an attachment may be is skipped
MAX_MEMBERS = 500
MAX_CHARS = 20_000_000  # stop reading one attachment after this much text
MAX_UNPACKED = 500 * 1024 * 1024  # docx / xlsx whose parts unpack to more than this are refused (zip bombs)
MAX_RATIO = 200  # a zip member unpacking to more than this many times its packed size (and over 1 MB) is a bomb
MAX_DEPTH = 3  # archives inside archives
MAX_CELLS = 2_000_000
MAX_SECONDS = 120.0  # one attachment, all of it

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_PARTS = re.compile(r"word/(header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")
_PART_LABEL = {"header": "页眉", "footer": "页脚", "footnotes": "脚注", "endnotes": "尾注", "comments": "批注"}


class UnreadableAttachment(Exception):
    """The file is damaged, encrypted or not what its suffix says; the message is Chinese."""


class AttachmentLimit(UnreadableAttachment):
    """The file is too large, too deep or too slow to read whole; the message says which limit."""


class _Budget:
    """What one attachment may cost, shared by the archives inside it."""

    def __init__(self):
        self.deadline = time.monotonic() + MAX_SECONDS
        self.unpacked = 0
        self.chars = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise AttachmentLimit(f"读取超过 {MAX_SECONDS:.0f} 秒仍未完成，未检查完")

    def unpack(self, size: int) -> None:
        self.unpacked += size
        if self.unpacked > MAX_UNPACKED:
            raise AttachmentLimit(f"解压后超过 {MAX_UNPACKED // 1048576} MB，疑似压缩炸弹，未检查")


_budget: _Budget | None = None  # the budget of the attachment being read (reading is single-threaded per process)


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


_CACHE: dict[tuple, tuple[Chunk, ...] | UnreadableAttachment] = {}
# The same bytes under another name (a form or a template attached to many items) give the same
# text: read once per process. Only small texts are kept, so the memory stays small.
_BY_CONTENT: dict[tuple[bytes, str], tuple[Chunk, ...]] = {}
_KEPT_CHARS = 100_000  # an attachment's text up to this is kept by content
_KEPT_FILES = 2000


def _cached(path: str, mtime: int, size: int, suffix: str) -> tuple[Chunk, ...]:
    key = (path, mtime, size, suffix)
    if key not in _CACHE:
        if len(_CACHE) > 256:
            _CACHE.clear()
        try:
            _CACHE[key] = _by_content(Path(path).read_bytes(), suffix)
        except UnreadableAttachment as exc:
            _CACHE[key] = exc
        except OSError as exc:
            _CACHE[key] = UnreadableAttachment(f"无法读取文件：{exc.strerror}")
    value = _CACHE[key]
    if isinstance(value, UnreadableAttachment):
        raise type(value)(str(value))  # the same kind: a limit is not damage
    return value


def _by_content(data: bytes, suffix: str) -> tuple[Chunk, ...]:
    key = (hashlib.blake2b(data, digest_size=16).digest(), suffix)
    chunks = _BY_CONTENT.get(key)
    if chunks is None:
        chunks = tuple(read_bytes(data, suffix))  # an unreadable file raises, and is not kept here
        if sum(len(chunk.text) for chunk in chunks) <= _KEPT_CHARS:
            if len(_BY_CONTENT) >= _KEPT_FILES:
                _BY_CONTENT.clear()
            _BY_CONTENT[key] = chunks
    return chunks


def read_bytes(data: bytes, suffix: str) -> list[Chunk]:
    global _budget
    if suffix.lower() not in _READERS:
        return []
    outer, _budget = _budget, _Budget()
    try:
        return _read(data, suffix.lower(), 0)
    finally:
        _budget = outer


def _read(data: bytes, suffix: str, depth: int) -> list[Chunk]:
    reader = _READERS.get(suffix) or (_lines if suffix in _TEXT_SUFFIXES else _sniff(data))
    if reader is _zip:
        return _zip(data, depth)
    return reader(data) if reader else []


def _sniff(data: bytes):
    """The reader for content whose name says nothing (no suffix, .html, .dat …)."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        return _docx if "word/document.xml" in names else _xlsx if "xl/workbook.xml" in names else _zip
    if data.startswith(b"%PDF"):
        return _pdf
    head = data[:4096]
    if b"\x00" in head and not _utf16_without_bom(head):
        return None  # binary: images and the like carry no text we can read
    return _lines


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when every other byte is mostly NUL (ASCII or CJK in UTF-16)."""
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd > max(4, half * 0.1) and even <= odd * 0.05:
        return "utf-16-le"
    if even > max(4, half * 0.1) and odd <= even * 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM or plainly shaped like it, else GB18030 (GBK files from Windows)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:4096] and (codec := _utf16_without_bom(data[:4096])):
        return data.decode(codec, errors="replace")
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
        raise AttachmentLimit(f"{kind} 文件解压后超过 {MAX_UNPACKED // 1048576} MB，疑似压缩炸弹")


@contextmanager
def _office_zip(data: bytes, kind: str, required: str):
    """The zip of an Office file, its size checked before anything is unpacked; `required` is the
    part without which it is not that kind of file. A broken file of any sort is unreadable."""
    _check_unpacked(data, kind)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            if required not in names:
                raise UnreadableAttachment(f"不是有效的 {kind} 文件（缺少 {required}）")
            yield zf, names
    except (zipfile.BadZipFile, ET.ParseError, RuntimeError, EOFError, KeyError, ValueError) as exc:
        raise UnreadableAttachment(f"不是有效的 {kind} 文件（{type(exc).__name__}）") from None


def _docx(data: bytes) -> list[Chunk]:
    with _office_zip(data, "DOCX", "word/document.xml") as (zf, names):
        chunks = _docx_part(zf.read("word/document.xml"), "")
        read = {"word/document.xml"}
        for name in sorted(n for n in names if _DOCX_PARTS.match(n)):
            kind = re.sub(r"\d+$", "", _DOCX_PARTS.match(name)[1])
            chunks += _docx_part(zf.read(name), _PART_LABEL[kind])
            read.add(name)
        return chunks + _other_parts(zf, read)


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


# Elements whose text a reader sees as one piece (a paragraph, a shared string, a comment …):
# their runs are joined; anything else is one line per text node.
_TEXT_GROUPS = {"p", "si", "is", "comment", "text", "c", "tc", "oddHeader", "oddFooter", "evenHeader", "evenFooter",
                "firstHeader", "firstFooter", "t"}


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _xml_lines(xml: bytes) -> list[str]:
    out: list[str] = []

    def walk(el) -> None:
        if _local(el.tag) in _TEXT_GROUPS:
            if (text := "".join(el.itertext())).strip():
                out.append(text)
            return
        if el.text and el.text.strip():
            out.append(el.text)
        for child in el:
            walk(child)
            if child.tail and child.tail.strip():
                out.append(child.tail)
        for value in el.attrib.values():  # titles, alt texts, authors, hyperlink targets
            if any(ch.isdigit() for ch in value) or not value.isascii():
                out.append(value)

    walk(ET.fromstring(xml))
    return out


def _other_parts(zf: zipfile.ZipFile, read: set[str]) -> list[Chunk]:
    """The text of every XML part not read cell by cell or paragraph by paragraph: comments, drawings,
    document properties, custom XML … A reader who downloads the file can see all of it."""
    chunks: list[Chunk] = []
    for info in zf.infolist():
        if info.filename in read or not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        _budget.tick()
        try:
            lines = _xml_lines(zf.read(info))
        except ET.ParseError:
            continue
        chunks += [Chunk(f"文件内部「{info.filename}」", line) for line in lines]
    return chunks


def _number_text(value: str) -> str:
    """A numeric cell as Excel shows it when wide enough: 13912345678, not 1.3912345678E10."""
    try:
        number = float(value)
    except ValueError:
        return value
    return str(int(number)) if number.is_integer() and abs(number) < 1e20 else value


_FORMULA_PIECE = re.compile(r'"((?:[^"]|"")*)"|(?<![A-Za-z$])(\d+(?:\.\d+)?)')


def formula_pieces(formula: str) -> str:
    """The literal strings and numbers of a formula, joined: what ="1101051949"&"1231002X" shows."""
    return "".join(s.replace('""', '"') if s or not n else n for s, n in _FORMULA_PIECE.findall(formula))


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Part name (xl/worksheets/sheet1.xml) -> the sheet's name as Excel shows it."""
    try:
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    names = {}
    for sheet in book.iter():
        if _local(sheet.tag) == "sheet":
            rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
            target = targets.get(rid, "").lstrip("/")
            names[target if target.startswith("xl/") else f"xl/{target}"] = sheet.get("name", "")
    return names


def _xlsx(data: bytes) -> list[Chunk]:
    with _office_zip(data, "XLSX", "xl/workbook.xml") as (zf, names):
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = ET.fromstring(zf.read("xl/sharedStrings.xml"))
            shared = ["".join(si.itertext()) for si in root if _local(si.tag) == "si"]
        used: set[int] = set()
        titles = _sheet_names(zf)
        chunks: list[Chunk] = []
        sheets = sorted(n for n in names if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n))
        for part in sorted(sheets, key=lambda n: (list(titles).index(n) if n in titles else len(titles), n)):
            title = titles.get(part, PurePosixPath(part).stem)
            chunks += _sheet_cells(zf, part, title, shared, used)
        chunks += [Chunk(f"共享字符串第 {i + 1} 项", text) for i, text in enumerate(shared)
                   if i not in used and text.strip()]  # strings no cell shows are still in the file
        return chunks + _other_parts(zf, set(sheets) | {"xl/sharedStrings.xml"})


def _sheet_cells(zf: zipfile.ZipFile, part: str, title: str, shared: list[str], used: set[int]) -> list[Chunk]:
    """Every cell present in the sheet's XML, streamed: never the rectangle its dimension claims."""
    chunks: list[Chunk] = []
    cells = 0
    with zf.open(part) as stream:
        for _, el in ET.iterparse(stream, events=("end",)):
            tag = _local(el.tag)
            if tag in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter") and el.text:
                chunks.append(Chunk(f"工作表「{title}」页眉页脚", el.text))
            if tag != "c":
                continue
            cells += 1
            if cells % 10000 == 0:
                _budget.tick()
                if cells > MAX_CELLS:
                    raise AttachmentLimit(f"工作表「{title}」超过 {MAX_CELLS} 个单元格，未检查完")
            where = f"工作表「{title}」单元格 {el.get('r', '?')}"
            kind, value, formula = el.get("t", "n"), None, None
            for child in el:
                name = _local(child.tag)
                if name == "v":
                    value = child.text or ""
                elif name == "f":
                    formula = child.text
                elif name == "is":
                    value = "".join(child.itertext())
            if kind == "s" and value is not None:
                index = int(value) if value.strip().isdigit() else -1
                value = shared[index] if 0 <= index < len(shared) else ""
                used.add(index)
            elif kind == "n" and value:
                value = _number_text(value)
            elif kind == "b":
                value = None
            if value and value.strip():
                chunks.append(Chunk(where, value))
            if formula:
                chunks.append(Chunk(f"{where}的公式", formula))
                if (pieces := formula_pieces(formula)) and pieces != value:
                    chunks.append(Chunk(f"{where}的公式结果", pieces))
            el.clear()
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
            _budget.tick()
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


def _zip(data: bytes, depth: int = 0) -> list[Chunk]:
    if depth >= MAX_DEPTH:
        raise AttachmentLimit(f"压缩包嵌套超过 {MAX_DEPTH} 层，未检查")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnreadableAttachment("不是有效的 ZIP 文件") from None
    chunks: list[Chunk] = []
    with zf:
        members = [i for i in zf.infolist() if not i.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise AttachmentLimit(f"压缩包内有 {len(members)} 个文件，超过 {MAX_MEMBERS} 个，未逐一检查")
        for info in members:
            _budget.tick()
            name = _member_name(info)
            suffix = PurePosixPath(name).suffix.lower()
            if info.file_size > MAX_MEMBER_BYTES:
                raise AttachmentLimit(f"压缩包内「{name}」解压后超过 {MAX_MEMBER_BYTES // 1048576} MB，未检查")
            if info.file_size > 1048576 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise AttachmentLimit(f"压缩包内「{name}」压缩比超过 {MAX_RATIO} 倍，疑似压缩炸弹，未检查")
            _budget.unpack(info.file_size)
            try:
                inner = _read(zf.read(info), suffix, depth + 1)
            except AttachmentLimit as exc:
                raise AttachmentLimit(f"压缩包内「{name}」{exc}") from None
            except UnreadableAttachment as exc:
                raise UnreadableAttachment(f"压缩包内「{name}」{exc}") from None
            except (zipfile.BadZipFile, RuntimeError, EOFError, OSError, ValueError) as exc:
                raise UnreadableAttachment(f"压缩包内「{name}」无法解压（{type(exc).__name__}）") from None
            chunks += [Chunk(f"压缩包内「{name}」{c.where}", c.text) for c in inner]
    return chunks


_READERS = {".txt": _lines, ".csv": _lines, ".docx": _docx, ".xlsx": _xlsx, ".pdf": _pdf, ".zip": _zip}
# Inside an archive, text whose name says what it is is read as text (the gates read markup as a reader would).
_TEXT_SUFFIXES = (".html", ".htm", ".xml", ".json", ".md", ".js", ".svg", ".rtf")
