"""The text of an item that search sees: Markdown reduced to plain text, and length limits."""
from __future__ import annotations

import html
import re

# How much of each body is indexed. Titles, 文号, 索引号, summaries, keywords and publishers are
# always indexed whole; the body only up to this many characters (see BENCHMARKS.md 检索).
BODY_CHARS = 3000
# How much text a result shows under its title.
SUMMARY_CHARS = 120
EXCERPT_CHARS = 100

# Raw HTML whose content the page never shows (nh3 drops it whole when rendering the body).
_HIDDEN = re.compile(r"<(script|style|template|iframe|object|noscript)\b.*?(?:</\1\s*>|$)|<!--.*?(?:-->|$)", re.S | re.I)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# A tag as Markdown reads one: a name of ASCII letters (「关于印发<助力……措施>的通知」 is text,
# and the page shows it)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}.*$", re.M)  # table separator rows, horizontal rules
_MARK = re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+|[*_`~|]+", re.M)
_SPACE = re.compile(r"\s+")


def plain_text(markdown: str, limit: int | None = None) -> str:
    # Each pass only when the text holds what it needs to match (most bodies are plain text).
    text = _HIDDEN.sub(" ", markdown) if "<" in markdown else markdown
    text = _IMAGE.sub(r"\1", text) if "![" in text else text
    text = _LINK.sub(r"\1", text) if "[" in text else text
    text = _TAG.sub(" ", text) if "<" in text else text
    text = _RULE.sub(" ", text) if "---" in text else text
    text = _MARK.sub(" ", text)
    text = html.unescape(text) if "&" in text else text  # &nbsp; is a space on the page
    text = _SPACE.sub(" ", text).strip()
    return text[:limit] if limit is not None else text


_NOT_TEXT = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|" + _TAG.pattern)


def _keep_label(match: re.Match) -> str:
    return " " if match.group(1) is None else match.group(1)


def index_text(markdown: str, limit: int) -> str:
    """The body as the index sees it, as plain_text reads it (emphasis and heading marks must not
    cut 「人民政府**2025年**」 in two), in two passes instead of six, for every item."""
    text = markdown[:limit + limit // 4]
    if "<" in text or "[" in text:
        text = _NOT_TEXT.sub(_keep_label, _HIDDEN.sub(" ", markdown)[:limit + limit // 4])
    text = _RULE.sub(" ", text) if "---" in text else text  # table separator rows, rules: not shown
    text = _MARK.sub(" ", text)
    return (html.unescape(text) if "&" in text else text)[:limit]


def search_fields(item, body_chars: int) -> list[str]:
    """Every field search reads besides the title, as the index reads them: 文号, keywords, summary,
    publisher, 索引号, the start of the body (whitespace squeezed: it never cuts a phrase), and a
    migrated item's 原索引号 (last, only when there is one: the browser finds the body at 5). The
    first two are tokenised per item, the others by the bulk tokeniser (postings.long_text); the
    list as a whole is what the browser checks phrases in and cuts snippets from: read from the
    item's page (gkml-search.js pageFields, which a test holds to these) or, in copies made by gkml
    bundle, from search/t/."""
    return [item.doc_no, "、".join(item.keywords), item.summary, item.publisher, item.index_no,
            _SPACE.sub(" ", index_text(item.body, body_chars)).strip()] + \
        ([item.original_index_no] if item.original_index_no else [])


def clip(text: str, limit: int) -> str:
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= limit else text[:limit - 1] + "…"
