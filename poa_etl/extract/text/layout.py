"""Layout dumps: columns aligned with spaces, as ``pdftotext -layout`` (or ``-fixed``)
writes a PDF's pages.

Outside the metas table a line's cells are its runs of text between two spaces or more.
The table is read in two dimensions, as on the page: its columns from the header lines —
each label block a column, each P and A letter one more — and each word goes to the
column under which its middle falls; its rows from the descriptions, each starting with
its meta number, with the lines around a description (the row's values, centred on it; a
unit of measure that wraps) joined to it. Pages end at form feeds; a table may go on over
pages, its header repeated.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from poa_etl.errors import RejectedFile
from poa_etl.extract.grid import Record
from poa_etl.extract.lines import POA_TITLE, Line, is_signature_line, is_table_start
from poa_etl.report.cells import fold
from poa_etl.report.columns import QUARTERS, LayoutError, TableLayout
from poa_etl.report.form import Location

_WORD = re.compile(r"\S+")
_CELL_GAP = re.compile(r" {2,}")
_META_START = re.compile(r"(\d+)\s*\.")
_HEADER_LINES = 8  # the table header is at most this many lines down to its P/A line
_SPANNING = {"PERIODO", *QUARTERS}  # labels over several columns: they go to the first
# First words of the table's column labels: one starts a label even one space after another
# label ("… Proyecto- UNIDAD DE MEDIDA" when the font is wide).
_LABEL_STARTS = {"LINEA", "DESCRIPCION", "UNIDAD", "META", "AVANCE", "ACUMULADO", "OBSERVACIONES"}
# "UNIDAD EJECUTORA 58102 GERENCIA ADMINISTRATIVA": label, code and name one space apart.
_LABEL_AND_CODE = re.compile(r"([^\d\s][^\d]*?)\s(\d+(?:\.\d+)*)(?:\s(\D.*))?")


@dataclass(frozen=True)
class _Word:
    text: str
    x0: int
    x1: int

    @property
    def middle(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class _Line:
    number: int  # in the file, from 1
    text: str
    page: int = 1

    @property
    def words(self) -> list[_Word]:
        return [_Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(self.text)]

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def layout_records(file: str, lines: Sequence[str]) -> list[Record]:
    """One record per line, but one per table row (a row spans several lines). A row that
    a page break cut in two (its end under the header repeated on the next page) is one."""
    page_lines = _pages(lines)
    records: list[Record] = []
    last_row: int | None = None  # the record of the table's last row, while it may go on
    index = 0
    while index < len(page_lines):
        line = page_lines[index]
        header = _header_band(page_lines, index) if is_table_start(_chunks(file, line)) else 0
        if not header:
            records.append(_record(file, line))
            last_row = last_row if line.blank else None
            index += 1
            continue
        end = _table_end(page_lines, index + header)
        table, rest_of_row = _table(
            file, page_lines[index : index + header], page_lines[index + header : end],
            continuing=last_row is not None,
        )  # fmt: skip
        if rest_of_row is not None and last_row is not None:
            records[last_row] = _joined(records[last_row], rest_of_row)
        records.extend(table)
        rows = [i for i, r in enumerate(table) if r.lines and not r.blank and r.positions]
        last_row = len(records) - len(table) + rows[-1] if rows else last_row
        index = end
    return records


def _joined(row: Record, rest: Record) -> Record:
    """A row cut by a page break, whole again: each column's text, then its rest."""
    cells = tuple(
        " ".join(part for part in (a, b) if part)
        for a, b in itertools.zip_longest(row.cells, rest.cells, fillvalue="")
    )
    return Record(cells, row.location, row.positions, row.lines + rest.lines)


def _pages(lines: Sequence[str]) -> list[_Line]:
    """The lines, each page's left margin taken off (``-fixed`` keeps the paper's)."""
    out: list[_Line] = []
    page: list[tuple[int, str]] = []
    pages = 0

    def flush() -> None:
        nonlocal pages
        pages += 1
        texts = [t for _, t in page if t.strip()]
        margin = min((len(t) - len(t.lstrip(" ")) for t in texts), default=0)
        out.extend(_Line(n, t[margin:], pages) for n, t in page)
        page.clear()

    for number, text in enumerate(lines, start=1):
        if text.startswith("\f"):
            flush()
        page.append((number, text.replace("\f", "").rstrip()))
    flush()
    return out


def _chunks(file: str, line: _Line) -> Line:
    return Line(tuple(_CELL_GAP.split(line.text.strip())), Location(file, line=line.number))


def _record(file: str, line: _Line) -> Record:
    """A line outside the table: cells between wide gaps; an indented line starts blank
    (no label), as a tab dump's continuation line does."""
    cells, positions = [], []
    stripped = line.text.lstrip()
    if line.text[:2] == "  " and stripped:
        cells.append("")
        positions.append(0.0)
    start = len(line.text) - len(stripped)
    for part in _CELL_GAP.split(stripped) if stripped else []:
        at = line.text.index(part, start)
        pieces = [part]
        if not cells and (m := _LABEL_AND_CODE.fullmatch(part)):
            pieces = [g for g in m.groups() if g]
        for piece in pieces:
            cells.append(piece)
            positions.append(at + part.index(piece) + len(piece) / 2)
        start = at + len(part)
    return Record(tuple(cells), Location(file, line=line.number), tuple(positions))


def _header_band(lines: Sequence[_Line], start: int) -> int:
    """How many lines the table header takes: down to its P/A line, and the pieces of
    labels broken below it (a word too wide for its cell), up to the first value."""
    for offset, line in enumerate(lines[start : start + _HEADER_LINES]):
        if sum(fold(w.text) in ("P", "A") for w in line.words) >= 4:
            end = start + offset + 1
            while end < len(lines) and _is_label_tail(lines[end]):
                end += 1
            return end - start
    return 0


def _is_label_tail(line: _Line) -> bool:
    """Only the ends of label words ("A" of "AUTORIZAD" / "A"): letters, three at most."""
    words = line.words
    return bool(words) and all(len(w.text) <= 3 and w.text.isalpha() for w in words)


def _table_end(lines: Sequence[_Line], start: int) -> int:
    """Where the table body ends: a signature line, the next report, a repeated header."""
    for index in range(start, len(lines)):
        line = lines[index]
        if line.blank:
            continue
        text = fold(line.text)
        cells = tuple(_CELL_GAP.split(line.text.strip()))
        if (
            is_signature_line(cells)
            or POA_TITLE.search(text)
            or "AYUNTAMIENTO" in text
            or is_table_start(Line(cells, Location("")))
        ):
            return index
    return len(lines)


def _table(
    file: str, header: Sequence[_Line], body: Sequence[_Line], continuing: bool
) -> tuple[list[Record], Record | None]:
    """The table's records — header lines, then rows — and, when it goes on from the
    previous page (``continuing``), the lines above its first meta number: the end of
    the row the page break cut."""
    if turned := next((ln for ln in body if not ln.blank and ln.page != header[0].page), None):
        raise RejectedFile(
            f"line {turned.number}: the metas table goes on to page {turned.page} without "
            f"its header; a text dump lays out each page on its own, so the columns cannot "
            f"be matched across the page break; load the PDF itself"
        )
    cuts = _cuts(header, body)
    centers = tuple(_centers(cuts))
    header_cells = [_cells(line.words, cuts, spanning=True) for line in header]
    records = [
        Record(cells, Location(file, line=line.number), centers)
        for line, cells in zip(header, header_cells, strict=True)
    ]
    try:
        description = TableLayout.from_header(tuple(header_cells)).columns["description"]
    except LayoutError:  # normalization rejects the report, naming the missing column
        return records + [_record(file, line) for line in body], None
    grid = _Grid.of(cuts, description, body)
    rest_of_row = None
    for kind, group in _rows(body, grid, continuing):
        if kind == "blank":
            records.append(Record((), Location(file, line=group[0].number)))
            continue
        row = Record(
            _cells_of_lines(group, grid), Location(file, line=group[0].number), centers,
            lines=len(group),
        )  # fmt: skip
        if kind == "rest":
            rest_of_row = row
        else:
            records.append(row)
    return records, rest_of_row


# --- columns ---------------------------------------------------------------------------


def _cuts(header: Sequence[_Line], body: Sequence[_Line]) -> list[float]:
    """Where one column ends and the next begins: halfway between neighbouring columns,
    each P and A letter a column, each block of stacked label words another. Between two
    label blocks, the widest gap that the body's text leaves between them, when there is
    one: a label need not sit over its column's text."""
    marks = [w for w in header[-1].words if fold(w.text) in ("P", "A")]
    for line in header:
        found = [w for w in line.words if fold(w.text) in ("P", "A")]
        if len(found) >= 4:
            marks = found
    spans = [(float(w.x0), float(w.x1)) for w in marks]
    labels = [
        phrase
        for line in header
        for phrase in _phrases(line, header)
        if not all(_spans(w.text) for w in phrase)
        and not all(fold(w.text) in ("P", "A") for w in phrase)
        and not _is_tail(phrase, header)
    ]
    blocks = _stacked([(float(p[0].x0), float(p[-1].x1)) for p in labels])
    letters = set(spans)
    spans.extend(b for b in blocks if not any(s0 <= (b[0] + b[1]) / 2 <= s1 for s0, s1 in spans))
    spans.sort()
    covered = _covered(body)
    return [
        (a[1] + b[0]) / 2 if a in letters or b in letters else _gap(a, b, covered)
        for a, b in itertools.pairwise(spans)
    ]


def _covered(body: Sequence[_Line]) -> set[int]:
    """Character columns under some word of the table's body."""
    return {x for line in body for w in line.words for x in range(w.x0, w.x1)}


def _gap(left: tuple[float, float], right: tuple[float, float], covered: set[int]) -> float:
    """The middle of the widest run of uncovered columns between two label blocks' middles
    (two columns wide at least, so a space between words is never taken for it); else
    halfway between the blocks."""
    low, high = int((left[0] + left[1]) / 2) + 1, int((right[0] + right[1]) / 2)
    best: tuple[int, int] = (0, 0)
    run_start = None
    for x in range(low, high + 1):
        if x not in covered and x < high:
            run_start = x if run_start is None else run_start
            continue
        if run_start is not None and x - run_start > best[1] - best[0]:
            best = (run_start, x)
        run_start = None
    if best[1] - best[0] >= 2:
        return (best[0] + best[1]) / 2
    return (left[1] + right[0]) / 2


def _phrases(line: _Line, header: Sequence[_Line]) -> Iterator[list[_Word]]:
    """The line's words in runs one space apart, split where two words each stand over a
    column of their own: "AVANCE ACUMULADO" over "ABSOLUTO RELATIVO" is two labels."""
    others = [w for other in header if other is not line for w in other.words]
    phrase: list[_Word] = []
    for word in line.words:
        if phrase and (
            word.x0 - phrase[-1].x1 > 1
            or _starts_label(word.text)
            or _spans(word.text) != _spans(phrase[-1].text)
            or _apart(phrase[-1], word, others)
        ):
            yield phrase
            phrase = []
        phrase.append(word)
    if phrase:
        yield phrase


def _spans(text: str) -> bool:
    """PERIODO, a quarter, or a piece of a quarter broken in its cell ("Ene-" / "Mar"):
    a label over several columns."""
    folded = fold(text)
    return folded in _SPANNING or any(
        len(folded) >= 3 and (q.startswith(folded) or q.endswith(folded)) for q in QUARTERS
    )


def _starts_label(text: str) -> bool:
    """A column label's first word, or the part of it that fits its cell ("OBSERVACIONE")."""
    folded = fold(text)
    return len(folded) >= 4 and any(start.startswith(folded) for start in _LABEL_STARTS)


def _is_tail(phrase: list[_Word], header: Sequence[_Line]) -> bool:
    """The end of a word broken in its cell ("ABSOLUT" / "O"): one or two letters under
    another word's end. It is no label of its own."""
    word = phrase[0]
    return (
        len(phrase) == 1
        and len(word.text) <= 2
        and any(
            abs(word.x0 - above.x1) <= 1
            for line in header
            for above in line.words
            if above is not word
        )
    )


def _apart(left: _Word, right: _Word, others: Iterable[_Word]) -> bool:
    def over(a: _Word, b: _Word) -> bool:
        return a.x0 < b.x1 and b.x0 < a.x1

    others = list(others)
    return (
        any(over(o, left) and not over(o, right) for o in others)
        and any(over(o, right) and not over(o, left) for o in others)
        and not any(over(o, left) and over(o, right) for o in others)
    )


def _stacked(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Label pieces that overlap across lines are one label block."""
    blocks: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if blocks and x0 < blocks[-1][1]:
            blocks[-1][1] = max(blocks[-1][1], x1)
        else:
            blocks.append([x0, x1])
    return [(a, b) for a, b in blocks]


def _centers(cuts: list[float]) -> Iterator[float]:
    edges = [cuts[0] - 10.0, *cuts, cuts[-1] + 10.0] if cuts else [0.0, 1.0]
    for a, b in itertools.pairwise(edges):
        yield (a + b) / 2


def _column(cuts: list[float], x: float) -> int:
    return sum(x >= cut for cut in cuts)


@dataclass(frozen=True)
class _Grid:
    """The table's columns, and where its descriptions' lines start (they are left-aligned
    paragraphs). Text beside a description that the cuts alone would misplace — a unit of
    measure reaching left of its label, a description's last word past the cut — is put
    back by that: a description line starts at the margin, its words a space apart."""

    cuts: list[float]
    description: int
    margin: float | None

    @classmethod
    def of(cls, cuts: list[float], description: int, body: Sequence[_Line]) -> _Grid:
        starts = []
        for line in body:
            words = [w for w in line.words if _column(cuts, w.middle) == description]
            if words and _META_START.match(words[0].text):
                starts.append(words[0].x0)
        return cls(cuts, description, statistics.median(starts) if starts else None)

    def columns(self, words: Sequence[_Word]) -> list[int]:
        """The column of each of a line's words."""
        columns = [_column(self.cuts, w.middle) for w in words]
        if self.margin is None:
            return columns
        text, inside = self.description, False
        for i, word in enumerate(words):
            joined = i > 0 and word.x0 - words[i - 1].x1 <= 1
            if columns[i] == text:
                inside = (joined and inside) or (not joined and abs(word.x0 - self.margin) <= 2)
                columns[i] = text if inside else text + 1
            elif columns[i] == text + 1 and joined and inside:
                columns[i] = text  # the description's words run on past the cut
            else:
                inside = False
        return columns


def _cells(words: Iterable[_Word], cuts: list[float], spanning: bool = False) -> tuple[str, ...]:
    found: list[list[str]] = [[] for _ in range(len(cuts) + 1)]
    for word in words:
        x = word.x0 + 0.5 if spanning and _spans(word.text) else word.middle
        found[_column(cuts, x)].append(word.text)
    return tuple(" ".join(cell) for cell in found)


def _cells_of_lines(lines: Sequence[_Line], grid: _Grid) -> tuple[str, ...]:
    """A row's cells: each column's words line by line; a hyphen ending a line is kept
    against the next word ("E-" + "MARKETING")."""
    found: list[str] = ["" for _ in range(len(grid.cuts) + 1)]
    for line in lines:
        words = line.words
        per_column: dict[int, list[str]] = {}
        for column, word in zip(grid.columns(words), words, strict=True):
            per_column.setdefault(column, []).append(word.text)
        for column, texts in per_column.items():
            part = " ".join(texts)
            text = found[column]
            if not text:
                found[column] = part
            elif text.endswith("-") and not text.endswith(" -"):
                found[column] = text + part
            else:
                found[column] = f"{text} {part}"
    return tuple(found)


# --- rows ------------------------------------------------------------------------------


def _rows(
    body: Sequence[_Line], grid: _Grid, continuing: bool
) -> Iterator[tuple[str, list[_Line]]]:
    """The body's rows, in order: each a description from its meta number on, with the
    lines around it; a blank line is a row of its own (ignored later). Lines above the
    first meta number belong to the first row — or, ``continuing`` a table from the
    previous page, they are the "rest" of its last row."""
    starts: list[int] = []  # index in body of each description's first line
    ends: list[int] = []  # and of its last line
    last_number = -1
    for index, line in enumerate(body):
        words = line.words
        text = " ".join(
            w.text
            for w, column in zip(words, grid.columns(words), strict=True)
            if column == grid.description
        )
        if not text:
            continue
        m = _META_START.match(text)
        if m and int(m.group(1)) > last_number:  # "81." inside a description starts nothing
            last_number = int(m.group(1))
            starts.append(index)
            ends.append(index)
        elif ends:
            ends[-1] = index
    owner = [
        None if line.blank else _owner(index, starts, ends, body, continuing)
        for index, line in enumerate(body)
    ]
    for line in body:
        if line.blank:
            yield "blank", [line]
    rest = [line for index, line in enumerate(body) if owner[index] == -1]
    if rest:
        yield "rest", rest
    for row in range(len(starts)):
        yield "row", [line for index, line in enumerate(body) if owner[index] == row]
    orphans = [line for index, line in enumerate(body) if owner[index] is None and not line.blank]
    if orphans:  # text in the table before any meta number: a row of its own
        yield "row", orphans


def _owner(
    index: int, starts: list[int], ends: list[int], body: Sequence[_Line], continuing: bool
) -> int | None:
    """The row a line belongs to: the description it is in, else the nearest one; -1, the
    row the previous page cut, for a line above the first description when ``continuing``."""
    if not starts:
        return -1 if continuing else None
    for row, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if start <= index <= end:
            return row
    after = next((row for row, start in enumerate(starts) if start > index), None)
    if after is None:
        return len(starts) - 1
    if after == 0:
        return -1 if continuing else 0
    above, below = index - ends[after - 1], starts[after] - index
    if above != below:
        return after - 1 if above < below else after
    line = body[index]
    raise RejectedFile(
        f"line {line.number}: {' '.join(line.text.split())!r} lies halfway between two rows "
        f"of the metas table, so a layout dump cannot tell which it belongs to; load the PDF "
        f"itself"
    )
