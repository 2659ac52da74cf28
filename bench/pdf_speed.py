# ruff: noqa: RUF001 - the report writes the multiplication sign and en dash on purpose.
"""PDF speed as users meet it: ``poa ingest`` end to end, in its own process, against plain
pdfplumber (``extract_tables()`` + ``extract_text()`` on every page, one process) on the
same pages, in the same run.

``poa ingest``'s time is its run on the corpus less a run on an empty folder (the
interpreter and its imports); each repeat times plain pdfplumber, the empty run and the
real run back to back, so a neighbour loading the machine weighs on both sides of the
ratio, and the spread of the repeats says how noisy the run was. The rows loaded are
compared with those the text front end gives from the same reports' tab dump.
"""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from importlib import import_module
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import duckdb
import pdfplumber

from bench import corpus, pdf_corpus
from poa_etl.extract.pdf.reader import read_pdf
from poa_etl.pipeline.plan import ReadJob
from poa_etl.pipeline.pool import workers_for
from poa_etl.pipeline.workload import PDF_PAGE_SECONDS
from poa_etl.report.form import RawReport

Measures = dict[str, Any]
Draw = Callable[[Sequence[RawReport], Path], Path]  # reports -> a PDF of them at this path
POA = Path(sys.executable).with_name("poa")
SAMPLE_DUMP = pdf_corpus.ROOT / "data" / "raw" / "ctcm_poa_avance_2022_2024.txt"
# Columns that say where a row was read, or how many lines the rendering took: they differ
# between a PDF and its dump.
PROVENANCE = {
    "reports": ("source_id", "lines_read", "lines_ignored"),
    "metas": ("source_location",),
    "quarantine": ("source_id", "location", "raw"),
}
COMPARED = ("reports", "report_alignments", "metas", "progress", "signatures", "quarantine")


def pdf_small_files(workdir: Path, repeats: int = 3, renderings: int | None = None) -> Measures:
    """A hundred pages in twenty small files of several producers (``renderings``: fewer
    of the committed ones, for a quick check)."""
    paths, drawn = pdf_corpus.small_files(workdir / "pdf", renderings)
    dump = workdir / "dump"
    dump.mkdir()
    shutil.copyfile(SAMPLE_DUMP, dump / SAMPLE_DUMP.name)
    (dump / "drawn.txt").write_bytes(corpus.text_dump(drawn))
    return _compare(workdir, paths, dump, repeats)


def pdf_long_files(
    workdir: Path, reports: int = 36, files: int = 4, repeats: int = 2, draw: Draw | None = None
) -> Measures:
    """A few long files, one report per sheet, exported by LibreOffice (``draw``: another
    producer, for a quick check without LibreOffice)."""
    draw = draw or pdf_corpus.libreoffice_pdf
    generated = corpus.generate(files * reports, seed=21, defect_rate=0.0).reports
    folder, dump = workdir / "pdf", workdir / "dump"
    folder.mkdir()
    dump.mkdir()
    paths = [
        draw(generated[i * reports : (i + 1) * reports], folder / f"long{i + 1}.pdf")
        for i in range(files)
    ]
    (dump / "generated.txt").write_bytes(corpus.text_dump(generated))
    return _compare(workdir, paths, dump, repeats)


def pdf_memory(workdir: Path, reports: int = 230) -> Measures:
    """One file of about 500 pages: poa ingest's peak memory, and its speed."""
    generated = corpus.generate(reports, seed=31, defect_rate=0.0).reports
    folder = workdir / "pdf"
    folder.mkdir()
    path = pdf_corpus.libreoffice_pdf(generated, folder / "long.pdf")
    pages = pdf_corpus._pages(path)
    seconds, _, peak = _ingest(folder, workdir / "poa.duckdb", "--max-pages", str(pages))
    empty, _, _ = _ingest(_empty(workdir), workdir / "empty.duckdb")
    loaded = _fetch(workdir / "poa.duckdb", "SELECT count(*) FROM reports")[0][0]
    assert loaded == reports, f"{loaded} of {reports} reports loaded"
    return {"pages": pages, "seconds": seconds - empty, "peak_mb": peak,
            "pages_per_s": pages / (seconds - empty)}  # fmt: skip


def _compare(workdir: Path, paths: Sequence[Path], dump: Path, repeats: int) -> Measures:
    folder = paths[0].parent
    pages = sum(pdf_corpus._pages(p) for p in paths)
    empty_folder = _empty(workdir)
    runs = []
    peak = 0.0
    for rep in range(repeats):
        cpu = time.process_time()
        _, plain = _timed(_plain_pdfplumber, paths)
        plain_cpu = time.process_time() - cpu
        empty, empty_cpu, _ = _ingest(empty_folder, workdir / f"empty{rep}.duckdb")
        seconds, ours_cpu, peak = _ingest(folder, workdir / f"poa{rep}.duckdb")
        runs.append({"plain_s": plain, "empty_s": empty, "ours_s": seconds - empty,
                     "plain_cpu_s": plain_cpu, "ours_cpu_s": ours_cpu - empty_cpu})  # fmt: skip
    reference = workdir / "dump.duckdb"
    _ingest(dump, reference)
    identical = _same_rows(workdir / "poa0.duckdb", reference)
    _, reader = _timed(lambda: [read_pdf(p.name, p.read_bytes()) for p in paths])
    fallback = sum(len(read_pdf(p.name, p.read_bytes()).fallback_pages) for p in paths)
    ratios = [r["plain_s"] / r["ours_s"] for r in runs]
    cpu_ratios = [r["plain_cpu_s"] / r["ours_cpu_s"] for r in runs]
    ours = statistics.median(r["ours_s"] for r in runs)
    plain = statistics.median(r["plain_s"] for r in runs)
    jobs = [ReadJob(p, p.name, p.stat().st_size, "pdf") for p in paths]
    return {
        "worker_start_s": _worker_start(),
        "files": len(paths), "pages": pages, "repeats": repeats, "runs": runs,
        "ours_s": ours, "plain_s": plain, "empty_s": statistics.median(r["empty_s"] for r in runs),
        "ours_pages_per_s": pages / ours, "plain_pages_per_s": pages / plain,
        "ratio": statistics.median(ratios), "ratio_min": min(ratios), "ratio_max": max(ratios),
        "ours_cpu_s": statistics.median(r["ours_cpu_s"] for r in runs),
        "cpu_ratio": statistics.median(cpu_ratios),
        "reader_s": reader, "reader_ratio": plain / reader,
        "reader_page_ms": reader / pages * 1000, "assumed_page_ms": PDF_PAGE_SECONDS * 1000,
        "workers": workers_for(jobs, "auto"), "fallback_pages": fallback,
        "identical_rows": identical, "poa_peak_mb": peak,
    }  # fmt: skip


def _worker_start(workers: int = 2) -> float:
    """Seconds to spawn the workers a pool reads with, as ``pool`` does, until they
    answer: what reading in processes costs before any page is read."""
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=import_module,
                             initargs=("poa_etl.pipeline.read",)) as pool:  # fmt: skip
        list(pool.map(abs, range(workers)))
    return time.perf_counter() - started


def _plain_pdfplumber(paths: Sequence[Path]) -> int:
    pages = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.extract_text()
                pages += 1
    return pages


def _ingest(folder: Path, warehouse: Path, *options: str) -> tuple[float, float, float]:
    """``poa ingest`` as a user runs it: seconds, CPU seconds (its processes'), and the peak
    memory of poa's processes so far in this benchmark (MB; the workers count as they end)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [str(POA), "ingest", str(folder), "--warehouse", str(warehouse), "--quiet", *options],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"poa ingest {folder} exited {done.returncode}: {done.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, cpu, after.ru_maxrss / 1024


def _empty(workdir: Path) -> Path:
    folder = workdir / "empty"
    folder.mkdir(exist_ok=True)
    return folder


def _same_rows(pdf: Path, dump: Path) -> bool:
    """Every row of every report table equal, where each was read aside."""
    for table in COMPARED:
        aside = ", ".join(PROVENANCE.get(table, ()))
        columns = f"* EXCLUDE ({aside})" if aside else "*"
        sql = f"SELECT {columns} FROM {table} ORDER BY ALL"
        if _fetch(pdf, sql) != _fetch(dump, sql):
            return False
    return True


def _fetch(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _timed(run: Any, *args: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = run(*args)
    return result, time.perf_counter() - start


def report_section(small: Measures, long: Measures, memory: Measures) -> list[str]:
    """bench/results.md's account of the PDF benchmarks."""
    lines = [
        "## PDF speed in detail",
        "",
        "`poa ingest` runs as users run it, in its own process (its time less that of a run "
        "on an empty folder), against plain pdfplumber (`extract_tables()` + "
        "`extract_text()` on every page, one process) on the same files in the same run; "
        "each repeat times both back to back. Wall-clock ratios move with what else runs on "
        "the machine; CPU time (poa's processes against the baseline's) moves less.",
        "",
        "| corpus | pages | poa ingest, each repeat | pdfplumber, each repeat | wall ratio "
        "| CPU ratio | reader alone | workers | fallback pages | rows as the dump's |",
        "|---|---:|---|---|---|---:|---:|---:|---:|---|",
    ]
    for name, m in (("small files", small), ("long files", long)):
        ours = ", ".join(f"{r['ours_s']:.2f} s" for r in m["runs"])
        plain = ", ".join(f"{r['plain_s']:.2f} s" for r in m["runs"])
        lines.append(
            f"| {m['files']} {name} | {m['pages']} | {ours} | {plain} | "
            f"{m['ratio']:.2f}× ({m['ratio_min']:.2f}–{m['ratio_max']:.2f}) | "
            f"{m['cpu_ratio']:.2f}× | {m['reader_ratio']:.1f}× "
            f"({m['reader_page_ms']:.1f} ms/page) | {m['workers']} | {m['fallback_pages']} | "
            f"{'identical' if m['identical_rows'] else '**different**'} |"
        )
    lines += [
        "",
        f"Small files: {', '.join(pdf_corpus.SMALL_RENDERINGS)} (committed renderings: "
        "LibreOffice, Chromium, qpdf) and four reportlab drawings of generated reports. Long "
        "files: generated reports, one per sheet, exported by LibreOffice (Letter landscape, "
        "fitted to width). Rows are compared with what `poa ingest` loads from the tab dump "
        'of the same reports, every table but where each row was read. "Reader alone": '
        "`read_pdf` in one process against the same baseline. Pages PDFium could not be "
        f"trusted with and pdfplumber read instead: {small['fallback_pages']} and "
        f"{long['fallback_pages']}. The {memory['pages']}-page file took "
        f"{memory['seconds']:.1f} s ({memory['pages_per_s']:.0f} pages/s) at "
        f"{memory['peak_mb']:.0f} MB.",
        "",
        "Processes only when they pay (`poa_etl/pipeline/workload.py`): a batch is read in "
        f"workers only when its pages at {long['assumed_page_ms']:.0f} ms each save more than "
        "twice the workers' start-up; measured here, two spawned workers importing the reader "
        f"answer after {long['worker_start_s']:.2f} s, a page costs "
        f"{small['ours_cpu_s'] / small['pages'] * 1000:.0f} ms of CPU end to end (small files) "
        f"and {long['ours_cpu_s'] / long['pages'] * 1000:.0f} ms (long files, workers "
        "included).",
    ]
    return lines
