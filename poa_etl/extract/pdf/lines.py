"""From a page's words to lines of cells, as a text dump has them.

Words on one line become a ``Line`` whose cells are split where a tab would be in a dump:
at a gap wider than a space, or where one piece of printed text ends and another begins
(two spreadsheet cells printed a point apart are still two cells). Tolerances are
fractions of the font size, so a page fitted to A4 at 5 pt reads like one at 8 pt.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from poa_etl.extract.lines import Line
from poa_etl.extract.pdf.page import Page, Word
from poa_etl.report.cells import CODE_RE
from poa_etl.report.form import Location

# Fractions of the font size.
SAME_LINE = 0.25  # words whose middles differ by less are on one line
CELL_GAP = 0.45  # a wider gap between two words separates cells
WRAP_PITCH = 1.3  # a line this close below another holds its cells' wrapped text
Span = tuple[float, float]  # left, right


@dataclass(frozen=True)
class PageLine:
    """A line of a page: its cells (as a dump's line) and the words they were made of."""

    line: Line
    words: tuple[Word, ...]
    spans: tuple[Span, ...]  # x extent of each cell
    page: int

    @cached_property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @cached_property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @cached_property
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


def join_text(text: str, more: str) -> str:
    """A cell's next line added to its text: after a space, but a hyphen that ends the line
    after a letter is the word's own ("E-" + "MARKETING"; not "500.-" + "POTENCIALIZAR")."""
    if not text or not more:
        return text or more
    if text.endswith("-") and text[-2:-1].isalpha():
        return text + more
    return f"{text} {more}"


def merge_wrapped(lines: Sequence[PageLine]) -> list[PageLine]:
    """Lines with the wrapped ends of their cells joined to them.

    A header cell too narrow for its text (a label in a browser's table, a long name)
    goes on below it: a line that follows at a single line's pitch, with fewer cells,
    each under a cell of the line above, and no code, holds those cells' ends — unlike
    the next row of the header, which is further down, or starts with a code.
    """
    merged: list[PageLine] = []
    for pl in lines:
        if merged and _wraps(merged[-1], pl):
            merged[-1] = _joined(merged[-1], pl)
        else:
            merged.append(pl)
    return merged


def _wraps(upper: PageLine, lower: PageLine) -> bool:
    if lower.page != upper.page or len(lower.line.cells) >= len(upper.line.cells):
        return False
    # A header line is label, code, name; a code is short and never wraps, so a line
    # with a code is a row of its own, and only a row with one has cells to go on.
    if not _has_code(upper) or _has_code(lower):
        return False
    size = min(w.size for w in (*upper.words, *lower.words))
    if lower.middle - upper.middle > WRAP_PITCH * size:
        return False
    return all(_under(span, upper.spans, size) is not None for span in lower.spans)


def _has_code(pl: PageLine) -> bool:
    return any(CODE_RE.fullmatch(cell.strip()) for cell in pl.line.cells)


def _under(
    span: tuple[float, float], spans: Sequence[tuple[float, float]], size: float
) -> int | None:
    """The index of the span above whose extent holds this one's centre."""
    center = (span[0] + span[1]) / 2
    return next((i for i, (x0, x1) in enumerate(spans) if x0 - size <= center <= x1 + size), None)


def _joined(upper: PageLine, lower: PageLine) -> PageLine:
    size = min(w.size for w in (*upper.words, *lower.words))
    cells, spans = list(upper.line.cells), list(upper.spans)
    for cell, span in zip(lower.line.cells, lower.spans, strict=True):
        index = _under(span, upper.spans, size)
        assert index is not None
        cells[index] = join_text(cells[index], cell)
        spans[index] = (min(spans[index][0], span[0]), max(spans[index][1], span[1]))
    return PageLine(
        line=Line(tuple(cells), upper.line.location),
        words=(*upper.words, *lower.words),
        spans=tuple(spans),
        page=upper.page,
    )


def separates(left: Word, right: Word) -> bool:
    """Whether a cell boundary lies between two words that follow each other on a line.

    Where the producer prints spaces, words joined by one are one cell's and words
    placed apart without one are two cells', however close (a label a point from its
    value). Where it does not tell (OCR), a gap wider than a space separates cells.
    """
    if left.run is not None and right.run is not None:
        return left.run != right.run
    return right.x0 - left.x1 > CELL_GAP * min(left.size, right.size)
