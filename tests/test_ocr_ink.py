"""The ink check (``poa_etl.extract.ocr.marks``) on regions of the committed scans, with
the words Tesseract gave for them — boxes and all, as its two views agreed — and with the
words the page prints (the tab dump). No OCR engine runs: the page is only rendered and
turned upright, as the OCR front end does, and the region cut where the front end cuts it.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pypdfium2
from test_fixtures_manifest import VARIANTS

from poa_etl.extract.ocr import image, marks
from poa_etl.extract.ocr.engine import WordRead

SCANS = VARIANTS / "scans"


@cache
def _page(name: str) -> image.Scan:
    pdf = pypdfium2.PdfDocument((SCANS / name).read_bytes())
    try:
        gray = pdf[0].render(scale=image.DPI / 72, grayscale=True).to_numpy()
    finally:
        pdf.close()
    return image.scan((gray[..., 0] if gray.ndim == 3 else gray).copy())


def _cell(name: str, x: int, y: int, width: int, height: int) -> np.ndarray:
    """A table cell's region as the ink check gets it (rules erased with a pixel around)."""
    return _page(name).lean[y : y + height, x : x + width]


def _header(name: str, x: int, y: int, width: int, height: int) -> np.ndarray:
    """A region of the header block as the ink check gets it (the tables blanked)."""
    scan = _page(name)
    page = scan.clean.copy()
    for table in scan.tables:
        page[table.y0 : table.y1, table.x0 : table.x1] = 255
    return page[y : y + height, x : x + width]


def _words(*words: tuple[str, int, int, int, int]) -> list[WordRead]:
    return [WordRead(text, 95.0, x0, y0, x1, y1) for text, x0, y0, x1, y1 in words]


# Meta 300 of the two-page LibreOffice scan (200 dpi, page 1), its cell's second line:
# 'MEXICALI, A TRAVÉS DE UN PLAN INTEGRAL PROMOCIONAL'.
LO = "scan_lo_2024_58201_58202_200dpi_gray.pdf"
META_300 = (LO, 298, 1192, 915, 153)
LINE_2 = (("MEXICALI,", 4, 50, 151, 76), ("DE", 322, 50, 362, 74), ("UN", 374, 51, 415, 74),
          ("PLAN", 426, 50, 503, 74), ("INTEGRAL", 515, 50, 666, 74),
          ("PROMOCIONAL", 676, 50, 904, 74))  # fmt: skip


def test_a_letter_outside_every_word_read_is_doubted() -> None:
    """Both views read 'ATRAVÉS' with a box around 'TRAVÉS' alone: the 'A' printed before
    it lies in no word's box, a space apart from both neighbours."""
    region = _cell(*META_300)
    words = _words(LINE_2[0], ("ATRAVÉS", 191, 46, 312, 74), *LINE_2[1:])
    assert marks.doubt(region, words, 0, 0) == marks.Doubt(
        "read 'MEXICALI,' and 'ATRAVÉS', but the image shows a letter between them that no "
        "word read accounts for",
        1,
        322,
        start=161,
    )


def test_the_printed_words_of_that_line_pass() -> None:
    region = _cell(*META_300)
    words = _words(LINE_2[0], ("A", 161, 50, 182, 74), ("TRAVÉS", 191, 46, 312, 74), *LINE_2[1:])
    assert marks.doubt(region, words, 0, 0) is None


# The LINEAS DE ACCION value of report 58201 (LibreOffice scan, page 1): the page prints
# '3.2.2 PROMOCION DE VOCACIONES TURISTICAS ALTERNATIVAS,3.3.2 FORMACION,CAPACITACION E
# INCUBACION'.
ALIGNMENT = (LO, 508, 763, 1962, 67)
BEFORE = (("3.2.2", 12, 16, 85, 42), ("PROMOCION", 123, 16, 336, 42), ("DE", 350, 16, 395, 42),
          ("VOCACIONES", 406, 16, 634, 42), ("TURISTICAS", 646, 16, 849, 42),
          ("ALTERNATIVAS,3.3.2", 860, 16, 1203, 45))  # fmt: skip
AFTER = (("E", 1705, 16, 1725, 42), ("INCUBACION", 1738, 16, 1951, 42))


def test_a_space_read_where_the_ink_shows_none_is_doubted() -> None:
    """Both views read 'FORMACION, CAPACITACION', the comma outside the first box: the gap
    between the boxes looked like a space, the gap between the comma's ink and the C's is
    as narrow as between two letters."""
    region = _header(*ALIGNMENT)
    words = _words(*BEFORE, ("FORMACION,", 1233, 12, 1433, 55),
                   ("CAPACITACION", 1452, 16, 1682, 42), *AFTER)  # fmt: skip
    assert marks.doubt(region, words, 0, 0) == marks.Doubt(
        "read 'FORMACION,' and 'CAPACITACION' as two words, but the image shows no space "
        "between them",
        6,
        join=True,
    )


def test_the_printed_alignment_passes() -> None:
    region = _header(*ALIGNMENT)
    words = _words(*BEFORE, ("FORMACION,CAPACITACION", 1233, 12, 1682, 55), *AFTER)
    assert marks.doubt(region, words, 0, 0) is None


# Meta 102 of the 150 dpi colour scan of report 2023-58101, its cell's first line:
# '102.CELEBRAR SESIONES DEL ÓRGANO DE GOBIERNO'.
META_102 = ("scan_poa2023_ue101_150dpi_color.pdf", 300, 1303, 838, 115)
LINE_1 = (("SESIONES", 234, 12, 389, 36), ("DEL", 399, 12, 457, 37))
END_1 = (("DE", 612, 12, 651, 36), ("GOBIERNO", 662, 12, 827, 36))


def test_an_accent_blurred_onto_its_letter_is_counted() -> None:
    """At 150 dpi the acute accent of 'ÓRGANO' touches the O: both views read 'ORGANO'."""
    region = _cell(*META_102)
    words = _words(("102.CELEBRAR", 4, 8, 222, 46), *LINE_1, ("ORGANO", 466, 10, 602, 36), *END_1)
    assert marks.doubt(region, words, 0, 0) == marks.Doubt(
        "read 'ORGANO', but the image shows 1 accent mark(s) where that reading has 0", 3, 612
    )


def test_the_number_run_into_its_description_is_one_word() -> None:
    """The page prints '102.CELEBRAR'; Tesseract read '102.' and 'CELEBRAR', boxes apart."""
    region = _cell(*META_102)
    words = _words(("102.", 4, 12, 58, 36), ("CELEBRAR", 74, 8, 222, 46), *LINE_1,
                   ("ÓRGANO", 466, 10, 602, 36), *END_1)  # fmt: skip
    assert marks.doubt(region, words, 0, 0) == marks.Doubt(
        "read '102.' and 'CELEBRAR' as two words, but the image shows no space between them",
        0,
        join=True,
    )


def test_the_printed_first_line_of_meta_102_passes() -> None:
    region = _cell(*META_102)
    words = _words(("102.CELEBRAR", 4, 8, 222, 46), *LINE_1, ("ÓRGANO", 466, 10, 602, 36), *END_1)
    assert marks.doubt(region, words, 0, 0) is None
