"""From pages to reports: the page model in, ``RawReport``s out, whatever read the pages.

Words become lines of cells, so the title, header and form are found by
``extract.lines`` exactly as in a text dump; the metas table is read in two dimensions
(``table``), the signatures side by side (``signatures``). Every line of a report's
region is accounted for: a PDF's lines are its text lines, a cell's wrapped lines counted
once with the line they continue (in the metas table, a row with all its lines is one);
page furniture, header rows repeated on later pages and stray lines above the table are
``ignored`` with the reason, and so is what precedes the first report's title.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

from poa_etl.errors import RejectedFile
from poa_etl.extract.lines import is_table_start, read_preamble, report_starts
from poa_etl.extract.pdf.furniture import furniture
from poa_etl.extract.pdf.lines import PageLine, merge_wrapped, page_lines
from poa_etl.extract.pdf.page import Page
from poa_etl.extract.pdf.signatures import signatures
from poa_etl.extract.pdf.table import read_table
from poa_etl.extract.text import NO_REPORT
from poa_etl.report.form import IgnoredLine, RawReport

FURNITURE = "page furniture (page number, printer's header or footer)"
STRAY = "not part of the header: a line between FECHA and the metas table"
BEFORE = "before the first report's title"
MAX_LEAD_LINES = 3  # of text, not page furniture, before the first title


def read_reports(file: str, pages: Sequence[Page]) -> list[RawReport]:
    """All reports on the pages; ``file`` names the file in locations.

    Raises RejectedFile when no report starts on them.
    """
    by_page = [(page, page_lines(file, page)) for page in pages]
    aside = furniture(by_page)
    lines = [pl for _, page_lines_ in by_page for pl in page_lines_]
    kept = [pl for pl in lines if id(pl) not in aside]
    starts = list(report_starts([pl.line for pl in kept]))
    if not starts:
        raise RejectedFile(NO_REPORT)
    numbers = {page.number: page for page in pages}
    position = {id(pl): index for index, pl in enumerate(lines)}
    bounds = [position[id(kept[s])] for s in starts] + [len(lines)]
    # The first report's region also holds what precedes its title.
    lead = [_ignored(pl, FURNITURE if id(pl) in aside else BEFORE) for pl in lines[: bounds[0]]]
    _refuse_a_lost_lead([pl for pl in lines[: bounds[0]] if id(pl) not in aside])
    reports = []
    for begin, end in itertools.pairwise(bounds):
        region = lines[begin:end]
        furnished = [_ignored(pl, FURNITURE) for pl in region if id(pl) in aside]
        reports.append(
            _read_report(
                [pl for pl in region if id(pl) not in aside],
                [*lead, *furnished] if begin == bounds[0] else furnished,
                numbers,
            )
        )
    return reports


def _refuse_a_lost_lead(before: Sequence[PageLine]) -> None:
    """Text before the first report's title is a line or two of a printer's header at most
    (none in any rendering seen). More is a page the reader could not make into a report —
    one turned upside down in a way its characters do not tell — and ignoring it would load
    the file without a report, saying nothing: refused."""
    if len(before) > MAX_LEAD_LINES:
        first = before[0].line.location
        raise RejectedFile(
            f"{first.within}: {len(before)} lines stand before the first report's title and "
            f"belong to no report (a page turned upside down, or text that does not read as "
            f"a TMM-F004 report); the file is not loaded, so no report of it is left out"
        )


def _ignored(pl: PageLine, reason: str) -> IgnoredLine:
    return IgnoredLine(pl.line.text, reason, pl.line.location)


def _read_report(
    lines: Sequence[PageLine], aside: Sequence[IgnoredLine], pages: dict[int, Page]
) -> RawReport:
    table_at = next((i for i, pl in enumerate(lines) if is_table_start(pl.line)), len(lines))
    head = merge_wrapped(lines[:table_at])
    preamble, _ = read_preamble([pl.line for pl in head])
    table = read_table(lines[table_at:], pages)
    report = preamble.report(
        lines[0].line.location, table.header, table.rows, signatures(table.after)
    )
    ignored = [
        *aside,
        *(IgnoredLine(line.text, STRAY, line.location) for line in preamble.skipped),
        *table.ignored,
    ]
    ignored.sort(key=lambda i: (i.location.page or 0, i.location.line or 0))
    return dataclasses.replace(
        report,
        ignored=tuple(ignored),
        lines_read=len(head) + table.units + len(table.after) + len(aside),
        signature_lines=len(table.after),
    )
