"""A layout dump's lines outside the metas table: the header block and the signature block.

Outside the table a line's cells are its runs of text between two spaces or more. A cell
that wraps onto the next line is read whole: a header field's label ("UNIDAD" /
"EJECUTORA") or name, and a signature's title or name — each signature row of the sheet
is a band of lines with no blank between them, and each of its cells the text that stands
in one place across them.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence

from poa_etl.extract.grid import Record
from poa_etl.extract.lines import POA_TITLE, Line, is_table_start, signature_role
from poa_etl.extract.text.layout.fields import label_end, label_rest, split_glued_code
from poa_etl.extract.text.layout.page import PageLine
from poa_etl.report.cells import CODE_RE, fold
from poa_etl.report.form import Location

CELL_GAP = re.compile(r" {2,}")
_CELL = re.compile(r"\S+(?: \S+)*")  # text between wide gaps
# "UNIDAD EJECUTORA 58102 GERENCIA ADMINISTRATIVA": label, code and name one space apart.
_LABEL_AND_CODE = re.compile(r"([^\d\s][^\d]*?)\s(\d+(?:\.\d+)*)(?:\s(\D.*))?")

Cell = tuple[int, int, str]  # where a cell starts and ends across the page, and its text


def record(file: str, line: PageLine) -> Record:
    """A line outside the table: cells between wide gaps; an indented line starts blank
    (no label), as a tab dump's continuation line does. A header field's label is one
    cell however its words are spaced, its code one more even when glued to it."""
    cells, positions = [], []
    stripped = line.text.lstrip()
    start = len(line.text) - len(stripped)
    if start >= 2 and stripped:
        cells.append("")
        positions.append(0.0)
    elif stripped and (end := label_end(stripped)) is not None:
        cells.append(" ".join(stripped[:end].split()))
        positions.append(start + end / 2)
        start += end
    parts = [(m.start(), m.group()) for m in _CELL.finditer(line.text, start)]
    for number, (at, part) in enumerate(parts):
        pieces = [part]
        if number == 0 and not cells and (m := _LABEL_AND_CODE.fullmatch(part)):
            pieces = [g for g in m.groups() if g]
        elif number == 0:
            pieces = split_glued_code(part)
        for piece in pieces:
            cells.append(piece)
            positions.append(at + part.index(piece) + len(piece) / 2)
    return Record(tuple(cells), Location(file, line=line.number), tuple(positions))


def wrapped_label(file: str, lines: Sequence[PageLine], index: int) -> Record | None:
    """A header field whose label wraps onto the next line ("UNIDAD" / "EJECUTORA", the
    value beside either): one record of the two lines, the label whole."""
    if index + 1 >= len(lines) or lines[index].text[:1] in ("", " "):
        return None
    first, second = record(file, lines[index]), record(file, lines[index + 1])
    begun = first.cells[0].split()
    rest = label_rest(begun) if begun else None
    if not rest or not second.cells or second.cells[0].split() != rest:
        return None
    return Record(
        (" ".join(begun + rest), *first.cells[1:], *second.cells[1:]),
        first.location,
        (first.position(0), *(first.positions or ())[1:], *(second.positions or ())[1:]),
        lines=2,
    )


def cells(line: PageLine, wide: int = 2) -> list[Cell]:
    """A line's cells: its runs of words between ``wide`` spaces or more."""
    found: list[Cell] = []
    for word in line.words:
        if found and word.x0 - found[-1][1] < wide:
            x0, _, text = found[-1]
            found[-1] = (x0, word.x1, f"{text} {word.text}")
        else:
            found.append((word.x0, word.x1, word.text))
    return found


def _cell_gap(lines: Sequence[PageLine]) -> int:
    """Two spaces part cells — or, in a block that ``-fixed`` spread out (its words three
    spaces apart or more, as a wide font at a fixed pitch comes out), twice the usual gap."""
    gaps = [b.x0 - a.x1 for line in lines for a, b in itertools.pairwise(line.words)]
    usual = statistics.median(gaps) if gaps else 1
    return max(2, round(2 * usual)) if usual >= 3 else 2


def continues_name(previous: PageLine, line: PageLine) -> bool:
    """A header value's name wrapped onto the next line: a line of words only, no code,
    starting where the name above starts, under a line that has a code and then a name."""
    above, here = cells(previous), cells(line)
    if len(here) != 1 or len(above) < 2 or line.text[:1] != " ":
        return False
    code, name = above[-2][2], above[-1]
    return (
        bool(CODE_RE.fullmatch(code.split()[-1]))
        and abs(here[0][0] - name[0]) <= 1
        and not here[0][2][:1].isdigit()
    )


def block_end(lines: Sequence[PageLine], start: int) -> int:
    """Where the signature block ends: at the next report's title or table, or the end."""
    for index in range(start, len(lines)):
        text = fold(lines[index].text)
        chunks = tuple(CELL_GAP.split(lines[index].text.strip()))
        if (
            POA_TITLE.search(text)
            or "AYUNTAMIENTO" in text
            or is_table_start(Line(chunks, Location("")))
        ):
            return index
    return len(lines)


def signature_block(file: str, lines: Sequence[PageLine]) -> list[Record]:
    """The records of the signature block: a blank line, a line of roles alone, and each
    row of signatures side by side (``_rows``)."""
    records: list[Record] = []
    band: list[PageLine] = []
    wide = _cell_gap(lines)
    for line in [*lines, None]:
        roles = line is not None and all(signature_role(t) for _, _, t in cells(line, wide))
        if band and (line is None or line.blank or roles):
            records.extend(_rows(file, band, wide))
            band = []
        if line is None:
            break
        if line.blank or roles:
            records.append(record(file, line))
        else:
            band.append(line)
    return records


def _rows(file: str, band: Sequence[PageLine], wide: int) -> list[Record]:
    """A band of lines with no blank between them, as rows of signatures side by side. A
    line goes onto the row above, each cell onto the cell it overlaps (the rest of a title
    or name that wrapped); a line with a cell for each of the row's, falling on them, or
    of several cells under a row already as wide as the band's widest line, starts the
    next row (names right under their titles, or squeezed to the left). A band of single
    cells is a record per line, as printed."""
    if all(len(cells(line, wide)) <= 1 for line in band):
        return [record(file, line) for line in band]
    rows: list[tuple[list[PageLine], list[list]]] = []  # lines, cells as [x0, x1, texts]
    widest = max(len(cells(line, wide)) for line in band)
    for line in band:
        found = cells(line, wide)
        row = rows[-1][1] if rows else None
        overlaps = [[c for c in row or [] if x0 < c[1] and c[0] < x1] for x0, x1, _ in found]
        full = row is not None and len(found) >= max(2, len(row)) and any(overlaps)
        if row is None or full or (len(found) >= 2 and len(row) >= widest):
            rows.append(([line], [[x0, x1, [text]] for x0, x1, text in found]))
            continue
        rows[-1][0].append(line)
        for (x0, x1, text), over in zip(found, overlaps, strict=True):
            if len(over) == 1:
                over[0][0], over[0][1] = min(over[0][0], x0), max(over[0][1], x1)
                over[0][2].append(text)
            else:
                row.append([x0, x1, [text]])
    return [
        Record(
            tuple(" ".join(c[2]) for c in sorted(found, key=lambda c: c[0])),
            Location(file, line=lines[0].number),
            tuple((c[0] + c[1]) / 2 for c in sorted(found, key=lambda c: c[0])),
            lines=len(lines),
        )
        for lines, found in rows
    ]
