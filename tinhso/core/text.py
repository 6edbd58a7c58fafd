"""Vietnamese text helpers: folding for diacritic-insensitive search."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s.]", re.UNICODE)


def fold(text: str | None) -> str:
    """Lower-case, drop Vietnamese diacritics (đ -> d), keep letters, digits
    and dots, collapse white space. `Vị Thanh` and `vi  THANH` both give
    `vi thanh`."""
    if not text:
        return ""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = _PUNCT.sub(" ", stripped.lower())
    return _SPACES.sub(" ", stripped).strip()


def tokens(query: str | None) -> list[str]:
    return [t for t in fold(query).split(" ") if t]
