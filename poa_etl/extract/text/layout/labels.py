"""The metas table's column labels in a layout dump, each a block of words across the
header lines.

A label is found by its first word ("LINEA", "DESCRIPCIÓN", "UNIDAD", …) and takes the
words stacked under and beside it: a label's words need not be apart from its neighbour's
(a wide font sets "… Proyecto- UNIDAD DE MEDIDA" one space apart, and "O RELATIVO", the end
of "ACUMULAD" / "O", touches "OBSERVACIONE"), so words go to the label they overlap most,
never to two labels at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from poa_etl.extract.text.layout.page import PageLine, Word
from poa_etl.report.cells import fold
from poa_etl.report.columns import QUARTERS

SPANNING = {"PERIODO", *QUARTERS}  # labels over several columns: they go to the first
# First words of the table's column labels: one starts a label even one space after another.
_LABEL_STARTS = {"LINEA", "DESCRIPCION", "UNIDAD", "META", "AVANCE", "ACUMULADO", "OBSERVACIONES"}

Span = tuple[float, float]


def label_blocks(header: Sequence[PageLine]) -> list[Span]:
    """Where each column label stands across the page, left to right: from its first word
    on, the words one space apart on its line, and every other word it overlaps most.
    Words under no label's first word make blocks of their own, stacked where they overlap."""
    phrases = [
        phrase
        for line in header
        for phrase in _phrases(line)
        if not all(is_spanning(w.text) for w in phrase)
        and not all(fold(w.text) in ("P", "A") for w in phrase)
        and not _is_tail(phrase, header)
    ]
    starts = [_span(p) for p in phrases if _starts_label(p[0].text)]
    labels = list(starts)
    loose: list[Span] = []
    for word in (w for p in phrases if not _starts_label(p[0].text) for w in p):
        span = (float(word.x0), float(word.x1))
        overlaps = [min(span[1], label[1]) - max(span[0], label[0]) for label in starts]
        best = max(range(len(starts)), key=lambda i: overlaps[i], default=None)
        if best is None or overlaps[best] < 0:  # touching is under it
            loose.append(span)
        else:
            labels[best] = (min(labels[best][0], span[0]), max(labels[best][1], span[1]))
    return sorted(labels + _stacked(loose))


def _span(phrase: Sequence[Word]) -> Span:
    return (float(phrase[0].x0), float(phrase[-1].x1))


def _stacked(spans: list[Span]) -> list[Span]:
    """Pieces that overlap across lines are one block."""
    blocks: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if blocks and x0 < blocks[-1][1]:
            blocks[-1][1] = max(blocks[-1][1], x1)
        else:
            blocks.append([x0, x1])
    return [(a, b) for a, b in blocks]


def _phrases(line: PageLine) -> Iterator[list[Word]]:
    """The line's words in runs one space apart, split where a label starts."""
    phrase: list[Word] = []
    for word in line.words:
        if phrase and (
            word.x0 - phrase[-1].x1 > 1
            or _starts_label(word.text)
            or is_spanning(word.text) != is_spanning(phrase[-1].text)
        ):
            yield phrase
            phrase = []
        phrase.append(word)
    if phrase:
        yield phrase


def is_spanning(text: str) -> bool:
    """PERIODO, a quarter, or a piece of a quarter broken in its cell ("Ene-" / "Mar"):
    a label over several columns."""
    folded = fold(text)
    return folded in SPANNING or any(
        len(folded) >= 3 and (q.startswith(folded) or q.endswith(folded)) for q in QUARTERS
    )


def _starts_label(text: str) -> bool:
    """A column label's first word, or the part of it that fits its cell ("OBSERVACIONE")."""
    folded = fold(text)
    return len(folded) >= 4 and any(start.startswith(folded) for start in _LABEL_STARTS)


def _is_tail(phrase: list[Word], header: Sequence[PageLine]) -> bool:
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
