"""``poa status``: when the data was last refreshed, what each unit's latest publication
is, and what the last run rejected — freshness without Prefect."""

from __future__ import annotations

from typing import Annotated

import typer

from poa_etl.cli.console import say, show
from poa_etl.cli.options import Format, WaitOption, WarehouseOption
from poa_etl.cli.output import emit, text_of
from poa_etl.cli.query import FormatOption, read_rows
from poa_etl.store import runs
from poa_etl.store.warehouse import WAIT_READER


def status_command(
    last: Annotated[int, typer.Option("--runs", min=1, help="How many recent runs to list.")] = 5,
    output: FormatOption = Format.table,
    warehouse_file: WarehouseOption = None,
    wait: WaitOption = WAIT_READER,
) -> None:
    """When the data was last refreshed: the last runs, and per fiscal year and unit the
    latest cut-off date loaded."""
    from rich.table import Table

    def query(sql: str, *args: object) -> tuple[list[str], list[tuple]]:
        return read_rows(warehouse_file, lambda con: con.execute(sql, list(args)), wait)

    _, ((refreshed,),) = query(runs.LAST_REFRESH)
    run_columns, run_rows = query(runs.LAST_RUNS, last)
    unit_columns, unit_rows = query(runs.LATEST_CUT_OFFS)
    _, rejected = query(runs.LAST_REJECTIONS)
    if output is not Format.table:
        emit(unit_columns, unit_rows, output)
        return
    say(f"Last refreshed: {text_of(refreshed) if refreshed else 'never (nothing loaded yet)'}")
    if not run_rows:
        say("No ingestion runs yet: run 'poa ingest'.")
        return
    table = Table(*run_columns, title="Last runs", title_justify="left")
    for row in run_rows:
        table.add_row(*(text_of(v) for v in row))
    show(table)
    table = Table(*unit_columns, title="Latest publication per fiscal year and unit",
                  title_justify="left")  # fmt: skip
    for row in unit_rows:
        table.add_row(*(text_of(v) for v in row))
    show(table)
    if rejected:
        say(f"The last run rejected {len(rejected)} file(s):")
        for path, reason in rejected:
            say(f"  {path}: {reason}")
    else:
        say("The last run rejected no file.")
