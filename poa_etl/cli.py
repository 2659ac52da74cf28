"""The ``poa`` command line. Exit status: 0 done, 1 a file rejected or a failure, 2 usage."""

from __future__ import annotations

import csv
import itertools
import json
import math
import sys
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer
from rich.console import Console
from rich.table import Table

from poa_etl import quality, warehouse
from poa_etl.ingest import IngestSummary, ReadOptions, UsageError, ingest
from poa_etl.pdf_reader import PdfOptions

app = typer.Typer(
    help="poa-etl: Mexicali POA physical-progress reports (TMM-F004) into DuckDB.",
    no_args_is_help=True,
    add_completion=False,
)
# Messages are whole lines even in logs and pipes, where Rich would wrap at 80 columns.
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help="DuckDB file [default: $POA_WAREHOUSE, else data/warehouse/poa.duckdb]",
        show_default=False,
    ),
]


def _show(table: Table) -> None:
    """A table at its natural width when piped or logged (Rich would squeeze it to 80)."""
    console = out if out.is_terminal else Console(file=sys.stdout, width=100_000)
    console.print(table)


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command("ingest")
def ingest_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders [default: data/raw]")
    ] = None,
    warehouse_file: WarehouseOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Also exit 1 when any row was quarantined.")
    ] = False,
    pdf_password: Annotated[
        str | None, typer.Option("--pdf-password", help="Password of encrypted PDFs.")
    ] = None,
    max_pages: Annotated[
        int, typer.Option("--max-pages", min=1, help="Reject a PDF with more pages.")
    ] = PdfOptions.max_pages,
    max_seconds: Annotated[
        float, typer.Option("--max-seconds", min=0, help="Stop reading a PDF after this long.")
    ] = PdfOptions.max_seconds,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Processes reading files [default: every core]."),
    ] = None,
) -> None:
    """Read PDFs and text dumps and load them; unchanged files (same sha256) are skipped."""
    target = warehouse.resolve_path(warehouse_file)
    options = ReadOptions(PdfOptions(pdf_password, max_pages, max_seconds), workers)
    try:
        summary = ingest(paths or [Path("data/raw")], target, options)
    except UsageError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    except warehouse.WarehouseError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(1) from None
    _print_summary(summary)
    raise typer.Exit(summary.exit_code(strict=strict))


def _print_summary(summary: IngestSummary) -> None:
    table = Table(title=f"poa ingest → {summary.warehouse}", title_justify="left")
    table.add_column("file")
    for column in ("kind", "outcome"):
        table.add_column(column)
    for column in ("reports", "metas", "quarantined"):
        table.add_column(column, justify="right")
    styles = {"loaded": "green", "rejected": "red", "unchanged": "dim"}
    for f in summary.files:
        table.add_row(
            str(f.path),
            f.media_type,
            f"[{styles[f.status]}]{f.status}[/]",
            str(f.count("reports")),
            str(f.count("metas")),
            str(f.count("quarantine")),
        )
    _show(table)
    for row in summary.quarantine.itertuples():
        out.print(f"quarantined {row.location}: {row.reason}", highlight=False)
    for f in summary.with_status("rejected"):
        err.print(f"[red]rejected[/] {f.path}: {f.message}", highlight=False)
    out.print(
        f"{len(summary.with_status('loaded'))} file(s) loaded, "
        f"{len(summary.with_status('unchanged'))} unchanged, "
        f"{len(summary.with_status('rejected'))} rejected: "
        f"{summary.total('reports')} reports, {summary.total('metas')} metas, "
        f"{summary.total('progress')} progress rows, "
        f"{summary.total('quarantine')} row(s) quarantined.",
        highlight=False,
    )
    if summary.quality:
        rules = ", ".join(f"{rule} {n}" for rule, n in summary.quality.items())
        out.print(f"Quality issues in the fiscal years loaded: {rules} (poa quality).")


@app.command("sql")
def sql_command(
    query: Annotated[str, typer.Argument(help="SQL to run (read-only).")],
    output: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    warehouse_file: WarehouseOption = None,
) -> None:
    """Run SQL on a read-only connection to the warehouse."""
    _emit(*_read(warehouse_file, lambda con: con.execute(query)), output)


def _read(
    warehouse_file: Path | None,
    run: Callable[[duckdb.DuckDBPyConnection], duckdb.DuckDBPyConnection],
) -> tuple[list[str], list[tuple]]:
    """Columns and rows of a query on a read-only connection; errors end the command (1)."""
    target = warehouse.resolve_path(warehouse_file)
    try:
        with warehouse.connect(target, read_only=True) as con:
            cursor = run(con)
            columns = [d[0] for d in cursor.description] if cursor.description else []
            return columns, cursor.fetchall()
    except warehouse.WarehouseError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
    except duckdb.Error as exc:
        err.print(f"[red]SQL error:[/] {exc}", highlight=False)
    raise typer.Exit(1)


def _emit(columns: list[str], rows: list[tuple], output: Format) -> None:
    """Rows as a Rich table, CSV (blank for NULL) or JSON (null for NULL)."""
    if output is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(["" if v is None else _text(v) for v in row] for row in rows)
    elif output is Format.json:
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2, default=_text) + "\n")
    else:
        table = Table(*columns)
        for row in rows:
            table.add_row(*("[dim]NULL[/]" if v is None else _text(v) for v in row))
        _show(table)


@app.command("quality")
def quality_command(
    year: Annotated[int | None, typer.Option("--year", help="Only this fiscal year.")] = None,
    output: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    warehouse_file: WarehouseOption = None,
) -> None:
    """Quality issues (published inconsistencies) and quarantined rows, by report."""
    columns, rows = _read(warehouse_file, lambda con: quality.listing(con, year))
    if output is not Format.table:
        _emit(columns, rows, output)
        return
    if not rows:
        out.print("No quality issues and no quarantined rows.")
        return
    report = columns.index("report_id")
    for report_id, group in itertools.groupby(rows, key=lambda r: r[report]):
        out.print(f"\n[bold]{report_id or '(no report)'}[/]", highlight=False)
        _emit(columns[3:], [r[3:] for r in group], Format.table)
    issues = sum(r[columns.index("kind")] == "issue" for r in rows)
    out.print(f"\n{issues} quality issue(s), {len(rows) - issues} quarantined row(s).")


def _text(value: Any) -> Any:
    """Values as analysts read them: ISO dates, 7 rather than 7.0."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float | Decimal) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return str(value)
