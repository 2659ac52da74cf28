"""Front end for TMM-F004 PDFs (Excel sheets exported to PDF): bytes in, ``RawReport``s out.

Each page is read once: its words and its ruling lines (pdfplumber computes a page's
layout on every call that needs it, so nothing else is asked of it). Words become lines,
and a line's cells are its words split at wide gaps — as tabs split a dump — so the title,
header and form are found by ``report_parts``, exactly as for text. The metas table is
read in two dimensions: columns from the vertical rules, or, in a PDF without ruling
lines, from the blocks of the header labels; rows from the horizontal rules, or from where
a description starts with its meta number. Its cells then go to the same ``TableLayout``
as the dump's, which maps columns by their header labels.
"""

from __future__ import annotations

import bisect
import io
import itertools
import math
import re
import statistics
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import pdfplumber
from pdfplumber.utils.exceptions import PdfminerException

from poa_etl.errors import RejectedFile
from poa_etl.extract.lines import (
    Line,
    is_table_start,
    read_preamble,
    report_starts,
    signature_role,
)
from poa_etl.extract.options import DEFAULTS, PageProgress, ReadOptions
from poa_etl.extract.text import NO_REPORT
from poa_etl.report.cells import fold
from poa_etl.report.columns import QUARTERS, LayoutError, TableLayout
from poa_etl.report.form import Location, RawReport, SignatureEntry, TableRow

SAME_LINE = 1.5  # points: words whose tops differ by less are on one line
CELL_GAP = 0.45  # of the font height: a wider gap between words separates cells
BLOCK_GAP = 3.0  # points: header label blocks closer than this are one column
_META_START = re.compile(r"\d+\s*\.")
_HEADER_MARKS = {"PERIODO", "P", "A", *QUARTERS}


@dataclass(frozen=True)
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def anchor(self) -> float:
        """Where the word belongs: its left edge (a label centred over two columns goes left)."""
        return self.x0 + min(1.0, (self.x1 - self.x0) / 2)


@dataclass(frozen=True)
class _PageLine:
    line: Line
    words: tuple[_Word, ...]
    spans: tuple[tuple[float, float], ...]  # x extent of each cell
    page: int

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def middle(self) -> float:
        return (min(w.top for w in self.words) + max(w.bottom for w in self.words)) / 2


@dataclass(frozen=True)
class _Page:
    number: int
    lines: list[_PageLine]
    verticals: list[tuple[float, float, float]]  # x, top, bottom
    horizontals: list[tuple[float, float, float]]  # y, x0, x1


def read_pdf(
    file: str,
    data: bytes,
    options: ReadOptions = DEFAULTS,
    on_page: PageProgress | None = None,
) -> tuple[list[RawReport], int]:
    """All reports in a PDF, and its page count; ``file`` names it in locations.

    A file that cannot be read as TMM-F004 reports raises RejectedFile with the reason.
    """
    if b"%PDF-" not in data[:1024]:
        raise RejectedFile("not a PDF file: it does not start with %PDF-")
    pages = _read_pages(file, data, options, on_page)
    lines = [pl for page in pages for pl in page.lines]
    starts = list(report_starts([pl.line for pl in lines]))
    if not starts:
        raise RejectedFile(NO_REPORT)
    by_number = {page.number: page for page in pages}
    ends = [*starts[1:], len(lines)]
    reports = [_read_report(lines[s:e], by_number) for s, e in zip(starts, ends, strict=True)]
    return reports, len(pages)


def _read_pages(
    file: str, data: bytes, options: ReadOptions, on_page: PageProgress | None
) -> list[_Page]:
    started = time.monotonic()
    try:
        with pdfplumber.open(io.BytesIO(data), password=options.password or "") as pdf:
            total = len(pdf.pages)
            if total > options.max_pages:
                raise RejectedFile(
                    f"the PDF has {total} pages; the limit is {options.max_pages} per file "
                    f"(--max-pages)"
                )
            pages, images = [], 0
            for page in pdf.pages:
                if page.page_number > 1 and time.monotonic() - started > options.max_seconds:
                    raise RejectedFile(
                        f"reading stopped at page {page.page_number} of {total}: it took longer "
                        f"than the limit of {options.max_seconds:g} s per file (--max-seconds)"
                    )
                pages.append(_read_page(file, page))
                images += len(page.images)
                page.close()
                if on_page:
                    on_page(page.page_number, total)
    except PdfminerException as exc:
        raise RejectedFile(_pdfminer_reason(exc, options)) from None
    if not any(page.lines for page in pages):
        if images:
            raise RejectedFile(
                f"no text layer: the PDF holds only images ({total} page"
                f"{'s' if total != 1 else ''}), as a scan does; OCR is out of scope"
            )
        raise RejectedFile("no text in the PDF")
    return pages


def _pdfminer_reason(exc: PdfminerException, options: ReadOptions) -> str:
    cause = exc.args[0] if exc.args else exc
    if type(cause).__name__ == "PDFPasswordIncorrect":
        if options.password:
            return "encrypted PDF: the password given does not open it"
        return "encrypted PDF: a password is needed to read it (--pdf-password)"
    detail = str(cause) or type(cause).__name__
    return f"corrupt or truncated PDF: {detail}"


def _read_page(file: str, page: pdfplumber.page.Page) -> _Page:
    words = [
        _Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in page.extract_words()
    ]
    verticals, horizontals = [], []
    for edge in page.edges:
        if edge["orientation"] == "v" and edge["bottom"] - edge["top"] > 5:
            verticals.append((edge["x0"], edge["top"], edge["bottom"]))
        elif edge["orientation"] == "h" and edge["x1"] - edge["x0"] > 5:
            horizontals.append((edge["top"], edge["x0"], edge["x1"]))
    # Row rules span the table; shorter ones (a signature line, an underline) are not rows.
    widest = max((x1 - x0 for _, x0, x1 in horizontals), default=0)
    horizontals = [h for h in horizontals if h[2] - h[1] >= widest / 2]
    lines = [
        _page_line(file, page.page_number, number, group)
        for number, group in enumerate(_group_lines(words), start=1)
    ]
    return _Page(page.page_number, lines, verticals, horizontals)


def _group_lines(words: list[_Word]) -> Iterator[list[_Word]]:
    line: list[_Word] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if line and abs(word.top - line[0].top) > SAME_LINE:
            yield sorted(line, key=lambda w: w.x0)
            line = []
        line.append(word)
    if line:
        yield sorted(line, key=lambda w: w.x0)


def _page_line(file: str, page: int, number: int, words: list[_Word]) -> _PageLine:
    cells: list[list[_Word]] = [[words[0]]]
    for previous, word in itertools.pairwise(words):
        gap_limit = CELL_GAP * (word.bottom - word.top)
        if word.x0 - previous.x1 > gap_limit:
            cells.append([])
        cells[-1].append(word)
    return _PageLine(
        line=Line(
            tuple(" ".join(w.text for w in cell) for cell in cells),
            Location(file, page=page, line=number),
        ),
        words=tuple(words),
        spans=tuple((cell[0].x0, cell[-1].x1) for cell in cells),
        page=page,
    )


def _read_report(lines: Sequence[_PageLine], pages: dict[int, _Page]) -> RawReport:
    preamble, table_at = read_preamble([pl.line for pl in lines])
    header, rows, after = _read_table(lines[table_at:], pages)
    return preamble.report(lines[0].line.location, header, rows, _signatures(after))


# --- the metas table -------------------------------------------------------------------

Columns = list[tuple[float, float]]  # left, right edge of each column


def _read_table(
    lines: Sequence[_PageLine], pages: dict[int, _Page]
) -> tuple[list[tuple[str, ...]], list[TableRow], list[_PageLine]]:
    """Header rows, rows and the lines after the table (the signature block).

    The table may run over several pages, each repeating the header rows; the signature
    block may stand alone on the last page.
    """
    header: list[tuple[str, ...]] = []
    rows: list[TableRow] = []
    after: list[_PageLine] = []
    columns: Columns | None = None
    description = 1
    for number, group in itertools.groupby(lines, key=lambda pl: pl.page):
        body = list(group)
        if after or not body:
            after.extend(body)
            continue
        top = -math.inf
        if is_table_start(body[0].line):
            band = _header_band(body)
            columns = _columns(pages[number], band)
            top = max(w.bottom for pl in band for w in pl.words)
            if not header:
                header = [_cells(pl.words, columns) for pl in band]
                description = _description_column(header)
            body = body[len(band) :]
        if columns is None:
            after.extend(body)
            continue
        table, rest = _table_lines(pages[number], body)
        rows.extend(_rows(pages[number], table, columns, top, description))
        after.extend(rest)
    return header, rows, after


def _header_band(lines: Sequence[_PageLine]) -> list[_PageLine]:
    """The header rows: from the table's first line down to the P/A line."""
    for index, pl in enumerate(lines):
        if sum(fold(cell) in ("P", "A") for cell in pl.line.cells) >= 2:
            return list(lines[: index + 1])
    return list(lines[:1])


def _description_column(header: list[tuple[str, ...]]) -> int:
    try:
        return TableLayout.from_header(tuple(header)).columns["description"]
    except LayoutError:
        return 1  # the layout is reported when the report is normalized


def _columns(page: _Page, band: Sequence[_PageLine]) -> Columns:
    """Column edges: the vertical rules crossing the header, else the header's label blocks."""
    top = min(pl.top for pl in band)
    bottom = max(w.bottom for pl in band for w in pl.words)
    xs = sorted(x for x, y0, y1 in page.verticals if y0 <= bottom and y1 >= top)
    edges = [x for i, x in enumerate(xs) if i == 0 or x - xs[i - 1] > 1]
    if len(edges) >= 4:
        return [(-math.inf, edges[1]), *itertools.pairwise(edges[1:-1]), (edges[-2], math.inf)]
    return _columns_from_labels(band)


def _columns_from_labels(band: Sequence[_PageLine]) -> Columns:
    """Without ruling lines: each label block is a column, and each P or A letter one more."""
    marks = [w for pl in band for w in pl.words if fold(w.text) in ("P", "A")]
    spacing = (
        statistics.median(b.x0 - a.x0 for a, b in itertools.pairwise(marks))
        if len(marks) > 1
        else 10.0
    )
    anchors = [(w.x0 + w.x1) / 2 for w in marks]
    spans = [(c - spacing / 2, c + spacing / 2) for c in anchors]
    labels = sorted(
        (w.x0, w.x1) for pl in band for w in pl.words if fold(w.text) not in _HEADER_MARKS
    )
    blocks: list[list[float]] = []
    for x0, x1 in labels:
        if blocks and x0 <= blocks[-1][1] + BLOCK_GAP:
            blocks[-1][1] = max(blocks[-1][1], x1)
        else:
            blocks.append([x0, x1])
    spans.extend(
        (x0, x1) for x0, x1 in blocks if not any(s0 <= (x0 + x1) / 2 <= s1 for s0, s1 in spans)
    )
    spans.sort()
    cuts = [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(spans)]
    return list(itertools.pairwise([-math.inf, *cuts, math.inf]))


def _table_lines(page: _Page, body: list[_PageLine]) -> tuple[list[_PageLine], list[_PageLine]]:
    """The page's table lines, and what follows the table on the page."""
    grid = [y for y, x0, x1 in page.horizontals]
    bottom = max(grid) if grid else math.inf
    for index, pl in enumerate(body):
        if pl.middle > bottom or _is_signature_line(pl.line):
            return body[:index], body[index:]
    return body, []


def _is_signature_line(line: Line) -> bool:
    cells = [c for c in line.cells if c.strip()]
    return bool(cells) and (
        all(signature_role(c) for c in cells)
        or all(fold(c).startswith("RESPONSABLE") for c in cells)
    )


def _rows(
    page: _Page, lines: list[_PageLine], columns: Columns, top: float, description: int
) -> Iterator[TableRow]:
    """Split the table lines into rows: by the horizontal rules, or by the descriptions."""
    rules = sorted({round(y, 1) for y, _, _ in page.horizontals if y >= top - 1})
    cuts = rules if len(rules) >= 2 else _cuts_between_descriptions(lines, columns, description)
    words = [(w, pl) for pl in lines for w in pl.words]
    bands: list[list[tuple[_Word, _PageLine]]] = [[] for _ in range(len(cuts) + 1)]
    for word, pl in words:
        bands[bisect.bisect(cuts, (word.top + word.bottom) / 2)].append((word, pl))
    for band in bands:
        if band:
            cells = _cells([w for w, _ in band], columns)
            first = min(band, key=lambda item: item[1].top)[1]
            yield TableRow(cells, "\t".join(cells), first.line.location)


def _cuts_between_descriptions(
    lines: list[_PageLine], columns: Columns, description: int
) -> list[float]:
    """Without rules, each description starts with its meta number and runs until the next;
    rows are cut halfway between one description's last line and the next one's first,
    so a value centred in a tall row, or a unit of measure that wraps, stays in its row."""
    left, right = columns[description]
    blocks: list[list[float]] = []  # top, bottom of each description
    for pl in lines:
        text = [w for w in pl.words if left <= w.anchor < right]
        if not text:
            continue
        top, bottom = min(w.top for w in text), max(w.bottom for w in text)
        if not blocks or _META_START.match(" ".join(w.text for w in text)):
            blocks.append([top, bottom])
        else:
            blocks[-1][1] = bottom
    return [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(blocks)]


def _cells(words: Iterable[_Word], columns: Columns) -> tuple[str, ...]:
    """The text in each column; a cell's lines joined, a hyphen at a line break kept."""
    found: list[list[_Word]] = [[] for _ in columns]
    for word in words:
        index = next(i for i, (left, right) in enumerate(columns) if left <= word.anchor < right)
        found[index].append(word)
    return tuple(_join_lines(cell) for cell in found)


def _join_lines(words: list[_Word]) -> str:
    text = ""
    for line in _group_lines(words):
        part = " ".join(w.text for w in line)
        if not text:
            text = part
        elif text.endswith("-") and not text.endswith(" -"):
            text += part  # "E-" + "MARKETING": the hyphen is the word's own
        else:
            text += " " + part
    return text


# --- the signature block ---------------------------------------------------------------


def _signatures(lines: Sequence[_PageLine]) -> Iterator[SignatureEntry]:
    """Signatures side by side: a line of roles (if printed), one of titles, one of names."""
    roles = [
        ((x0 + x1) / 2, role)
        for pl in lines
        if all(signature_role(c) for c in pl.line.cells)
        for cell, (x0, x1) in zip(pl.line.cells, pl.spans, strict=True)
        if (role := signature_role(cell))
    ]
    others = [pl for pl in lines if not all(signature_role(c) for c in pl.line.cells)]
    for titles, names in itertools.zip_longest(others[::2], others[1::2]):
        for cell, span in zip(titles.line.cells, titles.spans, strict=True):
            center = (span[0] + span[1]) / 2
            yield SignatureEntry(
                role=_nearest(roles, center),
                title=cell,
                name=_nearest(list(_centered(names)), center) if names else None,
                location=titles.line.location,
            )


def _centered(pl: _PageLine) -> Iterator[tuple[float, str]]:
    for cell, (x0, x1) in zip(pl.line.cells, pl.spans, strict=True):
        yield (x0 + x1) / 2, cell


def _nearest(options: list[tuple[float, str]], center: float) -> str | None:
    return min(options, key=lambda o: abs(o[0] - center))[1] if options else None
