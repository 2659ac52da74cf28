"""A metas table that goes on to the next page without its header rows.

``pdftotext -fixed`` sets every page at one pitch, so the next page's text stands in the
same character columns as the header's page but for the page's own left margin, which
``pages`` took off: one shift puts it back, found from where the descriptions start (their
meta numbers). The shift is enough when every number on the next page then stands where
the numbers of its column stand above the page break.

``-layout`` sets each page at a pitch of its own, so the next page's numbers stand under
no column of the header's. A row there is still certain when it has all its numbers, one
to a column: the table's columns keep their order, so the k-th number is in the k-th
number column; the text before them (code, description, unit) and after (observations)
goes by the shift, as long as it stays clear of the number columns. A row there with a
blank is refused (which column is blank, only where its numbers stand could say), as is
anything that does not fit, never read against columns that are not its own.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from poa_etl.errors import RejectedFile
from poa_etl.extract.text.layout.columns import Grid, centers
from poa_etl.extract.text.layout.page import PageLine, Word
from poa_etl.report.cells import is_number_or_percent

_META = re.compile(r"\d+\s*\.(?!\d)")  # "207.-", not a P.M.D. code ("4.6.1")
_SAME_PLACE = 1.5  # characters a number may stand from its column's numbers above the break


def onto_first_page(body: Sequence[PageLine], grid: Grid, numeric: set[int]) -> list[PageLine]:
    """The body, the lines of later pages shifted onto the first page's columns (``grid``,
    read from the first page's lines). Raises ``RejectedFile`` when they do not fit."""
    page = body[0].page
    first = [line for line in body if line.page == page]
    later = [line for line in body if line.page != page]
    if not any(not line.blank for line in later):
        return list(body)
    turned = next(line for line in later if not line.blank)
    unmatched = RejectedFile(
        f"line {turned.number}: the metas table goes on to page {turned.page} without its "
        f"header; a text dump lays out each page on its own, so the columns cannot be "
        f"matched across the page break; load the PDF itself"
    )
    shift = _shift(later, grid)
    moved = [_moved(line, shift) for line in later] if shift is not None else []
    if not moved or any("\0" in line.text for line in moved):
        raise unmatched
    if _numbers_in_place(first, moved, grid, numeric):
        return first + moved
    relaid = [_by_order(line, grid, sorted(numeric)) for line in moved]
    if any(line is None for line in relaid):
        raise unmatched
    return first + [line for line in relaid if line is not None]


def _shift(later: Sequence[PageLine], grid: Grid) -> int | None:
    """How far right the later lines go: from where their meta numbers start to where the
    first page's descriptions start."""
    if grid.margin is None:
        return None
    starts = [word.x0 for line in later for word in line.words[:2] if _META.match(word.text)]
    return round(grid.margin - statistics.median(starts)) if starts else None


def _moved(line: PageLine, shift: int) -> PageLine:
    if shift >= 0:
        return PageLine(line.number, " " * shift + line.text, line.page)
    if line.text[:-shift].strip():
        return PageLine(line.number, "\0" + line.text, line.page)  # cannot move: no match
    return PageLine(line.number, line.text[-shift:], line.page)


def _numbers_in_place(
    first: Sequence[PageLine], later: Sequence[PageLine], grid: Grid, numeric: set[int]
) -> bool:
    """Every number of the later lines stands within a character and a half of where the
    numbers of its column stand on the first page."""
    above: dict[int, list[float]] = {}
    for line in first:
        for word, column in zip(line.words, grid.columns(line), strict=True):
            if column in numeric:
                above.setdefault(column, []).append(word.middle)
    for line in later:
        for word, column in zip(line.words, grid.columns(line), strict=True):
            if column in numeric and (
                column not in above
                or abs(word.middle - statistics.median(above[column])) > _SAME_PLACE
            ):
                return False
    return True


def _by_order(line: PageLine, grid: Grid, numeric: list[int]) -> PageLine | None:
    """A line of a page set at a pitch of its own, its numbers moved under the header's
    columns by their order: all of them (one to each number column), or none. Its text
    stays where the shift put it, in the columns left or right of the numbers as it stands
    before or after them. None when the line does not fit that; refused when a row's
    numbers are some but not all (its blanks unknown). The line as moved is read back and
    must give exactly these columns."""
    words = line.words
    columns = grid.columns(line)
    numbers = [
        i
        for i, word in enumerate(words)
        if columns[i] > grid.description and is_number_or_percent(word.text)
        and _alone(words, i)
    ]  # fmt: skip
    if numbers and len(numbers) != len(numeric):
        if len(numbers) > len(numeric):
            return None
        raise RejectedFile(
            f"line {line.number}: the metas table goes on to page {line.page} without its "
            f"header, set at a pitch of its own, and this row has {len(numbers)} numbers for "
            f"its {len(numeric)} number columns, so a layout dump cannot tell which columns "
            f"are blank; make the dump with `pdftotext -fixed 3`, or load the PDF itself"
        )
    if numbers and numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return None  # text between two of the numbers
    low, high = min(numeric), max(numeric)
    wanted = list(columns)
    for k, i in enumerate(numbers):
        wanted[i] = numeric[k]
    for i, column in enumerate(columns):
        if i in numbers:
            continue
        before = not numbers or i < numbers[0]
        if (low <= column <= high) or (numbers and (column < low) != before):
            return None  # text under a number column, or on the wrong side of the numbers
    middles = list(centers(grid.cuts))
    starts = [
        round(middles[wanted[i]] - len(word.text) / 2) if i in numbers else word.x0
        for i, word in enumerate(words)
    ]
    text = ""
    for word, start in zip(words, starts, strict=True):
        if text and start <= len(text):
            return None  # a number moved onto its neighbour
        text = text.ljust(start) + word.text
    relaid = PageLine(line.number, text, line.page)
    moved = relaid.words
    if [w.text for w in moved] != [w.text for w in words] or not all(
        _alone(moved, i) for i in numbers
    ):
        return None
    return relaid if grid.columns(relaid) == wanted else None


def _alone(words: list[Word], i: int) -> bool:
    """The word stands two spaces or more from both its neighbours: a cell of its own."""
    before = i == 0 or words[i].x0 - words[i - 1].x1 >= 2
    after = i == len(words) - 1 or words[i + 1].x0 - words[i].x1 >= 2
    return before and after
