"""The fallback reader: one page through pdfplumber (pdfminer), as a ``VectorPage``.

Slower than PDFium, and kept for the pages PDFium cannot be trusted with. pdfplumber gives
coordinates already turned by /Rotate, y downwards; they are put back in a y-up frame
(the page box from (0, 0)), which differs from PDFium's only by a turn and a shift, so
that ``vector.build_page`` — which turns every page by its text — makes the same page
of both. pdfplumber does not report text render modes, so invisible text counts as
visible here.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator
from typing import Any

import pdfplumber

from poa_etl.extract.pdf.orientation import direction
from poa_etl.extract.pdf.vector import Glyph, Segment, VectorPage


def read_page(page: pdfplumber.page.Page) -> VectorPage:
    """One pdfplumber page as the vector reader's page."""
    height = float(page.height)
    vector = VectorPage(page.page_number, (0.0, 0.0, float(page.width), height))
    for char in page.chars:
        vector.glyphs.append(_glyph(char, height))
    for obj in (*page.lines, *page.rects, *page.curves):
        vector.segments.extend(_segments(obj["path"], height))
    vector.images = len(page.images)
    return vector


def _glyph(char: dict[str, Any], height: float) -> Glyph:
    a, b, _, _, e, f = char["matrix"]
    turned = direction(a, b)
    x0, x1 = float(char["x0"]), float(char["x1"])
    y0, y1 = height - float(char["bottom"]), height - float(char["top"])
    # pdfminer's box is the font size high across the baseline, whichever way it runs.
    size = (y1 - y0) if turned in (0, 180) else (x1 - x0)
    if turned is None:
        size = math.sqrt((x1 - x0) * (y1 - y0))
    text = char["text"]
    if "\ufb00" <= text <= "\ufb06":  # a ligature (ﬁ): PDFium gives its letters, and so here
        text = unicodedata.normalize("NFKC", text)
    return Glyph(text, x0, y0, x1, y1, float(e), float(f), turned, size)


def _segments(path: list[tuple[Any, ...]], height: float) -> Iterator[Segment]:
    """The straight segments of a path (``m``, ``l``, ``c``, ``h``), y upwards."""
    start = current = None
    for command, *points in path:
        if command == "h":
            if start is not None and current is not None and current != start:
                yield (*current, *start)
            current = start
            continue
        x, top = points[-1]
        point = (float(x), height - float(top))
        if command == "m":
            start = point
        elif command == "l" and current is not None:
            yield (*current, *point)
        current = point
