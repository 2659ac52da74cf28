"""Front end for text dumps of TMM-F004 reports: bytes in, ``RawReport`` list out.

Which kind of dump a file is, is read from the file itself, never configured
(``detect``): cells separated by tabs (``tabbed``), columns aligned with spaces as
``pdftotext -layout`` writes them (``layout``), or a reading-order dump — plain
``pdftotext``, one cell per line — which lost the table's columns and is refused, saying so.
"""

from __future__ import annotations

from poa_etl.errors import RejectedFile
from poa_etl.extract.grid import NO_REPORT, read_grid
from poa_etl.extract.text.decode import decode_text, text_lines
from poa_etl.extract.text.detect import READING_ORDER, dump_kind
from poa_etl.report.form import RawReport

__all__ = ["NO_REPORT", "decode_text", "read_text_dump"]


def read_text_dump(file: str, data: bytes) -> list[RawReport]:
    """All reports in a text dump; ``file`` names it in locations."""
    lines = text_lines(decode_text(data))
    kind = dump_kind(lines)
    if kind == "tabbed":
        from poa_etl.extract.text.tabbed import tab_records

        return read_grid(tab_records(file, lines))
    if kind == "layout":
        from poa_etl.extract.text.layout import layout_records

        return read_grid(layout_records(file, lines))
    if kind == "reading-order":
        raise RejectedFile(READING_ORDER)
    raise RejectedFile(NO_REPORT)
