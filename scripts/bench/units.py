"""The fictional 示例区 of the benchmark corpus: 1 government, 40 departments, 15 townships, 8 subdistricts.

Every unit has a valid 机构代码 (统一社会信用代码, or for a few townships a 9-character
组织机构代码), a domain topic (主题分类) that drives its titles and bodies, and the 文号
agency prefix (机关代字) its documents carry.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from gkml.catalogue.codes import org_check_char, uscc_check_char

REGION = "示例区"
DIVISION = "350199"  # 行政区划代码 inside every 统一社会信用代码


@dataclass
class BenchUnit:
    id: str
    name: str
    kind: str  # 县级政府 | 政府部门 | 乡镇 | 街道
    agency: str  # 机关代字 for 文号
    topic: str  # default 主题分类 (一级/二级)
    weight: float  # share of the items relative to other units
    code: str = ""
    order: int = 0
    not_applicable: dict[str, str] = field(default_factory=dict)

    @property
    def short(self) -> str:
        """The name without the region prefix, e.g. 财政局, 东湖镇."""
        name = self.name.removeprefix(REGION)
        for suffix in ("人民政府", "办事处"):
            name = name.removesuffix(suffix)
        return name or self.name


# id, name suffix, 机关代字, topic, weight: weights follow what real districts publish (许可、处罚、
# 预决算-heavy bureaux publish more than the 人防办).
_DEPARTMENTS = (
    ("qfgj", "发展和改革局", "示发改", "国民经济管理、国有资产监管/宏观经济", 1.6),
    ("qjyj", "教育局", "示教", "科技、教育/教育", 1.8),
    ("qkjj", "科学技术局", "示科", "科技、教育/科技", 0.8),
    ("qgxj", "工业和信息化局", "示工信", "工业、交通/信息产业（含电信）", 0.9),
    ("qgaj", "公安分局", "示公", "公安、安全、司法/公安", 1.2),
    ("qmzj", "民政局", "示民", "民政、扶贫、救灾/社会福利", 1.5),
    ("qsfj", "司法局", "示司", "公安、安全、司法/司法", 0.9),
    ("qczj", "财政局", "示财", "财政、金融、审计/财政", 1.7),
    ("qrsj", "人力资源和社会保障局", "示人社", "劳动、人事、监察/劳动就业", 1.8),
    ("qzrj", "自然资源局", "示自然资", "国土资源、能源/土地", 1.6),
    ("qhbj", "生态环境分局", "示环", "城乡建设、环境保护/环境监测、保护与治理", 1.5),
    ("qzjj", "住房和城乡建设局", "示建", "城乡建设、环境保护/城乡建设（含住房）", 1.7),
    ("qjtj", "交通运输局", "示交", "工业、交通/公路", 1.2),
    ("qslj", "水利局", "示水", "农业、林业、水利/水利", 1.0),
    ("qnyj", "农业农村局", "示农", "农业、林业、水利/农业、畜牧业、渔业", 1.6),
    ("qswj", "商务局", "示商", "商贸、海关、旅游/国内贸易（含供销）", 0.9),
    ("qwlj", "文化体育和旅游局", "示文旅", "文化、广电、新闻出版/文化", 1.1),
    ("qwjj", "卫生健康局", "示卫健", "卫生、体育/卫生", 1.7),
    ("qtyj", "退役军人事务局", "示退役", "劳动、人事、监察/军转安置", 0.6),
    ("qyjj", "应急管理局", "示应急", "市场监管、安全生产监管/安全生产监管", 1.4),
    ("qsjj", "审计局", "示审", "财政、金融、审计/审计", 0.7),
    ("qscj", "市场监督管理局", "示市监", "市场监管、安全生产监管/食品药品监管", 2.2),
    ("qtjj", "统计局", "示统", "国民经济管理、国有资产监管/统计", 0.9),
    ("qybj", "医疗保障局", "示医保", "劳动、人事、监察/社会保障", 1.0),
    ("qlyj", "林业局", "示林", "农业、林业、水利/林业", 0.7),
    ("qcgj", "城市管理局", "示城管", "城乡建设、环境保护/城市规划", 1.3),
    ("qxfj", "信访局", "示信访", "综合政务/信访", 0.4),
    ("qsjg", "数据资源管理局", "示数据", "综合政务/电子政务", 0.5),
    ("qspj", "行政审批局", "示审批", "综合政务/政务公开", 1.9),
    ("qjgj", "机关事务管理局", "示机管", "综合政务/其他", 0.4),
    ("qgzj", "国有资产监督管理局", "示国资", "国民经济管理、国有资产监管/国有资产监管", 0.6),
    ("qrfb", "人民防空办公室", "示人防", "国防/国防动员", 0.3),
    ("qjrj", "金融工作局", "示金融", "财政、金融、审计/银行", 0.4),
    ("qmzz", "民族宗教事务局", "示民宗", "民族、宗教/民族事务", 0.3),
    ("qlsj", "粮食和物资储备局", "示粮储", "商贸、海关、旅游/国内贸易（含供销）", 0.4),
    ("qtcj", "投资促进局", "示投促", "商贸、海关、旅游/对外经贸合作", 0.5),
    ("qxzj", "乡村振兴局", "示乡振", "民政、扶贫、救灾/扶贫", 0.8),
    ("qwbj", "外事办公室", "示外", "对外事务/外交、外事", 0.2),
    ("qqbj", "侨务办公室", "示侨", "港澳台侨工作/侨务工作", 0.2),
    ("qfej", "妇女儿童工作委员会办公室", "示妇儿", "人口与计划生育、妇女儿童工作/妇女儿童", 0.3),
)
_TOWNSHIPS = (
    ("dhz", "东湖镇"), ("qsx", "青山乡"), ("xlz", "西岭镇"), ("npz", "南坪镇"), ("bgz", "北港镇"),
    ("bsz", "白沙镇"), ("sqz", "石桥镇"), ("ltz", "龙潭镇"), ("tyx", "桃源乡"), ("mxz", "梅溪镇"),
    ("flz", "枫林镇"), ("ytx", "云台乡"), ("dyz", "大洋镇"), ("jsz", "金山镇"), ("maz", "马鞍镇"),
)
_SUBDISTRICTS = (
    ("cgjd", "城关"), ("xhjd", "新华"), ("dcjd", "东城"), ("xcjd", "西城"),
    ("nmjd", "南门"), ("byjd", "北苑"), ("jbjd", "江滨"), ("gljd", "鼓楼"),
)
# Columns a unit of that kind would normally have but these units declare 不适用 (with a reason).
_NOT_APPLICABLE = {
    "qzf": {"gz": "示例区为市辖区，区人民政府无规章制定权，本区不制定规章。"},
    "qczj": {"sfbz": "本局不收取行政事业性收费，收费项目由各执收单位公开。"},
    "qsx": {"zjd": "本乡宅基地审核由区农业农村局统一办理，本乡只受理转报，审核结果由区农业农村局公开。"},
    "cgjd": {"fwzs": "辖区内的国有土地上房屋征收由区住房和城乡建设局实施，并在该局栏目公开。"},
    "xhjd": {"ggfl": "本街道公共法律服务由区司法局新华司法所统一提供并公开。"},
}
_ORG_CODE_UNITS = {"ytx", "dyz", "maz"}  # townships still registered with a 9-character 组织机构代码


def _uscc(serial: int) -> str:
    body8 = f"MB{serial:06d}"  # 主体标识码 = 组织机构代码: 8 characters + its own check character
    first17 = f"11{DIVISION}{body8}{org_check_char(body8)}"
    return first17 + uscc_check_char(first17)


def _org_code(serial: int) -> str:
    first8 = f"{int(DIVISION) % 1000:03d}{serial:05d}"
    return first8 + org_check_char(first8)


def build_units() -> list[BenchUnit]:
    units = [BenchUnit("qzf", f"{REGION}人民政府", "县级政府", "示政", "综合政务/政务公开", 5.0)]
    units += [BenchUnit(uid, REGION + name, "政府部门", agency, topic, w) for uid, name, agency, topic, w in _DEPARTMENTS]
    units += [BenchUnit(uid, f"{REGION}{name}人民政府", "乡镇", name[:2] + "政", "农业、林业、水利/农业、畜牧业、渔业", 1.0)
              for uid, name in _TOWNSHIPS]
    units += [BenchUnit(uid, f"{REGION}{name}街道办事处", "街道", name + "街", "民政、扶贫、救灾/社会福利", 0.9)
              for uid, name in _SUBDISTRICTS]
    for i, unit in enumerate(units, start=1):
        unit.code = _org_code(i) if unit.id in _ORG_CODE_UNITS else _uscc(i * 100)
        unit.order = {"县级政府": 0, "政府部门": 10, "乡镇": 100, "街道": 200}[unit.kind] + i
        unit.not_applicable = dict(_NOT_APPLICABLE.get(unit.id, {}))
    return units


def unit_yaml(unit: BenchUnit, gov_id: str) -> str:
    """The units/<id>.yml text (format strings, no YAML dumper)."""
    n = unit.order
    lines = [
        f"名称: {unit.name}",
        f"类型: {unit.kind}",
        f"机构代码: {unit.code}",
    ]
    if unit.id != gov_id:
        lines.append(f"上级: {gov_id}")
    office = f"{unit.short}办公室" if unit.kind in ("县级政府", "政府部门") else f"{unit.short}党政综合办公室"
    lines += [
        f"排序: {n}",
        f"简介: {unit.name}是{REGION}的{unit.kind}，依法公开本单位政府信息。",
        "指南:",
        f"  公开工作机构: {office}",
        f"  办公地址: {REGION}人民路{n}号",
        "  办公时间: 工作日上午 8:30—12:00，下午 14:30—17:30（法定节假日除外）",
        f"  联系电话: 0000-31{n:05d}",
        f"  传真: {'无' if n % 3 == 0 else f'0000-32{n:05d}'}",
        f"  互联网联系方式: {unit.id}@shiliqu.example.gov.cn",
        f'  邮编: "{DIVISION}"',
    ]
    if unit.not_applicable:
        lines.append("不适用:")
        for code, reason in unit.not_applicable.items():
            lines += [f"  - 栏目: {code}", f"    理由: {reason}"]
    return "\n".join(lines) + "\n"
