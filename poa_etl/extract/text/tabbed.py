"""Tab dumps: a line per row, cells separated by tabs, ``**`` marking bold.

Spreadsheets write a cell that holds line breaks (or a tab, or a quote) between double
quotes, so one row may span several lines: such a cell is one cell. A dump whose quotes do
not follow that rule (a PDF's text with a stray quote) is read line by line, as written.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence

from poa_etl.extract.grid import Record
from poa_etl.report.form import Location

_BOLD = re.compile(r"^\*\*|\*\*$")


def tab_records(file: str, lines: Sequence[str], delimiter: str = "\t") -> list[Record]:
    """One record per row; ``file`` names it in locations."""
    lines = [_BOLD.sub("", line) for line in lines]
    try:
        return quoted_records(file, lines, delimiter)
    except csv.Error:
        return [
            Record(tuple(line.split(delimiter)), Location(file, line=number))
            for number, line in enumerate(lines, start=1)
        ]


def quoted_records(file: str, lines: Sequence[str], delimiter: str) -> list[Record]:
    """Rows as a spreadsheet writes them (RFC 4180 quoting); raises ``csv.Error`` when the
    quotes do not follow it."""
    reader = csv.reader((line + "\n" for line in lines), delimiter=delimiter, strict=True)
    records, first = [], 1
    for cells in reader:
        records.append(
            Record(tuple(cells), Location(file, line=first), lines=reader.line_num - first + 1)
        )
        first = reader.line_num + 1
    return records
