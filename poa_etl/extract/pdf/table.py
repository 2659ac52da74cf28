"""The metas table read in two dimensions.

Columns come from the vertical rules crossing the header rows, or, in a table printed
without rules, from the blocks of the header labels; rows from the horizontal rules, or
from where a description starts with its meta number. A cell's lines are joined as the
dump has them. The table may run over several pages, each repeating the header rows;
the repeats are set aside as ignored lines, with the reason.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from poa_etl.extract.lines import is_table_start, signature_role
from poa_etl.extract.pdf.lines import PageLine, group_lines, join_text
from poa_etl.extract.pdf.page import Page, Word
from poa_etl.report.cells import fold
from poa_etl.report.columns import QUARTERS, LayoutError, TableLayout
from poa_etl.report.form import IgnoredLine, OcrCells, TableRow

# Fractions of the page's font size.
SAME_RULE = 0.2  # rules closer than this are one (a border drawn as a thin box)
BLOCK_GAP = 0.4  # header label blocks closer than this are one column
SPARE = 1.0  # a word filling its cell but for less than this was broken where the cell ends
_META_START = re.compile(r"\d+\s*\.")
_HEADER_MARKS = {"PERIODO", "P", "A", *QUARTERS}


@dataclass(frozen=True)
class Columns:
    """The table's columns: the extent of each, and whether rules drew them (exact)."""

    spans: list[tuple[float, float]]
    ruled: bool

    @cached_property
    def _cuts(self) -> list[float]:
        return [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(self.spans)]

    def index(self, x: float) -> int:
        """The column ``x`` falls in: the nearest, left of the first or right of the last."""
        return bisect.bisect(self._cuts, x)


@dataclass
class Table:
    """What the table region of a report holds."""

    header: list[tuple[str, ...]] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)
    after: list[PageLine] = field(default_factory=list)  # the lines below it: signatures
    ignored: list[IgnoredLine] = field(default_factory=list)
    units: int = 0  # header lines and rows read (a row's wrapped lines are one row)


def read_table(lines: Sequence[PageLine], pages: dict[int, Page]) -> Table:
    """The header rows, the rows, and the lines after the table (the signature block)."""
    table = Table()
    columns: Columns | None = None
    description = 1
    for number, group in itertools.groupby(lines, key=lambda pl: pl.page):
        body, page = list(group), pages[number]
        top = -math.inf
        # A sheet repeats its header rows on every page, the signatures' page included.
        if is_table_start(body[0].line):
            band = _header_band(body)
            columns = _columns(page, band)
            top = max(pl.bottom for pl in band)
            header = list(_split(band, _header_cuts(page, band), columns, page.breaks_words))
            table.units += len(header)
            if not table.header:
                table.header = [row.cells for row in header]
                description = _description_column(table.header)
            else:
                reason = f"table header repeated on page {number}"
                table.ignored.extend(IgnoredLine(r.raw, reason, r.location) for r in header)
            body = body[len(band) :]
        if columns is None or table.after:
            table.after.extend(body)
            continue
        inside, rest = _table_lines(page, body)
        rows = list(_rows(page, inside, columns, top, description))
        if table.rows and rows and _continues(rows[0], description):
            table.rows[-1] = _joined(table.rows[-1], rows.pop(0))
        table.rows.extend(rows)
        table.units += len(rows)
        table.after.extend(rest)
    return table


def _continues(row: TableRow, description: int) -> bool:
    """A page's first row that goes on with the previous page's last: a row split by the
    page break, whose description does not start with a meta number."""
    text = row.cells[description] if description < len(row.cells) else ""
    return not _META_START.match(text.strip())


def _joined(row: TableRow, rest: TableRow) -> TableRow:
    cells = tuple(join_text(a, b) for a, b in zip(row.cells, rest.cells, strict=True))
    ocr = None
    if row.ocr and rest.ocr:
        doubts = dict(rest.ocr.doubts) | dict(row.ocr.doubts)
        least = min(row.ocr.min_confidence, rest.ocr.min_confidence)
        ocr = OcrCells(least, tuple(sorted(doubts.items())))
    return TableRow(cells, "\t".join(cells), row.location, ocr=ocr or row.ocr or rest.ocr)


def _header_band(lines: Sequence[PageLine]) -> list[PageLine]:
    """The header rows: from the table's first line down to the P/A line."""
    for index, pl in enumerate(lines):
        if sum(fold(cell) in ("P", "A") for cell in pl.line.cells) >= 2:
            return list(lines[: index + 1])
    return list(lines[:1])


def _header_cuts(page: Page, band: Sequence[PageLine]) -> list[float]:
    """Where the header's rows meet: at the rules inside it (a quarter's label may wrap,
    "Ene-" over "Mar", in its row), else between its lines."""
    top, bottom = band[0].top, band[-1].bottom
    inside = SAME_RULE * page.font_size
    rules = [r.top for r in page.rules if not r.vertical and top + inside < r.top < bottom - inside]
    if rules:
        return _merged(rules, inside)
    return [(a.bottom + b.top) / 2 for a, b in itertools.pairwise(band)]


def _description_column(header: list[tuple[str, ...]]) -> int:
    try:
        return TableLayout.from_header(tuple(header)).columns["description"]
    except LayoutError:
        return 1  # the layout is reported when the report is normalized


def _merged(values: Iterable[float], within: float) -> list[float]:
    """Sorted values, those closer than ``within`` to the previous one dropped."""
    merged: list[float] = []
    for value in sorted(values):
        if not merged or value - merged[-1] > within:
            merged.append(value)
    return merged


def _columns(page: Page, band: Sequence[PageLine]) -> Columns:
    """Column edges: the vertical rules crossing the header, else the header's label blocks."""
    top, bottom = min(pl.top for pl in band), max(pl.bottom for pl in band)
    edges = _merged(
        (r.x0 for r in page.rules if r.vertical and r.top <= bottom and r.bottom >= top),
        SAME_RULE * page.font_size,
    )
    if len(edges) >= 4:
        return Columns(list(itertools.pairwise(edges)), ruled=True)
    return _columns_from_labels(band, page.font_size)


def _columns_from_labels(band: Sequence[PageLine], font_size: float) -> Columns:
    """Without ruling lines: each label block is a column, and each P or A letter one more."""
    marks = [w for pl in band for w in pl.words if fold(w.text) in ("P", "A")]
    spacing = (
        statistics.median(b.x0 - a.x0 for a, b in itertools.pairwise(marks))
        if len(marks) > 1
        else font_size
    )
    spans = [((w.x0 + w.x1) / 2 - spacing / 2, (w.x0 + w.x1) / 2 + spacing / 2) for w in marks]
    labels = sorted(
        (w.x0, w.x1) for pl in band for w in pl.words if fold(w.text) not in _HEADER_MARKS
    )
    blocks: list[list[float]] = []
    for x0, x1 in labels:
        if blocks and x0 <= blocks[-1][1] + BLOCK_GAP * font_size:
            blocks[-1][1] = max(blocks[-1][1], x1)
        else:
            blocks.append([x0, x1])
    spans.extend(
        (x0, x1) for x0, x1 in blocks if not any(s0 <= (x0 + x1) / 2 <= s1 for s0, s1 in spans)
    )
    return Columns(sorted(spans), ruled=False)


def _table_lines(page: Page, body: list[PageLine]) -> tuple[list[PageLine], list[PageLine]]:
    """The page's table lines, and what follows the table on the page: below its grid (a
    row cut by the page break has its side rules, not its bottom one), or from the
    signatures."""
    grid = [r.top for r in _row_rules(page)] + [r.bottom for r in page.rules if r.vertical]
    bottom = max(grid) if grid else math.inf
    for index, pl in enumerate(body):
        if pl.middle > bottom or _is_signature_line(pl):
            return body[:index], body[index:]
    return body, []


def _row_rules(page: Page) -> list[Iterable]:
    """Horizontal rules that span the table; shorter ones (a signature line) are not rows."""
    horizontals = [r for r in page.rules if not r.vertical]
    widest = max((r.length for r in horizontals), default=0)
    return [r for r in horizontals if r.length >= widest / 2]


def _is_signature_line(pl: PageLine) -> bool:
    cells = [c for c in pl.line.cells if c.strip()]
    return bool(cells) and (
        all(signature_role(c) for c in cells)
        or all(fold(c).startswith("RESPONSABLE") for c in cells)
    )


def _rows(
    page: Page, lines: list[PageLine], columns: Columns, top: float, description: int
) -> Iterator[TableRow]:
    """Split the table lines into rows: by the horizontal rules, or by the descriptions."""
    rules = _merged(
        (r.top for r in _row_rules(page) if r.top >= top - SAME_RULE * page.font_size),
        SAME_RULE * page.font_size,
    )
    cuts = rules if len(rules) >= 2 else _cuts_between_descriptions(lines, columns, description)
    # A word broken by its cell's width is put together again in the header only: there the
    # labels are known words ("ABSOLUT" / "O"). In a row, a whole word that happens to fill
    # its cell ("EXTRAORDINARIA" / "EN ENERO") looks the same, and is the likelier case.
    return _split(lines, cuts, columns, breaks_words=False)


def _split(
    lines: Sequence[PageLine], cuts: list[float], columns: Columns, breaks_words: bool
) -> Iterator[TableRow]:
    """The rows between the cuts (y positions), each with its cells; empty ones left out."""
    bands: list[list[tuple[Word, PageLine]]] = [[] for _ in range(len(cuts) + 1)]
    for pl in lines:
        for word in pl.words:
            bands[bisect.bisect(cuts, word.middle)].append((word, pl))
    for band in bands:
        if band:
            row = _cells([w for w, _ in band], columns, breaks_words)
            first = min(band, key=lambda item: item[1].top)[1]
            ocr = _ocr_cells([w for w, _ in band], columns)
            yield TableRow(row, "\t".join(row), first.line.location, ocr=ocr)


def _ocr_cells(words: Sequence[Word], columns: Columns) -> OcrCells | None:
    """For a row read by OCR: its lowest confidence, and each cell's first doubt."""
    read = [w for w in words if w.confidence is not None]
    if not read:
        return None
    doubts: dict[int, str] = {}
    for word in read:
        if word.doubt:
            doubts.setdefault(columns.index(word.anchor), word.doubt)
    least = round(min(w.confidence or 0.0 for w in read), 1)
    return OcrCells(least, tuple(sorted(doubts.items())))


def _cuts_between_descriptions(
    lines: list[PageLine], columns: Columns, description: int
) -> list[float]:
    """Without rules, each description starts with its meta number and runs until the next;
    rows are cut halfway between one description's last line and the next one's first,
    so a value centred in a tall row, or a unit of measure that wraps, stays in its row."""
    blocks: list[list[float]] = []  # top, bottom of each description
    for pl in lines:
        text = [w for w in pl.words if columns.index(w.anchor) == description]
        if not text:
            continue
        top, bottom = min(w.top for w in text), max(w.bottom for w in text)
        if not blocks or _META_START.match(" ".join(w.text for w in text)):
            blocks.append([top, bottom])
        else:
            blocks[-1][1] = bottom
    return [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(blocks)]


def _cells(words: Iterable[Word], columns: Columns, breaks_words: bool) -> tuple[str, ...]:
    """The text in each column; a cell's lines joined (``breaks_words``: the producer
    breaks a word too long for its cell, ``Page.breaks_words``)."""
    found: list[list[Word]] = [[] for _ in columns.spans]
    for word in words:
        found[columns.index(word.anchor)].append(word)
    return tuple(
        _join_lines(cell, span if columns.ruled and breaks_words else None)
        for cell, span in zip(found, columns.spans, strict=True)
    )


def _join_lines(words: list[Word], span: tuple[float, float] | None) -> str:
    """A cell's lines as one text (``join_text``), and a word the cell's width broke in
    two ("ABSOLUT" + "O") put together again."""
    text = ""
    previous: list[Word] = []
    for line in group_lines(words):
        part = " ".join(w.text for w in line)
        text = text + part if text and _broken(previous, span) else join_text(text, part)
        previous = line
    return text


def _broken(line: list[Word], span: tuple[float, float] | None) -> bool:
    """A line that is one word filling its ruled cell but for less than a character: the
    cell broke the word where it ran out of room (a word that fits is never broken)."""
    if span is None or len(line) != 1:
        return False
    word = line[0]
    spare = (span[1] - span[0]) - (word.x1 - word.x0)
    return spare < SPARE * word.size
