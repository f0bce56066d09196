"""Compact text encodings of the index (decoded by gkml-search.js; keep the two in step).

Numbers are written as little-endian groups of 5 bits, one character per group, from a 64-character
alphabet that needs no escaping inside a JavaScript string: the first 32 characters end a number,
the last 32 say that another group follows. Fixed-width numbers (facet profiles) use the same
alphabet as plain base 64, most significant digit first.

A posting list is, for each document in ascending id order, the number ``gap * 2 + in_title``
(``gap`` = id − previous id − 1, the previous id starting at −1); for a pair term that is in the
title the positions follow, each as ``delta * 2 + more`` (delta from the previous position, the
first from 0; ``more`` = 1 if another position follows).
"""
from __future__ import annotations

import numpy as np

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
assert len(ALPHABET) == 64


def varint(n: int) -> str:
    out = []
    while True:
        low, n = n & 31, n >> 5
        if n:
            out.append(ALPHABET[32 + low])
        else:
            out.append(ALPHABET[low])
            return "".join(out)


# Precomputed encodings of small numbers (the build spends most of its time here).
_SMALL = 1 << 15
VARINT = [varint(n) for n in range(_SMALL)]
VARINT_BYTES = [s.encode("ascii") for s in VARINT]


def varint_cached(n: int) -> str:
    return VARINT[n] if n < _SMALL else varint(n)


def varint_bytes(n: int) -> bytes:
    return VARINT_BYTES[n] if n < _SMALL else varint(n).encode("ascii")


def decode_varints(text: str) -> list[int]:
    """Inverse of a run of varint(): used by tests and by the Python reference reader."""
    out, value, shift = [], 0, 0
    for ch in text:
        d = ALPHABET.index(ch)
        value |= (d & 31) << shift
        if d >= 32:
            shift += 5
        else:
            out.append(value)
            value, shift = 0, 0
    if shift:
        raise ValueError("truncated varint")
    return out


def fixed(n: int, width: int) -> str:
    digits = []
    for _ in range(width):
        digits.append(ALPHABET[n & 63])
        n >>= 6
    if n:
        raise ValueError("number too wide")
    return "".join(reversed(digits))


def width_for(count: int) -> int:
    width = 1
    while 64 ** width < count:
        width += 1
    return width


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over code points (gkml-search.js computes the same with Math.imul)."""
    h = 0x811C9DC5
    for ch in text:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def fnv1a_many(texts: list[str]) -> list[int]:
    """fnv1a of every text, with numpy: the texts of one length at a time, a character a step."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts = np.cumsum(lengths) - lengths
    out = np.empty(len(texts), dtype=np.uint32)
    for length in np.unique(lengths).tolist():
        which = np.flatnonzero(lengths == length)
        first = starts[which]
        h = np.full(len(which), 0x811C9DC5, dtype=np.uint32)
        for k in range(length):
            h ^= codes[first + k]
            h *= np.uint32(0x01000193)  # wraps modulo 2**32, as the & 0xFFFFFFFF above
        out[which] = h
    return out.tolist()


def is_pair_key(key: str) -> bool:
    """Pair terms carry title positions; single units, words and identifier keys do not."""
    return len(key) > 1 and key[0] != "=" and not (key.isascii() and key.isalnum())


def bits_for(count: int) -> int:
    """Bits that number `count` different values (0 for one value)."""
    return (count - 1).bit_length() if count > 1 else 0


class BitWriter:
    """Numbers of given bit widths, most significant bit first, six bits per ALPHABET character."""

    def __init__(self):
        self.chars: list[str] = []
        self.acc = 0
        self.nbits = 0

    def write(self, value: int, width: int) -> None:
        if not width:
            return
        if value >> width:
            raise ValueError("value too wide")
        self.acc = (self.acc << width) | value
        self.nbits += width
        while self.nbits >= 6:
            self.nbits -= 6
            self.chars.append(ALPHABET[self.acc >> self.nbits])
            self.acc &= (1 << self.nbits) - 1

    def text(self) -> str:
        tail = ALPHABET[self.acc << (6 - self.nbits)] if self.nbits else ""
        return "".join(self.chars) + tail


_TO_ALPHABET = bytes.maketrans(bytes(range(64)), ALPHABET.encode("ascii"))
_BIT_WEIGHTS = np.array([32, 16, 8, 4, 2, 1], dtype=np.uint8)


def bitmap(docs, count: int) -> str:
    """Documents 0..count-1 as a bitmap: character k holds documents 6k..6k+5, the first in its
    most significant bit. `docs`: a sequence or numpy array of document numbers."""
    flags = np.zeros(-(-count // 6) * 6, dtype=np.uint8)
    flags[np.asarray(docs, dtype=np.int64)] = 1
    digits = flags.reshape(-1, 6) @ _BIT_WEIGHTS
    return digits.astype(np.uint8).tobytes().translate(_TO_ALPHABET).decode("ascii")
