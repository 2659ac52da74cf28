"""The data contract of the warehouse, read from ``tables.yaml``.

Everything that needs to know a column (DuckDB DDL, typed DataFrames, the data
dictionary) derives it from here, so a column is defined exactly once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import pandas as pd
import yaml

# DuckDB type -> pandas dtype that holds it with NULLs intact.
_PANDAS_DTYPES = {
    "VARCHAR": "string",
    "INTEGER": "Int32",
    "BIGINT": "Int64",
    "DOUBLE": "Float64",
    "DATE": "object",  # datetime.date values; DuckDB reads them as DATE
    "TIMESTAMPTZ": "datetime64[us, UTC]",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    es: str
    en: str
    example: str

    @property
    def pandas_dtype(self) -> str:
        return _PANDAS_DTYPES[self.type]


@dataclass(frozen=True)
class Table:
    name: str
    description_es: str
    description_en: str
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def ddl(self) -> str:
        """``CREATE TABLE IF NOT EXISTS`` statement for DuckDB."""
        cols = [f"    {c.name} {c.type}{'' if c.nullable else ' NOT NULL'}" for c in self.columns]
        if self.primary_key:
            cols.append(f"    PRIMARY KEY ({', '.join(self.primary_key)})")
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n" + ",\n".join(cols) + "\n)"

    def frame(self, records: Iterable[Mapping[str, Any]] = ()) -> pd.DataFrame:
        """A DataFrame with exactly this table's columns, in order, with NULL-safe dtypes."""
        df = pd.DataFrame.from_records(list(records), columns=self.column_names)
        return df.astype({c.name: c.pandas_dtype for c in self.columns})


def _load() -> dict[str, Table]:
    spec = yaml.safe_load(files(__name__).joinpath("tables.yaml").read_text(encoding="utf-8"))
    return {
        name: Table(
            name=name,
            description_es=body["description"]["es"],
            description_en=body["description"]["en"],
            primary_key=tuple(body["primary_key"]),
            columns=tuple(
                Column(
                    name=c["name"],
                    type=c["type"],
                    nullable=c["nullable"],
                    es=c["es"],
                    en=c["en"],
                    example=str(c["example"]),
                )
                for c in body["columns"]
            ),
        )
        for name, body in spec.items()
    }


TABLES: dict[str, Table] = _load()
