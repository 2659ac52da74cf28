"""The signature block, whatever its layout, from records of positioned cells.

Published layouts: one line per item — title/name pairs alone, each pair preceded by its
role (ELABORÓ, REVISÓ, AUTORIZÓ), or all roles first, then the pairs; and side by side —
a line of roles (when printed), one of titles, one of names, each signature a column.
Side by side, each column is read as a block of its own: a line with a cell for every
column gives them in order, others go to the nearest column.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from poa_etl.extract.lines import signature_role
from poa_etl.report.form import Location, SignatureEntry

if TYPE_CHECKING:
    from poa_etl.extract.grid import Record

Item = tuple[str, Location]  # the text of one cell, and where it was read


def read_signatures(records: Sequence[Record]) -> list[SignatureEntry]:
    """Signatures in reading order; a title without a name under it has name None."""
    cells = [
        [(r.position(i), " ".join(c.split()), r.location) for i, c in enumerate(r.cells)
         if c.strip()]
        for r in records
    ]  # fmt: skip
    widest = max(cells, key=len, default=[])
    if len(widest) <= 1:
        return list(_pairs([(text, where) for line in cells for _, text, where in line]))
    anchors = [position for position, _, _ in widest]
    columns: list[list[Item]] = [[] for _ in anchors]
    for line in cells:
        for order, (position, text, where) in enumerate(line):
            # A full line goes in order (a dump may squeeze it to the left); others by place.
            nearest = min(range(len(anchors)), key=lambda i: abs(anchors[i] - position))
            columns[order if len(line) == len(anchors) else nearest].append((text, where))
    return [entry for column in columns for entry in _pairs(column)]


def _pairs(items: Sequence[Item]) -> Iterator[SignatureEntry]:
    """A block read top to bottom: roles go to the title/name pairs in order."""
    roles = [role for text, _ in items if (role := signature_role(text))]
    others = [item for item in items if not signature_role(item[0])]
    for position in range(0, len(others), 2):
        title, where = others[position]
        name = others[position + 1][0] if position + 1 < len(others) else None
        pair = position // 2
        role = roles[pair] if pair < len(roles) else None
        yield SignatureEntry(role=role, title=title, name=name, location=where)
