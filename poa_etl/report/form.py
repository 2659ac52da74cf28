"""The intermediate form of a report: what a front end (PDF, text dump, spreadsheet) saw,
uninterpreted.

Front ends only find the parts of a report and keep every cell as the string they read,
with where they read it. Interpretation — pairing labels with values, splitting codes,
parsing numbers and dates, mapping columns — happens once, in ``normalize``, and so does
the accounting of every line (``transform.accounting``), so all front ends give identical
rows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where something was read: a file and a line (text) or a page (PDF), or both; in a
    workbook, a sheet and a row."""

    file: str
    line: int | None = None
    page: int | None = None
    sheet: str | None = None

    @property
    def within(self) -> str:
        """The place inside the file: ``"line 73"``, ``"page 2"``, ``"sheet 'POA' row 31"``."""
        if self.sheet is not None:
            return f"sheet {self.sheet!r} row {self.line}"
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return " ".join(parts)

    def __str__(self) -> str:
        return f"{self.file} {self.within}".rstrip()


@dataclass(frozen=True)
class HeaderEntry:
    """One line of the header block.

    ``label`` is the printed label (``"RAMO:"``), or None for a line of values only —
    a continuation of the previous label, or, in reports that print all labels first,
    the value of the next unpaired label. ``values`` are the cells after the label
    (usually code and name); a label printed alone has no values. ``lines``: how many
    lines of the file it took (a label wrapped onto a second line takes two).
    """

    label: str | None
    values: tuple[str, ...]
    location: Location
    lines: int = 1


# How a doubt of an OCR read begins when the engine was confident but a second read gave
# something else: the report's own arithmetic may then confirm the first read.
OCR_DISAGREE = "but a second read gave"


@dataclass(frozen=True)
class OcrCells:
    """How the cells of a row read by OCR stand: the engine's lowest confidence in any of
    them, and each cell a second read did not confirm, with what was read."""

    min_confidence: float
    doubts: tuple[tuple[int, str], ...] = ()  # (cell index, what was read)


@dataclass(frozen=True)
class TableRow:
    """One row of the metas table: its cells as read, and the row as published.

    ``lines``: how many lines (or sheet rows) it was read from — a quoted cell with line
    breaks, or a description wrapped in a layout dump, spans several."""

    cells: tuple[str, ...]
    raw: str
    location: Location
    lines: int = 1
    ocr: OcrCells | None = None  # None: read from text, not from a page image


@dataclass(frozen=True)
class SignatureEntry:
    """One signature: role (ELABORÓ/REVISÓ/AUTORIZÓ, when printed), title and name."""

    role: str | None
    title: str | None
    name: str | None
    location: Location


@dataclass(frozen=True)
class IgnoredLine:
    """A line (text) or row (PDF, sheet) inside a report that carries no data, with why:
    blank, a table header repeated on a later page, a page footer. Kept so that every line
    of a report is accounted for."""

    text: str
    reason: str
    location: Location


@dataclass(frozen=True)
class RawReport:
    """One report as a front end found it in a file.

    Every line of the report's region ends in exactly one place: the title, the header,
    the form code or FECHA, the table header, a table row, a signature, or ``ignored``
    with its reason; ``lines_read`` is how many lines the front end read in the region,
    and ``signature_lines`` how many of them the signature block took, so that the
    balance can be checked (``poa_etl.transform.accounting``).
    """

    location: Location  # where the report starts
    title_lines: tuple[str, ...]
    header: tuple[HeaderEntry, ...]
    form_code: str | None
    fecha: str | None  # the text after "FECHA:", as printed
    table_header: tuple[tuple[str, ...], ...]  # the header rows of the metas table
    rows: tuple[TableRow, ...]
    signatures: tuple[SignatureEntry, ...]
    ignored: tuple[IgnoredLine, ...] = ()
    lines_read: int | None = None  # None: the front end does not count them yet
    signature_lines: int | None = None  # lines of the signature block, blank ones aside
    by_ocr: bool = False  # read from page images (sources.text_source 'ocr')
