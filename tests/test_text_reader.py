"""The text-dump front end: what it finds, uninterpreted, with where it found it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_TXT, mutated_sample, sample_line

from poa_etl.extract.text import read_text_dump
from poa_etl.extract.text.decode import decode_text, text_lines
from poa_etl.extract.text.detect import dump_kind
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


DUMPS = ROOT / "tests" / "fixtures" / "variants" / "dumps"


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (SAMPLE_TXT, "tabbed"),
        (DUMPS / "poa2023_ramo58_ue101.layout.txt", "layout"),  # pdftotext -layout
        (DUMPS / "poa2024_ramo58_ue58102.plain.txt", "reading-order"),  # plain pdftotext
    ],
)
def test_the_kind_of_each_real_dump(path: Path, kind: str) -> None:
    assert dump_kind(text_lines(decode_text(path.read_bytes()))) == kind


def test_a_header_word_broken_below_the_p_a_row_is_header(tmp_path: Path) -> None:
    """As a PDF converted to a sheet leaves it: "META ANUAL AUTORIZAD" above the P/A row,
    its last "A" alone below it. That row ends the header: the first report's metas are
    still dump lines 31-36, 100 to 105, and nothing is quarantined."""
    tail = "\t\t\tA" + "\t" * 11
    path = mutated_sample(
        tmp_path, {28: sample_line(28).replace("AUTORIZADA", "AUTORIZAD")}, after={30: tail}
    )
    tables = normalize_file("s", read_text_dump(path.name, path.read_bytes())[:1])
    assert tables["metas"]["meta_id"].tolist() == [100, 101, 102, 103, 104, 105]
    assert tables["quarantine"].empty


def test_header_rows_repeated_inside_the_table_are_ignored_with_the_reason(
    tmp_path: Path,
) -> None:
    """As a sheet converted from a PDF of several pages repeats them: the three header rows
    (dump lines 28-30) again after meta 102 (line 33). The metas stay 100 to 105; the three
    repeated rows, now lines 34-36, are ignored with the reason."""
    again = "\n".join(sample_line(n) for n in (28, 29, 30))
    path = mutated_sample(tmp_path, {}, after={33: again})
    report = read_text_dump(path.name, path.read_bytes())[0]
    assert [(i.reason, str(i.location)) for i in report.ignored if "header" in i.reason] == [
        ("the table header, repeated", f"{NAME} line 34"),
        ("the table header, repeated", f"{NAME} line 35"),
        ("the table header, repeated", f"{NAME} line 36"),
    ]
    tables = normalize_file("s", [report])
    assert tables["metas"]["meta_id"].tolist() == [100, 101, 102, 103, 104, 105]


def test_a_location_names_the_file_and_the_place_in_it() -> None:
    assert [
        str(Location(NAME)),
        str(Location(NAME, line=34)),
        str(Location("poa.pdf", line=19, page=1)),
        str(Location("poa.xlsx", line=31, sheet="POA")),
    ] == [NAME, f"{NAME} line 34", "poa.pdf page 1 line 19", "poa.xlsx sheet 'POA' row 31"]


def test_a_percentage_in_the_observations_is_not_the_relative_column(tmp_path: Path) -> None:
    """Meta 100 (dump line 31) with ACUMULADO RELATIVO blank and "SE REPORTA AL 50%" in
    OBSERVACIONES: text that ends in % is no percentage, the row lines up and loads."""
    line = sample_line(31)
    assert line.endswith("\t1\t50%\t")
    path = mutated_sample(
        tmp_path, {31: line.removesuffix("\t1\t50%\t") + "\t1\t\tSE REPORTA AL 50%"}
    )
    tables = normalize_file("s", read_text_dump(path.name, path.read_bytes())[:1])
    metas = tables["metas"].set_index("meta_id")
    assert metas.loc[100, ["reported_absolute", "observations"]].tolist() == [
        1,
        "SE REPORTA AL 50%",
    ]
    assert metas["reported_relative_pct"].isna()[100]
    assert tables["quarantine"].empty
