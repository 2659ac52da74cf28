"""Processes that die or compete: kill -9 at random moments, SIGTERM while workers read,
readers polling during a load. The warehouse is always all-old or all-new, the lake equals
it after the next run, no worker outlives its run, and a busy warehouse is waited for."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from conftest import SAMPLE_TXT, fetch, run_ingest
from hostile import POA, lake_differences
from test_ingest import poa

from bench.corpus import generate, text_dump
from bench.render_pdf import render_pdf
from poa_etl.extract import DEFAULTS
from poa_etl.pipeline import pool
from poa_etl.pipeline.plan import read_job
from poa_etl.store.lake import STAGING, lake_dir

# What a run changes, without what differs from run to run (run ids, times).
STATE = {
    "reports": "SELECT * FROM reports",
    "report_alignments": "SELECT * FROM report_alignments",
    "metas": "SELECT * FROM metas",
    "progress": "SELECT * FROM progress",
    "signatures": "SELECT * FROM signatures",
    "quarantine": "SELECT * FROM quarantine",
    "quality_issues": "SELECT * FROM quality_issues",
    "sources": "SELECT source_id, path, media_type, bytes, pages, status, error FROM sources",
}
RUNS = "SELECT files_seen, files_loaded, reports FROM ingest_runs ORDER BY ALL"


def state(warehouse: Path) -> dict[str, list[tuple]]:
    return {name: fetch(warehouse, f"{sql} ORDER BY ALL") for name, sql in STATE.items()}


def processes_of(parent: int) -> list[int]:
    """The living child processes of ``parent`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition: Callable[[], bool], process: subprocess.Popen, timeout: float) -> bool:
    """Poll ``condition`` every millisecond while ``process`` runs; whether it came true."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.001)
    return False


# --- kill -9 at random moments ----------------------------------------------------------

LATER = (
    SAMPLE_TXT.read_text(encoding="utf-8")
    .replace("FECHA: 30-sep.-24", "FECHA: 31-dic-24")
    .replace("FECHA: 30-sep-24", "FECHA: 31-dic-24")
)


def test_kill_9_at_random_moments_leaves_all_old_or_all_new_and_the_next_run_repairs(
    tmp_path: Path,
) -> None:
    """Seeded: each round kills ``poa ingest`` at a moment drawn from the load's stages —
    while reading, once the write-ahead log appears (the load), once the lake is being
    written (after the commit), a little after that — and then runs it again."""
    base = tmp_path / "base" / "poa.duckdb"
    run_ingest([SAMPLE_TXT], base)
    batch = tmp_path / "in"
    batch.mkdir()
    (batch / "later.txt").write_text(LATER, encoding="utf-8")
    (batch / "sample_copy.txt").write_text(  # replaces the 2024 publications whole
        SAMPLE_TXT.read_text(encoding="utf-8").replace("\t30\t7\t7\t", "\t30\t8\t7\t"),
        encoding="utf-8",
    )
    old, old_runs = state(base), fetch(base, RUNS)
    reference = tmp_path / "reference" / "poa.duckdb"
    shutil.copytree(base.parent, reference.parent)
    run_ingest([batch], reference)
    new, new_runs = state(reference), fetch(reference, RUNS)
    assert old != new

    rng = random.Random(16)
    moments = ["reading", "load", "lake", "after lake"]
    seen: dict[str, int] = {"all-old": 0, "all-new, lake pending": 0, "all-new": 0}
    for round_, moment in enumerate(moments):
        warehouse = tmp_path / f"round{round_}" / "poa.duckdb"
        shutil.copytree(base.parent, warehouse.parent)
        wal = warehouse.with_name("poa.duckdb.wal")
        staging = lake_dir(warehouse) / STAGING
        process = subprocess.Popen(
            [POA, "ingest", str(batch), "--warehouse", str(warehouse), "--quiet"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if moment == "reading":
            time.sleep(rng.uniform(0.2, 1.0))
        elif moment == "load":
            wait_for(wal.exists, process, 30)
            time.sleep(rng.uniform(0, 0.02))
        else:
            wait_for(staging.exists, process, 30)
            time.sleep(rng.uniform(0, 0.01) if moment == "lake" else rng.uniform(0.01, 0.1))
        process.kill()
        process.wait()

        after = state(warehouse)
        assert after in (old, new), (round_, moment)
        assert fetch(warehouse, RUNS) == (old_runs if after == old else new_runs)
        pending = fetch(warehouse, "SELECT count(*) FROM internal.lake_pending")[0][0]
        outcome = "all-old" if after == old else "all-new, lake pending" if pending else "all-new"
        seen[outcome] += 1

        # The next run (nothing to read if the killed one committed) finishes everything.
        summary = run_ingest([batch], warehouse)
        assert summary.exit_code() == 0, (round_, moment)
        assert state(warehouse) == new, (round_, moment)
        nothing_new = [(2, 0, 0)] if after == new else []  # the repairing run logs itself
        assert fetch(warehouse, RUNS) == sorted(new_runs + nothing_new)
        assert lake_differences(warehouse) == [], (round_, moment)
        assert fetch(warehouse, "SELECT count(*) FROM internal.lake_pending") == [(0,)]
        assert not wal.exists()
        shutil.rmtree(warehouse.parent)
    # The rounds met a kill before the commit and one between the commit and the lake.
    assert seen["all-old"] >= 1 and seen["all-new, lake pending"] >= 1, seen


@pytest.mark.parametrize("moment", ["load", "lake"])
def test_sigterm_says_truly_whether_the_load_committed(moment: str, tmp_path: Path) -> None:
    """SIGTERM while the load writes, or once the lake is being written: poa ingest stops
    (exit 130) saying what is true — nothing loaded, or loaded with the lake to finish."""
    warehouse = tmp_path / "wh" / "poa.duckdb"
    run_ingest([SAMPLE_TXT], warehouse)
    old = state(warehouse)
    later = tmp_path / "later.txt"
    later.write_text(LATER, encoding="utf-8")
    trigger = warehouse.with_name("poa.duckdb.wal") if moment == "load" else (
        lake_dir(warehouse) / STAGING
    )  # fmt: skip
    process = subprocess.Popen(
        [POA, "ingest", str(later), "--warehouse", str(warehouse), "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert wait_for(trigger.exists, process, 30)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=30)

    assert (process.returncode, stdout) == (130, ""), stderr
    if state(warehouse) == old:
        assert moment == "load"
        assert stderr == "error: interrupted: nothing of this run was loaded\n"
    else:
        assert fetch(warehouse, "SELECT count(*) FROM reports") == [(10,)]
        assert stderr == (
            "error: interrupted after the load was committed: the files read are loaded; "
            "the next run brings the Parquet lake up to date\n"
        )
    code = run_ingest([later], warehouse).exit_code()
    assert code == 0
    assert fetch(warehouse, "SELECT count(*) FROM reports") == [(10,)]
    assert lake_differences(warehouse) == []


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("pipeline.load.load", "interrupted: nothing of this run was loaded"),
        ("store.lake.refresh_pending", "interrupted after the load was committed: the files "
         "read are loaded; the next run brings the Parquet lake up to date"),
    ],
)  # fmt: skip
def test_an_interrupt_that_stops_a_query_is_still_an_interrupt(
    where: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A signal that lands while DuckDB runs a query comes out as RuntimeError('Query
    interrupted'), not KeyboardInterrupt: it is still reported as an interruption, true to
    whether the load had committed (it ended in a traceback, exit 1)."""
    import importlib

    module_name, function = f"poa_etl.{where}".rsplit(".", 1)
    module = importlib.import_module(module_name)
    real = getattr(module, function)

    def stopped(con: object, *args: object) -> object:
        con.execute("SELECT 1")  # DuckDB checks for a pending signal while running a query
        raise RuntimeError("Query interrupted")

    warehouse = tmp_path / "poa.duckdb"
    run_ingest([SAMPLE_TXT], warehouse)
    old = state(warehouse)
    later = tmp_path / "later.txt"
    later.write_text(LATER, encoding="utf-8")
    monkeypatch.setattr(module, function, stopped)
    code, stdout, stderr = poa("ingest", str(later), "--warehouse", str(warehouse))
    monkeypatch.setattr(module, function, real)

    assert (code, stdout, stderr) == (130, "", f"error: {message}\n")
    assert (state(warehouse) == old) == (where == "pipeline.load.load")


# --- SIGTERM and kill -9 while worker processes read ------------------------------------


@pytest.fixture(scope="module")
def pdf_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve PDFs of 20 generated reports each (about 480 pages): work for two workers
    for several seconds, so that a run can be stopped while they read."""
    folder = tmp_path_factory.mktemp("pdfs")
    reports = generate(12 * 20, seed=12).reports
    for index in range(12):
        pdf = render_pdf(reports[index * 20 : (index + 1) * 20])
        (folder / f"corpus_{index:02d}.pdf").write_bytes(pdf)
    return folder


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_stopping_a_run_while_workers_read_leaves_no_worker(
    stop: signal.Signals, pdf_folder: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "poa.duckdb"
    process = subprocess.Popen(
        [POA, "ingest", str(pdf_folder), "--runner", "process", "--warehouse", str(warehouse)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    # Two workers and multiprocessing's resource tracker.
    assert wait_for(lambda: len(processes_of(process.pid)) >= 3, process, 30)
    children = processes_of(process.pid)
    time.sleep(0.5)
    process.send_signal(stop)
    stdout, stderr = process.communicate(timeout=30)

    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [pid for pid in children if alive(pid)] == []
    if stop == signal.SIGTERM:
        assert (process.returncode, stdout) == (130, "")
        assert stderr == "error: interrupted: nothing of this run was loaded\n"
    assert not warehouse.exists()  # nothing was loaded, not even an empty warehouse


def test_a_worker_killed_mid_read_rejects_what_it_left_and_the_rest_loads(
    pdf_folder: Path, tmp_path: Path
) -> None:
    """The out-of-memory killer (or a crash in a PDF library) ends one worker: the pool
    breaks, the files it had not delivered are rejected for this run, those read are
    loaded, and the next run reads the rest — no traceback."""
    warehouse = tmp_path / "poa.duckdb"
    process = subprocess.Popen(
        [POA, "ingest", str(pdf_folder), "--runner", "process", "--warehouse", str(warehouse)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip

    def workers() -> list[int]:
        return [
            pid for pid in processes_of(process.pid)
            if b"spawn_main" in (Path("/proc") / str(pid) / "cmdline").read_bytes()
        ]  # fmt: skip

    assert wait_for(lambda: len(workers()) >= 2, process, 30)
    time.sleep(1.0)
    os.kill(workers()[0], signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=60)

    stopped = (
        "the process reading it stopped abruptly (killed, out of memory, or crashed), so it "
        "was not read; the next run reads it again"
    )
    lines = stderr.splitlines()
    assert process.returncode == 1
    assert lines and all(line.startswith("rejected ") and line.endswith(stopped) for line in lines)
    loaded = fetch(warehouse, "SELECT count(*) FROM sources WHERE status = 'loaded'")[0][0]
    assert loaded + len(lines) == 12
    assert f"{loaded} file(s) loaded, 0 unchanged, {len(lines)} rejected" in stdout
    code, _, stderr = poa("ingest", str(pdf_folder), "--warehouse", str(warehouse))
    assert (code, stderr) == (0, "")
    assert fetch(warehouse, "SELECT count(*) FROM sources WHERE status = 'loaded'") == [(12,)]


def test_workers_outlive_the_thread_that_started_them(tmp_path: Path) -> None:
    """A Prefect task's thread submits reads, so it may start a worker and then end; the
    worker must serve the rest of the run (it used to die with that thread)."""
    paths = [tmp_path / f"{i}.txt" for i in range(3)]
    for i, path in enumerate(paths):
        path.write_text(LATER.replace("31-dic-24", f"{i + 1}-dic-24"), encoding="utf-8")
    jobs = [read_job(path) for path in paths]
    with pool.readers(jobs, "process") as submit:
        first: list = []
        thread = threading.Thread(target=lambda: first.append(submit(jobs[0], DEFAULTS).result()))
        thread.start()
        thread.join()
        time.sleep(3 * pool.PARENT_CHECK)
        later = [submit(job, DEFAULTS).result() for job in jobs[1:]]
    assert [r.status for r in first + later] == ["loaded"] * 3
    assert [r.source_id for r in first + later] == [job.source_id for job in jobs]


# --- a reader polling during a load -----------------------------------------------------

READER = """
import json, sys, threading, time
from datetime import datetime, UTC
from pathlib import Path
from poa_etl.store import warehouse

path, every, hold = Path(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
release, stop = threading.Event(), threading.Event()
def commands():
    for line in sys.stdin:
        (release if line.strip() == "release" else stop).set()
    stop.set()
threading.Thread(target=commands, daemon=True).start()
poll = 0
while not stop.is_set():
    asked = datetime.now(UTC)
    with warehouse.connect(path, read_only=True) as con:
        got = datetime.now(UTC)
        (reports,) = con.execute("SELECT count(*) FROM reports").fetchone()
        print(json.dumps({"asked": asked.isoformat(), "got": got.isoformat(),
                          "reports": reports}), flush=True)
        if poll == 0:
            release.wait(60)  # the first poll holds on until told
        time.sleep(hold)
    poll += 1
    time.sleep(max(0.0, every - hold))
"""


def _when(poll: dict, moment: str) -> datetime:
    """When a poll asked for the warehouse, or got it."""
    return datetime.fromisoformat(poll[moment])


def test_a_load_waits_for_a_polling_reader_and_the_reader_for_the_load(tmp_path: Path) -> None:
    """A reader polls the warehouse twice a second; its first poll holds on. ``poa ingest``
    reaches its load, says it waits for the reader, and loads once the reader lets go;
    the polls that come during the load wait for it and see all of it or none of it."""
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([SAMPLE_TXT], warehouse)
    corpus = generate(100, seed=9)
    batch = tmp_path / "corpus.txt"
    batch.write_bytes(text_dump(corpus.reports))
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(warehouse), "0.5", "0.2"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    polls = [json.loads(reader.stdout.readline())]
    load = subprocess.Popen(
        [POA, "ingest", str(batch), "--warehouse", str(warehouse), "--quiet", "--wait", "60"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip

    note = load.stderr.readline()
    reader.stdin.write("release\n")
    reader.stdin.flush()
    stdout, stderr = load.communicate(timeout=120)
    time.sleep(1.0)  # a poll or two after the load
    reader.stdin.close()
    polls += [json.loads(line) for line in reader.stdout]
    assert reader.wait(timeout=30) == 0

    holder = f"process {reader.pid} ({os.path.realpath(sys.executable)})"
    assert note == f"note: the warehouse {warehouse} is in use by {holder}: waiting up to 60 s\n"
    assert (load.returncode, stdout, stderr) == (0, "", "")
    assert fetch(warehouse, "SELECT count(*) FROM reports") == [(105,)]
    # Every poll answered, with the warehouse before or after the load, never between; a
    # poll that asked while the load held the warehouse (its run logged as finished, not
    # yet committed) waited for it. (How long a poll took says nothing on a busy machine:
    # opening the file alone can take a tenth of a second.)
    seen = [p["reports"] for p in polls]
    assert seen == sorted(seen) and set(seen) == {5, 105}, seen
    ((finished,),) = fetch(warehouse, "SELECT max(finished_at) FROM ingest_runs")
    waited = [p for p in polls[1:] if _when(p, "asked") < finished < _when(p, "got")]
    assert waited and all(p["reports"] == 105 for p in waited), (finished, polls)
