"""``poa status`` and the run log it reads (``ingest_runs``): on no warehouse, on a fresh
one, and after loads with a later publication and a rejected file."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import fetch, mutated_sample
from test_ingest import poa

GERENCIAS = {
    "58101": "DIRECCION GENERAL",
    "58102": "GERENCIA ADMINISTRATIVA",
    "58201": "GERENCIA DE PROMOCION E INFORMACIÓN",
    "58202": "GERENCIA DE RELACIONES PUBLICAS",
    "58203": "GERENCIA DE MERCADOTECNIA",
}


def status(warehouse: Path) -> dict:
    code, stdout, stderr = poa("status", "--format", "json", "--warehouse", str(warehouse))
    assert (code, stderr) == (0, "")
    return json.loads(stdout)


def counts(run: dict) -> tuple:
    return tuple(run[k] for k in ("runner", "files_seen", "files_unchanged", "files_loaded",
                                  "files_rejected", "reports", "quarantined_rows"))  # fmt: skip


def test_no_warehouse_yet(tmp_path: Path) -> None:
    warehouse = tmp_path / "poa.duckdb"
    assert poa("status", "--warehouse", str(warehouse)) == (
        1, "", f"error: no warehouse at {warehouse}: run 'poa ingest' first\n",
    )  # fmt: skip


def test_a_fresh_warehouse_has_one_empty_run_and_was_never_refreshed(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    warehouse = tmp_path / "poa.duckdb"
    assert poa("ingest", str(tmp_path / "empty"), "--warehouse", str(warehouse))[0] == 0
    found = status(warehouse)
    assert found["last_refreshed"] is None
    assert [counts(r) for r in found["runs"]] == [("cli", 0, 0, 0, 0, 0, 0)]
    assert (found["units"], found["last_run_rejected"]) == ([], [])
    code, stdout, _ = poa("status", "--warehouse", str(warehouse))
    assert code == 0
    assert stdout.splitlines()[0] == "Last refreshed: never (nothing loaded yet)"
    assert stdout.splitlines()[-1] == "The last run rejected no file."


def test_after_loads_the_latest_cut_off_per_unit_and_the_last_runs_rejections(
    tmp_path: Path,
) -> None:
    warehouse = tmp_path / "poa.duckdb"
    sample = mutated_sample(tmp_path / "first", {})
    assert poa("ingest", str(sample), "--warehouse", str(warehouse))[0] == 0
    # A later publication of 2023-58101 (FECHA on line 26 of the dump), and an empty file.
    later = mutated_sample(tmp_path / "second", {26: "FECHA: 31-dic-24"})
    (tmp_path / "second" / "empty.txt").write_bytes(b"")
    assert poa("ingest", str(later.parent), "--warehouse", str(warehouse))[0] == 1

    found = status(warehouse)
    first_finished = fetch(
        warehouse, "SELECT strftime(finished_at, '%Y-%m-%dT%H:%M:%S.%f+00:00') FROM "
        "ingest_runs WHERE files_loaded = 1 AND files_rejected = 0",
    )  # fmt: skip
    second_finished = fetch(
        warehouse, "SELECT strftime(finished_at, '%Y-%m-%dT%H:%M:%S.%f+00:00') FROM "
        "ingest_runs WHERE files_rejected = 1",
    )  # fmt: skip
    assert found["last_refreshed"] == second_finished[0][0] != first_finished[0][0]
    # newest first: the second run read the new dump (5 reports, meta 200 quarantined
    # again) and rejected the empty file
    assert [counts(r) for r in found["runs"]] == [
        ("cli", 2, 0, 1, 1, 5, 1),
        ("cli", 1, 0, 1, 0, 5, 1),
    ]
    assert [
        (u["fiscal_year"], u["unit_code"], u["unit_name"], u["latest_cut_off_date"],
         u["publications"])
        for u in found["units"]
    ] == [
        (2022, "58203", GERENCIAS["58203"], "2024-09-30", 1),
        (2023, "58101", GERENCIAS["58101"], "2024-12-31", 2),
        (2024, "58102", GERENCIAS["58102"], "2024-09-30", 1),
        (2024, "58201", GERENCIAS["58201"], "2024-09-30", 1),
        (2024, "58202", GERENCIAS["58202"], "2024-09-30", 1),
    ]  # fmt: skip
    assert found["last_run_rejected"] == [
        {"path": str(tmp_path / "second" / "empty.txt"), "error": "empty file (0 bytes)"}
    ]
    assert fetch(warehouse, "SELECT count(DISTINCT run_id) FROM sources") == [(2,)]


def test_quiet_prints_only_the_errors(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    mutated_sample(folder, {})
    (folder / "empty.txt").write_bytes(b"")
    code, stdout, stderr = poa(
        "ingest", str(folder), "--warehouse", str(tmp_path / "poa.duckdb"), "--quiet"
    )
    assert (code, stdout) == (1, "")
    assert stderr == f"rejected {folder / 'empty.txt'}: empty file (0 bytes)\n"
