"""Who published a row: the old platform's 发布机构 value checked against the issuers an office
publishes (its own units, site.yml's 发文机关 with their aliases, the mapping's 发布机构对照).
An empty or junk value (the website's own name, an address, a bare department) is never
replaced by the importing unit: it is read from the title when the title names its issuer
(「某某局关于…」), taken from the mapping's 默认值 with a warning, or the row is refused."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .sheet import ORGAN_END

_URL = re.compile(r"://|^www\.|\.(?:gov\.cn|com|cn|net|org)(?:/|$)", re.I)
_PLACE = re.compile(r"省|市|县|区|州|盟|旗|乡|镇|街道|村|国家|中央|中共")
_BARE_DEPARTMENT = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:处|科|室|股)$")
# The issuer a title starts with: an organ's name (joint issuers separated by a space) before 关于/印发/转发.
_TITLE_ISSUER = re.compile(r"^((?:(?!关于|印发|转发).){3,60})(?:关于|印发|转发)")  # up to the first of them


@dataclass
class Resolved:
    name: str  # "" when no publisher could be found
    change: str = ""  # what was done to the value, for the import report ("" for nothing)
    warning: str = ""  # a warning about the row (Chinese)
    error: str = ""  # why the row cannot be imported (Chinese)
    unknown: tuple[str, ...] = ()  # issuers in `name` the registry does not hold


class Publishers:
    def __init__(self, issuers: dict[str, str], unit_names, site_names, mapped: dict[str, str]):
        self.names = dict(issuers) | {n: n for n in unit_names}  # name or alias -> registered name
        self.site_names = {n for n in site_names if n}
        self.mapped = mapped

    def known(self, value: str) -> bool:
        return all(part in self.names for part in value.split(" "))

    def junk(self, value: str) -> str:
        """Why `value` cannot be a publisher, or ""."""
        if value in self.names or value in self.mapped:
            return ""
        if value in self.site_names:
            return "是网站的名称，不是发文机关"
        if _URL.search(value):
            return "是网址，不是发文机关"
        if _BARE_DEPARTMENT.match(value) and not _PLACE.search(value):
            return "只是内设机构的名称，没有写明所属机关"
        if len(value) <= 2:
            return "不是机关的名称"
        return ""

    def from_title(self, title: str) -> str:
        """The issuer a title names at its start, registered or shaped like an organ's full name."""
        for alias in sorted(self.names, key=len, reverse=True):
            if title.startswith(alias) and title[len(alias):].startswith(("关于", "印发", "转发")):
                return self.names[alias]
        m = _TITLE_ISSUER.match(title)
        if m and all(ORGAN_END.search(part) for part in m[1].split(" ")) and not _URL.search(m[1]):
            return " ".join(self.names.get(part, part) for part in m[1].split(" "))
        return ""

    def resolve(self, value: str, title: str, default: str) -> Resolved:
        if value in self.mapped:
            return self._checked(Resolved(self.mapped[value], "按映射文件的「发布机构对照」改写"))
        if value in self.names and self.names[value] != value:
            return Resolved(self.names[value], "按 site.yml「发文机关」的别名改为全称")
        why = self.junk(value) if value else "为空"
        if not why:
            return self._checked(Resolved(value))
        shown = f"「{value}」" if value else ""
        if found := self.from_title(title):
            found = " ".join(self.mapped.get(part, part) for part in found.split(" "))
            return self._checked(Resolved(found, f"发布机构{shown}{why}，按标题中的发文机关填写"))
        if default:
            return self._checked(Resolved(default, f"发布机构{shown}{why}，按映射文件的默认值填写",
                                          warning=f"发布机构{shown}{why}，已按映射文件的「默认值」填为「{default}」；"
                                          "请核对这条信息确实是该机关发布的"))
        return Resolved("", error=f"发布机构{shown}{why}，标题中也看不出发文机关；请在表格中写明发文机关全称"
                        + (f"，或在映射文件的「发布机构对照」中写「{value}: 机关全称」" if value else "")
                        + "（不要用本单位的名称代替其他机关）")

    def _checked(self, r: Resolved) -> Resolved:
        r.unknown = tuple(part for part in r.name.split(" ") if part and part not in self.names)
        if r.unknown and not r.warning:
            r.warning = (f"发布机构「{r.name}」不在发文机关名录中（本平台的单位、site.yml 的「发文机关」）；"
                         "确是发文机关的，请加入 site.yml「发文机关」；是简称或旧称的，请在映射文件「发布机构对照」中对应到全称")
        return r
