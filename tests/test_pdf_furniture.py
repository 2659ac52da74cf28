"""Page furniture (page numbers, a browser's addresses and dates, repeated edge lines) on
hand-made pages of Letter size (792 pt high: the bands are the top and bottom 47.52 pt)."""

from __future__ import annotations

from poa_etl.extract.lines import Line
from poa_etl.extract.pdf.furniture import furniture
from poa_etl.extract.pdf.lines import PageLine
from poa_etl.extract.pdf.page import Page, Word
from poa_etl.report.form import Location

HEIGHT = 792.0


def line(page: int, top: float, *cells: str) -> PageLine:
    """A line of ``cells`` at ``top`` (10 pt high), each cell one word 50 pt apart."""
    words = tuple(
        Word(cell, 50.0 * i, 50.0 * i + 40, top, top + 10, 10.0) for i, cell in enumerate(cells)
    )
    spans = tuple((w.x0, w.x1) for w in words)
    return PageLine(Line(tuple(cells), Location("f.pdf", page=page)), words, spans, page)


def found(*pages: list[PageLine]) -> list[str]:
    """The text of the lines taken for furniture."""
    given = [(Page(n, 612.0, HEIGHT, ()), lines) for n, lines in enumerate(pages, start=1)]
    ids = furniture(given)
    return [pl.line.text for _, lines in given for pl in lines if id(pl) in ids]


BODY = ("3.2.2", "103.- REALIZAR", "REUNIÓN", "36")


def test_page_numbers_and_addresses_at_the_edges_are_furniture() -> None:
    page = [
        line(1, 10, "file:///tmp/poa.html"),
        line(1, 300, *BODY),
        line(1, 770, "Página 1 de 2", "https://example.org/poa"),
    ]
    assert found(page) == ["file:///tmp/poa.html", "Página 1 de 2 https://example.org/poa"]


def test_only_the_bands_at_the_top_and_bottom_count() -> None:
    # 47.52 pt: a line ending at 47 is in the top band, one ending at 48 is not; one starting
    # at 745 is in the bottom band (from 744.48), one starting at 744 is not.
    assert found([line(1, 37, "1"), line(1, 300, *BODY), line(1, 745, "2")]) == ["1", "2"]
    assert found([line(1, 38, "1"), line(1, 300, *BODY), line(1, 744, "2")]) == []


def test_three_cells_or_words_of_a_report_are_not_page_marks() -> None:
    assert found([line(1, 770, "1", "2", "3")]) == []
    assert found([line(1, 770, "1", "TURISMO")]) == []
    assert found([line(1, 10, "Página 3"), line(1, 300, *BODY)]) == ["Página 3"]
    assert found([line(1, 10, "- 3 -"), line(1, 300, *BODY)]) == ["- 3 -"]
    assert found([line(1, 10, "3/4"), line(1, 300, *BODY)]) == ["3/4"]


def test_a_report_title_at_the_top_is_never_furniture() -> None:
    title = "XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA"
    # Repeated on both pages, in the band: still the report's.
    assert found([line(1, 10, title), line(1, 300, *BODY)],
                 [line(2, 10, title), line(2, 300, *BODY)]) == []  # fmt: skip
    year = "PROGRAMA OPERATIVO ANUAL 2024"
    assert found([line(1, 10, year), line(1, 300, *BODY)],
                 [line(2, 10, year), line(2, 300, *BODY)]) == []  # fmt: skip


def test_a_line_every_page_repeats_at_an_edge_is_furniture_digits_aside() -> None:
    first = [line(1, 10, "26/11/26, 3:14 p.m.", "Reporte"), line(1, 300, *BODY)]
    second = [line(2, 10, "26/11/26, 3:15 p.m.", "Reporte"), line(2, 300, *BODY)]
    assert found(first, second) == ["26/11/26, 3:14 p.m. Reporte", "26/11/26, 3:15 p.m. Reporte"]
    # On one page only, or at the top of one and the bottom of the other, it is not.
    assert found(first) == []
    moved = [line(2, 300, *BODY), line(2, 770, "26/11/26, 3:15 p.m.", "Reporte")]
    assert found(first, moved) == []
