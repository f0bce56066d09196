"""`gkml init FOLDER`: a ready repository for a new office (or the 示例区 example).

What it writes is kept as files in gkml/scaffold/ (with ${name} placeholders) and, for the
example, the shipped example catalogue itself; this module only fills in and copies.
"""
from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from .. import __version__
from ..catalogue.codes import check_org_identifier
from ..resources import PACKAGE, example_dir, pages_dir, recipes_dir
from ..terminal import Failure

SCAFFOLD = PACKAGE / "scaffold"
UNIT_KINDS = ("县级政府", "政府部门", "乡镇", "街道")
CI_RECIPES = {  # --ci: the recipe shipped in docs/publish/ and where the office's repository keeps it
    "gitlab": ("gitlab-ci.yml", ".gitlab-ci.yml"),
    "github": ("github-actions.yml", ".github/workflows/publish.yml"),
}
_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")
_UNIT_CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_URL = re.compile(r"^https?://[^/\s]+(/\S*)?$")
EXAMPLE_URL = "https://www.example.org/"  # the fictional district's address (example.org is reserved for examples)


@dataclass
class Office:
    name: str
    code: str
    unit: str
    kind: str
    platform: str

    url: str | None = None

    def values(self, ci_file: str) -> dict[str, str]:
        site_url = f"site_url: {self.url}" if self.url else "# site_url: https://www.example.gov.cn/zwgk/"
        return {"name": self.name, "code": self.code, "unit": self.unit, "kind": self.kind, "site_url_line": site_url,
                "platform": self.platform, "version": __version__, "ci_file": ci_file,
                "office": f"{self.name}办公室", "hours": "工作日上午 8:30—12:00，下午 14:30—17:30（法定节假日除外）",
                "address": "无", "phone": "无", "fax": "无", "email": "无", "postcode": "无"}


def fill(template: str, values: dict[str, str]) -> str:
    """${key} → value; an unknown key is a bug in the scaffold, not the office's problem."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def platform_name(name: str) -> str:
    """示例区人民政府 → 示例区政府信息公开; 示例区财政局 → 示例区财政局政府信息公开."""
    return (name.removesuffix("人民政府") + "政府信息公开") if name.endswith("人民政府") else f"{name}政府信息公开"


def refuse_unless_empty(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise Failure(f"「{folder}」是一个文件，不是文件夹；请换一个新文件夹的名字")
    if folder.is_dir() and any(folder.iterdir()):
        count = sum(1 for _ in folder.iterdir())
        raise Failure(f"文件夹「{folder}」不是空的（有 {count} 项）；为免覆盖已有内容，gkml init 只在空文件夹"
                                   "或新文件夹中创建。请换一个文件夹，或先把其中的内容移走。")


def write_common(folder: Path, values: dict[str, str], ci: str | None) -> list[str]:
    """Files every new repository has, whatever its catalogue: returns the paths written."""
    written = []

    def put(rel: str, text: str) -> None:
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        written.append(rel)

    for source, rel in (("mkdocs.yml", "mkdocs.yml"), ("README.md", "README.md"), ("gitignore", ".gitignore"),
                        ("pre-commit-config.yaml", ".pre-commit-config.yaml"), ("requirements.txt", "requirements.txt")):
        put(rel, fill((SCAFFOLD / source).read_text(encoding="utf-8"), values))
    for page in sorted(pages_dir().glob("*.md")):
        put(f"pages/{page.name}", page.read_text(encoding="utf-8"))
    if ci:
        recipe, rel = CI_RECIPES[ci]
        put(rel, (recipes_dir() / recipe).read_text(encoding="utf-8"))
    return written


def write_office(folder: Path, office: Office, ci: str | None) -> None:
    values = office.values(CI_RECIPES[ci][1] if ci else "（无）")
    write_common(folder, values, ci)
    catalogue = folder / "catalogue"
    (catalogue / "units").mkdir(parents=True)
    (catalogue / "items" / office.unit).mkdir(parents=True)
    (catalogue / "site.yml").write_text(fill((SCAFFOLD / "site.yml").read_text(encoding="utf-8"), values),
                                        encoding="utf-8", newline="\n")
    (catalogue / "units" / f"{office.unit}.yml").write_text(
        fill((SCAFFOLD / "unit.yml").read_text(encoding="utf-8"), values), encoding="utf-8", newline="\n")
    shutil.copyfile(SCAFFOLD / "holidays.yml", catalogue / "holidays.yml")  # annotated, adds nothing yet
    # The province's unified column tree and the editors' format notes, as the example has them.
    for name in ("taxonomy.yml", "README.md"):
        shutil.copyfile(example_dir() / name, catalogue / name)
    (catalogue / "items" / office.unit / ".gitkeep").write_text("", encoding="utf-8")


def write_example(folder: Path, ci: str | None, url: str | None) -> None:
    example = Office("示例区人民政府", "", "qzf", "县级政府", "示例区政府信息公开", url or EXAMPLE_URL)
    write_common(folder, example.values(CI_RECIPES[ci][1] if ci else "（无）"), ci)
    shutil.copytree(example_dir(), folder / "catalogue",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "__init__.py"))


def _ask(value: str | None, prompt: str, option: str) -> str:
    """A missing value: asked in Chinese on a terminal, an error naming the option elsewhere."""
    if value:
        return value.strip()
    if not sys.stdin.isatty():
        raise Failure(f"缺少 {option}（{prompt}）；不在终端中运行时请用 {option} 给出")
    return click.prompt(prompt).strip()


def _office(name: str | None, code: str | None, unit: str, kind: str, platform: str | None, url: str | None) -> Office:
    name = _ask(name, "本级政府全称（如 某某县人民政府）", "--name")
    if not name or any(c in name for c in "<>&\"'/\\") or len(name) > 40:
        raise Failure(f"单位名称「{name}」不合适：应为单位全称，不超过 40 字，不含 < > & 引号和斜杠")
    code = _ask(code, "统一社会信用代码（18 位）", "--code").upper()
    while problem := check_org_identifier(code):
        if not sys.stdin.isatty():
            raise Failure(f"--code「{code}」不对：{problem}")
        click.echo(f"「{code}」不对：{problem}", err=True)
        code = click.prompt("统一社会信用代码（18 位）").strip().upper()
    if not _UNIT_CODE.match(unit):
        raise Failure(f"--unit「{unit}」不对：单位代码只用小写英文字母、数字和连字符，如 zf")
    return Office(name, code, unit, kind, platform or platform_name(name), url)


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--name", help="本级政府全称，如 某某县人民政府。")
@click.option("--code", help="本单位的统一社会信用代码（18 位），索引号的前段。")
@click.option("--unit", default="zf", show_default=True, help="本级政府的单位代码（决定网址）。")
@click.option("--kind", type=click.Choice(UNIT_KINDS), default="县级政府", show_default=True, help="本级政府的单位类型。")
@click.option("--platform", help="网站标题，默认由名称得出（某某县政府信息公开）。")
@click.option("--url", help="网站的正式地址（site_url），如 https://www.example.gov.cn/zwgk/；可以以后再填。")
@click.option("--ci", type=click.Choice([*CI_RECIPES, "none"]), default="gitlab", show_default=True,
              help="同时写入的自动检查和发布流水线。")
@click.option("--example", is_flag=True, help="写入虚构的「示例区」完整目录，用于试用和培训。")
def init(folder: Path, name, code, unit: str, kind: str, platform, url, ci: str, example: bool) -> None:
    """新建一个政府信息公开平台的内容仓库（网站设置、目录骨架、检查和发布流水线）。"""
    refuse_unless_empty(folder)
    if url and not _URL.match(url):
        raise Failure(f"--url「{url}」不对：应为网站的完整地址，以 https:// 或 http:// 开头")
    ci_name = None if ci == "none" else ci
    office = None if example else _office(name, code, unit, kind, platform, url)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        if office is None:
            write_example(folder, ci_name, url)
        else:
            write_office(folder, office, ci_name)
    except OSError as exc:
        raise Failure(f"无法写入「{folder}」：{exc.strerror or exc}") from None
    what = "示例区的示例目录" if office is None else f"{office.name}的内容仓库"
    click.echo(f"已在 {folder} 新建{what}。下一步：", err=True)
    steps = ["cd " + str(folder), "gkml check --strict catalogue    # 检查", "gkml serve                       # 本地预览"]
    if office is not None:
        steps.insert(1, f"按实际填写 catalogue/units/{office.unit}.yml 中的「指南」（现写「无」的几项）和 catalogue/site.yml 的「网站」"
                        + ("" if office.url else "，在 mkdocs.yml 中写上网站地址 site_url"))
    for n, step in enumerate(steps, 1):
        click.echo(f"  {n}. {step}", err=True)


COMMANDS = [init]
