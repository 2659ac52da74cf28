"""Every PDF of the real renderings (tests/fixtures/variants/manifest.yaml) read as the
manifest says: rows identical to the tab dump's, table by table, or rejected with the
exact reason — and the same rows whichever reader parsed the pages.

The renderings come from LibreOffice (three fonts, three paper sizes, both
orientations, fitted to width), Chromium (repeated header rows, rows split by page
breaks), qpdf (turned pages) and scanners (image-only, or with an ocrmypdf text layer).
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import NO_OCR, SAMPLE_TXT
from test_fixtures_manifest import ENTRIES, VARIANTS

from poa_etl.errors import RejectedFile
from poa_etl.extract.pdf.reader import read_pdf
from poa_etl.extract.text import read_text_dump
from poa_etl.transform.accounting import parts
from poa_etl.transform.normalize import ORIGIN, ORIGINS, normalize_file

PDFS = [e for e in ENTRIES if e["file"].endswith(".pdf")]
VECTOR = [e for e in PDFS if e.get("needs") != "ocr"]
SCANS = [e for e in PDFS if e.get("needs") == "ocr"]
# Where a row was read, and how many lines the rendering took, differ by medium; everything
# else must be equal.
PROVENANCE = ("source_location", "location", "raw", ORIGIN, "lines_read", "lines_ignored")
DUMP = normalize_file("same-source", read_text_dump(SAMPLE_TXT.name, SAMPLE_TXT.read_bytes()))


def _without_provenance(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {
        name: frame.drop(columns=[c for c in PROVENANCE if c in frame]).reset_index(drop=True)
        for name, frame in frames.items()
        if name != ORIGINS
    }


def _dump_tables(report_ids: list[str]) -> dict[str, pd.DataFrame]:
    """The dump's rows of these reports, in the order the file prints them."""
    order = {rid: i for i, rid in enumerate(report_ids)}
    chosen = {}
    for name, frame in DUMP.items():
        if name == ORIGINS:
            continue
        rows = frame[frame["report_id"].isin(order)]
        position = rows["report_id"].map(order)
        chosen[name] = rows.assign(_order=position).sort_values("_order", kind="stable")
        chosen[name] = chosen[name].drop(columns="_order")
    return _without_provenance(chosen)


def _read(entry: dict, engine: str = "pdfium") -> dict[str, pd.DataFrame]:
    path = VARIANTS / entry["file"]
    read = read_pdf(path.name, path.read_bytes(), engine=engine)
    assert read.pages == entry["pages"]
    for report in read.reports:  # every line in one part, or ignored with its reason
        assert report.lines_read == sum(parts(report).values()), report.location
    return _without_provenance(normalize_file("same-source", read.reports))


@pytest.mark.parametrize("entry", VECTOR, ids=[e["file"] for e in VECTOR])
def test_each_rendering_gives_the_dumps_rows(entry: dict) -> None:
    """Every table, value by value: the same reports, metas, progress, signatures,
    alignments and quarantined rows as the tab dump of the same reports."""
    assert entry["expected"] == "same_rows"
    got, expected = _read(entry), _dump_tables(entry["reports"])
    for name in expected:
        pd.testing.assert_frame_equal(got[name], expected[name], obj=f"{entry['file']} {name}")


@pytest.mark.parametrize("entry", VECTOR, ids=[e["file"] for e in VECTOR])
def test_pdfium_and_pdfplumber_give_the_same_rows(entry: dict) -> None:
    """The fast reader and the fallback agree on every page of every rendering."""
    path = VARIANTS / entry["file"]
    assert read_pdf(path.name, path.read_bytes()).fallback_pages == ()
    fast, slow = _read(entry), _read(entry, engine="pdfplumber")
    for name in fast:
        pd.testing.assert_frame_equal(fast[name], slow[name], obj=f"{entry['file']} {name}")


IMAGES_ONLY = "no text layer: the PDF holds only images ({pages}), as a scan does; " + NO_OCR
OCR_LAYER = (
    "a scan with an OCR text layer ({pages}): its only text is invisible, laid over the page "
    "images by OCR, and does not form the TMM-F004 grid; " + NO_OCR
)
SCAN_REASONS = {
    "scans/scan_poa2023_ue101_150dpi_color.pdf": IMAGES_ONLY.format(pages="1 page"),
    "scans/scan_poa2024_ue58102_300dpi_gray.pdf": IMAGES_ONLY.format(pages="1 page"),
    "scans/scan_lo_2024_58201_58202_200dpi_gray.pdf": IMAGES_ONLY.format(pages="2 pages"),
    "scans/scan_poa2023_ue101_150dpi_color_ocr.pdf": OCR_LAYER.format(pages="1 page"),
    "scans/scan_poa2024_ue58102_300dpi_gray_ocr.pdf": OCR_LAYER.format(pages="1 page"),
    "scans/scan_lo_2024_58201_58202_200dpi_gray_ocr.pdf": OCR_LAYER.format(pages="2 pages"),
    "scans/force_ocr_poa2024_ue58102.pdf": OCR_LAYER.format(pages="1 page"),
}


@pytest.mark.parametrize("entry", SCANS, ids=[e["file"] for e in SCANS])
def test_scans_without_ocr_are_rejected_saying_how_to_enable_it(entry: dict, no_ocr: str) -> None:
    """Where OCR is not set up a scan is rejected whole, saying whether it has a text layer
    at all, and how to enable OCR (what OCR reads of them: tests/test_ocr.py)."""
    path = VARIANTS / entry["file"]
    with pytest.raises(RejectedFile) as rejected:
        read_pdf(path.name, path.read_bytes())
    assert str(rejected.value) == SCAN_REASONS[entry["file"]]


def test_every_scan_has_its_expected_reason() -> None:
    assert sorted(SCAN_REASONS) == sorted(e["file"] for e in SCANS)
