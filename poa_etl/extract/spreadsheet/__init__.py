"""Front end for spreadsheets: workbooks (.xlsx, .xlsm, .ods) and their delimited exports
(.csv, .tsv). Every sheet becomes rows of the text it shows, and rows become reports in
the one grid reader the text dumps use, so a workbook, its exports, its PDF and its dumps
give the same rows. A sheet may hold several reports; a workbook, several sheets.
"""

from __future__ import annotations

from collections.abc import Iterable

from poa_etl.errors import RejectedFile
from poa_etl.extract.grid import NO_REPORT, Record, read_grid
from poa_etl.report.form import Location, RawReport

SUFFIXES = (".xlsx", ".xlsm", ".ods", ".csv", ".tsv")


def read_spreadsheet(file: str, data: bytes, suffix: str) -> list[RawReport]:
    """All reports of a workbook or a delimited export; ``file`` names it in locations."""
    if suffix in (".csv", ".tsv"):
        from poa_etl.extract.spreadsheet.delimited import delimited_records

        return read_grid(_without_empty_columns(delimited_records(file, data, suffix)))
    if suffix == ".ods":
        from poa_etl.extract.spreadsheet.ods import ods_sheets

        sheets = ods_sheets(data)
    else:
        from poa_etl.extract.spreadsheet.xlsx import xlsx_sheets

        sheets = xlsx_sheets(data)
    reports: list[RawReport] = []
    for name, rows in sheets:
        records = [
            Record(tuple(cells), Location(file, line=number, sheet=name))
            for number, cells in enumerate(rows, start=1)
        ]
        if all(r.blank for r in records):
            continue  # an empty sheet ("Hoja2") holds nothing to account for
        try:
            reports.extend(read_grid(_without_empty_columns(records)))
        except RejectedFile as exc:
            if str(exc) != NO_REPORT:
                raise
            raise RejectedFile(f"sheet {name!r} holds text but no report: {NO_REPORT}") from None
    if not reports:
        raise RejectedFile(NO_REPORT)
    return reports


def _without_empty_columns(records: Iterable[Record]) -> list[Record]:
    """Columns blank in every row dropped — a margin column, the second half of a merged
    cell — so a label is a row's first cell and labels sit over their columns."""
    records = list(records)
    width = max((len(r.cells) for r in records), default=0)
    used = [i for i in range(width) if any(i < len(r.cells) and r.cells[i].strip()
                                           for r in records)]  # fmt: skip
    return [
        Record(tuple(r.cells[i] if i < len(r.cells) else "" for i in used), r.location,
               lines=r.lines)
        for r in records
    ]  # fmt: skip
