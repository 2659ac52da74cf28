"""The page model: what a page shows, read upright, whatever produced it.

Every PDF front end produces it — vector text through pdfium or pdfplumber today, words
read from a page image by OCR tomorrow — and the layout code (lines, the table in two
dimensions, signatures) reads only this. Coordinates are points in the page as a person
reads it: x grows to the right along the text, y grows downwards, (0, 0) is the top-left
corner, whatever the page's /Rotate or the direction its content was drawn in.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

DEFAULT_SIZE = 10.0  # points: the font size assumed for a page with no words


class Word(NamedTuple):  # a tuple: pages hold thousands
    """A word and its box. ``size`` is its font size (the height of its line box).

    ``run`` groups the words printed as one piece of text, joined by space characters —
    one cell's line in a spreadsheet export — so that two cells printed a point apart
    stay apart; None where the producer does not tell (OCR, text without space glyphs).
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    run: int | None = None
    confidence: float | None = None  # 0 to 100, for words read by OCR
    doubt: str | None = None  # OCR: why the read is not confirmed (None: it is, or not OCR)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def anchor(self) -> float:
        """Where the word belongs: its left edge (a label centred over two columns goes left)."""
        return self.x0 + min(1.0, (self.x1 - self.x0) / 2)


class Rule(NamedTuple):
    """A ruling line: a horizontal or vertical segment (cell borders, underlines)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def vertical(self) -> bool:
        return self.bottom - self.top > self.x1 - self.x0

    @property
    def length(self) -> float:
        return max(self.bottom - self.top, self.x1 - self.x0)


@dataclass(frozen=True)
class Page:
    """One page: its number in the file (from 1), its size, its words and ruling lines."""

    number: int
    width: float
    height: float
    words: tuple[Word, ...]
    rules: tuple[Rule, ...] = ()
    # The producer breaks a word too long for its cell across lines, as spreadsheets do;
    # a browser widens the column instead, so a full line there ends a word.
    breaks_words: bool = False

    @cached_property
    def font_size(self) -> float:
        """The page's body text size, which every tolerance of the layout is scaled by:
        the median size of its characters (so a few large title words do not count)."""
        sizes = [w.size for w in self.words for _ in w.text]
        return statistics.median(sizes) if sizes else DEFAULT_SIZE
