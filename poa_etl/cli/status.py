"""``poa status``: when the data was last refreshed, what each unit's latest publication
is, and what the last run rejected — freshness without Prefect."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from poa_etl.cli.console import say, show
from poa_etl.cli.options import Format, WaitOption, WarehouseOption
from poa_etl.cli.output import emit, json_value, text_of
from poa_etl.cli.query import FormatOption, read_rows
from poa_etl.store import runs
from poa_etl.store.warehouse import WAIT_READER


def status_command(
    last: Annotated[int, typer.Option("--runs", min=1, help="How many recent runs to list.")] = 5,
    output: FormatOption = Format.table,
    warehouse_file: WarehouseOption = None,
    wait: WaitOption = WAIT_READER,
) -> None:
    """When the data was last refreshed: the last runs, per fiscal year and unit the latest
    cut-off date loaded, and what the last run rejected (csv: the units only)."""

    def query(sql: str, *args: object) -> tuple[list[str], list[tuple]]:
        return read_rows(warehouse_file, lambda con: con.execute(sql, list(args)), wait)

    _, ((refreshed,),) = query(runs.LAST_REFRESH)
    run_columns, run_rows = query(runs.LAST_RUNS, last)
    unit_columns, unit_rows = query(runs.LATEST_CUT_OFFS)
    rejected_columns, rejected = query(runs.LAST_REJECTIONS)
    if output is Format.csv:
        emit(unit_columns, unit_rows, output)
    elif output is Format.json:
        sections = {
            "last_refreshed": refreshed,
            "runs": _records(run_columns, run_rows),
            "units": _records(unit_columns, unit_rows),
            "last_run_rejected": _records(rejected_columns, rejected),
        }
        sys.stdout.write(json.dumps(sections, ensure_ascii=False, indent=2, default=text_of) + "\n")
    else:
        _tables(refreshed, (run_columns, run_rows), (unit_columns, unit_rows), rejected)


def _records(columns: list[str], rows: list[tuple]) -> list[dict[str, object]]:
    return [{c: json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]


def _tables(
    refreshed: object,
    last_runs: tuple[list[str], list[tuple]],
    units: tuple[list[str], list[tuple]],
    rejected: list[tuple],
) -> None:
    from rich.markup import escape
    from rich.table import Table

    say(f"Last refreshed: {text_of(refreshed) if refreshed else 'never (nothing loaded yet)'}")
    if not last_runs[1]:
        say("No ingestion runs yet: run 'poa ingest'.")
        return
    for title, (columns, rows) in (
        ("Last runs", last_runs),
        ("Latest publication per fiscal year and unit", units),
    ):
        table = Table(*columns, title=title, title_justify="left")
        for row in rows:
            table.add_row(*(escape(text_of(v)) if v is not None else "" for v in row))
        show(table)
    if rejected:
        say(f"The last run rejected {len(rejected)} file(s):")
        for path, reason in rejected:
            say(f"  {path}: {reason}")
    else:
        say("The last run rejected no file.")
