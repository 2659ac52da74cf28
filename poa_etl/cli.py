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
from pydantic import SecretStr
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from poa_etl import export, prefect_env, quality, views, warehouse
from poa_etl.ingest import IngestSummary, UsageError, discover
from poa_etl.pdf_reader import DEFAULTS
from poa_etl.summary import quality_line, totals

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
        help="DuckDB file \\[default: $POA_WAREHOUSE, else data/warehouse/poa.duckdb]",
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


class Runner(StrEnum):
    auto = "auto"
    process = "process"
    threads = "threads"
    dask = "dask"


PathsArgument = Annotated[
    list[Path] | None, typer.Argument(help="Files or folders \\[default: data/raw]")
]
RunnerOption = Annotated[
    Runner,
    typer.Option(
        "--runner",
        help="Where files are read: auto (processes when there is enough PDF), process, "
        "threads, dask.",
    ),
]
DaskOption = Annotated[
    str | None,
    typer.Option("--dask-address", help="Dask scheduler for --runner dask \\[default: local]."),
]


@app.command("ingest")
def ingest_command(
    paths: PathsArgument = None,
    warehouse_file: WarehouseOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Also exit 1 when any row was quarantined.")
    ] = False,
    pdf_password: Annotated[
        str | None, typer.Option("--pdf-password", help="Password of encrypted PDFs.")
    ] = None,
    max_pages: Annotated[
        int, typer.Option("--max-pages", min=1, help="Reject a PDF with more pages.")
    ] = DEFAULTS.max_pages,
    max_seconds: Annotated[
        float, typer.Option("--max-seconds", min=0, help="Stop reading a PDF after this long.")
    ] = DEFAULTS.max_seconds,
    runner: RunnerOption = Runner.auto,
    dask_address: DaskOption = None,
) -> None:
    """Read PDFs and text dumps and load them; unchanged files (same sha256) are skipped.

    Runs the ingest-publications Prefect flow: against $PREFECT_API_URL when set, else a
    temporary local server (about 10 s more).
    """
    target = warehouse.resolve_path(warehouse_file)
    inputs = paths or [Path("data/raw")]
    prefect_env.configure(console_level="CRITICAL")
    from flows.ingest import ingest_publications
    from flows.server import configured_server_problem

    if problem := configured_server_problem():
        err.print(f"[red]error:[/] {problem} (unset PREFECT_API_URL to run without it)",
                  highlight=False)  # fmt: skip
        raise typer.Exit(1)
    try:
        discover(inputs)  # a mistyped path is reported before Prefect starts
        summary = ingest_publications(
            paths=[str(p) for p in inputs],
            warehouse_file=str(target),
            runner=runner.value,
            dask_address=dask_address,
            pdf_password=SecretStr(pdf_password) if pdf_password else None,
            max_pages=max_pages,
            max_seconds=max_seconds,
        )
    except UsageError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    except warehouse.WarehouseError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(1) from None
    if not summary.files:
        listed = ", ".join(str(p) for p in inputs)
        out.print(f"no .pdf or .txt files in {listed}: nothing to load.", highlight=False)
    else:
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
    out.print(totals(summary), highlight=False)
    if line := quality_line(summary):
        out.print(line, highlight=False)


@app.command("serve")
def serve_command(
    paths: PathsArgument = None,
    warehouse_file: WarehouseOption = None,
    cron: Annotated[str, typer.Option("--cron", help="When to run.")] = "0 3 * * *",
    timezone: Annotated[
        str, typer.Option("--timezone", help="Time zone of --cron.")
    ] = "America/Tijuana",
    name: Annotated[str, typer.Option("--name", help="Deployment name.")] = "nightly",
    runner: RunnerOption = Runner.auto,
    dask_address: DaskOption = None,
) -> None:
    """Serve the nightly ingestion to the Prefect server at $PREFECT_API_URL (Ctrl-C stops).

    Schedules need a real server (make prefect-server): a temporary one cannot run them.
    """
    prefect_env.configure(console_level="INFO")
    from flows.server import serve_ingestion, server_problem

    if problem := server_problem():
        err.print(f"[red]error:[/] {problem}", highlight=False)
        raise typer.Exit(1)
    try:
        inputs = paths or [Path("data/raw")]
        discover(inputs)
    except UsageError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    serve_ingestion(
        name=name,
        cron=cron,
        timezone=timezone,
        paths=[str(p.resolve()) for p in inputs],
        warehouse_file=str(warehouse.resolve_path(warehouse_file).resolve()),
        runner=runner.value,
        dask_address=dask_address,
    )


@app.command("sql")
def sql_command(
    query: Annotated[str, typer.Argument(help="SQL to run (read-only).")],
    output: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    warehouse_file: WarehouseOption = None,
) -> None:
    """Run SQL on a read-only connection to the warehouse."""
    if not query.strip().strip(";").strip():
        err.print("[red]error:[/] no SQL statement given", highlight=False)
        raise typer.Exit(2)
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
        records = [{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        text = json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False, default=_text)
        sys.stdout.write(text + "\n")
    else:
        table = Table(*columns)
        for row in rows:
            table.add_row(*("[dim]NULL[/]" if v is None else _text(v) for v in row))
        _show(table)


@app.command("compare-headers")
def compare_headers_command(
    ramo: Annotated[str | None, typer.Option("--ramo", help="Only this ramo, e.g. 58.")] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Only this unit (canonical code, e.g. 58102).")
    ] = None,
    output: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    warehouse_file: WarehouseOption = None,
) -> None:
    """The header fields side by side across fiscal years; changes from the year before marked.

    Per ramo, and per executing unit published in several years (v_header_comparison).
    """
    if problem := _unknown_scope(warehouse_file, ramo, unit):
        err.print(f"[red]error:[/] {problem}", highlight=False)
        raise typer.Exit(1)
    query = (
        "SELECT * FROM v_header_comparison WHERE ($ramo IS NULL AND $unit IS NULL)"
        " OR (scope = 'ramo' AND scope_code = $ramo) OR (scope = 'unit' AND scope_code = $unit)"
    )
    columns, rows = _read(
        warehouse_file, lambda con: con.execute(query, {"ramo": ramo, "unit": unit})
    )
    if not rows and unit:
        _, years_of_unit = _read(warehouse_file, lambda con: con.execute(
            "SELECT DISTINCT fiscal_year FROM reports WHERE unit_code = ?", [unit]))  # fmt: skip
        out.print(
            f"unit {unit} was published for one fiscal year only ({years_of_unit[0][0]}): "
            "nothing to compare across years.",
            highlight=False,
        )
        return
    years = columns[3:]
    groups = [list(g) for _, g in itertools.groupby(rows, key=lambda row: row[:2])]
    changed = [
        views.changed_years(years, list(row[3:]), views.published_years(years, group))
        for group in groups
        for row in group
    ]
    if output is not Format.table:
        _emit(
            [*columns, "changed_in"],
            [(*row, " ".join(c)) for row, c in zip(rows, changed, strict=True)],
            output,
        )
        return
    for (scope, code), group in itertools.groupby(
        zip(rows, changed, strict=True), key=lambda item: item[0][:2]
    ):
        table = Table("field", *years, title=f"{scope} {code}", title_justify="left")
        for row, years_changed in group:
            cells = [
                ("[bold yellow]≠ " if year in years_changed else "")
                + (value or "[dim]—[/]").replace(views.SEPARATOR, "\n")
                + ("[/]" if year in years_changed else "")
                for year, value in zip(years, row[3:], strict=True)
            ]
            table.add_row(row[2], *cells)
        _show(table)
    out.print("≠ marks a value that differs from the last year the ramo or unit published.")


def _unknown_scope(warehouse_file: Path | None, ramo: str | None, unit: str | None) -> str | None:
    """Why --ramo or --unit names nothing in the warehouse, or None."""
    if ramo is not None:
        _, ramos = _read(warehouse_file, lambda con: con.execute(
            "SELECT DISTINCT ramo_code FROM reports ORDER BY 1"))  # fmt: skip
        if (ramo,) not in ramos:
            held = ", ".join(r for (r,) in ramos) or "none"
            return f"no ramo {ramo} in the warehouse (it holds ramo {held})"
    if unit is not None:
        _, units = _read(warehouse_file, lambda con: con.execute(
            "SELECT DISTINCT unit_code, unit_code_raw FROM reports ORDER BY 1"))  # fmt: skip
        if unit not in {code for code, _ in units}:
            raw = sorted({code for code, printed in units if printed == unit})
            hint = f"; unit codes are ramo-prefixed: {', '.join(raw)}" if raw else ""
            return f"no unit {unit} in the warehouse{hint}"
    return None


@app.command("export")
def export_command(
    year: Annotated[
        list[int] | None, typer.Option("--year", help="Fiscal year (repeatable) \\[default: all].")
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write.")] = Path("data/export"),
    latest_only: Annotated[
        bool, typer.Option("--latest-only", help="Only each unit-year's latest publication.")
    ] = False,
    excel: Annotated[
        bool, typer.Option("--excel", help="UTF-8 with BOM, so Excel shows the accents.")
    ] = False,
    warehouse_file: WarehouseOption = None,
) -> None:
    """CSV datasets per fiscal year, a data dictionary and datapackage.json, for publication."""
    target = warehouse.resolve_path(warehouse_file)
    try:
        with (
            warehouse.connect(target, read_only=True) as con,
            Progress(console=out, transient=True, disable=not out.is_terminal) as bar,
        ):
            task = bar.add_task("Exporting", total=None)
            written = export.export(
                con, out_dir, year, latest_only=latest_only, excel=excel,
                progress=lambda _: bar.advance(task),
            )  # fmt: skip
    except (warehouse.WarehouseError, export.ExportError) as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(1) from None
    table = Table("file", "rows", "bytes", title=f"poa export → {out_dir}", title_justify="left")
    for file in written:
        table.add_row(file.path.name, str(file.rows), str(file.bytes))
    _show(table)
    out.print(
        f"{len(written)} CSV file(s), {sum(f.rows for f in written)} rows, with "
        f"{export.DICTIONARY} and {export.PACKAGE} in {out_dir}.",
        highlight=False,
    )


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


def _json_value(value: Any) -> Any:
    """JSON has no NaN or infinity (they become null); exact decimals become numbers."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _text(value: Any) -> Any:
    """Values as analysts read them: ISO dates, 7 rather than 7.0."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float | Decimal) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return str(value)
