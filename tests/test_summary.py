"""A run's summary in markdown: published text escaped, long lists cut at 50."""

from __future__ import annotations

from pathlib import Path

from poa_etl.pipeline.results import FileResult, IngestSummary
from poa_etl.pipeline.summary import escape, markdown


def test_published_text_is_literal_markdown() -> None:
    assert escape("no title 'PROGRAMA OPERATIVO ANUAL <year>' found") == (
        "no title 'PROGRAMA OPERATIVO ANUAL \\<year\\>' found"
    )
    assert escape("a | b *c* _d_\n[e](f) `g`") == "a \\| b \\*c\\* \\_d\\_ \\[e\\]\\(f\\) \\`g\\`"


def test_long_lists_stop_at_fifty_with_a_count_of_the_rest() -> None:
    files = [FileResult(Path("a.txt"), "text", "0" * 64, 10, "rejected", "no <year>")]
    summary = IngestSummary(
        Path("w.duckdb"),
        files,
        quarantine=[(f"a.txt line {n}", "bad") for n in range(1, 61)],
    )
    text = markdown(summary)
    assert "| a\\.txt | no \\<year\\> |" in text
    rows = [line for line in text.splitlines() if line.startswith("| a\\.txt line ")]
    assert len(rows) == 50
    assert rows[-1] == "| a\\.txt line 50 | bad |"
    assert "… and 10 more (poa quality lists them all)." in text
