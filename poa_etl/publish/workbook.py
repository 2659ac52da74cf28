"""Writing an xlsx workbook that a spreadsheet opens with every value as it was published.

Each cell is written with its type from the contract, never guessed from its text: codes
and other text as text (``'058'``, ``'3.7'``, ``'1.10'`` stay as typed, and a text that
starts with ``=`` is never a formula), numbers as numbers, dates as dates; a blank is an
empty cell. Each sheet has its Spanish titles in a frozen header row with an autofilter,
and columns wide enough to read. XlsxWriter streams the rows (constant memory).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from poa_etl.publish.results import ExportError
from schemas import Column

MAX_ROWS = 1_048_576 - 1  # an xlsx sheet's rows, less the header
MAX_TEXT = 32_767  # characters in one cell
_WIDTH = (8, 60)  # readable column widths, in characters
_HEADER_WIDTH = 30  # a longer title wraps onto a second header line
_NUMBERS = {"INTEGER", "BIGINT", "DOUBLE"}


@dataclass(frozen=True)
class Sheet:
    """A sheet to write: its name, its columns (title and type) and its rows, in order."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]


def write_workbook(path: Path, sheets: Iterable[Sheet]) -> dict[str, int]:
    """Write the sheets, in order, to ``path``; the number of rows of each."""
    counts: dict[str, int] = {}
    book = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "tmpdir": str(path.parent), "use_zip64": True}
    )
    try:
        header = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7",
             "bottom": 1}
        )  # fmt: skip
        date = book.add_format({"num_format": "dd/mm/yyyy"})
        for sheet in sheets:
            counts[sheet.name] = _write_sheet(book, sheet, header, date)
    except XlsxWriterException as exc:
        raise ExportError(f"cannot write the workbook {path.name}: {exc}") from None
    finally:
        book.close()
    return counts


def _write_sheet(book: Any, sheet: Sheet, header: Any, date: Any) -> int:
    ws = book.add_worksheet(sheet.name)
    widths = [min(max(len(c.title), _WIDTH[0]), _HEADER_WIDTH) for c in sheet.columns]
    ws.write_row(0, 0, [c.title for c in sheet.columns], header)
    writers = [_cell_writer(ws, c, date) for c in sheet.columns]
    rows = 0
    for rows, values in enumerate(sheet.rows, start=1):
        if rows > MAX_ROWS:
            raise ExportError(
                f"sheet {sheet.name} has more than {MAX_ROWS:,} rows, the most a spreadsheet "
                f"holds: export fewer fiscal years (--year), or use --format csv"
            )
        for col, (value, write) in enumerate(zip(values, writers, strict=True)):
            if value is None or value == "":
                continue
            widths[col] = max(widths[col], write(rows, col, value))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(rows, 1), len(sheet.columns) - 1)
    for col, width in enumerate(widths):
        ws.set_column(col, col, min(width, _WIDTH[1]) + 2)
    return rows


def _cell_writer(ws: Any, column: Column, date: Any) -> Any:
    """A function that writes one cell of ``column`` and gives its width in characters."""
    if column.type in _NUMBERS:

        def number(row: int, col: int, value: float) -> int:
            ws.write_number(row, col, value)
            return len(f"{value:g}")

        return number
    if column.type == "DATE":

        def day(row: int, col: int, value: dt.date) -> int:
            ws.write_datetime(row, col, value, date)
            return 10

        return day

    def text(row: int, col: int, value: str) -> int:
        if len(value) > MAX_TEXT:
            raise ExportError(
                f"a {column.name} value of {len(value):,} characters is longer than a "
                f"spreadsheet cell holds ({MAX_TEXT:,}): use --format csv"
            )
        ws.write_string(row, col, value)
        return len(value)

    return text
