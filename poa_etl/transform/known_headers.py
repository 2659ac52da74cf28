"""Header fields read by OCR, checked against what other loads already hold.

OCR confirms each header field by two agreeing reads and an ink check, but a digit misread
the same way twice would make a report of another unit. So a report read from page images
is checked, when it is loaded, against the reports loaded from text (a PDF's text layer, a
dump, a spreadsheet) — in the warehouse, or in the same batch — and its file is rejected
when:

- its ramo has known units and its unit is none of them (a new unit must first come from
  a text source);
- its unit is known in the same fiscal year with other header codes or names (a unit's
  header does not change between the cut-off dates of a year).

Names of one program or ramo printed differently by different units are a published
inconsistency (``program_name_conflict``), not evidence of a misread, so they are not
compared across units.

Where nothing of the ramo is known there is nothing to check against, and the file loads
on the strength of its reads. Checked at load time, not when the file is read: only the
loading step holds the warehouse, and the check then sees every earlier load and the rest
of the batch.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

# Each code and the name that goes with it, as the form prints them.
PAIRS = {
    "ramo": ("RAMO", "ramo_code", "ramo_name"),
    "program": ("PROGRAMA", "program_code", "program_name"),
    "unit": ("UNIDAD EJECUTORA", "unit_code", "unit_name"),
    "finalidad": ("FINALIDAD", "finalidad_code", "finalidad_name"),
    "funcion": ("FUNCION", "funcion_code", "funcion_name"),
    "subfuncion": ("SUBFUNCION", "subfuncion_code", "subfuncion_name"),
}
COLUMNS = ["fiscal_year", *(c for _, code, name in PAIRS.values() for c in (code, name))]
SHOWN = 6  # known values listed in a message
KNOWN_SQL = f"""
    SELECT {", ".join(f"r.{c}" for c in COLUMNS)}
    FROM reports r JOIN sources s USING (source_id)
    WHERE s.text_source IS DISTINCT FROM 'ocr'
"""


def known_headers(con: duckdb.DuckDBPyConnection, batch: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """The header fields of every report loaded from text: in the warehouse (sources
    loaded before OCR existed have no text_source, and were text), and ``batch``, the
    reports tables of the batch's files read from text."""
    return pd.concat([con.execute(KNOWN_SQL).df(), *(b[COLUMNS] for b in batch)], ignore_index=True)


def rejection(report: dict, known: pd.DataFrame) -> str | None:
    """Why a file holding this report, read by OCR, is not loaded; None when it may be."""
    if reason := mismatch(report, known):
        return (
            f"report {report['report_id']}: its header, read by OCR, {reason}; a misread "
            f"cannot be ruled out, so the file is not loaded (load the publication from its "
            f"text first if it is right)"
        )
    return None


def mismatch(report: dict, known: pd.DataFrame) -> str | None:
    """How a report's header differs from the known ones, or None."""
    label, code, _ = PAIRS["unit"]
    ramo = known[known["ramo_code"] == report["ramo_code"]]
    units = sorted(set(ramo["unit_code"]))
    if units and report["unit_code"] not in units:
        return (
            f"has {label} {report['unit_code']!r}, no unit known in ramo "
            f"{report['ramo_code']} ({_listed(units)})"
        )
    year = known[known["fiscal_year"] == report["fiscal_year"]]
    unit = year[year["unit_code"] == report["unit_code"]]
    for label, code, name in PAIRS.values():
        for column in (code, name):
            values = sorted(set(unit[column].dropna()))
            if values and report[column] not in values:
                return (
                    f"has {label} {column.split('_')[-1]} {report[column]!r} where the unit's "
                    f"other reports of {report['fiscal_year']} have {_listed(values)}"
                )
    return None


def _listed(values: list[str]) -> str:
    shown = ", ".join(repr(v) for v in values[:SHOWN])
    return shown + (f" and {len(values) - SHOWN} more" if len(values) > SHOWN else "")
