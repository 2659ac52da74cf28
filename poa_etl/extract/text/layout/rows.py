"""The metas table's rows in a layout dump: each description from its meta number on,
with the lines around it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from poa_etl.errors import RejectedFile
from poa_etl.extract.text.layout.columns import Grid
from poa_etl.extract.text.layout.page import META_START, PageLine


def rows_of(
    body: Sequence[PageLine], grid: Grid, continuing: bool
) -> Iterator[tuple[str, list[PageLine]]]:
    """The body's rows, in order: each a description from its meta number on, with the
    lines around it; a blank line is a row of its own (ignored later). Lines above the
    first meta number belong to the first row — or, ``continuing`` a table from the
    previous page, they are the "rest" of its last row."""
    starts: list[int] = []  # index in body of each description's first line
    ends: list[int] = []  # and of its last line
    last_number = -1
    for index, line in enumerate(body):
        words = line.words
        text = " ".join(
            w.text
            for w, column in zip(words, grid.columns(line), strict=True)
            if column == grid.description
        )
        if not text:
            continue
        m = META_START.match(text)
        if m and int(m.group(1)) > last_number:  # "81." inside a description starts nothing
            last_number = int(m.group(1))
            starts.append(index)
            ends.append(index)
        elif ends:
            ends[-1] = index
    owner = [
        None if line.blank else _owner(index, starts, ends, body, continuing)
        for index, line in enumerate(body)
    ]
    for line in body:
        if line.blank:
            yield "blank", [line]
    rest = [line for index, line in enumerate(body) if owner[index] == -1]
    if rest:
        yield "rest", rest
    for row in range(len(starts)):
        yield "row", [line for index, line in enumerate(body) if owner[index] == row]
    orphans = [line for index, line in enumerate(body) if owner[index] is None and not line.blank]
    if orphans:  # text in the table before any meta number: a row of its own
        yield "row", orphans


def _owner(
    index: int, starts: list[int], ends: list[int], body: Sequence[PageLine], continuing: bool
) -> int | None:
    """The row a line belongs to: the description it is in, else the nearest one; -1, the
    row the previous page cut, for a line above the first description when ``continuing``."""
    if not starts:
        return -1 if continuing else None
    for row, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if start <= index <= end:
            return row
    after = next((row for row, start in enumerate(starts) if start > index), None)
    if after is None:
        return len(starts) - 1
    if after == 0:
        return -1 if continuing else 0
    above, below = index - ends[after - 1], starts[after] - index
    if above != below:
        return after - 1 if above < below else after
    line = body[index]
    raise RejectedFile(
        f"line {line.number}: {' '.join(line.text.split())!r} lies halfway between two rows "
        f"of the metas table, so a layout dump cannot tell which it belongs to; load the PDF "
        f"itself"
    )
