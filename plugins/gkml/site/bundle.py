"""Copies of the site for archives, libraries and reading rooms (条例第二十五条): one zip that works
opened from disk with no network, says what it holds and when it was made, and carries a
SHA-256 manifest the receiving archive can verify.

    说明.html     what the copy holds, when it was made, how to open and verify it
    index.html    sends whoever opens it to 说明.html
    SHA256SUMS    `<sha256>  <path>` for every other file (the `sha256sum -c` format)
    site/         the built site (or one unit's / one year's part of it)

The zip is deterministic: entries sorted, fixed timestamps and permissions, so two copies of the
same catalogue differ only in the creation date stated in 说明.html (and its line in SHA256SUMS).
Set SOURCE_DATE_EPOCH to fix that date too.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from markupsafe import escape

from .. import __version__

SITE = "site"
README, INDEX, SUMS = "说明.html", "index.html", "SHA256SUMS"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: says "no time", the same every run
ZIP_MODE = 0o644 << 16
_SUM_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")

Progress = Callable[[Iterable, int, str], Iterable]


class BundleError(Exception):
    """The copy could not be made or read; the message says why, in Chinese."""


@dataclass
class Contents:
    platform: str
    units: list[tuple[str, str]]  # (unit id, name)
    year: int | None
    items: int
    attachments: int
    created: dt.datetime
    whole: bool  # the whole platform, not one unit's part
    search: bool = True  # the site has a search page
    files: int = 0
    size: int = 0


@dataclass
class Verification:
    checked: int = 0
    problems: list[str] = field(default_factory=list)


def creation_time() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible copies)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now().astimezone()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def site_files(site: Path) -> dict[str, Path]:
    """Every file of the built site, by its path in the zip."""
    return {f"{SITE}/{p.relative_to(site).as_posix()}": p for p in sorted(site.rglob("*")) if p.is_file()}


def readme_html(c: Contents) -> str:
    scope = "全部单位" if c.whole else "、".join(name for _, name in c.units)
    years = f"{c.year} 年" if c.year else "全部年份"
    made = c.created.strftime("%Y年%m月%d日 %H:%M") + (f"（{c.created.strftime('%z')[:3]}:{c.created.strftime('%z')[3:]}）"
                                                       if c.created.utcoffset() is not None else "")
    units = "\n".join(f'      <li><a href="{SITE}/{escape(uid)}/index.html">{escape(name)}</a></li>' for uid, name in c.units)
    title = f"{c.platform}（离线副本）"
    search = f'　<a href="{SITE}/search.html">检索</a>' if c.search else ""
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
  body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; max-width: 46rem;
         margin: 2rem auto; padding: 0 1rem; line-height: 1.7; color: #222; }}
  h1 {{ color: #9b1c1c; font-size: 1.6rem; }}
  table {{ border-collapse: collapse; margin: 1rem 0; }}
  th, td {{ border: 1px solid #ccc; padding: .3rem .8rem; text-align: left; vertical-align: top; }}
  th {{ background: #f6eeee; white-space: nowrap; }}
  .open {{ display: inline-block; background: #9b1c1c; color: #fff; padding: .5rem 1.2rem; border-radius: 4px;
           text-decoration: none; font-size: 1.1rem; }}
  code {{ background: #f3f3f3; padding: 0 .3rem; }}
</style>
</head>
<body>
<main>
  <h1>{escape(title)}</h1>
  <p>这是「{escape(c.platform)}」政府信息公开平台的离线副本，供档案馆、公共图书馆和政务服务场所的查阅点使用
  （《中华人民共和国政府信息公开条例》第二十五条）。副本不需要网络：用浏览器打开即可浏览目录、查看信息和附件、检索。</p>
  <p><a class="open" href="{SITE}/index.html">打开平台首页</a>{search}</p>
  <table>
    <tr><th>包含的单位</th><td>{escape(scope)}</td></tr>
    <tr><th>包含的年份</th><td>{escape(years)}</td></tr>
    <tr><th>主动公开信息</th><td>{c.items} 条，附件 {c.attachments} 个</td></tr>
    <tr><th>文件</th><td>{c.files} 个（{c.size / 1048576:.1f} MB），清单见 <code>{SUMS}</code></td></tr>
    <tr><th>制作时间</th><td>{escape(made)}</td></tr>
    <tr><th>制作工具</th><td>gkml {escape(__version__)}</td></tr>
  </table>
  <h2>各单位</h2>
  <ul>
{units}
  </ul>
  <h2>怎样校验这份副本</h2>
  <p><code>{SUMS}</code> 列出了副本中每个文件（除它本身）的 SHA-256 校验值。接收单位解压后可以核对文件是否完整、未被改动：</p>
  <ul>
    <li>Linux、macOS：在解压后的文件夹中运行 <code>sha256sum -c {SUMS}</code>（macOS 为 <code>shasum -a 256 -c {SUMS}</code>）；</li>
    <li>装有 gkml 的电脑：不用解压，运行 <code>gkml bundle --verify 副本.zip</code>。</li>
  </ul>
  <p>副本反映制作时平台上的内容；此后的更正、废止和新增信息以平台为准。</p>
</main>
</body>
</html>
"""


def index_html() -> str:
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="0; url={README}">
<title>离线副本</title>
</head>
<body>
<p><a href="{README}">打开副本说明</a>　<a href="{SITE}/index.html">打开平台首页</a></p>
</body>
</html>
"""


def sums_text(files: dict[str, bytes]) -> str:
    return "".join(f"{sha256(data)}  {name}\n" for name, data in sorted(files.items()))


def write_zip(out: Path, files: dict[str, bytes | Path], progress: Progress) -> None:
    """A deterministic zip: sorted entries, fixed time and mode, written beside `out` and moved in."""
    out = Path(out).absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}-", dir=out.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for name in progress(sorted(files), len(files), "打包"):
                data = files[name]
                info = zipfile.ZipInfo(name, ZIP_TIME)
                info.external_attr, info.create_system, info.compress_type = ZIP_MODE, 3, zipfile.ZIP_DEFLATED
                zf.writestr(info, data if isinstance(data, bytes) else data.read_bytes(), compresslevel=9)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make_bundle(site: Path, out: Path, contents: Contents, progress: Progress) -> Contents:
    """Package a built site as the copy: site/, 说明.html, index.html, SHA256SUMS."""
    entries: dict[str, bytes | Path] = dict(site_files(site))
    hashes = {name: sha256(path.read_bytes()) for name, path in progress(entries.items(), len(entries), "校验值")}
    contents.files = len(entries) + 3
    contents.search = f"{SITE}/search.html" in entries
    contents.size = sum(p.stat().st_size for p in entries.values())
    extra = {README: readme_html(contents).encode("utf-8"), INDEX: index_html().encode("utf-8")}
    lines = {**hashes, **{name: sha256(data) for name, data in extra.items()}}
    entries.update(extra)
    entries[SUMS] = "".join(f"{h}  {name}\n" for name, h in sorted(lines.items())).encode("utf-8")
    write_zip(out, entries, progress)
    return contents


_DRIVE = re.compile(r"^[A-Za-z]:")
CHUNK = 1024 * 1024


def unsafe_name(info: zipfile.ZipInfo) -> str | None:
    """Why extracting this entry could write outside the folder it is extracted to, or None."""
    name = info.filename
    posix = PurePosixPath(name)
    if posix.is_absolute() or _DRIVE.match(name) or "\\" in name:
        return "是绝对路径或 Windows 路径"
    if ".." in posix.parts:
        return "含「..」"
    if "\x00" in name or any(ord(ch) < 32 for ch in name):
        return "含控制字符"
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        return "是符号链接，解压后可能指向副本之外"
    return None


def _entry_sha256(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """The entry's hash, read a megabyte at a time (an entry may be larger than memory)."""
    digest = hashlib.sha256()
    with zf.open(info) as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_bundle(path: Path) -> Verification:
    """Check every file of a copy against its SHA256SUMS, that nothing is missing or added, and that
    no entry could be extracted outside the copy's folder."""
    result = Verification()
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BundleError(f"{path} 不是有效的 zip 文件（{type(exc).__name__}）；文件可能不完整或已损坏") from None
    with zf:
        infos = zf.infolist()
        seen: set[str] = set()
        for info in infos:
            if problem := unsafe_name(info):
                result.problems.append(f"「{info.filename}」的路径不安全（{problem}），解压时可能写到副本之外")
            if info.filename in seen:
                result.problems.append(f"「{info.filename}」在副本中出现了不止一次：解压时后一个会覆盖前一个")
            seen.add(info.filename)
        files = {i.filename: i for i in infos if not i.is_dir() and not unsafe_name(i)}
        if SUMS not in files:
            raise BundleError(f"{path} 中没有校验清单 {SUMS}；这不是 gkml bundle 制作的副本，或清单已丢失")
        if files[SUMS].file_size > 64 * 1024 * 1024:
            raise BundleError(f"{SUMS} 大于 64 MB，不是 gkml bundle 写的清单")
        try:
            text = zf.read(files[SUMS]).decode("utf-8")
        except (UnicodeDecodeError, zipfile.BadZipFile, OSError) as exc:
            raise BundleError(f"{SUMS} 无法读取（{type(exc).__name__}）") from None
        listed: dict[str, str] = {}
        for n, line in enumerate(text.splitlines(), 1):
            m = _SUM_LINE.match(line)
            if not m:
                result.problems.append(f"{SUMS} 第 {n} 行格式不对：应为「64 位十六进制校验值、两个空格、文件路径」")
                continue
            listed[m[2]] = m[1]
        for name in files:
            if name != SUMS and name not in listed:
                result.problems.append(f"「{name}」不在 {SUMS} 中：副本制作后被加入了文件")
        for name, expected in sorted(listed.items()):
            if name not in files:
                result.problems.append(f"「{name}」缺失：{SUMS} 中有，副本中没有")
                continue
            try:
                actual = _entry_sha256(zf, files[name])
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
                result.problems.append(f"「{name}」无法读取（{type(exc).__name__}）：文件已损坏")
                continue
            result.checked += 1
            if actual != expected:
                result.problems.append(f"「{name}」的校验值不符：副本制作后被改动或已损坏")
    return result
