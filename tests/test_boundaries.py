"""Every quality rule and limit on both sides of its threshold, one case a side.

The rules run on a warehouse in memory holding hand-made rows (no file read), so each case
costs milliseconds: a report of fiscal year 2024, unit 58101, whose FECHA and cells a case
sets. Expected messages are written out in full.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest
from conftest import ROOT

from poa_etl.errors import RejectedFile
from poa_etl.extract.options import ReadOptions
from poa_etl.extract.pdf.reader import read_pdf
from poa_etl.publish.csv_export import _cell_sql
from poa_etl.report.cells import CellError, parse_number, split_meta_number
from poa_etl.store.warehouse import ensure_schema
from poa_etl.transform.normalize import canonical_unit_code
from poa_etl.transform.quality import find_issues
from schemas import TABLES

SEP30 = date(2024, 9, 30)


def warehouse_with(
    metas: list[dict] | None = None,
    cut_off: date = SEP30,
    fiscal_year: int = 2024,
    **header: str | None,
) -> duckdb.DuckDBPyConnection:
    """A warehouse in memory with one report (unit 58101) and the given metas; each meta's
    ``periods`` are its P and A values of Ene-Mar … Oct-Dic (None: blank)."""
    con = duckdb.connect()
    ensure_schema(con)
    add_report(con, "R", fiscal_year, cut_off, **header)
    for meta in metas or []:
        add_meta(con, "R", fiscal_year, **meta)
    return con


def add_report(
    con: duckdb.DuckDBPyConnection,
    rid: str,
    fiscal_year: int,
    cut_off: date,
    unit_code: str = "58101",
    **header: str | None,
) -> None:
    row = {
        "report_id": rid, "source_id": "s", "fiscal_year": fiscal_year, "cut_off_date": cut_off,
        "form_code": "TMM-F004", "ramo_code": "58", "program_code": "511",
        "program_name": "GESTION ADMINISTRATIVA", "unit_code": unit_code,
        "unit_code_raw": unit_code, "finalidad_code": "3", "funcion_code": "3.7",
        "subfuncion_code": "3.7.1", "table_rows_read": 1, "metas_loaded": 1,
        "table_rows_quarantined": 0, **header,
    }  # fmt: skip
    con.execute(
        f"INSERT INTO reports ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
        list(row.values()),
    )


def add_meta(
    con: duckdb.DuckDBPyConnection,
    rid: str,
    fiscal_year: int,
    meta_id: int = 101,
    target: float | None = 30,
    absolute: float | None = None,
    relative: float | None = None,
    periods: tuple[float | None, ...] = (None,) * 8,
    unit_code: str = "58101",
) -> None:
    con.execute(
        "INSERT INTO metas (report_id, fiscal_year, unit_code, meta_id, description,"
        " annual_target, reported_absolute, reported_relative_pct, source_location)"
        " VALUES (?, ?, ?, ?, 'X', ?, ?, ?, 'x line 1')",
        [rid, fiscal_year, unit_code, meta_id, target, absolute, relative],
    )
    for index, value in enumerate(periods):
        con.execute(
            "INSERT INTO progress VALUES (?, ?, ?, ?, ?, ?, ?)",
            [rid, fiscal_year, unit_code, meta_id, index // 2 + 1, "PA"[index % 2], value],
        )


def issues(con: duckdb.DuckDBPyConnection, rule: str, years: tuple[int, ...] = (2024,)) -> list:
    found = find_issues(con, list(years))
    return [(None if pd.isna(r.meta_id) else r.meta_id, r.message)
            for r in found.itertuples() if r.rule == rule]  # fmt: skip


# --- relative_differs_from_computed: |published - absolute / target x 100| >= 1 ---------------
RELATIVE = "relative_differs_from_computed"


@pytest.mark.parametrize(
    ("relative", "flagged"),
    [(76, True), (75.99, False), (75, False), (74.01, False), (74, True)],
)
def test_relative_is_flagged_from_exactly_one_point_off(relative: float, flagged: bool) -> None:
    con = warehouse_with([{"target": 4, "absolute": 3, "relative": relative}])  # 75 % exactly
    shown = f"{relative:g}"
    expected = [(101, f"ACUMULADO RELATIVO is {shown}%; AVANCE ABSOLUTO / META ANUAL "
                      "AUTORIZADA is 3 / 4 = 75%")]  # fmt: skip
    assert issues(con, RELATIVE) == (expected if flagged else [])


@pytest.mark.parametrize(
    ("target", "absolute", "relative"),
    [(0, 3, 50), (4, None, 50), (4, 3, None)],
)
def test_relative_needs_a_positive_target_and_both_published_values(
    target: float | None, absolute: float | None, relative: float | None
) -> None:
    con = warehouse_with([{"target": target, "absolute": absolute, "relative": relative}])
    assert issues(con, RELATIVE) == []


def test_relative_message_rounds_the_computed_percentage() -> None:
    con = warehouse_with([{"target": 3, "absolute": 2, "relative": 60}])
    assert issues(con, RELATIVE) == [
        (101, "ACUMULADO RELATIVO is 60%; AVANCE ABSOLUTO / META ANUAL AUTORIZADA is 2 / 3 = "
              "66.67%")
    ]  # fmt: skip


# --- the sums: P to META ANUAL, A to AVANCE ABSOLUTO --------------------------------------------
def test_sums_that_match_within_a_doubles_error_are_not_flagged() -> None:
    # 0.1 + 0.2 is 0.30000000000000004 in doubles: the published 0.3 matches it.
    con = warehouse_with([{"target": 0.3, "absolute": 0.3,
                           "periods": (0.1, 0.1, 0.2, 0.2, None, None, None, None)}])  # fmt: skip
    assert issues(con, "planned_sum_differs_from_target") == []
    assert issues(con, "achieved_sum_differs_from_absolute") == []


def test_sums_off_by_a_little_are_flagged_each_with_its_own_column() -> None:
    con = warehouse_with([{"meta_id": 7, "target": 4, "absolute": 2,
                           "periods": (1, 1, 1, 0.5, 1.5, None, 0.25, None)}])  # fmt: skip
    assert issues(con, "planned_sum_differs_from_target") == [
        (7, "P adds up to 3.75 over the four quarters; META ANUAL AUTORIZADA is 4")
    ]
    assert issues(con, "achieved_sum_differs_from_absolute") == [
        (7, "A adds up to 1.5 over the four quarters; AVANCE ABSOLUTO is 2")
    ]


def test_a_blank_total_is_compared_with_nothing_and_blank_cells_add_nothing() -> None:
    con = warehouse_with([
        {"meta_id": 1, "target": 4, "absolute": None, "periods": (1, 1, 1, 1, 1, 1, 1, 1)},
        {"meta_id": 2, "target": 2, "absolute": 0, "periods": (None,) * 8},
    ])  # fmt: skip
    assert issues(con, "planned_sum_differs_from_target") == [
        (2, "P adds up to 0 over the four quarters; META ANUAL AUTORIZADA is 2")
    ]
    assert issues(con, "achieved_sum_differs_from_absolute") == []  # 1's blank, 2's 0 = 0


# --- achieved_after_cut_off: an A in a quarter that starts after FECHA ------------------------
AFTER = "achieved_after_cut_off"


@pytest.mark.parametrize(
    ("cut_off", "quarter", "flagged"),
    [
        (date(2024, 6, 30), 3, True),  # Jul-Sep starts the day after FECHA
        (date(2024, 7, 1), 3, False),  # FECHA is the day Jul-Sep starts
        (date(2024, 3, 31), 2, True),
        (date(2024, 4, 1), 2, False),
        (date(2024, 9, 30), 4, True),
        (date(2024, 10, 1), 4, False),
        (date(2023, 12, 31), 1, True),  # a FECHA before the fiscal year
        (date(2024, 1, 1), 1, False),
    ],
)
def test_achieved_on_the_cut_off_day_and_the_day_after(
    cut_off: date, quarter: int, flagged: bool
) -> None:
    periods = [None] * 8
    periods[2 * quarter - 1] = 2  # A of that quarter
    periods[2 * quarter - 2] = 5  # and a P, which is never flagged
    con = warehouse_with([{"periods": tuple(periods)}], cut_off=cut_off)
    label = ("Ene-Mar", "Abr-Jun", "Jul-Sep", "Oct-Dic")[quarter - 1]
    expected = [(101, f"A is 2 in {label}, after the cut-off date {cut_off:%Y-%m-%d} (the quarter "
                      "had not started)")]  # fmt: skip
    assert issues(con, AFTER) == (expected if flagged else [])


def test_zeros_after_the_cut_off_are_not_achievements_and_two_quarters_are_listed() -> None:
    con = warehouse_with(
        [{"meta_id": 1, "periods": (1, 1, 1, 1, 1, 0, 1, 0)},
         {"meta_id": 2, "periods": (1, 1, 1, 1, 1, 1.5, 1, 3)}],
        cut_off=date(2024, 6, 30),
    )  # fmt: skip
    assert issues(con, AFTER) == [
        (2, "A is 1.5 in Jul-Sep, 3 in Oct-Dic, after the cut-off date 2024-06-30 (the quarter "
            "had not started)")
    ]  # fmt: skip


# --- cut_off_outside_fiscal_year: from January 1 to 90 days after December 31 ----------------
@pytest.mark.parametrize(
    ("cut_off", "flagged"),
    [(date(2023, 12, 31), True), (date(2024, 1, 1), False), (date(2025, 3, 31), False),
     (date(2025, 4, 1), True)],
)  # fmt: skip
def test_cut_off_on_either_edge_of_the_fiscal_year(cut_off: date, flagged: bool) -> None:
    con = warehouse_with(cut_off=cut_off)
    expected = [(None, f"FECHA {cut_off:%Y-%m-%d} is outside fiscal year 2024 (from 2024-01-01 "
                       "to 90 days after 2024-12-31)")]  # fmt: skip
    assert issues(con, "cut_off_outside_fiscal_year") == (expected if flagged else [])


# --- classification_code_malformed: 1, 2 and 3 levels ---------------------------------------
@pytest.mark.parametrize(
    ("column", "code", "message"),
    [
        ("finalidad_code", "3", None),
        ("finalidad_code", "3.7", "FINALIDAD 3.7 has 2 levels; in the CONAC functional "
                                  "classification a finalidad code has 1 (like 3)"),
        ("funcion_code", "3.7", None),
        ("funcion_code", "3", "FUNCIÓN 3 has 1 levels; in the CONAC functional classification "
                              "a función code has 2 (like 3.7)"),
        ("funcion_code", "3.7.1", "FUNCIÓN 3.7.1 has 3 levels; in the CONAC functional "
                                  "classification a función code has 2 (like 3.7)"),
        ("subfuncion_code", "3.7.1", None),
        ("subfuncion_code", "3.7", "SUBFUNCIÓN 3.7 has 2 levels; in the CONAC functional "
                                   "classification a subfunción code has 3 (like 3.7.1)"),
        ("subfuncion_code", "3.7.1.2", "SUBFUNCIÓN 3.7.1.2 has 4 levels; in the CONAC "
                                       "functional classification a subfunción code has 3 "
                                       "(like 3.7.1)"),
        ("subfuncion_code", None, None),
    ],
)  # fmt: skip
def test_classification_levels_on_both_sides(column: str, code: str | None, message) -> None:
    con = warehouse_with(**{column: code})
    expected = [(None, message)] if message else []
    assert issues(con, "classification_code_malformed") == expected


# --- program_name_conflict: one code, two names, one fiscal year ----------------------------
def test_program_names_conflict_only_within_a_year_and_code() -> None:
    con = warehouse_with()  # R: 2024, 511 GESTION ADMINISTRATIVA
    add_report(con, "S", 2024, SEP30, unit_code="58102", program_name="  gestión   administrativa")
    add_report(con, "T", 2023, SEP30, unit_code="58103", program_name="OTRO NOMBRE")
    add_report(con, "U", 2024, SEP30, unit_code="58104", program_code="512",
               program_name="OTRO NOMBRE")  # fmt: skip
    assert issues(con, "program_name_conflict", (2023, 2024)) == []
    add_report(con, "V", 2024, SEP30, unit_code="58105", program_name="GESTION FINANCIERA")
    found = find_issues(con, [2024])
    assert [
        (r.report_id, r.message) for r in found.itertuples() if r.rule == "program_name_conflict"
    ] == [
        ("R", "program 511 is named 'GESTION ADMINISTRATIVA' here, but 'GESTION FINANCIERA' in V"),
        ("S", "program 511 is named '  gestión   administrativa' here, but 'GESTION FINANCIERA' "
              "in V"),
        ("V", "program 511 is named 'GESTION FINANCIERA' here, but 'GESTION ADMINISTRATIVA' "
              "in R, '  gestión   administrativa' in S"),
    ]  # fmt: skip


def test_rules_look_only_at_the_years_asked() -> None:
    con = warehouse_with([{"target": 4, "absolute": 3, "relative": 90}], fiscal_year=2023,
                         cut_off=date(2023, 6, 30))  # fmt: skip
    assert find_issues(con, [2024]).empty
    assert sorted(find_issues(con, [2023])["rule"]) == [
        "achieved_sum_differs_from_absolute",
        "planned_sum_differs_from_target",
        RELATIVE,
    ]


# --- the status to date: a quarter counts from its first day -----------------------------------
@pytest.mark.parametrize(
    ("cut_off", "quarters", "programmed", "achieved"),
    [(date(2024, 6, 30), 2, 2.0, 2.0), (date(2024, 7, 1), 3, 7.0, 2.0),
     (date(2023, 12, 31), 0, None, None)],
)  # fmt: skip
def test_quarters_started_by_the_cut_off(cut_off, quarters, programmed, achieved) -> None:
    con = warehouse_with([{"target": 10, "periods": (1, 1, 1, 1, 5, None, 3, 3)}],
                         cut_off=cut_off)  # fmt: skip
    assert con.execute(
        "SELECT quarters_started, programmed_to_date, achieved_to_date FROM v_meta_status"
    ).fetchall() == [(quarters, programmed, achieved)]


# --- limits of the readers --------------------------------------------------------------------
TWO_PAGES = ROOT / "tests/fixtures/variants/pdf/lo_one_sheet_letter_landscape_fit.pdf"


def test_max_pages_equal_to_the_page_count_reads_and_one_less_rejects() -> None:
    data = TWO_PAGES.read_bytes()
    read = read_pdf("f.pdf", data, ReadOptions(max_pages=2))
    assert (read.pages, len(read.reports)) == (2, 2)
    with pytest.raises(RejectedFile) as rejected:
        read_pdf("f.pdf", data, ReadOptions(max_pages=1))
    assert str(rejected.value) == "the PDF has 2 pages; the limit is 1 per file (--max-pages)"


def test_numbers_of_fifteen_digits_read_and_of_sixteen_do_not() -> None:
    assert parse_number("999,999,999,999,999") == 999_999_999_999_999.0
    assert parse_number("0.00000000000001") == 1e-14  # 14 digits after the zeros
    with pytest.raises(CellError) as error:
        parse_number("1,000,000,000,000,000")
    assert str(error.value) == (
        "'1,000,000,000,000,000' has 16 digits: only numbers of up to 15 digits are held "
        "exactly, so it is not read"
    )


def test_meta_numbers_up_to_the_largest_integer() -> None:
    assert split_meta_number("2147483647.- X") == (2147483647, "X")
    assert split_meta_number("000101.- X") == (101, "X")
    with pytest.raises(CellError) as error:
        split_meta_number("2147483648.- X")
    assert str(error.value) == (
        "meta number '2147483648' is too large: meta numbers go up to 2147483647"
    )


@pytest.mark.parametrize(
    ("ramo", "raw", "canonical"),
    [("58", "101", "58101"), ("58", "1", "58001"), ("58", "5810", "5810"), ("058", "99", "58099"),
     ("0", "7", "0007")],
)  # fmt: skip
def test_unit_codes_of_three_digits_or_fewer_take_the_ramo(ramo, raw, canonical) -> None:
    assert canonical_unit_code(ramo, raw) == canonical


@pytest.mark.parametrize(
    ("value", "printed"),
    [(12000.0, "12000"), (2.5, "2.5"), (-3.0, "-3"), (0.0, "0"), (None, None),
     (999_999_999_999_999.0, "999999999999999"), (2.0**53, "9007199254740992"),
     (2.0**53 + 2, "9007199254740994.0"), (1e-06, "1e-06")],
)  # fmt: skip
def test_numbers_in_the_csv_print_as_published(value: float | None, printed: str | None) -> None:
    column = TABLES["metas"].column("annual_target")
    with duckdb.connect() as con:
        (got,) = con.execute(
            f"SELECT {_cell_sql(column)} FROM (SELECT ?::DOUBLE AS annual_target)", [value]
        ).fetchone()
    assert got == printed


def test_the_two_page_fixture_is_what_the_manifest_says() -> None:
    """The page count above is the manifest's, not read by the code under test."""
    import yaml

    manifest = yaml.safe_load(
        (ROOT / "tests/fixtures/variants/manifest.yaml").read_text(encoding="utf-8")
    )
    entry = next(e for e in manifest["fixtures"] if e["file"] == "pdf/" + TWO_PAGES.name)
    assert (entry["pages"], entry["reports"]) == (2, ["2024-58201-20240930", "2024-58202-20240930"])
