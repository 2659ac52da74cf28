"""OpenDocument spreadsheets (.ods): each sheet as the rows of text it shows.

An .ods cell keeps the text LibreOffice displays (``<text:p>``: "75%", "1,200") beside
its value, so that text is read — exactly what the sheet, its PDF and its dumps show.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError, iterparse

from poa_etl.errors import RejectedFile

_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
_TABLE = f"{{{_NS['table']}}}table"
_ROW = f"{{{_NS['table']}}}table-row"
_CELLS = (f"{{{_NS['table']}}}table-cell", f"{{{_NS['table']}}}covered-table-cell")
_P = f"{{{_NS['text']}}}p"
_SPACE, _TAB, _BREAK = (f"{{{_NS['text']}}}{name}" for name in ("s", "tab", "line-break"))
_NAME = f"{{{_NS['table']}}}name"
_ROWS_REPEATED = f"{{{_NS['table']}}}number-rows-repeated"
_COLUMNS_REPEATED = f"{{{_NS['table']}}}number-columns-repeated"
_SPACES = f"{{{_NS['text']}}}c"
_MAX_REPEAT = 1000  # a repeated row or cell that holds text is written out this far at most

Sheet = tuple[str, list[list[str]]]


def ods_sheets(data: bytes) -> Iterator[Sheet]:
    """Each sheet's rows as shown; a covered (merged-away) cell is blank."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            content = book.read("content.xml")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise RejectedFile(f"not a readable OpenDocument spreadsheet: {exc}") from None
    try:
        for _, element in iterparse(io.BytesIO(content)):
            if element.tag == _TABLE:
                yield element.get(_NAME, ""), _rows(element)
                element.clear()
    except ParseError as exc:
        raise RejectedFile(f"not a readable OpenDocument spreadsheet: {exc}") from None


def _rows(table: Element) -> list[list[str]]:
    rows: list[list[str]] = []
    pending_blank = 0  # blank rows are written only when a row with text follows
    for row in table.iter(_ROW):
        cells = _cells(row)
        repeat = int(row.get(_ROWS_REPEATED, "1"))
        if not any(cells):
            pending_blank += repeat
            continue
        rows.extend([] for _ in range(pending_blank))
        pending_blank = 0
        rows.extend(list(cells) for _ in range(min(repeat, _MAX_REPEAT)))
    return rows


def _cells(row: Element) -> list[str]:
    cells: list[str] = []
    pending_blank = 0
    for cell in row:
        if cell.tag not in _CELLS:
            continue
        text = "\n".join(_text(p) for p in cell.findall(_P))  # not comments
        repeat = int(cell.get(_COLUMNS_REPEATED, "1"))
        if not text:
            pending_blank += repeat
            continue
        cells.extend([""] * pending_blank)
        pending_blank = 0
        cells.extend([text] * min(repeat, _MAX_REPEAT))
    return cells


def _text(element: Element) -> str:
    """A paragraph's text: spans inside it, ``<text:s c="3"/>`` spaces, tabs, line breaks."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == _SPACE:
            parts.append(" " * int(child.get(_SPACES, "1")))
        elif child.tag == _TAB:
            parts.append("\t")
        elif child.tag == _BREAK:
            parts.append("\n")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
