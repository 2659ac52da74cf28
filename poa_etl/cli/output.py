"""Query results as a Rich table, CSV or JSON. CSV cells that a spreadsheet would run as
a formula are neutralised, whatever command wrote them."""

from __future__ import annotations

import csv
import json
import math
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rich.table import Table

from poa_etl.cli.console import show
from poa_etl.cli.options import Format

# OWASP CSV injection: what a spreadsheet evaluates when a cell starts with it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def emit(columns: list[str], rows: list[tuple], output: Format) -> None:
    """Rows as a Rich table, CSV (blank for NULL) or JSON (null for NULL)."""
    if output is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([guard(c) for c in columns])
        writer.writerows(["" if v is None else csv_cell(v) for v in row] for row in rows)
    elif output is Format.json:
        records = [{c: json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        text = json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False, default=text_of)
        sys.stdout.write(text + "\n")
    else:
        table = Table(*columns)
        for row in rows:
            table.add_row(*("[dim]NULL[/]" if v is None else text_of(v) for v in row))
        show(table)


def guard(text: str) -> str:
    """A leading apostrophe on text a spreadsheet would run as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_cell(value: Any) -> str:
    """Numbers as they are (a negative number is a number, not a formula); text guarded."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return text_of(value)
    return guard(text_of(value))


def json_value(value: Any) -> Any:
    """JSON has no NaN or infinity (they become null); exact decimals become numbers."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def text_of(value: Any) -> str:
    """Values as analysts read them: ISO dates, 7 rather than 7.0."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float | Decimal) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return str(value)
