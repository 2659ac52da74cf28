"""The run log (``ingest_runs``) and what ``poa status`` reads from it: when the data
was last refreshed, without Prefect."""

from __future__ import annotations

import secrets
from datetime import datetime

import duckdb


def new_run_id(started_at: datetime) -> str:
    """``20261124T080000Z-3f2a1c``: sortable by start, unique by its random suffix."""
    return f"{started_at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def record_run(con: duckdb.DuckDBPyConnection, run: dict[str, object]) -> None:
    """One ``ingest_runs`` row; call it inside the load's transaction."""
    columns = ", ".join(run)
    marks = ", ".join("?" for _ in run)
    con.execute(f"INSERT INTO ingest_runs ({columns}) VALUES ({marks})", list(run.values()))


LAST_RUNS = """
SELECT run_id, started_at, finished_at, runner, files_seen, files_unchanged, files_loaded,
       files_rejected, reports, quarantined_rows
FROM ingest_runs ORDER BY started_at DESC, run_id DESC LIMIT ?
"""
LAST_REFRESH = "SELECT max(finished_at) FROM ingest_runs WHERE files_loaded > 0"
LATEST_CUT_OFFS = """
SELECT fiscal_year, unit_code, any_value(unit_name ORDER BY cut_off_date DESC) AS unit_name,
       max(cut_off_date) AS latest_cut_off_date, count(*) AS publications
FROM reports GROUP BY fiscal_year, unit_code ORDER BY fiscal_year, unit_code
"""
LAST_REJECTIONS = """
SELECT path, error FROM sources
WHERE status = 'rejected'
  AND run_id = (SELECT run_id FROM ingest_runs ORDER BY started_at DESC, run_id DESC LIMIT 1)
ORDER BY path
"""
