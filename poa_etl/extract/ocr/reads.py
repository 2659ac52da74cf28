"""Reading a region of a scanned page until two reads agree, and saying so when none do.

A region (a table cell, or a run of words outside the tables) is read in up to four
views, in turn: grey as scanned, binarized (Otsu) and enlarged 1.5 times, grey enlarged
1.5 times, and — for a number — enlarged with only digits and their punctuation allowed.
Its text is *confirmed* when two views read exactly the same text and one of them was
confident; reading stops there. Anything else keeps the first view's text with a
``doubt`` that says what was read, so that the row holding it is set aside (or, outside
the table, the file rejected). Agreement is of the whole text, spaces included.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from poa_etl.extract.ocr import marks
from poa_etl.extract.ocr.engine import Engine, WordRead
from poa_etl.extract.ocr.image import Box, Scan, has_ink, ink_fixed
from poa_etl.report.form import OCR_DISAGREE

# Tesseract's word confidence (0-100) below which a read does not count as confident: for
# numbers, and for text. Wrong digits were seen at 47-77.
CONFIDENT = 80.0
CONFIDENT_TEXT = 70.0
# The views, in the order they are read: scale, binarized, digits only. The last two are
# read only when no two of the others agree on a text the ink check accepts.
VIEWS = ((1.5, False, False), (2.0, True, False), (1.0, False, False), (2.0, False, True),
         (2.5, False, False), (3.0, True, False))  # fmt: skip
ONE_LINE = 40  # pixels: an ink box this low is one line of text, read as a line
INK = 2  # pixels kept around the ink of a region read
MAX_REREAD = 3  # words of one region read again on their own, at most
ROOM = 10  # pixels more around it for the ink check: a light accent or period is there
RULE_REST = 10  # pixels: a stroke this thin along a crop's edge is what is left of a rule
SPECK = 12  # pixels: a smaller mark on the edge is noise
MARGIN = 12  # white pixels around a crop: Tesseract reads badly at the very edge
RUN_GAP = 2.0  # of a word's height: a wider gap on a line separates label, code and name
_NUMERIC = re.compile(r"-?[\d.,]*\d[\d.,]*%?")

Reader = Callable[[np.ndarray], list[WordRead]]


@dataclass(frozen=True)
class Read:
    """A word of the page model: its text and box in page pixels, and what confirms it."""

    text: str
    x0: int
    y0: int
    x1: int
    y1: int
    confidence: float
    doubt: str | None  # None: two views agreed


@dataclass(frozen=True)
class _View:
    words: list[WordRead]  # boxes in the padded crop at scale 1
    text: str
    confidence: float


def _pad(image: np.ndarray) -> np.ndarray:
    return cv2.copyMakeBorder(image, MARGIN, MARGIN, MARGIN, MARGIN, cv2.BORDER_CONSTANT, value=255)


def _scaled(crop: np.ndarray, scale: float) -> np.ndarray:
    if scale == 1:
        return crop
    return cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)


def _binarized(crop: np.ndarray) -> np.ndarray:
    _, binary = cv2.threshold(
        cv2.GaussianBlur(crop, (3, 3), 0), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU
    )
    return binary


def _view(reader: Reader, image: np.ndarray, scale: float) -> _View:
    """One read of a crop (as shown, ``scale`` times its size), boxes back at scale 1."""
    words = reader(_pad(image))
    if scale != 1:

        def back(v: int) -> int:
            return round((v - MARGIN) / scale) + MARGIN

        words = [
            WordRead(w.text, w.confidence, back(w.x0), back(w.y0), back(w.x1), back(w.y1))
            for w in words
        ]
    text = " ".join(w.text for w in words)
    return _View(words, text, min((w.confidence for w in words), default=0.0))


def _is_number(text: str) -> bool:
    return _NUMERIC.fullmatch(text) is not None


def _confirmed(
    crop: np.ndarray,
    text_reader: Reader,
    engine: Engine,
    *,
    numbers: bool = False,
    context: tuple[np.ndarray, int, int] | None = None,
) -> tuple[_View, str | None]:
    """The crop's text, read in turn in each view until two agree (one confident) on a
    text the ink check (``marks``) finds nothing against. ``numbers``: the digits-only
    view is tried even when no view read a number (a lone digit in a small cell can read
    as letters). ``context``: the crop with more room around it, and where the crop lies
    in it, for the ink check."""
    reader = engine.line_words if crop.shape[0] <= ONE_LINE else text_reader
    room, dx, dy = context or (crop, 0, 0)
    done: list[_View] = []
    against: tuple[_View, str] | None = None  # an agreement the ink check doubts
    for scale, binarized, digits in VIEWS:
        if digits and not numbers and not any(_is_number(v.text) for v in done):
            continue  # the digits-only view is a vote for what may be a number
        image = _scaled(crop, scale)
        view = _view(engine.number_words if digits else reader,
                     _binarized(image) if binarized else image, scale)  # fmt: skip
        for other in done:
            least = CONFIDENT if _is_number(view.text) else CONFIDENT_TEXT
            if view.text != other.text or not view.text:
                continue
            if max(view.confidence, other.confidence) < least:
                continue
            agreed = other if other.confidence >= view.confidence else view
            agreed, doubt = _checked(engine, room, agreed, MARGIN - dx, MARGIN - dy)
            if doubt is None:
                return agreed, None
            against = against or (agreed, doubt)
        done.append(view)
    if against:
        return against
    first = done[0]
    least = CONFIDENT if _is_number(first.text) else CONFIDENT_TEXT
    if first.confidence < least:
        return (
            first,
            f"read {first.text!r} with confidence {first.confidence:.0f} (below {least:.0f})",
        )
    return first, f"read {first.text!r}, {OCR_DISAGREE} {done[1].text!r}"


def _checked(
    engine: Engine, room: np.ndarray, view: _View, dx: int, dy: int
) -> tuple[_View, str | None]:
    """The view as the ink check (``marks``) leaves it. Where the ink shows no space between
    two words, they are one (the characters are the agreed ones, the space the ink's).
    Where it doubts one word, that word is read again on its own, enlarged, in two views
    (from a letter no word's box held, if that is the doubt); if they agree (one
    confident), their words replace it, and the check starts again."""
    for _ in range(MAX_REREAD):
        doubt = marks.doubt(room, view.words, dx, dy)
        if doubt is None or doubt.word is None:
            break
        words = list(view.words)
        if doubt.join:
            left, right = words[doubt.word : doubt.word + 2]
            words[doubt.word : doubt.word + 2] = [_joined(left, right)]
        elif doubt.reach is None or not (again := _reread(engine, room, doubt, words, dx, dy)):
            break
        else:
            words[doubt.word : doubt.word + 1] = again
        view = _View(words, " ".join(w.text for w in words), view.confidence)
    else:
        doubt = marks.doubt(room, view.words, dx, dy)
    return view, doubt.reason if doubt else None


def _joined(left: WordRead, right: WordRead) -> WordRead:
    return WordRead(left.text + right.text, min(left.confidence, right.confidence),
                    min(left.x0, right.x0), min(left.y0, right.y0),
                    max(left.x1, right.x1), max(left.y1, right.y1))  # fmt: skip


def _reread(
    engine: Engine,
    room: np.ndarray,
    doubt: marks.Doubt,
    words: list[WordRead],
    dx: int,
    dy: int,
) -> list[WordRead] | None:
    """The doubted word read again from its part of the region (its marks' reach included,
    and from ``doubt.start`` when a letter before it was in no word): the words two views
    agree on, or None. A word read alone must stay one word; a span may hold several, placed
    on its ink (``marks.spans``)."""
    word = words[doubt.word]
    height = word.y1 - word.y0
    y0, y1 = max(word.y0 - dy - height // 2, 0), word.y1 - dy + height // 4
    x0 = max((word.x0 - dx if doubt.start is None else doubt.start) - 2, 0)
    crop = _sides_cleared(room[y0:y1, x0 : doubt.reach])
    if not crop.size:
        return None
    texts: list[_View] = []
    for scale, binarized in ((2.0, False), (3.0, True), (3.0, False)):
        image = _scaled(crop, scale)
        view = _view(engine.line_words, _binarized(image) if binarized else image, scale)
        alone = doubt.start is None
        if not view.words or (alone and len(view.words) != 1) or view.text == word.text:
            continue
        for other in texts:
            if other.text == view.text and max(other.confidence, view.confidence) >= CONFIDENT_TEXT:
                confidence = min(view.confidence, word.confidence)
                if alone:
                    return [WordRead(view.text, confidence, word.x0, word.y0, word.x1, word.y1)]
                line = crop[word.y0 - dy - y0 : word.y1 - dy - y0]  # not the lines around
                found = marks.spans(line, len(view.words))
                if found is None:
                    return None
                return [
                    WordRead(w.text, confidence, x0 + dx + left, word.y0, x0 + dx + right, word.y1)
                    for w, (left, right) in zip(view.words, found, strict=True)
                ]
        texts.append(view)
    return None


def _sides_cleared(crop: np.ndarray) -> np.ndarray:
    """A crop with the ink touching its left or right side erased: the neighbours' letters."""
    crop = crop.copy()
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink_fixed(crop))
    for label in range(1, count):
        x, _, w, _, _ = stats[label]
        if x == 0 or x + w == crop.shape[1]:
            crop[labels == label] = 255
    return crop


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
        touches = x == 0 or y == 0 or x + w == width or y + h == height
        if on_side or on_end or (area < SPECK and touches):
            crop[labels == label] = 255
    return crop


def _reads(view: _View, doubt: str | None, x: int, y: int) -> list[Read]:
    """A view's words as page reads: the region's offset (x, y) on the page added."""
    return [
        Read(w.text, x + w.x0 - MARGIN, y + w.y0 - MARGIN, x + w.x1 - MARGIN, y + w.y1 - MARGIN,
             view.confidence, doubt)
        for w in view.words
    ]  # fmt: skip


def cell_reads(engine: Engine, scan: Scan, cell: Box) -> list[Read]:
    """The words in one table cell, each with the cell's verdict: a cell is confirmed as a
    whole, because its value is the whole text. A cell with ink but no text read is a '?'."""
    inset = Box(cell.x0 + 3, cell.y0 + 3, cell.x1 - 3, cell.y1 - 3)
    if inset.width <= 0 or inset.height <= 0 or not has_ink(scan.clean, inset):
        return []
    crop, x, y = _inked(_crop(scan, inset))
    # The ink check looks up to the cell's rules, on the page with less erased around
    # them: an accent of a cell's first line can nearly touch the rule above it.
    cx, cy = inset.x0 + x, inset.y0 + y
    rx, ry = max(cx - ROOM, cell.x0 - 1, 0), max(cy - ROOM, cell.y0 - 1, 0)
    room = scan.lean[
        ry : min(cy + crop.shape[0] + ROOM, cell.y1 + 1),
        rx : min(cx + crop.shape[1] + ROOM, cell.x1 + 1),
    ]
    view, doubt = _confirmed(
        crop, engine.block_words, engine, numbers=True, context=(room, cx - rx, cy - ry)
    )
    if not view.text:
        return [Read("?", cell.x0, cell.y0, cell.x1, cell.y1, 0.0, "marks that read as no text")]
    return _reads(view, doubt, inset.x0 + x, inset.y0 + y)


def _inked(crop: np.ndarray) -> tuple[np.ndarray, int, int]:
    """The part of a crop that holds ink, and its offset: Tesseract reads a small number
    in a tall empty cell badly, and the same number cropped close well."""
    ys, xs = np.nonzero(ink_fixed(crop))
    if not len(ys):
        return crop, 0, 0
    y0, x0 = max(int(ys.min()) - INK, 0), max(int(xs.min()) - INK, 0)
    return crop[y0 : int(ys.max()) + INK + 1, x0 : int(xs.max()) + INK + 1], x0, y0


def page_reads(engine: Engine, scan: Scan) -> list[Read]:
    """The words outside the tables (title, header block, FECHA, signatures).

    Tesseract's read of the whole page only finds where the text is: each run of words on
    a line (a label, a code, a name) is then read as a line until two views agree."""
    page = scan.clean.copy()
    for table in scan.tables:
        page[table.y0 : table.y1, table.x0 : table.x1] = 255
    found = []
    # Where the page read finds only a mark (a dash, a dot), there is no word to start a
    # run from: a smudge or what is left of a rule, or a mark inside a run read as a line.
    words = [w for w in engine.page_words(page) if any(c.isalnum() for c in w.text)]
    for run in _runs(words):
        found.extend(_run_reads(engine, page, run))
    return found


def _run_reads(engine: Engine, page: np.ndarray, run: list[WordRead]) -> list[Read]:
    """A run read as one line; if no two views agree on it, its parts either side of its
    widest gap read each on its own (a label run into its code reads worse than each)."""
    x0, y0 = max(min(w.x0 for w in run) - 2, 0), max(min(w.y0 for w in run) - 2, 0)
    x1, y1 = max(w.x1 for w in run) + 2, max(w.y1 for w in run) + 2
    rx, ry = max(x0 - ROOM, 0), max(y0 - ROOM, 0)
    room = page[ry : y1 + ROOM, rx : x1 + ROOM]
    view, doubt = _confirmed(
        page[y0:y1, x0:x1], engine.line_words, engine, context=(room, x0 - rx, y0 - ry)
    )
    if doubt is None or len(run) == 1:
        return _reads(view, doubt, x0, y0)
    cut = max(range(1, len(run)), key=lambda i: run[i].x0 - run[i - 1].x1)
    return _run_reads(engine, page, run[:cut]) + _run_reads(engine, page, run[cut:])


def _runs(words: list[WordRead]) -> list[list[WordRead]]:
    """Words on one line with no wide gap between them (gaps separate label, code, name).

    Lines first — a word joins the line whose middle is within half the line's height of
    its own — then each line cut at its wide gaps, so that no two runs overlap (a short
    word a little off the line would otherwise be read twice, alone and inside another)."""
    lines: list[list[WordRead]] = []
    for word in sorted(words, key=lambda w: (w.y0 + w.y1) / 2):
        middle = (word.y0 + word.y1) / 2
        if lines:
            line = lines[-1]
            top, bottom = min(w.y0 for w in line), max(w.y1 for w in line)
            if abs(middle - (top + bottom) / 2) <= (bottom - top) / 2:
                line.append(word)
                continue
        lines.append([word])
    runs: list[list[WordRead]] = []
    for line in lines:
        height = max(w.y1 for w in line) - min(w.y0 for w in line)
        line.sort(key=lambda w: w.x0)
        runs.append([line[0]])
        for word in line[1:]:
            if word.x0 - max(w.x1 for w in runs[-1]) > RUN_GAP * height:
                runs.append([word])
            else:
                runs[-1].append(word)
    return runs
