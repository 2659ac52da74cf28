"""The data dictionary published with the exports, derived from ``tables.yaml``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from schemas import TABLES, Column

COLUMNS = [
    "dataset", "column", "title", "type", "nullable", "description_es", "description_en",
    "example",
]  # fmt: skip


def dictionary(datasets: Mapping[str, Sequence[Column]] | None = None) -> pd.DataFrame:
    """One row per column of each dataset (default: every table): what an open-data user
    needs to read the data, with the Spanish title it carries in the workbook."""
    if datasets is None:
        datasets = {t.name: t.columns for t in TABLES.values()}
    return pd.DataFrame(
        [
            (name, c.name, c.title, c.type, c.nullable, c.es, c.en, c.example)
            for name, columns in datasets.items()
            for c in columns
        ],
        columns=COLUMNS,
    )
