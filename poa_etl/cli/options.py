"""Options shared by several commands, and the exit codes they end with."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

# 1: a file was rejected, or a command failed
EXIT_USAGE = 2
EXIT_BUSY = 3  # the warehouse stayed locked by another process past --wait
EXIT_LAKE = 4  # the load committed, but the Parquet lake was not refreshed
EXIT_INTERRUPTED = 130  # Ctrl-C or SIGTERM, as shells report a SIGINT

WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help="DuckDB file \\[default: $POA_WAREHOUSE, else data/warehouse/poa.duckdb]",
        show_default=False,
    ),
]
PathsArgument = Annotated[
    list[Path] | None, typer.Argument(help="Files or folders \\[default: data/raw]")
]
WaitOption = Annotated[
    float,
    typer.Option(
        "--wait", min=0, help="Seconds to wait while another process holds the warehouse."
    ),
]


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    line = "line"
