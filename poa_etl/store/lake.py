"""The Parquet lake beside the warehouse file, Hive-partitioned by fiscal year:
``lake/<table>/fiscal_year=YYYY/data.parquet``; tables without a fiscal year (``sources``,
``ingest_runs``) are one file, ``lake/<table>/data.parquet``. Readable by DuckDB,
pandas/pyarrow or Spark without the warehouse.

A load records the years it touched in ``internal.lake_pending`` inside its own transaction; the
lake is refreshed after the commit and each year is cleared only once its files are in
place. Every run, a run with nothing new included, first finishes what an earlier run left
pending (a crash, a full disk) and sweeps its leftovers, so the lake repairs itself.

Each file is written under ``lake/.staging/`` — outside what readers glob — and moved over
the old one with one atomic rename, so a reader sees the old file or the new one, never
half of one, and no file from an earlier write survives.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import duckdb

from schemas import TABLES, Table

PARTITION = "fiscal_year"
FILE = "data.parquet"
STAGING = ".staging"
# Bookkeeping, apart from the analysts' tables in the main schema.
PENDING = "internal.lake_pending"
PENDING_DDL = f"""
CREATE SCHEMA IF NOT EXISTS internal;
CREATE TABLE IF NOT EXISTS {PENDING} (fiscal_year INTEGER NOT NULL);
COMMENT ON TABLE {PENDING} IS
    'poa-etl bookkeeping: fiscal years whose Parquet lake files are still to be rewritten.';
"""


class LakeError(Exception):
    """The lake could not be written; the warehouse holds the data, the next run retries."""


def lake_dir(warehouse_path: Path) -> Path:
    return warehouse_path.parent / "lake"


def mark_pending(con: duckdb.DuckDBPyConnection, years: list[int]) -> None:
    """Inside the load's transaction: these years must be written to the lake."""
    con.execute(PENDING_DDL)
    con.execute(
        f"INSERT INTO {PENDING} SELECT unnest(?::INTEGER[]) EXCEPT SELECT * FROM {PENDING}",
        [sorted(set(years))],
    )


def refresh_pending(con: duckdb.DuckDBPyConnection, lake: Path) -> list[int]:
    """Write every pending year and the unpartitioned tables; clear each year once done.

    Returns the years written. Raises ``LakeError`` (the years stay pending)."""
    con.execute(PENDING_DDL)
    years = [y for (y,) in con.execute(f"SELECT DISTINCT fiscal_year FROM {PENDING} ORDER BY 1")
             .fetchall()]  # fmt: skip
    try:
        _sweep(lake)
        for table in TABLES.values():
            if PARTITION not in table.column_names:
                _write(con, table, lake / table.name, "true", lake)
        for year in years:
            for table in TABLES.values():
                if PARTITION in table.column_names:
                    folder = lake / table.name / f"{PARTITION}={int(year)}"
                    _write(con, table, folder, f"{PARTITION} = {int(year)}", lake)
            con.execute(f"DELETE FROM {PENDING} WHERE fiscal_year = ?", [year])
        _sweep(lake)
    except (OSError, duckdb.Error) as exc:
        raise LakeError(f"the Parquet lake in {lake} could not be refreshed: {exc}") from None
    return years


def rebuild(con: duckdb.DuckDBPyConnection, lake: Path) -> list[int]:
    """Rewrite the whole lake from the warehouse: afterwards it holds exactly the files
    of the warehouse's tables and years; anything else in it (a year the warehouse no
    longer holds, a stray file, a table of an older version) is removed."""
    con.execute(PENDING_DDL)
    present = {y for (y,) in con.execute("SELECT DISTINCT fiscal_year FROM reports").fetchall()}
    try:
        for entry in list(lake.iterdir()) if lake.is_dir() else []:
            table = TABLES.get(entry.name)
            if table is None or not entry.is_dir():
                _remove(entry)
            elif PARTITION in table.column_names:
                years = {f"{PARTITION}={y}" for y in present}
                for other in entry.iterdir():
                    if other.name not in years:
                        _remove(other)
            else:
                for other in entry.iterdir():
                    if other.name != FILE:
                        _remove(other)
    except OSError as exc:
        raise LakeError(f"the Parquet lake in {lake} could not be cleared: {exc}") from None
    mark_pending(con, sorted(present))
    return refresh_pending(con, lake)


def _remove(path: Path) -> None:
    shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


def _write(
    con: duckdb.DuckDBPyConnection, table: Table, folder: Path, where: str, lake: Path
) -> None:
    """The rows of ``table`` matching ``where`` as ``folder/data.parquet``; none: no folder."""
    columns = ", ".join(c for c in table.column_names if c != PARTITION)
    order = ", ".join(table.primary_key or table.column_names)
    (rows,) = con.execute(f"SELECT count(*) FROM {table.name} WHERE {where}").fetchone()
    target = folder / FILE
    if not rows:
        target.unlink(missing_ok=True)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        return
    staging = lake / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    fresh = staging / f"{uuid.uuid4().hex}.parquet"
    literal = str(fresh).replace("'", "''")
    con.execute(
        f"COPY (SELECT {columns} FROM {table.name} WHERE {where} ORDER BY {order}) "
        f"TO '{literal}' (FORMAT parquet)"
    )
    folder.mkdir(parents=True, exist_ok=True)
    os.replace(fresh, target)
    for other in folder.iterdir():  # anything but our one file is a leftover
        if other.name != FILE:
            _remove(other)


def _sweep(lake: Path) -> None:
    """Leftovers of interrupted writes: the staging folder, and hidden folders an earlier
    version of poa-etl staged partitions in."""
    shutil.rmtree(lake / STAGING, ignore_errors=True)
    if lake.is_dir():
        for table in lake.iterdir():
            if table.is_dir() and not table.name.startswith("."):
                for leftover in table.glob(f".{PARTITION}=*"):
                    shutil.rmtree(leftover, ignore_errors=True)
