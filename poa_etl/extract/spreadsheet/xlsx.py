"""Excel workbooks (.xlsx, .xlsm) with openpyxl: each sheet as the rows of text it shows.

openpyxl over python-calamine: calamine is faster (under 1 ms against 17 ms for a report's
workbook) but gives a percentage as the bare fraction (0.75 for 75%), and only the number
format tells them apart. A formula is read by the value Excel or LibreOffice saved with it;
one saved without its value (written by a program that does not calculate) is not guessed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time

from poa_etl.errors import RejectedFile
from poa_etl.extract.spreadsheet.numfmt import FormatNotShown, shown

Sheet = tuple[str, list[list[str]]]  # sheet name, its rows of cell texts
NO_SAVED_VALUE = "#FORMULA WITHOUT A SAVED VALUE"


def xlsx_sheets(data: bytes) -> Iterator[Sheet]:
    """Each sheet's rows as shown; merged cells read in their top-left cell only."""
    import openpyxl

    try:  # twice: openpyxl gives either the formulas or their saved values, not both
        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise RejectedFile(f"not a readable Excel workbook: {exc}") from None
    for sheet in values.worksheets:
        written = formulas[sheet.title]
        rows = [
            [_shown(cell, written.cell(cell.row, cell.column).data_type) for cell in row]
            for row in sheet.iter_rows()
        ]
        yield sheet.title, rows


def _shown(cell: object, written_type: str) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return NO_SAVED_VALUE if written_type == "f" else ""
    if isinstance(value, bool):
        return "VERDADERO" if value else "FALSO"
    if isinstance(value, int | float):
        try:
            return shown(float(value), cell.number_format)  # type: ignore[attr-defined]
        except FormatNotShown as exc:  # "#…", like a sheet's own errors: never a valid cell
            return f"#NOT RENDERED: {value!r} under the {exc}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
