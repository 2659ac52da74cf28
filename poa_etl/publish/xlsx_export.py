"""The workbook for the transparency office: one xlsx that opens in any spreadsheet with
every code as typed.

Sheets: ``avance`` (each meta of the latest publication, with its progress), one sheet per
dataset (every fiscal year exported, in key order), ``no_cargados`` (what was not loaded,
and why, in Spanish) and ``diccionario`` (every column: title, type, meaning). Each sheet
is a resource of the datapackage.json beside it, headed by the Spanish titles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from poa_etl.publish import package
from poa_etl.publish.datasets import (
    AVANCE,
    DATASETS,
    DICTIONARY_COLUMNS,
    NO_CARGADOS,
    Dataset,
    stream,
)
from poa_etl.publish.results import Written
from poa_etl.publish.workbook import Sheet, write_workbook
from schemas.dictionary import dictionary

WORKBOOK = "poa_avance_fisico_programatico.xlsx"
DICTIONARY_SHEET = "diccionario"


def write_xlsx_publication(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    years: list[int],
    *,
    latest_only: bool,
    progress: Callable[[Written], None],
) -> tuple[list[Written], list[package.Resource]]:
    """The workbook and one resource per sheet."""
    tables = (AVANCE, *DATASETS, NO_CARGADOS)
    path = folder / WORKBOOK
    counts = write_workbook(
        path,
        [
            *(Sheet(d.name, d.columns, stream(con, d.select(years, latest_only))) for d in tables),
            Sheet(DICTIONARY_SHEET, DICTIONARY_COLUMNS, _dictionary_rows(tables)),
        ],
    )
    written = [Written.of(path, name, None, rows) for name, rows in counts.items()]
    names = {d.name for d in tables}
    resources = []
    for dataset, file in zip(tables, written, strict=False):
        references = [
            (ref.columns, package.resource_name(ref.table, None))
            for ref in dataset.references
            if ref.table in names
        ]
        resources.append(
            package.sheet_resource(
                file, dataset.title, dataset.description, dataset.columns, dataset.key, references
            )
        )
    resources.append(
        package.sheet_resource(
            written[-1],
            "Diccionario de datos",
            "Qué contiene cada columna de cada hoja / What each column of each sheet holds.",
            DICTIONARY_COLUMNS,
            ("dataset", "column"),
        )
    )
    for file in written:
        progress(file)
    return written, resources


def _dictionary_rows(tables: tuple[Dataset, ...]) -> Iterator[tuple]:
    frame = dictionary({d.name: d.columns for d in tables})
    frame["type"] = frame["type"].map(package.FRICTIONLESS_TYPES)
    yield from frame[[c.name for c in DICTIONARY_COLUMNS]].itertuples(index=False, name=None)
