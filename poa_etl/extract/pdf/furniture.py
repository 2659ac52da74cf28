"""Page furniture: what a printer adds to every page — page numbers, the browser's date,
title and address lines — which is no part of a report and must not be read as one.

Only a page's first and last lines, in the band near its top or bottom edge, can be
furniture: a line there that every page repeats (digits aside), or that is a page number
or an address. Report text never sits in that band in the published layouts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from poa_etl.extract.lines import POA_TITLE
from poa_etl.extract.pdf.lines import PageLine
from poa_etl.extract.pdf.page import Page
from poa_etl.report.cells import fold

MARGIN = 0.06  # of the page height: the bands at the top and bottom edges
_PAGE_NUMBER = re.compile(
    r"(PAGINA|PAG\.?|PAGE)?\s*-?\s*\d+\s*-?\s*((DE|OF|/)\s*\d+)?", re.IGNORECASE
)
_ADDRESS = re.compile(r"(FILE|HTTPS?)://\S+", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


def furniture(pages: Sequence[tuple[Page, list[PageLine]]]) -> set[int]:
    """The ids of the lines that are page furniture, with the pages' lines as given."""
    candidates: list[tuple[Page, PageLine]] = []
    for page, lines in pages:
        if not lines:
            continue
        for pl in {id(lines[0]): lines[0], id(lines[-1]): lines[-1]}.values():
            near_top = pl.bottom < MARGIN * page.height
            near_bottom = pl.top > (1 - MARGIN) * page.height
            if (near_top or near_bottom) and not _report_text(pl):
                candidates.append((page, pl))
    found = {id(pl) for _, pl in candidates if _marks_the_page(pl)}
    if len(pages) > 1:
        repeated: dict[tuple[str, bool], list[PageLine]] = {}
        for page, pl in candidates:
            key = (_DIGITS.sub("#", fold(pl.line.text)), pl.top < page.height / 2)
            repeated.setdefault(key, []).append(pl)
        found |= {id(pl) for same in repeated.values() if len(same) == len(pages) for pl in same}
    return found


def _report_text(pl: PageLine) -> bool:
    """A report's title line, which a file of one-page reports repeats on every page."""
    text = fold(pl.line.text)
    return "AYUNTAMIENTO" in text or bool(POA_TITLE.search(text))


def _marks_the_page(pl: PageLine) -> bool:
    """A line of one or two cells, each a page number or a web or file address."""
    return len(pl.line.cells) <= 2 and all(
        _PAGE_NUMBER.fullmatch(fold(cell).strip()) or _ADDRESS.fullmatch(cell.strip())
        for cell in pl.line.cells
        if cell.strip()
    )
