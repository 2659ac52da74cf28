"""The fiscal years the warehouse holds: every command that takes ``--year`` checks it here,
so an unknown year is the same usage error everywhere."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from poa_etl.errors import UsageError

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


class NoReports(Exception):
    """The warehouse holds no report yet: there is nothing to publish."""


def chosen_years(con: duckdb.DuckDBPyConnection, asked: Iterable[int] | None) -> list[int]:
    """The held fiscal years among ``asked`` (default: all of them), in order.

    Raises ``NoReports`` for an empty warehouse and ``UsageError`` for a year it lacks."""
    held = held_years(con)
    if not held:
        raise NoReports("the warehouse holds no reports yet: load publications with poa ingest")
    if problem := unknown_years(asked or (), held):
        raise UsageError(problem)
    return [year for year in held if not asked or year in asked]
