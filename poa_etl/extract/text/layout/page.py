"""A layout dump's pages: lines of words, each word where it sits across the page."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_WORD = re.compile(r"\S+")
META_START = re.compile(r"(\d+)\s*\.")  # a description's meta number: "200.-", "100."


@dataclass(frozen=True)
class Word:
    text: str
    x0: int
    x1: int

    @property
    def middle(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class PageLine:
    number: int  # in the file, from 1
    text: str
    page: int = 1
    placed: tuple[int, ...] | None = None  # its words' columns, when not told by where they stand

    @property
    def words(self) -> list[Word]:
        return [Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(self.text)]

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def pages(lines: Sequence[str]) -> list[PageLine]:
    """The lines, each page's left margin taken off (``-fixed`` keeps the paper's)."""
    out: list[PageLine] = []
    page: list[tuple[int, str]] = []
    pages = 0

    def flush() -> None:
        nonlocal pages
        pages += 1
        texts = [t for _, t in page if t.strip()]
        margin = min((len(t) - len(t.lstrip(" ")) for t in texts), default=0)
        out.extend(PageLine(n, t[margin:], pages) for n, t in page)
        page.clear()

    for number, text in enumerate(lines, start=1):
        if text.startswith("\f"):
            flush()
        page.append((number, text.replace("\f", "").rstrip()))
    flush()
    return out
