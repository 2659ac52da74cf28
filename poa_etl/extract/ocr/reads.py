"""Reading a scanned page twice and keeping only what both reads agree on.

Read 1 is Tesseract on the grey page with its rules erased; read 2 is Tesseract again on
the same region binarized and enlarged 1.5 times — another binarization and another scale —
with, for a number, only digits and their punctuation allowed. A word or cell is
*confirmed* when read 1 is confident and read 2 gives exactly the same text; anything else
carries a ``doubt`` that says what was read, so that the row holding it can be set aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from poa_etl.extract.ocr.engine import Engine, WordRead
from poa_etl.extract.ocr.image import Box, Scan, has_ink, ink_fixed
from poa_etl.report.form import OCR_DISAGREE

# Tesseract's word confidence (0-100) below which a read is not trusted: for numbers, and
# for text (whose reads must agree all the same). Wrong digits were seen at 47-77.
CONFIDENT = 80.0
CONFIDENT_TEXT = 70.0
SECOND_SCALE = 1.5
RULE_REST = 6  # pixels: a thin stroke along a crop's edge is what is left of a rule
SPECK = 12  # pixels: a smaller mark on the edge is noise
MARGIN = 12  # white pixels around a crop: Tesseract reads badly at the very edge
_NUMERIC = re.compile(r"-?[\d.,]*\d[\d.,]*%?")


@dataclass(frozen=True)
class Read:
    """A word of the page model: read 1's text and box, and what confirms it."""

    text: str
    x0: int
    y0: int
    x1: int
    y1: int
    confidence: float
    doubt: str | None  # None: confirmed by read 2


def _pad(image: np.ndarray) -> np.ndarray:
    return cv2.copyMakeBorder(image, MARGIN, MARGIN, MARGIN, MARGIN, cv2.BORDER_CONSTANT, value=255)


def _crop(scan: Scan, box: Box) -> np.ndarray:
    """A region of the page with whatever touches its edge erased: left-overs of a rule
    or of a neighbouring cell, never part of the text, which cells keep clear of borders."""
    crop = scan.clean[box.y0 : box.y1, box.x0 : box.x1].copy()
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink_fixed(crop))
    height, width = crop.shape
    for label in range(1, count):
        x, y, w, h, area = stats[label]
        on_side = (x == 0 or x + w == width) and w <= RULE_REST and h >= height / 2
        on_end = (y == 0 or y + h == height) and h <= RULE_REST and w >= width / 2
        if (
            on_side
            or on_end
            or (area < SPECK and (x == 0 or y == 0 or x + w == width or y + h == height))
        ):
            crop[labels == label] = 255
    return crop


def _enlarged(crop: np.ndarray) -> np.ndarray:
    return cv2.resize(crop, None, fx=SECOND_SCALE, fy=SECOND_SCALE, interpolation=cv2.INTER_CUBIC)


def _second(crop: np.ndarray) -> np.ndarray:
    """Read 2's view of a region: enlarged 1.5 times, smoothed and binarized by Otsu."""
    _, binary = cv2.threshold(
        cv2.GaussianBlur(_enlarged(crop), (3, 3), 0), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU
    )
    return _pad(binary)


def _text(words: list[WordRead]) -> str:
    return " ".join(w.text for w in words)


def _confidence(words: list[WordRead]) -> float:
    return min((w.confidence for w in words), default=0.0)


def _is_number(words: list[WordRead]) -> bool:
    return len(words) == 1 and _NUMERIC.fullmatch(words[0].text) is not None


def _doubt(first: str, confidence: float, second: str, *, number: bool) -> str | None:
    least = CONFIDENT if number else CONFIDENT_TEXT
    if not confidence >= least:
        return f"read {first!r} with confidence {confidence:.0f} (below {least:.0f})"
    if second != first:
        return f"read {first!r}, {OCR_DISAGREE} {second!r}"
    return None


def cell_reads(engine: Engine, scan: Scan, cell: Box) -> list[Read]:
    """The words in one table cell, each with the cell's verdict: a cell is confirmed as a
    whole, because its value is the whole text. A cell with ink but no text read is a '?'."""
    inset = Box(cell.x0 + 3, cell.y0 + 3, cell.x1 - 3, cell.y1 - 3)
    if inset.width <= 0 or inset.height <= 0 or not has_ink(scan.clean, inset):
        return []
    crop = _crop(scan, inset)
    first = engine.block_words(_pad(crop))
    if not _is_number(first):
        # A lone small digit in some fonts reads as letters ('1' as 'll'), or as nothing,
        # unless it is enlarged and digits are all that may be read: a confident read as a
        # number is then read 1 (on grey pixels; read 2 sees them binarized).
        as_number = _scaled(engine.number_words(_pad(_enlarged(crop))), SECOND_SCALE)
        if _is_number(as_number) and _confidence(as_number) > _confidence(first):
            first = as_number
    text = _text(first)
    if not text:
        return [Read("?", cell.x0, cell.y0, cell.x1, cell.y1, 0.0, "marks that read as no text")]
    second_view = _second(crop)
    second = (engine.number_words if _is_number(first) else engine.block_words)(second_view)
    confidence = _confidence(first)
    doubt = _doubt(text, confidence, _text(second), number=_is_number(first))
    return [
        Read(w.text, inset.x0 + w.x0 - MARGIN, inset.y0 + w.y0 - MARGIN,
             inset.x0 + w.x1 - MARGIN, inset.y0 + w.y1 - MARGIN, confidence, doubt)
        for w in first
    ]  # fmt: skip


def _scaled(words: list[WordRead], scale: float) -> list[WordRead]:
    """Words read in an enlarged, padded view, with boxes as in the padded original."""

    def back(v: int) -> int:
        return round((v - MARGIN) / scale) + MARGIN

    return [
        WordRead(w.text, w.confidence, back(w.x0), back(w.y0), back(w.x1), back(w.y1))
        for w in words
    ]


def page_reads(engine: Engine, scan: Scan) -> list[Read]:
    """The words outside the tables (title, header block, FECHA, signatures).

    Tesseract's read of the whole page only finds where the text is: each run of words on
    a line (a label, a code, a name) is then read twice as a line — grey, and binarized
    and enlarged — and its words confirmed when both reads agree."""
    page = scan.clean.copy()
    for table in scan.tables:
        page[table.y0 : table.y1, table.x0 : table.x1] = 255
    found = []
    for run in _runs(engine.page_words(page)):
        box = Box(min(w.x0 for w in run) - 2, min(w.y0 for w in run) - 2,
                  max(w.x1 for w in run) + 2, max(w.y1 for w in run) + 2)  # fmt: skip
        crop = page[max(box.y0, 0) : box.y1, max(box.x0, 0) : box.x1]
        first = engine.line_words(_pad(crop))
        if not first:
            continue
        confidence = _confidence(first)
        number = _is_number(first)
        # Numbers are read again binarized, text lines on grey: each the view in which
        # Tesseract misreads least (measured on the scans in tests/fixtures).
        second = (
            engine.number_words(_second(crop))
            if number
            else engine.line_words(_pad(_enlarged(crop)))
        )
        doubt = _doubt(_text(first), confidence, _text(second), number=number)
        found.extend(
            Read(w.text, max(box.x0, 0) + w.x0 - MARGIN, max(box.y0, 0) + w.y0 - MARGIN,
                 max(box.x0, 0) + w.x1 - MARGIN, max(box.y0, 0) + w.y1 - MARGIN,
                 confidence, doubt)
            for w in first
        )  # fmt: skip
    return found


def _runs(words: list[WordRead]) -> list[list[WordRead]]:
    """Words on one line with no wide gap between them (gaps separate label, code, name)."""
    runs: list[list[WordRead]] = []
    for word in sorted(words, key=lambda w: ((w.y0 + w.y1) / 2, w.x0)):
        height = word.y1 - word.y0
        same_line = [
            run for run in runs
            if abs((run[-1].y0 + run[-1].y1) / 2 - (word.y0 + word.y1) / 2) <= height / 2
            and 0 <= word.x0 - run[-1].x1 <= height
        ]  # fmt: skip
        if same_line:
            same_line[-1].append(word)
        else:
            runs.append([word])
    return runs
