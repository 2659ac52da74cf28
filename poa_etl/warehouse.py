"""The DuckDB warehouse: schema derived from ``schemas/``, bulk loads in one transaction.

DuckDB allows one writing process or many readers per file, never both; a busy file is
reported as such rather than as a crash.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from poa_etl import views
from schemas import TABLES

DEFAULT_WAREHOUSE = Path("data/warehouse/poa.duckdb")
# Tables whose rows belong to a report: replaced together when the report is loaded again.
REPORT_OWNED = tuple(t.name for t in TABLES.values() if "report_id" in t.column_names)


class WarehouseError(Exception):
    """The warehouse cannot be opened or written; the message says why."""


def resolve_path(option: Path | None) -> Path:
    """``--warehouse``, else ``$POA_WAREHOUSE``, else ``data/warehouse/poa.duckdb``."""
    if option is not None:
        return option
    if env := os.environ.get("POA_WAREHOUSE"):
        return Path(env)
    return DEFAULT_WAREHOUSE


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection; read-write ones create the schema on first use."""
    if read_only and not path.exists():
        raise WarehouseError(f"no warehouse at {path}: run 'poa ingest' first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseError(
                f"the warehouse {path} is in use by another process "
                f"(DuckDB allows one writer or several readers at a time); try again when it ends"
            ) from None
        raise WarehouseError(f"cannot open the warehouse {path}: {exc}") from None
    try:
        if not read_only:
            for table in TABLES.values():
                con.execute(table.ddl())
            views.refresh(con)
        yield con
    finally:
        con.close()


def loaded_source_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Files already loaded: an unchanged file (same sha256) is not read again."""
    rows = con.execute("SELECT source_id FROM sources WHERE status = 'loaded'").fetchall()
    return {r[0] for r in rows}


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing: a failure anywhere leaves the warehouse as it was."""
    con.begin()
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()


def write(
    con: duckdb.DuckDBPyConnection, sources: pd.DataFrame, tables: Mapping[str, pd.DataFrame]
) -> None:
    """Write a validated batch: the reports it brings replace their earlier copies whole.

    ``sources`` holds one row per file read (loaded or rejected); ``tables`` the rows of the
    loaded ones, by table name. Rows go in from the DataFrames directly, never one by one.
    Call it inside ``transaction``.
    """
    con.register("batch_sources", sources)
    con.register("batch_reports", tables["reports"][["report_id"]])
    try:
        for name in REPORT_OWNED:
            con.execute(
                f"DELETE FROM {name} WHERE report_id IN (SELECT report_id FROM batch_reports)"
            )
        con.execute(
            "DELETE FROM quarantine WHERE source_id IN (SELECT source_id FROM batch_sources)"
        )
        con.execute("DELETE FROM sources WHERE source_id IN (SELECT source_id FROM batch_sources)")
        con.execute("INSERT INTO sources BY NAME SELECT * FROM batch_sources")
        for name, frame in tables.items():
            _insert(con, name, frame)
        views.refresh(con)  # the header comparison has a column per fiscal year present
    finally:
        con.unregister("batch_sources")
        con.unregister("batch_reports")


def replace_quality_issues(
    con: duckdb.DuckDBPyConnection, years: list[int], issues: pd.DataFrame
) -> None:
    """The quality issues of these fiscal years are exactly ``issues`` from now on."""
    con.execute(
        "DELETE FROM quality_issues WHERE list_contains(?::INTEGER[], fiscal_year)", [years]
    )
    _insert(con, "quality_issues", issues)


def _insert(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register("batch_rows", frame)
    try:
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM batch_rows")
    finally:
        con.unregister("batch_rows")
