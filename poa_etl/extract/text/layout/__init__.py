"""Layout dumps: columns aligned with spaces, as ``pdftotext -layout`` (or ``-fixed``)
writes a PDF's pages.

Outside the metas table a line's cells are its runs of text between two spaces or more.
The table is read in two dimensions, as on the page: its columns from the header lines —
each label block a column, each P and A letter one more — and each word goes to the
column under which its middle falls; its rows from the descriptions, each starting with
its meta number, with the lines around a description (the row's values, centred on it; a
unit of measure that wraps) joined to it. Pages end at form feeds; a table may go on over
pages, its header repeated.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from poa_etl.errors import RejectedFile
from poa_etl.extract.grid import Record
from poa_etl.extract.lines import (
    POA_TITLE,
    Line,
    is_label_tail,
    is_signature_line,
    is_table_start,
)
from poa_etl.extract.text.layout.columns import (
    Grid,
    centers,
    column_at,
    header_columns,
    period_letters,
    row_cells,
)
from poa_etl.extract.text.layout.labels import overrun_labels
from poa_etl.extract.text.layout.order import all_numbers_or_none, placed_by_order
from poa_etl.extract.text.layout.outside import (
    block_end,
    continues_name,
    record,
    signature_block,
    wrapped_label,
)
from poa_etl.extract.text.layout.page import META_START, PageLine, Word, pages
from poa_etl.extract.text.layout.pagebreak import onto_first_page
from poa_etl.extract.text.layout.rows import rows_of
from poa_etl.report.cells import fold
from poa_etl.report.columns import LayoutError, TableLayout
from poa_etl.report.form import Location

_CELL_GAP = re.compile(r" {2,}")
_HEADER_LINES = 8  # the table header is at most this many lines down to its P/A line
_NUMERIC = ("annual_target", "reported_absolute", "reported_relative_pct")


def layout_records(file: str, lines: Sequence[str]) -> list[Record]:
    """One record per line, but one per table row (a row spans several lines). A row that
    a page break cut in two (its end under the header repeated on the next page) is one."""
    page_lines = pages(lines)
    records: list[Record] = []
    last_row: int | None = None  # the record of the table's last row, while it may go on
    index = 0
    while index < len(page_lines):
        line = page_lines[index]
        header = _header_band(page_lines, index) if is_table_start(_chunks(file, line)) else 0
        if not header and (wrapped := wrapped_label(file, page_lines, index)):
            records.append(wrapped)
            last_row = None
            index += 2
            continue
        if not header and index and continues_name(page_lines[index - 1], line):
            records[-1] = _name_goes_on(records[-1], line.text.strip())
            index += 1
            continue
        if not header:
            records.append(record(file, line))
            last_row = last_row if line.blank else None
            index += 1
            continue
        end = _table_end(page_lines, index + header)
        table, rest_of_row = _table(
            file, page_lines[index : index + header], page_lines[index + header : end],
            continuing=last_row is not None,
        )  # fmt: skip
        if rest_of_row is not None and last_row is not None:
            records[last_row] = _joined(records[last_row], rest_of_row)
        records.extend(table)
        rows = [i for i, r in enumerate(table) if r.lines and not r.blank and r.positions]
        last_row = len(records) - len(table) + rows[-1] if rows else last_row
        index = end
        if end < len(page_lines) and is_signature_line(_chunks(file, page_lines[end]).cells):
            index = block_end(page_lines, end)
            records.extend(signature_block(file, page_lines[end:index]))
            last_row = None
    return records


def _joined(row: Record, rest: Record) -> Record:
    """A row cut by a page break, whole again: each column's text, then its rest."""
    cells = tuple(
        " ".join(part for part in (a, b) if part)
        for a, b in itertools.zip_longest(row.cells, rest.cells, fillvalue="")
    )
    return Record(cells, row.location, row.positions, row.lines + rest.lines)


def _name_goes_on(above: Record, rest: str) -> Record:
    """A header line whose name wrapped: the rest of the name joined to it."""
    cells = (*above.cells[:-1], f"{above.cells[-1]} {rest}")
    return replace(above, cells=cells, lines=above.lines + 1)


def _chunks(file: str, line: PageLine) -> Line:
    return Line(tuple(_CELL_GAP.split(line.text.strip())), Location(file, line=line.number))


def _header_band(lines: Sequence[PageLine], start: int) -> int:
    """How many lines the table header takes: down to its P/A line, and the pieces of
    labels broken below it (a word too wide for its cell), up to the first value."""
    for offset, line in enumerate(lines[start : start + _HEADER_LINES]):
        if sum(fold(w.text) in ("P", "A") for w in line.words) >= 4:
            end = start + offset + 1
            while end < len(lines) and is_label_tail(_CELL_GAP.split(lines[end].text.strip())):
                end += 1
            return end - start
    return 0


def _table_end(lines: Sequence[PageLine], start: int) -> int:
    """Where the table body ends: a signature line, the next report, a repeated header."""
    for index in range(start, len(lines)):
        line = lines[index]
        if line.blank:
            continue
        text = fold(line.text)
        cells = tuple(_CELL_GAP.split(line.text.strip()))
        if (
            is_signature_line(cells)
            or POA_TITLE.search(text)
            or "AYUNTAMIENTO" in text
            or is_table_start(Line(cells, Location("")))
        ):
            return index
    return len(lines)


def _table(
    file: str, header: Sequence[PageLine], body: Sequence[PageLine], continuing: bool
) -> tuple[list[Record], Record | None]:
    """The table's records — header lines, then rows — and, when it goes on from the
    previous page (``continuing``), the lines above its first meta number: the end of
    the row the page break cut."""
    first = [line for line in body if line.page == header[0].page]
    crowded = _crowded_at(header, [w for w in period_letters(header) if fold(w.text) in ("P", "A")])
    cuts, header_cells = header_columns(header, first, crowded is not None)
    middles = tuple(centers(cuts))
    records = [
        Record(cells, Location(file, line=line.number), middles)
        for line, cells in zip(header, header_cells, strict=True)
    ]
    try:
        layout = TableLayout.from_header(tuple(header_cells))
    except LayoutError:  # normalization rejects the report, naming the missing column
        if overrun := overrun_labels(header):  # unless the labels ran into each other
            number, over, under = overrun
            raise RejectedFile(
                f"line {number}: the table's header label {under!r} starts under {over!r}: "
                f"the dump gives each letter more room than the print does (as `pdftotext "
                f"-fixed` does with small print), so the labels run into each other and a "
                f"layout dump cannot tell the table's columns apart; make the dump with "
                f"`pdftotext -layout`, or load the PDF itself"
            ) from None
        return records + [record(file, line) for line in body], None
    numeric = {layout.columns[n] for n in _NUMERIC} | set(layout.periods)
    if len(first) < len(body):  # the table goes on to a page without its header
        body = onto_first_page(body, Grid.of(cuts, layout.columns["description"], first), numeric)
    grid = Grid.of(cuts, layout.columns["description"], body)
    if crowded is not None:  # where a value stands says nothing: only its order does
        body = [_by_order_under(crowded, line, grid, sorted(numeric)) for line in body]
    letters = {column_at(cuts, w.middle): w for w in period_letters(header)
               if fold(w.text) in ("P", "A")}  # fmt: skip
    for line in body:
        placed = list(zip(line.words, grid.columns(line), strict=True))
        values = [w for w, c in placed if c in numeric]
        if line.placed is None and (at := _crowded_at([line], values)):
            raise _crowded(at)  # placed by order, a line's values may stand one space apart
        periods = [(w, c) for w, c in placed if c in letters]
        if sorted(c for _, c in periods) == sorted(letters):
            continue  # a value in every period column, in order: where each stands is moot
        for word, column in periods:
            _under_its_letter(line, word, letters[column], letters.values())
    rest_of_row = None
    for kind, group in rows_of(body, grid, continuing):
        if kind == "blank":
            records.append(Record((), Location(file, line=group[0].number)))
            continue
        row = Record(
            row_cells(group, grid), Location(file, line=group[0].number), middles,
            lines=len(group),
        )  # fmt: skip
        _one_line_of_values(group, grid, numeric)
        _unit_of_measure_apart(row, grid)
        if kind == "rest":
            rest_of_row = row
        else:
            records.append(row)
    return records, rest_of_row


def _unit_of_measure_apart(row: Record, grid: Grid) -> None:
    """A meta's unit of measure stands apart from its description. Where none does, the
    dump may have set it one space after the description's last words ("… LAS METAS Y
    SUMINISTROS"), and the row would load with the unit glued to its description and none
    of its own: refused."""
    description, unit = row.cells[grid.description], row.cells[grid.description + 1]
    if META_START.match(description) and not unit.strip():
        raise RejectedFile(
            f"line {row.location.line}: meta {description.split()[0]!r} has no unit of measure "
            f"standing apart from its description, so a layout dump cannot tell a blank "
            f"unit from one set against the description's last words; load the PDF itself"
        )


Crowding = tuple[int, Word, Word]  # the line, and two words of it one space apart


def _crowded_at(lines: Sequence[PageLine], words: Sequence[Word]) -> Crowding | None:
    """Numbers and P/A letters in columns of their own stand two spaces apart at least: one
    space means pdftotext pushed them together (a line too crowded for its page), so where
    they stand no longer says which column they are in — only their order may."""
    for a, b in itertools.pairwise(words):
        if b.x0 - a.x1 == 1:
            return next(ln.number for ln in lines if b in ln.words), a, b
    return None


def _crowded(at: Crowding) -> RejectedFile:
    number, a, b = at
    return RejectedFile(
        f"line {number}: {a.text!r} and {b.text!r} stand one space apart in the metas "
        f"table's number columns: pdftotext crowded the line, so its values cannot be placed "
        f"under their P and A letters; make the dump with `pdftotext -fixed 3`, or load the "
        f"PDF itself"
    )


def _by_order_under(letters: Crowding, line: PageLine, grid: Grid, numeric: list[int]) -> PageLine:
    """A line under crowded P and A ``letters``, its numbers placed by their order: all of
    them, or none. A row with some is refused (its blanks unknown), as is one that does not
    fit, with the letters' refusal."""
    numbers = all_numbers_or_none(
        line, grid, numeric, apart=False,
        why=f"the metas table's P and A letters stand one space apart (line {letters[0]}: "
        f"pdftotext crowded the table)",
    )  # fmt: skip
    found = placed_by_order(line, grid, numeric, numbers)
    if found is None:
        raise _crowded(letters)
    return found


def _under_its_letter(line: PageLine, word: Word, own: Word, letters: Iterable[Word]) -> None:
    """A period value of a row with blanks stands under its P or A letter: nearer it, by
    more than a character, than any other, since where it stands says which column is
    blank. One halfway between two letters (shifted by pdftotext) is refused, never given
    to either."""
    near = abs(word.middle - own.middle)
    other = min((abs(word.middle - w.middle) for w in letters if w is not own), default=99.0)
    if near >= other - 1:
        raise RejectedFile(
            f"line {line.number}: the value {word.text!r} stands between two of the P and A "
            f"columns ({near:g} and {other:g} characters from their letters), so a layout "
            f"dump cannot tell which it belongs to; load the PDF itself"
        )


def _one_line_of_values(group: Sequence[PageLine], grid: Grid, numeric: set[int]) -> None:
    """A row's values stand on one line, centred on it. Two lines of values in one row
    mean two rows were taken for one (or one row's values for another's): refused."""
    valued = [line for line in group if any(c in numeric for c in grid.columns(line))]
    if len(valued) > 1:
        first, second = valued[:2]
        raise RejectedFile(
            f"lines {first.number} and {second.number} both hold values of one row of the "
            f"metas table, so a layout dump cannot tell its rows apart; load the PDF itself"
        )
