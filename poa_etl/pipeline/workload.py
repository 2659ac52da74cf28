"""How much reading a batch is, and whether worker processes repay starting them.

Reading is estimated from what ``make bench`` measures on this kind of machine (the
figures below, from bench/results.md): a PDF page costs about ``PDF_PAGE_SECONDS`` to
read and normalize in one process, a megabyte of text dump ``TEXT_MB_SECONDS``, and a
spawned worker ``WORKER_START_SECONDS`` before it reads anything (it imports the front
ends and pandas). Workers are used only when they save clearly more than they cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from poa_etl.pipeline.plan import ReadJob

PDF_PAGE_SECONDS = 0.015
TEXT_MB_SECONDS = 0.5
WORKER_START_SECONDS = 1.0
PAYBACK = 2.0  # workers must save at least this many times their start-up
BYTES_PER_PAGE = 20_000  # for a PDF whose pages cannot be counted without reading it


def pdf_pages(path: Path, size: int) -> int:
    """The PDF's page count, from its cross-reference table (nothing is parsed)."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(path)
    except (pypdfium2.PdfiumError, OSError):
        return max(1, size // BYTES_PER_PAGE)  # encrypted or broken: it will say so
    try:
        return len(document)
    finally:
        document.close()


def estimated_seconds(jobs: Sequence[ReadJob]) -> float:
    """How long reading the jobs takes in one process."""
    seconds = 0.0
    for job in jobs:
        if job.media_type == "pdf":
            seconds += pdf_pages(job.path, job.size) * PDF_PAGE_SECONDS
        else:
            seconds += job.size / 1e6 * TEXT_MB_SECONDS
    return seconds


def worth_workers(jobs: Sequence[ReadJob], cores: int) -> int:
    """How many worker processes repay their start-up for these jobs; 0: none does.

    With ``n`` workers the reading takes about ``start + work / n`` instead of ``work``;
    files are not split, so no more workers than files.
    """
    workers = min(cores, len(jobs))
    if workers < 2:
        return 0
    work = estimated_seconds(jobs)
    saved = work - work / workers
    return workers if saved > PAYBACK * WORKER_START_SECONDS else 0
