"""The quarterly transparency upload (SIPOT, LGT art. 70 fr. VI): one row per meta and
quarter of each unit-year's latest publication, in the columns of a YAML layout.

A quarter is reported once it has ended by the publication's cut-off date; its progress is
cumulative (P and A of the quarters up to it), blank where every A so far is blank. The
column titles and their order come from ``sipot.yaml`` (shipped) or an office's own copy,
so a state's template is matched without code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import duckdb
import yaml

from poa_etl.errors import UsageError
from poa_etl.publish import package
from poa_etl.publish.datasets import stream
from poa_etl.publish.results import Written
from poa_etl.publish.workbook import Sheet, write_workbook
from poa_etl.report.columns import QUARTER_LABELS
from schemas import Column

_QUARTER_LABEL = "CASE quarter " + " ".join(
    f"WHEN {q} THEN '{label}'" for q, label in QUARTER_LABELS.items()
) + " END"  # fmt: skip
# value -> (type, SQL over the rows of _BASE, Spanish and English meaning)
VALUES: Mapping[str, tuple[str, str, str, str]] = {
    "ejercicio": ("INTEGER", "fiscal_year", "Ejercicio fiscal.", "Fiscal year."),
    "trimestre": ("VARCHAR", _QUARTER_LABEL, "Trimestre que se informa.", "Quarter reported."),
    "fecha_inicio": ("DATE", "make_date(fiscal_year, 3 * quarter - 2, 1)",
                     "Primer día del trimestre.", "First day of the quarter."),
    "fecha_termino": ("DATE", "last_day(make_date(fiscal_year, 3 * quarter, 1))",
                      "Último día del trimestre.", "Last day of the quarter."),
    "clave_unidad": ("VARCHAR", "unit_code", "Clave de la unidad ejecutora.",
                     "Executing-unit code."),
    "area_responsable": ("VARCHAR", "coalesce(unit_name, unit_code)",
                         "Unidad ejecutora responsable de la meta.",
                         "Executing unit responsible for the goal."),
    "meta": ("INTEGER", "meta_id", "Número de la meta.", "Goal number."),
    "nombre": ("VARCHAR", "description", "Descripción de la meta.", "Goal description."),
    "unidad_medida": ("VARCHAR", "unit_of_measure", "Unidad de medida.", "Unit of measure."),
    "meta_programada": ("DOUBLE", "annual_target", "Meta anual autorizada.",
                        "Authorised annual target."),
    "programado": ("DOUBLE", "programmed", "Suma de P hasta el trimestre.",
                   "Sum of P up to the quarter."),
    "avance": ("DOUBLE", "achieved", "Suma de A hasta el trimestre; vacío si A está en blanco.",
               "Sum of A up to the quarter; blank when A is blank."),
    "avance_pct": ("DOUBLE", "round(achieved / nullif(annual_target, 0) * 100, 1)",
                   "Avance entre la meta anual, en por ciento, a un decimal.",
                   "Progress over the annual target, in percent, to one decimal."),
    "fuente": ("VARCHAR",
               "'Programa Operativo Anual ' || fiscal_year || ', Avance Físico Programático "
               "(TMM-F004) con fecha de corte ' || strftime(cut_off_date, '%d/%m/%Y') || ': ' "
               "|| poa_location_es(source_location)",
               "Publicación, archivo y página o línea de donde se leyó la meta.",
               "Publication, file and page or line the goal was read from."),
    "fecha_actualizacion": ("DATE", "cut_off_date", "Fecha de corte de la publicación.",
                            "Cut-off date of the publication."),
}  # fmt: skip
_BASE = """
SELECT m.fiscal_year, m.unit_code, r.unit_name, m.meta_id, m.description, m.unit_of_measure,
       m.annual_target, m.source_location, r.cut_off_date, q.quarter,
       sum(p.value) FILTER (p.measure = 'P') AS programmed,
       sum(p.value) FILTER (p.measure = 'A') AS achieved
FROM metas m
JOIN v_latest_reports r USING (report_id)
CROSS JOIN (SELECT unnest([1, 2, 3, 4]) AS quarter) q
JOIN progress p ON p.report_id = m.report_id AND p.meta_id = m.meta_id AND p.quarter <= q.quarter
WHERE m.fiscal_year IN ({years})
  AND last_day(make_date(m.fiscal_year, 3 * q.quarter, 1)) <= r.cut_off_date
GROUP BY ALL
"""
_SHEET_FORBIDDEN = set("[]:*?/\\")


@dataclass(frozen=True)
class Layout:
    """Where and in which columns the SIPOT rows go; ``sql``: each column's expression."""

    file: str
    sheet: str
    columns: tuple[Column, ...]
    sql: tuple[str, ...]


def load_layout(path: Path | None = None) -> Layout:
    """The shipped layout, or an office's own; a bad layout is a usage error naming it."""
    source = files(__package__).joinpath("sipot.yaml") if path is None else path
    name = "the shipped SIPOT layout" if path is None else f"SIPOT layout {path}"
    try:
        spec = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise UsageError(f"{name}: not valid YAML ({where}{exc.problem})") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UsageError(f"{name}: not valid YAML ({exc})") from None
    return _layout(spec, lambda problem: UsageError(f"{name}: {problem}"))


def write_sipot_publication(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    years: list[int],
    layout: Layout,
    progress: Callable[[Written], None],
) -> tuple[list[Written], list[package.Resource]]:
    """The SIPOT workbook (one sheet) and its resource."""
    base = _BASE.format(years=", ".join(str(int(y)) for y in years))
    query = (
        f"SELECT {', '.join(layout.sql)} FROM ({base})"
        " ORDER BY fiscal_year, unit_code, meta_id, quarter"
    )
    path = folder / layout.file
    counts = write_workbook(path, [Sheet(layout.sheet, layout.columns, stream(con, query))])
    file = Written.of(path, layout.sheet, None, counts[layout.sheet])
    progress(file)
    resource = package.sheet_resource(
        file,
        "Avance de metas por trimestre para el SIPOT (LGT art. 70 fr. VI)",
        "Un renglón por meta y trimestre terminado de la última publicación de cada unidad y "
        "ejercicio. / One row per goal and ended quarter of each unit-year's latest "
        "publication.",
        layout.columns,
        name="sipot",
    )
    return [file], [resource]


def _layout(spec: Any, problem: Callable[[str], UsageError]) -> Layout:
    if not isinstance(spec, dict) or not isinstance(spec.get("columns"), list):
        raise problem("it needs a list of columns (columns: [{title: …, value: …}, …])")
    file, sheet = spec.get("file", "sipot.xlsx"), spec.get("sheet", "sipot")
    if not isinstance(file, str) or not file.endswith(".xlsx") or Path(file).name != file:
        raise problem(f"file {file!r} must be a file name ending in .xlsx")
    if not isinstance(sheet, str) or not 0 < len(sheet) <= 31 or _SHEET_FORBIDDEN & set(sheet):
        raise problem(f"sheet {sheet!r} must be 1 to 31 characters, none of [ ] : * ? / \\")
    columns, sql, seen = [], [], set()
    for number, entry in enumerate(spec["columns"], start=1):
        title = entry.get("title") if isinstance(entry, dict) else None
        if not isinstance(title, str) or not title.strip():
            raise problem(f"column {number} needs a title")
        if title in seen:
            raise problem(f"column {number}: the title {title!r} is used twice")
        seen.add(title)
        value, text = entry.get("value"), entry.get("text")
        if value is not None and text is not None:
            raise problem(f"column {number} ({title}): give a value or a text, not both")
        if value is not None and value not in VALUES:
            raise problem(
                f"column {number} ({title}): value {value!r} is not one of {', '.join(VALUES)}"
            )
        if value is not None:
            type_, expression, es, en = VALUES[value]
        elif text is not None:
            literal = str(text).replace("'", "''")
            type_, expression, es, en = "VARCHAR", f"'{literal}'", "Texto fijo.", "Fixed text."
        else:
            type_, expression = "VARCHAR", "NULL"
            es, en = "No está en el POA: se deja en blanco.", "Not in the POA: left blank."
        columns.append(Column(name=title, title=title, type=type_, nullable=True, es=es, en=en,
                              example=""))  # fmt: skip
        sql.append(f"{expression} AS c{number}")
    return Layout(file, sheet, tuple(columns), tuple(sql))
