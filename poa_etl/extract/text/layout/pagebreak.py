"""A metas table that goes on to the next page without its header rows.

``pdftotext -fixed`` sets every page at one pitch, so the next page's text stands in the
same character columns as the header's page but for the page's own left margin, which
``pages`` took off: one shift puts it back, found from where the descriptions start (their
meta numbers). The shift is enough when every number on the next page then stands where
the numbers of its column stand above the page break.

``-layout`` sets each page at a pitch of its own, so the next page's numbers stand under
no column of the header's: a row there is read only when it has all its numbers, placed by
their order (``order``), its text by the shift. A row there with a blank is refused, as is
anything that does not fit, never read against columns that are not its own.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from poa_etl.errors import RejectedFile
from poa_etl.extract.text.layout.columns import Grid
from poa_etl.extract.text.layout.order import all_numbers_or_none, placed_by_order
from poa_etl.extract.text.layout.page import PageLine

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
    columns = sorted(numeric)
    placed = []
    for line in moved:
        numbers = all_numbers_or_none(
            line, grid, columns, apart=True,
            why=f"the metas table goes on to page {line.page} without its header, set at a "
            f"pitch of its own",
        )  # fmt: skip
        found = placed_by_order(line, grid, columns, numbers) if numbers else line
        if found is None or (not numbers and not _clear_of(line, grid, columns)):
            raise unmatched
        if numbers and not _unit_before(line, grid, columns, numbers[0]):
            raise unmatched
        placed.append(found)
    return first + placed


def _unit_before(line: PageLine, grid: Grid, numeric: list[int], first: int) -> bool:
    """Text stands between the description and the numbers: the unit of measure. Without
    it, a unit printed as a number would pass for the annual target of a row whose target
    is blank — every value a column off."""
    columns = grid.columns(line)
    return any(grid.description < columns[i] < numeric[0] for i in range(first))


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


def _clear_of(line: PageLine, grid: Grid, numeric: list[int]) -> bool:
    """A line without numbers has no word under a number column."""
    return not any(numeric[0] <= c <= numeric[-1] for c in grid.columns(line))
