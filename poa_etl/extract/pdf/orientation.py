"""Which way up a page is read: from the direction its characters run, not from /Rotate.

A page may be stored sideways and turned by /Rotate for viewing, or drawn sideways on an
upright page; either way a person turns it until the text runs left to right. The
characters' matrices say where their baselines run, so the page is turned by that
direction, and /Rotate (which only tells a viewer how to show it) is not needed.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from poa_etl.errors import RejectedFile

Box = tuple[float, float, float, float]
SKEW = 2.0  # degrees: a baseline further than this from a right angle is skewed


def direction(dx: float, dy: float) -> int | None:
    """The baseline's direction in degrees, counter-clockwise with y up (0, 90, 180 or
    270), or None for a baseline that is not at a right angle."""
    angle = math.degrees(math.atan2(dy, dx)) % 360
    quarter = round(angle / 90) % 4
    off = abs((angle - quarter * 90 + 180) % 360 - 180)
    return quarter * 90 if off <= SKEW else None


# The unit vector along which text runs at each direction (x, y; y up).
_ALONG = {0: (1, 0), 90: (0, 1), 180: (-1, 0), 270: (0, -1)}


@dataclass(frozen=True)
class Turn:
    """How a page is turned upright: its text runs at ``degrees`` in the PDF's y-up
    coordinates; ``box`` (x0, y0, x1, y1) is the page's box there.

    Upright, ``u`` runs along the text and ``v`` down the page (the next line), both
    from the turned box's top-left corner.
    """

    degrees: int
    box: Box

    @cached_property
    def affine(self) -> tuple[int, int, float, int, int, float]:
        """(p, q, r, s, t, w): u = p·x + q·y + r and v = s·x + t·y + w."""
        p, q = _ALONG[self.degrees]
        s, t = q, -p  # down the page: the text direction turned clockwise
        x0, y0, x1, y1 = self.box
        r = -min(p * x + q * y for x in (x0, x1) for y in (y0, y1))
        w = -min(s * x + t * y for x in (x0, x1) for y in (y0, y1))
        return p, q, r, s, t, w

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A point in upright coordinates."""
        p, q, r, s, t, w = self.affine
        return p * x + q * y + r, s * x + t * y + w

    def box_of(self, x0: float, y0: float, x1: float, y1: float) -> Box:
        """A box in upright coordinates: left, top, right, bottom."""
        (a, b), (c, d) = self.point(x0, y0), self.point(x1, y1)
        return min(a, c), min(b, d), max(a, c), max(b, d)

    def end(self, x0: float, y0: float, x1: float, y1: float) -> float:
        """How far along the text a box reaches (its upright right edge)."""
        p, q, r, _, _, _ = self.affine
        return p * (x1 if p > 0 else x0) + q * (y1 if q > 0 else y0) + r

    @property
    def size(self) -> tuple[float, float]:
        """The page's width and height as read."""
        left, top, right, bottom = self.box_of(*self.box)
        return right - left, bottom - top


def page_turn(
    number: int, directions: Iterable[int | None], box: tuple[float, float, float, float]
) -> Turn:
    """The turn that sets a page's text upright, from its characters' directions.

    A page whose text runs in more than one direction cannot be read as one grid:
    reading it one way would lose or misplace the rest, so it is rejected.
    """
    counts = Counter(directions)
    if not counts:
        return Turn(0, box)
    (main, _), *others = counts.most_common()
    if main is None or others:
        described = ", ".join(
            f"{n} at {'an angle' if d is None else f'{d}°'}" for d, n in counts.most_common()
        )
        raise RejectedFile(
            f"page {number} is turned and cannot be read: its characters run in more than "
            f"one direction ({described}), so no single way up reads the page"
        )
    return Turn(main, box)
