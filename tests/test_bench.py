"""The corpus generator and every benchmark at a tiny scale: correctness only, no timing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bench import benchmarks, corpus, pdf_corpus, pdf_speed
from bench.render_pdf import PdfLayout, render_pdf
from poa_etl.extract.pdf.reader import read_pdf
from poa_etl.extract.text import read_text_dump
from poa_etl.transform.normalize import ORIGIN, ORIGINS, normalize_file


def test_the_corpus_is_seeded_and_deterministic() -> None:
    one, again, other = corpus.generate(30), corpus.generate(30), corpus.generate(30, seed=1)
    assert corpus.text_dump(one.reports) == corpus.text_dump(again.reports)
    assert corpus.text_dump(one.reports) != corpus.text_dump(other.reports)
    years = {r.title_lines[1][-4:] for r in corpus.generate(200).reports}
    assert years == {"2022", "2023", "2024", "2025"}
    sizes = [len(r.rows) for r in corpus.generate(200).reports]
    assert min(sizes) >= 4 and max(sizes) <= 40


@pytest.mark.parametrize("layout", [PdfLayout(), PdfLayout(ruled=False, rows_per_page=5)])
def test_generated_reports_read_the_same_from_text_and_pdf(layout: PdfLayout) -> None:
    generated = corpus.generate(12, seed=3, defect_rate=0.1)
    from_text = normalize_file("x", read_text_dump("c.txt", corpus.text_dump(generated.reports)))
    from_pdf = normalize_file("x", read_pdf("c.pdf", render_pdf(generated.reports, layout))[0])
    assert len(from_text["metas"]) == generated.metas
    assert len(from_text["quarantine"]) == generated.defective_rows > 0
    for name, frame in from_text.items():
        if name == ORIGINS:
            continue
        drop = [
            c
            for c in ("source_location", "location", "raw", ORIGIN, "lines_read", "lines_ignored")
            if c in frame
        ]  # provenance: where, how many lines
        pd.testing.assert_frame_equal(
            from_pdf[name].drop(columns=drop).reset_index(drop=True),
            frame.drop(columns=drop).reset_index(drop=True),
            obj=name,
        )


def test_pdf_small_files_small(tmp_path: Path) -> None:
    """A committed rendering (5 pages) and four drawings of a generated report each
    (seeded: 12 pages), through poa ingest."""
    measures = pdf_speed.pdf_small_files(tmp_path, repeats=1, renderings=1)
    assert (measures["files"], measures["pages"]) == (5, 17)
    assert (measures["identical_rows"], measures["fallback_pages"], measures["workers"]) == (
        True, 0, 0,
    )  # fmt: skip


def test_pdf_long_files_small(tmp_path: Path) -> None:
    """Without LibreOffice: two files of three generated reports, drawn by reportlab."""
    measures = pdf_speed.pdf_long_files(
        tmp_path, reports=3, files=2, repeats=1, draw=pdf_corpus.reportlab_pdf
    )
    assert (measures["files"], measures["identical_rows"]) == (2, True)


def test_text_end_to_end_small(tmp_path: Path) -> None:
    measures = benchmarks.text_end_to_end(tmp_path, 30, per_file=10)
    assert (measures["reports"], measures["files"]) == (30, 3)


def test_load_step_small(tmp_path: Path) -> None:
    measures = benchmarks.load_step(tmp_path, 30)
    assert measures["rows"] > 30 * 4 * 9  # every report has at least 4 metas of 9 rows


def test_cli_start_up_once(tmp_path: Path) -> None:
    measures = benchmarks.cli_start_up(tmp_path, 1)
    assert set(measures) == {"python", "help", "sql", "ingest_noop", "repeats", "commands_peak_mb"}
    assert 0 < measures["python"] < measures["help"]  # poa is Python, and more


def test_nightly_noop_small(tmp_path: Path) -> None:
    measures = benchmarks.nightly_noop(tmp_path, 5)
    assert measures["files"] == 5


def test_export_speed_small(tmp_path: Path) -> None:
    assert benchmarks.export_speed(tmp_path, 2_000)["rows"] == 2_000
