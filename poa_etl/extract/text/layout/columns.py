"""The metas table's columns in a layout dump: from its header labels and the gaps in
its text; and each word of a row put in its column."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from poa_etl.errors import RejectedFile
from poa_etl.extract.text.layout.labels import is_spanning, label_blocks
from poa_etl.extract.text.layout.page import META_START, PageLine, Word
from poa_etl.report.cells import fold

_CENTRED = 1.5  # a unit of measure's middle is this near its column's, in characters
_REACH = 4  # how far past its column a description's line may reach, in characters


def header_columns(
    header: Sequence[PageLine], body: Sequence[PageLine], crowded: bool = False
) -> tuple[list[float], list[tuple[str, ...]]]:
    """Where one column ends and the next begins, and the header lines' cells.

    Cuts fall halfway between neighbouring columns, each P and A letter a column, each
    label block another; between two label blocks, in the widest gap that the body's text
    leaves between them, when there is one: a label need not sit over its column's text.
    A label's words all go to its column; a quarter's name (whole, or broken "Oct-" /
    "Dic") to the P of the P and A pair it stands over — or, the letters ``crowded`` one
    space apart (so they stand under no name), of the pair in its order; PERIODO to the
    first column under it.
    """
    marks = period_letters(header)
    spans = [(float(w.x0), float(w.x1)) for w in marks]
    blocks, where = label_blocks(header)
    letters = set(spans)
    spans.extend(b for b in blocks if not any(s0 <= (b[0] + b[1]) / 2 <= s1 for s0, s1 in spans))
    spans.sort()
    covered = _covered(body)
    cuts = [
        (a[1] + b[0]) / 2 if a in letters or b in letters else _gap(a, b, covered)
        for a, b in itertools.pairwise(spans)
    ]
    quarters = _quarter_places(header, marks, crowded)
    cells = []
    for line in header:
        found: list[list[str]] = [[] for _ in range(len(cuts) + 1)]
        for word in line.words:
            x = where.get((line.number, word.x0))
            if x is None:
                x = quarters.get((line.number, word.x0))
            if x is None:
                x = word.x0 + 0.5 if is_spanning(word.text) else word.middle
            found[column_at(cuts, x)].append(word.text)
        cells.append(tuple(" ".join(cell) for cell in found))
    return cuts, cells


def period_letters(header: Sequence[PageLine]) -> list[Word]:
    marks = [w for w in header[-1].words if fold(w.text) in ("P", "A")]
    for line in header:
        found = [w for w in line.words if fold(w.text) in ("P", "A")]
        if len(found) >= 4:
            marks = found
    return marks


def _quarter_places(
    header: Sequence[PageLine], marks: Sequence[Word], crowded: bool
) -> dict[tuple[int, int], float]:
    """Each quarter name's words (pieces stacked across lines are one name) placed on the P
    of the P and A pair whose middle is nearest the name's middle; ``crowded``, the names
    (or pieces) of a line, as many as the pairs, each on the P of the pair in its order."""
    pairs = [
        (p, a) for p, a in itertools.pairwise(marks)
        if fold(p.text) == "P" and fold(a.text) == "A"
    ]  # fmt: skip
    names: list[list[tuple[int, Word]]] = []
    for line in header:
        for word in line.words:
            if not is_spanning(word.text) or fold(word.text) == "PERIODO":
                continue
            near = [
                n
                for n in names
                if word.x0 < max(w.x1 for _, w in n) and min(w.x0 for _, w in n) < word.x1
            ]
            if near and near[0][-1][0] != line.number:
                near[0].append((line.number, word))
            else:
                names.append([(line.number, word)])
    places = {}
    if crowded:
        for line in header:
            pieces = [w for w in line.words if is_spanning(w.text) and fold(w.text) != "PERIODO"]
            if len(pieces) == len(pairs):
                places.update(
                    {(line.number, w.x0): p.middle for w, (p, _) in zip(pieces, pairs, strict=True)}
                )
        return places
    for name in names:
        middle = (min(w.x0 for _, w in name) + max(w.x1 for _, w in name)) / 2
        if pairs:
            p = min(pairs, key=lambda pa: abs((pa[0].middle + pa[1].middle) / 2 - middle))[0]
            places.update({(number, w.x0): p.middle for number, w in name})
    return places


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
    return min(max((left[1] + right[0]) / 2, low), high)  # between the two labels' middles


def centers(cuts: list[float]) -> Iterator[float]:
    edges = [cuts[0] - 10.0, *cuts, cuts[-1] + 10.0] if cuts else [0.0, 1.0]
    for a, b in itertools.pairwise(edges):
        yield (a + b) / 2


def column_at(cuts: list[float], x: float) -> int:
    return sum(x >= cut for cut in cuts)


@dataclass(frozen=True)
class Grid:
    """The table's columns, and where its descriptions' lines start (they are left-aligned
    paragraphs). A description line is its words from that margin on, one space apart;
    what stands two spaces or more after it goes by the cuts. When a wide font sets the
    unit of measure one space after the description ("… EMITIDOS PROYECTO"), the two are
    told apart by where they stand: a unit of measure is centred in its column (``unit``,
    the middle of the units that stand apart), and no description line reaches past the
    longest that is certainly one (``reach``). Where both readings fit, the file is refused.
    """

    cuts: list[float]
    description: int
    margin: float | None
    unit: float | None = None
    reach: float | None = None

    @classmethod
    def of(cls, cuts: list[float], description: int, body: Sequence[PageLine]) -> Grid:
        """The margin is where the meta numbers start — if the descriptions are left-aligned
        (nearly every line starts there); else there is none, and the cuts alone decide.
        Lines whose columns were placed otherwise (at a pitch of their own) are not heeded."""
        body = [line for line in body if line.placed is None]
        firsts = []
        for line in body:
            words = [w for w in line.words if column_at(cuts, w.middle) == description]
            if words:
                firsts.append((words[0].x0, bool(META_START.match(words[0].text))))
        starts = [x for x, numbered in firsts if numbered]
        if not starts:
            return cls(cuts, description, None)
        _refuse_spread(body, cuts, description)
        margin = statistics.median(starts)
        aligned = sum(abs(x - margin) <= 2 for x, _ in firsts)
        if aligned < 0.8 * len(firsts):
            return cls(cuts, description, None)
        grid = cls(cuts, description, margin)
        runs, units = [], []
        for line in body:
            run, after = grid._split(line.words)
            unit = [w for w in after if column_at(cuts, w.middle) in (description, description + 1)]
            if unit and (not run or unit[0].x0 - run[-1].x1 > 1):
                units.extend(_middle(group) for group in _joined_groups(unit))
            if run and (not after or after[0].x0 - run[-1].x1 > 1):
                runs.append(run)
        unit = statistics.median(units) if units else None
        grid = cls(cuts, description, margin, unit)
        reach = max(
            (run[-1].x1 for run in runs if not grid._centred(run) and not grid._crosses(run)),
            default=None,
        )
        return cls(cuts, description, margin, unit, reach)

    def _centred(self, run: Sequence[Word]) -> list[int]:
        """How many last words of a run could be a unit of measure centred in its column."""
        if self.unit is None:
            return []
        unit = self.unit
        return [k for k in range(1, len(run)) if abs(_middle(run[-k:]) - unit) <= _CENTRED]

    def _crosses(self, run: Sequence[Word]) -> bool:
        """A word of the run stands past the cut after the description's column."""
        return any(column_at(self.cuts, w.middle) > self.description for w in run)

    def _split(self, words: Sequence[Word]) -> tuple[list[Word], list[Word]]:
        """A line's description run — from the margin, words one space apart — and the
        words after it."""
        if self.margin is None:
            return [], list(words)
        for i, word in enumerate(words):
            if (
                column_at(self.cuts, word.middle) == self.description
                and abs(word.x0 - self.margin) <= 2
            ):
                end = i + 1
                while end < len(words) and words[end].x0 - words[end - 1].x1 <= 1:
                    end += 1
                return list(words[i:end]), list(words[end:])
        return [], list(words)

    def columns(self, line: PageLine) -> list[int]:
        """The column of each of a line's words."""
        if line.placed is not None:
            return list(line.placed)
        words = line.words
        columns = [column_at(self.cuts, w.middle) for w in words]
        run, _ = self._split(words)
        if not run:
            if self.margin is None:
                return columns
            self._check_beside(line, [i for i, c in enumerate(columns) if c == self.description])
            return [c if c != self.description else c + 1 for c in columns]
        first = words.index(run[0])
        own = len(run) - self._unit_words(run, line)
        self._check_reach(line, run[:own])
        beside = []
        for i, column in enumerate(columns):
            if first <= i < first + own:
                columns[i] = self.description
            elif first + own <= i < first + len(run):
                columns[i] = self.description + 1
            elif column == self.description:
                columns[i] = self.description + 1  # beside a description, not part of it
                beside.append(i)
        self._check_beside(line, beside)
        return columns

    def _check_reach(self, line: PageLine, own: list[Word]) -> None:
        """A description's line keeps left of the unit of measure's column, give or take
        the few characters a dump's pitch moves it. One reaching further holds a word of
        the unit set one space after it ("… MEDIANTE ACTUALIZADO"): refused."""
        edge = self.cuts[self.description]
        if own and own[-1].x1 > edge + _REACH:
            raise RejectedFile(
                f"line {line.number}: {' '.join(w.text for w in own)!r} reaches column "
                f"{own[-1].x1:.0f}, past where the unit of measure's column begins ({edge:.0f}), "
                f"so a layout dump cannot tell the description's last words from the unit's; "
                f"load the PDF itself"
            )

    @staticmethod
    def _check_beside(line: PageLine, beside: list[int]) -> None:
        """Words under the description's heading but apart from its run go to the unit of
        measure, which is one run of words on a line. Runs apart from each other there are
        a description's words set apart (justified text, ``pdftotext -fixed`` at a fine
        pitch): giving them to the unit would load a wrong description and unit."""
        groups = [
            " ".join(w.text for w in g) for g in _joined_groups([line.words[i] for i in beside])
        ]
        if len(groups) > 1:
            raise RejectedFile(
                f"line {line.number}: {' / '.join(groups)!r} stand apart from each other "
                f"under the description's heading (as justified text, or `pdftotext -fixed` "
                f"at a fine pitch, sets a description's words), so a layout dump cannot tell "
                f"the description from the unit of measure; make the dump with `pdftotext "
                f"-layout`, or load the PDF itself"
            )

    def _unit_words(self, run: list[Word], line: PageLine) -> int:
        """How many of a description run's last words are the unit of measure set one space
        after it: none when the run keeps inside the description's column."""
        centred = self._centred(run)
        reach = self.reach if self.reach is not None else -1.0
        fits = run[-1].x1 <= reach + 1  # the whole run could be the description
        if not centred and fits:
            return 0
        if len(centred) == 1 and not fits:
            return centred[0]
        raise RejectedFile(
            f"line {line.number}: in {' '.join(w.text for w in run)!r} a layout dump cannot "
            f"tell where the description ends and the unit of measure begins (descriptions "
            f"reach column {reach:.0f}, units are centred on column {self.unit or 0:.0f}); "
            f"load the PDF itself"
        )


def _refuse_spread(body: Sequence[PageLine], cuts: list[float], description: int) -> None:
    """A dump that spread a description's words apart (``-fixed`` at a pitch narrower than
    the font: "SEGUIMIENTO       AL    GASTO") sets them as far apart as a description from
    its unit of measure, so no gap tells where the one ends: refused."""
    gaps = [
        (b.x0 - a.x1, line)
        for line in body
        for a, b in itertools.pairwise(line.words)
        if column_at(cuts, a.middle) == column_at(cuts, b.middle) == description
    ]
    if gaps and statistics.median(g for g, _ in gaps) >= 3:
        gap, line = max(gaps, key=lambda g: g[0])
        raise RejectedFile(
            f"line {line.number}: the words of the descriptions stand {gap} spaces apart "
            f"(the dump spread them out, as pdftotext -fixed does with a font wider than its "
            f"pitch), as far apart as a description and its unit of measure, so a layout "
            f"dump cannot tell them apart; make the dump with `pdftotext -layout`, or load "
            f"the PDF itself"
        )


def _middle(words: Sequence[Word]) -> float:
    return (words[0].x0 + words[-1].x1) / 2


def _joined_groups(words: Sequence[Word]) -> Iterator[list[Word]]:
    """Words in runs one space apart."""
    group: list[Word] = []
    for word in words:
        if group and word.x0 - group[-1].x1 > 1:
            yield group
            group = []
        group.append(word)
    if group:
        yield group


def row_cells(lines: Sequence[PageLine], grid: Grid) -> tuple[str, ...]:
    """A row's cells: each column's words line by line; a hyphen ending a line is kept
    against the next word ("E-" + "MARKETING")."""
    found: list[str] = ["" for _ in range(len(grid.cuts) + 1)]
    for line in lines:
        words = line.words
        per_column: dict[int, list[str]] = {}
        for column, word in zip(grid.columns(line), words, strict=True):
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
