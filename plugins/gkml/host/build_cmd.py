"""`gkml build` and `gkml serve`: the MkDocs build with mkdocs' own flags, the catalogue's
diagnostics printed the `gkml check` way, and Chinese messages instead of tracebacks."""
from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import re
import sys

import click

from ..terminal import style

GKML_LOGGER = "mkdocs.plugins.gkml"


class _Printer(logging.Handler):
    """gkml's own diagnostics verbatim (they are already `path:line: 错误: …`); MkDocs' warnings
    prefixed; info only when verbose."""

    def __init__(self, verbose: bool, quiet: bool):
        super().__init__(logging.INFO)
        self.verbose, self.quiet = verbose, quiet

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        if record.name.startswith(GKML_LOGGER):
            if self.quiet and record.levelno < logging.ERROR:
                return
            colour = "red" if record.levelno >= logging.ERROR else "yellow" if record.levelno >= logging.WARNING else None
            click.echo(style(msg, fg=colour) if colour else msg, err=True)
        elif record.levelno >= logging.ERROR:
            click.echo(style(f"错误：{_chinese_config_error(msg)}", fg="red"), err=True)
        elif record.levelno >= logging.WARNING and not self.quiet:
            click.echo(style(f"MkDocs 警告：{msg}", fg="yellow"), err=True)
        elif self.verbose:
            click.echo(msg, err=True)


def _setup_logging(ctx: click.Context) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [h for h in logger.handlers if not isinstance(h, _Printer)]
    logger.addHandler(_Printer(ctx.obj.get("verbose", False), ctx.obj.get("quiet", False)))
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _fail(message: str) -> None:
    click.echo(style(f"错误：{message}", fg="red"), err=True)
    sys.exit(1)


CONFIG = click.option("-f", "--config-file", type=click.Path(exists=True, dir_okay=False), default="mkdocs.yml",
                      show_default=True, help="MkDocs 配置文件。")
STRICT = click.option("-s", "--strict", is_flag=True, help="有任何警告即失败（发布时使用）。")


_PLUGIN_OPTION = re.compile(r"(?:Config value 'plugins': )?Plugin '(\w+)' option '(\w+)': ")
_CONFIG_VALUE = re.compile(r"Config value '(\w+)': ")


def _chinese_config_error(message: str) -> str:
    """MkDocs' English prefixes around the (Chinese) message of a gkml setting."""
    message = _PLUGIN_OPTION.sub(lambda m: f"{m.group(1)} 插件的设置 {m.group(2)}：", message)
    return _CONFIG_VALUE.sub(lambda m: f"设置 {m.group(1)}：", message)


# Material prints its end-of-life banner in English, and gkml silences it (NO_MKDOCS_2_WARNING)
# to keep the terminal readable; an office still needs to know, in Chinese.
MATERIAL_END = dt.date(2027, 5, 5)


def material_notice(today: dt.date) -> str:
    when = "已于 2027年5月5日停止维护（不再有安全更新）" if today > MATERIAL_END else "于 2027年5月5日停止维护（此后不再有安全更新）"
    return (f"提示：网站主题 Material for MkDocs 9.x {when}。"
            "gkml 固定使用 MkDocs 1.x 和 Material 9.x；其后继者 Zensical 不运行 gkml 插件，请不要改用它生成本网站。")


_DISK = {errno.ENOSPC: "磁盘空间已满", errno.EDQUOT: "磁盘配额已用完", errno.EROFS: "输出位置在只读的磁盘上",
         errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.EIO: "磁盘读写出错"}


def disk_problem(exc: OSError) -> str | None:
    """What a failed write means for whoever runs the build, naming the file, or None."""
    what = _DISK.get(exc.errno)
    if what is None:
        return None
    where = exc.filename or "输出目录"
    return f"无法写入 {where}：{what}（{exc.strerror}）；请{'清理磁盘空间' if exc.errno in (errno.ENOSPC, errno.EDQUOT) else '换一个可写的输出目录或检查权限'}后重试"


def explain(exc: Exception, config_file, outcome: str, verbose: bool) -> str:
    """What a failed build tells the user, in Chinese; a bug's own exception is re-raised with -v."""
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    if isinstance(exc, PluginError):
        return f"{exc}（{outcome}）" if outcome not in str(exc) else str(exc)
    if isinstance(exc, ConfigurationError):
        return f"配置文件 {config_file} 有误：{_chinese_config_error(str(exc))}"
    if isinstance(exc, Abort):
        if "configuration error" in str(exc):
            return f"{outcome}（配置文件 {config_file} 有误，见上）"
        return outcome + ("" if "BuildError" in str(exc) else f"（{exc}）")
    if isinstance(exc, OSError) and (problem := disk_problem(exc)):
        return f"{problem}，{outcome}"
    if verbose:  # a bug in gkml or a plugin: say so plainly, full trace with -v
        raise exc
    return f"生成过程中发生内部错误，{outcome}：{type(exc).__name__}: {exc}（加 -v 查看详情）"


def run_build(ctx: click.Context, config_file, *, site_dir=None, strict: bool = False, options: dict | None = None,
              outcome: str = "网站没有生成，原有网站保持不变"):
    """One MkDocs build with the gkml plugin (its options overridden by `options`), the way
    `mkdocs build` runs it; any failure ends the command with a Chinese message saying `outcome`.
    Returns the output folder and the gkml plugin, whose `build` holds the model."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    _setup_logging(ctx)
    try:
        cfg = load_config(str(config_file), site_dir=site_dir and str(site_dir), strict=strict or None)
        plugin = cfg.plugins.get("gkml")
        if plugin is None:
            _fail(f"配置文件 {config_file} 没有启用 gkml 插件（plugins 中应有 - gkml）")
        plugin.config.update(options or {})
        target = cfg.site_dir  # the plugin builds into a staging folder, then swaps it in
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except Exception as exc:
        _fail(explain(exc, config_file, outcome, ctx.obj.get("verbose", False)))
    return target, plugin


@click.command()
@CONFIG
@click.option("-d", "--site-dir", type=click.Path(file_okay=False), help="输出目录，默认取配置中的 site_dir。")
@STRICT
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="按此日期判断期限和「将来的日期」（默认今天；测试或重做往年网站时用）。")
@click.pass_context
def build(ctx, config_file: str, site_dir: str | None, strict: bool, today) -> None:
    """生成网站。失败时原有网站保持不变。"""
    options = {"progress": False} if ctx.obj.get("quiet") else {}
    if today:
        options["today"] = today.date()
    target, _ = run_build(ctx, config_file, site_dir=site_dir, strict=strict, options=options)
    if not ctx.obj.get("quiet"):
        click.echo(style(f"网站已生成：{target}", fg="green"), err=True)
        click.echo(material_notice(dt.date.today()), err=True)


@click.command()
@CONFIG
@STRICT
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="预览地址。")
@click.pass_context
def serve(ctx, config_file: str, strict: bool, dev_addr: str) -> None:
    """本地预览网站，修改目录内容后自动更新页面并刷新浏览器。"""
    from .preview import Preview

    _setup_logging(ctx)
    verbose = ctx.obj.get("verbose", False)
    Preview(config_file, dev_addr, strict, lambda exc, outcome: explain(exc, config_file, outcome, verbose)).run()


COMMANDS = [build, serve]
