"""Header fields read by OCR, checked against what other loads already hold.

OCR confirms each header field by two agreeing reads and an ink check, but a digit misread
the same way twice would make a report of another unit. So a report read from page images
is checked, when it is loaded, against the reports loaded from text (a PDF's text layer, a
dump, a spreadsheet) — in the warehouse, or in the same batch — and its file is rejected
when:

- its ramo has known units and its unit is none of them (a new unit must first come from
  a text source);
- its unit is known in the same fiscal year with other header codes or names, or other
  EJE DE GOBIERNO / LINEAS DE ACCION entries (a unit's header does not change between the
  cut-off dates of a year).

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
from typing import NamedTuple

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
ALIGNMENTS = "LINEAS DE ACCION"
ALIGNMENT_COLUMNS = ["fiscal_year", "unit_code", "report_id", "position", "code", "name"]
KNOWN_SQL = f"""
    SELECT {", ".join(f"r.{c}" for c in COLUMNS)}
    FROM reports r JOIN sources s USING (source_id)
    WHERE s.text_source IS DISTINCT FROM 'ocr'
"""
KNOWN_ALIGNMENTS_SQL = f"""
    SELECT {", ".join(f"r.{c}" for c in ALIGNMENT_COLUMNS[:2])},
           {", ".join(f"a.{c}" for c in ALIGNMENT_COLUMNS[2:])}
    FROM report_alignments a JOIN reports r USING (report_id) JOIN sources s USING (source_id)
    WHERE s.text_source IS DISTINCT FROM 'ocr'
"""


class Known(NamedTuple):
    """What loads from text hold: header fields (one row a report) and alignments."""

    headers: pd.DataFrame
    alignments: pd.DataFrame


def known_headers(
    con: duckdb.DuckDBPyConnection, batch: Iterable[dict[str, pd.DataFrame]]
) -> Known:
    """The header fields and alignments of every report loaded from text: in the warehouse
    (sources loaded before OCR existed have no text_source, and were text), and ``batch``,
    the tables of the batch's files read from text."""
    batch = list(batch)
    return Known(
        pd.concat(
            [con.execute(KNOWN_SQL).df(), *(t["reports"][COLUMNS] for t in batch)],
            ignore_index=True,
        ),
        pd.concat(
            [con.execute(KNOWN_ALIGNMENTS_SQL).df(), *(_alignments(t) for t in batch)],
            ignore_index=True,
        ),
    )


def _alignments(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    units = tables["reports"][["report_id", "fiscal_year", "unit_code"]]
    alignments = tables["report_alignments"].drop(columns="fiscal_year", errors="ignore")
    return alignments.merge(units, on="report_id")[ALIGNMENT_COLUMNS]


def rejection(report: dict, alignments: pd.DataFrame, known: Known) -> str | None:
    """Why a file holding this report (``alignments``: its alignments), read by OCR, is
    not loaded; None when it may be."""
    reason = mismatch(report, known.headers) or alignment_mismatch(
        report, alignments, known.alignments
    )
    if reason:
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


def alignment_mismatch(report: dict, alignments: pd.DataFrame, known: pd.DataFrame) -> str | None:
    """How a report's alignments differ from those its unit's reports of the same year
    loaded from text have, or None (also when there are none to compare with)."""
    year = known[known["fiscal_year"] == report["fiscal_year"]]
    unit = year[year["unit_code"] == report["unit_code"]]
    if unit.empty:
        return None
    listed = {
        tuple(zip(rows["code"], rows["name"], strict=True))
        for _, rows in unit.sort_values("position").groupby("report_id")
    }
    mine = alignments.sort_values("position")
    own = tuple(zip(mine["code"], mine["name"], strict=True))
    if own in listed:
        return None
    for code, name in own:
        names = sorted(set(unit.loc[unit["code"] == code, "name"]))
        if name not in names:
            where = _listed(names) if names else f"no {ALIGNMENTS} {code}"
            return (
                f"has {ALIGNMENTS} {code} {name!r} where the unit's other reports of "
                f"{report['fiscal_year']} have {where}"
            )
    return (
        f"has {ALIGNMENTS} {', '.join(code for code, _ in own)} where the unit's other "
        f"reports of {report['fiscal_year']} have "
        f"{' or '.join(', '.join(code for code, _ in entries) for entries in sorted(listed))}"
    )


def _listed(values: list[str]) -> str:
    shown = ", ".join(repr(v) for v in values[:SHOWN])
    return shown + (f" and {len(values) - SHOWN} more" if len(values) > SHOWN else "")
