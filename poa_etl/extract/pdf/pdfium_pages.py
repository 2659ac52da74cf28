"""The fast reader: each page parsed once by PDFium (pypdfium2), characters with their
boxes and directions, path segments and images, as a ``VectorPage``.

PDFium adds characters that are not printed — a space where it guesses a word gap, CR/LF
at line ends — and marks them as generated; they are dropped, since words and lines are
found from the boxes. A hyphen that ends a line it reports as U+0002; it is printed as
"-", and read so. A page whose characters PDFium cannot map to text is not trusted:
``read_page`` returns None and the caller reads that page with pdfplumber instead.
"""

from __future__ import annotations

import ctypes
import math
import re
import threading
from collections.abc import Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from poa_etl.errors import RejectedFile
from poa_etl.extract.pdf.orientation import direction
from poa_etl.extract.pdf.vector import Glyph, Segment, VectorPage

# PDFium is not thread-safe: one document is read at a time in a process.
LOCK = threading.RLock()
_HYPHEN_MARK = "\ufffe"  # how PDFium's text gives a hyphen that ends a line
_LINE_BREAKS = {"\n", "\r"}
_WHITE = {"\t", "\n", "\r", " ", "\xa0"}
# No text PDFium could tell: control characters, private use, the replacement character.
_UNMAPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ue000-\uf8ff\ufffd\uffff]")
_INVISIBLE = {raw.FPDF_TEXTRENDERMODE_INVISIBLE, raw.FPDF_TEXTRENDERMODE_CLIP}
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_NO_INK = 0.01  # points: a text object this small prints no glyph with ink
_RUN_GAP = 0.05  # of the font size: a glyph this close after another goes on its run
_SAME_LINE = 0.2  # of the font size: a blank this far off a baseline is not on it
_ALONG = {0: (1, 0), 90: (0, 1), 180: (-1, 0), 270: (0, -1)}


def open_document(data: bytes, password: str | None) -> pdfium.PdfDocument:
    """The document, or RejectedFile saying why it cannot be opened."""
    try:
        return pdfium.PdfDocument(data, password=password or None)
    except pdfium.PdfiumError as exc:
        if exc.err_code == raw.FPDF_ERR_PASSWORD:
            if password:
                raise RejectedFile("encrypted PDF: the password given does not open it") from None
            raise RejectedFile(
                "encrypted PDF: a password is needed to read it (--pdf-password)"
            ) from None
        if exc.err_code == raw.FPDF_ERR_SECURITY:
            raise RejectedFile("encrypted PDF: its security handler is not supported") from None
        if exc.err_code == raw.FPDF_ERR_SUCCESS:
            raise RejectedFile("the PDF has no pages") from None
        reason = {raw.FPDF_ERR_FORMAT: "its structure cannot be parsed"}.get(
            exc.err_code, "it cannot be opened"
        )
        raise RejectedFile(f"corrupt or truncated PDF: {reason}") from None


def read_page(document: pdfium.PdfDocument, index: int) -> VectorPage | None:
    """Page ``index`` (from 0), or None when PDFium's reading of it cannot be trusted."""
    try:
        page = document[index]
    except pdfium.PdfiumError:
        return None
    try:
        left, bottom, right, top = page.get_mediabox()
        vector = VectorPage(index + 1, (left, bottom, right, top))
        invisible = False
        blanks: list[tuple[float, float]] = []  # where text objects print only spaces
        for kind, obj, matrix in _objects(page.raw, None, _IDENTITY, 0):
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                invisible = invisible or raw.FPDFTextObj_GetTextRenderMode(obj) in _INVISIBLE
                if (blank := _blank(obj)) is not None:
                    blanks.append(blank)
            elif kind == raw.FPDF_PAGEOBJ_IMAGE:
                vector.images += 1
            elif kind == raw.FPDF_PAGEOBJ_PATH:
                vector.segments.extend(_segments(obj, matrix))
        textpage = page.get_textpage()
        try:
            return vector if _read_text(textpage.raw, vector, invisible, blanks) else None
        finally:
            textpage.close()
    except pdfium.PdfiumError:
        return None
    finally:
        page.close()


def _read_text(
    textpage: object, vector: VectorPage, invisible: bool, blanks: list[tuple[float, float]]
) -> bool:
    """Fill the page's glyphs; False if a character has no text PDFium can tell.
    ``invisible``: the page has invisible text objects, so each character's is asked.

    PDFium drops a space printed as a text object of its own (browsers print each glyph
    so) and puts a space of its own making in its place: where one of ``blanks`` lies
    in the gap such a space fills, the printed space is put back.
    """
    text = _page_text(textpage)
    if text is None:
        return False
    box_of, origin_of = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetCharOrigin
    matrix_of, size_of = raw.FPDFText_GetMatrix, raw.FPDFText_GetFontSize
    box, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
    x, y = ctypes.c_double(), ctypes.c_double()
    turns: dict[tuple[float, float, float, float], tuple[int | None, float]] = {}
    glyphs = vector.glyphs
    gap = False  # PDFium made up a space after the last glyph
    for index, char in enumerate(text):
        if char in _WHITE:
            if char in _LINE_BREAKS:
                gap = False
                continue
            if raw.FPDFText_IsGenerated(textpage, index) == 1:
                gap = char == " " and bool(blanks) and bool(glyphs)
                continue
        elif char == _HYPHEN_MARK:
            if raw.FPDFText_IsHyphen(textpage, index) != 1:
                return False
            char = "-"  # a hyphen that ends a line, as printed
        elif _UNMAPPED.match(char):
            return False
        if invisible and _is_invisible(textpage, index):
            vector.invisible += 1
            continue
        box_of(textpage, index, box)
        origin_of(textpage, index, x, y)
        ox, oy = x.value, y.value
        if glyphs and _follows(glyphs[-1], ox, oy):
            turned, size = glyphs[-1].direction, glyphs[-1].size  # the same run of text
        else:
            matrix_of(textpage, index, matrix)
            key = (matrix.a, matrix.b, matrix.c, matrix.d)
            turn = turns.get(key)
            if turn is None:
                scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
                turn = turns[key] = (direction(matrix.a, matrix.b), scale)
            turned, size = turn[0], size_of(textpage, index) * turn[1]
        if gap and (space := _printed_space(glyphs[-1], ox, oy, size, blanks)):
            glyphs.append(space)
        gap = False
        glyphs.append(Glyph(char, box.left, box.bottom, box.right, box.top, ox, oy, turned, size))
    return True


def _follows(before: Glyph, x: float, y: float) -> bool:
    """Whether a glyph at origin (x, y) goes on the run of ``before``: on its baseline,
    starting where it ends (so drawn with the same font and matrix, whose calls are spared).
    """
    if before.direction == 0:  # the common case first
        return y == before.oy and before.ox < x <= before.x1 + _RUN_GAP * before.size
    if before.direction == 180:
        return y == before.oy and before.x0 - _RUN_GAP * before.size <= x < before.ox
    if before.direction == 90:
        return x == before.ox and before.oy < y <= before.y1 + _RUN_GAP * before.size
    if before.direction == 270:
        return x == before.ox and before.y0 - _RUN_GAP * before.size <= y < before.oy
    return False


def _blank(obj: object) -> tuple[float, float] | None:
    """Where a text object that prints nothing visible (a space) stands, if it is one."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
    if right.value - left.value < _NO_INK and top.value - bottom.value < _NO_INK:
        return left.value, bottom.value
    return None


def _printed_space(
    before: Glyph, x: float, y: float, size: float, blanks: list[tuple[float, float]]
) -> Glyph | None:
    """A space glyph from the previous glyph's end to the next glyph's origin (x, y), if a
    blank text object stands in that gap, on that baseline."""
    if before.direction is None:
        return None
    along = _ALONG[before.direction]
    start = (before.ox, before.oy)
    reach = (x - start[0]) * along[0] + (y - start[1]) * along[1]
    for bx, by in blanks:
        offset = (bx - start[0]) * along[0] + (by - start[1]) * along[1]
        across = abs((bx - start[0]) * along[1] - (by - start[1]) * along[0])
        if 0 < offset < reach and across < _SAME_LINE * size:
            return Glyph(" ", min(bx, x), min(by, y), max(bx, x), max(by, y), bx, by,
                         before.direction, size)  # fmt: skip
    return None


def _page_text(textpage: object) -> str | None:
    """The page's characters, one per character index (PDFium's own included), or None
    if PDFium cannot give them so."""
    count = raw.FPDFText_CountChars(textpage)
    if count < 0:
        return None
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(textpage, 0, count, buffer)
    text = bytes(buffer)[: max(written - 1, 0) * 2].decode("utf-16-le", errors="replace")
    return text if len(text) == count else None


def _is_invisible(textpage: object, index: int) -> bool:
    obj = raw.FPDFText_GetTextObject(textpage, index)
    return bool(obj) and raw.FPDFTextObj_GetTextRenderMode(obj) in _INVISIBLE


def _objects(
    page: object, form: object | None, matrix: Matrix, depth: int
) -> Iterator[tuple[int, object, Matrix]]:
    """Every page object, form XObjects opened, with its matrix to page space."""
    if form is None:
        count, get = raw.FPDFPage_CountObjects(page), raw.FPDFPage_GetObject
        parent = page
    else:
        count, get = raw.FPDFFormObj_CountObjects(form), raw.FPDFFormObj_GetObject
        parent = form
    for index in range(count):
        obj = get(parent, index)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            yield kind, obj, matrix
        elif kind in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM):
            own = raw.FS_MATRIX()
            raw.FPDFPageObj_GetMatrix(obj, own)
            placed = _multiply((own.a, own.b, own.c, own.d, own.e, own.f), matrix)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                if depth < 8:
                    yield from _objects(page, obj, placed, depth + 1)
            else:
                yield kind, obj, placed


def _segments(path: object, matrix: Matrix) -> Iterator[Segment]:
    """The straight segments of a path, in page space (curves only move the pen)."""
    x, y = ctypes.c_float(), ctypes.c_float()
    start = current = None
    for index in range(raw.FPDFPath_CountSegments(path)):
        segment = raw.FPDFPath_GetPathSegment(path, index)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = _apply(matrix, x.value, y.value)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == raw.FPDF_SEGMENT_LINETO and current is not None:
            yield (*current, *point)
        current = point
        if raw.FPDFPathSegment_GetClose(segment) and start is not None and current != start:
            yield (*current, *start)
            current = start


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)  # fmt: skip


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f
