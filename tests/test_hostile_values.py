"""Poison pills: one cell out of range sets its row aside with the reason, never the batch.

Each mutation edits meta 101 (line 32 of the sample dump, report 2023-58101-20240930) and
is ingested beside one of the published PDFs, which must load whatever the dump holds.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_TXT, fetch, mutated_sample, sample_line
from test_ingest import poa

from poa_etl.pipeline.read import read_source
from poa_etl.transform.contract import validate
from schemas import TABLES

NAME = SAMPLE_TXT.name
PDF = ROOT / "data" / "raw" / "poa2024_ramo58_ue58102.pdf"
LINE = 32
REPORT = "2023-58101-20240930"
# Meta 101 as published: P.M.D., description, unit, target, (P, A) x 4, absolute, relative, obs.
CELLS = sample_line(LINE).split("\t")
assert CELLS[:4] == ["4.6.1", "101. SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES.", "NÓMINA", "30"]


def meta_101(**cells: str) -> str:
    """Line 32 with cells replaced by position: c1 description, c3 target, c4 Ene-Mar P …"""
    edited = list(CELLS)
    for key, text in cells.items():
        edited[int(key[1:])] = text
    return "\t".join(edited)


DIGITS_26 = "12345678901234567890123456"
NINES_400 = "9" * 400
TOO_LONG = "only numbers of up to 15 digits are held exactly, so it is not read"
POISON = {
    "meta number of 11 digits": (
        meta_101(c1="12345678901. SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES."),
        "meta number '12345678901' is too large: meta numbers go up to 2147483647",
    ),
    "meta number of 20 digits": (
        meta_101(c1="12345678901234567890. SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES."),
        "meta number '12345678901234567890' is too large: meta numbers go up to 2147483647",
    ),
    "P of 26 digits": (
        meta_101(c4=DIGITS_26),
        f"Ene-Mar P: '{DIGITS_26}' has 26 digits: {TOO_LONG}",
    ),
    "A of 400 digits": (
        meta_101(c9=NINES_400),
        f"Jul-Sep A: '{'9' * 40}…' (400 characters) has 400 digits: {TOO_LONG}",
    ),
    "target of 26 digits": (
        meta_101(c3=DIGITS_26),
        f"META ANUAL AUTORIZADA: '{DIGITS_26}' has 26 digits: {TOO_LONG}",
    ),
    "target of 400 digits": (
        meta_101(c3=NINES_400),
        f"META ANUAL AUTORIZADA: '{'9' * 40}…' (400 characters) has 400 digits: {TOO_LONG}",
    ),
    "absolute of 26 digits with separators": (
        meta_101(c12="12,345,678,901,234,567,890,123,456"),
        "AVANCE ABSOLUTO: '12,345,678,901,234,567,890,123,456' has 26 digits: " + TOO_LONG,
    ),
    "relative of 26 digits": (
        meta_101(c13=DIGITS_26 + "%"),
        f"ACUMULADO RELATIVO: '{DIGITS_26}' has 26 digits: {TOO_LONG}",
    ),
    "a decimal of 16 digits": (
        meta_101(c5="7.000000000000001"),
        f"Ene-Mar A: '7.000000000000001' has 16 digits: {TOO_LONG}",
    ),
}


@pytest.mark.parametrize("case", list(POISON))
def test_an_out_of_range_cell_quarantines_its_row_and_the_batch_loads(
    case: str, tmp_path: Path
) -> None:
    line, reason = POISON[case]
    dump = mutated_sample(tmp_path / "in", {LINE: line})
    warehouse = tmp_path / "poa.duckdb"

    code, stdout, stderr = poa("ingest", str(dump), str(PDF), "--warehouse", str(warehouse))

    assert (code, stderr) == (0, "")
    assert f"quarantined {NAME} line {LINE}: {reason}\n" in stdout
    assert stdout.splitlines()[-2] == (
        "2 file(s) loaded, 0 unchanged, 0 rejected: 5 reports, 31 metas, 248 progress rows, "
        "2 row(s) quarantined."
    )
    assert fetch(warehouse, "SELECT report_id, location, raw, reason, stage FROM quarantine "
                            f"WHERE location = '{NAME} line {LINE}'") == [
        (REPORT, f"{NAME} line {LINE}", line, reason, "table")
    ]  # fmt: skip
    assert fetch(warehouse, f"SELECT meta_id FROM metas WHERE report_id = '{REPORT}'") == [
        (100,), (102,), (103,), (104,), (105,),
    ]  # fmt: skip
    assert fetch(warehouse, "SELECT count(*) FROM sources WHERE status = 'loaded'") == [(2,)]


def test_the_largest_values_published_consistently_load_and_export_exactly(
    tmp_path: Path,
) -> None:
    quarter = "250,000,000,000,000"
    line = meta_101(
        c3="999,999,999,999,999",
        c4="249,999,999,999,999", c5="249,999,999,999,999",
        c6=quarter, c7=quarter, c8=quarter, c9=quarter, c10=quarter, c11="",
        c12="749,999,999,999,999", c13="75%",
    )  # fmt: skip
    dump = mutated_sample(tmp_path / "in", {LINE: line})
    warehouse = tmp_path / "poa.duckdb"
    assert poa("ingest", str(dump), "--warehouse", str(warehouse))[0] == 0
    assert fetch(
        warehouse,
        f"SELECT annual_target, reported_absolute FROM metas WHERE report_id = '{REPORT}' "
        "AND meta_id = 101",
    ) == [(999_999_999_999_999.0, 749_999_999_999_999.0)]
    assert fetch(
        warehouse,
        f"SELECT measure, sum(value) FROM progress WHERE report_id = '{REPORT}' AND meta_id = 101"
        " GROUP BY ALL ORDER BY ALL",
    ) == [("A", 749_999_999_999_999.0), ("P", 999_999_999_999_999.0)]
    # Consistent as published: no quality rule fires for it.
    assert fetch(warehouse, "SELECT rule FROM quality_issues WHERE meta_id = 101") == []

    out = tmp_path / "export"
    code, _, stderr = poa("export", "--out", str(out), "--warehouse", str(warehouse))
    assert (code, stderr) == (0, "")
    rows = [
        row
        for file in sorted(out.glob("*.csv"))
        for row in csv.reader(file.read_text(encoding="utf-8-sig").splitlines())
        if REPORT in row and "101" in row
    ]
    cells = {cell for row in rows for cell in row}
    assert {"999999999999999", "749999999999999", "249999999999999", "250000000000000"} <= cells
    assert not [c for c in cells if "e+" in c or c.endswith(".0")]


def _sources(source_id: str) -> object:
    return TABLES["sources"].frame(
        [{"source_id": source_id, "path": "x", "media_type": "text", "bytes": 1,
          "status": "loaded", "ingested_at": "2026-01-01T00:00:00Z"}]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("table", "column", "value", "reason"),
    [
        ("progress", "value", 1e16,
         "Ene-Mar P value 10000000000000000: must be 999999999999999 or less "
         "(check less_than_or_equal_to(999999999999999))"),
        ("metas", "annual_target", float("inf"),
         "annual_target inf: must be 999999999999999 or less "
         "(check less_than_or_equal_to(999999999999999))"),
    ],
)  # fmt: skip
def test_the_contract_bounds_values_whatever_front_end_read_them(
    table: str, column: str, value: float, reason: str
) -> None:
    """A front end that hands over numbers rather than text (a spreadsheet) meets the same
    bound: values a double and the CSV export hold exactly."""
    source_id = "b" * 64
    tables = dict(read_source(SAMPLE_TXT, SAMPLE_TXT.read_bytes(), source_id).tables)
    frame = tables[table].copy()
    row = frame.index[(frame["meta_id"] == 201)][0]
    frame.loc[row, column] = value
    tables[table] = frame
    checked = validate(tables, _sources(source_id))
    quarantine = checked.tables["quarantine"]
    contract = quarantine[quarantine["stage"] == "contract"]
    assert contract[["location", "reason"]].values.tolist() == [[f"{NAME} line 74", reason]]
    assert 201 not in set(checked.tables["metas"]["meta_id"])


def test_an_unforeseen_failure_rejects_that_file_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug met while reading one file: that file is rejected naming the bug and where it
    happened; the others load."""
    from poa_etl.pipeline import read

    real = read.normalize_file

    def fails_on_the_second(source_id: str, reports: list) -> dict:
        if reports[0].location.file == "second.txt":
            return {}["no such table"]
        return real(source_id, reports)

    monkeypatch.delenv("POA_DEBUG", raising=False)
    monkeypatch.setattr(read, "normalize_file", fails_on_the_second)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "first.txt").write_bytes(SAMPLE_TXT.read_bytes())
    lines = SAMPLE_TXT.read_text(encoding="utf-8").replace("30-sep.-24", "31-dic-24")
    (folder / "second.txt").write_text(lines, encoding="utf-8")
    warehouse = tmp_path / "poa.duckdb"

    code, stdout, stderr = poa("ingest", str(folder), "--warehouse", str(warehouse))

    # Where: the innermost line of poa-etl's own code, the call of the failing step.
    source = (ROOT / "poa_etl" / "pipeline" / "read.py").read_text().splitlines()
    call = 1 + next(i for i, text in enumerate(source) if "= normalize_file(" in text)
    reason = (
        f"unexpected error while reading it (KeyError: 'no such table' at "
        f"poa_etl/pipeline/read.py:{call}); this is a bug in poa-etl, not a known "
        "defect of the file: please report it with the file (POA_DEBUG=1 shows the traceback)"
    )
    assert (code, stderr) == (1, f"rejected {folder / 'second.txt'}: {reason}\n")
    assert "1 file(s) loaded, 0 unchanged, 1 rejected: 5 reports, 32 metas" in stdout
    assert fetch(warehouse, "SELECT path, status, error FROM sources ORDER BY path") == [
        (str(folder / "first.txt"), "loaded", None),
        (str(folder / "second.txt"), "rejected", reason),
    ]

    monkeypatch.setenv("POA_DEBUG", "1")
    with pytest.raises(KeyError, match="no such table"):
        read_source(folder / "second.txt", (folder / "second.txt").read_bytes(), "c" * 64)


def test_quality_messages_print_any_magnitude(tmp_path: Path) -> None:
    """A tiny target makes the computed percentage 10^22: printed, never cast to an integer."""
    line = meta_101(c3="0.000001", c12="100000000000000", c13="1%")
    dump = mutated_sample(tmp_path / "in", {LINE: line})
    warehouse = tmp_path / "poa.duckdb"
    assert poa("ingest", str(dump), "--warehouse", str(warehouse))[0] == 0
    assert fetch(
        warehouse, "SELECT rule, message FROM quality_issues WHERE meta_id = 101 ORDER BY rule"
    ) == [
        ("achieved_sum_differs_from_absolute",
         "A adds up to 21 over the four quarters; AVANCE ABSOLUTO is 100000000000000"),
        ("planned_sum_differs_from_target",
         "P adds up to 30 over the four quarters; META ANUAL AUTORIZADA is 1e-06"),
        ("relative_differs_from_computed",
         "ACUMULADO RELATIVO is 1%; AVANCE ABSOLUTO / META ANUAL AUTORIZADA is "
         "100000000000000 / 1e-06 = 1e+22%"),
    ]  # fmt: skip


def test_published_text_that_looks_like_markup_is_printed_as_is(tmp_path: Path) -> None:
    """'[/]' in a cell, '[red]' in a file name: shown literally, never read as Rich markup
    (which ended the run in a traceback after the load had committed)."""
    line = meta_101(c3="[/]")
    folder = tmp_path / "in[red]"
    dump = mutated_sample(folder, {LINE: line})
    bad = folder / "[bold]notes.txt"
    bad.write_text("Minuta [/] de la reunión\n", encoding="utf-8")
    warehouse = tmp_path / "poa.duckdb"

    code, stdout, stderr = poa("ingest", str(folder), "--warehouse", str(warehouse))

    assert code == 1
    assert stderr == (
        f"rejected {bad}: not a TMM-F004 report: no title 'PROGRAMA OPERATIVO ANUAL <year>' found\n"
    )
    reason = "META ANUAL AUTORIZADA: '[/]' is not a number"
    assert f"quarantined {NAME} line {LINE}: {reason}\n" in stdout
    assert f"│ {dump} " in stdout and f"│ {bad} " in stdout
    assert fetch(warehouse, "SELECT count(*) FROM metas") == [(31,)]

    code, stdout, _ = poa("sql", "SELECT '[/]' AS \"[b]x\"", "--warehouse", str(warehouse))
    assert code == 0
    assert "[b]x" in stdout and "│ [/] " in stdout
    nowhere = tmp_path / "[/]x.txt"
    assert poa("ingest", str(nowhere), "--warehouse", str(warehouse)) == (
        2, "", f"error: {nowhere}: no such file or folder\n",
    )  # fmt: skip
