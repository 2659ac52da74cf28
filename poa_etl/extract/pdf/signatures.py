"""The signature block of a PDF: signatures printed side by side, in columns.

Each signature is a column: its role (ELABORÓ, REVISÓ, AUTORIZÓ; not always printed),
its title, and below it, after the space left to sign, the name. A title or a name too
long for its column wraps onto lines of its own, at a single line's pitch; the space to
sign is wider than that, and so is what separates one signature row from the next.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from poa_etl.extract.lines import signature_role
from poa_etl.extract.pdf.lines import WRAP_PITCH, PageLine, Span, join_text
from poa_etl.report.form import SignatureEntry


@dataclass(frozen=True)
class _Cell:
    text: str
    span: Span
    line: PageLine

    @property
    def center(self) -> float:
        return (self.span[0] + self.span[1]) / 2


def is_roles_line(pl: PageLine) -> bool:
    return all(signature_role(c) for c in pl.line.cells)


def signatures(lines: Sequence[PageLine]) -> Iterator[SignatureEntry]:
    """The signatures, row by row and left to right."""
    roles = [c for pl in lines if is_roles_line(pl) for c in _cells(pl)]
    others = [pl for pl in lines if not is_roles_line(pl)]
    columns = _columns(others)
    stacks: list[list[list[_Cell]]] = [[] for _ in columns]  # per column, its text blocks
    for cell in (c for pl in others for c in _cells(pl)):
        blocks = stacks[_column_of(cell.center, columns)]
        if blocks and _wraps(blocks[-1][-1], cell):
            blocks[-1].append(cell)
        else:
            blocks.append([cell])
    pairs = [list(itertools.zip_longest(blocks[::2], blocks[1::2])) for blocks in stacks]
    for row in range(max((len(p) for p in pairs), default=0)):
        for column in pairs:
            if row < len(column):
                title, name = column[row]
                yield SignatureEntry(
                    role=_role(roles, title[0]),
                    title=_text(title),
                    name=_text(name) if name else None,
                    location=title[0].line.line.location,
                )


def _cells(pl: PageLine) -> Iterator[_Cell]:
    for text, span in zip(pl.line.cells, pl.spans, strict=True):
        yield _Cell(text, span, pl)


def _columns(lines: Sequence[PageLine]) -> list[Span]:
    """The signature columns: the extents of the cells, overlapping ones merged."""
    spans = sorted(span for pl in lines for span in pl.spans)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return [(x0, x1) for x0, x1 in columns] or [(float("-inf"), float("inf"))]


def _column_of(x: float, columns: Sequence[Span]) -> int:
    """The column whose extent holds ``x``, else the nearest."""
    return min(
        range(len(columns)),
        key=lambda i: max(columns[i][0] - x, x - columns[i][1], 0.0),
    )


def _wraps(above: _Cell, below: _Cell) -> bool:
    """Whether ``below`` is the next line of ``above``'s text (not a new block)."""
    size = min(w.size for w in (*above.line.words, *below.line.words))
    return (
        above.line.page == below.line.page
        and below.line.middle - above.line.middle <= WRAP_PITCH * size
    )


def _text(block: list[_Cell]) -> str:
    text = ""
    for cell in block:
        text = join_text(text, cell.text)
    return text


def _role(roles: Sequence[_Cell], title: _Cell) -> str | None:
    """The role printed nearest above the title's centre, on the closest line above it."""
    above = [
        r for r in roles if (r.line.page, r.line.middle) < (title.line.page, title.line.middle)
    ]
    if not above:
        return None
    nearest_line = max((r.line.page, r.line.middle) for r in above)
    candidates = [r for r in above if (r.line.page, r.line.middle) == nearest_line]
    return signature_role(min(candidates, key=lambda r: abs(r.center - title.center)).text)
