"""The data contract of the warehouse, read from ``tables.yaml``.

Everything that needs to know a column (DuckDB DDL, typed DataFrames, the data
dictionary) derives it from here, so a column is defined exactly once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    import pandas as pd

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
    title: str  # Spanish heading for people (workbook, dictionary, datapackage.json)
    type: str
    nullable: bool
    es: str
    en: str
    example: str
    checks: Mapping[str, Any] = field(default_factory=dict)  # ge, le, isin, pattern

    @property
    def pandas_dtype(self) -> str:
        return _PANDAS_DTYPES[self.type]

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> Column:
        """A column as a contract file (tables.yaml, views.yaml) writes it."""
        return cls(
            name=entry["name"],
            title=entry["title"],
            type=entry["type"],
            nullable=entry["nullable"],
            es=entry["es"],
            en=entry["en"],
            example=str(entry["example"]),
            checks=entry.get("checks", {}),
        )


@dataclass(frozen=True)
class Reference:
    """A foreign key: ``columns`` of this table must exist in ``table``'s same columns."""

    columns: tuple[str, ...]
    table: str


@dataclass(frozen=True)
class Table:
    name: str
    description_es: str
    description_en: str
    primary_key: tuple[str, ...]
    unique: tuple[tuple[str, ...], ...]  # further keys besides the primary key
    references: tuple[Reference, ...]
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def keys(self) -> tuple[tuple[str, ...], ...]:
        """Every set of columns that identifies a row: the primary key, then ``unique``."""
        return ((self.primary_key,) if self.primary_key else ()) + self.unique

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def ddl(self) -> str:
        """``CREATE TABLE IF NOT EXISTS`` statement for DuckDB.

        Keys are not declared to DuckDB: they are enforced once, by the pandera contract,
        before a batch is written, and a load replaces reports whole by identity, so no key
        can repeat across batches. Declared, each would be an index to maintain on every
        insert — 3.5 times the cost of the write itself (bench/results.md).
        """
        cols = [f"    {c.name} {c.type}{'' if c.nullable else ' NOT NULL'}" for c in self.columns]
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n" + ",\n".join(cols) + "\n)"

    def frame(
        self, records: Iterable[Mapping[str, Any]] = (), private: tuple[str, ...] = ()
    ) -> pd.DataFrame:
        """A DataFrame with this table's columns, in order, with NULL-safe dtypes.

        ``private`` names extra text columns the pipeline carries until validation. Each
        column is built at its dtype (a missing key is NULL): a third of the time of
        building an object frame and casting it, which a file of a few pages paid for its
        seven tables (33 ms against 12 ms).
        """
        import pandas as pd  # not at import: a run with nothing to load never needs it

        records = list(records)
        dtypes = {c.name: c.pandas_dtype for c in self.columns} | dict.fromkeys(private, "string")
        return pd.DataFrame(
            {name: pd.array([r.get(name) for r in records], dtype=dtype)
             for name, dtype in dtypes.items()},
            columns=list(dtypes),
        )  # fmt: skip


def _load() -> dict[str, Table]:
    text = files(__name__).joinpath("tables.yaml").read_text(encoding="utf-8")
    spec = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 6x
    return {
        name: Table(
            name=name,
            description_es=body["description"]["es"],
            description_en=body["description"]["en"],
            primary_key=tuple(body["primary_key"]),
            unique=tuple(tuple(key) for key in body.get("unique", ())),
            references=tuple(
                Reference(tuple(ref["columns"]), ref["table"]) for ref in body.get("references", ())
            ),
            columns=tuple(Column.from_entry(c) for c in body["columns"]),
        )
        for name, body in spec.items()
    }


TABLES: dict[str, Table] = _load()
