"""From a page's words to lines of cells, as a text dump has them.

Words on one line become a ``Line`` whose cells are split where a tab would be in a dump:
at a gap wider than a space, or where one piece of printed text ends and another begins
(two spreadsheet cells printed a point apart are still two cells). Tolerances are
fractions of the font size, so a page fitted to A4 at 5 pt reads like one at 8 pt.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from poa_etl.extract.lines import Line
from poa_etl.extract.pdf.page import Page, Word
from poa_etl.report.form import Location

# Fractions of the font size.
SAME_LINE = 0.25  # words whose middles differ by less are on one line
CELL_GAP = 0.45  # a wider gap between two words separates cells


@dataclass(frozen=True)
class PageLine:
    """A line of a page: its cells (as a dump's line) and the words they were made of."""

    line: Line
    words: tuple[Word, ...]
    spans: tuple[tuple[float, float], ...]  # x extent of each cell
    page: int

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def group_lines(words: Iterable[Word]) -> Iterator[list[Word]]:
    """Words in lines, top to bottom, each line left to right."""
    line: list[Word] = []
    for word in sorted(words, key=lambda w: (w.middle, w.x0)):
        if line and word.middle - line[0].middle > SAME_LINE * min(word.size, line[0].size):
            yield sorted(line, key=lambda w: w.x0)
            line = []
        line.append(word)
    if line:
        yield sorted(line, key=lambda w: w.x0)


def page_lines(file: str, page: Page) -> list[PageLine]:
    """The page's lines, numbered from 1 on the page."""
    return [
        page_line(file, page.number, number, words)
        for number, words in enumerate(group_lines(page.words), start=1)
    ]


def page_line(file: str, page: int, number: int, words: list[Word]) -> PageLine:
    cells: list[list[Word]] = [[words[0]]]
    for previous, word in itertools.pairwise(words):
        if separates(previous, word):
            cells.append([])
        cells[-1].append(word)
    return PageLine(
        line=Line(
            tuple(" ".join(w.text for w in cell) for cell in cells),
            Location(file, page=page, line=number),
        ),
        words=tuple(words),
        spans=tuple((cell[0].x0, max(w.x1 for w in cell)) for cell in cells),
        page=page,
    )


def separates(left: Word, right: Word) -> bool:
    """Whether a cell boundary lies between two words that follow each other on a line."""
    if left.run is not None and right.run is not None and left.run != right.run:
        return True
    return right.x0 - left.x1 > CELL_GAP * min(left.size, right.size)
