"""Organisation identifiers: 统一社会信用代码 (GB 32100-2015) and 组织机构代码 (GB 11714-1997)."""
import re

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")  # ASCII only: \d takes full-width digits
ORG_RE = re.compile(r"^[0-9A-Z]{8}[0-9X]$")


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(first8, _ORG_WEIGHTS))
    r = 11 - total % 11
    return {10: "X", 11: "0"}.get(r, str(r))


def check_org_identifier(code: str) -> str | None:
    """Return a Chinese description of what is wrong with the code, or None if it is valid."""
    if USCC_RE.match(code):
        if uscc_check_char(code[:17]) != code[17]:
            return f"统一社会信用代码 {code} 的校验位应为 {uscc_check_char(code[:17])}"
        return None
    if ORG_RE.match(code):
        if org_check_char(code[:8]) != code[8]:
            return f"组织机构代码 {code} 的校验位应为 {org_check_char(code[:8])}"
        return None
    return "应为 18 位统一社会信用代码或 9 位组织机构代码（大写字母和数字，不含连字符）"
