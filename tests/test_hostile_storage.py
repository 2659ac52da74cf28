"""A full disk, a file size limit, a lake or export folder that cannot be written: each is
one plain line, nothing committed is lost, and the next run finishes what was left.

A full disk is made real with ``ulimit -f`` (RLIMIT_FSIZE) on a ``poa`` process: its
writes past the limit fail with "File too large", as they would with no space left. Where
that cannot reach (the lake is written after the commit, in files far smaller than the
write-ahead log), the operating system's error is injected at the rename that puts each
lake file in place.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLE_TXT, fetch, run_ingest, snapshot
from hostile import lake_differences, poa_process
from test_ingest import poa

from bench.corpus import generate, text_dump
from poa_etl.store import lake

LATER = (
    SAMPLE_TXT.read_text(encoding="utf-8")
    .replace("FECHA: 30-sep.-24", "FECHA: 31-dic-24")
    .replace("FECHA: 30-sep-24", "FECHA: 31-dic-24")
)


def later_publication(folder: Path) -> Path:
    """The sample's five reports at a later cut-off date: five new publications."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "later.txt"
    path.write_text(LATER, encoding="utf-8")
    return path


def counts(warehouse: Path) -> tuple:
    return fetch(
        warehouse,
        "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM metas),"
        " (SELECT count(*) FROM ingest_runs)",
    )[0]


def test_a_full_disk_during_the_load_loads_nothing_and_says_so(tmp_path: Path) -> None:
    """No file may grow past the warehouse's present size, as on a disk with no room left:
    the write-ahead log of 200 more reports (about 3.6 MB) does not fit."""
    warehouse = tmp_path / "wh" / "poa.duckdb"
    run_ingest([SAMPLE_TXT], warehouse)
    before = snapshot(warehouse)
    lake_before = {p: p.read_bytes() for p in lake.lake_dir(warehouse).rglob("*.parquet")}
    batch = tmp_path / "in" / "corpus.txt"
    batch.parent.mkdir()
    corpus = generate(200, seed=16)
    batch.write_bytes(text_dump(corpus.reports))

    done = poa_process("ingest", str(batch), "--warehouse", str(warehouse), "--quiet",
                       max_file_bytes=warehouse.stat().st_size)  # fmt: skip

    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"error: the warehouse {warehouse} could not be written (TransactionContext Error: "
        f'Failed to commit: Could not write file "{warehouse}.wal": File too large): nothing '
        "of this run was loaded\n"
    )
    assert snapshot(warehouse) == before
    assert {p: p.read_bytes() for p in lake.lake_dir(warehouse).rglob("*.parquet")} == (lake_before)
    # With room again, the same run loads it all.
    code, _, stderr = poa("ingest", str(batch), "--warehouse", str(warehouse))
    assert (code, stderr) == (0, "")
    assert counts(warehouse) == (205, 32 + corpus.metas, 2)
    assert lake_differences(warehouse) == []


def test_a_checkpoint_that_fails_is_reported_and_the_next_run_finishes_it(
    tmp_path: Path,
) -> None:
    """The commit fits in the write-ahead log (about 150 kB) but the warehouse file cannot
    grow to take it (its blocks are 256 kB): exit 4, the data is loaded (readers see it),
    the WAL finishes later."""
    warehouse = tmp_path / "wh" / "poa.duckdb"
    wal = warehouse.with_name("poa.duckdb.wal")

    done = poa_process("ingest", str(SAMPLE_TXT), "--warehouse", str(warehouse), "--quiet",
                       max_file_bytes=200_000)  # fmt: skip

    assert (done.returncode, done.stdout) == (4, "")
    assert done.stderr == (
        f"error: the load is committed, but the warehouse file {warehouse} could not be "
        "updated (FATAL Error: Failed to create checkpoint because of error: Could not write "
        f'file "{warehouse}": File too large); it is kept in poa.duckdb.wal and finished by '
        "the next run: free some space\n"
    )
    assert wal.stat().st_size > 0
    assert counts(warehouse) == (5, 32, 1)  # read from the log
    assert lake_differences(warehouse) == []

    code, stdout, stderr = poa("ingest", str(SAMPLE_TXT), "--warehouse", str(warehouse))
    assert (code, stderr) == (0, "")
    assert "0 file(s) loaded, 1 unchanged, 0 rejected" in stdout
    assert not wal.exists()
    assert counts(warehouse) == (5, 32, 2)


def test_a_full_disk_during_the_lake_refresh_is_exit_4_and_repaired_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "wh" / "poa.duckdb"
    run_ingest([SAMPLE_TXT], warehouse)
    later = later_publication(tmp_path / "in")
    real_replace = os.replace
    renames: list[str] = []

    def disk_fills_up(source: Path, target: Path) -> None:
        """The third lake file finds the disk full: a mix of new and old is left."""
        renames.append(str(target))
        if len(renames) >= 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        real_replace(source, target)

    monkeypatch.setattr(lake.os, "replace", disk_fills_up)
    code, stdout, stderr = poa("ingest", str(later), "--warehouse", str(warehouse))
    monkeypatch.setattr(lake.os, "replace", real_replace)

    lake_path = lake.lake_dir(warehouse)
    assert code == 4
    assert stderr == (
        f"error: the Parquet lake in {lake_path} could not be refreshed: [Errno 28] No space "
        f"left on device: '{renames[-1]}' (the data is loaded; the next run retries)\n"
    )
    assert "1 file(s) loaded, 0 unchanged, 0 rejected: 5 reports" in stdout
    assert counts(warehouse) == (10, 64, 2)
    assert fetch(warehouse, "SELECT * FROM internal.lake_pending ORDER BY 1") == [
        (2022,), (2023,), (2024,),
    ]  # fmt: skip
    assert lake_differences(warehouse) != []

    # A run with nothing new finishes the refresh.
    code, stdout, stderr = poa("ingest", str(later), "--warehouse", str(warehouse))
    assert (code, stderr) == (0, "")
    assert fetch(warehouse, "SELECT count(*) FROM internal.lake_pending") == [(0,)]
    assert lake_differences(warehouse) == []


def test_a_lake_path_taken_by_a_file_is_reported_after_the_commit(tmp_path: Path) -> None:
    warehouse = tmp_path / "wh" / "poa.duckdb"
    warehouse.parent.mkdir()
    lake.lake_dir(warehouse).write_text("not a folder")
    code, _, stderr = poa("ingest", str(SAMPLE_TXT), "--warehouse", str(warehouse))
    assert code == 4
    assert stderr.startswith(f"error: the Parquet lake in {lake.lake_dir(warehouse)} could not")
    assert stderr.endswith("(the data is loaded; the next run retries)\n")
    assert len(stderr.splitlines()) == 1
    assert counts(warehouse) == (5, 32, 1)
    # Once the way is clear, `poa lake` (or the next run) writes it.
    lake.lake_dir(warehouse).unlink()
    code, stdout, _ = poa("lake", "--warehouse", str(warehouse))
    assert (code, stdout) == (
        0, f"lake {lake.lake_dir(warehouse)}: fiscal years written: 2022, 2023, 2024.\n",
    )  # fmt: skip
    assert lake_differences(warehouse) == []


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("loaded") / "poa.duckdb"
    run_ingest([SAMPLE_TXT], warehouse)
    return warehouse


def test_export_to_a_read_only_disk_is_one_line(
    loaded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No folder can be made on a read-only file system (EROFS, injected)."""
    out = tmp_path / "portal" / "export"

    def read_only(path: object, *_: object, **__: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    monkeypatch.setattr(os, "mkdir", read_only)
    code, stdout, stderr = poa("export", "--out", str(out), "--warehouse", str(loaded))
    monkeypatch.undo()
    assert (code, stdout) == (1, "")
    assert len(stderr.splitlines()) == 1
    assert stderr.startswith("error: ") and stderr.endswith(": Read-only file system\n")
    assert not (tmp_path / "portal").exists()


def test_export_onto_a_full_disk_is_one_line(loaded: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    done = poa_process("export", "--out", str(out), "--warehouse", str(loaded),
                       max_file_bytes=3000)  # fmt: skip
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("error: ") and "File too large" in done.stderr


def test_quality_csv_goes_through_the_formula_guard(tmp_path: Path) -> None:
    """A file named like a formula names its quarantined rows: the CSV cell is guarded."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE_TXT, folder / "=HYPERLINK(1).txt")
    warehouse = tmp_path / "poa.duckdb"
    assert poa("ingest", str(folder), "--warehouse", str(warehouse))[0] == 0
    code, stdout, _ = poa("quality", "--format", "csv", "--warehouse", str(warehouse))
    assert code == 0
    assert "\n2024,58102,2024-58102-20240930,quarantined,,table,,'=HYPERLINK(1).txt line 73," in (
        stdout
    )
    assert ",=HYPERLINK" not in stdout


def test_the_warehouse_is_readable_by_duckdb_1_2(loaded: Path) -> None:
    """Storage version 65 (DuckDB v1.2.0+) in the file header: DuckDB 1.2 and later open it
    (checked by hand with duckdb 1.2.2, 1.3.2, 1.4.4 and 1.5.6; see the README)."""
    header = loaded.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    assert int.from_bytes(header[12:20], "little") == 65
    with duckdb.connect(str(loaded), read_only=True) as con:
        assert con.execute(
            "SELECT tags['storage_version'] FROM duckdb_databases()"
            " WHERE database_name = current_database()"
        ).fetchall() == [("v1.2.0+",)]


def test_a_warehouse_in_duckdb_2_format_is_migrated_whole_on_open(
    loaded: Path, tmp_path: Path
) -> None:
    """A file written with DuckDB 2.0's own format (as poa-etl wrote before v1.2 storage)
    is rewritten in the v1.2 format the first time poa-etl writes to it: every row kept,
    a pending lake year included, no leftover file."""
    newer = tmp_path / "wh" / "poa.duckdb"
    newer.parent.mkdir()
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{loaded}' AS old (READ_ONLY)")
        con.execute(f"ATTACH '{newer}' AS newer (STORAGE_VERSION 'v2.0.0')")
        con.execute("COPY FROM DATABASE old TO newer")
        con.execute("INSERT INTO newer.internal.lake_pending VALUES (2023)")
    assert int.from_bytes(newer.read_bytes()[12:20], "little") == 999  # not readable by 1.x
    before = snapshot(newer)
    runs = fetch(newer, "SELECT count(*) FROM ingest_runs")[0][0]

    code, stdout, stderr = poa("ingest", str(SAMPLE_TXT), "--warehouse", str(newer))

    assert (code, stderr) == (0, "")
    assert "0 file(s) loaded, 1 unchanged" in stdout
    assert int.from_bytes(newer.read_bytes()[12:20], "little") == 65
    assert snapshot(newer) == before
    assert fetch(newer, "SELECT count(*) FROM ingest_runs") == [(runs + 1,)]
    # The pending year survived the migration and was written by that run (the lake of
    # the copy held nothing else: `poa lake --rebuild` writes every year).
    assert fetch(newer, "SELECT count(*) FROM internal.lake_pending") == [(0,)]
    assert sorted(p.parent.name for p in lake.lake_dir(newer).glob("metas/*/*")) == [
        "fiscal_year=2023"
    ]
    assert sorted(p.name for p in newer.parent.iterdir()) == ["lake", "poa.duckdb"]
    assert poa("lake", "--rebuild", "--warehouse", str(newer))[0] == 0
    assert lake_differences(newer) == []


def test_lake_rebuild_leaves_exactly_the_warehouse(tmp_path: Path) -> None:
    """Leftovers of crashes and older versions (a hidden half-written year, a stray file
    beside the years, a year the warehouse no longer holds, a table it no longer has) are
    gone after `poa lake --rebuild`, and the README's query reads the lake again."""
    warehouse = tmp_path / "wh" / "poa.duckdb"
    run_ingest([SAMPLE_TXT], warehouse)
    folder = lake.lake_dir(warehouse)
    (folder / "metas" / ".fiscal_year=2024.new-3f2a").mkdir()
    (folder / "metas" / ".fiscal_year=2024.new-3f2a" / "data.parquet").write_bytes(b"PAR1")
    (folder / "progress" / "stray.parquet").write_bytes(b"PAR1")
    shutil.copytree(folder / "metas" / "fiscal_year=2024", folder / "metas" / "fiscal_year=2019")
    (folder / "metas" / "fiscal_year=2023" / "part-1.parquet").write_bytes(b"PAR1")
    (folder / "old_table" / "fiscal_year=2024").mkdir(parents=True)
    (folder / ".staging").mkdir()
    (folder / ".staging" / "0f.parquet").write_bytes(b"PAR1")
    assert lake_differences(warehouse) != []

    code, stdout, stderr = poa("lake", "--rebuild", "--warehouse", str(warehouse))

    assert (code, stderr) == (0, "")
    assert stdout == f"lake {folder}: fiscal years written: 2022, 2023, 2024.\n"
    assert lake_differences(warehouse) == []
    with duckdb.connect() as con:
        assert con.execute(
            f"SELECT fiscal_year, count(*) FROM read_parquet('{folder}/metas/*/*.parquet',"
            " hive_partitioning = true) GROUP BY ALL ORDER BY ALL"
        ).fetchall() == [(2022, 6), (2023, 6), (2024, 20)]
