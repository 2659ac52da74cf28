"""CSV datasets for a municipal open-data portal, ready to publish as they are.

One CSV per dataset and fiscal year (``metas_2024.csv``), written by DuckDB's own CSV
writer: UTF-8 (with a BOM for Excel, on request), RFC 4180 quoting and CRLF line ends,
ISO dates, numbers as published (``7``, not ``7.0``), rows in key order, no index column.
Free-text cells that a spreadsheet would run as a formula (starting with = + - @, tab, CR
or LF) get a leading apostrophe; numbers are never touched. Beside them:
``diccionario_de_datos.csv`` and a Frictionless ``datapackage.json`` (Table Schema per
file, keys, sha256 and bytes, licence and attribution).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from poa_etl.report.columns import PERIODS, QUARTER_LABELS
from schemas import TABLES, Column, Reference
from schemas.dictionary import dictionary

BOM = "\ufeff".encode()
DICTIONARY = "diccionario_de_datos.csv"
DICTIONARY_COLUMNS = ("dataset", "column", "type", "description_es", "description_en", "example")
PACKAGE = "datapackage.json"
PACKAGE_NAME = "poa-mexicali-avance-fisico-programatico"
# OWASP CSV injection: first characters a spreadsheet would evaluate (SQL list).
FORMULA_START = "'=', '+', '-', '@', chr(9), chr(13), chr(10)"
_FRICTIONLESS_TYPES = {
    "VARCHAR": "string", "INTEGER": "integer", "BIGINT": "integer", "DOUBLE": "number",
    "DATE": "date", "TIMESTAMPTZ": "datetime",
}  # fmt: skip
LICENSE = {
    "name": "Libre-Uso-MX",
    "title": "Términos de Libre Uso MX",
    "path": "https://datos.gob.mx/libreusomx",
}
ATTRIBUTION = (
    "Fuente: XXIV Ayuntamiento de Mexicali, Baja California — Programa Operativo Anual, "
    "Avance Físico Programático (formato TMM-F004), publicado por sus dependencias y "
    "entidades. Datos procesados con poa-etl y publicados tal como se reportaron; las "
    "inconsistencias se señalan en problemas_de_calidad. Uso libre citando la fuente, "
    "conforme a los Términos de Libre Uso MX."
)


def _wide_columns() -> tuple[Column, ...]:
    """progress in wide form: its keys, then one column per quarter and measure."""
    progress = TABLES["progress"]
    value = next(c for c in progress.columns if c.name == "value")
    keys = [c for c in progress.columns if c.name in ("report_id", "fiscal_year", "unit_code",
                                                      "meta_id")]  # fmt: skip
    measures = {"P": ("Programado", "Programmed"), "A": ("Alcanzado", "Achieved")}
    return (
        *keys,
        *(
            Column(
                name=_wide_name(quarter, measure),
                type=value.type,
                nullable=True,
                es=f"{measures[measure][0]} ({measure}) en {QUARTER_LABELS[quarter]}; "
                f"vacío si la celda está en blanco.",
                en=f"{measures[measure][1]} ({measure}) in {QUARTER_LABELS[quarter]}; "
                f"blank when the cell is blank.",
                example=value.example,
            )
            for quarter, measure in PERIODS
        ),
    )


def _wide_name(quarter: int, measure: str) -> str:
    return f"{QUARTER_LABELS[quarter].lower().replace('-', '_')}_{measure.lower()}"


@dataclass(frozen=True)
class Dataset:
    """A published file: its columns (from the contract) and the rows it takes."""

    name: str
    columns: tuple[Column, ...]
    source: str  # SQL relation with these columns and fiscal_year
    key: tuple[str, ...]
    references: tuple[Reference, ...]


def _table_dataset(name: str) -> Dataset:
    """A contract table published as it is."""
    table = TABLES[name]
    return Dataset(name, table.columns, name, table.primary_key, table.references)


_WIDE_SOURCE = (
    "(SELECT report_id, fiscal_year, unit_code, meta_id, "
    + ", ".join(
        f"max(value) FILTER (quarter = {q} AND measure = '{m}') AS {_wide_name(q, m)}"
        for q, m in PERIODS
    )
    + " FROM progress GROUP BY report_id, fiscal_year, unit_code, meta_id)"
)
DATASETS: tuple[Dataset, ...] = (
    _table_dataset("reports"),
    _table_dataset("report_alignments"),
    _table_dataset("metas"),
    _table_dataset("progress"),
    Dataset(
        "progress_wide",
        _wide_columns(),
        _WIDE_SOURCE,
        ("report_id", "meta_id"),
        TABLES["progress"].references,
    ),
    _table_dataset("signatures"),
    _table_dataset("quality_issues"),
)


class ExportError(Exception):
    """What was asked cannot be exported; the message says why."""


@dataclass(frozen=True)
class Written:
    path: Path
    dataset: str
    fiscal_year: int | None
    rows: int
    bytes: int
    sha256: str


def _is_free_text(column: Column) -> bool:
    """Text the contract does not constrain (codes have a pattern, enumerations a list):
    the only cells that could start a spreadsheet formula."""
    return column.type == "VARCHAR" and not ({"pattern", "isin"} & set(column.checks))


def _cell_sql(column: Column) -> str:
    """A column as it goes into the CSV."""
    name = column.name
    if _is_free_text(column):
        apostrophe = "''''"  # SQL for a one-apostrophe string
        return (
            f"CASE WHEN left({name}, 1) IN ({FORMULA_START}) THEN {apostrophe} || {name}"
            f" ELSE {name} END AS {name}"
        )
    if column.type == "DOUBLE":
        return (
            f"CASE WHEN {name} = trunc({name}) THEN CAST(CAST({name} AS BIGINT) AS VARCHAR)"
            f" ELSE CAST({name} AS VARCHAR) END AS {name}"
        )
    return name


def export(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    years: list[int] | None = None,
    *,
    latest_only: bool = False,
    excel: bool = False,
    progress: Callable[[Written], None] = lambda _: None,
) -> list[Written]:
    """Write the datasets of these fiscal years (default: all) and their metadata to ``out``."""
    present = [
        y for (y,) in con.execute("SELECT DISTINCT fiscal_year FROM reports ORDER BY 1").fetchall()
    ]
    if missing := sorted(set(years or ()) - set(present)):
        raise ExportError(
            f"no reports for fiscal year {', '.join(map(str, missing))} in the warehouse "
            f"(it holds {', '.join(map(str, present)) or 'none'})"
        )
    chosen = [y for y in present if years is None or y in years]
    _clear_previous_export(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for year in chosen:
        for dataset in DATASETS:
            written.append(write_dataset(con, dataset, year, out, latest_only, excel))
            progress(written[-1])
    frame = dictionary({d.name: d.columns for d in DATASETS})[list(DICTIONARY_COLUMNS)]
    frame["type"] = frame["type"].map(_FRICTIONLESS_TYPES)
    frame.to_csv(out / DICTIONARY, index=False, lineterminator="\r\n",
                 encoding="utf-8-sig" if excel else "utf-8")  # fmt: skip
    _write_package(out, written, excel)
    return written


def write_dataset(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    year: int,
    out: Path,
    latest_only: bool,
    excel: bool,
) -> Written:
    """One dataset's CSV for one fiscal year."""
    path = out / f"{dataset.name}_{year}.csv"
    columns = ", ".join(_cell_sql(c) for c in dataset.columns)
    latest = " AND report_id IN (SELECT report_id FROM v_latest_reports)" if latest_only else ""
    query = (
        f"SELECT {columns} FROM {dataset.source} WHERE fiscal_year = {int(year)}{latest}"
        f" ORDER BY {', '.join(dataset.key or [c.name for c in dataset.columns])}"
    )
    target = str(path).replace("'", "''")
    (rows,) = con.execute(
        f"COPY ({query}) TO '{target}' (FORMAT csv, HEADER, NEW_LINE '\\r\\n')"
    ).fetchone()
    if excel:
        plain = path.with_suffix(".tmp")
        path.rename(plain)
        with plain.open("rb") as source, path.open("wb") as sink:
            sink.write(BOM)
            shutil.copyfileobj(source, sink)
        plain.unlink()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Written(path, dataset.name, year, rows, path.stat().st_size, digest)


def _write_package(out: Path, written: list[Written], excel: bool) -> None:
    by_name = {d.name: d for d in DATASETS}
    resources = []
    for file in written:
        dataset = by_name[file.dataset]
        schema: dict[str, object] = {
            "fields": [
                {
                    "name": c.name,
                    "type": _FRICTIONLESS_TYPES[c.type],
                    "description": f"{c.es} / {c.en}",
                    **({"constraints": {"required": True}} if not c.nullable else {}),
                }
                for c in dataset.columns
            ],
        }
        if dataset.key:
            schema["primaryKey"] = list(dataset.key)
        schema["foreignKeys"] = [
            {
                "fields": list(ref.columns),
                "reference": {
                    "resource": _resource_name(ref.table, file.fiscal_year),
                    "fields": list(ref.columns),
                },
            }
            for ref in dataset.references
            if ref.table in by_name
        ]
        resources.append(
            {
                "name": _resource_name(file.dataset, file.fiscal_year),
                "path": file.path.name,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig" if excel else "utf-8",
                "bytes": file.bytes,
                "hash": f"sha256:{file.sha256}",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": schema,
            }
        )
    data = (out / DICTIONARY).read_bytes()
    resources.append(
        {
            "name": "diccionario-de-datos",
            "path": DICTIONARY,
            "description": "Qué contiene cada columna de cada archivo / What each column holds.",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig" if excel else "utf-8",
            "bytes": len(data),
            "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
            "schema": {"fields": [{"name": name, "type": "string"} for name in DICTIONARY_COLUMNS]},
        }
    )
    package = {
        "name": PACKAGE_NAME,
        "title": "Programa Operativo Anual — Avance Físico Programático (TMM-F004), Mexicali",
        "description": ATTRIBUTION,
        "licenses": [LICENSE],
        "sources": [{"title": "XXIV Ayuntamiento de Mexicali, Baja California"}],
        "resources": resources,
    }
    text = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
    (out / PACKAGE).write_text(text, encoding="utf-8")


def _resource_name(dataset: str, year: int | None) -> str:
    """Frictionless resource names are lower case with hyphens: ``metas-2024``."""
    return f"{dataset.replace('_', '-')}-{year}"


def _clear_previous_export(out: Path) -> None:
    """Make ``out`` ready: remove the files a previous poa export listed there, so no stale
    year is published; refuse a file, or a folder holding another data package."""
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file, not a folder")
    manifest = out / PACKAGE
    if not manifest.exists():
        return
    try:
        package = json.loads(manifest.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ExportError(f"{manifest} is not valid JSON ({exc})") from None
    if not isinstance(package, dict) or package.get("name") != PACKAGE_NAME:
        name = package.get("name") if isinstance(package, dict) else None
        raise ExportError(
            f"{manifest} belongs to another data package ({name!r}); export into an empty "
            f"folder or into a previous poa export's folder"
        )
    for resource in package.get("resources", []):
        (out / Path(resource["path"]).name).unlink(missing_ok=True)
