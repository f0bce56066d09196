"""`gkml import`: bring another platform's export into the catalogue (see importer/)."""
from __future__ import annotations

import functools
import json
import re
import sys
from dataclasses import asdict
from pathlib import Path

import click

from ..diagnostics import ERROR, LEVEL_LABEL
from ..importer import MappingError, SheetError, load_mapping, run_import
from ..terminal import progress
from ..importer.changes import row_ranges
from ..importer.run import ADDED, REJECTED, UNCHANGED, UPDATED, ImportFailure, ImportResult, RowOutcome
from ..terminal import use_colour

GROUP_AFTER = 3  # the same warning on more rows than this is shown once, with the rows listed


def _say(text: str, fg: str | None = None, err: bool = True, bold: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    click.echo(click.style(text, fg=fg, bold=bold) if fg and use_colour(stream) else text, err=err)


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--unit", required=True, help="导入到哪个单位（单位代码，如 qczj）。")
@click.option("--mapping", "mapping_file", required=True, type=click.Path(path_type=Path),
              help="映射文件（.yml）：表头与 gkml 字段、栏目名称与栏目代码的对应，以及默认值。")
@click.option("--catalogue", default="catalogue", show_default=True, type=click.Path(path_type=Path), help="目录文件夹。")
@click.option("--dry-run", is_flag=True, help="只检查、不写入：列出每一行会新增、更新还是不能导入。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="输出格式；json 供其他程序读取。")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True, help="按此日期判断「将来的日期」（测试用）。")
@click.pass_context
def import_(ctx, file: Path, unit: str, mapping_file: Path, catalogue: Path, dry_run: bool, fmt: str, today) -> None:
    """把其他平台导出的表格（.xlsx、.csv，每行一条信息）导入为信息条目。

    每一行先写成它将成为的条目文件，经过与 gkml check 相同的检查；通过的写入目录，
    不通过的列出行号和原因、不写入。重复运行不会产生重复条目：同一索引号、或「匹配」
    字段相同的行更新原来的文件。
    """
    quiet, verbose = ctx.obj.get("quiet", False), ctx.obj.get("verbose", False)
    if not file.is_file():
        _fail(f"表格文件 {file} 不存在", fmt)
    try:
        mapping = load_mapping(mapping_file)
    except MappingError as exc:
        for d in exc.report.sorted():
            _say(d.format(), "red" if d.level == ERROR else "yellow")
        _fail(f"映射文件 {mapping_file} 有误，没有导入任何内容", fmt, [asdict(d) for d in exc.report.sorted()])
    try:
        result = run_import(file, mapping, catalogue, unit, dry_run, today.date() if today else None,
                            functools.partial(progress, quiet=quiet or fmt == "json"))
    except (SheetError, ImportFailure) as exc:
        _fail(str(exc), fmt)
    if fmt == "json":
        click.echo(json.dumps(_as_json(result), ensure_ascii=False, indent=2))
    else:
        _print(result, file.name, quiet, verbose)
    sys.exit(1 if result.rejected else 0)


def _fail(message: str, fmt: str = "text", diagnostics: list | None = None) -> None:
    """Nothing was imported: say why (and, for tools, the same as JSON on stdout)."""
    _say(f"错误：{message}", "red")
    if fmt == "json":
        click.echo(json.dumps({"error": message, "diagnostics": diagnostics or []}, ensure_ascii=False, indent=2))
    sys.exit(1)


def _where(o: RowOutcome, p) -> str:
    parts = [x for x in (p.field, o.sources.get(p.field or "") or o.sources.get((p.field or "").split(".")[0])) if x]
    return f" ({'，'.join(parts)})" if parts else ""


# The kind of a finding, by diagnostic code, as the report's group headings name it.
KINDS = {
    "required": "缺少必填字段", "column-kind": "栏目不适用于本单位", "personal-data": "含个人信息",
    "negative-list": "含负面清单词语", "import-publisher": "发布机构", "import-column": "栏目对照中没有的栏目",
    "import-duplicate": "重复的行", "import-index-changed": "索引号与已有文件不同", "date-format": "日期格式不对",
    "date-future": "将来的日期", "date-order": "日期先后不对", "docno": "文号格式不对",
    "import-attachment-missing": "附件文件不存在", "import-attachment-url": "附件是网址", "review-missing": "没有保密审查记录",
    "review-late": "保密审查晚于发布", "import-no-key": "无法识别的行", "duplicate-original-index-no": "原索引号重复",
    "import-docno-kept": "文号按原样保留", "import-interpretation-unlinked": "解读未写所解读文件",
}
MESSAGES_SHOWN = 5  # distinct messages shown under one kind (all with --verbose, all in --format json)


def _findings(result: ImportResult, level: str) -> list[dict]:
    """Findings of one level grouped by kind (code and field), each with its distinct messages and rows."""
    kinds: dict[tuple, dict] = {}
    for o in result.outcomes:
        if (o.action == REJECTED) != (level == ERROR):
            continue
        for p in (o.errors if level == ERROR else o.warnings):
            shown = ERROR if level == ERROR else p.level  # warnings and notices (提示) apart
            kind = kinds.setdefault((p.code, p.field, shown), {
                "kind": KINDS.get(p.code, f"「{p.field}」" if p.field else p.code), "code": p.code, "field": p.field,
                "level": shown, "rows": [], "messages": {}})
            kind["rows"].append(o.row)
            kind["messages"].setdefault((p.message, _where(o, p)), []).append(o.row)
    out = []
    for kind in sorted(kinds.values(), key=lambda k: -len(set(k["rows"]))):
        rows = sorted(set(kind.pop("rows")))
        kind |= {"count": len(rows), "rows": row_ranges(rows), "row_numbers": rows}
        kind["messages"] = [{"message": m, "source": w.strip(" ()"), "rows": row_ranges(r), "row_numbers": r}
                            for (m, w), r in kind["messages"].items()]
        out.append(kind)
    return out


def _print_findings(findings: list[dict], name: str, verbose: bool, quiet: bool = False) -> None:
    """Each kind once (quiet: only the error lines, every one of them)."""
    for kind in findings:
        label, colour = LEVEL_LABEL[kind["level"]], "red" if kind["level"] == ERROR else "yellow"
        head = "未导入" if kind["level"] == ERROR else LEVEL_LABEL[kind["level"]]
        if not quiet:
            _say(f"【{head}·{kind['kind']}】{kind['count']} 行：第 {kind['rows']} 行", colour, err=False, bold=True)
        shown = kind["messages"] if verbose or quiet else kind["messages"][:MESSAGES_SHOWN]
        for m in shown:
            where = f" ({m['source']})" if m["source"] else ""
            rows = m["row_numbers"]
            if len(rows) > GROUP_AFTER:
                _say(f"{name}:{rows[0]}: {label}: {m['message']}{where}（共 {len(rows)} 行：第 {m['rows']} 行）", colour, err=False)
            else:
                for row in rows:
                    _say(f"{name}:{row}: {label}: {m['message']}{where}", colour, err=False)
        if hidden := kind["messages"][len(shown):]:
            _say(f"  ……另有 {len(hidden)} 种说明（{sum(len(m['row_numbers']) for m in hidden)} 行）；"
                 "用 --verbose 全部列出，或用 --format json", colour, err=False)


def _print_unknown_publishers(result: ImportResult) -> None:
    """The issuers to check and register, as lines to paste into site.yml."""
    if not result.unknown_publishers:
        return
    _say(f"不在发文机关名录中的发布机构（{len(result.unknown_publishers)} 个）；逐个核实后，是发文机关的可加入 site.yml：",
         "yellow", err=False, bold=True)
    _say("发文机关:", err=False)
    for name, rows in sorted(result.unknown_publishers.items(), key=lambda kv: -len(kv[1])):
        shown = json.dumps(name, ensure_ascii=False) if re.search(r"[:#\[\]{},&*!|>'\"%@`]", name) else name
        _say(f"  - {shown}    # {len(rows)} 行：第 {row_ranges(rows)} 行", err=False)


def _print_changes(result: ImportResult) -> None:
    if not result.changes:
        return
    _say("导入时对数据的改动和补填（只计导入的行）：", err=False, bold=True)
    for t in result.changes:
        examples = "；".join(f"第 {r} 行「{b}」→「{a}」" for r, b, a in t.examples)
        _say(f"  {t.field}·{t.kind}：{len(t.rows)} 行（第 {row_ranges(t.rows)} 行）；例：{examples}", err=False)


def _print(result: ImportResult, name: str, quiet: bool, verbose: bool) -> None:
    if not quiet:
        for note in result.notes:
            _say(f"注意：{note}", "yellow")
    _print_findings(_findings(result, ERROR), name, verbose, quiet)
    if not quiet:
        _print_findings(_findings(result, "warning"), name, verbose)
        _print_unknown_publishers(result)
        _print_changes(result)
    if verbose:
        for o in result.outcomes:
            if o.action != REJECTED:
                _say(f"{name}:{o.row}: {o.action} {o.path}（索引号 {o.index_no}）", err=False)
    if result.ignored_columns and not quiet:
        _say(f"注意：以下列没有映射，未导入：{'、'.join(result.ignored_columns)}；"
             "确实不需要的请写进映射文件的「忽略」", "yellow")
    if result.catalogue_errors and not quiet:
        _say(f"注意：目录中原有 {result.catalogue_errors} 个错误（与本次导入无关），请运行 gkml check 查看", "yellow")
    if not quiet or result.rejected:
        counts = f"新增 {result.count(ADDED)} 条，更新 {result.count(UPDATED)} 条，未变 {result.count(UNCHANGED)} 条"
        head = "试运行（没有写入任何文件）" if result.dry_run else "导入完成"
        tail = f"，未导入 {len(result.rejected)} 行（原因见上）" if result.rejected else ""
        _say(f"{head}：共 {len(result.outcomes)} 行，{counts}{tail}", "red" if result.rejected else "green", bold=True)


def _as_json(result: ImportResult) -> dict:
    def problems(o: RowOutcome, level: str):
        return [{"field": p.field, "source": o.sources.get(p.field or ""), "code": p.code, "message": p.message}
                for p in o.problems if (p.level == ERROR) == (level == ERROR)]

    return {
        "file": str(result.source), "unit": result.unit, "dry_run": result.dry_run, "rows": len(result.outcomes),
        "added": result.count(ADDED), "updated": result.count(UPDATED), "unchanged": result.count(UNCHANGED),
        "rejected": len(result.rejected), "ignored_columns": result.ignored_columns, "notes": result.notes,
        "catalogue_errors": result.catalogue_errors,
        "items": [{"row": o.row, "action": o.action, "index_no": o.index_no, "path": o.path,
                   "warnings": problems(o, "warning")} for o in result.outcomes if o.action != REJECTED],
        "rejected_rows": [{"row": o.row, "errors": problems(o, ERROR)} for o in result.rejected],
        "findings": [_public(k) for k in _findings(result, ERROR) + _findings(result, "warning")],
        "changes": [t.as_json() for t in result.changes],
        "unknown_publishers": [{"name": n, "count": len(r), "rows": row_ranges(r)}
                               for n, r in sorted(result.unknown_publishers.items(), key=lambda kv: -len(kv[1]))],
    }


def _public(kind: dict) -> dict:
    """A finding group for JSON: row numbers as ranges only."""
    kind = {k: v for k, v in kind.items() if k != "row_numbers"}
    kind["messages"] = [{k: v for k, v in m.items() if k != "row_numbers"} for m in kind["messages"]]
    return kind


COMMANDS = [import_]
