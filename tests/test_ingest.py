"""Ingestion behaviour: idempotent, replaces publications whole, rejects bad files cleanly."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_TXT, TABLES, fetch, run_ingest, snapshot
from typer.testing import CliRunner

from poa_etl.cli.app import app
from poa_etl.transform import quality

DATA_TABLES = tuple(t for t in TABLES if t != "sources")
SAMPLE_LINES = SAMPLE_TXT.read_text(encoding="utf-8").split("\n")
SAMPLE_SHA = hashlib.sha256(SAMPLE_TXT.read_bytes()).hexdigest()


def poa(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    """A warehouse holding the sample."""
    path = tmp_path / "wh" / "poa.duckdb"
    assert poa("ingest", str(SAMPLE_TXT), "--warehouse", str(path))[0] == 0
    return path


def write_lines(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_ingesting_twice_leaves_every_table_identical(loaded: Path) -> None:
    before = snapshot(loaded)
    code, stdout, _ = poa("ingest", str(SAMPLE_TXT), "--warehouse", str(loaded))
    assert code == 0
    assert snapshot(loaded) == before
    assert stdout.endswith(
        "0 file(s) loaded, 1 unchanged, 0 rejected: 0 reports, 0 metas, 0 progress rows, "
        "0 row(s) quarantined.\n"
    )


def test_a_new_file_with_the_same_publications_replaces_them_whole(
    loaded: Path, tmp_path: Path
) -> None:
    before = snapshot(loaded)
    lines = list(SAMPLE_LINES)
    assert lines[31].split("\t")[9] == "7"  # line 32: meta 101, Jul-Sep A
    cells = lines[31].split("\t")
    cells[9] = "8"
    lines[31] = "\t".join(cells)
    corrected = write_lines(tmp_path / "v2" / SAMPLE_TXT.name, lines)
    new_sha = hashlib.sha256(corrected.read_bytes()).hexdigest()

    assert poa("ingest", str(corrected), "--warehouse", str(loaded))[0] == 0

    after = snapshot(loaded)
    for table in ("report_alignments", "metas", "signatures"):
        assert after[table] == before[table], table
    changed = [r for r in after["progress"] if r not in before["progress"]]
    assert changed == [("2023-58101-20240930", 2023, "58101", 101, 3, "A", 8.0)]
    # The quality rules see the new value: A now adds up to 22, AVANCE ABSOLUTO says 21.
    assert sorted(set(after["quality_issues"]) - set(before["quality_issues"])) == [
        ("2023-58101-20240930", 2023, "58101", 101, "achieved_sum_differs_from_absolute",
         "warning", "A adds up to 22 over the four quarters; AVANCE ABSOLUTO is 21"),
    ]  # fmt: skip
    assert set(before["quality_issues"]) <= set(after["quality_issues"])
    assert len(after["progress"]) == len(before["progress"]) == 256
    assert fetch(loaded, "SELECT DISTINCT source_id FROM reports") == [(new_sha,)]
    assert fetch(loaded, "SELECT source_id, location FROM quarantine") == [
        (new_sha, "ctcm_poa_avance_2022_2024.txt line 73")
    ]
    assert fetch(loaded, "SELECT source_id, status FROM sources ORDER BY ingested_at") == [
        (SAMPLE_SHA, "loaded"),
        (new_sha, "loaded"),
    ]


def test_same_content_under_two_names_is_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE_TXT, folder / "a.txt")
    shutil.copy(SAMPLE_TXT, folder / "b.txt")
    path = tmp_path / "poa.duckdb"
    code, stdout, _ = poa("ingest", str(folder), "--warehouse", str(path))
    assert code == 0
    assert "1 file(s) loaded, 1 unchanged, 0 rejected: 5 reports, 32 metas" in stdout
    assert fetch(path, "SELECT path FROM sources") == [(str(folder / "a.txt"),)]


def test_data_raw_loads_the_dump_and_both_pdfs(tmp_path: Path) -> None:
    """The PDFs come later in path order, so they provide their two publications."""
    path = tmp_path / "poa.duckdb"
    raw = ROOT / "data" / "raw"
    code, stdout, stderr = poa("ingest", str(raw), "--warehouse", str(path))
    assert (code, stderr) == (0, "")
    assert stdout.splitlines()[-2] == (
        "3 file(s) loaded, 0 unchanged, 0 rejected: 5 reports, 32 metas, 256 progress rows, "
        "1 row(s) quarantined."
    )
    assert fetch(
        path,
        "SELECT s.path, s.media_type, s.pages, count(r.report_id) FROM sources s"
        " LEFT JOIN reports r USING (source_id) GROUP BY ALL ORDER BY 1",
    ) == [
        (str(raw / "ctcm_poa_avance_2022_2024.txt"), "text", None, 3),
        (str(raw / "poa2023_ramo58_ue101.pdf"), "pdf", 1, 1),
        (str(raw / "poa2024_ramo58_ue58102.pdf"), "pdf", 1, 1),
    ]
    assert fetch(path, "SELECT location FROM quarantine") == [
        ("poa2024_ramo58_ue58102.pdf page 1 line 19",)
    ]


BAD_FILES = {
    "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "empty.txt": b"",
    "notes.txt": "Minuta de la reunión\nAcuerdos: ninguno\n".encode(),
    # The first report whole, the second cut in the middle of line 76 (meta 203).
    "truncated.txt": "\n".join([*SAMPLE_LINES[:75], SAMPLE_LINES[75][:40]]).encode(),
}
REASONS = {
    "binary.txt": "binary data, not a text dump (NUL byte at offset 8)",
    "empty.txt": "empty file (0 bytes)",
    "notes.txt": "not a TMM-F004 report: no title 'PROGRAMA OPERATIVO ANUAL <year>' found",
    "truncated.txt": "report 2024-58102-20240930 at line 52: the report stops at line 76 without "
    "its signature block; the table looks cut off, so the report is incomplete",
}


def test_bad_files_are_rejected_whole_and_nothing_loaded_changes(
    loaded: Path, tmp_path: Path
) -> None:
    before = snapshot(loaded, DATA_TABLES)
    folder = tmp_path / "bad"
    folder.mkdir()
    for name, data in BAD_FILES.items():
        (folder / name).write_bytes(data)

    code, stdout, stderr = poa("ingest", str(folder), "--warehouse", str(loaded))

    assert code == 1
    assert stderr.splitlines() == [
        f"rejected {folder / name}: {reason}" for name, reason in REASONS.items()
    ]
    assert stdout.endswith(
        "0 file(s) loaded, 0 unchanged, 4 rejected: 0 reports, 0 metas, 0 progress rows, "
        "0 row(s) quarantined.\n"
    )
    assert snapshot(loaded, DATA_TABLES) == before
    assert fetch(
        loaded, "SELECT path, media_type, bytes, status, error FROM sources ORDER BY status, path"
    ) == [
        (str(SAMPLE_TXT), "text", 10844, "loaded", None),
        *[
            (str(folder / name), "text", len(BAD_FILES[name]), "rejected", reason)
            for name, reason in REASONS.items()
        ],
    ]
    # A rejected file is read again next time, so it keeps being reported until fixed.
    assert poa("ingest", str(folder / "empty.txt"), "--warehouse", str(loaded))[0] == 1
    assert fetch(loaded, "SELECT count(*) FROM sources WHERE status = 'rejected'") == [(4,)]


def test_a_row_with_text_in_a_number_column_is_quarantined_and_the_rest_loads(
    loaded: Path, tmp_path: Path
) -> None:
    before = snapshot(loaded, DATA_TABLES)
    lines = SAMPLE_LINES[:50]  # the 2023 report alone, as a later publication
    assert lines[25] == "FECHA: 30-sep.-24"
    lines[25] = "FECHA: 31-dic-23"
    lines[31] = lines[31].replace("NÓMINA\t30\t", "NÓMINA\ttreinta\t")
    bad = write_lines(tmp_path / "in" / "bad_number.txt", lines)

    code, stdout, stderr = poa("ingest", str(bad), "--warehouse", str(loaded))

    assert (code, stderr) == (0, "")
    reason = "META ANUAL AUTORIZADA: 'treinta' is not a number"
    assert f"quarantined bad_number.txt line 32: {reason}\n" in stdout
    rid = "2023-58101-20231231"
    assert fetch(loaded, f"SELECT meta_id FROM metas WHERE report_id = '{rid}' ORDER BY 1") == [
        (100,), (102,), (103,), (104,), (105,),
    ]  # fmt: skip
    assert fetch(loaded, f"SELECT count(*) FROM progress WHERE report_id = '{rid}'") == [(40,)]
    assert fetch(
        loaded, f"SELECT location, raw, reason, stage FROM quarantine WHERE report_id = '{rid}'"
    ) == [("bad_number.txt line 32", lines[31], reason, "table")]
    # The earlier publication (FECHA 30-sep-24) is a different snapshot: untouched.
    for table in DATA_TABLES:
        kept = [r for r in snapshot(loaded, (table,))[table] if rid not in r]
        assert kept == before[table], table
    assert poa("ingest", str(bad), "--warehouse", str(tmp_path / "s.duckdb"), "--strict")[0] == 1


def test_strict_fails_on_quarantined_rows(tmp_path: Path) -> None:
    args = ("ingest", str(SAMPLE_TXT), "--warehouse")
    assert poa(*args, str(tmp_path / "a.duckdb"))[0] == 0
    assert poa(*args, str(tmp_path / "b.duckdb"), "--strict")[0] == 1


def test_a_failure_after_writing_rolls_back_everything(
    loaded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(loaded)
    lines = list(SAMPLE_LINES)
    lines[31] = lines[31].replace("\t30\t", "\t31\t")
    changed = write_lines(tmp_path / "v2.txt", lines)

    def broken(*_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(quality, "find_issues", broken)  # runs after the rows are written
    with pytest.raises(RuntimeError, match="disk full"):
        run_ingest([changed], loaded)
    assert snapshot(loaded) == before


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    (tmp_path / "data.xls").write_text("a,b\n")
    assert poa("ingest", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb")) == (
        2, "", f"error: {tmp_path / 'nope'}: no such file or folder\n",
    )  # fmt: skip
    assert poa("ingest", str(tmp_path / "data.xls"), "--warehouse", str(tmp_path / "w.duckdb")) == (
        2, "", f"error: {tmp_path / 'data.xls'}: not a file poa-etl reads "
               f"(.txt, .pdf, .xlsx, .xlsm, .ods, .csv, .tsv)\n",
    )  # fmt: skip
    assert not (tmp_path / "w.duckdb").exists()


def test_a_busy_warehouse_is_reported_not_crashed(loaded: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
         "sys.stdin.read()", str(loaded)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline() == "ready\n"
        code, stdout, stderr = poa(
            "ingest", str(SAMPLE_TXT), "--warehouse", str(loaded), "--wait", "1"
        )
    finally:
        holder.communicate("")
    assert (code, stdout) == (3, "")
    assert stderr == (
        f"error: the warehouse {loaded} is in use by process {holder.pid} "
        f"({os.path.realpath(sys.executable)}): "
        "still busy after waiting 1 s (--wait); DuckDB allows one writer or several readers "
        "at a time\n"
    )
