"""The sealed SQL surface: analysts' SQL runs on a connection that can read the warehouse
and nothing else, and only reading statements run.

Two locks, each enough on its own for what it covers:

* the connection (``sealed``): read-only, no access to files or the network
  (``enable_external_access``), no extension installed or loaded, no persistent secrets, no
  spilling to disk, memory and threads capped, each statement stopped after ``timeout``
  seconds, and the configuration locked so no statement can undo any of it;
* the statements (``reading_statements``): DuckDB's own parser splits the SQL and names each
  statement's type; all of them are checked before any runs, and anything but SELECT (which
  covers WITH, DESCRIBE, SHOW, SUMMARIZE, PIVOT … IN, VALUES, FROM-first) or EXPLAIN of one
  is refused.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from poa_etl.store import warehouse

READING = "SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE and EXPLAIN"
MEMORY_LIMIT = "1GB"
THREADS = 2
DEFAULT_TIMEOUT = 60.0
# A PIVOT whose columns are not listed creates an ENUM type before it reads.
_PIVOT_CREATES = "a PIVOT without an IN list (it creates types)"


class Refused(Exception):
    """A statement that is not a reading one; nothing was run."""


def sealed_config(timeout: float = DEFAULT_TIMEOUT) -> dict[str, object]:
    """DuckDB settings of a sealed connection (names as in ``duckdb_settings()``)."""
    return {
        "enable_external_access": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "allow_persistent_secrets": False,
        "temp_directory": "",  # no spilling: a query over the memory cap fails, writes nothing
        "memory_limit": MEMORY_LIMIT,
        "threads": THREADS,
        "max_execution_time": str(max(1, round(timeout * 1000))),  # milliseconds
        "lock_configuration": True,
    }


@contextmanager
def sealed(
    path: Path, *, wait: float, timeout: float = DEFAULT_TIMEOUT
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A sealed read-only connection to the warehouse at ``path``."""
    if not path.exists():
        raise warehouse.WarehouseError(f"no warehouse at {path}: run 'poa ingest' first")
    con = warehouse.open_connection(path, read_only=True, wait=wait, config=sealed_config(timeout))
    try:
        yield con
    finally:
        con.close()


def reading_statements(sql: str) -> list[duckdb.Statement]:
    """The statements of ``sql``, once every one of them is known to be a reading one.

    A syntax error raises DuckDB's ``ParserException``; any other statement, ``Refused``.
    """
    statements = duckdb.extract_statements(sql)
    for number, statement in enumerate(statements, start=1):
        if kind := _not_reading(statement):
            which = (
                f"statement {number} of {len(statements)}, {kind}," if len(statements) > 1 else kind
            )
            raise Refused(
                f"{which} is not a reading statement; poa sql runs only {READING} (nothing was run)"
            )
    return statements


def _not_reading(statement: duckdb.Statement) -> str | None:
    """What a statement is when it is not a reading one, else None."""
    kind = statement.type.name
    if kind == "SELECT":
        return None
    if kind == "EXPLAIN":
        explained = _explained(statement.query)
        if explained is None:
            return "an EXPLAIN of more than one statement or of none"
        inner = _not_reading(explained)
        return None if inner is None else f"an EXPLAIN of {inner}"
    if kind == "MULTI":
        return _PIVOT_CREATES
    word = statement.query.split(maxsplit=1)[0].upper() if statement.query.strip() else kind
    return f"{'an' if word[0] in 'AEIOU' else 'a'} {word}"


def _explained(query: str) -> duckdb.Statement | None:
    """The one statement an ``EXPLAIN [ANALYZE | (options)] …`` explains, or None."""
    rest = query.lstrip()
    if rest[:7].upper() != "EXPLAIN":
        return None
    rest = rest[7:].lstrip()
    if rest[:7].upper() == "ANALYZE" and rest[7:8].isspace():
        rest = rest[7:]
    elif rest.startswith("("):
        rest = rest.partition(")")[2]
    try:
        inner = duckdb.extract_statements(rest)
    except duckdb.Error:
        return None
    return inner[0] if len(inner) == 1 else None


def fetch(
    con: duckdb.DuckDBPyConnection, statement: duckdb.Statement | str
) -> tuple[list[str], list[tuple]]:
    """Run one statement and fetch its columns and rows; Ctrl-C stops the query.

    The query runs on a thread while this one waits: a signal reaches Python only between
    bytecodes, never inside DuckDB, so Ctrl-C would otherwise be ignored until the query
    ended. On ``KeyboardInterrupt`` the query is interrupted and the interrupt re-raised.
    """
    outcome: dict[str, object] = {}
    cursor = con.cursor()  # its own handle: the connection refuses calls while it is busy
    done = threading.Event()  # not Thread.join: an interrupted join can report a live thread dead

    def work() -> None:
        try:
            cursor.execute(statement)
            outcome["rows"] = ([d[0] for d in cursor.description or []], cursor.fetchall())
        except BaseException as exc:  # handed to the waiting thread, raised there
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name="poa-sql", daemon=True).start()
    try:
        while not done.wait(0.1):
            pass
    except KeyboardInterrupt:
        cursor.interrupt()
        done.wait()
        raise
    finally:
        if done.is_set():
            cursor.close()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["rows"]  # type: ignore[return-value]
