"""PDF corpora for the speed benchmarks, from real producers.

Small files: twenty of the committed renderings (LibreOffice exports, Chromium prints,
qpdf-turned pages; ``tests/fixtures/variants``) and reportlab drawings of generated
reports, a hundred pages in all. Long files: generated reports (``bench.corpus``) laid out
on the office's sheet by the fixtures' own tools and exported by LibreOffice, as the
office publishes them — so ``make bench`` needs LibreOffice (``soffice``) for those.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench import corpus
from bench.render_pdf import PdfLayout, render_pdf
from poa_etl.report.form import RawReport

ROOT = Path(__file__).resolve().parent.parent
RENDERINGS = ROOT / "tests" / "fixtures" / "variants" / "pdf"
FIXTURE_TOOLS = ROOT / "tests" / "fixtures" / "tools"
# Committed renderings and their pages: 12 LibreOffice, 2 Chromium, 2 qpdf (82 pages).
SMALL_RENDERINGS = {
    "lo_arial_letter_landscape_fit.pdf": 5,
    "lo_arial_a4_portrait_fit.pdf": 5,
    "lo_arial_letter_portrait_fit.pdf": 5,
    "lo_arial_legal_portrait_fit.pdf": 5,
    "lo_calibri_letter_landscape_fit.pdf": 5,
    "lo_calibri_legal_portrait_fit.pdf": 5,
    "lo_dejavu_a4_portrait_fit.pdf": 5,
    "lo_dejavu_letter_landscape_fit.pdf": 5,
    "lo_arial_a4_landscape_fit.pdf": 8,
    "lo_dejavu_legal_landscape_100pct.pdf": 8,
    "lo_one_sheet_letter_landscape_fit.pdf": 2,
    "lo_line_breaks_letter_landscape_fit.pdf": 1,
    "chromium_letter_portrait_11pt.pdf": 10,
    "chromium_a4_landscape_9pt.pdf": 7,
    "turned_mixed_all5.pdf": 5,
    "turned_rotate90_2024-58102.pdf": 1,
}
SMALL_PAGES = 100
DRAWN_FILES = 4  # reportlab files that bring the small corpus to 20 files, 100 pages


def small_files(
    folder: Path, renderings: int | None = None, seed: int = 11
) -> tuple[list[Path], list[RawReport]]:
    """Twenty small PDFs of several producers, a hundred pages; and the generated reports
    the drawn ones hold (the renderings hold the sample's five reports). ``renderings``:
    only the first few committed ones, and a page per drawn file (a quick check)."""
    folder.mkdir(parents=True, exist_ok=True)
    chosen = list(SMALL_RENDERINGS)[:renderings]
    paths = []
    for name in chosen:
        paths.append(folder / name)
        shutil.copyfile(RENDERINGS / name, paths[-1])
    missing = SMALL_PAGES - sum(SMALL_RENDERINGS.values()) if renderings is None else DRAWN_FILES
    generated = corpus.generate(40, seed=seed).reports
    drawn: list[RawReport] = []
    layout = PdfLayout(rows_per_page=8)
    for index in range(DRAWN_FILES):
        pages_left = missing // (DRAWN_FILES - index)
        reports = _reports_for_pages(generated, pages_left, layout)
        generated = [r for r in generated if r not in reports]
        path = folder / f"reportlab_{index + 1}.pdf"
        path.write_bytes(render_pdf(reports, layout))
        drawn += reports
        missing -= _pages(path)
        paths.append(path)
    return paths, drawn


def _reports_for_pages(
    reports: Sequence[RawReport], pages: int, layout: PdfLayout
) -> list[RawReport]:
    """The first reports that fill exactly ``pages`` pages when drawn (at least one)."""
    chosen: list[RawReport] = []
    for report in reports:
        drawn = _count(render_pdf([*chosen, report], layout))
        if drawn > pages and chosen:
            continue
        chosen.append(report)
        if drawn >= pages:
            break
    return chosen


def reportlab_pdf(reports: Sequence[RawReport], out: Path) -> Path:
    """The reports drawn by our own code (``bench.render_pdf``)."""
    out.write_bytes(render_pdf(reports))
    return out


def libreoffice_pdf(reports: Sequence[RawReport], out: Path) -> Path:
    """The reports one per sheet, Letter landscape fitted to width, exported by
    LibreOffice as the office exports its workbooks."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise RuntimeError("the long-file PDF benchmarks need LibreOffice (soffice)")
    sys.path.insert(0, str(FIXTURE_TOOLS))
    try:
        from fods import PageSetup, fods
        from sheet_grid import Options, sheet_rows
    finally:
        sys.path.remove(str(FIXTURE_TOOLS))
    sheets = [(f"UE{i + 1}", sheet_rows([_sample(r)], Options())) for i, r in enumerate(reports)]
    text = fods(sheets, "Arial", PageSetup())
    with tempfile.TemporaryDirectory(prefix="poa-bench-lo-") as tmp:
        source = Path(tmp) / f"{out.stem}.fods"
        source.write_text(text, encoding="utf-8")
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", tmp, str(source)],
            check=True, capture_output=True, timeout=900,
        )  # fmt: skip
        shutil.copyfile(Path(tmp) / f"{out.stem}.pdf", out)
    return out


def _sample(report: RawReport) -> object:
    """A generated report as the fixtures' tools take it (``sample.SampleReport``)."""
    sys.path.insert(0, str(FIXTURE_TOOLS))
    try:
        from sample import SampleReport, Signature
    finally:
        sys.path.remove(str(FIXTURE_TOOLS))
    return SampleReport(
        report_id="generated",
        title=report.title_lines,
        header=tuple((e.label or "", *e.values) for e in report.header),
        form_code=report.form_code or "",
        fecha=f"FECHA: {report.fecha}",
        table_header=report.table_header,
        rows=tuple(row.cells for row in report.rows),
        signatures=tuple(Signature(s.role, s.title or "", s.name or "") for s in report.signatures),
    )


def _pages(path: Path) -> int:
    return _count(path.read_bytes())


def _count(data: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()
