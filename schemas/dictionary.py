"""The data dictionary published with the exports, derived from ``tables.yaml``."""

from __future__ import annotations

import pandas as pd

from schemas import TABLES

COLUMNS = ["dataset", "column", "type", "nullable", "description_es", "description_en", "example"]


def dictionary() -> pd.DataFrame:
    """One row per column of every table: what an open-data user needs to read the data."""
    return pd.DataFrame(
        [
            (t.name, c.name, c.type, c.nullable, c.es, c.en, c.example)
            for t in TABLES.values()
            for c in t.columns
        ],
        columns=COLUMNS,
    )
