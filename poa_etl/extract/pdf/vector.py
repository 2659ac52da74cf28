"""From what a vector PDF draws to the page model: characters become words, path
segments become ruling lines, all turned upright.

Both PDF readers (pdfium, the fast one, and pdfplumber, the fallback) hand over a
``VectorPage`` in the PDF's own coordinates, so that one piece of code — this one —
decides what a word and a rule are, and the two readers give the same page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from poa_etl.extract.pdf.orientation import Turn, page_turn
from poa_etl.extract.pdf.page import Page, Rule, Word

# Fractions of the font size.
WORD_GAP = 0.03  # a wider gap between two characters, with no space between, ends a word
SAME_BASELINE = 0.2  # characters whose baselines differ by less are on one line
BACKWARDS = 0.2  # a character this far left of the previous one starts a new word
LIGATURE_GAP = 0.15  # PDFium cuts a ligature's letters short of its advance: this gap
ASCENT, DESCENT = 0.8, 0.2  # a word's box above and below its baseline
RULE_MIN = 0.6  # shorter segments are not ruling lines (ticks, dots)
STRAIGHT = 0.5  # points: a segment this close to horizontal or vertical is a rule
SAME_SPOT = 0.01  # points: glyphs whose origins are this close are drawn on one spot
_SPACES = {" ", "\t", "\xa0"}


class Glyph(NamedTuple):  # a tuple: pages hold thousands, made in the reader's inner loop
    """One character as drawn, in the PDF's coordinates (y up, unrotated).

    ``x0``…``y1``: its box (advance by font height); ``ox``, ``oy``: its origin on the
    baseline; ``direction``: where its baseline runs (``orientation.direction``).
    """

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    ox: float
    oy: float
    direction: int | None
    size: float


Segment = tuple[float, float, float, float]  # x0, y0, x1, y1 of a straight path segment


@dataclass
class VectorPage:
    """A page as a PDF library reads it, before it is turned upright."""

    number: int
    box: tuple[float, float, float, float]  # the media box
    glyphs: list[Glyph] = field(default_factory=list)  # visible ones, in drawing order
    segments: list[Segment] = field(default_factory=list)
    images: int = 0
    invisible: int = 0  # characters drawn invisibly (render mode 3 or 7): an OCR layer


def build_page(vector: VectorPage, breaks_words: bool = False) -> Page:
    """The page model of a vector page: its words and rules, upright."""
    turn = page_turn(
        vector.number, (g.direction for g in vector.glyphs if not g.text.isspace()), vector.box
    )
    words = glyph_words(vector.glyphs, turn)
    width, height = turn.size
    page = Page(vector.number, width, height, tuple(words))
    rules = page_rules(vector.segments, turn, page.font_size)
    return Page(vector.number, width, height, page.words, rules, breaks_words)


@dataclass(slots=True)
class _Draft:
    text: list[str]
    x0: float
    x1: float
    baseline: float
    size: float
    run: int | None
    ligature: bool = False  # PDFium splits a ligature's box short of its advance

    def word(self) -> Word:
        return Word(
            "".join(self.text),
            self.x0,
            self.x1,
            self.baseline - ASCENT * self.size,
            self.baseline + DESCENT * self.size,
            self.size,
            self.run,
        )

    def continues(self, x0: float, baseline: float, size: float) -> bool:
        scale = size if size > self.size else self.size
        gap = LIGATURE_GAP if self.ligature else WORD_GAP
        return (
            abs(baseline - self.baseline) <= SAME_BASELINE * scale
            and -BACKWARDS * scale <= x0 - self.x1 <= gap * scale
        )


def glyph_words(glyphs: Sequence[Glyph], turn: Turn) -> list[Word]:
    """Words in drawing order: characters that follow each other on one baseline.

    Words joined by printed spaces — each starting where the space before it ends — make
    one run (a piece of one cell's text); a word placed apart without a space starts a
    run of its own. A page without a single printed space tells nothing by its runs.
    """
    p, q, r, s, t, w = turn.affine
    words: list[Word] = []
    draft: _Draft | None = None  # the word being read
    space: _Draft | None = None  # the spaces just read, if they follow a word
    run = 0
    last = ("", math.nan, math.nan, math.nan)  # the previous glyph: text, x0, baseline, x1
    for glyph in glyphs:
        # From the origin: a glyph's ink may reach left of it (a "J"), its advance not.
        x0 = p * glyph.ox + q * glyph.oy + r
        baseline = s * glyph.ox + t * glyph.oy + w
        end = p * (glyph.x1 if p > 0 else glyph.x0) + q * (glyph.y1 if q > 0 else glyph.y0) + r
        x1 = end if end > x0 else x0
        if glyph.text in _SPACES:
            before = draft or space
            space = (
                _Draft([" "], x0, x1, baseline, glyph.size, None)
                if before and before.continues(x0, baseline, glyph.size)
                else None
            )
            if draft:
                words.append(draft.word())
                draft = None
            continue
        same_spot = abs(x0 - last[1]) < SAME_SPOT and abs(baseline - last[2]) < SAME_SPOT
        twice = same_spot and glyph.text == last[0] and abs(x1 - last[3]) < SAME_SPOT
        last = (glyph.text, x0, baseline, x1)
        if draft and (same_spot or draft.continues(x0, baseline, glyph.size)):
            if not twice:  # a glyph printed twice on the spot, as for a bold effect, is one
                draft.text.append(glyph.text)
            draft.ligature = same_spot  # a ligature's letters share their origin
            if x1 > draft.x1:
                draft.x1 = x1
            if glyph.size > draft.size:
                draft.size = glyph.size
            continue
        if draft:
            words.append(draft.word())
        if not (space and space.continues(x0, baseline, glyph.size)):
            run += 1
        draft = _Draft([glyph.text], x0, x1, baseline, glyph.size, run)
        space = None
    if draft:
        words.append(draft.word())
    if not any(g.text in _SPACES for g in glyphs):
        return [w._replace(run=None) for w in words]
    return words


def page_rules(segments: Sequence[Segment], turn: Turn, font_size: float) -> tuple[Rule, ...]:
    """The horizontal and vertical segments long enough to be ruling lines, upright."""
    rules = []
    for x0, y0, x1, y1 in segments:
        left, top, right, bottom = turn.box_of(x0, y0, x1, y1)
        vertical, horizontal = right - left <= STRAIGHT, bottom - top <= STRAIGHT
        if vertical == horizontal or max(right - left, bottom - top) < RULE_MIN * font_size:
            continue
        if vertical:
            left = right = (left + right) / 2
        else:
            top = bottom = (top + bottom) / 2
        rules.append(Rule(left, top, right, bottom))
    return tuple(rules)
