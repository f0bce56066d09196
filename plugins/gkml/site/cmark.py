"""GitHub-flavoured Markdown → HTML with cmark-gfm (C), through cmarkgfm's low-level API.

cmarkgfm's `markdown_to_html_with_extensions` never frees the document tree nor the HTML string
that cmark-gfm allocates for it: about 25 KB per call stays allocated, 1.2 GB over the item pages
of a 100,000-item build (measured 2026-11-24, cmarkgfm 2025.10.22). Its bindings expose neither
cmark_node_free nor free, so those two come from the same loaded library and from libc through
ctypes. The output is byte-identical to the high-level call's (tests/test_cmark.py).
"""
from __future__ import annotations

import ctypes

from cmarkgfm import _cmark
from cmarkgfm.cmark import Options

_lib, _ffi = _cmark.lib, _cmark.ffi


def _c_function(library: ctypes.CDLL, name: str):
    function = getattr(library, name)
    function.argtypes, function.restype = [ctypes.c_void_p], None
    return function


_node_free = _c_function(ctypes.CDLL(_cmark.__file__), "cmark_node_free")
_free = _c_function(ctypes.CDLL(None), "free")  # cmark-gfm's default allocator is calloc/realloc/free


def _address(pointer) -> int:
    return int(_ffi.cast("uintptr_t", pointer))


class Cmark:
    def __init__(self, extensions: list[str], options: int = Options.CMARK_OPT_UNSAFE):
        _lib.cmark_gfm_core_extensions_ensure_registered()
        self.options = options
        self.extensions = [_lib.cmark_find_syntax_extension(name.encode()) for name in extensions]
        if _ffi.NULL in self.extensions:
            raise ValueError(f"cmark-gfm has no extension among {extensions}")

    def __call__(self, text: str) -> str:
        parser = _lib.cmark_parser_new(self.options)
        try:
            for extension in self.extensions:
                _lib.cmark_parser_attach_syntax_extension(parser, extension)
            data = text.encode("utf-8")
            _lib.cmark_parser_feed(parser, data, len(data))
            root = _lib.cmark_parser_finish(parser)
            html = _lib.cmark_render_html(root, self.options, _lib.cmark_parser_get_syntax_extensions(parser))
            try:
                return _ffi.string(html).decode("utf-8")
            finally:
                _free(_address(html))
                _node_free(_address(root))
        finally:
            _lib.cmark_parser_free(parser)
