"""The spreadsheet front end on hostile workbooks: what a sheet does not show exactly is
quarantined or refused with the reason, never read as something else.

Built from the committed workbook of the samples (LibreOffice), edited with openpyxl the
way a program that does not calculate would leave it. Meta 101 of the 2023 report is row 23
of sheet '2023-58101': F23 META ANUAL 30, P23 ACUMULADO RELATIVO 0.7 shown "0%" → 70%.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT

from poa_etl.errors import RejectedFile
from poa_etl.extract import MEDIA_TYPES, read_reports
from poa_etl.extract.spreadsheet.numfmt import FormatNotShown, shown
from poa_etl.extract.spreadsheet.ods import ods_sheets
from poa_etl.transform.normalize import normalize_file

VARIANTS = ROOT / "tests" / "fixtures" / "variants"
WORKBOOK = VARIANTS / "workbooks" / "ctcm_poa_2022_2024.xlsx"


def edited(**cells: object) -> bytes:
    """The samples' workbook with cells of sheet '2023-58101' set, saved by openpyxl."""
    book = openpyxl.load_workbook(WORKBOOK)
    sheet = book["2023-58101"]
    for coordinate, value in cells.items():
        if isinstance(value, tuple):
            sheet[coordinate].value, sheet[coordinate].number_format = value
        else:
            sheet[coordinate].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def quarantined(name: str, data: bytes) -> list[tuple[str, str]]:
    tables = normalize_file("s", read_reports(name, data, "spreadsheet")[0])
    return tables["quarantine"][["location", "reason"]].values.tolist()


def test_a_formula_without_a_saved_value_is_quarantined_not_read_blank() -> None:
    data = edited(P23="=O23/F23")  # openpyxl saves the formula, not its value
    assert quarantined("f.xlsx", data) == [
        ["f.xlsx sheet '2023-58101' row 23",
         "ACUMULADO RELATIVO: '#FORMULA WITHOUT A SAVED VALUE' is not a percentage"],
        ["f.xlsx sheet '2024-58102' row 20",
         "9 period values where 8 belong (P and A for four quarters): the values do not line "
         "up with the columns, so none of them can be assigned to a quarter"],
    ]  # fmt: skip


def test_a_number_format_not_rendered_is_quarantined_not_guessed() -> None:
    data = edited(F23=(30, "0.00E+00"))  # shown "3.00E+01"
    assert quarantined("e.xlsx", data)[0] == [
        "e.xlsx sheet '2023-58101' row 23",
        "META ANUAL AUTORIZADA: \"#NOT RENDERED: 30 under the number format '0.00E+00'\" is "
        "not a number",
    ]


def test_numbers_read_as_their_format_shows_them() -> None:
    """1,200 with thousands separators; 0.6667 shown "0%" is 67%, as printed."""
    data = edited(F23=(1200, "#,##0"), P23=(0.6667, "0%"), G23=(7, "0.0"))
    tables = normalize_file("s", read_reports("n.xlsx", data, "spreadsheet")[0])
    meta = tables["metas"].set_index("meta_id").loc[101]
    assert (meta["annual_target"], meta["reported_relative_pct"]) == (1200, 67)
    progress = tables["progress"]
    assert progress[(progress["meta_id"] == 101) & (progress["quarter"] == 1)][
        "value"
    ].tolist() == [7, 7]


def test_a_sheet_with_text_but_no_report_rejects_the_workbook() -> None:
    book = openpyxl.load_workbook(WORKBOOK)
    book.create_sheet("Notas")["A1"] = "Cifras preliminares"
    book.create_sheet("Hoja vacía")
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(RejectedFile) as caught:
        read_reports("notas.xlsx", out.getvalue(), "spreadsheet")
    assert str(caught.value) == (
        "sheet 'Notas' holds text but no report: not a TMM-F004 report: no title "
        "'PROGRAMA OPERATIVO ANUAL <year>' found"
    )


@pytest.mark.parametrize(
    ("fixture", "name"),
    [("workbooks/ctcm_poa_2022_2024.xlsx", "libro.xlsm"),
     ("csv/ctcm_poa_2022_2024-2023-58101.txt", "export.tsv")],
)  # fmt: skip
def test_xlsm_and_tsv_are_read_as_spreadsheets(fixture: str, name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    shutil.copy(VARIANTS / fixture, path)
    assert MEDIA_TYPES[path.suffix] == "spreadsheet"
    reports, _ = read_reports(name, path.read_bytes(), "spreadsheet")
    assert "2023-58101-20240930" in set(normalize_file("s", reports)["reports"]["report_id"])


def test_not_a_workbook_is_rejected_in_words() -> None:
    with pytest.raises(RejectedFile) as caught:
        read_reports("roto.xlsx", b"PK\x03\x04 not really a zip", "spreadsheet")
    assert str(caught.value).startswith("not a readable Excel workbook: ")
    with pytest.raises(RejectedFile) as caught:
        read_reports("roto.ods", b"plain text", "spreadsheet")
    assert str(caught.value) == ("not a readable OpenDocument spreadsheet: File is not a zip file")


def test_a_csv_of_an_empty_sheet_is_rejected_in_words() -> None:
    """Excel's "CSV UTF-8" of an empty sheet is its byte-order mark alone: no row for any
    delimiter, so none is preferred, and the file is not a report."""
    with pytest.raises(RejectedFile) as caught:
        read_reports("vacia.csv", b"\xef\xbb\xbf", "spreadsheet")
    assert str(caught.value) == (
        "not a TMM-F004 report: no title 'PROGRAMA OPERATIVO ANUAL <year>' found"
    )


SEMICOLON = VARIANTS / "csv" / "ctcm_poa_2022_58203_cp1252_semicolon.csv"
LISTED = "502.- DESARROLLAR HERRAMIENTAS: FOLLETOS, MAPAS, GUÍAS, VIDEOS, CARTELES, LONAS, " \
         "STANDS, REVISTAS, SITIOS WEB."  # fmt: skip


def _semicolon_with_commas() -> bytes:
    """The semicolon export with meta 502's description listing nine things, eight commas:
    split at its commas, that line alone has more cells than the P/A row has P and A."""
    text = SEMICOLON.read_bytes().decode("cp1252")
    old = "502.- DESARROLLAR LAS HERRAMIENTAS DE PROMOCIÓN TURÍSTICA PARA SU COMERCIALIZACIÓN."
    assert old in text
    return text.replace(old, LISTED).encode("cp1252")


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_the_delimiter_is_the_one_that_splits_the_p_a_row(suffix: str) -> None:
    """Semicolons split the row of P and A into eight cells, commas into none: a .csv is
    read with semicolons, commas and all; a .tsv is read with tabs only, and holds no
    table."""
    data = _semicolon_with_commas()
    if suffix == ".tsv":
        with pytest.raises(RejectedFile) as rejected:
            read_reports("x.tsv", data, "spreadsheet")
        assert str(rejected.value) == (
            "not a TMM-F004 report: no title 'PROGRAMA OPERATIVO ANUAL <year>' found"
        )
        return
    metas = normalize_file("s", read_reports("x.csv", data, "spreadsheet")[0])["metas"]
    assert metas.loc[metas["meta_id"] == 502, "description"].tolist() == [LISTED[6:]]
    assert metas["meta_id"].tolist() == [500, 501, 502, 503, 504, 505]


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (0.75, "0%", "75%"), (0.667, "0.0%", "66.7%"), (12000, "#,##0", "12,000"),
        (1234.5, "#,##0.00", "1,234.50"), (-1234.567, "#,##0.0", "-1,234.6"),
        (2.5, "0.00", "2.50"), (2.5, "General", "2.5"), (2.5, "", "2.5"), (30.0, "General", "30"),
        (0.75, "@", "0.75"), (7, "000", "007"), (0.1, "0.##", "0.1"), (3.14159, "0.##", "3.14"),
        (0.5, "0", "1"), (2.5, "0", "3"), (-2.5, "0", "-3"), (1.005, "0.00", "1.01"),
        (-5, "0;(0)", "(5)"), (5, "0;(0)", "5"), (0, "0;(0)", "0"),
        (-5, "0", "-5"), (5, '"$"#,##0', "$5"), (5, "[$$-80A]#,##0", "$5"),
        (5, "[Red]0", "5"), (5, '0 "metas"', "5 metas"), (5, "0\\ \\m", "5 m"),
        (1234567, "#,##0", "1,234,567"), (1234567, "0", "1234567"), (999, "#,##0", "999"),
        (5, "0_)", "5 "), (0.00005, "General", "0.00005"), (0.00005, "", "0.00005"),
    ],
)  # fmt: skip
def test_a_number_as_the_sheet_shows_it(value: float, number_format: str, text: str) -> None:
    assert shown(value, number_format) == text


@pytest.mark.parametrize(
    ("value", "number_format"),
    [(1234.5, "0.00E+00"), (1234.5, "# ?/?"), (1234.5, "#,##0,"),
     (0, '0;-0;"-"')],  # a zero shown as a dash: no number to read back
)  # fmt: skip
def test_formats_not_rendered_are_refused_not_guessed(value: float, number_format: str) -> None:
    with pytest.raises(FormatNotShown) as refused:
        shown(value, number_format)
    assert str(refused.value).startswith("number format ")


def _ods(tables: str) -> bytes:
    """An OpenDocument spreadsheet holding only ``content.xml`` with these tables."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("content.xml", content)
    return out.getvalue()


def test_an_ods_sheet_as_its_cells_show_it() -> None:
    """Spans, runs of spaces, tabs and line breaks inside a paragraph; paragraphs on lines
    of their own; repeated cells and rows written out; blank rows kept only before text."""
    row = "<table:table-row>{}</table:table-row>"
    cell = "<table:table-cell{}>{}</table:table-cell>"
    tables = (
        '<table:table table:name="POA">'
        + row.format(
            cell.format("", '<text:p><text:span>A</text:span>B<text:s text:c="3"/>C<text:s/>D'
                            "<text:tab/>E<text:line-break/>F</text:p>")
            + cell.format("", "<text:p>x</text:p><text:p>y</text:p>")
        )
        + row.format(cell.format("", ""))
        + '<table:table-row table:number-rows-repeated="2">'
          "<table:table-cell/></table:table-row>"
        + row.format(
            cell.format("", "")
            + cell.format(' table:number-columns-repeated="2"', "")
            + cell.format(' table:number-columns-repeated="3"', "<text:p>7</text:p>")
            + "<table:covered-table-cell/>" + cell.format("", "<text:p>z</text:p>")
        )
        + '<table:table-row table:number-rows-repeated="2">'
        + cell.format("", "<text:p>r</text:p>") + "</table:table-row>"
        + '<table:table-row table:number-rows-repeated="1000">'
          "<table:table-cell/></table:table-row>"
        + "</table:table><table:table>" + row.format(cell.format("", "<text:p>q</text:p>"))
        + "</table:table>"
    )  # fmt: skip
    sheets = [(name, rows) for name, rows in ods_sheets(_ods(tables))]
    assert sheets == [
        ("POA", [
            ["AB   C D\tE\nF", "x\ny"],
            [],
            [],
            [],
            ["", "", "", "7", "7", "7", "", "z"],
            ["r"],
            ["r"],
        ]),
        ("", [["q"]]),
    ]  # fmt: skip
