"""From what a vector PDF draws to the page model: characters become words, path
segments become ruling lines, all turned upright.

Both PDF readers (pdfium, the fast one, and pdfplumber, the fallback) hand over a
``VectorPage`` in the PDF's own coordinates, so that one piece of code — this one —
decides what a word and a rule are, and the two readers give the same page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from poa_etl.extract.pdf.orientation import Turn, page_turn
from poa_etl.extract.pdf.page import Page, Rule, Word

# Fractions of the font size.
WORD_GAP = 0.03  # a wider gap between two characters, with no space between, ends a word
SAME_BASELINE = 0.2  # characters whose baselines differ by less are on one line
BACKWARDS = 0.2  # a character this far left of the previous one starts a new word
ASCENT, DESCENT = 0.8, 0.2  # a word's box above and below its baseline
RULE_MIN = 0.6  # shorter segments are not ruling lines (ticks, dots)
STRAIGHT = 0.5  # points: a segment this close to horizontal or vertical is a rule


@dataclass(frozen=True, slots=True)
class Glyph:
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


def build_page(vector: VectorPage) -> Page:
    """The page model of a vector page: its words and rules, upright."""
    turn = page_turn(
        vector.number, (g.direction for g in vector.glyphs if not g.text.isspace()), vector.box
    )
    words = glyph_words(vector.glyphs, turn)
    width, height = turn.size
    page = Page(vector.number, width, height, tuple(words))
    rules = page_rules(vector.segments, turn, page.font_size)
    return Page(vector.number, width, height, page.words, rules)


@dataclass
class _Draft:
    text: list[str]
    x0: float
    x1: float
    baseline: float
    size: float
    run: int | None

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
        scale = max(size, self.size)
        return (
            abs(baseline - self.baseline) <= SAME_BASELINE * scale
            and -BACKWARDS * scale <= x0 - self.x1 <= WORD_GAP * scale
        )


def glyph_words(glyphs: Sequence[Glyph], turn: Turn) -> list[Word]:
    """Words in drawing order: characters that follow each other on one baseline.

    Where the producer prints space characters, a word after a space continues the
    previous word's run (one cell's text); a word placed apart without a space starts a
    run of its own, however close it is.
    """
    spaced = any(g.text == " " for g in glyphs)
    words: list[Word] = []
    draft: _Draft | None = None
    after_space, run = False, 0
    previous: tuple[str, float, float] | None = None
    for glyph in glyphs:
        # From the origin: a glyph's ink may reach left of it (a "J"), its advance not.
        x0, baseline = turn.point(glyph.ox, glyph.oy)
        x1 = max(x0, turn.box_of(glyph.x0, glyph.y0, glyph.x1, glyph.y1)[2])
        if glyph.text.isspace():
            if draft:
                words.append(draft.word())
                draft = None
            after_space = bool(words)
            continue
        if previous == (glyph.text, round(x0, 1), round(baseline, 1)):
            continue  # printed twice on the spot, as for a bold effect
        previous = (glyph.text, round(x0, 1), round(baseline, 1))
        if draft and draft.continues(x0, baseline, glyph.size):
            draft.text.append(glyph.text)
            draft.x1 = max(draft.x1, x1)
            draft.size = max(draft.size, glyph.size)
            continue
        if draft:
            words.append(draft.word())
        last = words[-1] if words else None
        same_run = (
            after_space
            and last is not None
            and abs(baseline - (last.bottom - DESCENT * last.size)) <= SAME_BASELINE * glyph.size
            and x0 >= last.x1 - BACKWARDS * glyph.size
        )
        if not same_run:
            run += 1
        draft = _Draft([glyph.text], x0, x1, baseline, glyph.size, run if spaced else None)
        after_space = False
    if draft:
        words.append(draft.word())
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
