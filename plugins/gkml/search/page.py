"""The body of search.html: a form that works as a plain GET form, filled in by gkml-search.js.

The filters sit in a <details> box: their counts need facets.js (the largest index file, about
2.5 bytes per item), which is loaded only once the box is opened or a filter is in the URL.

Paths are relative to the site root (search.html is there); the script reads ?q= and the facet
parameters from the URL and keeps the URL in step (history.replaceState) so a search can be shared.
"""
from __future__ import annotations

# (URL parameter, label) of each facet, in the order shown.
FACETS = (
    ("unit", "发布单位"),
    ("col", "栏目"),
    ("topic", "主题分类"),
    ("genre", "体裁"),
    ("year", "发布年份"),
    ("valid", "有效性"),
)


def search_page_html() -> str:
    facets = "\n".join(
        f'    <div class="gkml-facet"><label for="gkml-f-{name}">{label}</label>'
        f'<select id="gkml-f-{name}" name="{name}"><option value="">全部</option></select></div>'
        for name, label in FACETS)
    return f"""<div class="gkml-search" id="gkml-search" data-index="search/">
  <form class="gkml-search-form" id="gkml-search-form" action="search.html" method="get" role="search"
        aria-describedby="gkml-search-help">
    <div class="gkml-search-box">
      <label for="gkml-q">检索词</label>
      <input id="gkml-q" name="q" type="search" autocomplete="off" spellcheck="false" enterkeyhint="search"
             placeholder="标题、文号、索引号或关键词">
      <button type="submit">检索</button>
    </div>
    <p id="gkml-search-help" class="gkml-search-help">多个检索词用空格分开，结果须包含全部检索词；简体、繁体均可。
      可直接输入完整的文号或索引号，也可以只输入文号的一部分（如「〔2025〕」「〔2025〕3号」）。
      文号、索引号或整个标题与检索词相同的排在最前，其次是标题含完整检索词的，再次是正文等处含完整检索词的，同类中新发布的在前。</p>
    <details class="gkml-facets-box" id="gkml-facets-box">
      <summary>按单位、栏目、主题分类、体裁、年份、有效性筛选</summary>
      <fieldset class="gkml-facets">
        <legend class="gkml-visually-hidden">筛选</legend>
{facets}
        <button type="button" id="gkml-clear" class="gkml-clear">清除筛选</button>
      </fieldset>
    </details>
  </form>
  <nav class="gkml-pages-found" id="gkml-pages-found" aria-label="相关页面" hidden>
    <h2>相关页面</h2>
    <ul></ul>
  </nav>
  <h2 class="gkml-visually-hidden">检索结果</h2>
  <p id="gkml-status" class="gkml-status" tabindex="-1" role="status" aria-live="polite" aria-atomic="true"></p>
  <ol id="gkml-results" class="gkml-results" aria-labelledby="gkml-status"></ol>
  <p><button type="button" id="gkml-more" class="gkml-more" hidden>显示更多结果</button></p>
  <noscript><p>检索需要浏览器启用 JavaScript。也可以从首页按单位、栏目、主题分类和年份浏览全部信息。</p></noscript>
  <div class="gkml-offline" id="gkml-offline" data-index="search/" hidden>
    <h2>离线检索</h2>
    <p class="gkml-offline-note" role="status" aria-live="polite"></p>
    <button type="button" hidden>下载离线检索</button>
  </div>
</div>
<script src="assets/gkml-search.js"></script>
<script src="assets/gkml-offline.js"></script>
<script src="search/meta.js" async></script>
"""


def standalone_html(title: str = "信息检索") -> str:
    """A whole page around the fragment, without the site theme: for a search-only copy of the
    index, the benchmark and browser tests of catalogues that exist only in memory."""
    return ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<title>{title}</title><link rel="stylesheet" href="assets/gkml-search.css"></head>'
            f'<body><main><h1>{title}</h1>\n{search_page_html()}</main></body></html>\n')
