"""``datapackage.json``: built with frictionless-py and validated after it is written.

Every export carries one, describing each file (or workbook sheet) it holds: a Table Schema
per table (Spanish titles, descriptions in Spanish and English, types, required columns,
keys), sha256 and bytes, the *Libre Uso MX* licence and the attribution. It is written
last, then read back and validated by frictionless against the files: an invalid package
is an error, never a publication. It also records what the export was (format, fiscal
years), so the next export into the same folder knows what it would replace.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from frictionless import Dialect, Package, Resource, Schema, formats

from poa_etl.publish.datasets import DATASETS, DICTIONARY_COLUMNS, Dataset
from poa_etl.publish.results import ExportError, Written
from schemas import Column

PACKAGE = "datapackage.json"
PACKAGE_NAME = "poa-mexicali-avance-fisico-programatico"
OWNER = "poa-etl"  # the package property that records what the export was
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FRICTIONLESS_TYPES = {
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
    "inconsistencias se señalan en quality_issues y lo que no se cargó, con su motivo, en "
    "no_cargados. Uso libre citando la fuente, conforme a los Términos de Libre Uso MX."
)
_ERRORS_SHOWN = 3
# Foreign keys: (columns, resource they point at); the same columns there.
References = Sequence[tuple[Sequence[str], str]]


def csv_resource(file: Written, dataset: Dataset, excel: bool) -> Resource:
    """A CSV file of a dataset; its foreign keys point at the same year's files."""
    year = file.fiscal_year
    names = {d.name for d in DATASETS}
    references = [
        (ref.columns, resource_name(ref.table, year))
        for ref in dataset.references
        if ref.table in names and year is not None
    ]
    return Resource(
        name=resource_name(dataset.name, year),
        title=dataset.title,
        description=dataset.description,
        path=file.path.name,
        format="csv",
        mediatype="text/csv",
        encoding="utf-8-sig" if excel else "utf-8",
        hash=f"sha256:{file.sha256}",
        bytes=file.bytes,
        dialect=_csv_dialect(),
        schema=_schema(dataset.columns, dataset.key, references, by_title=False),
    )  # fmt: skip


def sheet_resource(
    file: Written,
    title: str,
    description: str,
    columns: tuple[Column, ...],
    key: tuple[str, ...] = (),
    references: References = (),
    name: str | None = None,
) -> Resource:
    """A sheet (``file.dataset``) of a workbook, headed by the columns' Spanish titles (its
    field names); ``name``: the resource's, when the sheet's name is not one."""
    return Resource(
        name=name or resource_name(file.dataset, None),
        title=title,
        description=description,
        path=file.path.name,
        format="xlsx",
        mediatype=XLSX,
        hash=f"sha256:{file.sha256}",
        bytes=file.bytes,
        dialect=Dialect(header=True, controls=[formats.ExcelControl(sheet=file.dataset)]),
        schema=_schema(columns, key, references, by_title=True),
    )


def dictionary_resource(file: Written, excel: bool) -> Resource:
    """The data dictionary CSV."""
    return Resource(
        name="diccionario-de-datos",
        title="Diccionario de datos",
        description="Qué contiene cada columna de cada archivo / What each column holds.",
        path=file.path.name,
        format="csv",
        mediatype="text/csv",
        encoding="utf-8-sig" if excel else "utf-8",
        hash=f"sha256:{file.sha256}",
        bytes=file.bytes,
        dialect=_csv_dialect(),
        schema=_schema(DICTIONARY_COLUMNS, ("dataset", "column"), (), by_title=False),
    )


def resource_name(dataset: str, year: int | None) -> str:
    """Frictionless resource names are lower case with hyphens: ``metas-2024``."""
    name = dataset.replace("_", "-")
    return name if year is None else f"{name}-{year}"


def write_and_validate(
    folder: Path, resources: list[Resource], *, format: str, years: list[int], latest_only: bool
) -> None:
    """Write ``datapackage.json`` (the export's last file) and validate it with its files."""
    package = Package(
        name=PACKAGE_NAME,
        title="Programa Operativo Anual — Avance Físico Programático (TMM-F004), Mexicali",
        description=ATTRIBUTION,
        licenses=[LICENSE],
        sources=[{"title": "XXIV Ayuntamiento de Mexicali, Baja California"}],
        created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        resources=resources,
        basepath=str(folder),
    )
    package.custom[OWNER] = {"format": format, "fiscal_years": years, "latest_only": latest_only}
    package.to_json(str(folder / PACKAGE))
    report = Package(str(folder / PACKAGE)).validate()
    if not report.valid:
        problems = [f"{PACKAGE}: {e.message}" for e in report.errors] + [
            f"{task.name}: {e.message}" for task in report.tasks for e in task.errors
        ]
        shown = "; ".join(problems[:_ERRORS_SHOWN])
        more = (
            f" (and {len(problems) - _ERRORS_SHOWN} more)" if len(problems) > _ERRORS_SHOWN else ""
        )
        raise ExportError(f"the package written does not validate: {shown}{more}")


def _csv_dialect() -> Dialect:
    """As DuckDB writes them: RFC 4180, comma, CRLF, a header row."""
    control = formats.CsvControl(delimiter=",", line_terminator="\r\n")
    return Dialect(header=True, controls=[control])


def _schema(
    columns: tuple[Column, ...], key: tuple[str, ...], references: References, *, by_title: bool
) -> Schema:
    """A Table Schema whose field names are the columns' names, or (for a sheet headed in
    Spanish) their titles; a key's columns have the same titles in the table it points to."""
    field = {c.name: c.title if by_title else c.name for c in columns}
    descriptor: dict[str, object] = {
        "fields": [
            {
                "name": field[c.name],
                "title": c.title,
                "type": FRICTIONLESS_TYPES[c.type],
                "description": f"{c.es} / {c.en}",
                **({"constraints": {"required": True}} if not c.nullable else {}),
            }
            for c in columns
        ]
    }
    if key:
        descriptor["primaryKey"] = [field[k] for k in key]
    if references:
        descriptor["foreignKeys"] = [
            {
                "fields": [field[c] for c in keys],
                "reference": {"resource": resource, "fields": [field[c] for c in keys]},
            }
            for keys, resource in references
        ]
    return Schema.from_descriptor(descriptor)
