"""PDF ingestion: the published PDFs, every layout the corpus uses, and every bad file.

Layout fixtures are drawn from the sample dump's own reports (``bench.render_pdf``),
so the PDF reader can be compared with the text reader table by table.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from conftest import NO_OCR, ROOT, SAMPLE_TXT, fetch, sample_line
from PIL import Image, ImageDraw
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from test_ingest import poa
from test_sample_load import METAS

from bench.render_pdf import PdfLayout, render_pdf
from poa_etl.errors import RejectedFile
from poa_etl.extract.options import ReadOptions
from poa_etl.extract.pdf.reader import read_pdf
from poa_etl.extract.text import read_text_dump
from poa_etl.report.form import RawReport
from poa_etl.transform.normalize import ORIGIN, ORIGINS, normalize_file

RAW = ROOT / "data" / "raw"
DUMP_REPORTS = read_text_dump(SAMPLE_TXT.name, SAMPLE_TXT.read_bytes())
# Where a row was read differs by medium ("file line 73" / "file page 1 line 19"); all else
# must be equal.
# How many lines a rendering takes is provenance too (reports.lines_read, lines_ignored).
PROVENANCE = ("source_location", "location", "raw", ORIGIN, "lines_read", "lines_ignored")


def tables(reports: list[RawReport]) -> dict[str, pd.DataFrame]:
    frames = normalize_file("same-source", reports)
    del frames[ORIGINS]
    return {
        name: frame.drop(columns=[c for c in PROVENANCE if c in frame]).reset_index(drop=True)
        for name, frame in frames.items()
    }


def assert_same_tables(pdf_reports: list[RawReport], dump_reports: list[RawReport]) -> None:
    got, expected = tables(pdf_reports), tables(dump_reports)
    for name in expected:
        pd.testing.assert_frame_equal(got[name], expected[name], obj=name)


@pytest.mark.parametrize(
    ("pdf", "in_dump"), [("poa2023_ramo58_ue101.pdf", 0), ("poa2024_ramo58_ue58102.pdf", 1)]
)
def test_the_published_pdfs_give_the_dumps_rows(pdf: str, in_dump: int) -> None:
    """Every table, value by value; only where each row was read differs."""
    reports, pages, _ = read_pdf(pdf, (RAW / pdf).read_bytes())
    assert (len(reports), pages) == (1, 1)
    assert_same_tables(reports, [DUMP_REPORTS[in_dump]])


@pytest.mark.parametrize(("padding", "read"), [(1018, True), (1019, False)])
def test_the_end_of_file_mark_is_looked_for_in_the_last_1024_bytes(
    padding: int, read: bool
) -> None:
    """The published PDF ends "%%EOF\\n"; blank bytes after it (as some servers add) are
    allowed while the mark starts within the last 1,024 bytes: 1,018 of them, not 1,019.
    Pages are reported as they are read: page 1 of 1."""
    pdf = "poa2024_ramo58_ue58102.pdf"
    data = (RAW / pdf).read_bytes() + b" " * padding
    seen: list[tuple[int, int]] = []
    if not read:
        with pytest.raises(RejectedFile) as rejected:
            read_pdf(pdf, data, on_page=lambda *progress: seen.append(progress))
        assert (str(rejected.value), seen) == ("corrupt or truncated PDF: Unexpected EOF", [])
        return
    reports, pages, _ = read_pdf(pdf, data, on_page=lambda *progress: seen.append(progress))
    assert (len(reports), pages, seen) == (1, 1, [(1, 1)])
    assert_same_tables(reports, [DUMP_REPORTS[1]])


def test_meta_200_from_the_pdf_is_quarantined_like_the_dumps() -> None:
    pdf = "poa2024_ramo58_ue58102.pdf"
    quarantine = normalize_file("x", read_pdf(pdf, (RAW / pdf).read_bytes()).reports)["quarantine"]
    assert quarantine[["location", "reason"]].values.tolist() == [
        [f"{pdf} page 1 line 19",
         "9 period values where 8 belong (P and A for four quarters): the values do not line "
         "up with the columns, so none of them can be assigned to a quarter"],
    ]  # fmt: skip


LAYOUTS = {
    "five reports in one ruled PDF": PdfLayout(),
    "no ruling lines": PdfLayout(ruled=False),
    "tables over several pages, signatures alone": PdfLayout(
        rows_per_page=2, signatures_on_new_page=True
    ),
    "several pages and no ruling lines": PdfLayout(
        ruled=False, rows_per_page=3, signatures_on_new_page=True
    ),
}


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_layout_gives_the_dumps_rows(name: str) -> None:
    reports, _, _ = read_pdf("fixture.pdf", render_pdf(DUMP_REPORTS, LAYOUTS[name]))
    assert len(reports) == 5
    assert_same_tables(reports, DUMP_REPORTS)


def test_rows_are_neither_lost_nor_doubled_at_page_breaks() -> None:
    layout = LAYOUTS["tables over several pages, signatures alone"]
    reports, pages, _ = read_pdf("fixture.pdf", render_pdf(DUMP_REPORTS, layout))
    assert pages == 22  # per report: ceil(rows / 2) pages of table, one of signatures
    report = reports[1]  # 2024-58102: eight rows on pages 5 to 8, signatures alone on 9
    assert [row.location.page for row in report.rows] == [5, 5, 6, 6, 7, 7, 8, 8]
    assert [row.cells[1][:4] for row in report.rows] == [
        "200.", "201.", "202.", "203.", "204.", "205.", "206.", "207.",
    ]  # fmt: skip
    assert {s.location.page for s in report.signatures} == {9}
    assert [s.role for s in report.signatures] == ["ELABORÓ", "REVISÓ", "AUTORIZÓ"]


def test_a_hyphen_at_a_line_break_stays() -> None:
    reports, _, _ = read_pdf("fixture.pdf", render_pdf(DUMP_REPORTS[4:], PdfLayout(ruled=False)))
    descriptions = [row.cells[1] for row in reports[0].rows]
    assert (
        "504.- PROMOVER LOS DIFERENTES DESTINOS DEL MUNICIPIO DE MEXICALI, A TRAVÉS DE "
        "ACCIONES DE E-MARKETING."
    ) in descriptions


def _image_only_pdf() -> bytes:
    image = Image.new("RGB", (800, 600), "white")
    ImageDraw.Draw(image).rectangle((50, 50, 700, 500), outline="black")
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(792, 612))
    page.drawImage(ImageReader(image), 0, 0, 792, 612)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _text_pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(792, 612))
    page.drawString(72, 540, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


ONE_REPORT = render_pdf(DUMP_REPORTS[:1])
BAD_PDFS = {
    "empty.pdf": (b"", "empty file (0 bytes)"),
    "encrypted.pdf": (
        render_pdf(DUMP_REPORTS[:1], password="secreto"),
        "encrypted PDF: a password is needed to read it (--pdf-password)",
    ),
    "no_report.pdf": (
        _text_pdf("LISTA DE ASISTENCIA"),
        "not a TMM-F004 report: no title 'PROGRAMA OPERATIVO ANUAL <year>' found",
    ),
    "not_a_pdf.pdf": (b"Esto no es un PDF\n", "not a PDF file: it does not start with %PDF-"),
    "scanned.pdf": (  # read by OCR: a drawn frame, no report in it
        _image_only_pdf(),
        "not a TMM-F004 report: no title 'PROGRAMA OPERATIVO ANUAL <year>' found",
    ),
    "truncated.pdf": (
        ONE_REPORT[: len(ONE_REPORT) // 2],
        "corrupt or truncated PDF: Unexpected EOF",
    ),
}


def test_bad_pdfs_are_rejected_whole_and_the_rest_of_the_batch_loads(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (data, _) in BAD_PDFS.items():
        (folder / name).write_bytes(data)
    (folder / SAMPLE_TXT.name).write_bytes(SAMPLE_TXT.read_bytes())
    warehouse = tmp_path / "poa.duckdb"

    code, _, stderr = poa("ingest", str(folder), "--warehouse", str(warehouse))

    assert code == 1
    assert stderr.splitlines() == [
        f"rejected {folder / name}: {reason}" for name, (_, reason) in BAD_PDFS.items()
    ]
    assert fetch(warehouse, "SELECT count(*) FROM reports") == [(5,)]
    assert fetch(
        warehouse,
        "SELECT media_type, status, error FROM sources WHERE media_type = 'pdf' ORDER BY path",
    ) == [("pdf", "rejected", reason) for _, reason in BAD_PDFS.values()]


def test_the_password_opens_an_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "encrypted.pdf"
    path.write_bytes(BAD_PDFS["encrypted.pdf"][0])
    warehouse = str(tmp_path / "poa.duckdb")
    code, _, stderr = poa("ingest", str(path), "--warehouse", warehouse, "--pdf-password", "x")
    assert (code, stderr) == (
        1, f"rejected {path}: encrypted PDF: the password given does not open it\n",
    )  # fmt: skip
    code, _, stderr = poa(
        "ingest", str(path), "--warehouse", warehouse, "--pdf-password", "secreto"
    )
    assert (code, stderr) == (0, "")
    assert fetch(Path(warehouse), "SELECT report_id FROM reports") == [("2023-58101-20240930",)]


def test_limits_on_pages_and_seconds(tmp_path: Path) -> None:
    path = tmp_path / "five.pdf"
    path.write_bytes(render_pdf(DUMP_REPORTS))  # eight pages
    warehouse = str(tmp_path / "poa.duckdb")
    code, _, stderr = poa("ingest", str(path), "--warehouse", warehouse, "--max-pages", "5")
    assert (code, stderr) == (
        1, f"rejected {path}: the PDF has 8 pages; the limit is 5 per file (--max-pages)\n",
    )  # fmt: skip
    code, _, stderr = poa("ingest", str(path), "--warehouse", warehouse, "--max-seconds", "0")
    assert (code, stderr) == (
        1, f"rejected {path}: reading stopped at page 2 of 8: it took longer than the limit of "
        "0 s per file (--max-seconds)\n",
    )  # fmt: skip


@pytest.mark.parametrize("runner", ["threads", "process"])
def test_each_runner_loads_the_published_rows(runner: str, tmp_path: Path) -> None:
    """Three real PDFs (the two published ones and a LibreOffice sheet of 58201 and 58202)
    read in this process or in worker processes: the metas and progress written by hand
    from the publication (test_sample_load.METAS), not one runner against the other."""
    folder = tmp_path / "in"
    folder.mkdir()
    for source in (
        ROOT / "data/raw/poa2023_ramo58_ue101.pdf",
        ROOT / "data/raw/poa2024_ramo58_ue58102.pdf",
        ROOT / "tests/fixtures/variants/pdf/lo_one_sheet_letter_landscape_fit.pdf",
    ):
        (folder / source.name).write_bytes(source.read_bytes())
    warehouse = tmp_path / "poa.duckdb"
    code, _, stderr = poa("ingest", str(folder), "--warehouse", str(warehouse), "--runner", runner)
    assert (code, stderr) == (0, "")
    held = {"2023-58101-20240930", "2024-58102-20240930", "2024-58201-20240930",
            "2024-58202-20240930"}  # fmt: skip
    published = sorted(m for m in METAS if m[0] in held)
    assert len(published) == 26  # 6 + 7 (meta 200 is quarantined) + 7 + 6
    assert fetch(
        warehouse,
        "SELECT report_id, meta_id, pmd_code, description, unit_of_measure, annual_target,"
        " reported_absolute, reported_relative_pct FROM metas ORDER BY ALL",
    ) == [(rid, meta, pmd, desc, uom, target, absolute, relative)
          for rid, meta, pmd, desc, uom, target, _, absolute, relative, _ in published]  # fmt: skip
    assert fetch(
        warehouse,
        "SELECT report_id, meta_id, quarter, measure, value FROM progress"
        " ORDER BY report_id, meta_id, quarter, measure DESC",
    ) == [
        (rid, meta, i // 2 + 1, "PA"[i % 2], value)
        for rid, meta, *_, values, _, _, _ in published
        for i, value in enumerate(values)
    ]
    assert fetch(warehouse, "SELECT reason FROM quarantine") == [
        ("9 period values where 8 belong (P and A for four quarters): the values do not line "
         "up with the columns, so none of them can be assigned to a quarter",)
    ]  # fmt: skip


VARIANTS = ROOT / "tests" / "fixtures" / "variants"


@pytest.mark.parametrize(
    "rendering", ["pdf/lo_dejavu_a4_portrait_fit.pdf", "pdf/chromium_a4_landscape_9pt.pdf"]
)
def test_a_value_stays_in_the_quarter_it_is_printed_in(rendering: str) -> None:
    """Meta 100 of 2023 as published: P and A only in Abr-Jun, 1 each; a column read one
    place off would move them to another quarter or measure."""
    path = VARIANTS / rendering
    progress = normalize_file("x", read_pdf(path.name, path.read_bytes()).reports)["progress"]
    meta = progress[progress["meta_id"] == 100]
    assert [
        (q, m, None if pd.isna(v) else v)
        for q, m, v in meta[["quarter", "measure", "value"]].itertuples(index=False)
    ] == [
        (1, "P", None), (1, "A", None), (2, "P", 1.0), (2, "A", 1.0),
        (3, "P", None), (3, "A", None), (4, "P", None), (4, "A", None),
    ]  # fmt: skip


def _turned_text_pdf() -> bytes:
    """A page of upright text with a label printed sideways beside it."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(792, 612))
    page.drawString(72, 540, "PROGRAMA OPERATIVO ANUAL 2024")
    page.saveState()
    page.translate(40, 300)
    page.rotate(90)
    page.drawString(0, 0, "TMM-F004")
    page.restoreState()
    page.showPage()
    page.save()
    return buffer.getvalue()


def _with_page_of(first: Path, second: Path) -> bytes:
    """The first page of one PDF followed by the first page of another."""
    import pypdfium2

    merged = pypdfium2.PdfDocument.new()
    for path in (first, second):
        merged.import_pages(pypdfium2.PdfDocument(path), [0])
    buffer = io.BytesIO()
    merged.save(buffer)
    return buffer.getvalue()


TEXT_PAGE = VARIANTS / "pdf" / "lo_arial_letter_landscape_fit.pdf"
PARTLY_SCANNED = {
    "sideways label": (
        _turned_text_pdf,
        "page 1 is turned and cannot be read: its characters run in more than one direction "
        "(26 at 0°, 8 at 90°), so no single way up reads the page",
    ),
    "a scanned page after a printed one": (
        lambda: _with_page_of(TEXT_PAGE, VARIANTS / "scans/scan_poa2023_ue101_150dpi_color.pdf"),
        "page 2 cannot be read: it holds only an image (a scan, no text layer), while other "
        f"pages have printed text, so the file cannot be read whole; {NO_OCR}",
    ),
    "an OCR'd page after a printed one": (
        lambda: _with_page_of(
            TEXT_PAGE, VARIANTS / "scans/scan_poa2023_ue101_150dpi_color_ocr.pdf"
        ),
        "page 2 cannot be read: its only text is an invisible OCR layer over a scanned image, "
        f"while other pages have printed text, so the file cannot be read whole; {NO_OCR}",
    ),
}


@pytest.mark.parametrize("case", list(PARTLY_SCANNED))
def test_a_page_that_cannot_be_read_rejects_the_file_naming_it(case: str, no_ocr: str) -> None:
    make, reason = PARTLY_SCANNED[case]
    with pytest.raises(RejectedFile) as rejected:
        read_pdf("mixed.pdf", make())
    assert str(rejected.value) == reason


def test_every_line_of_a_published_pdf_report_is_accounted_for() -> None:
    """The 2023 PDF as published: 3 title lines, 10 header lines, the form code, FECHA,
    the table's 3 header rows, 6 metas and 2 signature lines (titles, names): 26."""
    pdf = "poa2023_ramo58_ue101.pdf"
    report = read_pdf(pdf, (RAW / pdf).read_bytes()).reports[0]
    assert (
        len(report.title_lines), len(report.header), report.form_code, report.fecha,
        len(report.table_header), len(report.rows), report.signature_lines, report.ignored,
    ) == (3, 10, "TMM-F004", "30-sep.-24", 3, 6, 2, ())  # fmt: skip
    assert report.lines_read == 26


def test_repeated_header_rows_are_ignored_with_the_page() -> None:
    """Chromium repeats the table's three header rows on each page the table runs onto."""
    path = VARIANTS / "pdf" / "chromium_a4_landscape_9pt.pdf"
    report = read_pdf(path.name, path.read_bytes()).reports[1]  # 2024-58102, pages 2 and 3
    assert [(i.reason, i.location.within) for i in report.ignored] == [
        ("table header repeated on page 3", "page 3 line 1"),
        ("table header repeated on page 3", "page 3 line 2"),
        ("table header repeated on page 3", "page 3 line 5"),
    ]
    # 3 title, 8 header, form, FECHA, 3 header rows, 8 metas, 3 signature lines, 3 ignored
    assert (len(report.header), len(report.rows), report.signature_lines) == (8, 8, 3)
    assert report.lines_read == 30


def test_page_numbers_are_ignored_and_the_rows_are_the_dumps() -> None:
    """Our own drawing with "Página N" at the foot of each page (not evidence of a real
    producer; the code path): the numbers are set aside, the rows stay the dump's."""
    layout = PdfLayout(rows_per_page=3, signatures_on_new_page=True, page_numbers=True)
    read = read_pdf("fixture.pdf", render_pdf(DUMP_REPORTS[1:2], layout))
    furniture = [
        (i.text, i.location.within) for i in read.reports[0].ignored if "furniture" in i.reason
    ]
    assert furniture == [
        ("Página 1", "page 1 line 31"), ("Página 2", "page 2 line 20"),
        ("Página 3", "page 3 line 13"), ("Página 4", "page 4 line 4"),
    ]  # fmt: skip
    assert_same_tables(read.reports, DUMP_REPORTS[1:2])


def test_what_precedes_the_first_title_is_ignored_with_the_reason() -> None:
    """A cover page before the report (our own drawing): its line belongs to no part of
    the report, so it is accounted for as ignored, before the first report's title."""
    import pypdfium2

    merged = pypdfium2.PdfDocument.new()
    merged.import_pages(pypdfium2.PdfDocument(_text_pdf("AVANCE TRIMESTRAL")), [0])
    merged.import_pages(pypdfium2.PdfDocument(RAW / "poa2023_ramo58_ue101.pdf"), [0])
    buffer = io.BytesIO()
    merged.save(buffer)
    report = read_pdf("cover.pdf", buffer.getvalue()).reports[0]
    assert [(i.text, i.reason, i.location.within) for i in report.ignored] == [
        ("AVANCE TRIMESTRAL", "before the first report's title", "page 1 line 1")
    ]
    assert report.lines_read == 27  # the published report's 26 lines and the cover's


def test_a_page_pdfium_cannot_be_trusted_with_is_read_by_pdfplumber_and_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PDFium's reading of page 2 refused (as for characters it cannot map): that page
    comes from pdfplumber, is counted, and the rows are the same."""
    from poa_etl.extract.pdf import pdfium_pages

    path = VARIANTS / "pdf" / "lo_arial_letter_landscape_fit.pdf"
    fast = read_pdf(path.name, path.read_bytes())
    real = pdfium_pages.read_page
    monkeypatch.setattr(
        pdfium_pages, "read_page", lambda doc, index: None if index == 1 else real(doc, index)
    )
    mixed = read_pdf(path.name, path.read_bytes())
    assert (fast.fallback_pages, mixed.fallback_pages) == ((), (2,))
    assert_same_tables(mixed.reports, fast.reports)


@pytest.mark.parametrize(
    ("password", "outcome"),
    [(None, "encrypted PDF: a password is needed to read it (--pdf-password)"),
     ("x", "encrypted PDF: the password given does not open it"),
     ("secreto", "2023-58101-20240930")],
)  # fmt: skip
def test_pdfplumber_opens_an_encrypted_pdf_with_its_password(
    password: str | None, outcome: str
) -> None:
    data = BAD_PDFS["encrypted.pdf"][0]
    options = ReadOptions(password=password)
    if outcome.startswith("encrypted"):
        with pytest.raises(RejectedFile) as rejected:
            read_pdf("e.pdf", data, options, engine="pdfplumber")
        assert str(rejected.value) == outcome
        return
    read = read_pdf("e.pdf", data, options, engine="pdfplumber")
    assert [r.location.within for r in read.reports] == ["page 1 line 1"]
    assert normalize_file("e", read.reports)["reports"]["report_id"].tolist() == [outcome]


def test_a_row_split_by_a_page_break_is_one_row_where_it_starts() -> None:
    """Chromium prints meta 105 (dump line 36) at the foot of page 1 and goes on with it on
    page 2: one meta, located where it starts, its raw line the dump's line."""
    path = VARIANTS / "pdf" / "chromium_a4_landscape_9pt.pdf"
    tables = normalize_file("x", read_pdf(path.name, path.read_bytes()).reports)
    metas = tables["metas"]
    assert metas.loc[metas["meta_id"] == 105, "source_location"].tolist() == [
        f"{path.name} page 1 line 42"
    ]
    origins = tables[ORIGINS]
    assert origins.loc[origins[ORIGIN] == f"{path.name} page 1 line 42", "raw"].tolist() == [
        sample_line(36)
    ]
