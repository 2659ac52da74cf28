"""What is published: each dataset's columns (from the contract), rows (SQL) and keys.

Every format writes these: the CSV files, the workbook's sheets, the dictionary and
datapackage.json all describe a dataset from its ``Dataset``. Column names are the stable
machine names of the contract; each column's Spanish ``title`` heads it in the workbook.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import duckdb

from poa_etl.publish.reasons import location_es, reason_es
from poa_etl.report.columns import PERIODS, QUARTER_LABELS
from schemas import TABLES, Column, Reference
from schemas.views import VIEWS


@dataclass(frozen=True)
class Dataset:
    """A published table: its columns and the SQL relation (with ``fiscal_year`` and
    ``report_id``) its rows come from."""

    name: str
    title: str  # Spanish, for people
    description: str  # Spanish / English
    columns: tuple[Column, ...]
    source: str
    key: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    order: tuple[str, ...] = ()  # default: the key
    yearless_rows: bool = False  # rows with no fiscal year are published with every year

    def select(self, years: list[int], latest_only: bool, columns: str | None = None) -> str:
        """SQL for this dataset's rows of these fiscal years, in key order."""
        year_list = ", ".join(str(int(y)) for y in years)
        where = f"fiscal_year IN ({year_list})"
        if self.yearless_rows:
            where = f"({where} OR fiscal_year IS NULL)"
        if latest_only:
            where += (
                " AND (report_id IS NULL OR report_id IN (SELECT report_id FROM v_latest_reports))"
            )
        order = self.order or self.key or tuple(c.name for c in self.columns)
        select = columns or ", ".join(c.name for c in self.columns)
        return f"SELECT {select} FROM {self.source} WHERE {where} ORDER BY {', '.join(order)}"


def _contract(table: str, *names: str, blank: bool = False) -> tuple[Column, ...]:
    """Columns of a contract table or view, as the contract defines them; ``blank``: may be
    blank here even where the table requires a value (a rejected file has no report)."""
    columns = ({**TABLES, **VIEWS}[table].column(name) for name in names)
    return tuple(replace(c, nullable=True) if blank else c for c in columns)


def _new(name: str, title: str, type_: str, es: str, en: str, example: str) -> Column:
    """A column that only a published dataset has (derived, not stored)."""
    return Column(name=name, title=title, type=type_, nullable=True, es=es, en=en,
                  example=example)  # fmt: skip


def _wide_name(quarter: int, measure: str) -> str:
    """``ene_mar_p``: the column of one quarter and measure in wide form."""
    return f"{QUARTER_LABELS[quarter].lower().replace('-', '_')}_{measure.lower()}"


def _wide_columns() -> tuple[Column, ...]:
    """One column per quarter and measure (P, A) of progress."""
    value = TABLES["progress"].column("value")
    measures = {"P": ("programado", "Programado", "Programmed"),
                "A": ("alcanzado", "Alcanzado", "Achieved")}  # fmt: skip
    return tuple(
        _new(
            _wide_name(quarter, measure),
            f"{QUARTER_LABELS[quarter]} {measures[measure][0]} ({measure})",
            value.type,
            f"{measures[measure][1]} ({measure}) en {QUARTER_LABELS[quarter]}; vacío si la "
            f"celda está en blanco.",
            f"{measures[measure][2]} ({measure}) in {QUARTER_LABELS[quarter]}; blank when the "
            f"cell is blank.",
            value.example,
        )
        for quarter, measure in PERIODS
    )


def _table(name: str, title: str) -> Dataset:
    """A contract table published as it is."""
    table = TABLES[name]
    return Dataset(
        name, title, f"{table.description_es} / {table.description_en}", table.columns, name,
        table.primary_key, table.references,
    )  # fmt: skip


_WIDE = _wide_columns()
_WIDE_SOURCE = (
    "(SELECT report_id, fiscal_year, unit_code, meta_id, "
    + ", ".join(
        f"max(value) FILTER (quarter = {q} AND measure = '{m}') AS {_wide_name(q, m)}"
        for q, m in PERIODS
    )
    + " FROM progress GROUP BY report_id, fiscal_year, unit_code, meta_id)"
)

DATASETS: tuple[Dataset, ...] = (
    _table("reports", "Informes"),
    _table("report_alignments", "Alineación al Plan Municipal de Desarrollo"),
    _table("metas", "Metas"),
    _table("progress", "Avance por trimestre (un renglón por trimestre y medida)"),
    Dataset(
        "progress_wide",
        "Avance por trimestre (una columna por trimestre y medida)",
        "Avance por trimestre de cada meta, una columna por trimestre y medida (P, A). / "
        "Progress per quarter of each goal, one column per quarter and measure (P, A).",
        (*_contract("progress", "report_id", "fiscal_year", "unit_code", "meta_id"), *_WIDE),
        _WIDE_SOURCE,
        ("report_id", "meta_id"),
        TABLES["progress"].references,
    ),
    _table("signatures", "Firmas"),
    _table("quality_issues", "Problemas de calidad de lo publicado"),
)

AVANCE = Dataset(
    "avance",
    "Avance de las metas (última publicación)",
    "Una fila por meta de la última publicación de cada unidad y ejercicio: meta anual, P y A "
    "por trimestre, lo programado y alcanzado a la fecha de corte, el avance y el estado "
    "(semáforo). / One row per goal of each unit-year's latest publication: target, P and A "
    "per quarter, programmed and achieved to the cut-off date, progress and status.",
    (
        *_contract("v_meta_status", "fiscal_year", "unit_code"),
        *_contract("reports", "unit_name"),
        *_contract(
            "v_meta_status",
            "cut_off_date",
            "report_id",
            "meta_id",
            "description",
            "unit_of_measure",
            "annual_target",
        ),
        *_WIDE,
        *_contract(
            "v_meta_status",
            "programmed_to_date",
            "achieved_to_date",
            "computed_progress_pct",
            "reported_relative_pct",
            "status",
            "quality_rules",
        ),
    ),
    "(SELECT s.*, r.unit_name, w.* EXCLUDE (report_id, fiscal_year, unit_code, meta_id)"
    " FROM v_meta_status s JOIN v_latest_reports r USING (report_id)"
    f" JOIN {_WIDE_SOURCE} w USING (report_id, meta_id))",
    ("report_id", "meta_id"),
    order=("fiscal_year", "unit_code", "meta_id"),
)

_KIND_ROW, _KIND_FILE = "renglón", "archivo"
_FILE_NAME = "regexp_extract(s.path, '([^/\\\\]+)$', 1)"  # the path's last part
NO_CARGADOS = Dataset(
    "no_cargados",
    "Lo que no se cargó",
    "Cada renglón apartado en cuarentena y cada archivo rechazado, con el motivo en español "
    "y el original. / Every quarantined row and every rejected file, with the reason in "
    "Spanish and as recorded.",
    (
        _new(
            "kind",
            "Qué no se cargó",
            "VARCHAR",
            f"'{_KIND_ROW}' (un renglón apartado; el resto del informe sí se cargó) o "
            f"'{_KIND_FILE}' (el archivo completo se rechazó).",
            f"'{_KIND_ROW}' (a row set aside; the rest of its report loaded) or "
            f"'{_KIND_FILE}' (the whole file was rejected).",
            _KIND_ROW,
        ),
        *_contract("quarantine", "fiscal_year"),
        *_contract("reports", "unit_code", blank=True),
        *_contract("quarantine", "report_id"),
        _new(
            "file",
            "Archivo",
            "VARCHAR",
            "Nombre del archivo leído.",
            "Name of the file read.",
            "ctcm_poa_avance_2022_2024.txt",
        ),
        _new(
            "location",
            "Ubicación en el archivo",
            "VARCHAR",
            "Archivo y línea o página del renglón; vacío para un archivo rechazado.",
            "File and line or page of the row; blank for a rejected file.",
            "ctcm_poa_avance_2022_2024.txt línea 73",
        ),
        *_contract("quarantine", "raw", blank=True),
        _new(
            "reason_es",
            "Motivo",
            "VARCHAR",
            "Por qué no se cargó, en español.",
            "Why it was not loaded, in Spanish.",
            "9 valores de periodo donde caben 8 (P y A de cuatro trimestres): …",
        ),
        _new(
            "reason",
            "Motivo original (en inglés)",
            "VARCHAR",
            "El motivo como lo registró poa-etl (quarantine.reason, sources.error).",
            "The reason as poa-etl recorded it (quarantine.reason, sources.error).",
            "9 period values where 8 belong (P and A for four quarters): …",
        ),
    ),
    # Quarantined rows, then rejected files — except a file whose path loaded later (fixed).
    f"(SELECT '{_KIND_ROW}' AS kind, q.fiscal_year, r.unit_code, q.report_id, {_FILE_NAME} AS file,"
    " poa_location_es(q.location) AS location, q.raw, poa_reason_es(q.reason) AS reason_es,"
    " q.reason FROM quarantine q LEFT JOIN sources s USING (source_id)"
    " LEFT JOIN reports r USING (report_id)"
    f" UNION ALL SELECT '{_KIND_FILE}', NULL, NULL, NULL, {_FILE_NAME}, NULL, NULL,"
    " poa_reason_es(s.error), s.error FROM sources s WHERE s.status = 'rejected'"
    " AND NOT EXISTS (SELECT 1 FROM sources fixed WHERE fixed.path = s.path"
    " AND fixed.status = 'loaded' AND fixed.ingested_at > s.ingested_at))",
    (),
    order=("fiscal_year NULLS LAST", "unit_code", "kind DESC", "file", "location"),
    yearless_rows=True,
)


# The data dictionary's columns: machine names head the CSV, titles the workbook's sheet.
DICTIONARY_COLUMNS = tuple(
    Column(name=name, title=title, type="VARCHAR", nullable=name == "example", es=es, en=en,
           example=ex)
    for name, title, es, en, ex in (
        ("dataset", "Hoja", "Archivo u hoja.", "File or sheet.", "metas"),
        ("column", "Columna", "Nombre de la columna en los CSV.", "Column name in the CSVs.",
         "annual_target"),
        ("title", "Título", "Título en español (encabezado en la hoja de cálculo).",
         "Spanish title (the spreadsheet heading).", "Meta anual autorizada"),
        ("type", "Tipo", "Tipo de dato (Table Schema).", "Data type (Table Schema).", "number"),
        ("description_es", "Descripción", "Qué contiene.", "What it holds, in Spanish.",
         "Meta anual autorizada."),
        ("description_en", "Descripción en inglés", "Qué contiene, en inglés.",
         "What it holds.", "Authorised annual target."),
        ("example", "Ejemplo", "Un valor de ejemplo.", "An example value.", "30"),
    )
)  # fmt: skip


def stream(con: duckdb.DuckDBPyConnection, query: str, batch: int = 10_000) -> Iterator[tuple]:
    """The rows of a query, a batch at a time (a sheet may be large)."""
    cursor = con.execute(query)
    while rows := cursor.fetchmany(batch):
        yield from rows


@contextmanager
def spanish_reasons(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The SQL functions ``NO_CARGADOS`` uses, for the time of an export."""
    functions = {"poa_reason_es": reason_es, "poa_location_es": location_es}
    for name, function in functions.items():
        con.create_function(name, function, ["VARCHAR"], "VARCHAR", side_effects=False)
    try:
        yield
    finally:
        for name in functions:
            con.remove_function(name)
