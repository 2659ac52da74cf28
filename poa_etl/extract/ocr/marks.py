"""A check of a read against the ink, independent of the engine: the small marks, the
letters and the spaces that OCR engines drop or invent while their reads still agree.

Measured on the committed scans, two reads of Tesseract agreed on ``INFORMACION`` where
the page prints ``INFORMACIÓN``, ``ORGANO`` for ``ÓRGANO`` (the accent blurred onto its
letter), ``PERSONALES`` for ``PERSONALES.``, ``ATRAVÉS`` for ``A TRAVÉS`` (the word's box
around ``TRAVÉS`` alone) and ``FORMACION, CAPACITACION`` for ``FORMACION,CAPACITACION``
(the comma outside the first word's box, so the boxes were a space apart). So, for each
word in capitals, the marks the image shows above its letters (accents apart, or rising
from their letter) and on its baseline (periods, commas) are counted and must be as many
as its text has; and along each line, measured on the ink and not between the engine's
boxes, every letter must lie in some word, each two words must be a space apart, and no
gap inside a word may be as wide as a space between them. Measures are fractions of the
capitals' height.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from typing import NamedTuple

import cv2
import numpy as np

from poa_etl.extract.ocr.engine import WordRead

ACCENTS = {**dict.fromkeys("ÁÉÍÓÚÑ", 1), "Ü": 2}
BASELINE_MARKS = set(".,;:")
UNCHECKED = set("%'\"°*()/")  # words with marks whose parts this count does not model
LETTER = 0.55  # of the tallest component near a word: taller ones are its letters
ACCENT_LOW, ACCENT_HIGH = -0.25, 0.1  # where an accent's bottom lies, from the capitals' top
RISE = 0.13  # a letter's ink rising this far above the capitals' line is an accent on it...
RISEN_WIDTH = 2  # ... if at least this many columns wide (pixels), and at most MARK
INK_AFTER = 2  # pixels read past a letter found after a line's last word
CAP_LINE = 20  # percentile of a word's letters' column tops that is the capitals' line
LOW_MIDDLE = 1.3  # a baseline mark's middle is at most this far below the capitals' top
DARK = 200  # grey level below which a pixel is ink (a blurred accent is light)...
PAPER_MARGIN = 40  # ... and at least this much darker than the region's paper
JOINERS = {"-", ".-", "-."}  # marks printed as words of their own: '300. - INCREMENTAR'

SPECK = 0.01  # of the capital height squared: a smaller box is noise, not a mark
MARK = 0.5  # a mark (accent, period, comma) is at most this high and wide
BASELINE = 0.55  # a baseline mark's top is at least this far below the capitals' top
SPACE = 0.33  # a gap this wide between letters is a space...
NO_SPACE = 0.2  # ... and two words closer than this are not two


class _Box(NamedTuple):
    x0: int
    y0: int
    x1: int
    y1: int


class Doubt(NamedTuple):
    """What the ink says a read got wrong. ``word``: the word it is about (its index);
    ``start`` and ``reach``: the span (region pixels) to read it again from, by default
    from its box's left to as far right as its marks were looked for; ``join``: the ink
    shows no space between the word and the next, so they are one."""

    reason: str
    word: int | None = None
    reach: int | None = None
    start: int | None = None
    join: bool = False


class _Ink(NamedTuple):
    mask: np.ndarray
    labels: np.ndarray  # connected components; part i is label i + 1
    parts: list[_Box]


def doubt(gray: np.ndarray, words: Sequence[WordRead], dx: int, dy: int) -> Doubt | None:
    """What the ink says the read got wrong, or None. ``gray``: the region; ``words``: the
    read, its boxes (dx, dy) pixels off the region's origin."""
    found = _ink(gray)
    for word in words:
        if not any(c.isalnum() for c in word.text) and word.text not in JOINERS:
            return Doubt(
                f"read {word.text!r}, a mark with no letter or digit (a smudge, a rule's remnant?)"
            )
    checked: list[tuple[float, float] | None] = []
    for index, word in enumerate(words):
        if not _checkable(word.text):
            checked.append(None)
            continue
        box = _box(word, dx, dy)
        reach = _reach(words, index, dx, dy)
        measured = _word_marks(found, box, word.text, reach)
        if isinstance(measured, str):
            return Doubt(measured, index, reach)
        checked.append(measured)
    for line in _lines(words):
        if line_doubt := _spacing(found, words, line, checked, dx, dy):
            return line_doubt
    return None


def ink(gray: np.ndarray) -> np.ndarray:
    """Where a region has ink (1), a light blurred mark included: darker than ``DARK`` and
    than the region's paper by ``PAPER_MARGIN``."""
    level = min(DARK, float(np.median(gray)) - PAPER_MARGIN)
    return (gray < level).astype(np.uint8)


def spans(gray: np.ndarray, count: int) -> list[tuple[int, int]] | None:
    """Where ``count`` words lie across a region holding one line of them: its ink split
    at its ``count - 1`` widest gaps (None if it has fewer). The engine's boxes can leave a
    word's first letter out; whether these gaps are the spaces, the line's check says."""
    inked = np.flatnonzero(ink(gray).any(axis=0))
    if not len(inked):
        return None
    breaks = np.flatnonzero(np.diff(inked) > 1)
    if len(breaks) < count - 1:
        return None
    widest = sorted(breaks[np.argsort(np.diff(inked)[breaks], kind="stable")[::-1][: count - 1]])
    starts = [int(inked[0]), *(int(inked[b + 1]) for b in widest)]
    ends = [*(int(inked[b]) + 1 for b in widest), int(inked[-1]) + 1]
    return list(zip(starts, ends, strict=True))


def _ink(gray: np.ndarray) -> _Ink:
    mask = ink(gray)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    parts = [_Box(x, y, x + w, y + h) for x, y, w, h, _area in stats[1:count]]
    return _Ink(mask, labels, parts)


def _box(word: WordRead, dx: int, dy: int) -> _Box:
    return _Box(word.x0 - dx, word.y0 - dy, word.x1 - dx, word.y1 - dy)


def _reach(words: Sequence[WordRead], index: int, dx: int, dy: int) -> int:
    """How far right of a word a mark the read left out may lie: up to the next word."""
    box = _box(words[index], dx, dy)
    after = words[index + 1] if index + 1 < len(words) else None
    if after is not None and _same_line(words[index], after):
        return max(after.x0 - dx, box.x1)
    return box.x1 + (box.y1 - box.y0) // 2


def _same_line(left: WordRead, right: WordRead) -> bool:
    return right.y0 < left.y1 and left.y0 < right.y1 and right.x0 > left.x0


def _lines(words: Sequence[WordRead]) -> list[list[int]]:
    """The words' indices, line by line (a read lists each line's words left to right)."""
    lines: list[list[int]] = []
    for index, word in enumerate(words):
        if lines and _same_line(words[lines[-1][-1]], word):
            lines[-1].append(index)
        else:
            lines.append([index])
    return lines


def _checkable(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and not any(c.islower() or c in UNCHECKED for c in text)


class _Run(NamedTuple):
    """Ink along a line with no gap: ``letter`` when some of it is as tall as a letter,
    ``side`` when it touches the region's side (maybe a neighbour's, cut)."""

    x0: int
    x1: int
    letter: bool
    side: bool


def _spacing(
    found: _Ink,
    words: Sequence[WordRead],
    line: list[int],
    checked: Sequence[tuple[float, float] | None],
    dx: int,
    dy: int,
) -> Doubt | None:
    """The words of one line against its ink: every letter in some word's box, a gap as
    wide as a space between each two words, and no gap inside a word as wide as the
    narrowest of those. Gaps are measured on the ink, not between the engine's boxes: a
    box can leave out a word's comma, or a letter, and its neighbour then seems a space
    away ('FORMACION, CAPACITACION' read for 'FORMACION,CAPACITACION', 'ATRAVÉS' with its
    box around 'TRAVÉS'). A line with no word in capitals is not measured."""
    measured = [m for m in (checked[i] for i in line) if m is not None]
    if not measured:
        return None
    top = statistics.median(m[0] for m in measured)
    cap = statistics.median(m[1] for m in measured)
    boxes = [_box(words[i], dx, dy) for i in line]
    runs = _ink_runs(found, top, cap)
    for run in runs:
        if run.letter and not run.side and not any(b.x0 < run.x1 and run.x0 < b.x1 for b in boxes):
            return _unaccounted(words, line, boxes, run, dx, dy)
    gaps = [(a.x1, b.x0) for a, b in itertools.pairwise(runs)]
    spaces = []
    for k, (left, right) in enumerate(itertools.pairwise(boxes)):
        between = [g for g in gaps if left.x0 + left.x1 < g[0] + g[1] < right.x0 + right.x1]
        space = max(between, key=lambda g: g[1] - g[0], default=None)
        if space is None or space[1] - space[0] < NO_SPACE * cap:
            return Doubt(
                f"read {words[line[k]].text!r} and {words[line[k + 1]].text!r} as two words, "
                f"but the image shows no space between them",
                line[k],
                join=True,
            )
        spaces.append(space)
    inside = [b - a for a, b in gaps if (a, b) not in spaces and boxes[0].x0 <= a < boxes[-1].x1]
    for k, (a, b) in enumerate(spaces):
        if b - a <= max(inside, default=0):
            return Doubt(
                f"read {words[line[k]].text!r} and {words[line[k + 1]].text!r} as two words, "
                f"but the gap between them is no wider than one between letters of a word"
            )
    return None


def _ink_runs(found: _Ink, top: float, cap: float) -> list[_Run]:
    """The ink of the line whose capitals' top is ``top``, left to right, in runs: letters,
    periods and commas (accents above, the next line's below and specks left out)."""
    width = found.mask.shape[1]
    runs: list[_Run] = []
    for p in sorted(found.parts, key=lambda p: p.x0):
        if not (top <= (p.y0 + p.y1) / 2 and p.y0 < top + cap):
            continue
        if (p.x1 - p.x0) * (p.y1 - p.y0) < SPECK * cap * cap:
            continue
        letter, side = p.y1 - p.y0 >= LETTER * cap, p.x0 == 0 or p.x1 == width
        if runs and p.x0 <= runs[-1].x1:
            last = runs[-1]
            runs[-1] = _Run(last.x0, max(last.x1, p.x1), last.letter or letter, last.side or side)
        else:
            runs.append(_Run(p.x0, p.x1, letter, side))
    return runs


def _unaccounted(
    words: Sequence[WordRead], line: list[int], boxes: list[_Box], run: _Run, dx: int, dy: int
) -> Doubt:
    """A letter in no word's box: the word after it (or the line's last) is to be read
    again from the letter on."""
    after = next((k for k, box in enumerate(boxes) if box.x0 >= run.x1), None)
    if after is None:
        last = line[-1]
        return Doubt(
            f"read {words[last].text!r}, but the image shows a letter after it that no word "
            f"read accounts for",
            last,
            max(_reach(words, last, dx, dy), run.x1 + INK_AFTER),
            start=boxes[-1].x0,
        )
    index = line[after]
    where = (
        f"read {words[line[after - 1]].text!r} and {words[index].text!r}, but the image shows "
        f"a letter between them"
        if after
        else f"read {words[index].text!r}, but the image shows a letter before it"
    )
    return Doubt(
        f"{where} that no word read accounts for", index, _reach(words, index, dx, dy), run.x0
    )


def _word_marks(found: _Ink, box: _Box, text: str, reach: int) -> str | tuple[float, float] | None:
    """A doubt for one word; else its capitals' top and height, for the space check.
    ``reach``: how far right of its box a mark may still be the word's. A mark the read
    has and the ink does not show is not doubted: a blurred accent can fade below the
    ink's level, and Tesseract was not seen to invent one."""
    surely = _marks(found, box, reach)
    if surely is None:
        return None
    for at, kind, wanted in (
        (0, "accent", sum(ACCENTS.get(c, 0) for c in text)),
        (1, "period or comma", sum(1 for c in text if c in BASELINE_MARKS)),
    ):
        if surely[at] > wanted:
            return (
                f"read {text!r}, but the image shows {surely[at]} {kind} mark(s) where that "
                f"reading has {wanted}"
            )
    top, cap = surely[2], surely[3]
    band = found.mask[max(int(top), 0) : int(top + cap) + 1, max(box.x0, 0) : box.x1]
    if text.isalpha() and band.size and _widest_gap(band.any(axis=0)) >= SPACE * cap:
        return f"read {text!r} as one word, but the image shows a space in it"
    return top, cap


def _marks(found: _Ink, box: _Box, reach: int) -> tuple[int, int, float, float] | None:
    """Marks above the capitals (accents, apart or touching their letter) and on the
    baseline (periods, commas), and the capitals' top and height; None: no letters."""
    inside = [
        (label, p) for label, p in enumerate(found.parts, 1)
        if box.x0 <= (p.x0 + p.x1) / 2 < box.x1 and box.y0 <= (p.y0 + p.y1) / 2 <= box.y1
    ]  # fmt: skip
    if not inside:
        return None
    tallest = max(p.y1 - p.y0 for _, p in inside)
    letters = [(label, p) for label, p in inside if p.y1 - p.y0 >= LETTER * tallest]
    top = statistics.median(p.y0 for _, p in letters)
    cap = statistics.median(p.y1 for _, p in letters) - top
    if cap <= 0:
        return None
    small = [
        p for p in found.parts
        if box.x0 <= (p.x0 + p.x1) / 2 < reach
        and p.y1 - p.y0 <= MARK * cap and p.x1 - p.x0 <= MARK * cap
        and (p.y1 - p.y0) * (p.x1 - p.x0) >= SPECK * cap * cap
    ]  # fmt: skip
    above = sum(1 for p in small if ACCENT_LOW * cap <= p.y1 - top <= ACCENT_HIGH * cap)
    above += _risen(found.labels, letters, cap)
    low = sum(
        1 for p in small
        if p.y0 - top >= BASELINE * cap and (p.y0 + p.y1) / 2 - top <= LOW_MIDDLE * cap
    )  # fmt: skip
    return above, low, float(top), float(cap)


def _risen(labels: np.ndarray, letters: list[tuple[int, _Box]], cap: float) -> int:
    """Accents blurred onto their letter: narrow runs of columns where a letter's ink rises
    ``RISE`` above the capitals' line (the top of most of the letters' columns). Measured
    on the committed scans: such an accent rises 0.17-0.30, a letter without one 0.09."""
    tops: dict[int, int] = {}
    for label, p in letters:
        own = labels[p.y0 : p.y1, p.x0 : p.x1] == label
        first = own.argmax(axis=0)
        for column in np.flatnonzero(own.any(axis=0)):
            x = p.x0 + int(column)
            tops[x] = min(tops.get(x, p.y1), p.y0 + int(first[column]))
    columns = sorted(tops)
    line = np.percentile([tops[x] for x in columns], CAP_LINE)
    risen = [x for x in columns if tops[x] <= line - RISE * cap]
    runs = [len(run) for run in _runs(risen)]
    return sum(1 for width in runs if RISEN_WIDTH <= width <= MARK * cap)


def _runs(columns: list[int]) -> list[list[int]]:
    """Sorted column numbers in runs of neighbours."""
    runs: list[list[int]] = []
    for x in columns:
        if runs and x == runs[-1][-1] + 1:
            runs[-1].append(x)
        else:
            runs.append([x])
    return runs


def _widest_gap(columns: np.ndarray) -> int:
    """The widest run of empty columns between inked ones."""
    inked = np.flatnonzero(columns)
    if len(inked) < 2:
        return 0
    return int(np.max(np.diff(inked)) - 1)
