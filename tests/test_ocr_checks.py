"""What confirms a cell read by OCR and what does not, without running OCR: rows of the
sample (report 2024-58102) given the doubts the OCR front end attaches, and header fields
checked against the codes other loads hold. Also the message when the engine is missing."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import SAMPLE_TXT, run_ingest

from poa_etl.extract.ocr.engine import missing_reason
from poa_etl.extract.text import read_text_dump
from poa_etl.pipeline.load import reject_unknown_ocr_headers
from poa_etl.pipeline.results import FileResult
from poa_etl.report.form import OcrCells, RawReport
from poa_etl.transform.known_headers import mismatch
from poa_etl.transform.normalize import normalize_file

REPORTS = read_text_dump(SAMPLE_TXT.name, SAMPLE_TXT.read_bytes())
UE58102 = next(r for r in REPORTS if r.location.line == 52)  # 2024-58102-20240930
# Cells of the sample's table: 3 META ANUAL, 4-11 the quarters' P and A, 12 AVANCE
# ABSOLUTO, 13 ACUMULADO RELATIVO. Meta 202 (line 75) prints 4 | 1 1 1 1 1 1 1 0 | 3 | 75%.
DISAGREED = "read '1', but a second read gave '7'"
UNSURE = "read '1' with confidence 47 (below 80)"


def _with_doubts(line: int, doubts: tuple[tuple[int, str], ...]) -> RawReport:
    rows = tuple(
        dataclasses.replace(row, ocr=OcrCells(88.5, doubts if row.location.line == line else ()))
        for row in UE58102.rows
    )
    return dataclasses.replace(UE58102, rows=rows, by_ocr=True)


def _outcome(report: RawReport) -> tuple[list[int], list[tuple[str, str]]]:
    tables = normalize_file("s", [report])
    quarantine = tables["quarantine"][["location", "reason"]].itertuples(index=False)
    return sorted(tables["metas"]["meta_id"]), [tuple(q) for q in quarantine]


NINE_VALUES = (  # meta 200, quarantined as published in every rendering
    "ctcm_poa_avance_2022_2024.txt line 73",
    "9 period values where 8 belong (P and A for four quarters): the values do not line up "
    "with the columns, so none of them can be assigned to a quarter",
)


def test_a_confident_read_the_second_read_disputes_is_confirmed_by_the_sums() -> None:
    """Abr-Jun P of meta 202: the four P add up to META ANUAL AUTORIZADA (1+1+1+1 = 4) and
    the A to AVANCE ABSOLUTO; a misread digit would have to be offset by another."""
    metas, quarantined = _outcome(_with_doubts(75, ((6, DISAGREED),)))
    assert metas == [201, 202, 203, 204, 205, 206, 207]
    assert quarantined == [NINE_VALUES]


def test_acumulado_relativo_is_confirmed_by_absolute_over_target() -> None:
    """75% of meta 202 = 3 / 4 x 100, from cells that are themselves confirmed."""
    metas, _ = _outcome(_with_doubts(75, ((13, "read '75%', but a second read gave '73%'"),)))
    assert 202 in metas


def test_an_unconfident_read_is_never_confirmed_by_arithmetic() -> None:
    metas, quarantined = _outcome(_with_doubts(75, ((6, UNSURE),)))
    assert 202 not in metas
    assert quarantined == [
        NINE_VALUES,
        (
            "ctcm_poa_avance_2022_2024.txt line 75",
            "ocr_uncertain: line 75: Abr-Jun P read '1' with confidence 47 (below 80)",
        ),
    ]


def test_text_cells_have_no_arithmetic_and_every_doubt_is_named() -> None:
    doubts = ((1, "read '202.- ELABORAR', but a second read gave '202. ELABORAR'"),
              (12, "read '3' with confidence 61 (below 80)"))  # fmt: skip
    _, quarantined = _outcome(_with_doubts(75, doubts))
    assert quarantined[1][1] == (
        "ocr_uncertain: line 75: DESCRIPCIÓN DE METAS Y ACCIONES read '202.- ELABORAR', but a "
        "second read gave '202. ELABORAR'; AVANCE ABSOLUTO read '3' with confidence 61 "
        "(below 80)"
    )


def test_each_meta_read_by_ocr_has_its_lowest_confidence() -> None:
    tables = normalize_file("s", [_with_doubts(0, ())])
    assert tables["metas"]["ocr_min_confidence"].tolist() == [88.5] * 7
    text = normalize_file("s", [UE58102])
    assert text["metas"]["ocr_min_confidence"].isna().all()


# Header fields against the codes already known from other loads.
KNOWN = pd.DataFrame(
    [
        (2024, "58", "COMITE DE TURISMO", "511", "GESTION ADMINISTRATIVA", "58102",
         "GERENCIA ADMINISTRATIVA", "3", "DESARROLLO ECONOMICO", "3.7", "TURISMO", "3.7.1",
         "TURISMO"),
        (2024, "58", "COMITE DE TURISMO", "582", "PROMOCIÓN", "58201", "GERENCIA DE PROMOCION",
         "3", "DESARROLLO ECONOMICO", "3.7", "TURISMO", "3.7.1", "TURISMO"),
    ],
    columns=["fiscal_year", "ramo_code", "ramo_name", "program_code", "program_name",
             "unit_code", "unit_name", "finalidad_code", "finalidad_name", "funcion_code",
             "funcion_name", "subfuncion_code", "subfuncion_name"],
)  # fmt: skip
SCANNED = {**KNOWN.iloc[0].to_dict(), "report_id": "2024-58102-20241231"}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({}, None),
        ({"fiscal_year": 2025, "unit_name": "GERENCIA"}, None),  # another year: not compared
        ({"ramo_code": "59", "unit_code": "59108"}, None),  # nothing known of ramo 59
        (
            {"unit_code": "58108"},
            "has UNIDAD EJECUTORA '58108', no unit known in ramo 58 ('58102', '58201')",
        ),
        (
            {"program_code": "517"},
            "has PROGRAMA code '517' where the unit's other reports of 2024 have '511'",
        ),
        (
            {"unit_name": "GERENCIA ADMINISTRATLVA"},
            "has UNIDAD EJECUTORA name 'GERENCIA ADMINISTRATLVA' where the unit's other "
            "reports of 2024 have 'GERENCIA ADMINISTRATIVA'",
        ),
        (
            {"subfuncion_code": "3.1.1"},
            "has SUBFUNCION code '3.1.1' where the unit's other reports of 2024 have '3.7.1'",
        ),
    ],
)
def test_a_header_read_by_ocr_must_match_what_is_known(change: dict, reason: str | None) -> None:
    assert mismatch({**SCANNED, **change}, KNOWN) == reason


def test_a_scanned_unit_no_text_load_knows_is_rejected_at_load_time(tmp_path: Path) -> None:
    """The sample (five units of ramo 58) loaded from text; then a file read by OCR whose
    report claims unit 58108 is rejected naming it, and one of unit 58102 is not."""
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([SAMPLE_TXT], warehouse)
    tables = normalize_file("a" * 64, [UE58102])
    wrong = {**tables, "reports": tables["reports"].assign(unit_code="58108")}
    assert _checked_at_load(warehouse, tables, wrong) == [
        ("loaded", None),
        (
            "rejected",
            "report 2024-58102-20240930: its header, read by OCR, has UNIDAD EJECUTORA "
            "'58108', no unit known in ramo 58 ('58101', '58102', '58201', '58202', '58203'); "
            "a misread cannot be ruled out, so the file is not loaded (load the publication "
            "from its text first if it is right)",
        ),
    ]


def test_without_the_engine_installed_the_reason_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "tesserocr", None)  # import tesserocr raises ImportError
    assert missing_reason() == (
        "OCR is not available: the OCR engine (tesserocr) is not installed; run `make setup`"
    )


UE58201 = next(r for r in REPORTS if r.location.line == 99)  # 2024-58201-20240930


def test_a_scanned_alignment_must_match_the_units_alignments_loaded_from_text(
    tmp_path: Path,
) -> None:
    """The sample loaded from text; then two files read by OCR of unit 58201, 2024: one
    with its LINEAS DE ACCION as published loads, one with a space read after a comma
    ('FORMACION, CAPACITACION', as two views of Tesseract once agreed) is rejected."""
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([SAMPLE_TXT], warehouse)
    tables = normalize_file("a" * 64, [UE58201])
    alignments = tables["report_alignments"]
    assert alignments["name"].tolist()[4] == "FORMACION,CAPACITACION E INCUBACION"
    misread = alignments.assign(
        name=alignments["name"].replace(
            "FORMACION,CAPACITACION E INCUBACION", "FORMACION, CAPACITACION E INCUBACION"
        )
    )
    wrong = {**tables, "report_alignments": misread}
    assert _checked_at_load(warehouse, tables, wrong) == [
        ("loaded", None),
        (
            "rejected",
            "report 2024-58201-20240930: its header, read by OCR, has LINEAS DE ACCION 3.3.2 "
            "'FORMACION, CAPACITACION E INCUBACION' where the unit's other reports of 2024 "
            "have 'FORMACION,CAPACITACION E INCUBACION'; a misread cannot be ruled out, so "
            "the file is not loaded (load the publication from its text first if it is right)",
        ),
    ]


def _checked_at_load(warehouse: Path, right: dict, wrong: dict) -> list[tuple]:
    """Status and message of two files read by OCR, ``right`` and ``wrong``, once checked
    against what the warehouse loaded from text."""
    results = [
        FileResult(Path("bien.pdf"), "pdf", "a" * 64, 1, "loaded", text_source="ocr",
                   tables=right),
        FileResult(Path("mal.pdf"), "pdf", "b" * 64, 1, "loaded", text_source="ocr",
                   tables=wrong),
    ]  # fmt: skip
    with duckdb.connect(str(warehouse)) as con:
        reject_unknown_ocr_headers(con, results)
    return [(r.status, r.message) for r in results]
