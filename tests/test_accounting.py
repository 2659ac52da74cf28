# ruff: noqa: E501 — one published row per line reads best against the dump.
"""Every row accounted for: a report loads complete, or is quarantined or rejected with
the reason — never loaded as if complete when it is not.

The first hostile case is the held-out failure of issue #20: a report of 12 metas, one
cell holding line breaks as spreadsheets write them (quoted), whose rows after the break
were read as the signature block, so 5 metas loaded with exit 0.
"""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLE_LINES, fetch, run_ingest

REPORT_2023 = SAMPLE_LINES[:51]  # lines 1-51: the 2023 report of unit 101, 6 metas
DESCRIPTION_103 = (
    "REALIZAR REUNIONES ANTE LAS DEPENDENCIAS DE GOBIERNO E INICIATIVA PRIVADA PARA "
    "GESTIONAR PROYECTOS QUE INCREMENTEN EL DESARROLLO ECONOMICO DEL SECTOR TURISTICO "
    "DEL MUNICIPIO."
)
# Six more metas, written by hand: 12 in all.
MORE_METAS = [
    "3.2.2\t106.- VISITAS DE SUPERVISION A MODULOS DE INFORMACION.\tVISITA\t8\t2\t2\t2\t2\t2\t1\t2\t\t5\t63%\t",
    "4.6.1\t107.- CAPACITACION AL PERSONAL.\tCURSO\t2\t\t\t1\t1\t\t\t1\t\t1\t50%\t",
    "3.2.2\t108.- ATENCION A VISITANTES.\tPERSONA\t1,200\t300\t310\t300\t295\t300\t320\t300\t\t925\t77%\t",
    "3.2.2\t109.- INFORMES AL CONSEJO.\tINFORME\t4\t1\t1\t1\t1\t1\t1\t1\t\t3\t75%\t",
    "3.3.2\t110.- CONVENIOS CON PRESTADORES DE SERVICIOS.\tCONVENIO\t3\t1\t0\t1\t1\t1\t1\t\t\t2\t67%\t",
    "4.6.1\t111.- INVENTARIO DE BIENES.\tINVENTARIO\t1\t\t\t\t\t1\t1\t\t\t1\t100%\t",
]  # fmt: skip
LINE_103 = (
    "3.2.2\t{q}103.- REALIZAR REUNIONES ANTE LAS DEPENDENCIAS DE GOBIERNO\n"
    "E INICIATIVA PRIVADA PARA GESTIONAR PROYECTOS QUE INCREMENTEN\n"
    "EL DESARROLLO ECONOMICO DEL SECTOR TURISTICO DEL MUNICIPIO.{q}"
    "\tREUNIÓN\t36\t9\t9\t9\t9\t9\t9\t9\t\t27\t75%\t"
)
RID = "2023-58101-20240930"


def twelve_metas(folder: Path, quote: str) -> Path:
    """The 2023 report with meta 103's description broken over three lines, and six more
    metas after meta 105; ``quote``: '"' as a spreadsheet writes the cell, '' as a naive
    export would."""
    lines = [*REPORT_2023[:33], LINE_103.format(q=quote), *REPORT_2023[34:36], *MORE_METAS,
             *REPORT_2023[36:]]  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "doce_metas.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_quoted_cell_with_line_breaks_is_one_cell_and_all_12_metas_load(
    tmp_path: Path,
) -> None:
    warehouse = tmp_path / "poa.duckdb"
    summary = run_ingest([twelve_metas(tmp_path / "in", '"')], warehouse)
    assert [(f.status, f.message) for f in summary.files] == [("loaded", None)]
    assert fetch(
        warehouse,
        "SELECT meta_id, unit_of_measure, annual_target, reported_absolute,"
        " reported_relative_pct, source_location FROM metas ORDER BY meta_id",
    ) == [
        (100, "INFORME", 2, 1, 50, "doce_metas.txt line 31"),
        (101, "NÓMINA", 30, 21, 70, "doce_metas.txt line 32"),
        (102, "SESIÓN", 4, 3, 75, "doce_metas.txt line 33"),
        (103, "REUNIÓN", 36, 27, 75, "doce_metas.txt line 34"),  # lines 34-36
        (104, "PROGRAMA", 1, 1, 100, "doce_metas.txt line 37"),
        (105, "MINUTA", 4, 3, 75, "doce_metas.txt line 38"),
        (106, "VISITA", 8, 5, 63, "doce_metas.txt line 39"),
        (107, "CURSO", 2, 1, 50, "doce_metas.txt line 40"),
        (108, "PERSONA", 1200, 925, 77, "doce_metas.txt line 41"),
        (109, "INFORME", 4, 3, 75, "doce_metas.txt line 42"),
        (110, "CONVENIO", 3, 2, 67, "doce_metas.txt line 43"),
        (111, "INVENTARIO", 1, 1, 100, "doce_metas.txt line 44"),
    ]
    assert fetch(warehouse, "SELECT description FROM metas WHERE meta_id = 103") == [
        (DESCRIPTION_103,)
    ]
    assert fetch(
        warehouse,
        "SELECT meta_id, quarter, measure, value FROM progress"
        " WHERE meta_id IN (103, 108) ORDER BY meta_id, quarter, measure DESC",
    ) == [
        (103, 1, "P", 9), (103, 1, "A", 9), (103, 2, "P", 9), (103, 2, "A", 9),
        (103, 3, "P", 9), (103, 3, "A", 9), (103, 4, "P", 9), (103, 4, "A", None),
        (108, 1, "P", 300), (108, 1, "A", 310), (108, 2, "P", 300), (108, 2, "A", 295),
        (108, 3, "P", 300), (108, 3, "A", 320), (108, 4, "P", 300), (108, 4, "A", None),
    ]  # fmt: skip
    assert fetch(warehouse, "SELECT title, name FROM signatures ORDER BY position") == [
        ("RESPONSABLE DE LA UNIDAD EJECUTORA", "NANCY PAOLA MINOR IBARRA"),
        ("RESPONSABLE DEL PROGRAMA", "NANCY PAOLA MINOR IBARRA"),
        ("RESPONSABLE DEL RAMO", "NANCY PAOLA MINOR IBARRA"),
    ]
    # 58 lines: 3 title lines, 10 header lines, the form code, FECHA, 3 table header rows,
    # 12 rows on 14 lines, 6 signature lines, and 20 blank lines (4 before the title).
    assert fetch(
        warehouse,
        "SELECT lines_read, lines_ignored, table_rows_read, metas_loaded,"
        " table_rows_quarantined FROM reports",
    ) == [(58, 20, 12, 12, 0)]


def test_the_same_line_breaks_without_quotes_reject_the_file(tmp_path: Path) -> None:
    warehouse = tmp_path / "poa.duckdb"
    summary = run_ingest([twelve_metas(tmp_path / "in", "")], warehouse)
    assert [(f.status, f.message) for f in summary.files] == [
        ("rejected",
         "report 2023-58101-20240930 at line 5: the signature block, from line 35, holds "
         "'104.- IMPLEMENTAR UN PROGRAMA DE LA OFERTA Y DESARROLLO DE …', which looks like a "
         "row of the metas table: the table was not read to its end, so the report is not "
         "loaded"),
    ]  # fmt: skip
    assert fetch(warehouse, "SELECT count(*) FROM reports") == [(0,)]


def read(lines: list[str], name: str = "x.txt") -> dict:
    """The tables of a dump, or the rejection message."""
    from poa_etl.errors import RejectedFile
    from poa_etl.extract.text import read_text_dump
    from poa_etl.transform.normalize import normalize_file

    try:
        return normalize_file("s", read_text_dump(name, "\n".join(lines).encode()))
    except RejectedFile as exc:
        return {"rejected": str(exc)}


FULL_METAS = [100, 101, 102, 103, 104, 105]


def test_a_report_cut_anywhere_is_rejected_or_has_every_meta() -> None:
    """Cut after every line and in the middle of every line from the table on: never a
    report with fewer metas than published."""
    outcomes = set()
    for number in range(28, 50):
        line = REPORT_2023[number - 1]
        for cut in {len(line), len(line) // 2}:
            tables = read([*REPORT_2023[: number - 1], line[:cut]])
            if "rejected" in tables:
                outcomes.add("rejected")
                continue
            outcomes.add("complete")
            assert sorted(tables["metas"]["meta_id"]) == FULL_METAS, (number, cut)
    assert outcomes == {"rejected", "complete"}


def test_a_cut_inside_the_table_is_rejected_naming_where_it_stops() -> None:
    assert read([*REPORT_2023[:33], REPORT_2023[33][:60]]) == {
        "rejected": "report 2023-58101-20240930 at line 5: the report stops at line 34 without "
        "its signature block; the table looks cut off, so the report is incomplete"
    }


def test_a_title_without_its_name_is_rejected() -> None:
    assert read(REPORT_2023[:47]) == {
        "rejected": "report 2023-58101-20240930 at line 5: the signature block does not pair "
        "up: 'RESPONSABLE DEL RAMO' at line 47 has no name under it, so the block was not "
        "read as published"
    }


def test_a_line_in_no_part_of_the_report_rejects_it() -> None:
    """Text between FECHA and the table is neither header nor table: the balance fails."""
    lines = [*REPORT_2023[:26], "NOTA: CIFRAS PRELIMINARES", *REPORT_2023[26:]]
    assert read(lines) == {
        "rejected": "report 2023-58101-20240930 at line 5: 51 lines read, 50 placed (title 3, "
        "header 10, form code 1, FECHA 1, table header 3, table rows 6, signature block 6, "
        "ignored 20): 1 line(s) belong to no part of the report, so it may be incomplete"
    }


def test_rows_after_the_last_meta_number_reject_the_report() -> None:
    piece = "\tDEL PROGRAMA ANUAL DE TRABAJO.\tMINUTA\t4\t1\t1\t1\t1\t1\t1\t1\t\t3\t75%\t"
    assert read([*REPORT_2023[:36], piece, *REPORT_2023[36:]]) == {
        "rejected": "report 2023-58101-20240930 at line 5: the numbered metas stop at line 36, "
        "but the table goes on at line 37 ('DEL PROGRAMA ANUAL DE TRABAJO. MINUTA 4 1 1 1 1 1 1 "
        "1 3 75%') with no meta number: the table was not read as published, so the report "
        "is not loaded"
    }


def test_a_row_cut_short_is_quarantined_and_counted() -> None:
    lines = list(REPORT_2023)
    lines[31] = "4.6.1\t101. SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES.\tNÓMINA\t30\t7\t7"
    tables = read(lines)
    assert sorted(tables["metas"]["meta_id"]) == [100, 102, 103, 104, 105]
    assert tables["quarantine"][["location", "reason"]].values.tolist() == [
        ["x.txt line 32", "the row has 6 cells where the table has 15: it stops before "
         "Abr-Jun P, so it was cut short and is not loaded"],
    ]  # fmt: skip
    assert tables["reports"][
        ["table_rows_read", "metas_loaded", "table_rows_quarantined"]
    ].values.tolist() == [[6, 5, 1]]


def test_every_report_of_the_sample_balances() -> None:
    from conftest import SAMPLE_TXT

    from poa_etl.extract.text import read_text_dump
    from poa_etl.transform.accounting import parts

    reports = read_text_dump(SAMPLE_TXT.name, SAMPLE_TXT.read_bytes())
    assert [(r.lines_read, sum(parts(r).values())) for r in reports] == [
        (51, 51), (47, 47), (50, 50), (55, 55), (43, 43),
    ]  # fmt: skip
    assert sum(r.lines_read for r in reports) == 246  # every line of the file (245 newlines)


def test_two_numbers_in_the_signature_block_look_like_a_row_and_reject_the_report() -> None:
    """A name that reads "INFORME 2 1" (a row's unit, target and a value, left after a cut
    table): two numbers are enough to take it for a row of the metas table."""
    lines = [*REPORT_2023[:39], "INFORME 2 1", *REPORT_2023[40:]]
    assert read(lines) == {
        "rejected": "report 2023-58101-20240930 at line 5: the signature block, from line 39, "
        "holds 'INFORME 2 1', which looks like a row of the metas table: the table was not "
        "read to its end, so the report is not loaded"
    }
