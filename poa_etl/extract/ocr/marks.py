"""A check of a read against the ink, independent of the engine: the small marks and the
spaces that OCR engines drop or invent while their reads still agree.

Measured on the committed scans, two reads of Tesseract agreed on ``INFORMACION`` where
the page prints ``INFORMACIÓN``, on ``ATRAVÉS`` for ``A TRAVÉS``, on ``PERSONALES`` for
``PERSONALES.`` and on ``ALTERNATIVAS, 3.3.2`` for ``ALTERNATIVAS,3.3.2``. So, for each
word in capitals, the marks the image shows above its letters (accents, the tilde of Ñ)
and on its baseline (periods, commas) are counted and must be as many as its text has,
a gap as wide as a space inside it means a space was lost, and two words must be a
space apart. Measures are fractions of the word's capital height.
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
MERGED = 0.2  # a letter rising this far above the others carries an accent touching it
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
    """What the ink says a read got wrong; ``word``: the word it is about (its index), and
    ``reach``, how far right of its box its marks were looked for (region pixels)."""

    reason: str
    word: int | None = None
    reach: int | None = None


def doubt(gray: np.ndarray, words: Sequence[WordRead], dx: int, dy: int) -> Doubt | None:
    """What the ink says the read got wrong, or None. ``gray``: the region; ``words``: the
    read, its boxes (dx, dy) pixels off the region's origin."""
    mask = ink(gray)
    parts = _parts(mask)
    for word in words:
        if not any(c.isalnum() for c in word.text) and word.text not in JOINERS:
            return Doubt(
                f"read {word.text!r}, a mark with no letter or digit (a smudge, a rule's remnant?)"
            )
    checked = []
    for index, word in enumerate(words):
        box = _Box(word.x0 - dx, word.y0 - dy, word.x1 - dx, word.y1 - dy)
        if not _checkable(word.text):
            checked.append(None)
            continue
        # A mark the read left out lies after the word's box, up to the next word.
        after = words[index + 1] if index + 1 < len(words) else None
        same_line = after is not None and after.y0 < word.y1 and word.y0 < after.y1
        reach = after.x0 - dx if same_line else box.x1 + (box.y1 - box.y0) // 2
        reach = max(reach, box.x1)
        found = _word_marks(mask, parts, box, word.text, reach)
        if isinstance(found, str):
            return Doubt(found, index, reach)
        checked.append(found)
    for (left, right), measures in zip(_pairs(words), _pairs(checked), strict=True):
        a, b = measures
        if a is None or b is None or abs(a[0] - b[0]) > a[1]:  # not both checked, one line
            continue
        gap = (right.x0 - left.x1) / min(a[1], b[1])
        if gap < NO_SPACE:
            return Doubt(
                f"read {left.text!r} and {right.text!r} as two words, but the image shows no "
                f"space between them"
            )
    return None


def ink(gray: np.ndarray) -> np.ndarray:
    """Where a region has ink (1), a light blurred mark included: darker than ``DARK`` and
    than the region's paper by ``PAPER_MARGIN``."""
    level = min(DARK, float(np.median(gray)) - PAPER_MARGIN)
    return (gray < level).astype(np.uint8)


def _parts(mask: np.ndarray) -> list[_Box]:
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    return [_Box(x, y, x + w, y + h) for x, y, w, h, _area in stats[1:count]]


def _pairs(items: Sequence) -> list[tuple]:
    return list(itertools.pairwise(items))


def _checkable(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and not any(c.islower() or c in UNCHECKED for c in text)


def _word_marks(
    ink: np.ndarray, parts: list[_Box], box: _Box, text: str, reach: int
) -> str | tuple[float, float] | None:
    """A doubt for one word; else its capitals' top and height, for the space check.
    ``parts``: the ink's components; ``reach``: how far right of its box a mark may still
    be the word's. A mark the read has and the ink does not show is not doubted: a
    blurred accent touches its letter, and Tesseract was not seen to invent one."""
    surely = _marks(parts, box, reach)
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
    band = ink[max(int(top), 0) : int(top + cap) + 1, max(box.x0, 0) : box.x1]
    if text.isalpha() and band.size and _widest_gap(band.any(axis=0)) >= SPACE * cap:
        return f"read {text!r} as one word, but the image shows a space in it"
    return top, cap


def _marks(parts: list[_Box], box: _Box, reach: int) -> tuple[int, int, float, float] | None:
    """Marks above the capitals (accents, apart or touching their letter) and on the
    baseline (periods, commas), and the capitals' top and height; None: no letters."""
    inside = [
        p for p in parts
        if box.x0 <= (p.x0 + p.x1) / 2 < box.x1 and box.y0 <= (p.y0 + p.y1) / 2 <= box.y1
    ]  # fmt: skip
    if not inside:
        return None
    tallest = max(p.y1 - p.y0 for p in inside)
    letters = [p for p in inside if p.y1 - p.y0 >= LETTER * tallest]
    top = statistics.median(p.y0 for p in letters)
    cap = statistics.median(p.y1 for p in letters) - top
    if cap <= 0:
        return None
    small = [
        p for p in parts
        if box.x0 <= (p.x0 + p.x1) / 2 < reach
        and p.y1 - p.y0 <= MARK * cap and p.x1 - p.x0 <= MARK * cap
        and (p.y1 - p.y0) * (p.x1 - p.x0) >= SPECK * cap * cap
    ]  # fmt: skip
    above = sum(1 for p in small if ACCENT_LOW * cap <= p.y1 - top <= ACCENT_HIGH * cap)
    above += sum(1 for p in letters if top - p.y0 >= MERGED * cap)
    low = sum(
        1 for p in small
        if p.y0 - top >= BASELINE * cap and (p.y0 + p.y1) / 2 - top <= LOW_MIDDLE * cap
    )  # fmt: skip
    return above, low, float(top), float(cap)


def _widest_gap(columns: np.ndarray) -> int:
    """The widest run of empty columns between inked ones."""
    inked = np.flatnonzero(columns)
    if len(inked) < 2:
        return 0
    return int(np.max(np.diff(inked)) - 1)
