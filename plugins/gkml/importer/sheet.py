"""Reading an export (.xlsx, .csv, .tsv) into rows, and cleaning what old platforms and hand-kept
spreadsheets put in their cells: merged cells, dates as text or as Excel serials, full-width
digits, stray and doubled spaces, 「无」 for nothing."""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

# Told of every change cleaning makes to a value: (kind of change, value before, value after).
Note = Callable[[str, str, str], None]
HTML_ENTITY = "HTML 字符实体解码"
FULLWIDTH_DIGITS = "全角数字改为半角"
SPACES = "去掉首尾空格、合并连续空格"
CJK_GAP = "去掉汉字之间多余的空格"

HEADER_SEARCH_ROWS = 20
MAX_BYTES = 200 * 1024 * 1024


class SheetError(Exception):
    """The file cannot be read as a table; the message says why and what to do, in Chinese."""


@dataclass
class SheetRow:
    number: int  # the row number a spreadsheet program shows (CSV: the line the record starts on)
    cells: dict[str, object]  # normalised header -> value (merged cells filled in)


@dataclass
class Sheet:
    path: Path
    headers: list[str]  # normalised, in column order
    header_row: int
    rows: list[SheetRow]
    epoch: dt.datetime = dt.datetime(1899, 12, 30)  # where Excel serial 0 falls (1900 system)
    notes: list[str] = field(default_factory=list)  # things the reader had to guess, for the user


# -- cleaning -----------------------------------------------------------------------------------
_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}  # ！..～ -> !..~ (digits, letters, symbols)
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’《》（）【】〔〕—…·"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}0-9])|(?<=[{_CJK}0-9])\s+(?=[{_CJK}])")
# A gap after an organ's name and before another name is the separator between joint issuers
# (「中共中央办公厅 国务院办公厅印发…」): kept. Before 关于/印发/… it is a stray space: removed.
ORGAN_END = re.compile(r"(?:厅|局|委|办|院|部|府|会|处|署|中心|公司|集团|总队|支队|办公室|小组)$")
_NOT_A_NAME = re.compile(r"(?:关于|印发|转发|的|对|就|发布|公布|[0-9])")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
EMPTY_MARKERS = ("无", "暂无", "/", "-", "—", "——", "空", "null", "NULL", "None", "N/A", "n/a", "#N/A")


def norm_header(text: str) -> str:
    """A header as the mapping and the sheet both name it: NFKC, no spaces or line breaks."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text)))


def plain(value) -> str:
    """Any cell value as text: numbers without a spurious .0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _step(kind: str, before: str, after: str, note: Note | None) -> str:
    if note is not None and after != before:
        note(kind, before, after)
    return after


def clean_line(value, note: Note | None = None) -> str:
    """A one-line field: HTML entities decoded (「8&#8226;22」 -> 「8•22」), full-width digits made
    ASCII, spaces trimmed and collapsed, and the spaces old platforms leave between Chinese
    characters removed, except the one between joint issuers. `note` hears of each change."""
    text = plain(value)
    text = _step(HTML_ENTITY, text, html.unescape(text) if _ENTITY.search(text) else text, note)
    text = _step(FULLWIDTH_DIGITS, text, text.translate(_DIGITS), note)
    text = _step(SPACES, text, _SPACES.sub(" ", text).strip(), note)
    return _step(CJK_GAP, text, _CJK_GAP.sub(lambda m: _gap(m, text), text), note)


def _gap(match: re.Match, text: str) -> str:
    before, after = text[:match.start()], text[match.end():]
    return " " if ORGAN_END.search(before) and not _NOT_A_NAME.match(after) else ""


def clean_code(value) -> str:
    """索引号 and similar codes: every full-width character made ASCII, no spaces, upper case."""
    return _SPACES.sub("", plain(value).translate(_FULLWIDTH)).upper()


def clean_body(value) -> str:
    """The body: line breaks kept (normalised), trailing spaces removed, outer blank lines dropped."""
    text = plain(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def is_empty_marker(text: str) -> bool:
    return text.strip() in EMPTY_MARKERS


# -- dates --------------------------------------------------------------------------------------
_NUMERIC_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                           r"(?:\s*[T ]?\s*\d{1,2}[:：]\d{1,2}(?:[:：]\d{1,2}(?:\.\d+)?)?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{4,5}(?:\.\d+)?$")
_HANZI_DATE = re.compile(r"^([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
_HANZI = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
SERIAL_RANGE = (18264, 73051)  # 1950-01-01 .. 2099-12-31 in Excel's 1900 system


def _hanzi_number(text: str) -> int:
    if "十" not in text:
        return int("".join(str(_HANZI[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_HANZI[tens] if tens else 1) * 10 + (_HANZI[ones] if ones else 0)


def parse_date(value, formats: tuple[str, ...] = (), epoch: dt.datetime = dt.datetime(1899, 12, 30)) -> dt.date | None:
    """A date from a cell: a date value, an Excel serial number, or text in the usual Chinese ways
    (2024年3月5日, 2024/3/5, 2024-03-05 00:00:00, 20240305, 二〇二四年三月五日); None if it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(float(value), epoch)
    text = clean_line(value)
    if not text:
        return None
    try:
        if m := _NUMERIC_DATE.match(text) or _COMPACT_DATE.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _HANZI_DATE.match(text):
            return dt.date(_hanzi_number(m[1]), _hanzi_number(m[2]), _hanzi_number(m[3]))
    except ValueError:
        return None
    if _SERIAL.match(text):
        return _serial(float(text), epoch)
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _serial(number: float, epoch: dt.datetime) -> dt.date | None:
    if epoch.year == 1904:
        number += 1462  # the 1904 system counts from 1904-01-01; compare in 1900-system terms
        epoch = dt.datetime(1899, 12, 30)
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        return None
    return (epoch + dt.timedelta(days=int(number))).date()


# -- reading ------------------------------------------------------------------------------------
def read_sheet(path: Path | str, wanted: list[str], optional: set[str] = frozenset(), sheet: str | None = None,
               header_row: int | None = None) -> Sheet:
    """The table in `path`; the header row is `header_row` or the first of the first 20 rows that
    has every header in `wanted` (normalised) except the optional ones."""
    path = Path(path)
    if not path.is_file():
        raise SheetError(f"{path}：文件不存在")
    if path.stat().st_size > MAX_BYTES:
        raise SheetError(f"{path}：文件过大（超过 {MAX_BYTES // 1048576} MB）；请分成几个文件导入")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        grid, epoch, notes = _read_xlsx(path, sheet)
    elif suffix in (".csv", ".tsv", ".txt"):
        grid, notes = _read_text(path, "\t" if suffix == ".tsv" else None)
        epoch = dt.datetime(1899, 12, 30)
    elif suffix in (".xls", ".et", ".ods", ".wps"):
        raise SheetError(f"{path}：不支持 {suffix} 格式；请用 Excel 或 WPS 打开后「另存为」.xlsx 或 .csv（UTF-8）")
    else:
        raise SheetError(f"{path}：只能导入 .xlsx、.csv 或 .tsv 文件")
    number, headers = _find_header(path, grid, wanted, optional, header_row)
    rows = []
    for row_number, values in grid:
        if row_number <= number:
            continue
        cells = {h: v for h, v in zip(headers, values) if h and v is not None and plain(v).strip() != ""}
        if cells:
            rows.append(SheetRow(row_number, cells))
    return Sheet(path, headers, number, rows, epoch, notes)


def _find_header(path: Path, grid: list[tuple[int, list]], wanted: list[str], optional: set[str],
                 header_row: int | None) -> tuple[int, list[str]]:
    need = [h for h in wanted if h not in optional]
    candidates = [(n, [norm_header(plain(v)) for v in values]) for n, values in grid[:HEADER_SEARCH_ROWS]]
    if header_row is not None:
        found = next(((n, [norm_header(plain(v)) for v in values]) for n, values in grid if n == header_row), None)
        if found is None:
            raise SheetError(f"{path}：没有第 {header_row} 行（映射文件的「表头行」）")
    else:
        found = next(((n, h) for n, h in candidates if all(w in h for w in need)), None)
        if found is None:
            best = max(candidates, key=lambda c: sum(w in c[1] for w in need), default=(1, []))
            missing = [w for w in need if w not in best[1]]
            shown = "、".join(h for h in best[1] if h) or "（空）"
            raise SheetError(f"{path}：找不到映射文件「列」中的表头「{'、'.join(missing)}」；"
                             f"第 {best[0]} 行的表头是：{shown}。请改正映射文件的列名，或用「表头行」指定表头所在的行")
    number, headers = found
    missing = [w for w in need if w not in headers]
    if missing:
        raise SheetError(f"{path}：第 {number} 行（表头）中没有「{'、'.join(missing)}」；"
                         f"这一行的表头是：{'、'.join(h for h in headers if h) or '（空）'}")
    for w in wanted:
        positions = [i for i, h in enumerate(headers) if h == w]
        if len(positions) > 1:
            raise SheetError(f"{path}：表头「{w}」出现了 {len(positions)} 次（第 "
                             f"{'、'.join(_column_letter(i) for i in positions)} 列）；请改名，使每个表头只出现一次")
    return number, headers


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


MAX_SHEET_CELLS = 5_000_000


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[tuple[int, list]], dt.datetime, list[str]]:
    import zipfile

    from openpyxl import load_workbook
    try:
        wb = load_workbook(path, data_only=True)  # not read-only: merged ranges are needed
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetError(f"{path}：无法作为 .xlsx 读取（{type(exc).__name__}）；文件可能已损坏，"
                         "或其实是旧版 .xls：请用 Excel 或 WPS 打开后另存为 .xlsx") from None
    if sheet is not None and sheet not in wb.sheetnames:
        raise SheetError(f"{path}：没有工作表「{sheet}」；有：{'、'.join(wb.sheetnames)}")
    ws = wb[sheet] if sheet is not None else wb.worksheets[0]
    notes = []
    if sheet is None and len(wb.sheetnames) > 1:
        notes.append(f"表格有 {len(wb.sheetnames)} 个工作表，只导入第一个「{ws.title}」；其他工作表请在映射文件中用「工作表」指定")
    area = ws.max_row * ws.max_column + sum(m.size["rows"] * m.size["columns"] for m in ws.merged_cells.ranges)
    if area > MAX_SHEET_CELLS:  # a few bytes can claim XFD1048576: refuse before walking the rectangle
        raise SheetError(f"{path}：工作表「{ws.title}」的范围到 {ws.cell(ws.max_row, ws.max_column).coordinate}，"
                         f"超过 {MAX_SHEET_CELLS} 个单元格；请删去远处的空行空列（或只复制有内容的区域到新表格）后再导入")
    fill: dict[tuple[int, int], object] = {}
    for merged in ws.merged_cells.ranges:  # the value sits in the top-left cell only: give it to every cell
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                fill[(r, c)] = value
    grid = []
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        values = [fill.get((r, c), v) for c, v in enumerate(row, start=1)]
        grid.append((r, values))
    epoch = wb.epoch
    wb.close()
    return grid, epoch, notes


def _read_text(path: Path, delimiter: str | None) -> tuple[list[tuple[int, list]], list[str]]:
    data = path.read_bytes()
    notes = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, notes = data.decode("utf-16"), ["文件是 UTF-16 编码，已按 UTF-16 读取"]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError as exc:
                line = data[: exc.start].count(b"\n") + 1
                raise SheetError(f"{path}：第 {line} 行有无法识别的字节；请把文件另存为 UTF-8 编码的 CSV") from None
            notes.append("文件不是 UTF-8 编码，已按 GBK（GB18030）读取；请核对导入的文字是否正确")
    if "\0" in text:
        raise SheetError(f"{path}：含有空字节，不是文本文件；.xlsx 文件请不要改扩展名为 .csv")
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = max(("\t", ",", ";", "，"), key=first.count)
        if delimiter == "，":
            raise SheetError(f"{path}：表头用中文逗号「，」分隔；CSV 文件的列应以英文逗号分隔，请用表格软件另存为 CSV")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL)
    grid = []
    start = 1
    try:
        for values in reader:
            grid.append((start, values))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise SheetError(f"{path}：第 {start} 行无法解析（{exc}）；常见原因是引号不成对") from None
    return grid, notes
