"""Publication history, fiscal-year partitions (DuckDB and the Parquet lake), the views,
and the header comparison across 2022, 2023 and 2024."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
from conftest import SAMPLE_LINES, SAMPLE_TXT, TABLES, fetch, run_ingest, snapshot
from test_ingest import poa

COMITE = "COMITE DE TURISMO Y CONVENCIONES DEL MUNICIPIO DE MEXICALI, BAJA CALIFORNIA"
PROMOCION = "PROMOCIÓN Y CONSERVACIÓN DE LOS RECURSOS TURÍSTICOS"
VOCACIONES = "3.2.2 PROMOCION DE VOCACIONES TURISTICAS ALTERNATIVAS"
MESURA = "4.6.1 MESURA EN EL EJERCICIO DE LOS RECURSOS PUBLICOS"
DATA_TABLES = tuple(t for t in TABLES if t != "sources")


def write(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_header_comparison_on_the_sample(sample_warehouse: Path) -> None:
    assert fetch(sample_warehouse, "SELECT * FROM v_header_comparison") == [
        ("ramo", "58", "ramo", COMITE.replace("COMITE", "COMITÉ"), COMITE, COMITE),
        ("ramo", "58", "programa", f"582 {PROMOCION}", "511 GESTION ADMINISTRATIVA",
         f"511 GESTION ADMINISTRATIVA | 511 {PROMOCION} | 582 {PROMOCION}"),
        ("ramo", "58", "unidad ejecutora", "58203 GERENCIA DE MERCADOTECNIA",
         "58101 DIRECCION GENERAL",
         "58102 GERENCIA ADMINISTRATIVA | 58201 GERENCIA DE PROMOCION E INFORMACIÓN | "
         "58202 GERENCIA DE RELACIONES PUBLICAS"),
        ("ramo", "58", "finalidad", "3.7.1 TURISMO", "3.7.1 TURISMO",
         "3 DESARROLLO ECONOMICO | 3.7.1 TURISMO"),
        ("ramo", "58", "funcion", "3.7 TURISMO", "3.7 TURISMO", "3.7 TURISMO"),
        ("ramo", "58", "subfuncion", "3.7.1 TURISMO", "3.7.1 TURISMO", "3.7.1 TURISMO"),
        ("ramo", "58", "ejes", "3 MEXICALI CRECE",
         "3 MEXICALI CRECE | 4 GOBERNAR PARA SERVIR",
         "2 BIENESTAR PARA TODOS | 3 MEXICALI CRECE | 4 GOBERNAR PARA SERVIR"),
        ("ramo", "58", "estrategias", None, None,
         "5.1 SENSIBILIZACION EN MATERIA DE GENERO Y DIVERSIDAD"),
        ("ramo", "58", "lineas de accion",
         f"{VOCACIONES} | 4.6.1 MESURA EN EL EJERCICIO DE LOS ECURSOS PUBLICOS",
         f"{VOCACIONES} | {MESURA}",
         "3.2.2 PROMOCION DE LAS VOCACIONES TURÍSTICAS ALTERNATIVAS | "
         f"{VOCACIONES} | 3.3.2 FORMACION,CAPACITACION E INCUBACION | {MESURA}"),
    ]  # fmt: skip


def test_compare_headers_marks_what_changed_from_the_year_before(sample_warehouse: Path) -> None:
    code, stdout, _ = poa(
        "compare-headers", "--ramo", "58", "--format", "json", "--warehouse", str(sample_warehouse)
    )
    assert code == 0
    changed = {row["field"]: row["changed_in"] for row in json.loads(stdout)}
    assert changed == {
        "ramo": "2023", "programa": "2023 2024", "unidad ejecutora": "2023 2024",
        "finalidad": "2024", "funcion": "", "subfuncion": "", "ejes": "2023 2024",
        "estrategias": "2024", "lineas de accion": "2023 2024",
    }  # fmt: skip
    _, stdout, _ = poa("compare-headers", "--warehouse", str(sample_warehouse))
    assert "≠ COMITE DE TURISMO" in stdout
    warehouse = ("--warehouse", str(sample_warehouse))
    assert poa("compare-headers", "--ramo", "99", *warehouse) == (
        1, "", "error: no ramo 99 in the warehouse (it holds ramo 58)\n",
    )  # fmt: skip
    assert poa("compare-headers", "--unit", "101", *warehouse) == (
        1, "", "error: no unit 101 in the warehouse; unit codes are ramo-prefixed: 58101\n",
    )  # fmt: skip
    assert poa("compare-headers", "--unit", "58101", *warehouse) == (
        0, "unit 58101 was published for one fiscal year only (2023): nothing to compare "
        "across years.\n", "",
    )  # fmt: skip


def test_a_unit_published_in_two_years_is_compared_and_its_metas_matched(tmp_path: Path) -> None:
    """Unit 101 of 2023 ('101', canonical 58101) published again for 2024 as '58101', with
    meta 101 renumbered to another goal: matched by canonical code, the meta listed apart."""
    report_2023 = SAMPLE_LINES[4:50]
    report_2024 = [
        line.replace("PROGRAMA OPERATIVO ANUAL 2023", "PROGRAMA OPERATIVO ANUAL 2024")
        .replace("UNIDAD EJECUTORA\t101\t", "UNIDAD EJECUTORA\t58101\t")
        .replace("101. SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES.", "101. OTRA META.")
        for line in report_2023
    ]
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([write(tmp_path / "in" / "a.txt", report_2023),
                write(tmp_path / "in" / "b.txt", report_2024)], warehouse)  # fmt: skip
    unit_rows = fetch(
        warehouse, 'SELECT field, "2023", "2024" FROM v_header_comparison WHERE scope = \'unit\''
    )
    assert unit_rows[:3] == [
        ("ramo", COMITE, COMITE),
        ("programa", "511 GESTION ADMINISTRATIVA", "511 GESTION ADMINISTRATIVA"),
        ("unidad ejecutora", "58101 DIRECCION GENERAL", "58101 DIRECCION GENERAL"),
    ]
    code, stdout, _ = poa(
        "compare-headers", "--unit", "58101", "--format", "csv", "--warehouse", str(warehouse)
    )
    assert code == 0
    assert stdout.splitlines()[0] == "scope,scope_code,field,2023,2024,changed_in"
    assert len(stdout.splitlines()) == 1 + len(unit_rows)
    assert fetch(
        warehouse,
        "SELECT meta_id, fiscal_year, description, continues_previous FROM v_meta_history"
        " WHERE meta_id IN (100, 101) ORDER BY ALL",
    ) == [
        (100, 2023, "FOMENTAR LA AFLUENCIA Y DERRAMA TURÍSTICA DEL MUNICIPIO A TRÁVES DE LA "
         "GESTIÓN DE PROYECTOS E INVERSIONES PÚBLICAS Y PRIVADAS, CONTRIBUYENDO ASÍ AL "
         "DESARROLLO ECONÓMICO DE LA REGIÓN.", None),
        (100, 2024, "FOMENTAR LA AFLUENCIA Y DERRAMA TURÍSTICA DEL MUNICIPIO A TRÁVES DE LA "
         "GESTIÓN DE PROYECTOS E INVERSIONES PÚBLICAS Y PRIVADAS, CONTRIBUYENDO ASÍ AL "
         "DESARROLLO ECONÓMICO DE LA REGIÓN.", True),
        (101, 2023, "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES.", None),
        (101, 2024, "OTRA META.", False),
    ]  # fmt: skip


def test_years_a_unit_did_not_publish_are_not_changes(tmp_path: Path) -> None:
    """Unit 58101 published for 2021 and 2023 with the same header: nothing changed, though
    the warehouse also holds 2022 and 2024 (other units)."""
    year_2021 = [
        line.replace("PROGRAMA OPERATIVO ANUAL 2023", "PROGRAMA OPERATIVO ANUAL 2021")
        for line in SAMPLE_LINES[4:50]
    ]
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([SAMPLE_TXT, write(tmp_path / "in" / "2021.txt", year_2021)], warehouse)
    code, stdout, _ = poa(
        "compare-headers", "--unit", "58101", "--format", "json", "--warehouse", str(warehouse)
    )
    assert code == 0
    rows = json.loads(stdout)
    assert [(r["field"], r["2021"] == r["2023"], r["2022"], r["changed_in"]) for r in rows] == [
        (field, True, None, "")
        for field in ("ramo", "programa", "unidad ejecutora", "finalidad", "funcion",
                      "subfuncion", "ejes", "lineas de accion")
    ]  # fmt: skip


def _later_publication_of_58102(folder: Path) -> Path:
    """Report 2024-58102 again, as of 31-dic-24, with its Oct-Dic A values filled in."""
    lines = SAMPLE_LINES[51:97]
    lines = [line.replace("FECHA: 30-sep-24", "FECHA: 31-dic-24") for line in lines]
    for index, line in enumerate(lines):
        cells = line.split("\t")
        if len(cells) == 16 and cells[1][:3] in {"201", "202", "203", "207"}:
            cells[11] = cells[10]  # A = P in Oct-Dic
            lines[index] = "\t".join(cells)
    return write(folder / "58102_dic.txt", lines)


def test_a_later_cut_off_is_a_new_snapshot_and_the_latest_view_shows_it(tmp_path: Path) -> None:
    warehouse = tmp_path / "poa.duckdb"
    folder = tmp_path / "in"
    write(folder / SAMPLE_TXT.name, SAMPLE_LINES)
    _later_publication_of_58102(folder)
    run_ingest([folder], warehouse)
    assert fetch(
        warehouse, "SELECT report_id FROM reports WHERE unit_code = '58102' ORDER BY 1"
    ) == [("2024-58102-20240930",), ("2024-58102-20241231",)]
    assert fetch(
        warehouse,
        "SELECT DISTINCT unit_code, cut_off_date FROM v_progress_latest ORDER BY ALL",
    ) == [
        ("58101", date(2024, 9, 30)), ("58102", date(2024, 12, 31)),
        ("58201", date(2024, 9, 30)), ("58202", date(2024, 9, 30)),
        ("58203", date(2024, 9, 30)),
    ]  # fmt: skip
    assert fetch(
        warehouse,
        "SELECT meta_id, value FROM v_progress_latest WHERE unit_code = '58102' AND quarter = 4"
        " AND measure = 'A' ORDER BY meta_id",
    ) == [(201, 9.0), (202, 1.0), (203, 1.0), (204, 0.0), (205, 0.0), (206, 0.0), (207, 3.0)]
    before = snapshot(warehouse)
    run_ingest([folder], warehouse)
    assert snapshot(warehouse) == before
    # The earlier publication saved again (other bytes, same content) replaces itself.
    write(tmp_path / "again" / "sample_crlf.txt", [line + "\r" for line in SAMPLE_LINES])
    run_ingest([tmp_path / "again"], warehouse)
    after = snapshot(warehouse, ("report_alignments", "metas", "progress", "signatures",
                                 "quality_issues"))  # fmt: skip
    assert {name: rows for name, rows in after.items() if name != "metas"} == {
        name: before[name] for name in after if name != "metas"
    }

    def but_location(row: tuple) -> tuple:  # source_location, before ocr_min_confidence
        return row[:-2] + row[-1:]

    assert [but_location(r) for r in after["metas"]] == [but_location(r) for r in before["metas"]]


def test_v_meta_status_counts_what_had_started_by_the_cut_off(sample_warehouse: Path) -> None:
    assert fetch(
        sample_warehouse,
        "SELECT report_id, meta_id, annual_target, programmed_to_date, achieved_to_date,"
        " computed_progress_pct, reported_absolute, reported_relative_pct, quality_rules"
        " FROM v_meta_status WHERE (report_id, meta_id) IN"
        " (('2024-58201-20240930', 300), ('2024-58201-20240930', 306),"
        " ('2023-58101-20240930', 101)) ORDER BY ALL",
    ) == [
        # FECHA 2024-09-30 is after the whole of 2023: every quarter counts.
        ("2023-58101-20240930", 101, 30.0, 30.0, 21.0, 70.0, 21.0, 70.0, None),
        # Oct-Dic had not started: its A of 3 is not counted (and is flagged).
        ("2024-58201-20240930", 300, 12.0, 9.0, 9.0, 75.0, 9.0, 75.0,
         "achieved_after_cut_off, achieved_sum_differs_from_absolute"),
        # Every P and A cell of Ene-Mar to Jul-Sep is blank: NULL, never 0.
        ("2024-58201-20240930", 306, 1.0, None, None, None, 0.0, 0.0,
         "achieved_after_cut_off, achieved_sum_differs_from_absolute, "
         "planned_sum_differs_from_target"),
    ]  # fmt: skip


def _lake_files(lake: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(lake)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(lake.rglob("*"))
        if p.is_file()
    }


def test_the_lake_rewrites_only_the_years_a_load_touches(tmp_path: Path) -> None:
    warehouse = tmp_path / "wh" / "poa.duckdb"
    run_ingest([SAMPLE_TXT], warehouse)
    lake = warehouse.parent / "lake"  # CONTRACT.md: lake/<table>/fiscal_year=YYYY/ beside it
    first = _lake_files(lake)
    assert sorted({f.split(os.sep)[0] for f in first}) == [
        "ingest_runs", "metas", "progress", "quality_issues", "quarantine", "report_alignments",
        "reports", "signatures", "sources",
    ]  # fmt: skip
    assert "quarantine/fiscal_year=2024/data.parquet" in first
    assert "quarantine/fiscal_year=2022/data.parquet" not in first  # no rows, no file

    # A later publication of the 2022 report touches 2022 only.
    lines = [line.replace("FECHA: 30-sep.-24", "FECHA: 31-dic-22") for line in SAMPLE_LINES[203:]]
    run_ingest([write(tmp_path / "in" / "2022.txt", lines)], warehouse)
    second = _lake_files(lake)
    assert set(second) == set(first)  # nothing left behind: no temporary or old folders
    for name, identity in second.items():
        rewritten = "fiscal_year=2022" in name or name.startswith(("sources", "ingest_runs"))
        assert (identity != first[name]) == rewritten, name

    with duckdb.connect(str(warehouse), read_only=True) as con:
        for name in DATA_TABLES:
            columns = ", ".join(con.table(name).columns)
            read_back = (
                f"SELECT {columns} FROM read_parquet('{lake / name}/*/*.parquet',"
                " hive_partitioning = true) ORDER BY ALL"
            )
            assert con.sql(read_back).fetchall() == (
                con.sql(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
            ), name
        table = con.sql("SELECT * FROM progress ORDER BY report_id, meta_id, quarter, measure")
        expected = table.to_arrow_table().to_pandas()
    # pandas (pyarrow) reads the partitions too; the year comes from the folder name.
    frame = pd.read_parquet(lake / "progress")
    frame["fiscal_year"] = frame["fiscal_year"].astype(int)
    frame = frame.sort_values(["report_id", "meta_id", "quarter", "measure"])
    assert frame[expected.columns].reset_index(drop=True).astype(str).equals(expected.astype(str))


def test_the_lake_is_written_under_a_folder_with_an_apostrophe(tmp_path: Path) -> None:
    """The Parquet files are written by SQL, with the path quoted: a quote in it is doubled."""
    warehouse = tmp_path / "d'Alba" / "poa.duckdb"
    run_ingest([SAMPLE_TXT], warehouse)
    metas = warehouse.parent / "lake" / "metas" / "fiscal_year=2024" / "data.parquet"
    # 2024 in the dump: 58102's metas 201-207 (200 is quarantined), 58201's 300-306, 58202's
    # 400-405, by report and meta.
    assert pd.read_parquet(metas)["meta_id"].tolist() == [
        *range(201, 208), *range(300, 307), *range(400, 406),
    ]  # fmt: skip
