"""The signature block of a PDF: signatures printed side by side.

A line of roles (ELABORÓ, REVISÓ, AUTORIZÓ; not always printed), a line of titles and a
line of names, each signature in its own column: each title takes the role and the name
printed nearest above and below its centre.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from poa_etl.extract.lines import signature_role
from poa_etl.extract.pdf.lines import PageLine
from poa_etl.report.form import SignatureEntry


def is_roles_line(pl: PageLine) -> bool:
    return all(signature_role(c) for c in pl.line.cells)


def signatures(lines: Sequence[PageLine]) -> Iterator[SignatureEntry]:
    """Signatures side by side: a line of roles (if printed), one of titles, one of names."""
    roles = [
        ((x0 + x1) / 2, role)
        for pl in lines
        if is_roles_line(pl)
        for cell, (x0, x1) in zip(pl.line.cells, pl.spans, strict=True)
        if (role := signature_role(cell))
    ]
    others = [pl for pl in lines if not is_roles_line(pl)]
    for titles, names in itertools.zip_longest(others[::2], others[1::2]):
        for cell, span in zip(titles.line.cells, titles.spans, strict=True):
            center = (span[0] + span[1]) / 2
            yield SignatureEntry(
                role=_nearest(roles, center),
                title=cell,
                name=_nearest(list(_centered(names)), center) if names else None,
                location=titles.line.location,
            )


def _centered(pl: PageLine) -> Iterator[tuple[float, str]]:
    for cell, (x0, x1) in zip(pl.line.cells, pl.spans, strict=True):
        yield (x0 + x1) / 2, cell


def _nearest(options: list[tuple[float, str]], center: float) -> str | None:
    return min(options, key=lambda o: abs(o[0] - center))[1] if options else None
