"""Query results as a table that fits the terminal, CSV, JSON, Markdown or one column per
line. CSV cells that a spreadsheet would run as a formula are neutralised, whatever command
wrote them."""

from __future__ import annotations

import csv
import json
import math
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rich.markup import escape
from rich.table import Table

from poa_etl.cli.console import err, out, show
from poa_etl.cli.options import Format

# OWASP CSV injection: what a spreadsheet evaluates when a cell starts with it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
NULL = "NULL"


def emit(columns: list[str], rows: list[tuple], output: Format) -> None:
    """Rows in the chosen format; NULL is blank in CSV, null in JSON, NULL elsewhere."""
    if output is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([guard(c) for c in columns])
        writer.writerows(["" if v is None else csv_cell(v) for v in row] for row in rows)
    elif output is Format.json:
        records = [{c: json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        text = json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False, default=text_of)
        sys.stdout.write(text + "\n")
    elif output is Format.markdown:
        sys.stdout.write(markdown(columns, rows))
    elif output is Format.line:
        sys.stdout.write(lines(columns, rows))
    else:
        cells = [[cell_text(v) for v in row] for row in rows]
        if out.is_terminal and _narrowest(columns, cells) > out.width:
            err.print(
                f"(too wide for {out.width} columns: one column per line, as --format line)",
                highlight=False,
            )
            sys.stdout.write(lines(columns, rows))
            return
        table = Table(*(escape(c) for c in columns))
        for row in rows:
            table.add_row(*(f"[dim]{NULL}[/]" if v is None else escape(text_of(v)) for v in row))
        show(table)


def _narrowest(columns: list[str], cells: list[list[str]]) -> int:
    """The fewest terminal columns a table needs with every word whole: the longest word of
    each column, its padding and rule (3), and the closing rule."""
    longest = [max((len(w) for w in c.split()), default=0) for c in columns]
    for row in cells:
        for index, text in enumerate(row):
            longest[index] = max(longest[index], *(len(w) for w in text.split()), 0)
    return sum(w + 3 for w in longest) + 1


def lines(columns: list[str], rows: list[tuple]) -> str:
    """One ``column = value`` line per column, a blank line between rows (DuckDB's
    ``.mode line``): for rows too wide for any table."""
    width = max((len(c) for c in columns), default=0)
    records = []
    for row in rows:
        records.append(
            "".join(
                f"{column.rjust(width)} = "
                + cell_text(value).replace("\n", "\n" + " " * (width + 3))
                + "\n"
                for column, value in zip(columns, row, strict=True)
            )
        )
    return "\n".join(records)


def markdown(columns: list[str], rows: list[tuple]) -> str:
    """A GitHub-flavoured Markdown table; numeric columns aligned right."""
    numeric = [
        any(v is not None for v in col) and all(v is None or _is_number(v) for v in col)
        for col in zip(*rows, strict=True)
    ] or [False] * len(columns)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |\n"

    text = line([_markdown_cell(c) for c in columns])
    text += line(["---:" if right else "---" for right in numeric])
    for row in rows:
        text += line([_markdown_cell(cell_text(v)) for v in row])
    return text


def _markdown_cell(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")
    )


def cell_text(value: Any) -> str:
    """NULL spelled out, everything else as ``text_of``."""
    return NULL if value is None else text_of(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def guard(text: str) -> str:
    """A leading apostrophe on text a spreadsheet would run as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_cell(value: Any) -> str:
    """Numbers as they are (a negative number is a number, not a formula); text guarded."""
    if _is_number(value):
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
