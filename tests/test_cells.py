"""Reading single cells as the publications print them."""

from __future__ import annotations

from datetime import date

import pytest

from poa_etl.report.cells import (
    CellError,
    parse_fecha,
    parse_number,
    parse_percent,
    split_code_name,
    split_coded_entries,
    split_meta_number,
)
from poa_etl.transform.normalize import canonical_unit_code, report_id


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("30-sep.-24", date(2024, 9, 30)),
        ("30-sep-24", date(2024, 9, 30)),
        ("31-dic-23", date(2023, 12, 31)),
        ("31-mar.-2025", date(2025, 3, 31)),
        ("30/06/2024", date(2024, 6, 30)),
        ("2024-09-30", date(2024, 9, 30)),
        (" 30-SEPT-24 ", date(2024, 9, 30)),
    ],
)
def test_fecha_forms(printed: str, expected: date) -> None:
    assert parse_fecha(printed) == expected


@pytest.mark.parametrize(
    ("printed", "message"),
    [
        ("30-sap-24", "'30-sap-24' has an unknown month 'sap'"),
        ("31-feb-24", "'31-feb-24' is not a valid date (day is out of range for month)"),
        ("septiembre", "'septiembre' is not a date like 30-sep-24"),
    ],
)
def test_fecha_errors_say_what_was_printed(printed: str, message: str) -> None:
    with pytest.raises(CellError) as info:
        parse_fecha(printed)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("printed", "number", "rest"),
    [
        ("100.FOMENTAR LA AFLUENCIA", 100, "FOMENTAR LA AFLUENCIA"),
        ("101. SEGUIMIENTO AL GASTO", 101, "SEGUIMIENTO AL GASTO"),
        ("103.- REALIZAR REUNIONES", 103, "REALIZAR REUNIONES"),
        ("300. - INCREMENTAR LA AFLUENCIA", 300, "INCREMENTAR LA AFLUENCIA"),
        ("303.-PROPICIAR LA AFLUENCIA", 303, "PROPICIAR LA AFLUENCIA"),
        ("504.- PROMOVER … DE E-MARKETING.", 504, "PROMOVER … DE E-MARKETING."),
        ("102.CELEBRAR SESIONES\nCONFORME A LO", 102, "CELEBRAR SESIONES CONFORME A LO"),
    ],
)
def test_meta_number_forms(printed: str, number: int, rest: str) -> None:
    assert split_meta_number(printed) == (number, rest)


def test_description_without_meta_number() -> None:
    with pytest.raises(CellError) as info:
        split_meta_number("SEGUIMIENTO AL GASTO")
    assert str(info.value) == (
        "the description 'SEGUIMIENTO AL GASTO' does not start with a meta number"
    )
    # Meta 100's description (dump line 31) without its number: quoted to 60 characters.
    with pytest.raises(CellError) as info:
        split_meta_number(
            "FOMENTAR LA AFLUENCIA Y DERRAMA TURÍSTICA DEL MUNICIPIO A TRÁVES DE LA GESTIÓN DE "
            "PROYECTOS E INVERSIONES PÚBLICAS Y PRIVADAS"
        )
    assert str(info.value) == (
        "the description 'FOMENTAR LA AFLUENCIA Y DERRAMA TURÍSTICA DEL MUNICIPIO A TR' does "
        "not start with a meta number"
    )


def test_numbers_and_blanks() -> None:
    assert [parse_number(t) for t in ("7", " 0 ", "", "1,234", "2.5", "-1")] == [
        7, 0, None, 1234, 2.5, -1,
    ]  # fmt: skip
    assert [parse_percent(t) for t in ("75%", "0%", "", "66.7 %")] == [75, 0, None, 66.7]
    with pytest.raises(CellError, match=r"^'siete' is not a number$"):
        parse_number("siete")
    with pytest.raises(CellError, match=r"^'mucho%' is not a percentage$"):
        parse_percent("mucho%")


def test_code_and_name() -> None:
    assert split_code_name("3.7.1 TURISMO") == ("3.7.1", "TURISMO")
    assert split_code_name("58102") == ("58102", None)
    assert split_code_name("TURISMO") == (None, "TURISMO")


def test_two_entries_in_one_line_but_not_a_comma_inside_a_name() -> None:
    assert split_coded_entries(
        "3.2.2 PROMOCION DE VOCACIONES TURISTICAS ALTERNATIVAS,3.3.2 FORMACION,CAPACITACION E "
        "INCUBACION"
    ) == [
        ("3.2.2", "PROMOCION DE VOCACIONES TURISTICAS ALTERNATIVAS"),
        ("3.3.2", "FORMACION,CAPACITACION E INCUBACION"),
    ]


def test_canonical_unit_codes_and_report_ids() -> None:
    assert canonical_unit_code("58", "101") == "58101"
    assert canonical_unit_code("58", "202") == "58202"
    assert canonical_unit_code("58", "58102") == "58102"
    assert canonical_unit_code("058", "7") == "58007"
    assert report_id(2024, "58102", date(2024, 9, 30)) == "2024-58102-20240930"


def test_a_long_cell_is_quoted_whole_up_to_40_characters_and_cut_after() -> None:
    too_long = "only numbers of up to 15 digits are held exactly, so it is not read"
    with pytest.raises(CellError) as forty:
        parse_number("1" * 40)
    assert str(forty.value) == f"'{'1' * 40}' has 40 digits: {too_long}"
    with pytest.raises(CellError) as forty_one:
        parse_number("1" * 41)
    assert str(forty_one.value) == f"'{'1' * 40}…' (41 characters) has 41 digits: {too_long}"
