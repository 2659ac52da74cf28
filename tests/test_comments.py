"""A self-describing warehouse: every table, view and column of the contract carries its
meaning as a DuckDB comment, views included, and ``v_data_dictionary`` lists them."""

from __future__ import annotations

from pathlib import Path

import duckdb
from conftest import SAMPLE_TXT, fetch, mutated_sample, run_ingest

from schemas import TABLES
from schemas.views import VIEWS, YEAR_COLUMN


def described(warehouse: Path) -> dict[tuple[str, str | None], str | None]:
    """Each object's and column's comment, as any DuckDB client reads them."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        objects = con.execute(
            "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main'"
            " UNION ALL SELECT view_name, comment FROM duckdb_views()"
            " WHERE schema_name = 'main' AND NOT internal"
        ).fetchall()
        columns = con.execute(
            "SELECT table_name, column_name, comment FROM duckdb_columns()"
            " WHERE schema_name = 'main' AND NOT internal"
        ).fetchall()
    return {(name, None): comment for name, comment in objects} | {
        (table, column): comment for table, column, comment in columns
    }


def test_every_table_view_and_column_is_described(sample_warehouse: Path) -> None:
    comments = described(sample_warehouse)
    contract = {**TABLES, **VIEWS}
    assert {name for name, column in comments if column is None} == set(contract)
    for (name, column), comment in comments.items():
        spec = contract[name]
        if column is None:
            assert comment == f"{spec.description_es} — {spec.description_en}", name
        else:
            key = YEAR_COLUMN if column.isdigit() else column
            c = spec.column(key)
            assert comment == f"{c.es} — {c.en}", (name, column)
    assert (
        comments[("metas", "annual_target")] == "Meta anual autorizada. — Authorised annual target."
    )
    assert comments[("v_header_comparison", "2023")] == (
        'Valores publicados en ese ejercicio fiscal, separados por " | "; una columna por '
        'ejercicio. — Values published in that fiscal year, separated by " | "; one column per '
        "fiscal year."
    )


def test_the_view_columns_are_the_ones_described(sample_warehouse: Path) -> None:
    live = fetch(
        sample_warehouse,
        "SELECT table_name, column_name, data_type FROM duckdb_columns() c JOIN duckdb_views() v"
        " ON v.view_name = c.table_name AND v.schema_name = c.schema_name"
        " WHERE c.schema_name = 'main' AND NOT v.internal ORDER BY table_name, column_index",
    )
    by_view: dict[str, list[tuple[str, str]]] = {}
    for view, column, data_type in live:
        by_view.setdefault(view, []).append((column, data_type))
    years = [("2022", "VARCHAR"), ("2023", "VARCHAR"), ("2024", "VARCHAR")]
    expected = {
        name: [
            item
            for c in spec.columns
            for item in (years if c.name == YEAR_COLUMN else [(c.name, c.type)])
        ]
        for name, spec in VIEWS.items()
    }
    assert by_view == expected


def test_comments_survive_a_later_load_that_rewrites_the_views(tmp_path: Path) -> None:
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([SAMPLE_TXT], warehouse)
    first = described(warehouse)
    later = mutated_sample(tmp_path / "in", {26: "FECHA: 31-dic-24"})
    run_ingest([later], warehouse)
    assert described(warehouse) == first


def test_the_data_dictionary_view_lists_views_too(sample_warehouse: Path) -> None:
    rows = fetch(
        sample_warehouse,
        "SELECT table_type, column_name, data_type, description FROM v_data_dictionary"
        " WHERE table_name IN ('v_meta_status', 'v_status_thresholds') AND column_index <= 2"
        " ORDER BY table_name, column_index",
    )
    assert rows == [
        ("view", "report_id", "VARCHAR",
         "Informe (reports.report_id). — Report (reports.report_id)."),
        ("view", "fiscal_year", "INTEGER",
         "Ejercicio fiscal (clave de partición). — Fiscal year (partition key)."),
        ("view", "on_time_pct", "DOUBLE",
         "Alcanzado a la fecha como % de lo programado a la fecha desde el cual la meta va en "
         "tiempo. — Achieved to date as a % of programmed to date from which a meta is on time."),
        ("view", "critical_pct", "DOUBLE",
         "Por debajo de este % la meta es crítica; entre este y el anterior, atrasada. — Below "
         "this % a meta is critical; between this and on_time_pct, behind."),
    ]  # fmt: skip
    (tables,) = fetch(
        sample_warehouse,
        "SELECT count(DISTINCT table_name) FILTER (table_type = 'table'),"
        " count(DISTINCT table_name) FILTER (table_type = 'view') FROM v_data_dictionary",
    )
    assert tables == (len(TABLES), len(VIEWS))
