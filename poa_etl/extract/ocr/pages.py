"""Scanned pages read into the page model (``poa_etl.extract.pdf.page``).

A page is rendered at ``image.DPI``, turned upright, its rules found; the words outside
the tables (title, header block, FECHA, signatures) and in each table cell are read twice
(``reads``). The page's invisible OCR text layer, if any, is never used: its numbers are
another engine's guesses, unconfirmed.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

import pypdfium2

from poa_etl.errors import RejectedFile
from poa_etl.extract.ocr import image, reads
from poa_etl.extract.ocr.engine import Engine
from poa_etl.extract.pdf.page import Page, Rule, Word

SHOWN_DOUBTS = 3  # in a rejection message
FONT_PAD = 0.2  # of a line's ink height, above and below: from ink box to font box


class ScannedPages:
    """The scanned pages of one PDF, read on demand; the engine starts at the first."""

    def __init__(self, data: bytes, password: str | None) -> None:
        self._data, self._password = data, password
        self._pdf: pypdfium2.PdfDocument | None = None
        self._engine: Engine | None = None

    def read(self, number: int) -> Page:
        """Page ``number`` (from 1) from its image. Raises RejectedFile when what lies
        outside the metas table (which must be exact) is not confirmed."""
        if self._engine is None:
            self._engine = Engine()
        if self._pdf is None:
            self._pdf = pypdfium2.PdfDocument(self._data, password=self._password)
        page = self._pdf[number - 1]
        try:
            width, height = page.get_size()
            bitmap = page.render(scale=image.DPI / 72, grayscale=True, rotation=0)
            gray = bitmap.to_numpy()
        finally:
            page.close()
        if gray.ndim == 3:
            gray = gray[..., 0]
        scan = image.scan(gray.copy())
        outside = reads.page_reads(self._engine, scan)
        _refuse_doubts(number, outside)
        words = _words(outside)
        for cell in scan.cells:
            words.extend(_words(reads.cell_reads(self._engine, scan, cell)))
        scale = image.POINTS
        rules = [Rule(r.at * scale, r.start * scale, r.at * scale, r.end * scale)
                 for r in scan.verticals]  # fmt: skip
        rules += [Rule(r.start * scale, r.at * scale, r.end * scale, r.at * scale)
                  for r in scan.horizontals]  # fmt: skip
        return Page(number, width, height, tuple(words), tuple(rules))

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
        if self._pdf is not None:
            self._pdf.close()


def _refuse_doubts(number: int, outside: Sequence[reads.Read]) -> None:
    """The title, header, FECHA and signatures must be read exactly, or not at all."""
    doubtful = [r for r in outside if r.doubt]
    if doubtful:
        shown = "; ".join(f"{r.text!r}: {r.doubt}" for r in doubtful[:SHOWN_DOUBTS])
        more = f" and {len(doubtful) - SHOWN_DOUBTS} more" if len(doubtful) > SHOWN_DOUBTS else ""
        raise RejectedFile(
            f"page {number} is a scan and OCR could not confirm the text outside the metas "
            f"table (title, header, FECHA, signatures), which must be exact: {shown}{more}"
        )


def _words(found: Sequence[reads.Read]) -> list[Word]:
    """Words of the page model, in points, each line's words given the line's top and
    bottom: OCR boxes follow each glyph's ink, and the layout groups words by their middle
    and measures gaps against the font size, which is the line box's height."""
    if not found:
        return []
    height = statistics.median(r.y1 - r.y0 for r in found)
    lines: list[tuple[float, list[reads.Read]]] = []
    for read in sorted(found, key=lambda r: (r.y0 + r.y1) / 2):
        middle = (read.y0 + read.y1) / 2
        if lines and abs(middle - lines[-1][0]) <= height / 2:
            lines[-1][1].append(read)
        else:
            lines.append((middle, [read]))
    words = []
    points = image.POINTS
    for _, line in lines:
        top, bottom = min(r.y0 for r in line), max(r.y1 for r in line)
        pad = FONT_PAD * (bottom - top)
        top, bottom = (top - pad) * points, (bottom + pad) * points
        words.extend(
            Word(r.text, r.x0 * points, r.x1 * points, top, bottom, bottom - top,
                 confidence=r.confidence, doubt=r.doubt)
            for r in line
        )  # fmt: skip
    return words
