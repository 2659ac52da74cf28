"""``poa export --format sipot``: the quarterly transparency upload, one row per meta and
quarter, in the columns of a YAML layout; expectations written from the sample dump."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import shared
from test_ingest import poa

from poa_etl.errors import UsageError
from poa_etl.publish.sipot import VALUES, load_layout

SOURCE = "Programa Operativo Anual {year}, Avance Físico Programático (TMM-F004) con fecha de "
SOURCE += "corte 30/09/2024: ctcm_poa_avance_2022_2024.txt línea {line}"
CUT_OFF = datetime(2024, 9, 30)


@pytest.fixture(scope=shared("module"))
def sipot_sheet(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:
    out = tmp_path_factory.mktemp("sipot") / "sipot"
    code, stdout, stderr = poa(
        "export", "--format", "sipot", "--out", str(out), "--warehouse", str(sample_warehouse)
    )
    assert (code, stderr) == (0, "")
    assert stdout.endswith(
        f"sipot_indicadores.xlsx: 1 sheet(s), 108 rows, with datapackage.json in {out}.\n"
    )  # 2022 and 2023: 6 metas x 4 quarters each; 2024: 20 metas x 3 quarters to 30-sep-24
    assert "│ sipot_indicadores.xlsx │ Reporte de Formatos │ 108  │" in stdout
    assert sorted(p.name for p in out.iterdir()) == ["datapackage.json", "sipot_indicadores.xlsx"]
    (resource,) = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    assert (resource["name"], resource["title"], resource["description"]) == (
        "sipot", "Avance de metas por trimestre para el SIPOT (LGT art. 70 fr. VI)",
        "Un renglón por meta y trimestre terminado de la última publicación de cada unidad y "
        "ejercicio. / One row per goal and ended quarter of each unit-year's latest "
        "publication.",
    )  # fmt: skip
    assert resource["dialect"]["excel"] == {"sheet": "Reporte de Formatos"}
    book = openpyxl.load_workbook(out / "sipot_indicadores.xlsx")
    assert book.sheetnames == ["Reporte de Formatos"]
    dates = [c for c in book.active[2] if c.is_date]
    assert [c.number_format for c in dates] == ["dd/mm/yyyy"] * 3
    return list(book.active.iter_rows(values_only=True))


def test_the_columns_of_the_transparency_format(sipot_sheet: list[tuple]) -> None:
    assert sipot_sheet[0] == (
        "Ejercicio", "Fecha de inicio del periodo que se informa",
        "Fecha de término del periodo que se informa", "Objetivo institucional",
        "Nombre del(os) indicador(es)", "Dimensión(es) a medir", "Definición del indicador",
        "Método de cálculo", "Unidad de medida", "Frecuencia de medición", "Línea base",
        "Metas programadas", "Metas ajustadas en su caso", "Avance de las metas",
        "Avance de las metas (%)", "Sentido del indicador", "Fuente de información",
        "Área(s) responsable(s) que genera(n), posee(n), publica(n) y actualizan la información",
        "Fecha de validación", "Fecha de actualización", "Nota",
    )  # fmt: skip


def test_one_meta_quarter_by_quarter(sipot_sheet: list[tuple]) -> None:
    """Meta 201 of 2024-58102 (dump line 74): target 30, A 7 in each of the three quarters
    that ended by the cut-off date 30-sep-24."""
    rows = [r for r in sipot_sheet if r[17] == "GERENCIA ADMINISTRATIVA"
            and r[4] == "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES"]  # fmt: skip
    source = SOURCE.format(year=2024, line=74)
    blank = None
    assert rows == [
        (2024, datetime(2024, 1, 1), datetime(2024, 3, 31), blank,
         "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES", blank, blank, blank, "NOMINA", blank,
         blank, 30, blank, 7, 23.3, blank, source, "GERENCIA ADMINISTRATIVA", blank, CUT_OFF,
         blank),
        (2024, datetime(2024, 4, 1), datetime(2024, 6, 30), blank,
         "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES", blank, blank, blank, "NOMINA", blank,
         blank, 30, blank, 14, 46.7, blank, source, "GERENCIA ADMINISTRATIVA", blank, CUT_OFF,
         blank),
        (2024, datetime(2024, 7, 1), datetime(2024, 9, 30), blank,
         "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES", blank, blank, blank, "NOMINA", blank,
         blank, 30, blank, 21, 70, blank, source, "GERENCIA ADMINISTRATIVA", blank, CUT_OFF,
         blank),
    ]  # fmt: skip


def test_a_blank_achievement_stays_blank(sipot_sheet: list[tuple]) -> None:
    """Meta 100 of 2023-58101 (dump line 31): target 2, P and A blank but in Abr-Jun (1, 1)."""
    rows = [r for r in sipot_sheet if r[17] == "DIRECCION GENERAL" and r[4].startswith(
        "FOMENTAR LA AFLUENCIA Y DERRAMA")]  # fmt: skip
    assert [(r[0], r[1], r[11], r[13], r[14], r[16]) for r in rows] == [
        (2023, datetime(2023, 1, 1), 2, None, None, SOURCE.format(year=2023, line=31)),
        (2023, datetime(2023, 4, 1), 2, 1, 50, SOURCE.format(year=2023, line=31)),
        (2023, datetime(2023, 7, 1), 2, 1, 50, SOURCE.format(year=2023, line=31)),
        (2023, datetime(2023, 10, 1), 2, 1, 50, SOURCE.format(year=2023, line=31)),
    ]


def test_an_office_layout_reorders_renames_and_fixes_columns(
    sample_warehouse: Path, tmp_path: Path
) -> None:
    layout = tmp_path / "bc.yaml"
    layout.write_text(
        "file: avance_trimestral.xlsx\nsheet: Metas\ncolumns:\n"
        "  - {title: Clave de la unidad, value: clave_unidad}\n"
        "  - {title: Meta, value: meta}\n"
        "  - {title: Periodo, value: trimestre}\n"
        "  - {title: Programado, value: programado}\n"
        "  - {title: Alcanzado, value: avance}\n"
        "  - {title: Sujeto obligado, text: Comité de Turismo y Convenciones}\n"
        "  - {title: Nota}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code, _, stderr = poa("export", "--format", "sipot", "--sipot-layout", str(layout),
                          "--year", "2024", "--out", str(out), "--warehouse",
                          str(sample_warehouse))  # fmt: skip
    assert (code, stderr) == (0, "")
    sheet = openpyxl.load_workbook(out / "avance_trimestral.xlsx")["Metas"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Clave de la unidad", "Meta", "Periodo", "Programado", "Alcanzado", "Sujeto obligado",
        "Nota",
    )  # fmt: skip
    assert [r for r in rows if r[:2] == ("58102", 204)] == [  # dump line 77
        ("58102", 204, "Ene-Mar", 0, 0, "Comité de Turismo y Convenciones", None),
        ("58102", 204, "Abr-Jun", 1, 1, "Comité de Turismo y Convenciones", None),
        ("58102", 204, "Jul-Sep", 1, 1, "Comité de Turismo y Convenciones", None),
    ]
    assert len(rows) - 1 == 60
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in package["resources"][0]["schema"]["fields"]] == list(rows[0])
    assert package["poa-etl"]["format"] == "sipot"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("columns:\n  - {title: Meta, value: metas}\n",
         f"column 1 (Meta): value 'metas' is not one of {', '.join(VALUES)}"),
        ("columns:\n  - {title: A, value: meta}\n  - {title: A, value: avance}\n",
         "column 2: the title 'A' is used twice"),
        ("columns:\n  - {value: meta}\n", "column 1 needs a title"),
        ("columns:\n  - {title: A, value: meta, text: x}\n",
         "column 1 (A): give a value or a text, not both"),
        ("file: ../x.xlsx\ncolumns: []\n", "file '../x.xlsx' must be a file name ending in .xlsx"),
        ("sheet: 'a/b'\ncolumns: []\n",
         "sheet 'a/b' must be 1 to 31 characters, none of [ ] : * ? / \\"),
        ("title: x\n", "it needs a list of columns (columns: [{title: …, value: …}, …])"),
        ("columns: [\n", "not valid YAML (line 2, column 1: expected the node content, but "
         "found '<stream end>')"),
    ],
)  # fmt: skip
def test_a_bad_layout_is_a_usage_error(
    text: str, problem: str, sample_warehouse: Path, tmp_path: Path
) -> None:
    layout = tmp_path / "layout.yaml"
    layout.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert poa("export", "--format", "sipot", "--sipot-layout", str(layout), "--out", str(out),
               "--warehouse", str(sample_warehouse)) == (
        2, "", f"error: SIPOT layout {layout}: {problem}\n",
    )  # fmt: skip
    assert not out.exists()


def test_a_missing_layout_is_a_usage_error(sample_warehouse: Path, tmp_path: Path) -> None:
    layout = tmp_path / "nowhere.yaml"
    assert poa("export", "--format", "sipot", "--sipot-layout", str(layout), "--out",
               str(tmp_path / "out"), "--warehouse", str(sample_warehouse)) == (
        2, "", f"error: SIPOT layout {layout}: cannot be read (No such file or directory)\n",
    )  # fmt: skip


def _layout_of(text: str, tmp_path: Path):
    path = tmp_path / "layout.yaml"
    path.write_text(text, encoding="utf-8")
    return load_layout(path)


def test_a_layout_without_file_or_sheet_takes_the_defaults(tmp_path: Path) -> None:
    layout = _layout_of(
        'columns:\n  - {title: Meta, value: meta}\n  - {title: Sujeto, text: "D\'Alessio"}\n'
        "  - {title: Nota}\n",
        tmp_path,
    )
    assert (layout.file, layout.sheet) == ("sipot.xlsx", "sipot")
    # A fixed text is an SQL literal, its apostrophe doubled; a column without either is blank.
    assert layout.sql == ("meta_id AS c1", "'D''Alessio' AS c2", "NULL AS c3")
    assert [(c.name, c.type, c.es, c.en) for c in layout.columns] == [
        ("Meta", "INTEGER", "Número de la meta.", "Goal number."),
        ("Sujeto", "VARCHAR", "Texto fijo.", "Fixed text."),
        ("Nota", "VARCHAR", "No está en el POA: se deja en blanco.", "Not in the POA: left blank."),
    ]


@pytest.mark.parametrize(
    ("sheet", "problem"),
    [("a", None), ("x" * 31, None), ("x" * 32, "sheet"), ("''", "sheet"), ("7", "sheet"),
     ("a]b", "sheet"), ("a:b", "sheet"), ("a*b", "sheet"), ("a?b", "sheet"), ("'a\\b'", "sheet"),
     ("'[a'", "sheet")],
)  # fmt: skip
def test_sheet_names_of_one_to_31_characters(sheet: str, problem: str | None, tmp_path) -> None:
    text = f"sheet: {sheet}\ncolumns: []\n"
    if problem is None:
        assert _layout_of(text, tmp_path).sheet == sheet
        return
    with pytest.raises(UsageError) as error:
        _layout_of(text, tmp_path)
    shown = repr(yaml.safe_load(text)["sheet"])
    assert str(error.value).endswith(
        f": sheet {shown} must be 1 to 31 characters, none of [ ] : * ? / \\"
    )


@pytest.mark.parametrize(
    ("file", "accepted"),
    [("a.xlsx", True), ("a.xls", False), ("sub/a.xlsx", False), ("7", False), ("a.XLSX", False)],
)
def test_the_file_is_a_name_ending_in_xlsx(file: str, accepted: bool, tmp_path: Path) -> None:
    text = f"file: {file}\ncolumns: []\n"
    if accepted:
        assert _layout_of(text, tmp_path).file == file
        return
    with pytest.raises(UsageError) as error:
        _layout_of(text, tmp_path)
    shown = repr(yaml.safe_load(text)["file"])
    assert str(error.value).endswith(f": file {shown} must be a file name ending in .xlsx")


def test_a_column_that_is_not_a_mapping_needs_a_title(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as error:
        _layout_of("columns:\n  - {title: A, value: meta}\n  - Meta\n", tmp_path)
    assert str(error.value) == f"SIPOT layout {tmp_path / 'layout.yaml'}: column 2 needs a title"
