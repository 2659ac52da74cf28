"""PDF reading speed: poa-etl's reader vs plain pdfplumber on the same pages, in one run.

Plain pdfplumber means what one would write first: ``extract_tables()`` and
``extract_text()`` on every page, one process. poa-etl reads each page once (its words and
rules) and reads files in parallel across the cores. The corpus is the sample dump's
five reports drawn as PDFs in the published layouts (``poa_etl.render_pdf``).
Writes bench/results.md.
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pdfplumber

from poa_etl.ingest import ReadJob, read_file
from poa_etl.render_pdf import PdfLayout, render_pdf
from poa_etl.text_reader import read_text_dump

ROOT = Path(__file__).resolve().parent.parent
FILES = 24
# As published: full pages with grid lines, and some exports without them or with
# tables running over several pages.
LAYOUTS = [PdfLayout(), PdfLayout(ruled=False), PdfLayout(rows_per_page=4)]


def corpus(folder: Path) -> list[Path]:
    dump = ROOT / "data" / "raw" / "ctcm_poa_avance_2022_2024.txt"
    reports = read_text_dump(dump.name, dump.read_bytes())
    paths = []
    for index in range(FILES):
        path = folder / f"corpus{index}.pdf"
        path.write_bytes(render_pdf(reports, LAYOUTS[index % len(LAYOUTS)]))
        paths.append(path)
    return paths


def plain_pdfplumber(paths: list[Path]) -> int:
    pages = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.extract_text()
                pages += 1
    return pages


def ours(paths: list[Path], workers: int) -> int:
    """The function each read-file task of the flow runs, one process per core."""
    jobs = [
        ReadJob(path, str(index), path.stat().st_size, "pdf") for index, path in enumerate(paths)
    ]
    if workers == 1:
        results = [read_file(job) for job in jobs]
    else:
        context = multiprocessing.get_context("spawn")  # as Prefect's process task runner
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            results = list(pool.map(read_file, jobs))
    assert all(r.status == "loaded" for r in results), [r.message for r in results]
    return sum(r.pages or 0 for r in results)


def timed(run: Callable[..., int], *args: object) -> tuple[int, float]:
    start = time.perf_counter()
    pages = run(*args)
    return pages, time.perf_counter() - start


def main() -> None:
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as folder:
        paths = corpus(Path(folder))
        runs = [
            ("plain pdfplumber: extract_tables() + extract_text(), 1 process",
             *timed(plain_pdfplumber, paths)),
            ("poa-etl reader, 1 process", *timed(ours, paths, 1)),
            (f"poa-etl reader, {cores} processes", *timed(ours, paths, cores)),
        ]  # fmt: skip
    baseline = runs[0][1] / runs[0][2]
    lines = [
        "## PDF reading",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.processor() or platform.machine()}"
        f" · {cores} cores · Python {platform.python_version()} · pdfplumber "
        f"{pdfplumber.__version__} · corpus: {FILES} files, the five sample reports each, "
        f"{runs[0][1]} pages in all",
        "",
        "| reader | pages | seconds | pages/s | vs plain |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {name} | {pages} | {seconds:.2f} | {pages / seconds:.1f} | "
            f"{pages / seconds / baseline:.2f}× |"  # noqa: RUF001 (the multiplication sign)
            for name, pages, seconds in runs
        ),
        "",
    ]
    report = "\n".join(lines)
    (ROOT / "bench" / "results.md").write_text("# Benchmarks\n\n" + report, encoding="utf-8")
    sys.stdout.write(report)


if __name__ == "__main__":
    main()
