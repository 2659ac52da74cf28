"""The metas table's column labels in a layout dump, each a block of words across the
header lines.

A label is found by its first word ("LINEA", "DESCRIPCIÓN", "UNIDAD", …) and takes the
words stacked under and beside it: a label's words need not be apart from its neighbour's
(a wide font sets "… Proyecto- UNIDAD DE MEDIDA" one space apart, and "O RELATIVO", the end
of "ACUMULAD" / "O", touches "OBSERVACIONE"), so words go to the label they overlap most,
never to two labels at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from poa_etl.extract.text.layout.page import PageLine, Word
from poa_etl.report.cells import fold
from poa_etl.report.columns import QUARTERS

SPANNING = {"PERIODO", *QUARTERS}  # labels over several columns: they go to the first
# First words of the table's column labels: one starts a label even one space after another.
_LABEL_STARTS = {"LINEA", "DESCRIPCION", "UNIDAD", "META", "AVANCE", "ACUMULADO", "OBSERVACIONES"}

Span = tuple[float, float]
Where = dict[tuple[int, int], float]  # (line number, word start) -> its label's middle


def label_blocks(header: Sequence[PageLine]) -> tuple[list[Span], Where]:
    """Where each column label stands across the page, left to right, and the middle of the
    label each word belongs to. A label is its first word and the words one space after it
    on its line; every other word goes to the label it overlaps most (touching counts), or
    else to the label of the word one space before it ("(Subprograma Gob. Y", its "Y"
    past the label's other lines), or else, on a line that a justified font spread out
    ("DESCRIPCIÓN    DE METAS"), to the label that starts before it on its line. Words
    that join no label make blocks of their own, stacked where they overlap."""
    labels: list[list[tuple[int, Word]]] = []  # each label's words, with their line number
    pieces: list[tuple[PageLine, list[Word]]] = []
    for line in header:
        for phrase in _phrases(line):
            if (
                all(is_spanning(w.text) for w in phrase)
                or all(fold(w.text) in ("P", "A") for w in phrase)
                or _is_tail(phrase, header)
            ):
                continue
            if _starts_label(phrase[0].text):
                labels.append([(line.number, w) for w in phrase])
            else:
                pieces.append((line, phrase))
    starts = [_span([w for _, w in label]) for label in labels]
    loose: list[list[tuple[int, Word]]] = []
    for line, phrase in pieces:
        before: int | None = None  # the label of the phrase's word before
        for word in phrase:
            overlaps = [min(word.x1, s[1]) - max(word.x0, s[0]) for s in starts]
            best = max(range(len(starts)), key=lambda i: overlaps[i], default=None)
            if best is None or overlaps[best] < 0:
                best = before if before is not None else _label_before(word, line, labels)
            if best is None:
                loose.append([(line.number, word)])
            else:
                labels[best].append((line.number, word))
            before = best
    blocks = labels + _stacked(loose)
    where: Where = {}
    spans = []
    for block in blocks:
        span = (min(w.x0 for _, w in block), max(w.x1 for _, w in block))
        spans.append((float(span[0]), float(span[1])))
        where.update({(number, w.x0): (span[0] + span[1]) / 2 for number, w in block})
    return sorted(spans), where


def overrun_labels(header: Sequence[PageLine]) -> tuple[int, str, str] | None:
    """Two labels whose first words stand over each other ("DESCRIPCIÓN DE METAS Y ACCIONES
    (Subprograma Gob. Y" reaching past where "UNIDAD DE" starts): a dump set at a pitch
    narrower than the font runs labels together. The second one's line, and both."""
    phrases = sorted(
        ((line.number, phrase) for line in header for phrase in _phrases(line)
         if _starts_label(phrase[0].text)),
        key=lambda found: found[1][0].x0,
    )  # fmt: skip
    for (_, a), (number, b) in itertools.pairwise(phrases):
        if b[0].x0 < a[-1].x1:
            return number, " ".join(w.text for w in a), " ".join(w.text for w in b)
    return None


def _label_before(word: Word, line: PageLine, labels: list[list[tuple[int, Word]]]) -> int | None:
    """The label whose first words stand before ``word`` on its line, nothing but label
    words between them (no period label, no P or A)."""
    before = [
        (label[0][1].x0, i) for i, label in enumerate(labels)
        if label[0][0] == line.number and label[0][1].x1 <= word.x0
    ]  # fmt: skip
    if not before:
        return None
    x0, best = max(before)
    between = [w for w in line.words if x0 < w.x0 < word.x0]
    if any(is_spanning(w.text) or fold(w.text) in ("P", "A") for w in between):
        return None
    return best


def _span(phrase: Sequence[Word]) -> Span:
    return (float(phrase[0].x0), float(phrase[-1].x1))


def _stacked(words: list[list[tuple[int, Word]]]) -> list[list[tuple[int, Word]]]:
    """Words that overlap across lines are one block."""
    blocks: list[list[tuple[int, Word]]] = []
    for group in sorted(words, key=lambda g: g[0][1].x0):
        if blocks and group[0][1].x0 < max(w.x1 for _, w in blocks[-1]):
            blocks[-1].extend(group)
        else:
            blocks.append(list(group))
    return blocks


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
