"""The benchmarks of ``make bench``, each a function of its scale, returning measurements.

Each compares poa-etl with a baseline measured in the same run on the same machine, so
the ratios hold on a noisy machine. ``tests/test_bench.py`` runs every one at a tiny
scale for correctness; ``bench/run.py`` runs them at full scale, one process each (so
each one's peak memory is its own), and writes bench/results.md.
"""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from bench import corpus
from poa_etl.pipeline.batch import batch_tables, sources_frame
from poa_etl.pipeline.plan import plan
from poa_etl.pipeline.read import read_file
from poa_etl.pipeline.run import ingest
from poa_etl.publish import csv_export, datasets
from poa_etl.store import warehouse
from poa_etl.transform.contract import validate
from poa_etl.transform.normalize import ORIGINS

Measures = dict[str, Any]


def _timed(run: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = run(*args, **kwargs)
    return result, time.perf_counter() - start


def write_text_corpus(folder: Path, reports: int, per_file: int, seed: int = 2024) -> corpus.Corpus:
    """``reports`` generated reports as text dumps of ``per_file`` reports each."""
    generated = corpus.generate(reports, seed=seed)
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, reports, per_file):
        chunk = generated.reports[start : start + per_file]
        (folder / f"dump{start // per_file:05d}.txt").write_bytes(corpus.text_dump(chunk))
    return generated


def text_end_to_end(workdir: Path, reports: int, per_file: int = 100) -> Measures:
    """2. Text dumps end to end into DuckDB, as poa ingest runs (plan, read, validate, load)."""
    generated = write_text_corpus(workdir / "raw", reports, per_file)
    target = workdir / "poa.duckdb"
    summary, seconds = _timed(ingest, [workdir / "raw"], target)
    assert (summary.total("reports"), summary.total("metas"), summary.total("quarantine")) == (
        reports, generated.metas, generated.defective_rows,
    )  # fmt: skip
    return {"reports": reports, "files": len(summary.files), "seconds": seconds,
            "reports_per_s": reports / seconds, "metas": generated.metas,
            "progress_rows": summary.total("progress")}  # fmt: skip


def load_step(workdir: Path, reports: int) -> Measures:
    """3. Writing a validated batch: poa-etl's load vs a bare CREATE TABLE AS of the frames."""
    write_text_corpus(workdir / "raw", reports, per_file=500)
    batch = plan([workdir / "raw"], workdir / "scratch.duckdb")
    read = [read_file(job) for job in batch.to_read]
    sources = sources_frame(read)
    checked = validate(batch_tables(read), sources)
    rows = sum(len(f) for f in checked.tables.values())
    with warehouse.connect(workdir / "ours.duckdb") as con:
        _, ours = _timed(_our_write, con, sources, checked.tables)
    bare = duckdb.connect(str(workdir / "bare.duckdb"))
    frames = {"sources": sources, **checked.tables}
    _, ctas = _timed(_bare_write, bare, frames)
    bare.close()
    assert ORIGINS not in checked.tables
    return {"reports": reports, "rows": rows, "ours_s": ours, "ctas_s": ctas, "ratio": ours / ctas}


def _our_write(con: duckdb.DuckDBPyConnection, sources: Any, tables: dict[str, Any]) -> None:
    with warehouse.transaction(con):
        warehouse.write(con, sources, tables)


def _bare_write(con: duckdb.DuckDBPyConnection, frames: dict[str, Any]) -> None:
    for name, frame in frames.items():
        con.register("frame", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM frame")
        con.unregister("frame")


def nightly_noop(workdir: Path, files: int) -> Measures:
    """4. A second nightly run over already-loaded files vs the same run over nothing."""
    write_text_corpus(workdir / "raw", files, per_file=1)
    (workdir / "empty").mkdir()
    target = workdir / "poa.duckdb"
    ingest([workdir / "raw"], target)
    _, empty = _timed(ingest, [workdir / "empty"], target)
    summary, noop = _timed(ingest, [workdir / "raw"], target)
    assert [f.status for f in summary.files] == ["unchanged"] * files  # nothing was read
    return {"files": files, "empty_run_s": empty, "noop_run_s": noop,
            "beyond_start_up_s": noop - empty}  # fmt: skip


def export_speed(workdir: Path, rows: int) -> Measures:
    """5. Exporting ``rows`` progress rows: poa-etl's CSV writer vs DuckDB's plain COPY."""
    path = workdir / "poa.duckdb"
    with warehouse.connect(path) as con:
        # 100 metas x 8 values per report; one value in ten blank.
        con.execute(
            "INSERT INTO progress SELECT"
            " printf('%d-%05d-20240930', 2022 + (i // 800) % 4, i // 800),"
            " 2022 + (i // 800) % 4, printf('%05d', i // 800), (i // 8) % 100,"
            " (i % 8) // 2 + 1, CASE WHEN i % 2 = 0 THEN 'P' ELSE 'A' END,"
            " CASE WHEN i % 10 = 0 THEN NULL ELSE (i % 50)::DOUBLE END"
            " FROM range(?) t(i)",
            [rows],
        )
    dataset = next(d for d in datasets.DATASETS if d.name == "progress")
    with duckdb.connect(str(path), read_only=True) as con:
        years = [y for (y,) in con.execute("SELECT DISTINCT fiscal_year FROM progress").fetchall()]
        _, ours = _timed(_export_progress, con, workdir / "ours", dataset, years)
        _, plain = _timed(_copy_progress, con, workdir / "plain", years)
        written = sum(
            len((workdir / "ours" / f"progress_{y}.csv").read_bytes().splitlines()) - 1
            for y in years
        )
    assert written == rows
    return {"rows": rows, "ours_s": ours, "copy_s": plain, "ratio": ours / plain}


def _export_progress(
    con: duckdb.DuckDBPyConnection, out: Path, dataset: Any, years: list[int]
) -> None:
    out.mkdir()
    for year in years:
        csv_export.write_dataset(con, dataset, year, out, latest_only=False, excel=False)


def _copy_progress(con: duckdb.DuckDBPyConnection, out: Path, years: list[int]) -> None:
    out.mkdir()
    for year in years:
        con.execute(
            f"COPY (SELECT * FROM progress WHERE fiscal_year = {year} "
            "ORDER BY report_id, meta_id, quarter, measure) "
            f"TO '{out / f'progress_{year}.csv'}' (FORMAT csv, HEADER)"
        )


def cli_start_up(workdir: Path, repeats: int) -> Measures:
    """6. Wall time of the commands a person types, each its own process, median of
    ``repeats``: ``poa --help``, ``poa sql "select 1"`` and ``poa ingest`` of the samples
    once loaded; beside Python starting and exiting (``python -c pass``), its floor."""
    raw = workdir / "raw"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data" / "raw", raw)
    target = str(workdir / "poa.duckdb")
    poa = str(Path(sys.executable).parent / "poa")
    commands = {
        "python": [sys.executable, "-c", "pass"],
        "help": [poa, "--help"],
        "sql": [poa, "sql", "select 1", "--warehouse", target],
        "ingest_noop": [poa, "ingest", str(raw), "--warehouse", target, "--quiet"],
    }
    subprocess.run(commands["ingest_noop"], check=True, capture_output=True)  # the first load
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            _, seconds = _timed(subprocess.run, command, check=True, capture_output=True)
            times[name].append(seconds)
    with duckdb.connect(target, read_only=True) as con:
        runs = con.execute(
            "SELECT files_seen, files_unchanged FROM ingest_runs ORDER BY started_at"
        ).fetchall()
    assert runs == [(3, 0)] + [(3, 3)] * repeats  # the timed runs read nothing
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the first load
    medians = {name: statistics.median(spent) for name, spent in times.items()}
    return medians | {"repeats": repeats, "commands_peak_mb": largest}
