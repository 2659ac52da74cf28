"""The data contract: pandera enforcement on mutated copies, and one definition of each column."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import SAMPLE_TXT, fetch, mutated_sample, sample_line
from test_ingest import poa

from poa_etl.pipeline.read import read_source
from poa_etl.transform.contract import failures, validate
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


# The public contract (../shared/CONTRACT.md), written out: every column of every table in
# order, with its DuckDB type and whether it may be blank. Codes are text, a blank cell NULL.
V, N, D, B, DT, TS = "VARCHAR", "INTEGER", "DOUBLE", "BIGINT", "DATE", "TIMESTAMP WITH TIME ZONE"
COLUMNS = {
    "sources": [("source_id", V, False), ("path", V, False), ("media_type", V, False),
                ("bytes", B, False), ("pages", N, True), ("status", V, False),
                ("error", V, True), ("ingested_at", TS, False), ("run_id", V, True),
                ("text_source", V, True)],
    "ingest_runs": [("run_id", V, False), ("started_at", TS, False), ("finished_at", TS, False),
                    ("runner", V, False), ("files_seen", N, False),
                    ("files_unchanged", N, False), ("files_loaded", N, False),
                    ("files_rejected", N, False), ("reports", N, False),
                    ("quarantined_rows", N, False)],
    "reports": [("report_id", V, False), ("source_id", V, False), ("fiscal_year", N, False),
                ("cut_off_date", DT, False), ("form_code", V, False), ("ayuntamiento", V, True),
                ("ramo_code", V, False), ("ramo_name", V, True), ("program_code", V, False),
                ("program_name", V, True), ("unit_code", V, False), ("unit_code_raw", V, False),
                ("unit_name", V, True), ("finalidad_code", V, True), ("finalidad_name", V, True),
                ("funcion_code", V, True), ("funcion_name", V, True),
                ("subfuncion_code", V, True), ("subfuncion_name", V, True),
                ("lines_read", N, True), ("lines_ignored", N, True),
                ("table_rows_read", N, False), ("metas_loaded", N, False),
                ("table_rows_quarantined", N, False)],
    "report_alignments": [("report_id", V, False), ("fiscal_year", N, False),
                          ("position", N, False), ("level", V, False), ("code", V, False),
                          ("name", V, True)],
    "metas": [("report_id", V, False), ("fiscal_year", N, False), ("unit_code", V, False),
              ("meta_id", N, False), ("pmd_code", V, True), ("description", V, False),
              ("unit_of_measure", V, True), ("annual_target", D, False),
              ("reported_absolute", D, True), ("reported_relative_pct", D, True),
              ("observations", V, True), ("source_location", V, False),
              ("ocr_min_confidence", D, True)],
    "progress": [("report_id", V, False), ("fiscal_year", N, False), ("unit_code", V, False),
                 ("meta_id", N, False), ("quarter", N, False), ("measure", V, False),
                 ("value", D, True)],
    "signatures": [("report_id", V, False), ("fiscal_year", N, False), ("position", N, False),
                   ("role", V, True), ("title", V, True), ("name", V, True)],
    "quarantine": [("source_id", V, False), ("report_id", V, True), ("fiscal_year", N, True),
                   ("location", V, False), ("raw", V, False), ("reason", V, False),
                   ("stage", V, False)],
    "quality_issues": [("report_id", V, False), ("fiscal_year", N, False),
                       ("unit_code", V, False), ("meta_id", N, True), ("rule", V, False),
                       ("severity", V, False), ("message", V, False)],
}  # fmt: skip
# A report's identity is (fiscal_year, unit_code, cut_off_date); progress has exactly one
# value per meta, quarter and measure.
KEYS = {
    "sources": [("source_id",)],
    "ingest_runs": [("run_id",)],
    "reports": [("report_id",), ("fiscal_year", "unit_code", "cut_off_date")],
    "report_alignments": [("report_id", "position")],
    "metas": [("report_id", "meta_id")],
    "progress": [("report_id", "meta_id", "quarter", "measure")],
    "signatures": [("report_id", "position")],
    "quarantine": [],
    "quality_issues": [],
}
FOREIGN_KEYS = {
    "reports": [(("source_id",), "sources")],
    "report_alignments": [(("report_id",), "reports")],
    "metas": [(("report_id",), "reports")],
    "progress": [(("report_id", "meta_id"), "metas")],
    "signatures": [(("report_id",), "reports")],
    "quality_issues": [(("report_id",), "reports")],
}


def test_the_warehouse_has_the_contracts_columns_types_and_no_more(sample_warehouse: Path) -> None:
    with duckdb.connect(str(sample_warehouse), read_only=True) as live:
        columns = live.execute(
            "SELECT table_name, column_name, data_type, is_nullable = 'YES'"
            " FROM information_schema.columns WHERE table_schema = 'main' AND table_name IN"
            " (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')"
            " ORDER BY table_name, ordinal_position"
        ).fetchall()
    assert columns == [(t, *c) for t in sorted(COLUMNS) for c in COLUMNS[t]]


def test_keys_and_foreign_keys_are_the_contracts() -> None:
    assert {name: list(t.keys) for name, t in TABLES.items()} == KEYS
    assert {
        name: [(r.columns, r.table) for r in t.references]
        for name, t in TABLES.items()
        if t.references
    } == FOREIGN_KEYS


def _sample_tables(warehouse: Path) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            name: TABLES[name].frame(
                con.sql(f"SELECT * FROM {name} ORDER BY ALL").to_arrow_table().to_pandas()
                .astype(object).pipe(lambda f: f.where(f.notna(), None)).to_dict("records")
            )
            for name in COLUMNS
        }  # fmt: skip


@pytest.mark.parametrize(
    ("table", "key"), [(t, k) for t, keys in KEYS.items() for k in keys], ids=str
)
def test_pandera_refuses_a_second_row_with_the_same_key(
    table: str, key: tuple[str, ...], sample_warehouse: Path
) -> None:
    frame = _sample_tables(sample_warehouse)[table]
    twice = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    found = failures(TABLES[table], twice)
    assert [index for index, _ in found] == [len(frame)]
    row = twice.iloc[0]
    shown = ", ".join(
        f"{c} {row[c]!r}" if isinstance(row[c], str) else f"{c} {row[c]}" for c in key
    )
    check = "field_uniqueness" if len(key) == 1 else "multiple_fields_uniqueness"
    reasons = found[0][1].split("; ")
    assert f"{shown}: appears more than once" in reasons
    assert f"the first is kept (check {check})" in reasons


@pytest.mark.parametrize(
    ("table", "columns", "parent"),
    [(t, c, p) for t, refs in FOREIGN_KEYS.items() for c, p in refs],
    ids=str,
)
def test_pandera_refuses_a_row_whose_parent_is_missing(
    table: str, columns: tuple[str, ...], parent: str, sample_warehouse: Path
) -> None:
    tables = _sample_tables(sample_warehouse)
    frame = tables[table].copy()
    column = columns[-1]
    absent = {"source_id": "0" * 64, "report_id": "2030-58101-20301231", "meta_id": 9999}
    frame.loc[0, column] = absent[column]
    found = failures(TABLES[table], frame, {parent: tables[parent]})
    assert [index for index, _ in found] == [0]
    row = frame.iloc[0]
    shown = ", ".join(f"{c} {row[c]!r}" if isinstance(row[c], str) else f"{c} {row[c]}"
                      for c in columns)  # fmt: skip
    assert found[0][1] == (
        f"{shown}: has no row in {parent} (check references {parent}({', '.join(columns)}))"
    )


def test_pandera_and_the_dictionary_follow_the_contract(sample_warehouse: Path) -> None:
    tables = _sample_tables(sample_warehouse)
    for name, columns in COLUMNS.items():
        pandera_schema = schema(TABLES[name])
        assert [(n, c.nullable) for n, c in pandera_schema.columns.items()] == [
            (column, nullable) for column, _, nullable in columns
        ]
        single = sorted((n,) for n, c in pandera_schema.columns.items() if c.unique)
        composite = [tuple(pandera_schema.unique)] if pandera_schema.unique else []
        assert sorted(single + composite) == sorted(KEYS[name]), name
        # What the warehouse holds satisfies the pandera contract it was checked against.
        pandera_schema.validate(tables[name])
    d = dictionary()
    assert [tuple(r) for r in d[["dataset", "column", "nullable"]].itertuples(index=False)] == [
        (t, c, nullable) for t, columns in COLUMNS.items() for c, _, nullable in columns
    ]
    assert d["description_es"].str.len().min() > 0 and d["description_en"].str.len().min() > 0


@pytest.mark.parametrize("table", list(TABLES))
def test_every_column_is_described_in_both_languages(table: str) -> None:
    for column in TABLES[table].columns:
        assert column.es.strip() and column.en.strip(), (table, column.name)
