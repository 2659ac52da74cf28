"""Reports from a grid: rows of cells, each with where it was read.

A tab dump, a csv/tsv export, a worksheet and the rows of a layout dump are all grids once
their own front end has split them into cells. Here, once for all of them, every record
of a report's region is put in exactly one place — title, header, form code, FECHA, table
header, table row, signature block — or in ``ignored`` with the reason (blank), and the
records are counted, so that ``poa_etl.transform.accounting`` can check the balance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from poa_etl.errors import RejectedFile
from poa_etl.extract.lines import (
    Line,
    is_label_tail,
    is_period_header,
    is_table_start,
    read_preamble,
    report_starts,
)
from poa_etl.extract.signatures import read_signatures
from poa_etl.report.cells import fold, is_percent, parse_number
from poa_etl.report.columns import LayoutError, TableLayout
from poa_etl.report.form import IgnoredLine, Location, RawReport, TableRow

NO_REPORT = "not a TMM-F004 report: no title 'PROGRAMA OPERATIVO ANUAL <year>' found"
BLANK = "blank line"
REPEATED_HEADER = "the table header, repeated"
_META_NUMBER = re.compile(r"\d+\s*\.")
_HEADER_ROWS = 8  # the table header is at most this many rows down to its P/A row
# Columns whose cells are numbers: a row with a number in one of them is a table row.
_NUMERIC = ("annual_target", "reported_absolute", "reported_relative_pct")


@dataclass(frozen=True)
class Record:
    """One row of a grid: its cells, where it was read, and how many lines it spans.

    ``positions``: where each cell sits across the page (a layout dump's character
    column); None when a cell's index is its position (tabs, sheets).
    """

    cells: tuple[str, ...]
    location: Location
    positions: tuple[float, ...] | None = None
    lines: int = 1

    @property
    def blank(self) -> bool:
        return not any(c.strip() for c in self.cells)

    @property
    def line(self) -> Line:
        return Line(self.cells, self.location, self.lines)

    def position(self, index: int) -> float:
        return self.positions[index] if self.positions is not None else float(index)


def read_grid(records: Sequence[Record]) -> list[RawReport]:
    """The reports in a grid. Each report's region runs from its title to the next one's;
    the first also holds what comes before its title, so that nothing goes unaccounted."""
    filled = [i for i, r in enumerate(records) if not r.blank]
    starts = [filled[i] for i in report_starts([records[i].line for i in filled])]
    if not starts:
        raise RejectedFile(NO_REPORT)
    bounds = [0, *starts[1:], len(records)]
    return [
        read_region(records[a:b], title_at=start - a)
        for a, b, start in zip(bounds, bounds[1:], starts, strict=False)
    ]


def read_region(region: Sequence[Record], title_at: int = 0) -> RawReport:
    """One report from the records of its region; ``title_at``: where its title starts."""
    ignored = [IgnoredLine("", BLANK, r.location) for r in region if r.blank]
    body = [r for r in region[title_at:] if not r.blank]
    preamble, table_at = read_preamble([r.line for r in body])
    header, rows, after, repeated = read_table(body[table_at:])
    ignored.extend(IgnoredLine(r.line.text, REPEATED_HEADER, r.location) for r in repeated)
    report = preamble.report(
        body[0].location,
        (r.cells for r in header),
        (TableRow(r.cells, "\t".join(r.cells), r.location, r.lines) for r in rows),
        read_signatures(after),
    )
    return replace(
        report,
        ignored=tuple(sorted(ignored, key=lambda i: _order(i.location))),
        lines_read=sum(r.lines for r in region),
        signature_lines=sum(r.lines for r in after),
    )


def read_table(
    records: Sequence[Record],
) -> tuple[list[Record], list[Record], list[Record], list[Record]]:
    """The table's header rows, its rows, the records after it (the signature block), and
    header rows repeated inside it. The table ends at the first record that is not a row
    of it: no meta number where the descriptions are, no number where numbers are."""
    if not records:
        return [], [], [], []
    header = list(records[: _header_length(records)])
    try:
        layout: TableLayout | None = TableLayout.from_header(tuple(r.cells for r in header))
    except LayoutError:
        layout = None  # normalization rejects the report, naming the missing column
    rows: list[Record] = []
    repeated: list[Record] = []
    rest = records[len(header) :]
    index = 0
    while index < len(rest):
        record = rest[index]
        if _is_table_row(record.cells, layout):  # first: no header cell holds a number
            rows.append(record)
        elif is_table_start(record.line):  # the header again, on a new page
            length = _header_length(rest[index:])
            repeated.extend(rest[index : index + length])
            index += length
            continue
        elif rows and is_period_header(record.cells):
            repeated.append(record)
        else:
            return header, rows, list(rest[index:]), repeated
        index += 1
    return header, rows, [], repeated


def _header_length(records: Sequence[Record]) -> int:
    """Rows of the table header: down to its P/A row, and the ends of label words broken
    below it; without one, the first row and the quarter rows under it."""
    for index, record in enumerate(records[:_HEADER_ROWS]):
        if sum(fold(c) in ("P", "A") for c in record.cells) >= 2:
            end = index + 1
            while end < len(records) and is_label_tail(records[end].cells):
                end += 1
            return end
    length = 1
    while length < len(records) and is_period_header(records[length].cells):
        length += 1
    return length


def _is_table_row(cells: tuple[str, ...], layout: TableLayout | None) -> bool:
    if layout is None:
        return sum(bool(c.strip()) for c in cells) > 1

    def cell(index: int) -> str:
        return cells[index].strip() if index < len(cells) else ""

    if _META_NUMBER.match(cell(layout.columns["description"])):
        return True
    numeric = [layout.columns[name] for name in _NUMERIC] + list(layout.periods)
    return any(_is_number(cell(i)) for i in numeric)


def _is_number(text: str) -> bool:
    if is_percent(text):
        return True
    try:
        return parse_number(text) is not None
    except ValueError:
        return False


def _order(location: Location) -> tuple[int, int]:
    return (location.page or 0, location.line or 0)
