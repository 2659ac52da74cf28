"""A row's numbers placed by their order, where the places they stand in no longer say
their columns: a page set at a pitch of its own (``pdftotext -layout`` on a page that goes
on without the header), P and A letters crowded one space apart.

The metas table's number columns keep their order — annual target, P and A of each
quarter, absolute, relative — so a row with one number to each of them is certain: the
k-th number is in the k-th number column. A row with fewer has blanks, and only where its
numbers stand could say which: the caller refuses it. The row's text stays in the columns
where it stands, and must stand clear of the number columns, on the side of the numbers
it is on.
"""

from __future__ import annotations

from poa_etl.errors import RejectedFile
from poa_etl.extract.text.layout.columns import Grid
from poa_etl.extract.text.layout.page import PageLine, Word
from poa_etl.report.cells import is_number_or_percent


def numbers_of(line: PageLine, grid: Grid, numeric: list[int], *, apart: bool) -> list[int]:
    """Which of the line's words are the row's numbers: right of the description, a number
    or a percentage; each standing two spaces from its neighbours (``apart``: a word one
    space from a number is part of its cell, "FASE 1") — or, on a crowded line, where
    every word is one space from the next, each in a number column."""
    columns = grid.columns(line)
    words = line.words
    return [
        i
        for i, word in enumerate(words)
        if is_number_or_percent(word.text)
        and (
            columns[i] > grid.description and _alone(words, i)
            if apart
            else numeric[0] <= columns[i] <= numeric[-1]
        )
    ]


def placed_by_order(
    line: PageLine, grid: Grid, numeric: list[int], numbers: list[int]
) -> PageLine | None:
    """The line with its words' columns fixed: its ``numbers`` (none, or as many as
    ``numeric`` columns, in order, nothing between them) in the number columns by their
    order, its text where it stands. None when its text stands under a number column or on
    the wrong side of the numbers."""
    columns = grid.columns(line)
    if numbers and numbers != list(range(numbers[0], numbers[0] + len(numeric))):
        return None
    low, high = numeric[0], numeric[-1]
    for i, column in enumerate(columns):
        if i in numbers:
            continue
        if low <= column <= high or (bool(numbers) and (column < low) != (i < numbers[0])):
            return None
    for k, i in enumerate(numbers):
        columns[i] = numeric[k]
    return PageLine(line.number, line.text, line.page, tuple(columns))


def all_numbers_or_none(
    line: PageLine, grid: Grid, numeric: list[int], *, apart: bool, why: str
) -> list[int]:
    """The line's numbers (``numbers_of``) when it has one to each number column, or none;
    a row with some but fewer is refused: only its order is known (``why``), and nothing
    says which columns are blank."""
    numbers = numbers_of(line, grid, numeric, apart=apart)
    if numbers and len(numbers) < len(numeric):
        raise RejectedFile(
            f"line {line.number}: {why}, and this row has {len(numbers)} numbers for its "
            f"{len(numeric)} number columns, so a layout dump cannot tell which columns are "
            f"blank; make the dump with `pdftotext -fixed 3`, or load the PDF itself"
        )
    return numbers


def _alone(words: list[Word], i: int) -> bool:
    """The word stands two spaces or more from both its neighbours: a cell of its own."""
    before = i == 0 or words[i].x0 - words[i - 1].x1 >= 2
    after = i == len(words) - 1 or words[i + 1].x0 - words[i].x1 >= 2
    return before and after
