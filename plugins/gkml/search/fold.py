"""Character folding shared by the index builder and (mirrored in gkml-search.js) the query side.

Folding is per character, so the browser can apply exactly the same map to a query:
- full-width ASCII (U+FF01–FF5E) and the ideographic space become their half-width forms;
- ASCII letters become lower case (only ASCII, so Python and JavaScript agree);
- traditional characters become simplified, one character at a time, using OpenCC's t2s table.

Bracket forms used in 文号 (〔〕 [] 【】 () （） ［］ ﹝﹞ 〖〗) are folded only in whole-identifier keys
(`id_key`); everywhere else they are punctuation and separate tokens anyway.
"""
from __future__ import annotations

import re
from functools import lru_cache

# Ranges of code points whose single-character t2s conversion is looked up in OpenCC.
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0))

OPEN_BRACKETS = "〔[【(（［﹝〖〘⦅｟"
CLOSE_BRACKETS = "〕]】)）］﹞〗〙⦆｠"
_BRACKETS = {**{c: "(" for c in OPEN_BRACKETS}, **{c: ")" for c in CLOSE_BRACKETS}}
# Whitespace as both Python (str.isspace) and JavaScript (\\s) know it; the query side uses the same class.
WHITESPACE = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SPACE = re.compile(f"[{WHITESPACE}]+")


@lru_cache(maxsize=1)
def t2s_table() -> dict[str, str]:
    """Every traditional character OpenCC converts to a single different simplified character."""
    import opencc
    cc = opencc.OpenCC("t2s")
    table: dict[str, str] = {}
    for start, end in _CJK_RANGES:
        for cp in range(start, end):
            ch = chr(cp)
            out = cc.convert(ch)
            if out != ch and len(out) == 1:
                table[ch] = out
    return table


def _fold_char(ch: str, t2s: dict[str, str]) -> str:
    cp = ord(ch)
    if 0xFF01 <= cp <= 0xFF5E:
        cp -= 0xFEE0
        ch = chr(cp)
    elif cp == 0x3000:
        return " "
    if 0x41 <= cp <= 0x5A:
        return chr(cp + 32)
    return t2s.get(ch, ch)


@lru_cache(maxsize=1)
def translation() -> dict[int, str]:
    t2s = t2s_table()
    trans = {cp: _fold_char(chr(cp), t2s) for cp in range(0xFF01, 0xFF5F)}
    trans[0x3000] = " "
    trans.update({cp: chr(cp + 32) for cp in range(0x41, 0x5B)})
    trans.update({ord(k): v for k, v in t2s.items()})
    return trans


def fold(text: str) -> str:
    """Fold one string: full-width → half-width, ASCII lower case, traditional → simplified."""
    return text.translate(translation())


def id_key(text: str) -> str:
    """The whole-identifier form of a 文号 or 索引号: folded, no spaces, all brackets as ()."""
    folded = _SPACE.sub("", fold(text))
    return "".join(_BRACKETS.get(c, c) for c in folded)


def t2s_pairs(chars: set[str]) -> str:
    """The part of the t2s table a browser needs: pairs whose simplified form occurs in `chars`,
    as one string "繁简繁简…" in code-point order (deterministic)."""
    return "".join(k + v for k, v in sorted(t2s_table().items()) if v in chars)
