"""Enforcing the data contract (``schemas/``) on a batch, once, before it is loaded.

Tables are validated in dependency order with pandera, lazily (every failure at once).
A report whose header breaks the contract rejects its file. Any other failing row sets
aside the whole published line it came from — a meta and its eight progress values go
together — into ``quarantine`` with the column, the check and the value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from poa_etl.report.columns import QUARTER_LABELS
from poa_etl.transform.normalize import ORIGIN, ORIGINS, REPORT_TABLES, ROW_TABLES
from schemas import TABLES, Column, Table
from schemas.contract import reference_check_name, schema

# Validation order: parents before children.
_PARENTS = {
    "report_alignments": ("reports",),
    "signatures": ("reports",),
    "metas": ("reports",),
    "progress": ("metas",),
}


class ContractBug(Exception):
    """Rows the pipeline itself built (sources, quarantine) break the contract."""


@dataclass
class Checked:
    tables: dict[str, pd.DataFrame]  # contract columns only; every row valid
    rejected: dict[str, str]  # source_id -> why the file is rejected


def validate(tables: Mapping[str, pd.DataFrame], sources: pd.DataFrame) -> Checked:
    """The valid part of a batch; everything else quarantined or rejected, with reasons."""
    tables = dict(tables)
    origins = tables.pop(ORIGINS)
    must_pass("sources", sources)

    rejected: dict[str, str] = {}
    reports = tables["reports"]
    for index, reason in failures(TABLES["reports"], reports, {"sources": sources}):
        row = reports.loc[index]
        rejected.setdefault(
            row["source_id"],
            f"report {row['report_id']}: {reason}; the header breaks the data contract, "
            f"so the file is not loaded",
        )
    if rejected:
        tables = _without_sources(tables, set(rejected))

    reasons: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, parents in _PARENTS.items():
        frame = _without_origins(tables[name], reasons)
        parent_rows = {p: _without_origins(tables[p], reasons) for p in parents}
        contract = frame.drop(columns=ORIGIN)
        for index, reason in failures(TABLES[name], contract, parent_rows):
            row = frame.loc[index]
            reasons[(row["report_id"], row[ORIGIN])].append(reason)
    for name in ROW_TABLES:
        tables[name] = _without_origins(tables[name], reasons).drop(columns=ORIGIN)
    tables["quarantine"] = pd.concat(
        [tables["quarantine"], _quarantined(reasons, origins, tables["reports"])],
        ignore_index=True,
    )
    must_pass("quarantine", tables["quarantine"])
    return Checked({name: tables[name] for name in REPORT_TABLES}, rejected)


def failures(
    table: Table, frame: pd.DataFrame, parents: Mapping[str, pd.DataFrame] | None = None
) -> list[tuple[object, str]]:
    """(row index, reason) for each row of ``frame`` that breaks ``table``'s contract."""
    try:
        schema(table, parents).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    found: dict[object, list[str]] = defaultdict(list)
    seen: set[tuple[object, str]] = set()
    for case in cases.itertuples(index=False):
        if pd.isna(case.index):
            raise ContractBug(f"{table.name}: {case.check} failed for the whole table")
        if (case.index, case.check) in seen:
            continue  # a table-level check lists every column of the failing row
        seen.add((case.index, case.check))
        row = frame.loc[case.index]
        found[case.index].append(
            _reason(table, row, case.column, str(case.check), case.check_number)
        )
    return [(index, "; ".join(reasons)) for index, reasons in found.items()]


def _reason(table: Table, row: pd.Series, column: str, check: str, number: object) -> str:
    """ "value -1: must be 0 or more (check greater_than_or_equal_to(0))"."""
    context = ""
    if table.name == "progress" and row["quarter"] in QUARTER_LABELS:
        context = f"{QUARTER_LABELS[row['quarter']]} {row['measure']} "
    for ref in table.references:
        if check == reference_check_name(ref):
            cells = ", ".join(f"{c} {_show(row[c])}" for c in ref.columns)
            return f"{cells}: has no row in {ref.table} (check {check})"
    for key in table.keys:
        if check in ("field_uniqueness", "multiple_fields_uniqueness") and column in key:
            cells = ", ".join(f"{c} {_show(row[c])}" for c in key)
            return f"{cells}: appears more than once; the first is kept (check {check})"
    expected = _expected(table.column(column), check, number)
    return f"{context}{column} {_show(row[column])}: {expected} (check {check})"


def _expected(column: Column, check: str, number: object) -> str:
    if check == "not_nullable":
        return "must not be blank"
    if pd.isna(number):
        return f"breaks {check}"
    kind, arg = list(column.checks.items())[int(number)]
    return {
        "ge": lambda: f"must be {arg} or more",
        "le": lambda: f"must be {arg} or less",
        "isin": lambda: f"must be one of {', '.join(map(str, arg))}",
        "pattern": lambda: f"must look like {column.example}",
    }[kind]()


def _show(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "blank"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def _without_origins(frame: pd.DataFrame, bad: Mapping[tuple[str, str], list[str]]) -> pd.DataFrame:
    if not bad or frame.empty or ORIGIN not in frame:
        return frame
    keys = pd.MultiIndex.from_frame(frame[["report_id", ORIGIN]].astype(object))
    return frame[~keys.isin(list(bad))]


def _without_sources(tables: dict[str, pd.DataFrame], sources: set[str]) -> dict[str, pd.DataFrame]:
    reports = tables["reports"]
    dropped = set(reports.loc[reports["source_id"].isin(sources), "report_id"])
    kept = {}
    for name, frame in tables.items():
        if "source_id" in frame:
            kept[name] = frame[~frame["source_id"].isin(sources)]
        else:
            kept[name] = frame[~frame["report_id"].isin(dropped)]
    return kept


def _quarantined(
    reasons: Mapping[tuple[str, str], list[str]], origins: pd.DataFrame, reports: pd.DataFrame
) -> pd.DataFrame:
    raw = dict(
        zip(zip(origins["report_id"], origins[ORIGIN], strict=True), origins["raw"], strict=True)
    )
    source_of = dict(zip(reports["report_id"], reports["source_id"], strict=True))
    year_of = dict(zip(reports["report_id"], reports["fiscal_year"], strict=True))
    return TABLES["quarantine"].frame(
        {
            "source_id": source_of[rid],
            "report_id": rid,
            "fiscal_year": year_of[rid],
            "location": origin,
            "raw": raw[(rid, origin)],
            "reason": "; ".join(dict.fromkeys(found)),
            "stage": "contract",
        }
        for (rid, origin), found in reasons.items()
    )


def must_pass(name: str, frame: pd.DataFrame) -> None:
    """For rows poa-etl derives itself: a failure is a bug in poa-etl, not in the data."""
    problems = failures(TABLES[name], frame)
    if problems:
        raise ContractBug(f"{name} rows built by poa-etl break the contract: {problems[:3]}")
