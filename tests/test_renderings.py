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
READING_ORDER = (
    "a reading-order text dump (as plain `pdftotext` writes): each cell is on a line of its "
    "own, so the table's columns are lost and no row can be rebuilt; make the dump with "
    "`pdftotext -layout`, or load the PDF itself"
)
# The renderings refused, with the reason, written by hand. Plain dumps lost their columns
# (the manifest expects them rejected). The five layout dumps below the plain ones are
# where pdftotext moved text so far that where it stands no longer says its column: the
# 14 pt print at -fixed 3 spreads a description's words as far apart as its unit; the
# 11 pt print at -layout crowds P/A letters and values one space apart: rows with all
# their numbers are read by their order, but meta 100 has blanks (and meta 104's "1 1"
# stand under Oct-Dic's letters though they are Jul-Sep's; meta 101's seven values for
# eight columns stand one space apart from Ene-Mar on, so which is blank is lost);
# Calibri at -fixed 3, where descriptions reach past where units start; the one-page print
# at 3.8 pt and -fixed 3 runs labels into each other ("UNIDAD DE" starts under the
# description's label), codes into meta numbers ("4.6.1301."); and at
# -layout, tables that go on to pages without their header, each page at a pitch of its
# own: pages 4 and 8 hold rows with all their numbers, read by their order, but page 6
# holds meta 306, 4 numbers for 11 columns ("1   ...   1   0   0%", its Oct-Dic A the
# second), packed where nothing says which are blank.
# The PDFs themselves are the PDF reader's to read.
REJECTED: dict[str, str] = {
    **{e["file"]: READING_ORDER for e in ENTRIES if e["file"].endswith(".plain.txt")},
    "dumps/chromium_legal_landscape_14pt.fixed3.txt":
        "line 22: the words of the descriptions stand 28 spaces apart (the dump spread them "
        "out, as pdftotext -fixed does with a font wider than its pitch), as far apart as a "
        "description and its unit of measure, so a layout dump cannot tell them apart; make "
        "the dump with `pdftotext -layout`, or load the PDF itself",
    "dumps/chromium_letter_portrait_11pt.layout.txt":
        "line 29: the metas table's P and A letters stand one space apart (line 22: "
        "pdftotext crowded the table), and this row has 5 numbers for its 11 number columns, "
        "so a layout dump cannot tell which columns are blank; make the dump with `pdftotext "
        "-fixed 3`, or load the PDF itself",
    "dumps/lo_arial_legal_landscape_115pct.layout.txt":
        "line 156: the metas table goes on to page 6 without its header, set at a pitch of "
        "its own, and this row has 4 numbers for its 11 number columns, so a layout dump "
        "cannot tell which columns are blank; make the dump with `pdftotext -fixed 3`, or "
        "load the PDF itself",
    "dumps/lo_calibri_legal_portrait_fit.fixed3.txt":
        "line 24: in '100.FOMENTAR LA AFLUENCIA Y DERRAMA TURÍSTICA DEL MUNICIPIO A' a layout "
        "dump cannot tell where the description ends and the unit of measure begins "
        "(descriptions reach column 70, units are centred on column 74); load the PDF itself",
    "dumps/lo_one_sheet_letter_landscape_one_page.fixed3.txt":
        "line 22: the table's header label 'UNIDAD DE' starts under 'DESCRIPCIÓN DE METAS Y "
        "ACCIONES (Subprograma Gob. Y': the dump gives each letter more room than the print "
        "does (as `pdftotext -fixed` does with small print), so the labels run into each "
        "other and a layout dump cannot tell the table's columns apart; make the dump with "
        "`pdftotext -layout`, or load the PDF itself",
}  # fmt: skip


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


def test_the_matrix_has_spreadsheets_exports_and_dumps_to_read() -> None:
    suffixes = {Path(e["file"]).suffix for e in ENTRIES}
    assert {".xlsx", ".ods", ".csv", ".txt"} <= suffixes
    families = {e["family"] for e in ENTRIES}
    assert {"workbook", "csv", "dump-layout"} <= families
    # Every file the manifest expects rejected is rejected here, with its reason.
    assert {e["file"] for e in ENTRIES if e["expected"] == "rejected"} <= set(REJECTED)
    read = [e for e in ENTRIES if e["file"] not in REJECTED]
    assert len(read) == 63  # rows compared with the dump's, file by file


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


def test_ingest_loads_a_workbook_and_a_layout_dump_and_refuses_a_plain_dump(
    tmp_path: Path,
) -> None:
    from conftest import fetch, run_ingest

    files = [
        VARIANTS / "workbooks" / "ctcm_poa_2022_2024.xlsx",
        VARIANTS / "dumps" / "poa2023_ramo58_ue101.layout.txt",
        VARIANTS / "dumps" / "poa2023_ramo58_ue101.plain.txt",
    ]
    warehouse = tmp_path / "poa.duckdb"
    summary = run_ingest(files, warehouse)
    assert summary.exit_code() == 1
    assert fetch(
        warehouse, "SELECT regexp_extract(path, '[^/]+$'), media_type, status, error FROM sources"
        " ORDER BY 1",
    ) == [
        ("ctcm_poa_2022_2024.xlsx", "spreadsheet", "loaded", None),
        ("poa2023_ramo58_ue101.layout.txt", "text", "loaded", None),
        ("poa2023_ramo58_ue101.plain.txt", "text", "rejected", READING_ORDER),
    ]  # fmt: skip
    # The workbook and the layout dump both hold the 2023 report: the later file in path
    # order (variants/workbooks/ after variants/dumps/) provides it. Completeness, in SQL.
    assert fetch(
        warehouse,
        "SELECT report_id, regexp_extract(s.path, '[^/]+$'), table_rows_read, metas_loaded,"
        " table_rows_quarantined FROM reports JOIN sources s USING (source_id) ORDER BY 1",
    ) == [
        ("2022-58203-20240930", "ctcm_poa_2022_2024.xlsx", 6, 6, 0),
        ("2023-58101-20240930", "ctcm_poa_2022_2024.xlsx", 6, 6, 0),
        ("2024-58102-20240930", "ctcm_poa_2022_2024.xlsx", 8, 7, 1),
        ("2024-58201-20240930", "ctcm_poa_2022_2024.xlsx", 7, 7, 0),
        ("2024-58202-20240930", "ctcm_poa_2022_2024.xlsx", 6, 6, 0),
    ]
    assert fetch(warehouse, "SELECT location FROM quarantine") == [
        ("ctcm_poa_2022_2024.xlsx sheet '2024-58102' row 20",)  # meta 200
    ]


def mutated_dump(name: str, edits: dict[int, str], after: dict[int, str] | None = None) -> bytes:
    """A committed layout dump with lines replaced (1-based) and lines inserted after others."""
    lines = (VARIANTS / "dumps" / name).read_text(encoding="utf-8").split("\n")
    out = []
    for number, line in enumerate(lines, start=1):
        out.append(edits.get(number, line))
        if after and number in after:
            out.append(after[number])
    return "\n".join(out).encode()


def test_a_meta_number_lost_from_a_layout_dump_refuses_it_not_two_metas_in_one() -> None:
    """Without "102." the rows of metas 101 and 102 run together: two lines of values."""
    data = mutated_dump(
        "poa2023_ramo58_ue101.layout.txt",
        {28: "           CELEBRAR SESIONES DEL ÓRGANO DE GOBIERNO"},
    )
    with pytest.raises(RejectedFile) as caught:
        read_reports("sin_numero.txt", data, "text")
    assert str(caught.value) == (
        "lines 27 and 29 both hold values of one row of the metas table, so a layout dump "
        "cannot tell its rows apart; load the PDF itself"
    )


def test_a_line_halfway_between_two_rows_of_a_layout_dump_refuses_it() -> None:
    """A unit of measure alone on a line, as far from meta 205 as from meta 206."""
    data = mutated_dump("poa2024_ramo58_ue58102.layout.txt", {}, {44: " " * 62 + "PRESUPUESTO"})
    with pytest.raises(RejectedFile) as caught:
        read_reports("a_medias.txt", data, "text")
    assert str(caught.value) == (
        "line 45: 'PRESUPUESTO' lies halfway between two rows of the metas table, so a layout "
        "dump cannot tell which it belongs to; load the PDF itself"
    )
