"""The text-dump front end: what it finds, uninterpreted, with where it found it."""

from __future__ import annotations

from conftest import SAMPLE_TXT

from poa_etl.extract.text import read_text_dump
from poa_etl.report.form import HeaderEntry, Location
from poa_etl.transform.normalize import normalize_file

NAME = SAMPLE_TXT.name
SAMPLE = SAMPLE_TXT.read_bytes()


def test_reports_split_at_their_titles_bold_or_not() -> None:
    reports = read_text_dump(NAME, SAMPLE)
    assert [r.location for r in reports] == [Location(NAME, line=n) for n in (5, 52, 99, 149, 204)]
    assert [r.title_lines[1] for r in reports] == [
        f"PROGRAMA OPERATIVO ANUAL {y}" for y in (2023, 2024, 2024, 2024, 2022)
    ]
    assert [r.fecha for r in reports] == [
        "30-sep.-24", "30-sep-24", "30-sep-24", "30-sep.-24", "30-sep.-24",
    ]  # fmt: skip
    assert {r.form_code for r in reports} == {"TMM-F004"}
    assert [len(r.table_header) for r in reports] == [3] * 5
    assert [len(r.rows) for r in reports] == [6, 8, 7, 6, 6]


def test_labels_first_header_is_kept_as_printed_for_the_normalizer_to_pair() -> None:
    header = read_text_dump(NAME, SAMPLE)[3].header
    labels = ["RAMO:", "PROGRAMA", "UNIDAD EJECUTORA", "FINALIDAD", "FUNCION", "SUBFUNCION",
              "EJE DE GOBIERNO"]  # fmt: skip
    assert header[:7] == tuple(
        HeaderEntry(label, (), Location(NAME, line=line)) for line, label in enumerate(labels, 154)
    )
    assert header[7] == HeaderEntry(
        None,
        ("58", "COMITE DE TURISMO Y CONVENCIONES DEL MUNICIPIO DE MEXICALI, BAJA CALIFORNIA"),
        Location(NAME, line=162),
    )
    assert len(header) == 17


def test_continuation_lines_have_no_label() -> None:
    header = read_text_dump(NAME, SAMPLE)[0].header
    vocaciones = ("3.2.2", "PROMOCION DE VOCACIONES TURISTICAS ALTERNATIVAS")
    mesura = ("4.6.1", "MESURA EN EL EJERCICIO DE LOS RECURSOS PUBLICOS")
    assert header[-2:] == (
        HeaderEntry("LINEAS DE ACCION", vocaciones, Location(NAME, line=20)),
        HeaderEntry(None, mesura, Location(NAME, line=21)),
    )


def test_windows_encoding_and_line_endings_give_the_same_tables() -> None:
    text = SAMPLE.decode("utf-8")
    windows = text.replace("\n", "\r\n").encode("cp1252")
    expected = normalize_file("x", read_text_dump(NAME, SAMPLE))
    got = normalize_file("x", read_text_dump(NAME, windows))
    for table, frame in expected.items():
        assert got[table].equals(frame), table
