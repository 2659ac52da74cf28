"""Scans read by OCR (tests/fixtures/variants/scans): what loads is exactly the
publication (the tab dump of the same reports), what OCR could not confirm is quarantined
with the cell and the page, and nothing else. Five pages are read, once each: OCR costs
about 5 s a page (``make bench`` measures all seven scans).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_TXT, fetch, run_ingest
from test_fixtures_manifest import VARIANTS
from test_ingest import poa
from test_pdf_fixtures import _dump_tables, _without_provenance

from poa_etl.extract.pdf.reader import read_pdf
from poa_etl.transform.accounting import parts
from poa_etl.transform.normalize import normalize_file

SCANS = VARIANTS / "scans"


def _read(name: str) -> dict[str, pd.DataFrame]:
    path = SCANS / name
    read = read_pdf(path.name, path.read_bytes())
    for report in read.reports:  # every line in one part, or ignored with its reason
        assert report.by_ocr
        assert report.lines_read == sum(parts(report).values()), report.location
    return normalize_file("same-source", read.reports)


def test_a_scan_gives_the_publications_rows() -> None:
    """Image only, 300 dpi grey, turned -0.7°: every table, value by value, as the tab dump
    of the same report — meta 200, whose nine period values do not fit the columns,
    quarantined there as here — and each meta with the engine's lowest confidence."""
    name = "scan_poa2024_ue58102_300dpi_gray.pdf"
    tables = _read(name)
    got, expected = _without_provenance(tables), _dump_tables(["2024-58102-20240930"])
    assert expected["metas"]["ocr_min_confidence"].isna().all()  # a dump is no image
    confidence = got["metas"].pop("ocr_min_confidence")
    expected["metas"] = expected["metas"].drop(columns="ocr_min_confidence")
    for table in expected:
        pd.testing.assert_frame_equal(got[table], expected[table], obj=f"{name} {table}")
    assert len(confidence) == 7 and confidence.between(80, 100).all()


# The two-page LibreOffice scan (200 dpi, grey, turned 1.0° and -0.3°), loaded once.
LO_SCAN = "scan_lo_2024_58201_58202_200dpi_gray.pdf"
UNCERTAIN = (
    "ocr_uncertain: page 1 line 41: DESCRIPCIÓN DE METAS Y ACCIONES read '¡MEDIANTE', but "
    "the image shows 1 period or comma mark(s) where that reading has 0"
)


@pytest.fixture(scope="module")
def lo_scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("ocr") / "poa.duckdb"
    summary = run_ingest([SCANS / LO_SCAN], warehouse)
    assert [f.status for f in summary.files] == ["loaded"]
    return warehouse


def test_a_cell_ocr_could_not_confirm_sets_its_row_aside(lo_scan: Path) -> None:
    """Meta 304 prints ',MEDIANTE'; both reads gave '¡MEDIANTE', and the ink on the
    baseline says a comma is missing: the row is quarantined, naming the cell and page."""
    assert fetch(lo_scan, "SELECT location, reason, stage FROM quarantine") == [
        (f"{LO_SCAN} page 1 line 41", UNCERTAIN, "table")
    ]
    assert fetch(lo_scan, "SELECT text_source FROM sources") == [("ocr",)]


def test_what_loads_from_the_two_page_scan_is_the_publication(lo_scan: Path) -> None:
    """Report 58202 (page 2) whole, and 58201 but meta 304, exactly as the dump has them.
    Both views of Tesseract agreed on 'ATRAVÉS' (its box around 'TRAVÉS' alone, the 'A'
    outside it) and on 'FORMACION, CAPACITACION' (the comma outside the box, so the boxes
    were a space apart); the ink check, measuring gaps on the ink, sees the letter no word
    holds and the comma only a letter's gap from the C: loaded are 'A TRAVÉS' and
    'FORMACION,CAPACITACION', as the page prints them."""
    assert fetch(lo_scan, "SELECT description FROM metas WHERE meta_id = 300") == [
        (
            "INCREMENTAR LA AFLUENCIA TURÍSTICA DE MEXICALI, A TRAVÉS DE UN PLAN INTEGRAL "
            "PROMOCIONAL QUE BRINDE UNA MAYOR DIFUSIÓN, DE LOS ATRACTIVOS Y SERVICIOS "
            "TURÍSTICOS DEL MUNICIPIO",
        )
    ]
    assert fetch(
        lo_scan,
        "SELECT report_id, position, level, code, name FROM report_alignments "
        "WHERE report_id = '2024-58201-20240930' ORDER BY position",
    ) == [
        ("2024-58201-20240930", 1, "eje", "3", "MEXICALI CRECE"),
        ("2024-58201-20240930", 2, "eje", "4", "GOBERNAR PARA SERVIR"),
        ("2024-58201-20240930", 3, "eje", "2", "BIENESTAR PARA TODOS"),
        ("2024-58201-20240930", 4, "linea", "3.2.2", "PROMOCION DE VOCACIONES TURISTICAS "
         "ALTERNATIVAS"),
        ("2024-58201-20240930", 5, "linea", "3.3.2", "FORMACION,CAPACITACION E INCUBACION"),
        ("2024-58201-20240930", 6, "linea", "4.6.1", "MESURA EN EL EJERCICIO DE LOS RECURSOS "
         "PUBLICOS"),
        ("2024-58201-20240930", 7, "estrategia", "5.1", "SENSIBILIZACION EN MATERIA DE GENERO "
         "Y DIVERSIDAD"),
    ]  # fmt: skip
    dump = _dump_tables(["2024-58201-20240930", "2024-58202-20240930"])
    published = dump["metas"][dump["metas"]["meta_id"] != 304]
    metas = fetch(
        lo_scan,
        "SELECT meta_id, pmd_code, description, unit_of_measure, annual_target, "
        "reported_absolute, reported_relative_pct, observations FROM metas "
        "ORDER BY report_id, meta_id",
    )
    columns = ["meta_id", "pmd_code", "description", "unit_of_measure", "annual_target",
               "reported_absolute", "reported_relative_pct", "observations"]  # fmt: skip
    assert metas == [
        tuple(None if pd.isna(v) else v for v in row)
        for row in published[columns].itertuples(index=False)
    ]
    progress = fetch(
        lo_scan,
        "SELECT meta_id, quarter, measure, value FROM progress ORDER BY report_id, meta_id, "
        "quarter, measure",
    )
    values = dump["progress"][dump["progress"]["meta_id"] != 304]
    assert progress == [
        (r.meta_id, r.quarter, r.measure, None if pd.isna(r.value) else r.value)
        for r in values.sort_values(["report_id", "meta_id", "quarter", "measure"]).itertuples()
    ]
    alignments = dump["report_alignments"][["report_id", "position", "level", "code", "name"]]
    assert fetch(
        lo_scan,
        "SELECT report_id, position, level, code, name FROM report_alignments "
        "ORDER BY report_id, position",
    ) == [tuple(row) for row in alignments.itertuples(index=False)]
    signatures = dump["signatures"][["role", "title", "name"]]
    assert fetch(
        lo_scan, "SELECT role, title, name FROM signatures ORDER BY report_id, position"
    ) == [
        tuple(None if pd.isna(v) else v for v in row) for row in signatures.itertuples(index=False)
    ]
    header = ["report_id", "ramo_code", "ramo_name", "program_code", "program_name", "unit_code",
              "unit_name", "finalidad_code", "finalidad_name", "funcion_code", "funcion_name",
              "subfuncion_code", "subfuncion_name", "cut_off_date"]  # fmt: skip
    reports = fetch(lo_scan, f"SELECT {', '.join(header)} FROM reports ORDER BY report_id")
    assert [tuple(map(str, r)) for r in reports] == [
        tuple(map(str, r)) for r in dump["reports"][header].itertuples(index=False)
    ]


def test_a_150_dpi_colour_scan_gives_the_publications_rows() -> None:
    """Image only, 150 dpi colour, turned 0.4°: the acute accent of 'ÓRGANO' (meta 102)
    is blurred onto its letter; both views read 'ORGANO', and the ink check sees the
    accent rising above the capitals. Every table is the dump's, value by value."""
    name = "scan_poa2023_ue101_150dpi_color.pdf"
    tables = _read(name)
    got, expected = _without_provenance(tables), _dump_tables(["2023-58101-20240930"])
    assert got["metas"].loc[got["metas"]["meta_id"] == 102, "description"].tolist() == [
        "CELEBRAR SESIONES DEL ÓRGANO DE GOBIERNO CONFORME A LO ESTABLECIDO EN ACUERDO DE CREACIÓN."
    ]
    got["metas"] = got["metas"].drop(columns="ocr_min_confidence")
    expected["metas"] = expected["metas"].drop(columns="ocr_min_confidence")
    for table in expected:
        pd.testing.assert_frame_equal(got[table], expected[table], obj=f"{name} {table}")


def test_poa_quality_lists_the_ocr_quarantine(lo_scan: Path) -> None:
    code, out, _ = poa("quality", "--warehouse", str(lo_scan), "--format", "csv")
    assert code == 0
    rows = [line for line in out.splitlines() if "ocr_uncertain" in line]
    assert len(rows) == 1 and "page 1 line 41" in rows[0]


def test_a_scan_with_an_ocr_layer_replaces_the_publication_loaded_from_text(
    tmp_path: Path,
) -> None:
    """The published PDF rasterized by ocrmypdf --force-ocr (its text layer is OCR's,
    never used): with the sample loaded from text, the scan's header matches the codes
    already known (``known_headers``), so it loads, and gives the same metas and values."""
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([SAMPLE_TXT], warehouse)
    query = (
        "SELECT m.meta_id, m.description, m.annual_target, p.quarter, p.measure, p.value "
        "FROM metas m JOIN progress p USING (report_id, meta_id) "
        "WHERE report_id = '2024-58102-20240930' ORDER BY ALL"
    )
    from_text = fetch(warehouse, query)
    summary = run_ingest([SCANS / "force_ocr_poa2024_ue58102.pdf"], warehouse)
    assert [(f.status, f.text_source) for f in summary.files] == [("loaded", "ocr")]
    assert fetch(warehouse, query) == from_text and len(from_text) == 7 * 8
    assert fetch(
        warehouse,
        "SELECT count(*) FROM metas WHERE report_id = '2024-58102-20240930' "
        "AND ocr_min_confidence >= 80",
    ) == [(7,)]
