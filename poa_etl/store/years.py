"""The fiscal years the warehouse holds: every command that takes ``--year`` checks it here,
so an unknown year is the same usage error everywhere."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

HELD_YEARS = "SELECT DISTINCT fiscal_year FROM reports ORDER BY 1"


def held_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    return [year for (year,) in con.execute(HELD_YEARS).fetchall()]


def unknown_years(asked: Iterable[int], held: list[int]) -> str | None:
    """Why ``asked`` names a fiscal year the warehouse does not hold, or None."""
    if missing := sorted(set(asked) - set(held)):
        return (
            f"no reports for fiscal year {', '.join(map(str, missing))} in the warehouse "
            f"(it holds {', '.join(map(str, held)) or 'none'})"
        )
    return None
