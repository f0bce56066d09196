"""The gkml plugin's settings in mkdocs.yml, validated by MkDocs' own config machinery with
messages in Chinese (an office reads them, not a Python programmer).

MkDocs prefixes each message with `Plugin 'gkml' option 'page_size': `; build_cmd.explain
turns that prefix into Chinese too.
"""
from __future__ import annotations

import datetime as dt
import os

from mkdocs.config import base
from mkdocs.config.base import ValidationError

from ..resources import manual_dir


class Count(base.BaseConfigOption[int]):
    """A whole number of at least `minimum` (YAML's true/false are not numbers here)."""

    def __init__(self, default: int, minimum: int, meaning: str):
        super().__init__()
        self.default, self.minimum, self.meaning = default, minimum, meaning

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"应为整数（{self.meaning}），现为「{value}」")
        if value < self.minimum:
            raise ValidationError(f"应不小于 {self.minimum}（{self.meaning}），现为 {value}")
        return value


class Switch(base.BaseConfigOption[bool]):
    def __init__(self, default: bool, meaning: str):
        super().__init__()
        self.default, self.meaning = default, meaning

    def run_validation(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(f"应为 true 或 false（{self.meaning}），现为「{value}」")
        return value


class Folder(base.BaseConfigOption[str | None]):
    """A folder, relative to mkdocs.yml, that must exist. `shipped` (a callable) is what `true`
    means: the folder gkml ships (the editors' manual); `fix` says what to do when it is missing."""

    def __init__(self, default: str | None, meaning: str, fix: str = "", shipped=None):
        super().__init__()
        self.default, self.meaning, self.fix, self.shipped = default, meaning, fix, shipped
        self.config_dir: str | None = None

    def pre_validation(self, config, key_name: str) -> None:
        self.config_dir = os.path.dirname(config.config_file_path) if config.config_file_path else None

    def run_validation(self, value: object) -> str | None:
        if value is None or value is False:
            return None
        if value is True and self.shipped is not None:
            return str(self.shipped())
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(f"应为文件夹路径（{self.meaning}），现为「{value}」")
        path = value if os.path.isabs(value) or not self.config_dir else os.path.join(self.config_dir, value)
        if not os.path.isdir(path):
            raise ValidationError(f"文件夹「{value}」不存在（{self.meaning}）{self.fix}")
        return os.path.abspath(path)


class Text(base.BaseConfigOption[str | None]):
    def __init__(self, meaning: str):
        super().__init__()
        self.meaning = meaning

    def run_validation(self, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise ValidationError(f"应为一段文字（{self.meaning}），现为「{value}」")
        return str(value)


class Year(base.BaseConfigOption[int | None]):
    def run_validation(self, value: object) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1949 <= value <= 2200:
            raise ValidationError(f"应为四位年份，如 2025，现为「{value}」")
        return value


class Day(base.BaseConfigOption[dt.date | None]):
    def run_validation(self, value: object) -> dt.date | None:
        if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(f"应为日期，如 2026-12-08，现为「{value}」") from None


class GkmlConfig(base.Config):
    catalogue = Folder("catalogue", "目录内容所在的文件夹",
                       "；请在 mkdocs.yml 的 gkml 插件设置中用 catalogue: 指定，或用 gkml init 新建一个目录")
    templates = Folder(None, "覆盖 gkml 页面片段模板的文件夹")
    page_size = Count(20, 1, "末级栏目列表每页的条数")
    index_page_size = Count(100, 1, "含子栏目的栏目列表和按主题、体裁、年份、发布机构分类列表每页的条数")
    atomic = Switch(True, "先生成到临时文件夹，成功后再替换原网站")
    history = Switch(True, "信息页面显示由 git 记录得出的修订日期")
    progress = Switch(True, "在终端里显示进度条")
    manual = Folder(None, "编辑手册的文件夹；写 true 使用 gkml 自带的编辑手册", shipped=manual_dir)
    unit = Text("只生成这个单位的内容")
    year = Year()
    offline_pages = Count(500, 1, "读者浏览器为离线阅读保存的已访问页面数上限")
    today = Day()  # the day deadlines and 「将来的日期」 are judged on; unset: the real date (tests, rebuilding a past site)
    search_texts = Switch(False, "检索索引另存每条信息的文字（gkml bundle 制作的副本从本地磁盘打开，读不到信息页面，靠它核对正文中的词组、摘出匹配处）")
    offline_search_mb = Count(30, 0, "检索索引不超过这么多 MB 时，读者第一次访问就整个保存以供离线检索；0 表示只在读者点「下载离线检索」时保存")
