"""Which kind of text dump a file is, from its lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from poa_etl.extract.lines import POA_TITLE
from poa_etl.report.cells import fold

DumpKind = Literal["tabbed", "layout", "reading-order", "none"]
READING_ORDER = (
    "a reading-order text dump (as plain `pdftotext` writes): each cell is on a line of its "
    "own, so the table's columns are lost and no row can be rebuilt; make the dump with "
    "`pdftotext -layout`, or load the PDF itself"
)
# The P/A row of the table header, its letters aligned with spaces: "P    A    P     A".
_PERIOD_LETTERS = re.compile(r"(?:^|\s)[PA](?=\s|$)")
# Columns apart, or indented (a row of letters pdftotext crowded, "      P A P A P A P A");
# a reading-order dump has single spaces and no indentation.
_WIDE_GAP = re.compile(r"\S {2,}\S|^ {2,}\S")


def dump_kind(lines: Sequence[str]) -> DumpKind:
    """Tabs make a tab dump; a P/A header row set in columns (letters apart, or indented), a
    layout dump; a report title with neither, a reading-order dump."""
    if any("\t" in line for line in lines):
        return "tabbed"
    if any(len(_PERIOD_LETTERS.findall(line)) >= 4 and _WIDE_GAP.search(line) for line in lines):
        return "layout"
    if any(POA_TITLE.search(fold(line)) for line in lines):
        return "reading-order"
    return "none"
