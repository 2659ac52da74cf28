"""The Parquet lake beside the warehouse file, Hive-partitioned by fiscal year:
``lake/<table>/fiscal_year=YYYY/data.parquet`` (``lake/sources/data.parquet``, which has no
fiscal year, is written whole). Readable by DuckDB, pandas/pyarrow or Spark.

After a load, the partitions of the years it touched are written anew: each to a temporary
folder first, then swapped in, so a reader never sees half a partition and no file from an
earlier write survives; a year left with no rows loses its folder.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

import duckdb

from schemas import TABLES, Table

PARTITION = "fiscal_year"


def lake_dir(warehouse_path: Path) -> Path:
    return warehouse_path.parent / "lake"


def refresh(con: duckdb.DuckDBPyConnection, lake: Path, years: Iterable[int]) -> None:
    """Write the touched years' partitions of every table, and the sources, from DuckDB."""
    for table in TABLES.values():
        if PARTITION in table.column_names:
            for year in sorted(set(years)):
                _replace(con, table, lake / table.name / f"{PARTITION}={int(year)}",
                         f"{PARTITION} = {int(year)}")  # fmt: skip
        else:
            _replace(con, table, lake / table.name, "true")


def _replace(con: duckdb.DuckDBPyConnection, table: Table, target: Path, where: str) -> None:
    columns = ", ".join(c for c in table.column_names if c != PARTITION)
    order = ", ".join(table.primary_key or table.column_names)
    (rows,) = con.execute(f"SELECT count(*) FROM {table.name} WHERE {where}").fetchone()
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.parent / f".{target.name}.new-{uuid.uuid4().hex}"
    if rows:
        fresh.mkdir()
        file = str(fresh / "data.parquet").replace("'", "''")
        con.execute(
            f"COPY (SELECT {columns} FROM {table.name} WHERE {where} ORDER BY {order}) "
            f"TO '{file}' (FORMAT parquet)"
        )
    stale = target.parent / f".{target.name}.old-{uuid.uuid4().hex}"
    if target.exists():
        target.rename(stale)
    if rows:
        fresh.rename(target)
    shutil.rmtree(stale, ignore_errors=True)
