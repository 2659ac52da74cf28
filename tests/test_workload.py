"""Worker processes only when they pay: the batch's reading estimated from its pages."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, SAMPLE_TXT

from poa_etl.pipeline import workload
from poa_etl.pipeline.plan import ReadJob
from poa_etl.pipeline.pool import workers_for

PDFS = ROOT / "tests" / "fixtures" / "variants" / "pdf"
TEN_PAGES = PDFS / "chromium_letter_portrait_11pt.pdf"


def job(path: Path, kind: str = "pdf") -> ReadJob:
    return ReadJob(path, path.name, path.stat().st_size, kind)


def test_pages_are_counted_without_reading_the_file() -> None:
    assert workload.pdf_pages(TEN_PAGES, TEN_PAGES.stat().st_size) == 10
    assert workload.pdf_pages(PDFS / "turned_rotate90_2024-58102.pdf", 1) == 1


def test_a_pdf_that_cannot_be_opened_is_estimated_from_its_size(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"x" * 100_000)
    assert workload.pdf_pages(broken, 100_000) == 100_000 // workload.BYTES_PER_PAGE


def test_a_nightly_handful_is_read_in_this_process() -> None:
    """The samples and a few renderings: far less work than two workers' start-up."""
    jobs = [job(SAMPLE_TXT, "text"), *(job(p) for p in sorted(PDFS.glob("lo_arial_*.pdf")))]
    assert workers_for(jobs, "auto") == 0
    assert workload.worth_workers(jobs, cores=2) == 0


def test_a_backlog_of_pages_is_read_by_one_worker_per_core_but_not_more_than_files() -> None:
    """Forty ten-page files: 400 pages, several seconds of reading."""
    jobs = [job(TEN_PAGES)] * 40
    assert workload.worth_workers(jobs, cores=2) == 2
    assert workload.worth_workers(jobs, cores=8) == 8
    assert workload.worth_workers(jobs[:20], cores=64) == 20
    assert workload.worth_workers(jobs, cores=1) == 0


def test_the_runner_chosen_by_the_caller_is_kept() -> None:
    jobs = [job(TEN_PAGES)] * 2
    assert workers_for(jobs, "threads") == 0
    assert workers_for(jobs, "process") >= 1
