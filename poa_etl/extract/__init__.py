"""Front ends: a file's bytes in, the reports it holds (``poa_etl.report.form``) out.

One front end per kind of input; each only finds the parts of a report and keeps every
cell as the string it read. Which front end reads a file is decided by its suffix here,
and each front end is imported only when a file of its kind is read.
"""

from __future__ import annotations

from pathlib import PurePath

from poa_etl.extract.options import DEFAULTS, PageProgress, ReadOptions
from poa_etl.report.form import RawReport

# File suffix -> media type (sources.media_type).
MEDIA_TYPES = {
    ".txt": "text",
    ".pdf": "pdf",
    **dict.fromkeys((".xlsx", ".xlsm", ".ods", ".csv", ".tsv"), "spreadsheet"),
}


def media_type(path: PurePath) -> str | None:
    """The media type a file is read as, or None for a file poa-etl does not read."""
    return MEDIA_TYPES.get(path.suffix.lower())


def read_reports(
    name: str,
    data: bytes,
    kind: str,
    options: ReadOptions = DEFAULTS,
    on_page: PageProgress | None = None,
) -> tuple[list[RawReport], int | None]:
    """The reports in one file and its page count (None for text); ``name`` names the
    file in locations. Raises ``RejectedFile`` with the reason when it holds none."""
    if kind == "pdf":
        from poa_etl.extract.pdf.reader import read_pdf

        read = read_pdf(name, data, options, on_page)
        return read.reports, read.pages
    if kind == "spreadsheet":
        from poa_etl.extract.spreadsheet import read_spreadsheet

        return read_spreadsheet(name, data, PurePath(name).suffix.lower()), None
    from poa_etl.extract.text import read_text_dump

    return read_text_dump(name, data), None
