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


@dataclass(frozen=True)
class Turn:
    """How a page is turned upright: its text runs at ``degrees`` in the PDF's y-up
    coordinates; ``box`` (x0, y0, x1, y1) is the page's box there."""

    degrees: int
    box: tuple[float, float, float, float]

    def _rotate(self, x: float, y: float) -> tuple[float, float]:
        """Rotate by -degrees (the text then runs along +x), then make y grow downwards."""
        if self.degrees == 90:
            x, y = y, -x
        elif self.degrees == 180:
            x, y = -x, -y
        elif self.degrees == 270:
            x, y = -y, x
        return x, -y

    @cached_property
    def _origin(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.box
        corners = [self._rotate(x, y) for x in (x0, x1) for y in (y0, y1)]
        return min(c[0] for c in corners), min(c[1] for c in corners)

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A point in upright coordinates: points from the top-left corner, y downwards."""
        u, v = self._rotate(x, y)
        u0, v0 = self._origin
        return u - u0, v - v0

    def box_of(self, x0: float, y0: float, x1: float, y1: float) -> Box:
        """A box in upright coordinates: left, top, right, bottom."""
        (a, b), (c, d) = self.point(x0, y0), self.point(x1, y1)
        return min(a, c), min(b, d), max(a, c), max(b, d)

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
