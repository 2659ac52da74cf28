"""Every line of a report accounted for, so that no report loads as complete when it is not.

One place, after every front end. A report is rejected, with the reason, when
- its lines do not balance: each line (or sheet row) of its region must be in exactly one
  part — title, header, form code, FECHA, table header, a table row, the signature block —
  or ignored with a reason (blank, a repeated table header);
- its numbered metas stop before its table ends (rows after the last meta number);
- its signature block holds a row that looks like a meta (a meta number, a percentage,
  numbers where P and A go), or a title without a name: the table was not read to its end.
Each report then records how many table rows were read, loaded and quarantined
(``reports``), so completeness can be checked in SQL.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from poa_etl.errors import RejectedFile
from poa_etl.report.columns import TableLayout
from poa_etl.report.form import RawReport

if TYPE_CHECKING:
    import pandas as pd

_META_NUMBER = re.compile(r"\d+\s*\.")
_META_START = re.compile(r"\d+\s*\.\s*-?\s*[^\d\s.]")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(%?)(?![\w.,])")
_QUOTE = 60  # characters of a line quoted in a message


def check_report(raw: RawReport, layout: TableLayout, described: str) -> None:
    """Reject (``RejectedFile``) a report that cannot be loaded as complete."""
    check_balance(raw, described)
    check_numbering(raw, layout, described)
    check_signatures(raw, described)


def parts(raw: RawReport) -> dict[str, int]:
    """How many lines each part of the report took."""
    return {
        "title": len(raw.title_lines),
        "header": sum(entry.lines for entry in raw.header),
        "form code": int(raw.form_code is not None),
        "FECHA": int(raw.fecha is not None),
        "table header": len(raw.table_header),
        "table rows": sum(row.lines for row in raw.rows),
        "signature block": raw.signature_lines or 0,
        "ignored": len(raw.ignored),
    }


def check_balance(raw: RawReport, described: str) -> None:
    """Every line read is in exactly one part. A front end that does not count its lines
    yet (``lines_read`` None: the PDF reader, until it does) is not checked."""
    if raw.lines_read is None:
        return
    counted = parts(raw)
    placed = sum(counted.values())
    if placed == raw.lines_read:
        return
    detail = ", ".join(f"{name} {n}" for name, n in counted.items() if n)
    if placed < raw.lines_read:
        missing = raw.lines_read - placed
        problem = f"{missing} line(s) belong to no part of the report, so it may be incomplete"
    else:
        problem = f"{placed - raw.lines_read} line(s) were counted twice"
    raise RejectedFile(
        f"{described}: {raw.lines_read} lines read, {placed} placed ({detail}): {problem}"
    )


def check_numbering(raw: RawReport, layout: TableLayout, described: str) -> None:
    """The table ends with a numbered meta: rows after the last meta number are pieces of
    something else (a cell broken across lines), never metas of their own."""
    column = layout.columns["description"]
    numbered = [
        i for i, row in enumerate(raw.rows)
        if column < len(row.cells) and _META_NUMBER.match(row.cells[column].strip())
    ]  # fmt: skip
    last = numbered[-1] if numbered else -1
    if last == len(raw.rows) - 1:
        return
    after = raw.rows[last + 1]
    stop = f"stop at {raw.rows[last].location.within}" if numbered else "are missing"
    raise RejectedFile(
        f"{described}: the numbered metas {stop}, but the table goes on at "
        f"{after.location.within} ({_quote(after.raw)}) with no meta number: the table was "
        f"not read as published, so the report is not loaded"
    )


def check_signatures(raw: RawReport, described: str) -> None:
    """The signature block holds signatures only: title and name, nothing like a meta."""
    if not raw.signatures:
        return
    start = min(raw.signatures, key=lambda e: (e.location.page or 0, e.location.line or 0))
    for entry in raw.signatures:
        for text in (entry.title, entry.name):
            if text is not None and looks_like_meta(text):
                raise RejectedFile(
                    f"{described}: the signature block, from {start.location.within}, holds "
                    f"{_quote(text)}, which looks like a row of the metas table: the table "
                    f"was not read to its end, so the report is not loaded"
                )
        if entry.title is None or entry.name is None:
            raise RejectedFile(
                f"{described}: the signature block does not pair up: "
                f"{_quote(entry.title or entry.role or '')} at {entry.location.within} has "
                f"no name under it, so the block was not read as published"
            )


def looks_like_meta(text: str) -> bool:
    """A meta number starting the text, a percentage, or two numbers or more."""
    s = " ".join(text.split())
    numbers = _NUMBER.findall(s)
    return bool(_META_START.match(s)) or "%" in numbers or len(numbers) >= 2


def _quote(text: str) -> str:
    s = " ".join(text.split())
    return repr(s if len(s) <= _QUOTE else s[: _QUOTE - 1] + "…")


class AccountingBug(Exception):
    """Table rows that add up in no way: a bug in poa-etl, never a property of the data."""


def settle_counts(read: dict[str, pd.DataFrame], loaded: dict[str, pd.DataFrame]) -> None:
    """Set each report's ``metas_loaded`` and ``table_rows_quarantined`` to what passed the
    data contract (``loaded``, validated from ``read``), and check that its table rows add
    up: read = loaded + quarantined."""
    reports = loaded["reports"]
    meta_rows = set(zip(read["metas"]["report_id"], read["metas"]["source_location"], strict=True))
    quarantine = loaded["quarantine"]
    of_table = [
        stage == "table" or (stage == "contract" and (rid, where) in meta_rows)
        for stage, rid, where in zip(
            quarantine["stage"], quarantine["report_id"], quarantine["location"], strict=True
        )
    ]
    counts = {
        "metas_loaded": loaded["metas"]["report_id"].value_counts(),
        "table_rows_quarantined": quarantine.loc[of_table, "report_id"].value_counts(),
    }
    for column, per_report in counts.items():
        reports[column] = reports["report_id"].map(per_report).fillna(0).astype("Int32")
    unbalanced = reports[
        reports["table_rows_read"] != reports["metas_loaded"] + reports["table_rows_quarantined"]
    ]
    if not unbalanced.empty:
        row = unbalanced.iloc[0]
        raise AccountingBug(
            f"report {row['report_id']}: {row['table_rows_read']} table rows read, but "
            f"{row['metas_loaded']} loaded and {row['table_rows_quarantined']} quarantined"
        )
