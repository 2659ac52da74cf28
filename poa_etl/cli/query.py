"""Reading the warehouse: ``poa sql``, ``poa quality``, ``poa compare-headers``,
``poa status``. Every query runs on a read-only connection; analysts' SQL on a sealed one
(``poa_etl/store/sql.py``)."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.text import Text

from poa_etl.cli.console import fail, say, show
from poa_etl.cli.options import (
    EXIT_BUSY,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    Format,
    WaitOption,
    WarehouseOption,
)
from poa_etl.cli.output import emit
from poa_etl.store import sql
from poa_etl.store.warehouse import WAIT_READER

if TYPE_CHECKING:
    import duckdb

FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]


def read_rows(
    warehouse_file: Path | None,
    run: Callable[[duckdb.DuckDBPyConnection], duckdb.DuckDBPyConnection],
    wait: float = WAIT_READER,
) -> tuple[list[str], list[tuple]]:
    """Columns and rows of a query on a read-only connection; errors end the command."""
    import duckdb

    from poa_etl.store import warehouse

    target = warehouse.resolve_path(warehouse_file)
    try:
        with warehouse.connect(target, read_only=True, wait=wait) as con:
            cursor = run(con)
            columns = [d[0] for d in cursor.description] if cursor.description else []
            return columns, cursor.fetchall()
    except warehouse.WarehouseBusy as exc:
        fail(str(exc), EXIT_BUSY)
    except warehouse.WarehouseError as exc:
        fail(str(exc))
    except duckdb.Error as exc:
        fail(str(exc), prefix="SQL error")


def sql_command(
    query: Annotated[
        str | None, typer.Argument(help="SQL to run; '-' reads it from stdin.", show_default=False)
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", "-f", help="Read the SQL from this file ('-': stdin).", dir_okay=False
        ),
    ] = None,
    output: FormatOption = Format.table,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.001, help="Seconds each statement may run.")
    ] = sql.DEFAULT_TIMEOUT,
    warehouse_file: WarehouseOption = None,
    wait: WaitOption = WAIT_READER,
) -> None:
    """Run reading SQL (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN) on a sealed,
    read-only connection to the warehouse: no files, extensions or other databases.

    Every statement runs and each result is shown, in order.
    """
    import duckdb

    from poa_etl.store import warehouse

    text = _sql_text(query, file)
    try:
        statements = sql.reading_statements(text)
    except sql.Refused as exc:
        fail(str(exc))
    except duckdb.Error as exc:
        fail(str(exc), prefix="SQL error")
    if not statements:
        fail("no SQL statement given", EXIT_USAGE)
    target = warehouse.resolve_path(warehouse_file)
    try:
        with sql.sealed(target, wait=wait, timeout=timeout) as con:
            for number, statement in enumerate(statements, start=1):
                if len(statements) > 1:
                    _announce(number, len(statements), statement.query, output)
                try:
                    emit(*sql.fetch(con, statement), output)
                except duckdb.InterruptException:
                    fail(f"statement {number} stopped after {timeout:g} s (--timeout)")
                except duckdb.PermissionException as exc:
                    why = str(exc).splitlines()[0].removeprefix("Permission Error: ")
                    fail(f"poa sql reads the warehouse and nothing else ({why})")
    except KeyboardInterrupt:
        fail("interrupted: the query was stopped", EXIT_INTERRUPTED)
    except warehouse.WarehouseBusy as exc:
        fail(str(exc), EXIT_BUSY)
    except warehouse.WarehouseError as exc:
        fail(str(exc))
    except duckdb.Error as exc:
        fail(str(exc), prefix="SQL error")


def _sql_text(query: str | None, file: Path | None) -> str:
    """The SQL from the argument, a file or stdin ('-'); exactly one of them."""
    if query is not None and file is not None:
        fail("give the SQL as an argument or with --file, not both", EXIT_USAGE)
    if file is None and query != "-":
        if query is None:
            fail('no SQL given: poa sql "QUERY", poa sql -f FILE, or poa sql - < FILE', EXIT_USAGE)
        return query
    if file is None or str(file) == "-":
        return sys.stdin.read()
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(
            f"cannot read the SQL file {file}: {getattr(exc, 'strerror', None) or exc}", EXIT_USAGE
        )


def _announce(number: int, total: int, query: str, output: Format) -> None:
    """Which statement the next result belongs to: a blank line between results (a CSV
    reader sees separate tables); a SQL comment before each in the formats people read."""
    if number > 1:
        sys.stdout.write("\n")
    if output in (Format.table, Format.line, Format.markdown):
        one_line = " ".join(query.split()).rstrip(";")
        clipped = one_line if len(one_line) <= 100 else one_line[:99] + "…"
        sys.stdout.write(f"-- [{number}/{total}] {clipped}\n")


def quality_command(
    year: Annotated[int | None, typer.Option("--year", help="Only this fiscal year.")] = None,
    output: FormatOption = Format.table,
    warehouse_file: WarehouseOption = None,
    wait: WaitOption = WAIT_READER,
) -> None:
    """Quality issues (published inconsistencies) and quarantined rows, by report."""
    from poa_etl.store.years import HELD_YEARS, unknown_years
    from poa_etl.transform.quality import listing

    if year is not None:
        _, held = read_rows(warehouse_file, lambda con: con.execute(HELD_YEARS), wait)
        if problem := unknown_years([year], [y for (y,) in held]):
            fail(problem, EXIT_USAGE)
    columns, rows = read_rows(warehouse_file, lambda con: listing(con, year), wait)
    if output is not Format.table:
        emit(columns, rows, output)
        return
    if not rows:
        say("No quality issues and no quarantined rows.")
        return
    report = columns.index("report_id")
    for report_id, group in itertools.groupby(rows, key=lambda r: r[report]):
        say(Text(f"\n{report_id or '(no report)'}", style="bold"))
        emit(columns[3:], [r[3:] for r in group], Format.table)
    issues = sum(r[columns.index("kind")] == "issue" for r in rows)
    say(f"\n{issues} quality issue(s), {len(rows) - issues} quarantined row(s).")


def compare_headers_command(
    ramo: Annotated[str | None, typer.Option("--ramo", help="Only this ramo, e.g. 58.")] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Only this unit (canonical code, e.g. 58102).")
    ] = None,
    output: FormatOption = Format.table,
    warehouse_file: WarehouseOption = None,
) -> None:
    """The header fields side by side across fiscal years; changes from the year before marked.

    Per ramo, and per executing unit published in several years (v_header_comparison).
    """
    from rich.table import Table

    from poa_etl.store import views

    if problem := _unknown_scope(warehouse_file, ramo, unit):
        fail(problem)
    query = (
        "SELECT * FROM v_header_comparison WHERE ($ramo IS NULL AND $unit IS NULL)"
        " OR (scope = 'ramo' AND scope_code = $ramo) OR (scope = 'unit' AND scope_code = $unit)"
    )
    columns, rows = read_rows(
        warehouse_file, lambda con: con.execute(query, {"ramo": ramo, "unit": unit})
    )
    if not rows and unit:
        _, years_of_unit = read_rows(warehouse_file, lambda con: con.execute(
            "SELECT DISTINCT fiscal_year FROM reports WHERE unit_code = ?", [unit]))  # fmt: skip
        say(
            f"unit {unit} was published for one fiscal year only ({years_of_unit[0][0]}): "
            "nothing to compare across years."
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
        emit(
            [*columns, "changed_in"],
            [(*row, " ".join(c)) for row, c in zip(rows, changed, strict=True)],
            output,
        )
        return
    for (scope, code), group in itertools.groupby(
        zip(rows, changed, strict=True), key=lambda item: item[0][:2]
    ):
        table = Table("field", *years, title=escape(f"{scope} {code}"), title_justify="left")
        for row, years_changed in group:
            cells = [
                ("[bold yellow]≠ " if year in years_changed else "")
                + (escape(value) if value else "[dim]—[/]").replace(views.SEPARATOR, "\n")
                + ("[/]" if year in years_changed else "")
                for year, value in zip(years, row[3:], strict=True)
            ]
            table.add_row(escape(row[2]), *cells)
        show(table)
    say("≠ marks a value that differs from the last year the ramo or unit published.")


def _unknown_scope(warehouse_file: Path | None, ramo: str | None, unit: str | None) -> str | None:
    """Why --ramo or --unit names nothing in the warehouse, or None."""
    if ramo is not None:
        _, ramos = read_rows(warehouse_file, lambda con: con.execute(
            "SELECT DISTINCT ramo_code FROM reports ORDER BY 1"))  # fmt: skip
        if (ramo,) not in ramos:
            held = ", ".join(r for (r,) in ramos) or "none"
            return f"no ramo {ramo} in the warehouse (it holds ramo {held})"
    if unit is not None:
        _, units = read_rows(warehouse_file, lambda con: con.execute(
            "SELECT DISTINCT unit_code, unit_code_raw FROM reports ORDER BY 1"))  # fmt: skip
        if unit not in {code for code, _ in units}:
            raw = sorted({code for code, printed in units if printed == unit})
            hint = f"; unit codes are ramo-prefixed: {', '.join(raw)}" if raw else ""
            return f"no unit {unit} in the warehouse{hint}"
    return None
