"""The data contract: pandera enforcement on mutated copies, and one definition of each column."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLE_TXT, fetch, mutated_sample, sample_line
from test_ingest import poa

from poa_etl.pipeline.read import read_source
from poa_etl.transform.contract import validate
from schemas import TABLES
from schemas.contract import schema
from schemas.dictionary import dictionary

NAME = SAMPLE_TXT.name


def ingest_mutation(tmp_path: Path, edits: dict[int, str], after: dict[int, str] | None = None):
    source = mutated_sample(tmp_path / "in", edits, after)
    warehouse = tmp_path / "poa.duckdb"
    code, stdout, stderr = poa("ingest", str(source), "--warehouse", str(warehouse))
    return code, stdout, stderr, warehouse


def contract_quarantine(warehouse: Path) -> list[tuple]:
    return fetch(
        warehouse,
        "SELECT report_id, location, raw, reason FROM quarantine WHERE stage = 'contract'",
    )


def test_negative_value_sets_its_line_aside(tmp_path: Path) -> None:
    line = sample_line(74).replace("NOMINA\t30\t7\t", "NOMINA\t30\t-7\t")
    code, stdout, _, warehouse = ingest_mutation(tmp_path, {74: line})
    reason = "Ene-Mar P value -7: must be 0 or more (check greater_than_or_equal_to(0))"
    assert code == 0
    assert f"quarantined {NAME} line 74: {reason}\n" in stdout
    assert contract_quarantine(warehouse) == [
        ("2024-58102-20240930", f"{NAME} line 74", line, reason)
    ]
    assert fetch(warehouse, "SELECT count(*) FROM metas") == [(31,)]
    assert fetch(warehouse, "SELECT count(*) FROM progress") == [(31 * 8,)]
    assert fetch(warehouse, "SELECT count(*) FROM metas WHERE meta_id = 201") == [(0,)]


def test_missing_target(tmp_path: Path) -> None:
    line = sample_line(32).replace("NÓMINA\t30\t", "NÓMINA\t\t")
    code, _, _, warehouse = ingest_mutation(tmp_path, {32: line})
    assert code == 0
    assert contract_quarantine(warehouse) == [
        ("2023-58101-20240930", f"{NAME} line 32", line,
         "annual_target blank: must not be blank (check not_nullable)"),
    ]  # fmt: skip
    assert fetch(warehouse, "SELECT count(*) FROM metas WHERE report_id LIKE '2023-%'") == [(5,)]


def test_malformed_pmd_code(tmp_path: Path) -> None:
    line = sample_line(127).replace("3.2.2\t303", "3.2.X\t303")
    code, _, _, warehouse = ingest_mutation(tmp_path, {127: line})
    assert code == 0
    assert contract_quarantine(warehouse) == [
        ("2024-58201-20240930", f"{NAME} line 127", line,
         r"pmd_code '3.2.X': must look like 3.2.2 (check str_matches('^\d+(\.\d+)*$'))"),
    ]  # fmt: skip
    assert fetch(warehouse, "SELECT count(*) FROM metas") == [(31,)]


def test_duplicated_meta_keeps_the_first(tmp_path: Path) -> None:
    # Meta 201 printed again after meta 207 (line 80): the copy lands on line 81.
    code, _, _, warehouse = ingest_mutation(tmp_path, {}, after={80: sample_line(74)})
    assert code == 0
    assert contract_quarantine(warehouse) == [
        ("2024-58102-20240930", f"{NAME} line 81", sample_line(74),
         "report_id '2024-58102-20240930', meta_id 201: appears more than once; the first is "
         "kept (check multiple_fields_uniqueness)"),
    ]  # fmt: skip
    assert fetch(warehouse, "SELECT source_location FROM metas WHERE meta_id = 201") == [
        (f"{NAME} line 74",)
    ]
    assert fetch(warehouse, "SELECT count(*) FROM progress WHERE meta_id = 201") == [(8,)]


def test_quarter_5_sets_the_whole_meta_aside() -> None:
    result = read_source(SAMPLE_TXT, SAMPLE_TXT.read_bytes(), "a" * 64)
    tables = dict(result.tables)
    progress = tables["progress"].copy()
    row = progress.index[(progress["meta_id"] == 201) & (progress["quarter"] == 1)][0]
    progress.loc[row, "quarter"] = 5
    tables["progress"] = progress
    sources = TABLES["sources"].frame(
        [{"source_id": "a" * 64, "path": "x", "media_type": "text", "bytes": 1,
          "status": "loaded", "ingested_at": "2026-01-01T00:00:00Z"}]
    )  # fmt: skip
    checked = validate(tables, sources)
    quarantined = checked.tables["quarantine"]
    contract = quarantined[quarantined["stage"] == "contract"]
    assert contract[["location", "raw", "reason"]].values.tolist() == [
        [f"{NAME} line 74", sample_line(74),
         "quarter 5: must be one of 1, 2, 3, 4 (check isin([1, 2, 3, 4]))"],
    ]  # fmt: skip
    assert 201 not in set(checked.tables["metas"]["meta_id"])
    assert 201 not in set(checked.tables["progress"]["meta_id"])
    assert len(checked.tables["metas"]) == 31
    assert len(checked.tables["progress"]) == 31 * 8


def test_a_header_that_breaks_the_contract_rejects_the_file(tmp_path: Path) -> None:
    code, _, stderr, warehouse = ingest_mutation(tmp_path, {6: "PROGRAMA OPERATIVO ANUAL 1899**"})
    assert code == 1
    reason = (
        "report 1899-58101-20240930: fiscal_year 1899: must be 2000 or more (check "
        "greater_than_or_equal_to(2000)); the header breaks the data contract, so the file is "
        "not loaded"
    )
    assert stderr == f"rejected {tmp_path / 'in' / NAME}: {reason}\n"
    assert fetch(warehouse, "SELECT status, error FROM sources") == [("rejected", reason)]
    for table in ("reports", "metas", "progress", "quarantine", "quality_issues"):
        assert fetch(warehouse, f"SELECT count(*) FROM {table}") == [(0,)], table


def _duckdb_type(con: duckdb.DuckDBPyConnection, declared: str) -> str:
    return con.execute(f"SELECT typeof(CAST(NULL AS {declared}))").fetchone()[0]


def test_ddl_pandera_and_dictionary_derive_from_one_definition(sample_warehouse: Path) -> None:
    """Derive all three from schemas/ and compare them with the live warehouse."""
    with duckdb.connect(str(sample_warehouse), read_only=True) as live:
        columns = live.execute(
            "SELECT table_name, column_name, data_type, is_nullable = 'YES'"
            " FROM information_schema.columns WHERE table_name IN (SELECT table_name"
            " FROM information_schema.tables"
            " WHERE table_type = 'BASE TABLE' AND table_schema = 'main')"
            " ORDER BY table_name, ordinal_position"
        ).fetchall()
        constraints = live.execute(
            "SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints()"
            " WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE') ORDER BY ALL"
        ).fetchall()
        contents = {
            name: live.sql(f"SELECT * FROM {name}").to_arrow_table().to_pandas() for name in TABLES
        }
        expected_types = {
            (t.name, c.name): _duckdb_type(live, c.type) for t in TABLES.values() for c in t.columns
        }
    assert columns == sorted(
        ((t.name, c.name, expected_types[(t.name, c.name)], c.nullable)
         for t in TABLES.values() for c in t.columns),
        key=lambda r: (r[0], [c.name for c in TABLES[r[0]].columns].index(r[1])),
    )  # fmt: skip
    # Keys are the contract's (enforced by pandera), not DuckDB indexes: see Table.ddl.
    assert constraints == []

    for name, table in TABLES.items():
        pandera_schema = schema(table)
        assert list(pandera_schema.columns) == table.column_names
        assert [c.nullable for c in pandera_schema.columns.values()] == [
            c.nullable for c in table.columns
        ]
        unique_columns = [[n] for n, c in pandera_schema.columns.items() if c.unique]
        composite = [pandera_schema.unique] if pandera_schema.unique else []
        assert sorted(unique_columns + composite) == sorted(list(k) for k in table.keys), name
        # What the warehouse holds satisfies the pandera contract it was checked against.
        live_rows = contents[name].astype(object).where(contents[name].notna(), None)
        typed = table.frame(live_rows.to_dict("records"))
        pandera_schema.validate(typed)

    d = dictionary()
    assert [tuple(r) for r in d[["dataset", "column", "nullable"]].itertuples(index=False)] == [
        (t.name, c.name, c.nullable) for t in TABLES.values() for c in t.columns
    ]
    live_types = {(t, c): ty for t, c, ty, _ in columns}
    assert all(
        expected_types[(r.dataset, r.column)] == live_types[(r.dataset, r.column)]
        for r in d.itertuples()
    )
    assert d["description_es"].str.len().min() > 0 and d["description_en"].str.len().min() > 0


@pytest.mark.parametrize("table", list(TABLES))
def test_every_column_is_described_in_both_languages(table: str) -> None:
    for column in TABLES[table].columns:
        assert column.es.strip() and column.en.strip(), (table, column.name)
