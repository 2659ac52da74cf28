"""Hostile layout dumps, each made from a committed real one (tests/fixtures/variants/dumps)
by the one defect a producer really makes: each tolerance reads the file exactly as
published or refuses it with the reason — never a value in another column.
"""

from __future__ import annotations

import pandas as pd
import pytest
from test_renderings import REFERENCE, VARIANTS, comparable, mutated_dump

from poa_etl.errors import RejectedFile
from poa_etl.extract import read_reports
from poa_etl.transform.accounting import parts
from poa_etl.transform.normalize import normalize_file

GERENCIA = "poa2024_ramo58_ue58102.layout.txt"  # pdftotext -layout of the published PDF
DIRECCION = "poa2023_ramo58_ue101.layout.txt"
REPORT = "2024-58102-20240930"


def tables_from(name: str, data: bytes) -> dict[str, pd.DataFrame]:
    reports, _ = read_reports(name, data, "text")
    for report in reports:
        assert report.lines_read == sum(parts(report).values()), report.location
    return normalize_file("source", reports)


def refusal(data: bytes) -> str:
    with pytest.raises(RejectedFile) as caught:
        tables_from("hostil.txt", data)
    return str(caught.value)


PUBLISHED = tables_from(GERENCIA, (VARIANTS / "dumps" / GERENCIA).read_bytes())


def unit_of(tables: dict[str, pd.DataFrame]) -> tuple[str, str, str]:
    (row,) = tables["reports"][["unit_code", "unit_code_raw", "unit_name"]].itertuples(index=False)
    return tuple(row)


def test_the_published_dump_reads_its_unit() -> None:
    assert unit_of(PUBLISHED) == ("58102", "58102", "GERENCIA ADMINISTRATIVA")


@pytest.mark.parametrize(
    ("edits", "after"),
    [
        # a wide font in a narrow column: label, code and name with no space between
        ({6: "UNIDAD EJECUTORA58102GERENCIA ADMINISTRATIVA"}, {}),
        # pdftotext -fixed spreads the label's words as wide apart as its cells
        ({6: "UNIDAD        EJECUTORA        58102        GERENCIA ADMINISTRATIVA"}, {}),
        # the label wraps in its cell: "EJECUTORA" alone on the next line
        ({6: "UNIDAD                58102   GERENCIA ADMINISTRATIVA"}, {6: "EJECUTORA"}),
    ],
    ids=["glued", "spread", "wrapped"],
)
def test_a_header_label_glued_spread_or_wrapped_is_read_whole(
    edits: dict[int, str], after: dict[int, str]
) -> None:
    tables = tables_from("hostil.txt", mutated_dump(GERENCIA, edits, after))
    assert unit_of(tables) == ("58102", "58102", "GERENCIA ADMINISTRATIVA")
    assert comparable(tables, [REPORT]) == comparable(PUBLISHED, [REPORT])


def test_a_code_glued_to_its_name_is_split_where_the_letters_begin() -> None:
    data = mutated_dump(GERENCIA, {9: "SUBFUNCION            3.7.1TURISMO"})
    tables = tables_from("hostil.txt", data)
    (row,) = tables["reports"][["subfuncion_code", "subfuncion_name"]].itertuples(index=False)
    assert tuple(row) == ("3.7.1", "TURISMO")


def test_a_header_word_broken_in_its_cell_is_read_whole() -> None:
    """DejaVu Sans in Arial's column widths: "ACUMULAD" / "O RELATIVO", "OBSERVACIONE" /
    "S"; the row of meta 201 keeps its 21 and 70 % in their columns."""
    lines = (VARIANTS / "dumps" / GERENCIA).read_text(encoding="utf-8").split("\n")
    data = mutated_dump(
        GERENCIA,
        {
            15: lines[14].replace("ACUMULADO", "ACUMULAD "),
            16: lines[15].replace("OBSERVACIONES", "OBSERVACIONE "),
            17: lines[16].replace("ABSOLUTO RELATIVO", "ABSOLUTO O RELATIVO   S"),
        },
    )
    tables = tables_from("hostil.txt", data)
    metas = tables["metas"].set_index("meta_id")
    assert (metas.at[201, "reported_absolute"], metas.at[201, "reported_relative_pct"]) == (
        21,
        70,
    )
    assert comparable(tables, [REPORT]) == comparable(PUBLISHED, [REPORT])


CROWDED = "chromium_letter_portrait_11pt.layout.txt"  # pdftotext -layout of an 11 pt print
LEGAL_115 = "lo_arial_legal_landscape_115pct"  # its 2024-58102 table goes on to page 4
META_207 = ["SUMINISTROS", 12, 9, 75]  # unit, annual target, absolute, relative (tab dump)
PERIODS_207 = [3, 3, 3, 3, 3, 3, 3, 0]  # Ene-Mar P, A, ... Oct-Dic P, A


def meta_207(tables: dict[str, pd.DataFrame]) -> tuple[list, list]:
    metas = tables["metas"].set_index(["report_id", "meta_id"])
    row = metas.loc[(REPORT, 207), ["unit_of_measure", "annual_target", "reported_absolute",
                                    "reported_relative_pct"]].tolist()  # fmt: skip
    progress = tables["progress"]
    values = progress[(progress["report_id"] == REPORT) & (progress["meta_id"] == 207)]
    ordered = values.sort_values(["quarter", "measure"], ascending=[True, False])
    return row, ordered["value"].tolist()


def test_a_table_going_on_to_a_page_without_its_header_is_read_at_a_fixed_pitch() -> None:
    """pdftotext -fixed 3: page 4 stands at the pitch of page 3, its own margin aside."""
    tables = tables_from("f.txt", (VARIANTS / "dumps" / f"{LEGAL_115}.fixed3.txt").read_bytes())
    assert meta_207(tables) == (META_207, PERIODS_207)


def test_pages_without_header_at_their_own_pitch_are_read_by_the_order_of_numbers() -> None:
    """pdftotext -layout sets each page at a pitch of its own ('3    3   3' on page 4 where
    page 3 has '0    0    1'), so no number there stands under its column; but the rows of
    pages 4 (meta 207) and 8 (metas 404, 405) have all 11 of their numbers, one to a
    column, so their order says which column each is in. The dump with report 2024-58201
    (lines 106-165, whose page 6 is refused) cut out gives the tab dump's rows."""
    lines = (VARIANTS / "dumps" / f"{LEGAL_115}.layout.txt").read_text(encoding="utf-8")
    kept = lines.split("\n")
    data = "\n".join(kept[:105] + kept[165:]).encode()
    tables = tables_from("l.txt", data)
    assert meta_207(tables) == (META_207, PERIODS_207)
    reports = ["2023-58101-20240930", REPORT, "2024-58202-20240930", "2022-58203-20240930"]
    assert sorted(tables["reports"]["report_id"]) == sorted(reports)
    assert comparable(tables, reports) == comparable(REFERENCE, reports)


def test_a_whole_row_whose_numbers_moved_past_a_page_break_is_read_by_their_order() -> None:
    """Meta 207's numbers three characters right of where page 3's stand, all 11 there."""
    name = f"{LEGAL_115}.fixed3.txt"
    lines = (VARIANTS / "dumps" / name).read_text(encoding="utf-8").split("\n")
    moved = lines[95].replace("SUMINISTROS", "SUMINISTROS   ").replace("   75%", "75%")
    assert meta_207(tables_from("m.txt", mutated_dump(name, {96: moved}))) == (
        META_207, PERIODS_207,
    )  # fmt: skip


def test_a_row_with_a_blank_on_a_page_without_header_at_its_own_pitch_is_refused() -> None:
    """Meta 207 with its Oct-Dic A left blank: 10 numbers for 11 columns, at a pitch that
    is not page 3's, so nothing tells which column is the blank one."""
    name = f"{LEGAL_115}.layout.txt"
    lines = (VARIANTS / "dumps" / name).read_text(encoding="utf-8").split("\n")
    blank = lines[95].replace("3   0   9", "3       9")
    assert blank != lines[95]
    assert refusal(mutated_dump(name, {96: blank})) == (
        "line 96: the metas table goes on to page 4 without its header, set at a pitch of "
        "its own, and this row has 10 numbers for its 11 number columns, so a layout dump "
        "cannot tell which columns are blank; make the dump with `pdftotext -fixed 3`, or "
        "load the PDF itself"
    )


def test_a_page_without_header_and_no_meta_number_is_refused() -> None:
    """Page 4 holding only the end of meta 207's description: no meta number says where
    its descriptions start, so nothing places its text."""
    name = f"{LEGAL_115}.layout.txt"
    lines = (VARIANTS / "dumps" / name).read_text(encoding="utf-8").split("\n")
    data = mutated_dump(name, {94: lines[93].replace("207.- ", "      ")})
    assert refusal(data) == (
        "line 94: the metas table goes on to page 4 without its header; a text dump lays out "
        "each page on its own, so the columns cannot be matched across the page break; load "
        "the PDF itself"
    )


def test_a_period_value_shifted_between_two_columns_is_refused() -> None:
    """Meta 100 has blanks: where its "1 1" stand says they are Abr-Jun. Shifted three
    characters right, the first stands as far from Abr-Jun P as from Abr-Jun A."""
    lines = (VARIANTS / "dumps" / DIRECCION).read_text(encoding="utf-8").split("\n")
    data = mutated_dump(DIRECCION, {24: lines[23].replace("2" + " " * 18, "2" + " " * 21, 1)})
    assert refusal(data) == (
        "line 24: the value '1' stands between two of the P and A columns (3 and 3 "
        "characters from their letters), so a layout dump cannot tell which it belongs to; "
        "load the PDF itself"
    )


def test_crowded_p_and_a_letters_leave_rows_with_all_their_numbers_read_by_order() -> None:
    """Chromium's 11 pt print at -layout: pdftotext crowds the P and A letters ("P A P A")
    and the values ("7 7 7 7 7 7 9") one space apart, so where a value stands says nothing.
    Reports 2024-58102, 2024-58202 and 2022-58203 (lines 88-203 and 309-493) have every
    number there, 0 written out; read by their order, they give the tab dump's rows (meta
    200's "0  3  60%" quarantined as in the tab dump)."""
    lines = (VARIANTS / "dumps" / CROWDED).read_text(encoding="utf-8").split("\n")
    data = "\n".join(lines[87:203] + lines[308:]).encode()
    tables = tables_from("c.txt", data)
    reports = [REPORT, "2024-58202-20240930", "2022-58203-20240930"]
    assert sorted(tables["reports"]["report_id"]) == sorted(reports)
    assert comparable(tables, reports) == comparable(REFERENCE, reports)
    metas = tables["metas"].set_index(["report_id", "meta_id"])
    assert metas.loc[("2022-58203-20240930", 502), ["annual_target", "reported_absolute",
                                                     "reported_relative_pct"]].tolist() == [
        49, 37, 76,
    ]  # fmt: skip


def test_a_row_with_a_blank_under_crowded_letters_is_refused() -> None:
    """Meta 201 of the crowded print with its Oct-Dic A ("0") taken out: 10 numbers one
    space apart for 11 columns; which is blank, nothing in the dump says."""
    lines = (VARIANTS / "dumps" / CROWDED).read_text(encoding="utf-8").split("\n")
    blank = lines[123].replace("9 0", "9  ", 1)
    assert blank != lines[123]
    data = "\n".join(lines[87:203]).replace(lines[123], blank).encode()
    assert refusal(data) == (
        "line 37: the metas table's P and A letters stand one space apart (line 20: "
        "pdftotext crowded the table), and this row has 10 numbers for its 11 number "
        "columns, so a layout dump cannot tell which columns are blank; make the dump with "
        "`pdftotext -fixed 3`, or load the PDF itself"
    )


def test_a_row_with_a_number_too_many_under_crowded_letters_is_refused() -> None:
    """Meta 201 of the crowded print with a 12th number ("1" after its 70%): one number
    more than there are columns, so its order no longer says its columns."""
    lines = (VARIANTS / "dumps" / CROWDED).read_text(encoding="utf-8").split("\n")
    extra = lines[123].replace("70%", "70% 1")
    data = "\n".join(lines[87:203]).replace(lines[123], extra).encode()
    assert refusal(data) == (
        "line 20: 'P' and 'A' stand one space apart in the metas table's number columns: "
        "pdftotext crowded the line, so its values cannot be placed under their P and A "
        "letters; make the dump with `pdftotext -fixed 3`, or load the PDF itself"
    )


def test_text_between_the_numbers_on_a_page_without_header_is_refused() -> None:
    """Meta 207's unit set between its Abr-Jun and Jul-Sep numbers on page 4 (-layout):
    a row whose numbers are not one run cannot be read by their order."""
    name = f"{LEGAL_115}.layout.txt"
    lines = (VARIANTS / "dumps" / name).read_text(encoding="utf-8").split("\n")
    moved = (
        lines[95]
        .replace("SUMINISTROS   12", "12            ")
        .replace("3    3    3    3", "3    SUMINISTROS    3    3    3", 1)
    )
    assert "SUMINISTROS" in moved and moved != lines[95]
    assert refusal(mutated_dump(name, {96: moved})) == (
        "line 94: the metas table goes on to page 4 without its header; a text dump lays out "
        "each page on its own, so the columns cannot be matched across the page break; load "
        "the PDF itself"
    )


def test_values_crowded_one_space_apart_are_refused() -> None:
    lines = (VARIANTS / "dumps" / DIRECCION).read_text(encoding="utf-8").split("\n")
    data = mutated_dump(DIRECCION, {24: lines[23].replace("1    1", "1 1", 1)})
    assert refusal(data) == (
        "line 24: '1' and '1' stand one space apart in the metas table's number columns: "
        "pdftotext crowded the line, so its values cannot be placed under their P and A "
        "letters; make the dump with `pdftotext -fixed 3`, or load the PDF itself"
    )


def test_a_unit_moved_against_its_description_is_refused() -> None:
    """NOMINA set one space after "… PERSONALES", away from the middle of its column: the
    description or the unit, the dump cannot say."""
    lines = (VARIANTS / "dumps" / GERENCIA).read_text(encoding="utf-8").split("\n")
    moved = lines[23].replace("PERSONALES      NOMINA", "PERSONALES NOMINA     ")
    assert refusal(mutated_dump(GERENCIA, {24: moved})) == (
        "line 24: in '201.- SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES NOMINA' a layout dump "
        "cannot tell where the description ends and the unit of measure begins (descriptions "
        "reach column 61, units are centred on column 70); load the PDF itself"
    )


def test_a_unit_printed_as_a_number_with_the_target_blank_is_refused_not_shifted() -> None:
    """Meta 207 on page 4 (-layout) with its unit printed as the number 12 and its annual
    target blank: still 11 numbers in a run, but the first is the unit, so read by their
    order every value would land a column off. With no text between the description and
    the numbers, the row is not read by order."""
    name = f"{LEGAL_115}.layout.txt"
    lines = (VARIANTS / "dumps" / name).read_text(encoding="utf-8").split("\n")
    numbered = lines[95].replace("SUMINISTROS   12", "         12     ")
    assert numbered != lines[95] and "SUMINISTROS" not in numbered
    assert refusal(mutated_dump(name, {96: numbered})) == (
        "line 94: the metas table goes on to page 4 without its header; a text dump lays out "
        "each page on its own, so the columns cannot be matched across the page break; load "
        "the PDF itself"
    )
