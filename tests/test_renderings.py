"""Every text-dump and spreadsheet rendering of the samples (tests/fixtures/variants, made
by LibreOffice and poppler) gives the tab dump's rows in every table, provenance aside — or
is rejected whole with the exact reason. Never different rows, never a partial report.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import ROOT, SAMPLE_TXT

from poa_etl.errors import RejectedFile
from poa_etl.extract import media_type, read_reports
from poa_etl.transform.accounting import parts
from poa_etl.transform.normalize import normalize_file

VARIANTS = ROOT / "tests" / "fixtures" / "variants"
READ_HERE = (".txt", ".csv", ".tsv", ".xlsx", ".xlsm", ".ods")  # PDFs: tests/test_pdf.py
ENTRIES = [
    entry
    for entry in yaml.safe_load((VARIANTS / "manifest.yaml").read_text(encoding="utf-8"))[
        "fixtures"
    ]
    if entry["file"].endswith(READ_HERE)
]
# Where the rows were read, and how many lines a rendering takes: provenance.
PROVENANCE = {"source_id", "source_location", "location", "raw", "lines_read", "lines_ignored"}
TABLES = ("reports", "report_alignments", "metas", "progress", "signatures", "quarantine")
# The renderings a reader must refuse, and the reason it gives, written by hand.
REJECTED: dict[str, str] = {}


def tables_of(path: Path) -> dict[str, pd.DataFrame]:
    """The tables read from a file, the accounting of every report checked on the way."""
    reports, _ = read_reports(path.name, path.read_bytes(), media_type(path) or "")
    for report in reports:
        assert report.lines_read == sum(parts(report).values()), report.location
    return normalize_file("source", reports)


REFERENCE = tables_of(SAMPLE_TXT)


def comparable(tables: dict[str, pd.DataFrame], report_ids: list[str]) -> dict[str, list]:
    out = {}
    for name in TABLES:
        frame = tables[name]
        frame = frame[frame["report_id"].isin(report_ids)]
        kept = [c for c in frame.columns if c not in PROVENANCE and not c.startswith("_")]
        out[name] = sorted(
            tuple(None if pd.isna(v) else v for v in row)
            for row in frame[kept].itertuples(index=False)
        )
    return out


def test_the_matrix_has_spreadsheets_and_csv_exports_to_read() -> None:
    suffixes = {Path(e["file"]).suffix for e in ENTRIES}
    assert {".xlsx", ".ods", ".csv", ".txt"} <= suffixes


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_each_rendering_gives_the_dumps_rows_or_its_rejection(entry: dict) -> None:
    path = VARIANTS / entry["file"]
    if entry["file"] in REJECTED:
        with pytest.raises(RejectedFile) as caught:
            tables_of(path)
        assert str(caught.value) == REJECTED[entry["file"]]
        return
    tables = tables_of(path)
    assert sorted(tables["reports"]["report_id"]) == sorted(entry["reports"])
    assert comparable(tables, entry["reports"]) == comparable(REFERENCE, entry["reports"])
