"""``poa export --format xlsx``: the workbook the transparency office opens, read back with
openpyxl cell by cell, and its data package validated with frictionless."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import frictionless
import openpyxl
import pytest
from conftest import mutated_sample, run_ingest, sample_line, shared
from openpyxl.worksheet.worksheet import Worksheet
from test_history import _later_publication_of_58102
from test_ingest import poa

from poa_etl.publish import workbook
from poa_etl.publish.datasets import AVANCE, DATASETS, NO_CARGADOS
from schemas import Column

WORKBOOK = "poa_avance_fisico_programatico.xlsx"
FORMULA = '=HYPERLINK("http://example.com","clic")'
CUT_OFF = datetime(2024, 9, 30)
R2023 = "2023-58101-20240930"
SHEETS = [
    "avance", "reports", "report_alignments", "metas", "progress", "progress_wide",
    "signatures", "quality_issues", "no_cargados", "diccionario",
]  # fmt: skip


@pytest.fixture(scope=shared("module"))
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample with codes a spreadsheet would mangle: ramo '058' (2023 report) and P.M.D.
    line '1.10' (meta 101); and a description that looks like a formula (meta 102)."""
    folder = tmp_path_factory.mktemp("xlsx")
    source = mutated_sample(folder / "in", {
        12: sample_line(12).replace("RAMO:\t58\t", "RAMO:\t058\t"),
        32: sample_line(32).replace("4.6.1\t101.", "1.10\t101."),
        33: sample_line(33).replace(
            "102.CELEBRAR SESIONES DEL ÓRGANO DE GOBIERNO CONFORME A LO ESTABLECIDO EN ACUERDO "
            "DE CREACIÓN.", f"102. {FORMULA}"),
    })  # fmt: skip
    warehouse = folder / "poa.duckdb"
    run_ingest([source], warehouse)
    return source, warehouse


@pytest.fixture(scope=shared("module"))
def exported(sample: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("published") / "xlsx"
    code, stdout, stderr = poa(
        "export", "--format", "xlsx", "--out", str(out), "--warehouse", str(sample[1])
    )
    assert (code, stderr) == (0, "")
    assert stdout.endswith(
        f"{WORKBOOK}: 10 sheet(s), 515 rows, with datapackage.json in {out}.\n"
    )  # 32 + 5 + 20 + 32 + 256 + 32 + 15 + 15 + 1 + 106, as the CSVs count them
    # (the dictionary: 106 columns, five of them the completeness counts of reports)
    return out


@pytest.fixture(scope=shared("module"))
def book(exported: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(exported / WORKBOOK)


def rows(sheet: Worksheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_one_workbook_and_its_package(exported: Path, book: openpyxl.Workbook) -> None:
    assert sorted(p.name for p in exported.iterdir()) == ["datapackage.json", WORKBOOK]
    assert book.sheetnames == SHEETS


def test_codes_stay_text_numbers_numbers_dates_dates(book: openpyxl.Workbook) -> None:
    reports = book["reports"]
    header = [c.value for c in reports[1]]
    row = next(r for r in reports.iter_rows(min_row=2) if r[0].value == R2023)
    cell = {title: c for title, c in zip(header, row, strict=True)}
    assert {t: (cell[t].value, cell[t].data_type) for t in (
        "Clave del ramo", "Clave del programa", "Clave de la función", "Clave de la finalidad",
        "Clave de la unidad ejecutora", "Clave de la unidad ejecutora como se publicó",
    )} == {
        "Clave del ramo": ("058", "s"), "Clave del programa": ("511", "s"),
        "Clave de la función": ("3.7", "s"), "Clave de la finalidad": ("3.7.1", "s"),
        "Clave de la unidad ejecutora": ("58101", "s"),
        "Clave de la unidad ejecutora como se publicó": ("101", "s"),
    }  # fmt: skip
    assert (cell["Ejercicio fiscal"].value, cell["Ejercicio fiscal"].data_type) == (2023, "n")
    date = cell["Fecha de corte"]
    assert (date.value, date.is_date, date.number_format) == (CUT_OFF, True, "dd/mm/yyyy")

    metas = {r[3]: r for r in rows(book["metas"])[1:] if r[0] == R2023}
    assert metas[101] == (
        R2023, 2023, "58101", 101, "1.10", "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES.",
        "NÓMINA", 30, 21, 70, None, "ctcm_poa_avance_2022_2024.txt line 32",
        None,  # ocr_min_confidence: read from text, not by OCR
    )  # fmt: skip
    row = next(r for r in book["metas"].iter_rows(min_row=2) if r[0].value == R2023)
    assert [c.data_type for c in row[:9]] == ["s", "n", "s", "n", "s", "s", "s", "n", "n"]
    formula = next(r for r in book["metas"].iter_rows(min_row=2) if r[3].value == 102)[5]
    assert (formula.value, formula.data_type) == (FORMULA, "s")  # text, never a formula


def test_avance_one_row_per_meta_of_the_latest_publication(book: openpyxl.Workbook) -> None:
    sheet = rows(book["avance"])
    assert sheet[0] == (
        "Ejercicio fiscal", "Clave de la unidad ejecutora", "Unidad ejecutora", "Fecha de corte",
        "Informe", "Número de meta", "Descripción de la meta", "Unidad de medida",
        "Meta anual autorizada", "Ene-Mar programado (P)", "Ene-Mar alcanzado (A)",
        "Abr-Jun programado (P)", "Abr-Jun alcanzado (A)", "Jul-Sep programado (P)",
        "Jul-Sep alcanzado (A)", "Oct-Dic programado (P)", "Oct-Dic alcanzado (A)",
        "Programado a la fecha de corte", "Alcanzado a la fecha de corte", "Avance calculado (%)",
        "Acumulado relativo (%)", "Estado (semáforo)", "Reglas de calidad señaladas",
    )  # fmt: skip
    assert len(sheet) - 1 == 32  # every meta of the five reports (each its unit's latest)
    by_meta = {(r[0], r[5]): r for r in sheet[1:]}
    # Dump lines 31-32: 100 has P/A only in Abr-Jun; 101 has Oct-Dic A blank. Every quarter
    # of 2023 had started by the cut-off: 100 achieved 1 of 1 programmed (en_tiempo), 101
    # achieved 21 of 30 programmed, 70 % (atrasada: at least 70, below 90).
    assert by_meta[(2023, 100)] == (
        2023, "58101", "DIRECCION GENERAL", CUT_OFF, R2023, 100,
        "FOMENTAR LA AFLUENCIA Y DERRAMA TURÍSTICA DEL MUNICIPIO A TRÁVES DE LA GESTIÓN DE "
        "PROYECTOS E INVERSIONES PÚBLICAS Y PRIVADAS, CONTRIBUYENDO ASÍ AL DESARROLLO ECONÓMICO "
        "DE LA REGIÓN.", "INFORME", 2, None, None, 1, 1, None, None, None, None, 1, 1, 50, 50,
        "en_tiempo", "planned_sum_differs_from_target",
    )  # fmt: skip
    assert by_meta[(2023, 101)] == (
        2023, "58101", "DIRECCION GENERAL", CUT_OFF, R2023, 101,
        "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES.", "NÓMINA", 30, 7, 7, 7, 7, 7, 7, 9, None,
        30, 21, 70, 70, "atrasada", None,
    )  # fmt: skip
    assert (2024, 200) not in by_meta  # quarantined: it is in no_cargados


def test_no_cargados_holds_the_quarantined_meta_in_spanish(book: openpyxl.Workbook) -> None:
    assert rows(book["no_cargados"]) == [
        ("Qué no se cargó", "Ejercicio fiscal", "Clave de la unidad ejecutora", "Informe",
         "Archivo", "Ubicación en el archivo", "Renglón como se publicó", "Motivo",
         "Motivo original (en inglés)"),
        ("renglón", 2024, "58102", "2024-58102-20240930", "ctcm_poa_avance_2022_2024.txt",
         "ctcm_poa_avance_2022_2024.txt línea 73", sample_line(73),
         "9 valores de periodo donde caben 8 (P y A de cuatro trimestres): los valores no "
         "coinciden con las columnas, así que ninguno puede asignarse a un trimestre",
         "9 period values where 8 belong (P and A for four quarters): the values do not line "
         "up with the columns, so none of them can be assigned to a quarter"),
    ]  # fmt: skip


def test_the_dictionary_sheet_describes_every_column(book: openpyxl.Workbook) -> None:
    sheet = rows(book["diccionario"])
    assert sheet[0] == (
        "Hoja", "Columna", "Título", "Tipo", "Descripción", "Descripción en inglés", "Ejemplo"
    )  # fmt: skip
    described = [d for d in (AVANCE, *DATASETS, NO_CARGADOS) for _ in d.columns]
    assert [r[0] for r in sheet[1:]] == [d.name for d in described]
    assert (
        "avance", "status", "Estado (semáforo)", "string",
        "Estado: cumplida, en_tiempo, atrasada, critica, sin_programacion o sin_dato (regla en "
        "el README).",
        "Status: cumplida, en_tiempo, atrasada, critica, sin_programacion or sin_dato (rule in "
        "the README).", "en_tiempo",
    ) in sheet  # fmt: skip
    assert (
        "metas", "pmd_code", "Línea de acción del P.M.D.", "string",
        "Línea de acción del Plan Municipal de Desarrollo (P.M.D.).",
        "Line of action of the municipal development plan (P.M.D.).", "3.2.2",
    ) in sheet  # fmt: skip


def test_every_sheet_is_readable(book: openpyxl.Workbook) -> None:
    for name in SHEETS:
        sheet = book[name]
        last = openpyxl.utils.get_column_letter(sheet.max_column)
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref == f"A1:{last}{max(sheet.max_row, 2)}", name
        assert all(c.font.b for c in sheet[1]), name
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
        assert all(10 <= w <= 63 for w in widths), (name, widths)
    description = book["metas"].column_dimensions["F"].width
    assert description > 60  # the longest descriptions get the widest column


def test_the_package_describes_each_sheet_and_validates(exported: Path, sample: tuple) -> None:
    described = frictionless.Package(str(exported / "datapackage.json"))
    assert [r.name for r in described.resources] == [
        "avance", "reports", "report-alignments", "metas", "progress", "progress-wide",
        "signatures", "quality-issues", "no-cargados", "diccionario",
    ]  # fmt: skip
    metas = described.get_resource("metas")
    assert (metas.path, metas.format, metas.dialect.to_descriptor()) == (
        WORKBOOK,
        "xlsx",
        {"header": True, "excel": {"sheet": "metas"}},
    )
    assert metas.schema.primary_key == ["Informe", "Número de meta"]
    assert metas.schema.foreign_keys == [
        {"fields": ["Informe"], "reference": {"resource": "reports", "fields": ["Informe"]}}
    ]
    assert (metas.title, metas.description) == (
        "Metas",
        "Metas del informe con su meta anual y el avance reportado. / Goals of the report with "
        "their annual target and reported progress.",
    )
    dictionary = described.get_resource("diccionario")
    assert (dictionary.title, dictionary.description, dictionary.schema.primary_key) == (
        "Diccionario de datos",
        "Qué contiene cada columna de cada hoja / What each column of each sheet holds.",
        ["Hoja", "Columna"],
    )
    digest = hashlib.sha256((exported / WORKBOOK).read_bytes()).hexdigest()
    assert {r.hash for r in described.resources} == {f"sha256:{digest}"}
    report = described.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(report.tasks) == 10


def test_a_workbook_that_turns_codes_into_numbers_is_never_published(
    sample: tuple[Path, Path], exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bug the workbook exists to prevent, planted in its writer: frictionless finds it
    when it reads the package back, the export is an error, the previous one stays."""
    out = tmp_path / "xlsx"
    args = ("export", "--format", "xlsx", "--out", str(out), "--warehouse", str(sample[1]))
    assert poa(*args)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    typed = workbook._cell_writer

    def as_a_spreadsheet_would(ws: Worksheet, column: Column, date: object) -> object:
        write = typed(ws, column, date)

        def guess(row: int, col: int, value: str) -> int:
            try:
                ws.write_number(row, col, float(value))
            except ValueError:
                return write(row, col, value)
            return len(value)

        return guess if column.type == "VARCHAR" else write

    monkeypatch.setattr(workbook, "_cell_writer", as_a_spreadsheet_would)
    code, stdout, stderr = poa(*args)
    assert (code, stdout) == (1, "")
    assert stderr.startswith(
        'error: the package written does not validate: avance: Type error in the cell "58203" '
        'in row "2" and field "Clave de la unidad ejecutora" at position "2": type is '
        '"string/default"; '
    )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["xlsx"]


@pytest.mark.parametrize(
    ("limit", "problem"),
    [
        ("MAX_ROWS", "sheet avance has more than 20 rows, the most a spreadsheet holds: export "
         "fewer fiscal years (--year), or use --format csv"),
        ("MAX_TEXT", "a description value of 189 characters is longer than a spreadsheet cell "
         "holds (180): use --format csv"),  # meta 500, dump line 226: the first over 180
    ],
)  # fmt: skip
def test_what_a_spreadsheet_cannot_hold_is_refused(
    limit: str, problem: str, sample: tuple[Path, Path], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Excel's limits (1,048,575 rows a sheet, 32,767 characters a cell), made small."""
    monkeypatch.setattr(workbook, limit, {"MAX_ROWS": 20, "MAX_TEXT": 180}[limit])
    out = tmp_path / "xlsx"
    assert poa("export", "--format", "xlsx", "--out", str(out), "--warehouse", str(sample[1])) == (
        1, "", f"error: {problem}\n",
    )  # fmt: skip
    assert not out.exists()


def test_a_sheet_of_exactly_the_most_rows_a_spreadsheet_holds_is_written(
    sample: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit's other side: progress, the largest sheet, has 256 rows (32 metas, four
    quarters, P and A); with the limit made 256 it is written whole, at 255 refused."""
    args = ("export", "--format", "xlsx", "--warehouse", str(sample[1]), "--out")
    monkeypatch.setattr(workbook, "MAX_ROWS", 256)
    assert poa(*args, str(tmp_path / "at"))[0] == 0
    book = openpyxl.load_workbook(tmp_path / "at" / WORKBOOK, read_only=True)
    assert len(rows(book["progress"])) - 1 == 256
    monkeypatch.setattr(workbook, "MAX_ROWS", 255)
    assert poa(*args, str(tmp_path / "over")) == (
        1, "", "error: sheet progress has more than 255 rows, the most a spreadsheet holds: "
        "export fewer fiscal years (--year), or use --format csv\n",
    )  # fmt: skip


def test_latest_only_keeps_each_unit_years_latest_publication(tmp_path: Path) -> None:
    """58102 of 2024 published at 30-sep-24 and again at 31-dic-24: with --latest-only the
    workbook holds the December one only, in every sheet."""
    folder = tmp_path / "in"
    mutated_sample(folder, {})
    _later_publication_of_58102(folder)
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([folder], warehouse)
    out = tmp_path / "out"
    args = ("--year", "2024", "--out", str(out), "--warehouse", str(warehouse))
    assert poa("export", "--format", "xlsx", "--latest-only", *args)[0] == 0
    book = openpyxl.load_workbook(out / WORKBOOK, read_only=True)
    assert [r[0] for r in rows(book["reports"])[1:]] == [
        "2024-58102-20241231", "2024-58201-20240930", "2024-58202-20240930",
    ]  # fmt: skip
    assert {r[0] for r in rows(book["progress"])[1:]} == {
        "2024-58102-20241231", "2024-58201-20240930", "2024-58202-20240930",
    }  # fmt: skip
