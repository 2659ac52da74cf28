"""The OCR engine: Tesseract 5 with Spanish, in process through tesserocr.

tesserocr's wheel brings libtesseract; the Spanish model comes from Debian's
``tesseract-ocr-spa`` (``make setup-ocr``). Two readers with different settings give the
two reads that confirm each other: the general one (page segmentation by Tesseract, every
character) and a strict one for numbers (one line, digits and their punctuation only).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LANGUAGE = "spa"
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
)
NUMBER_CHARS = "0123456789.,%-"
MISSING = "OCR is not available"


@dataclass(frozen=True)
class WordRead:
    """A word as the engine read it: text, confidence (0-100) and box in pixels."""

    text: str
    confidence: float
    x0: int
    y0: int
    x1: int
    y1: int


def tessdata() -> Path | None:
    """The folder with the Spanish model, or None when OCR is not set up. As for Tesseract
    itself, TESSDATA_PREFIX, when set, is the only place looked in."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    for folder in [prefix] if prefix else TESSDATA_DIRS:
        if (Path(folder) / f"{LANGUAGE}.traineddata").is_file():
            return Path(folder)
    return None


def missing_reason() -> str | None:
    """Why OCR cannot run here, with how to enable it; None when it can."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return f"{MISSING}: the OCR engine (tesserocr) is not installed; run `make setup`"
    if tessdata() is None:
        return (
            f"{MISSING}: Tesseract's Spanish model (spa.traineddata) is not installed; run "
            f"`make setup-ocr`, or set TESSDATA_PREFIX to a folder holding spa.traineddata"
        )
    return None


class Engine:
    """Tesseract readers for one file: created once, as loading the model takes time."""

    def __init__(self) -> None:
        import tesserocr

        self._tesserocr = tesserocr
        path = str(tessdata())
        self._page = tesserocr.PyTessBaseAPI(path=path, lang=LANGUAGE, psm=tesserocr.PSM.AUTO)
        self._block = tesserocr.PyTessBaseAPI(
            path=path, lang=LANGUAGE, psm=tesserocr.PSM.SINGLE_BLOCK
        )
        self._line = tesserocr.PyTessBaseAPI(
            path=path, lang=LANGUAGE, psm=tesserocr.PSM.SINGLE_LINE
        )
        self._number = tesserocr.PyTessBaseAPI(
            path=path, lang=LANGUAGE, psm=tesserocr.PSM.SINGLE_LINE
        )
        self._number.SetVariable("tessedit_char_whitelist", NUMBER_CHARS)

    def close(self) -> None:
        for api in (self._page, self._block, self._line, self._number):
            api.End()

    def page_words(self, image: np.ndarray) -> list[WordRead]:
        """The words of a whole page (Tesseract finds the blocks and lines)."""
        return self._words(self._page, image)

    def block_words(self, image: np.ndarray) -> list[WordRead]:
        """The words of one table cell, a block of lines."""
        return self._words(self._block, image)

    def line_words(self, image: np.ndarray) -> list[WordRead]:
        """The words of one line of text."""
        return self._words(self._line, image)

    def number_words(self, image: np.ndarray) -> list[WordRead]:
        """The words of a cell read as a number: one line, digits and . , % - only."""
        return self._words(self._number, image)

    def _words(self, api: object, image: np.ndarray) -> list[WordRead]:
        from PIL import Image

        tesserocr = self._tesserocr
        api.SetImage(Image.fromarray(image))
        api.Recognize()
        level = tesserocr.RIL.WORD
        words: list[WordRead] = []
        iterator = api.GetIterator()
        if iterator is None:
            return words
        for item in tesserocr.iterate_level(iterator, level):
            try:
                text = (item.GetUTF8Text(level) or "").strip()
            except RuntimeError:  # tesserocr's "No text returned"
                continue
            box = item.BoundingBox(level)
            if text and box:
                words.append(WordRead(text, item.Confidence(level), *box))
        return words
