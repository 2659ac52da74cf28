"""Helpers of the hostile tests: ``poa`` as a separate process (to kill it, or to limit the
size of the files it may write), and the check that the lake is exactly the warehouse."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import duckdb

from poa_etl.store.lake import FILE, PARTITION, lake_dir
from schemas import TABLES

POA = str(Path(sys.executable).parent / "poa")


def poa_process(*args: str, max_file_bytes: int | None = None) -> subprocess.CompletedProcess:
    """``poa ARGS`` in its own process; ``max_file_bytes``: as under ``ulimit -f``, no file
    it writes may grow past that size (the write fails with "File too large", as on a
    full disk)."""

    def limit() -> None:
        if max_file_bytes is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    return subprocess.run(
        [POA, *args], capture_output=True, text=True, preexec_fn=limit, timeout=120, check=False
    )


def lake_differences(warehouse: Path) -> list[str]:
    """How the lake beside ``warehouse`` differs from it: every table, every fiscal year,
    every row, and no file that is not one of them. Empty when they match."""
    lake = lake_dir(warehouse)
    expected: set[Path] = set()
    problems: list[str] = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in TABLES.values():
            columns = ", ".join(table.column_names)
            held = con.execute(f"SELECT {columns} FROM {table.name} ORDER BY ALL").fetchall()
            if PARTITION in table.column_names:
                years = {row[table.column_names.index(PARTITION)] for row in held}
                files = {lake / table.name / f"{PARTITION}={y}" / FILE for y in years}
                pattern = f"{lake / table.name}/*/*.parquet"
            else:
                files = {lake / table.name / FILE} if held else set()
                pattern = str(lake / table.name / FILE)
            expected |= files
            if not held:
                continue
            if missing := sorted(str(f) for f in files if not f.is_file()):
                problems.append(f"{table.name}: missing {missing}")
                continue
            try:
                read = con.execute(
                    f"SELECT {columns} FROM read_parquet('{pattern}', hive_partitioning = true)"
                    " ORDER BY ALL"
                ).fetchall()
            except duckdb.Error as exc:
                problems.append(f"{table.name}: the lake cannot be read ({exc})")
                continue
            if read != held:
                problems.append(f"{table.name}: the lake holds other rows than the warehouse")
    present = {p for p in lake.rglob("*") if not p.is_dir()} if lake.exists() else set()
    stray = sorted(str(p.relative_to(lake)) for p in present - expected)
    if stray:
        problems.append(f"stray files: {stray}")
    folders = {p for p in lake.rglob("*") if p.is_dir()} if lake.exists() else set()
    empty = sorted(str(p.relative_to(lake)) for p in folders if not any(p.iterdir()))
    if empty:
        problems.append(f"empty folders: {empty}")
    return problems
