"""From the intermediate form to the warehouse tables: one place, for every front end.

``normalize_file`` turns the reports found in one file into DataFrames shaped by
``schemas/tables.yaml``. A report that cannot be identified or is incomplete rejects the
whole file (``RejectedFile``); a row or header line that breaks the structure goes to
``quarantine`` with its reason while the rest of the report loads.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Any

import pandas as pd

from poa_etl.errors import RejectedFile
from poa_etl.report.cells import CellError, fold, parse_fecha
from poa_etl.report.columns import PERIODS, LayoutError, TableLayout
from poa_etl.report.form import HeaderEntry, Location, RawReport
from poa_etl.transform.accounting import check_report
from poa_etl.transform.header import Header, read_header
from poa_etl.transform.ocr_check import uncertain_reason, unconfirmed
from schemas import TABLES

FORM_CODE = "TMM-F004"
REPORT_TABLES = ("reports", "report_alignments", "metas", "progress", "signatures", "quarantine")
# Rows that come from one published line carry ``_origin`` (its location) until validation,
# so that a contract failure in any of them sets the whole line aside. ``_origins`` maps each
# origin to the line as published.
ORIGIN = "_origin"
ROW_TABLES = ("report_alignments", "signatures", "metas", "progress")
ORIGINS = "_origins"
_FISCAL_YEAR = re.compile(r"PROGRAMA OPERATIVO ANUAL\s+(\d{4})")

Records = dict[str, list[dict[str, Any]]]


def canonical_unit_code(ramo_code: str, unit_code_raw: str) -> str:
    """Units are printed either ramo-prefixed ('58102') or bare ('101'); canonical is prefixed."""
    if len(unit_code_raw) > 3:
        return unit_code_raw
    return (ramo_code.lstrip("0") or "0") + unit_code_raw.zfill(3)


def report_id(fiscal_year: int, unit_code: str, cut_off: date) -> str:
    """The identity of a publication, readable: ``2024-58102-20240930``."""
    return f"{fiscal_year}-{unit_code}-{cut_off:%Y%m%d}"


def normalize_file(source_id: str, reports: list[RawReport]) -> dict[str, pd.DataFrame]:
    """The tables for all reports of one file."""
    records: Records = defaultdict(list)
    first_seen: dict[str, RawReport] = {}
    for raw in reports:
        rid = _normalize_report(source_id, raw, records)
        if rid in first_seen:
            raise RejectedFile(
                f"{raw.location.within}: the publication {rid} appears twice in the file "
                f"(first at {first_seen[rid].location.within})"
            )
        first_seen[rid] = raw
    return _frames(records, private=True)


def empty_tables(*, private: bool = False) -> dict[str, pd.DataFrame]:
    """The report tables with no rows; ``private``: as ``normalize_file`` gives them."""
    return _frames(defaultdict(list), private=private)


def _frames(records: Records, *, private: bool) -> dict[str, pd.DataFrame]:
    frames = {
        name: TABLES[name].frame(
            records[name], private=(ORIGIN,) if private and name in ROW_TABLES else ()
        )
        for name in REPORT_TABLES
    }
    if private:
        frames[ORIGINS] = pd.DataFrame.from_records(
            records[ORIGINS], columns=["report_id", ORIGIN, "raw"]
        ).astype("string")
    return frames


def _normalize_report(source_id: str, raw: RawReport, out: Records) -> str:
    where = raw.location.within
    fiscal_year = _fiscal_year(raw)
    if raw.form_code is None:
        raise RejectedFile(f"report at {where}: no form code ({FORM_CODE}) found")
    if raw.form_code != FORM_CODE:
        raise RejectedFile(f"report at {where}: form {raw.form_code} is not {FORM_CODE}")
    if raw.fecha is None:
        raise RejectedFile(f"report at {where}: no FECHA (cut-off date) found")
    try:
        cut_off = parse_fecha(raw.fecha)
    except CellError as exc:
        raise RejectedFile(f"report at {where}: FECHA {exc}") from None

    header = read_header(raw.header)
    for name, label in (("ramo", "RAMO"), ("program", "PROGRAMA"), ("unit", "UNIDAD EJECUTORA")):
        if header.coded.get(name, (None, None))[0] is None:
            raise RejectedFile(f"report at {where}: no {label} code in the header")
    ramo_code = header.coded["ramo"][0]
    unit_raw = header.coded["unit"][0]
    unit_code = canonical_unit_code(ramo_code, unit_raw)
    rid = report_id(fiscal_year, unit_code, cut_off)
    described = f"report {rid} at {where}"

    if not raw.table_header:
        raise RejectedFile(f"{described}: no metas table found")
    if not raw.signatures:
        last = raw.rows[-1].location.within if raw.rows else where
        raise RejectedFile(
            f"{described}: the report stops at {last} without its signature block; "
            f"the table looks cut off, so the report is incomplete"
        )
    try:
        layout = TableLayout.from_header(raw.table_header)
    except LayoutError as exc:
        raise RejectedFile(f"{described}: {exc}") from None
    check_report(raw, layout, described)

    out["reports"].append(
        _report_record(source_id, rid, fiscal_year, cut_off, raw, header, unit_code)
    )
    keys = {"report_id": rid, "fiscal_year": fiscal_year}
    for position, (level, code, name, entry) in enumerate(header.alignments, start=1):
        out["report_alignments"].append(
            {**keys, "position": position, "level": level, "code": code, "name": name,
             ORIGIN: _origin(out, rid, entry.location, _header_line(entry))}
        )  # fmt: skip
    for entry, reason in header.defects:
        out["quarantine"].append(
            _quarantined(
                source_id, keys, str(entry.location), _header_line(entry), reason, "header"
            )
        )
    metas_before, quarantine_before = len(out["metas"]), len(out["quarantine"])
    _metas(source_id, keys, unit_code, raw, layout, out)
    out["reports"][-1].update(
        metas_loaded=len(out["metas"]) - metas_before,
        table_rows_quarantined=sum(
            q["stage"] == "table" for q in out["quarantine"][quarantine_before:]
        ),
    )
    for position, sig in enumerate(raw.signatures, start=1):
        printed = " / ".join(x for x in (sig.role, sig.title, sig.name) if x)
        out["signatures"].append(
            {**keys, "position": position, "role": sig.role, "title": sig.title,
             "name": sig.name, ORIGIN: _origin(out, rid, sig.location, printed)}
        )  # fmt: skip
    return rid


def _header_line(entry: HeaderEntry) -> str:
    label = [entry.label] if entry.label else []
    return "\t".join([*label, *entry.values])


def _origin(out: Records, rid: str, location: Location, raw: str) -> str:
    """Register a published line once; rows made from it carry the returned key."""
    key = str(location)
    if not out[ORIGINS] or out[ORIGINS][-1][ORIGIN] != key:
        out[ORIGINS].append({"report_id": rid, ORIGIN: key, "raw": raw})
    return key


def _quarantined(
    source_id: str, keys: dict[str, Any], location: str, raw: str, reason: str, stage: str
) -> dict[str, Any]:
    """A row set aside; ``keys``: its report_id and fiscal_year."""
    return {
        "source_id": source_id,
        **keys,
        "location": location,
        "raw": raw,
        "reason": reason,
        "stage": stage,
    }


def _fiscal_year(raw: RawReport) -> int:
    for line in raw.title_lines:
        if m := _FISCAL_YEAR.search(fold(line)):
            return int(m.group(1))
    raise RejectedFile(
        f"report at {raw.location.within}: no fiscal year in the title "
        f"('PROGRAMA OPERATIVO ANUAL <year>')"
    )


def _report_record(
    source_id: str,
    rid: str,
    fiscal_year: int,
    cut_off: date,
    raw: RawReport,
    header: Header,
    unit_code: str,
) -> dict[str, Any]:
    coded = header.coded
    none = (None, None)
    counted = raw.lines_read is not None
    rows_read = sum(any(c.strip() for c in row.cells) for row in raw.rows)
    return {
        "report_id": rid,
        "source_id": source_id,
        "fiscal_year": fiscal_year,
        "cut_off_date": cut_off,
        "form_code": raw.form_code,
        "ayuntamiento": next((t for t in raw.title_lines if "AYUNTAMIENTO" in fold(t)), None),
        "ramo_code": coded["ramo"][0],
        "ramo_name": coded["ramo"][1],
        "program_code": coded["program"][0],
        "program_name": coded["program"][1],
        "unit_code": unit_code,
        "unit_code_raw": coded["unit"][0],
        "unit_name": coded["unit"][1],
        **{
            f"{name}_{part}": value
            for name in ("finalidad", "funcion", "subfuncion")
            for part, value in zip(("code", "name"), coded.get(name, none), strict=True)
        },
        "lines_read": raw.lines_read,
        "lines_ignored": len(raw.ignored) if counted else None,
        "table_rows_read": rows_read,
    }


def _metas(
    source_id: str,
    report: dict[str, Any],
    unit_code: str,
    raw: RawReport,
    layout: TableLayout,
    out: Records,
) -> None:
    keys = {**report, "unit_code": unit_code}
    for row in raw.rows:
        try:
            meta, error = layout.read(row.cells), None
        except CellError as exc:
            meta, error = None, str(exc)
        if row.ocr and (doubts := unconfirmed(row.ocr, meta, layout)):
            error = uncertain_reason(row, doubts, layout)
        if error:
            out["quarantine"].append(
                _quarantined(source_id, report, str(row.location), row.raw, error, "table")
            )
            continue
        if meta is None:
            continue
        origin = _origin(out, report["report_id"], row.location, row.raw)
        out["metas"].append(
            {
                **keys,
                "meta_id": meta.meta_id,
                "pmd_code": meta.pmd_code,
                "description": meta.description,
                "unit_of_measure": meta.unit_of_measure,
                "annual_target": meta.annual_target,
                "reported_absolute": meta.reported_absolute,
                "reported_relative_pct": meta.reported_relative_pct,
                "observations": meta.observations,
                "source_location": str(row.location),
                "ocr_min_confidence": row.ocr.min_confidence if row.ocr else None,
                ORIGIN: origin,
            }
        )
        out["progress"].extend(
            {**keys, "meta_id": meta.meta_id, "quarter": q, "measure": m, "value": value,
             ORIGIN: origin}
            for (q, m), value in zip(PERIODS, meta.periods, strict=True)
        )  # fmt: skip
