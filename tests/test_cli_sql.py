"""``poa sql``: read-only SQL on the warehouse, as a table, CSV or JSON."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import snapshot
from test_ingest import poa

QUERY = (
    "SELECT report_id, meta_id, quarter, measure, value FROM progress"
    " WHERE report_id = '2023-58101-20240930' AND meta_id = 101 AND quarter >= 3"
    " ORDER BY quarter, measure DESC"
)


def test_csv_writes_blank_for_null_and_whole_numbers_plainly(sample_warehouse: Path) -> None:
    code, stdout, _ = poa("sql", QUERY, "--format", "csv", "--warehouse", str(sample_warehouse))
    assert code == 0
    assert stdout == (
        "report_id,meta_id,quarter,measure,value\n"
        "2023-58101-20240930,101,3,P,7\n"
        "2023-58101-20240930,101,3,A,7\n"
        "2023-58101-20240930,101,4,P,9\n"
        "2023-58101-20240930,101,4,A,\n"
    )


def sql_json(warehouse: Path, query: str) -> list[dict]:
    code, stdout, stderr = poa("sql", query, "--format", "json", "--warehouse", str(warehouse))
    assert (code, stderr) == (0, "")
    return json.loads(stdout)


def test_json_keeps_null_and_iso_dates(sample_warehouse: Path) -> None:
    assert sql_json(
        sample_warehouse,
        "SELECT report_id, cut_off_date, ramo_code FROM reports ORDER BY 1 LIMIT 1",
    ) == [{"report_id": "2022-58203-20240930", "cut_off_date": "2024-09-30", "ramo_code": "58"}]
    assert sql_json(sample_warehouse, QUERY)[-1] == {
        "report_id": "2023-58101-20240930", "meta_id": 101, "quarter": 4, "measure": "A",
        "value": None,
    }  # fmt: skip


def test_table_shows_null_explicitly(sample_warehouse: Path) -> None:
    code, stdout, _ = poa("sql", QUERY, "--warehouse", str(sample_warehouse))
    assert code == 0
    assert stdout.splitlines()[-2].split("│")[1:-1] == [
        " 2023-58101-20240930 ", " 101     ", " 4       ", " A       ", " NULL  ",
    ]  # fmt: skip


def test_only_reading_statements_run(sample_warehouse: Path) -> None:
    """The contract: poa sql runs reading statements only (tests/test_sql_sealed.py has
    every escape); a write is refused before anything runs."""
    before = snapshot(sample_warehouse)
    assert poa("sql", "DELETE FROM metas", "--warehouse", str(sample_warehouse)) == (
        1, "", "error: a DELETE is not a reading statement; poa sql runs only SELECT, WITH, "
        "DESCRIBE, SHOW, SUMMARIZE and EXPLAIN (nothing was run)\n",
    )  # fmt: skip
    assert snapshot(sample_warehouse) == before


def test_no_warehouse_yet(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    assert poa("sql", "SELECT 1", "--warehouse", str(missing)) == (
        1, "", f"error: no warehouse at {missing}: run 'poa ingest' first\n",
    )  # fmt: skip
    assert not missing.exists()


def test_warehouse_from_the_environment(sample_warehouse: Path, monkeypatch) -> None:
    monkeypatch.setenv("POA_WAREHOUSE", str(sample_warehouse))
    assert poa("sql", "SELECT count(*) AS n FROM metas", "--format", "csv") == (0, "n\n32\n", "")


def test_an_empty_query_is_a_usage_error(sample_warehouse: Path) -> None:
    for query in (" ", ";", " ; "):
        assert poa("sql", query, "--warehouse", str(sample_warehouse)) == (
            2, "", "error: no SQL statement given\n",
        )  # fmt: skip


def test_json_has_no_nan_and_numbers_stay_numbers(sample_warehouse: Path) -> None:
    assert sql_json(
        sample_warehouse,
        "SELECT 'nan'::DOUBLE AS a, 'inf'::DOUBLE AS b, 7.5::DECIMAL(4, 1) AS c",
    ) == [{"a": None, "b": None, "c": 7.5}]


def test_help_shows_the_defaults() -> None:
    _, stdout, _ = poa("ingest", "--help")
    flat = " ".join(stdout.replace("│", " ").split())
    assert "[default: data/raw]" in flat
    assert "[default: $POA_WAREHOUSE, else data/warehouse/poa.duckdb]" in flat
