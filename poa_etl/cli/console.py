"""Where the command line writes: results to stdout, errors and progress to stderr, as
whole lines even in logs and pipes (where Rich would wrap at 80 columns).

Messages carry published text and paths, which may hold anything, ``[/]`` included: they
are printed as plain text, never read as Rich markup. Notes poa-etl logs while it works
(a busy warehouse being waited for) are shown on stderr.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:
    from rich.table import Table

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def show(table: Table) -> None:
    """A table fitted to the terminal (long cells wrapped); at its natural width when piped
    or logged (Rich would squeeze it to 80)."""
    if out.is_terminal:
        out.print(table, soft_wrap=False)
    else:
        Console(file=sys.stdout, width=100_000).print(table)


def say(message: str | Text) -> None:
    out.print(message, highlight=False, markup=False)


def error(message: str, prefix: str = "error", style: str = "red") -> None:
    err.print(Text.assemble((f"{prefix}:", style), " ", message), highlight=False)


def fail(message: str, code: int = 1, prefix: str = "error") -> NoReturn:
    """Print a one-line error and end the command with ``code``."""
    error(message, prefix)
    raise typer.Exit(code)


class _Notes(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        error(record.getMessage(), "note", "yellow")


logging.getLogger("poa_etl").addHandler(_Notes(logging.WARNING))
