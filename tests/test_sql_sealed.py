"""``poa sql`` is sealed: every escape an adversarial run found is refused with one plain
line and exit 1, and nothing is written anywhere — not in the warehouse, its folder, the
folder the SQL names, the working directory or DuckDB's extension folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from conftest import snapshot
from test_ingest import poa

from poa_etl.store import sql

READING = "poa sql runs only SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE and EXPLAIN (nothing was run)"
NO_FILES = "error: poa sql reads the warehouse and nothing else (Cannot access file"
DISABLED = '- file system operations are disabled by configuration)"'


def files_under(*folders: Path) -> dict[str, str]:
    """Every file under the folders with its sha256: 'nothing written' is this unchanged."""
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in folders
        if folder.exists()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def watched(sample_warehouse: Path, tmp_path: Path):
    """Runs ``poa sql`` on the sample and checks that nothing anywhere changed."""
    extensions = Path.home() / ".duckdb"
    places = (sample_warehouse.parent, tmp_path, Path.cwd() / ".tmp", extensions)
    before_files, before_rows = files_under(*places), snapshot(sample_warehouse)

    def run(*args: str) -> tuple[int, str, str]:
        return poa("sql", *args, "--warehouse", str(sample_warehouse))

    yield run
    assert files_under(*places) == before_files
    assert snapshot(sample_warehouse) == before_rows
    assert not (Path.cwd() / ".tmp").exists()


def escapes(tmp: Path) -> list[tuple[str, str]]:
    """(SQL, the exact message on stderr) for each escape."""
    return [
        (f"COPY metas TO '{tmp}/out.csv'", f"error: a COPY is not a reading statement; {READING}"),
        (f"COPY metas TO '{tmp}/hidden.csv'; SELECT 1",
         f"error: statement 1 of 2, a COPY, is not a reading statement; {READING}"),
        (f"SELECT 1; EXPORT DATABASE '{tmp}/exported'",
         f"error: statement 2 of 2, an EXPORT, is not a reading statement; {READING}"),
        (f"EXPLAIN ANALYZE COPY metas TO '{tmp}/explained.csv'",
         f"error: an EXPLAIN of a COPY is not a reading statement; {READING}"),
        (f"ATTACH '{tmp}/other.duckdb' AS other",
         f"error: an ATTACH is not a reading statement; {READING}"),
        ("COPY FROM DATABASE poa TO other",
         f"error: a COPY is not a reading statement; {READING}"),
        ("INSTALL spatial", f"error: an INSTALL is not a reading statement; {READING}"),
        ("LOAD spatial", f"error: a LOAD is not a reading statement; {READING}"),
        ("SET enable_external_access = true",
         f"error: a SET is not a reading statement; {READING}"),
        ("RESET lock_configuration",
         f"error: a RESET is not a reading statement; {READING}"),
        ("PRAGMA enable_profiling = 'json'",
         f"error: a PRAGMA is not a reading statement; {READING}"),
        ("CALL read_text('/etc/hostname')", f"error: a CALL is not a reading statement; {READING}"),
        ("DELETE FROM metas", f"error: a DELETE is not a reading statement; {READING}"),
        ("CREATE MACRO leak() AS 1",
         f"error: a CREATE is not a reading statement; {READING}"),
        ("SELECT * FROM read_text('/etc/shadow')", f'{NO_FILES} "/etc/shadow" {DISABLED}'),
        ("SELECT * FROM read_csv('/etc/passwd')", f'{NO_FILES} "/etc/passwd" {DISABLED}'),
        ("SELECT * FROM glob('/root/*')", f'{NO_FILES} "/root/*" {DISABLED}'),
        ("SELECT * FROM read_blob('/etc/hostname')", f'{NO_FILES} "/etc/hostname" {DISABLED}'),
        (f"SELECT * FROM read_parquet('{tmp}/*.parquet')",
         f'{NO_FILES} "{tmp}/*.parquet" {DISABLED}'),
    ]  # fmt: skip


def test_every_escape_is_refused_in_one_plain_line(watched, tmp_path: Path) -> None:
    for query, message in escapes(tmp_path):
        assert watched(query) == (1, "", message.rstrip('"') + "\n"), query


def test_a_runaway_query_is_stopped_by_the_timeout(watched) -> None:
    assert watched("SELECT count(*) FROM range(1000000000000)", "--timeout", "0.5") == (
        1, "", "error: statement 1 stopped after 0.5 s (--timeout)\n",
    )  # fmt: skip


def test_a_later_statement_stopped_leaves_the_earlier_results_shown(watched) -> None:
    code, stdout, stderr = watched(
        "SELECT 7 AS n; SELECT count(*) FROM range(1000000000000)", "--timeout", "0.5",
        "--format", "csv",
    )  # fmt: skip
    assert (code, stdout, stderr) == (
        1, "n\n7\n\n", "error: statement 2 stopped after 0.5 s (--timeout)\n",
    )  # fmt: skip


def test_the_seal_is_visible_and_locked(watched) -> None:
    code, stdout, _ = watched(
        "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access',"
        " 'autoinstall_known_extensions', 'autoload_known_extensions',"
        " 'allow_community_extensions', 'allow_persistent_secrets', 'lock_configuration',"
        " 'memory_limit', 'threads', 'max_execution_time', 'temp_directory') ORDER BY name",
        "--format", "csv", "--timeout", "42",
    )  # fmt: skip
    assert (code, stdout) == (0, (
        "name,value\n"
        "allow_community_extensions,false\n"
        "allow_persistent_secrets,false\n"
        "autoinstall_known_extensions,false\n"
        "autoload_known_extensions,false\n"
        "enable_external_access,false\n"
        "lock_configuration,true\n"
        "max_execution_time,42000\n"
        "memory_limit,953.6 MiB\n"
        "temp_directory,\n"
        "threads,2\n"
    ))  # fmt: skip


@pytest.mark.parametrize(
    ("statement", "error", "says"),
    [
        ("COPY metas TO '{tmp}/out.csv'", duckdb.PermissionException, "disabled by configuration"),
        ("SELECT * FROM read_text('/etc/passwd')", duckdb.PermissionException, "disabled"),
        ("ATTACH '{tmp}/other.duckdb' AS other", duckdb.PermissionException, "disabled"),
        ("EXPORT DATABASE '{tmp}/exported'", duckdb.PermissionException, "disabled"),
        ("INSTALL spatial", duckdb.PermissionException, "disabled"),
        ("LOAD spatial", duckdb.PermissionException, "disabled through configuration"),
        ("SET enable_external_access = true", duckdb.InvalidInputException, "has been locked"),
        ("SET lock_configuration = false", duckdb.InvalidInputException, "has been locked"),
        ("SET memory_limit = '100GB'", duckdb.InvalidInputException, "has been locked"),
        ("RESET max_execution_time", duckdb.InvalidInputException, "has been locked"),
        ("CALL read_text('/etc/hostname')", duckdb.PermissionException, "disabled"),
        ("DELETE FROM metas", duckdb.InvalidInputException, "read-only"),
    ],
)
def test_the_connection_alone_holds_without_the_statement_check(
    sample_warehouse: Path, tmp_path: Path, statement: str, error: type, says: str
) -> None:
    """Defence in depth: run on the sealed connection directly, past the statement check,
    each escape still fails and writes nothing."""
    before = files_under(sample_warehouse.parent, tmp_path)
    with sql.sealed(sample_warehouse, wait=0) as con, pytest.raises(error, match=says):
        con.execute(statement.format(tmp=tmp_path))
    assert files_under(sample_warehouse.parent, tmp_path) == before


def test_reading_statements_of_every_allowed_kind_run() -> None:
    allowed = (
        "SELECT 1; WITH a AS (SELECT 1) SELECT * FROM a; DESCRIBE metas; SHOW TABLES;"
        " SUMMARIZE metas; EXPLAIN SELECT 1; EXPLAIN ANALYZE SELECT 1;"
        " EXPLAIN (FORMAT json) SELECT 1; FROM metas; VALUES (1);"
        " PIVOT metas ON unit_code IN ('58101') USING count(*)"
    )
    assert [s.type.name for s in sql.reading_statements(allowed)] == [
        "SELECT", "SELECT", "SELECT", "SELECT", "SELECT", "EXPLAIN", "EXPLAIN", "EXPLAIN",
        "SELECT", "SELECT", "SELECT",
    ]  # fmt: skip
    with pytest.raises(sql.Refused, match="a PIVOT without an IN list"):
        sql.reading_statements("PIVOT metas ON unit_code USING count(*)")
