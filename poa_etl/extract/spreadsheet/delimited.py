"""Delimited exports (.csv, .tsv): the delimiter and the encoding read from the file.

The delimiter is the one of ``,`` ``;`` and tab that splits the table's P/A header row
into its eight cells — the one row every TMM-F004 report has; the encoding is the text
dumps' (UTF-8, or Windows-1252 as Excel writes it).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence

from poa_etl.errors import RejectedFile
from poa_etl.extract.grid import Record
from poa_etl.extract.text.decode import decode_text, text_lines
from poa_etl.extract.text.tabbed import quoted_records

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_PERIOD_CELLS = 8  # P and A for four quarters


def delimited_records(file: str, data: bytes, suffix: str) -> list[Record]:
    """The rows of a delimited export; ``file`` names it in locations."""
    lines = text_lines(decode_text(data))
    candidates = ["\t"] if suffix == ".tsv" else list(DELIMITERS)
    parsed: dict[str, list[Record]] = {}
    errors: dict[str, str] = {}
    for delimiter in candidates:
        try:
            parsed[delimiter] = quoted_records(file, lines, delimiter)
        except csv.Error as exc:
            errors[delimiter] = str(exc)
    if not parsed:
        detail = "; ".join(f"as {DELIMITERS[d]}-separated: {e}" for d, e in errors.items())
        raise RejectedFile(f"not a well-formed delimited file ({detail})")
    return max(parsed.values(), key=_period_cells)


def _period_cells(records: Sequence[Record]) -> int:
    """How many P/A cells the best row has, up to eight."""
    return max(
        (min(sum(c.strip() in ("P", "A") for c in r.cells), _PERIOD_CELLS) for r in records),
        default=0,
    )
