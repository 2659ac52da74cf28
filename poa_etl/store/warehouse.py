"""The DuckDB warehouse: schema derived from ``schemas/``, bulk loads in one transaction.

DuckDB allows one writing process or many readers per file, never both. A busy file is
waited for (with backoff, up to ``wait`` seconds) and then reported with the holder's PID,
never as a crash. Files are written in DuckDB's v1.2 storage format, so DuckDB 1.2 and
later clients can open them; a file written in a newer format is migrated on open.
"""

from __future__ import annotations

import logging
import os
import random
import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from poa_etl.store import views
from poa_etl.store.status import SettingsError
from schemas import TABLES

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_WAREHOUSE = Path("data/warehouse/poa.duckdb")
STORAGE_VERSION = "v1.2.0"  # the oldest DuckDB release that can open the file
WAIT_WRITER = 600.0  # seconds a load waits for readers to finish
WAIT_READER = 30.0  # seconds a reader waits for a load to finish
NEVER_CHECKPOINT = "1000TB"  # a WAL size no load reaches
MAX_RETRY_DELAY = 1.0  # seconds between two attempts to open a busy warehouse, at most
INTERRUPTED = "Query interrupted"  # DuckDB's message when a signal stops a query
NOTE_AFTER = 1.0  # seconds of waiting before saying so (logged, shown by the command line)
# Tables whose rows belong to a report: replaced together when the report is loaded again.
REPORT_OWNED = tuple(t.name for t in TABLES.values() if "report_id" in t.column_names)
log = logging.getLogger(__name__)
_HOLDER = re.compile(r"Conflicting lock is held in (.*?) \(PID (\d+)\)")


class WarehouseError(Exception):
    """The warehouse cannot be opened or written; the message says why."""


class WarehouseBusy(WarehouseError):
    """Another process held the warehouse for longer than the caller would wait."""


def resolve_path(option: Path | None) -> Path:
    """``--warehouse``, else ``$POA_WAREHOUSE``, else ``data/warehouse/poa.duckdb``."""
    if option is not None:
        return option
    if env := os.environ.get("POA_WAREHOUSE"):
        return Path(env)
    return DEFAULT_WAREHOUSE


def one_line(exc: BaseException) -> str:
    """An error's text on one line (DuckDB's span several)."""
    return " ".join(str(exc).split())


def open_connection(
    path: Path, *, read_only: bool, wait: float, config: Mapping[str, object] | None = None
) -> duckdb.DuckDBPyConnection:
    """A connection, once the file is free: a lock is retried with backoff for ``wait`` s.

    A writer never checkpoints on its own (``checkpoint_threshold``): a commit then only
    appends to the write-ahead log, so a failed commit means nothing was written, and the
    checkpoint is an explicit step (``checkpoint``) whose failure is reported."""
    settings = {**(config or {})}
    if not read_only:
        settings["storage_compatibility_version"] = STORAGE_VERSION
        settings["checkpoint_threshold"] = NEVER_CHECKPOINT
    started = time.monotonic()
    delay = 0.05
    noted = False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=settings)
        except duckdb.IOException as exc:
            holder = _HOLDER.search(str(exc))
            if holder is None and "lock" not in str(exc).lower():
                raise WarehouseError(f"cannot open the warehouse {path}: {one_line(exc)}") from None
            who = f"process {holder.group(2)} ({holder.group(1)})" if holder else "another process"
            waited = time.monotonic() - started
            if waited + delay > wait:
                raise WarehouseBusy(
                    f"the warehouse {path} is in use by {who}: still busy after waiting "
                    f"{wait:g} s (--wait); DuckDB allows one writer or several readers at a time"
                ) from None
            if not noted and waited >= NOTE_AFTER:
                log.warning("the warehouse %s is in use by %s: waiting up to %g s", path, who, wait)
                noted = True
            # Jittered, so that retries do not fall in step with a reader that polls on a
            # fixed period (a retry that met its query once would meet it every time).
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, MAX_RETRY_DELAY)
        except duckdb.Error as exc:
            raise WarehouseError(f"cannot open the warehouse {path}: {one_line(exc)}") from None


@contextmanager
def connect(
    path: Path, *, read_only: bool = False, wait: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection; read-write ones create the schema on first use and migrate a file
    written in a newer storage format."""
    if read_only and not path.exists():
        raise WarehouseError(f"no warehouse at {path}: run 'poa ingest' first")
    if wait is None:
        wait = WAIT_READER if read_only else WAIT_WRITER
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarehouseError(
                f"cannot create the folder {path.parent}: {exc.strerror}"
            ) from None
    con = open_connection(path, read_only=read_only, wait=wait)
    try:
        if not read_only:
            try:
                if _storage_version(con) != f"{STORAGE_VERSION}+":
                    con.close()
                    _migrate(path, wait)
                    con = open_connection(path, read_only=False, wait=wait)
                ensure_schema(con)
            except SettingsError as exc:
                raise WarehouseError(str(exc)) from None
            except (duckdb.Error, OSError) as exc:
                raise WarehouseError(
                    f"cannot prepare the warehouse {path}: {one_line(exc)}"
                ) from None
        yield con
    finally:
        con.close()


@contextmanager
def interrupts_raised() -> Iterator[None]:
    """Ctrl-C or SIGTERM as ``KeyboardInterrupt``, even when it comes during a query:
    DuckDB stops the query and raises ``RuntimeError('Query interrupted')`` instead."""
    try:
        yield
    except RuntimeError as exc:
        if str(exc) != INTERRUPTED:
            raise
        raise KeyboardInterrupt from None


def checkpoint(con: duckdb.DuckDBPyConnection, path: Path) -> str | None:
    """Write the committed changes into the warehouse file; why not, if it failed (the
    changes stay in the write-ahead log, and the next connection that writes finishes)."""
    try:
        con.execute("CHECKPOINT")
    except duckdb.Error as exc:
        return (
            f"the load is committed, but the warehouse file {path} could not be updated "
            f"({one_line(exc)}); it is kept in {path.name}.wal and finished by the next "
            f"run: free some space"
        )
    return None


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Every contract table (new columns added to older files) and every view."""
    for table in TABLES.values():
        con.execute(table.ddl())
        present = {
            name
            for (name,) in con.execute(
                "SELECT column_name FROM duckdb_columns() "
                "WHERE database_name = current_database() AND table_name = ?",
                [table.name],
            ).fetchall()
        }
        for column in table.columns:
            if column.name not in present:
                con.execute(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {column.type}")
    views.refresh(con)


def _storage_version(con: duckdb.DuckDBPyConnection) -> str | None:
    (tags,) = con.execute(
        "SELECT tags FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return dict(tags or {}).get("storage_version")


def _migrate(path: Path, wait: float) -> None:
    """Rewrite the file in the compatible storage format, swapping it in whole."""
    fresh = path.with_name(f".{path.name}.migrating")
    fresh.unlink(missing_ok=True)
    con = open_connection(path, read_only=False, wait=wait)
    try:
        con.execute("CHECKPOINT")  # no write-ahead log left to replay onto the new file
        target = str(fresh).replace("'", "''")
        con.execute(f"ATTACH '{target}' AS migrated (STORAGE_VERSION '{STORAGE_VERSION}')")
        con.execute(f'COPY FROM DATABASE "{_database_name(con)}" TO migrated')
        con.execute("DETACH migrated")
    finally:
        con.close()
    os.replace(fresh, path)


def _database_name(con: duckdb.DuckDBPyConnection) -> str:
    (name,) = con.execute("SELECT current_database()").fetchone()
    return name


def loaded_source_ids(path: Path, wait: float = WAIT_WRITER) -> set[str]:
    """Files already loaded (an unchanged file is not read again); none without a file."""
    if not path.exists():
        return set()
    with connect(path, read_only=True, wait=wait) as con:
        try:
            rows = con.execute("SELECT source_id FROM sources WHERE status = 'loaded'").fetchall()
        except duckdb.CatalogException:
            return set()
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
            insert(con, name, frame)
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
    insert(con, "quality_issues", issues)


def insert(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    """Append a frame's rows to a table, matching columns by name."""
    con.register("batch_rows", frame)
    try:
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM batch_rows")
    finally:
        con.unregister("batch_rows")
