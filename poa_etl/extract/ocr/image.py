"""A scanned page as an image: rendered, turned upright, binarized, its ruling lines found.

Pure functions on numpy arrays (OpenCV for the pixel work). Pixels are at ``DPI``; the
page model wants points, so callers scale by ``POINTS``.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

DPI = 300
POINTS = 72 / DPI  # points per pixel
MAX_SKEW = 3.0  # degrees: a page turned more than this is read as it is
RULE_LENGTH = 80  # pixels (about 7 mm): shorter vertical strokes are characters, not rules
RULE_WIDTH = 200  # pixels: bold letters blurred together can run 80 across, never this far
TABLE_WIDTH = 1 / 3  # of the page: a grid narrower than this is no metas table
END_REACH = 8  # pixels: a rule's end this close to a vertical rule meets it


@dataclass(frozen=True)
class Rule:
    """A ruling segment in pixels: ``at`` is y for a horizontal rule, x for a vertical one,
    ``start``/``end`` its extent along the other axis."""

    at: float
    start: float
    end: float


@dataclass(frozen=True)
class Box:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Scan:
    """One page, upright: the grey image, the same with the ruling lines and the pixels
    around them painted white (``clean``, to read) or the lines alone (``lean``, for the
    ink check), the rules, and the boxes of the tables and of their cells (merged cells
    are one box)."""

    gray: np.ndarray
    clean: np.ndarray
    lean: np.ndarray  # the rules erased with a pixel around: an accent near one stays
    skew: float
    horizontals: tuple[Rule, ...]
    verticals: tuple[Rule, ...]
    tables: tuple[Box, ...]
    cells: tuple[Box, ...]


def ink(gray: np.ndarray) -> np.ndarray:
    """Where the ink is (255) by Otsu's threshold: robust to the grey of a scanner's paper."""
    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return mask


def skew_angle(gray: np.ndarray) -> float:
    """The angle (degrees, within ±MAX_SKEW) that makes text lines and rules horizontal:
    the one whose row profile is sharpest, searched coarse then fine on a quarter-size image."""
    small = cv2.resize(ink(gray), None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle: float) -> float:
        turned = cv2.warpAffine(small, cv2.getRotationMatrix2D(centre, angle, 1), small.shape[::-1])
        profile = turned.sum(axis=1, dtype=np.float64)
        return float(np.sum(np.diff(profile) ** 2))

    coarse = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.1), key=sharpness)
    return round(float(max(np.arange(coarse - 0.1, coarse + 0.101, 0.01), key=sharpness)), 2)


def upright(gray: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < 0.01:
        return gray
    centre = (gray.shape[1] / 2, gray.shape[0] / 2)
    matrix = cv2.getRotationMatrix2D(centre, angle, 1)
    return cv2.warpAffine(gray, matrix, gray.shape[::-1], flags=cv2.INTER_CUBIC, borderValue=255)


def _rules(mask: np.ndarray, horizontal: bool) -> list[Rule]:
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    found = []
    for x, y, w, h, _area in stats[1:]:
        found.append(Rule(y + h / 2, x, x + w) if horizontal else Rule(x + w / 2, y, y + h))
    return sorted(found, key=lambda r: (r.at, r.start))


def scan(gray: np.ndarray) -> Scan:
    """Deskew a rendered page, find its rules, tables and cells, and erase the rules."""
    angle = skew_angle(gray)
    gray = upright(gray, angle)
    mask = ink(gray)
    across = cv2.getStructuringElement(cv2.MORPH_RECT, (RULE_WIDTH, 1))
    down = cv2.getStructuringElement(cv2.MORPH_RECT, (1, RULE_LENGTH))
    v_mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, down)
    h_mask = _ruled(cv2.morphologyEx(mask, cv2.MORPH_OPEN, across), v_mask)
    grid = cv2.dilate(h_mask | v_mask, np.ones((5, 5), np.uint8))
    clean = gray.copy()
    clean[grid > 0] = 255
    tables = _tables(grid)
    return Scan(
        gray=gray,
        clean=clean,
        lean=np.where(cv2.dilate(h_mask | v_mask, np.ones((3, 3), np.uint8)) > 0, 255, gray),
        skew=angle,
        horizontals=tuple(_rules(h_mask, horizontal=True)),
        verticals=tuple(_rules(v_mask, horizontal=False)),
        tables=tuple(tables),
        cells=tuple(c for t in tables for c in _cells(grid, t)),
    )


def _ruled(h_mask: np.ndarray, v_mask: np.ndarray) -> np.ndarray:
    """The horizontal strokes that are rules: those running a third of the page, or meeting
    a vertical rule at both ends. Bold letters blurred together can make a stroke as long
    as a short rule along their tops, but it ends inside its cell."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(h_mask)
    near = cv2.dilate(v_mask, np.ones((1, 2 * END_REACH + 1), np.uint8))
    keep = np.zeros(count, dtype=bool)
    for label in range(1, count):
        x, y, w, h, _area = stats[label]
        band = near[y : y + h]
        ends = band[:, x].any() and band[:, x + w - 1].any()
        keep[label] = w >= h_mask.shape[1] * TABLE_WIDTH or ends
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def _tables(grid: np.ndarray) -> list[Box]:
    """Each grid of rules at least a third of the page wide is a table."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(grid)
    return [
        Box(x, y, x + w, y + h)
        for x, y, w, h, _area in stats[1:]
        if w >= grid.shape[1] * TABLE_WIDTH and h >= RULE_LENGTH
    ]


def _cells(grid: np.ndarray, table: Box) -> list[Box]:
    """The areas enclosed by rules inside a table: one box per cell, merged cells whole."""
    inside = 255 - grid[table.y0 : table.y1, table.x0 : table.x1]
    _, _, stats, _ = cv2.connectedComponentsWithStats(inside, connectivity=4)
    cells = []
    for x, y, w, h, _area in stats[1:]:
        touches_edge = x == 0 or y == 0 or x + w == inside.shape[1] or y + h == inside.shape[0]
        if not touches_edge and w > 8 and h > 8:
            cells.append(Box(table.x0 + x, table.y0 + y, table.x0 + x + w, table.y0 + y + h))
    return sorted(cells, key=lambda b: (b.y0, b.x0))


def has_ink(image: np.ndarray, box: Box, *, speck: int = 12) -> bool:
    """Whether a cell holds any mark larger than a speck of scanner noise (in pixels)."""
    mask = ink_fixed(image[box.y0 : box.y1, box.x0 : box.x1])
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    return any(area >= speck for *_, area in stats[1:count])


def ink_fixed(gray: np.ndarray, level: int = 160) -> np.ndarray:
    """Ink by a fixed level: for small crops, where Otsu's threshold has no paper to learn
    from (a blank cell would come out full of noise)."""
    return np.where(gray < level, 255, 0).astype(np.uint8)
