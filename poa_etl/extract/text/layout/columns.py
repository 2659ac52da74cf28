"""The metas table's columns in a layout dump: from its header labels and the gaps in
its text; and each word of a row put in its column."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from poa_etl.extract.text.layout.page import META_START, PageLine, Word
from poa_etl.report.cells import fold
from poa_etl.report.columns import QUARTERS

SPANNING = {"PERIODO", *QUARTERS}  # labels over several columns: they go to the first
# First words of the table's column labels: one starts a label even one space after another
# label ("… Proyecto- UNIDAD DE MEDIDA" when the font is wide).
_LABEL_STARTS = {"LINEA", "DESCRIPCION", "UNIDAD", "META", "AVANCE", "ACUMULADO", "OBSERVACIONES"}


def cuts_of(header: Sequence[PageLine], body: Sequence[PageLine]) -> list[float]:
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
        if not all(_is_spanning(w.text) for w in phrase)
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


def _covered(body: Sequence[PageLine]) -> set[int]:
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


def _phrases(line: PageLine, header: Sequence[PageLine]) -> Iterator[list[Word]]:
    """The line's words in runs one space apart, split where two words each stand over a
    column of their own: "AVANCE ACUMULADO" over "ABSOLUTO RELATIVO" is two labels."""
    others = [w for other in header if other is not line for w in other.words]
    phrase: list[Word] = []
    for word in line.words:
        if phrase and (
            word.x0 - phrase[-1].x1 > 1
            or _starts_label(word.text)
            or _is_spanning(word.text) != _is_spanning(phrase[-1].text)
            or _apart(phrase[-1], word, others)
        ):
            yield phrase
            phrase = []
        phrase.append(word)
    if phrase:
        yield phrase


def _is_spanning(text: str) -> bool:
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


def _apart(left: Word, right: Word, others: Iterable[Word]) -> bool:
    def over(a: Word, b: Word) -> bool:
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


def centers(cuts: list[float]) -> Iterator[float]:
    edges = [cuts[0] - 10.0, *cuts, cuts[-1] + 10.0] if cuts else [0.0, 1.0]
    for a, b in itertools.pairwise(edges):
        yield (a + b) / 2


def column_at(cuts: list[float], x: float) -> int:
    return sum(x >= cut for cut in cuts)


@dataclass(frozen=True)
class Grid:
    """The table's columns, and where its descriptions' lines start (they are left-aligned
    paragraphs). Text beside a description that the cuts alone would misplace — a unit of
    measure reaching left of its label, a description's last word past the cut — is put
    back by that: a description line starts at the margin, its words a space apart."""

    cuts: list[float]
    description: int
    margin: float | None

    @classmethod
    def of(cls, cuts: list[float], description: int, body: Sequence[PageLine]) -> Grid:
        """The margin is where the meta numbers start — if the descriptions are left-aligned
        (nearly every line starts there); else there is none, and the cuts alone decide."""
        firsts = []
        for line in body:
            words = [w for w in line.words if column_at(cuts, w.middle) == description]
            if words:
                firsts.append((words[0].x0, bool(META_START.match(words[0].text))))
        starts = [x for x, numbered in firsts if numbered]
        if not starts:
            return cls(cuts, description, None)
        margin = statistics.median(starts)
        aligned = sum(abs(x - margin) <= 2 for x, _ in firsts)
        return cls(cuts, description, margin if aligned >= 0.8 * len(firsts) else None)

    def columns(self, words: Sequence[Word]) -> list[int]:
        """The column of each of a line's words."""
        columns = [column_at(self.cuts, w.middle) for w in words]
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


def cells_of(words: Iterable[Word], cuts: list[float], spanning: bool = False) -> tuple[str, ...]:
    found: list[list[str]] = [[] for _ in range(len(cuts) + 1)]
    for word in words:
        x = word.x0 + 0.5 if spanning and _is_spanning(word.text) else word.middle
        found[column_at(cuts, x)].append(word.text)
    return tuple(" ".join(cell) for cell in found)


def row_cells(lines: Sequence[PageLine], grid: Grid) -> tuple[str, ...]:
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
