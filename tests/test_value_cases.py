"""Values the samples never print, end to end: a thousands separator (12,000), decimals
(2.5, 7.5), a percentage with a decimal (66.7%), a blank AVANCE ABSOLUTO, and text a
spreadsheet would run as a formula (+, @, and a tab or a line break before a description).

The publication is ``tests/fixtures/values/`` (``make_values.sh``): a tab dump whose report
2023-58101 carries these rows, and LibreOffice's workbook, PDF and CSV of its sheet. Every
expectation below is written by hand from that dump's lines 31 to 36.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from conftest import ROOT, fetch, mutated_sample, run_ingest, sample_line, shared
from test_ingest import poa

from poa_etl.pipeline.read import read_source
from poa_etl.publish.csv_export import _cell_sql
from schemas import Column

VALUES = ROOT / "tests" / "fixtures" / "values"
DUMP = VALUES / "ctcm_valores.txt"
RENDERINGS = ["ctcm_valores.txt", "ctcm_valores_2023_58101.pdf", "ctcm_valores_2023_58101.xlsx",
              "ctcm_valores_2023_58101.csv"]  # fmt: skip
REPORT = "2023-58101-20240930"
D100 = "+10% DE VISITANTES AL MUNICIPIO MEDIANTE LA GESTIÓN DE PROYECTOS TURÍSTICOS."
D101 = "@CTCMEXICALI: PUBLICACIONES EN REDES SOCIALES."
D102 = "CELEBRAR SESIONES DEL ÓRGANO DE GOBIERNO CONFORME A LO ESTABLECIDO EN ACUERDO DE CREACIÓN."
D103 = "REALIZAR REUNIONES ANTE LAS DEPENDENCIAS DE GOBIERNO E INICIATIVA PRIVADA."
D104 = "IMPLEMENTAR UN PROGRAMA DE LA OFERTA Y DESARROLLO DE PRODUCTOS TURÍSTICOS DEL MUNICIPIO."
D105 = "LLEVAR A CABO REUNIONES DE TRABAJO CON LAS JEFATURAS DE DEPARTAMENTO."
OBS105 = "+1 REUNIÓN EXTRAORDINARIA EN ENERO"
# meta_id, pmd_code, description, unit, target, absolute, relative %, observations
METAS = [
    (100, "3.2", D100, "VISITANTE", 12000.0, 9000.0, 75.0, None),  # 12,000 / 9,000
    (101, "4.6.1", D101, "PUBLICACIÓN", 30.0, 21.0, 70.0, None),
    (102, "3.2.2", D102, "SESIÓN", 3.0, 2.0, 66.7, None),  # 66.7%
    (103, "3.2.2", D103, "REUNIÓN", 10.0, 7.5, 75.0, None),  # 2.5 a quarter
    (104, "3.2.2", D104, "PROGRAMA", 1.0, None, 100.0, None),  # AVANCE ABSOLUTO blank
    (105, "3.2.2", D105, "MINUTA", 4.0, 3.0, 75.0, OBS105),
]
# meta_id -> P and A of Ene-Mar, Abr-Jun, Jul-Sep, Oct-Dic (None: a blank cell)
PROGRESS = {
    100: (3000.0, 3000.0, 3000.0, 3000.0, 3000.0, 3000.0, 3000.0, None),
    101: (7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 9.0, None),
    102: (1.0, 1.0, 1.0, 1.0, 1.0, None, None, None),
    103: (2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, None),
    104: (None, None, None, None, 1.0, 1.0, None, None),
    105: (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, None),
}


def _none(value: object) -> object:
    """A frame's blank (NA, NaN) as None; numbers as plain Python numbers."""
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _periods(progress: list[tuple]) -> dict[int, tuple]:
    """(meta_id, quarter, measure, value) rows as PROGRESS is written."""
    by_meta: dict[int, dict[tuple[int, str], object]] = {}
    for meta_id, quarter, measure, value in progress:
        by_meta.setdefault(meta_id, {})[(quarter, measure)] = _none(value)
    order = [(q, m) for q in (1, 2, 3, 4) for m in ("P", "A")]
    return {meta: tuple(cells[p] for p in order) for meta, cells in by_meta.items()}


@pytest.mark.parametrize("name", RENDERINGS)
def test_each_rendering_reads_the_published_values(name: str) -> None:
    data = (VALUES / name).read_bytes()
    result = read_source(VALUES / name, data, hashlib.sha256(data).hexdigest())
    assert result.status == "loaded", result.message
    metas = result.tables["metas"]
    metas = metas[metas["report_id"] == REPORT]
    assert [
        tuple(_none(v) for v in row)
        for row in metas[
            ["meta_id", "pmd_code", "description", "unit_of_measure", "annual_target",
             "reported_absolute", "reported_relative_pct", "observations"]
        ].itertuples(index=False)
    ] == METAS  # fmt: skip
    progress = result.tables["progress"]
    progress = progress[progress["report_id"] == REPORT]
    rows = list(progress[["meta_id", "quarter", "measure", "value"]].itertuples(index=False))
    assert len(rows) == 6 * 8
    assert _periods(rows) == PROGRESS
    quarantine = result.tables["quarantine"]
    assert list(quarantine.loc[quarantine["report_id"] == REPORT, "reason"]) == []


@pytest.fixture(scope=shared("module"))
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("values") / "poa.duckdb"
    run_ingest([DUMP], warehouse)
    return warehouse


def test_the_warehouse_holds_them_as_published(loaded: Path) -> None:
    assert (
        fetch(
            loaded,
            "SELECT meta_id, pmd_code, description, unit_of_measure, annual_target,"
            f" reported_absolute, reported_relative_pct, observations FROM metas"
            f" WHERE report_id = '{REPORT}' ORDER BY meta_id",
        )
        == METAS
    )
    assert (
        _periods(
            fetch(
                loaded,
                "SELECT meta_id, quarter, measure, value FROM progress"
                f" WHERE report_id = '{REPORT}'",
            )
        )
        == PROGRESS
    )


def test_quality_rules_and_status_on_decimals_and_a_blank_absolute(loaded: Path) -> None:
    # Sums hold (12,000 = 4 x 3,000; 7.5 = 3 x 2.5); 66.7% is 0.03 points off 2 / 3, under
    # one; 104's blank AVANCE ABSOLUTO is compared with nothing. Only the header's issues.
    assert fetch(
        loaded,
        f"SELECT rule, meta_id FROM quality_issues WHERE report_id = '{REPORT}' ORDER BY ALL",
    ) == [("classification_code_malformed", None), ("cut_off_outside_fiscal_year", None)]
    assert fetch(
        loaded,
        "SELECT meta_id, programmed_to_date, achieved_to_date, computed_progress_pct,"
        " achieved_vs_programmed_pct, status, reported_absolute FROM v_meta_status"
        f" WHERE report_id = '{REPORT}' ORDER BY meta_id",
    ) == [
        (100, 12000.0, 9000.0, 75.0, 75.0, "atrasada", 9000.0),
        (101, 30.0, 21.0, 70.0, 70.0, "atrasada", 21.0),
        (102, 3.0, 2.0, 66.7, 66.7, "critica", 2.0),  # 66.67 % of what was due, under 70
        (103, 10.0, 7.5, 75.0, 75.0, "atrasada", 7.5),
        (104, 1.0, 1.0, 100.0, 100.0, "cumplida", None),
        (105, 4.0, 3.0, 75.0, 75.0, "atrasada", 3.0),
    ]


def test_the_csv_export_prints_them_as_published(loaded: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert poa("export", "--year", "2023", "--out", str(out), "--warehouse", str(loaded))[0] == 0
    metas = (out / "metas_2023.csv").read_bytes().decode("utf-8").split("\r\n")
    where = "ctcm_valores.txt line"
    assert metas[1:] == [
        f"{REPORT},2023,58101,100,3.2,'{D100},VISITANTE,12000,9000,75,,{where} 31,",
        f"{REPORT},2023,58101,101,4.6.1,'{D101},PUBLICACIÓN,30,21,70,,{where} 32,",
        f"{REPORT},2023,58101,102,3.2.2,{D102},SESIÓN,3,2,66.7,,{where} 33,",
        f"{REPORT},2023,58101,103,3.2.2,{D103},REUNIÓN,10,7.5,75,,{where} 34,",
        f"{REPORT},2023,58101,104,3.2.2,{D104},PROGRAMA,1,,100,,{where} 35,",
        f"{REPORT},2023,58101,105,3.2.2,{D105},MINUTA,4,3,75,'{OBS105},{where} 36,",
        "",
    ]
    wide = (out / "progress_wide_2023.csv").read_bytes().decode("utf-8").split("\r\n")
    assert wide[1:] == [
        f"{REPORT},2023,58101,100,3000,3000,3000,3000,3000,3000,3000,",
        f"{REPORT},2023,58101,101,7,7,7,7,7,7,9,",
        f"{REPORT},2023,58101,102,1,1,1,1,1,,,",
        f"{REPORT},2023,58101,103,2.5,2.5,2.5,2.5,2.5,2.5,2.5,",
        f"{REPORT},2023,58101,104,,,,,1,1,,",
        f"{REPORT},2023,58101,105,1,1,1,1,1,1,1,",
        "",
    ]
    progress = (out / "progress_2023.csv").read_bytes().decode("utf-8").split("\r\n")
    assert [line for line in progress if ",103," in line] == [
        f"{REPORT},2023,58101,103,{q},{m},{'' if (q, m) == (4, 'A') else '2.5'}"
        for q in (1, 2, 3, 4) for m in ("A", "P")
    ]  # fmt: skip


def test_the_workbook_export_keeps_numbers_numbers_and_text_text(
    loaded: Path, tmp_path: Path
) -> None:
    out = tmp_path / "xlsx"
    args = ("--format", "xlsx", "--year", "2023", "--out", str(out), "--warehouse", str(loaded))
    assert poa("export", *args)[0] == 0
    (book,) = out.glob("*.xlsx")
    sheet = openpyxl.load_workbook(book, read_only=True)["metas"]
    rows = list(sheet.iter_rows(values_only=True))
    names = [c for c in rows[0]]
    assert names[:8] == [
        "Informe", "Ejercicio fiscal", "Clave de la unidad ejecutora", "Número de meta",
        "Línea de acción del P.M.D.", "Descripción de la meta", "Unidad de medida",
        "Meta anual autorizada",
    ]  # fmt: skip
    # Text cells are strings as published (a leading + or @ is no formula in a workbook).
    assert [r[3:11] for r in rows[1:]] == [
        (100, "3.2", D100, "VISITANTE", 12000, 9000, 75, None),
        (101, "4.6.1", D101, "PUBLICACIÓN", 30, 21, 70, None),
        (102, "3.2.2", D102, "SESIÓN", 3, 2, 66.7, None),
        (103, "3.2.2", D103, "REUNIÓN", 10, 7.5, 75, None),
        (104, "3.2.2", D104, "PROGRAMA", 1, None, 100, None),
        (105, "3.2.2", D105, "MINUTA", 4, 3, 75, OBS105),
    ]


def test_a_tab_or_a_line_break_before_a_description_is_not_kept(tmp_path: Path) -> None:
    """A tab or a line break inside a quoted cell of a tab dump: the cell's whitespace is
    collapsed, so the stored description starts with its first word."""
    line_32 = (
        sample_line(32)
        .replace("101. SEGUIMIENTO", '"101.\tSEGUIMIENTO')
        .replace("PERSONALES.\t", 'PERSONALES."\t')
    )
    line_33 = (
        sample_line(33)
        .replace("102.CELEBRAR", '"102.\r\nCELEBRAR')
        .replace("CREACIÓN.\t", 'CREACIÓN."\t')
    )
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([mutated_sample(tmp_path / "in", {32: line_32, 33: line_33})], warehouse)
    assert fetch(
        warehouse, "SELECT meta_id, description FROM metas WHERE meta_id IN (101, 102) ORDER BY 1"
    ) == [
        (101, "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES."),
        (102, "CELEBRAR SESIONES DEL ÓRGANO DE GOBIERNO CONFORME A LO ESTABLECIDO EN ACUERDO DE "
              "CREACIÓN."),
    ]  # fmt: skip


def test_a_quarantined_row_that_starts_with_a_tab_is_exported_guarded(tmp_path: Path) -> None:
    """Meta 101 with its LÍNEA DE ACCIÓN blank and a letter in a number column: the raw
    line, kept as published, starts with a tab — a spreadsheet would read it as a formula."""
    line = "\t" + sample_line(32).split("\t", 1)[1].replace("\t30\t", "\t3O\t")
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([mutated_sample(tmp_path / "in", {32: line})], warehouse)
    assert fetch(warehouse, "SELECT raw, reason FROM quarantine WHERE location LIKE '% 32'") == [
        (line, "META ANUAL AUTORIZADA: '3O' is not a number")
    ]
    out = tmp_path / "out"
    assert poa("export", "--year", "2023", "--out", str(out), "--warehouse", str(warehouse))[0] == 0
    rows = (out / "no_cargados.csv").read_bytes().decode("utf-8").split("\r\n")
    assert [r for r in rows if "línea 32" in r] == [
        "renglón,2023,58101,2023-58101-20240930,ctcm_poa_avance_2022_2024.txt,"
        f"ctcm_poa_avance_2022_2024.txt línea 32,'{line},"
        "META ANUAL AUTORIZADA: '3O' no es un número,"
        "META ANUAL AUTORIZADA: '3O' is not a number"
    ]


@pytest.mark.parametrize(
    ("text", "exported"),
    [
        ("=1+2", "'=1+2"), ("+52 686", "'+52 686"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tX", "'\tX"), ("\rX", "'\rX"), ("\nX", "'\nX"), ("X=1", "X=1"), ("'X", "'X"),
        (" =X", " =X"), ("", ""),
    ],
)  # fmt: skip
def test_the_formula_guard_on_every_first_character(text: str, exported: str) -> None:
    column = Column(name="observations", title="t", type="VARCHAR", nullable=True, es="e", en="e",
                    example="x")  # fmt: skip
    with duckdb.connect() as con:
        (got,) = con.execute(
            f"SELECT {_cell_sql(column)} FROM (SELECT ?::VARCHAR AS observations)", [text]
        ).fetchone()
    assert got == exported
