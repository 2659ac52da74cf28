"""The pandera schemas of the warehouse tables, derived from ``tables.yaml``.

Foreign keys are checked against the parent rows given at validation time, since a
batch is validated before it reaches the warehouse.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine

from schemas import Column, Reference, Table

_DTYPES = {
    "VARCHAR": pd.StringDtype(),
    "INTEGER": pd.Int32Dtype(),
    "BIGINT": pd.Int64Dtype(),
    "DOUBLE": pd.Float64Dtype(),
    "DATE": pandas_engine.Date,
    "TIMESTAMPTZ": pd.DatetimeTZDtype("us", "UTC"),
}


def reference_check_name(ref: Reference) -> str:
    return f"references {ref.table}({', '.join(ref.columns)})"


def _column_checks(column: Column) -> list[pa.Check]:
    builders = {
        "ge": pa.Check.ge,
        "le": pa.Check.le,
        "isin": pa.Check.isin,
        "pattern": pa.Check.str_matches,
    }
    return [builders[kind](arg) for kind, arg in column.checks.items()]


def _reference_check(ref: Reference, parent: pd.DataFrame) -> pa.Check:
    cols = list(ref.columns)
    known = pd.MultiIndex.from_frame(parent[cols].astype(object))

    def exists(df: pd.DataFrame) -> pd.Series:
        return pd.Series(pd.MultiIndex.from_frame(df[cols].astype(object)).isin(known), df.index)

    return pa.Check(exists, name=reference_check_name(ref))


def schema(table: Table, parents: Mapping[str, pd.DataFrame] | None = None) -> pa.DataFrameSchema:
    """The table's contract; with ``parents`` (table name -> rows), its foreign keys too."""
    single = {key[0] for key in table.keys if len(key) == 1}
    composite = [list(key) for key in table.keys if len(key) > 1]
    if len(composite) > 1:
        raise NotImplementedError(f"{table.name}: one composite key at most")
    columns = {
        c.name: pa.Column(
            _DTYPES[c.type],
            checks=_column_checks(c),
            nullable=c.nullable,
            unique=c.name in single,
            report_duplicates="exclude_first",
        )
        for c in table.columns
    }
    references = [
        _reference_check(ref, parents[ref.table])
        for ref in table.references
        if parents is not None and ref.table in parents
    ]
    return pa.DataFrameSchema(
        columns,
        checks=references,
        unique=composite[0] if composite else None,
        report_duplicates="exclude_first",
        strict=True,
        ordered=True,
        name=table.name,
    )
