"""CSV datasets for a municipal open-data portal, ready to publish as they are.

One CSV per dataset and fiscal year (``metas_2024.csv``) and one ``no_cargados.csv``, written
by DuckDB's own CSV writer: UTF-8 (with a BOM for Excel, on request), RFC 4180 quoting and
CRLF line ends, ISO dates, numbers as published (``7``, not ``7.0``), rows in key order, no
index column, the stable machine column names as headers. Free-text cells that a
spreadsheet would run as a formula (starting with = + - @, tab, CR or LF) get a leading
apostrophe; numbers are never touched. Beside them ``diccionario_de_datos.csv``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb

from poa_etl.publish import package
from poa_etl.publish.datasets import DATASETS, DICTIONARY_COLUMNS, NO_CARGADOS, Dataset
from poa_etl.publish.results import Written
from schemas import Column
from schemas.dictionary import dictionary

BOM = "\ufeff".encode()
DICTIONARY = "diccionario_de_datos.csv"
# OWASP CSV injection: first characters a spreadsheet would evaluate (SQL list).
FORMULA_START = "'=', '+', '-', '@', chr(9), chr(13), chr(10)"
EXACT_INTEGER = 2**53  # the largest whole number every double below it holds exactly


def write_csv_publication(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    years: list[int],
    *,
    latest_only: bool,
    excel: bool,
    progress: Callable[[Written], None],
) -> tuple[list[Written], list[package.Resource]]:
    """Every dataset of every year, what was not loaded, the dictionary; and their resources."""
    written, resources = [], []
    for year in years:
        for dataset in DATASETS:
            written.append(write_dataset(con, dataset, year, folder, latest_only, excel))
            resources.append(package.csv_resource(written[-1], dataset, excel))
            progress(written[-1])
    path = folder / f"{NO_CARGADOS.name}.csv"
    written.append(write_csv(con, NO_CARGADOS, years, path, latest_only, excel))
    resources.append(package.csv_resource(written[-1], NO_CARGADOS, excel))
    progress(written[-1])
    resources.append(_write_dictionary(folder, (*DATASETS, NO_CARGADOS), excel))
    return written, resources


def write_dataset(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    year: int,
    out: Path,
    latest_only: bool,
    excel: bool,
) -> Written:
    """One dataset's CSV for one fiscal year: ``<dataset>_<year>.csv``."""
    path = out / f"{dataset.name}_{year}.csv"
    return Written.of(
        path, dataset.name, year, _copy(con, dataset, [year], path, latest_only, excel)
    )


def write_csv(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    years: list[int],
    path: Path,
    latest_only: bool,
    excel: bool,
) -> Written:
    """A dataset's rows of these years as one CSV file."""
    return Written.of(
        path, dataset.name, None, _copy(con, dataset, years, path, latest_only, excel)
    )


def _copy(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    years: list[int],
    path: Path,
    latest_only: bool,
    excel: bool,
) -> int:
    """Write the CSV with DuckDB's writer; the number of rows."""
    query = dataset.select(years, latest_only, ", ".join(_cell_sql(c) for c in dataset.columns))
    target = str(path).replace("'", "''")
    (rows,) = con.execute(
        f"COPY ({query}) TO '{target}' (FORMAT csv, HEADER, NEW_LINE '\\r\\n')"
    ).fetchone()
    if excel:
        _prepend_bom(path)
    return rows


def _write_dictionary(folder: Path, datasets: tuple[Dataset, ...], excel: bool) -> package.Resource:
    frame = dictionary({d.name: d.columns for d in datasets})[[c.name for c in DICTIONARY_COLUMNS]]
    frame["type"] = frame["type"].map(package.FRICTIONLESS_TYPES)
    path = folder / DICTIONARY
    frame.to_csv(path, index=False, lineterminator="\r\n",
                 encoding="utf-8-sig" if excel else "utf-8")  # fmt: skip
    return package.dictionary_resource(Written.of(path, "diccionario", None, len(frame)), excel)


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
    if column.type == "DOUBLE":  # whole numbers without ".0", where a double holds them exactly
        return (
            f"CASE WHEN {name} = trunc({name}) AND abs({name}) <= {EXACT_INTEGER}"
            f" THEN CAST(CAST({name} AS BIGINT) AS VARCHAR) ELSE CAST({name} AS VARCHAR) END"
            f" AS {name}"
        )
    return name


def _prepend_bom(path: Path) -> None:
    plain = path.with_suffix(".tmp")
    path.rename(plain)
    with plain.open("rb") as source, path.open("wb") as sink:
        sink.write(BOM)
        shutil.copyfileobj(source, sink)
    plain.unlink()
