"""``poa ingest``, ``poa serve`` and ``poa lake``: loading the warehouse.

``poa ingest`` calls the pipeline in this process (no Prefect, no server); ``--prefect``
runs the same steps as the ``ingest-publications`` flow instead.
"""

from __future__ import annotations

import signal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from poa_etl.cli.console import err, error, fail, say, show
from poa_etl.cli.options import (
    EXIT_BUSY,
    EXIT_INTERRUPTED,
    EXIT_LAKE,
    EXIT_USAGE,
    PathsArgument,
    WaitOption,
    WarehouseOption,
)
from poa_etl.errors import LoadedThenInterrupted, UsageError
from poa_etl.extract.options import DEFAULTS, ReadOptions
from poa_etl.store.warehouse import WAIT_WRITER, WarehouseBusy, WarehouseError, resolve_path

if TYPE_CHECKING:
    from poa_etl.pipeline.results import IngestSummary


class Runner(StrEnum):
    auto = "auto"
    process = "process"
    threads = "threads"
    dask = "dask"


RunnerOption = Annotated[
    Runner,
    typer.Option(
        "--runner",
        help="Where files are read: auto (processes when they pay), process, threads, dask.",
    ),
]
DaskOption = Annotated[
    str | None,
    typer.Option("--dask-address", help="Dask scheduler for --runner dask \\[default: local]."),
]


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
    prefect: Annotated[
        bool,
        typer.Option(
            "--prefect",
            help="Run as the Prefect flow ingest-publications (at $PREFECT_API_URL).",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print only errors.")] = False,
    wait: WaitOption = WAIT_WRITER,
) -> None:
    """Read PDFs and text dumps and load them; unchanged files (same sha256) are skipped.

    Exit status: 0 every file read; 1 a file rejected; 2 usage; 3 warehouse busy past
    --wait; 4 loaded, but the Parquet lake not refreshed (the next run repairs it).
    """
    from poa_etl.pipeline.plan import discover

    target = resolve_path(warehouse_file)
    inputs = paths or [Path("data/raw")]
    options = ReadOptions(pdf_password, max_pages, max_seconds)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        discover(inputs)  # a mistyped path is reported before anything starts
        if prefect:
            summary = _run_flow(inputs, target, options, runner, dask_address)
        else:
            summary = _run_here(inputs, target, options, runner, dask_address, wait, quiet)
    except UsageError as exc:
        fail(str(exc), EXIT_USAGE)
    except WarehouseBusy as exc:
        fail(str(exc), EXIT_BUSY)
    except WarehouseError as exc:
        fail(str(exc))
    except LoadedThenInterrupted:
        fail(
            "interrupted after the load was committed: the files read are loaded; the "
            "next run brings the Parquet lake up to date",
            EXIT_INTERRUPTED,
        )
    except KeyboardInterrupt:
        fail("interrupted: nothing of this run was loaded", EXIT_INTERRUPTED)
    _report(summary, inputs, quiet)
    raise typer.Exit(summary.exit_code(strict=strict))


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM as Ctrl-C: the load rolls back and worker processes are stopped."""
    raise KeyboardInterrupt


def _run_here(
    inputs: list[Path],
    target: Path,
    options: ReadOptions,
    runner: Runner,
    dask_address: str | None,
    wait: float,
    quiet: bool,
) -> IngestSummary:
    from poa_etl.cli.progress import bar
    from poa_etl.pipeline.run import ingest

    with bar(enabled=not quiet and err.is_terminal) as progress:
        return ingest(inputs, target, options=options, parallel=runner.value,
                      dask_address=dask_address, progress=progress, wait=wait)  # fmt: skip


def _run_flow(
    inputs: list[Path],
    target: Path,
    options: ReadOptions,
    runner: Runner,
    dask_address: str | None,
) -> IngestSummary:
    from flows import settings

    settings.configure(console_level="CRITICAL")
    from pydantic import SecretStr

    from flows.ingest import ingest_publications
    from flows.server import configured_server_problem

    if problem := configured_server_problem():
        fail(f"{problem} (unset PREFECT_API_URL to run without it)")
    state = ingest_publications(
        paths=[str(p) for p in inputs],
        warehouse_file=str(target),
        runner=runner.value,
        dask_address=dask_address,
        pdf_password=SecretStr(options.password) if options.password else None,
        max_pages=options.max_pages,
        max_seconds=options.max_seconds,
        return_state=True,
    )
    return state.result(raise_on_failure=False)


def _report(summary: IngestSummary, inputs: list[Path], quiet: bool) -> None:
    from poa_etl.pipeline.summary import quality_line, totals

    for f in summary.with_status("rejected"):
        err.print(Text.assemble(("rejected", "red"), f" {f.path}: {f.message}"), highlight=False)
    if summary.lake_error:
        error(summary.lake_error + " (the data is loaded; the next run retries)")
    if summary.checkpoint_error:
        error(summary.checkpoint_error)
    if quiet:
        return
    if not summary.files:
        listed = ", ".join(str(p) for p in inputs)
        say(f"no files to read in {listed}: nothing to load.")
        return
    _summary_table(summary)
    for where, reason in summary.quarantine:
        say(f"quarantined {where}: {reason}")
    say(totals(summary))
    if line := quality_line(summary):
        say(line)


def _summary_table(summary: IngestSummary) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=escape(f"poa ingest → {summary.warehouse}"), title_justify="left")
    table.add_column("file")
    for column in ("kind", "outcome"):
        table.add_column(column)
    for column in ("reports", "metas", "quarantined"):
        table.add_column(column, justify="right")
    styles = {"loaded": "green", "rejected": "red", "unchanged": "dim"}
    for f in summary.files:
        table.add_row(
            escape(str(f.path)),
            f.media_type,
            f"[{styles[f.status]}]{f.status}[/]",
            str(f.count("reports")),
            str(f.count("metas")),
            str(f.count("quarantine")),
        )
    show(table)


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
    from poa_etl.pipeline.plan import discover

    try:
        inputs = paths or [Path("data/raw")]
        discover(inputs)
    except UsageError as exc:
        fail(str(exc), EXIT_USAGE)
    from flows import settings

    settings.configure(console_level="INFO")
    from flows.server import serve_ingestion, server_problem

    if problem := server_problem():
        fail(problem)
    serve_ingestion(
        name=name,
        cron=cron,
        timezone=timezone,
        paths=[str(p.resolve()) for p in inputs],
        warehouse_file=str(resolve_path(warehouse_file).resolve()),
        runner=runner.value,
        dask_address=dask_address,
    )


def lake_command(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Rewrite every year of the lake from the warehouse.")
    ] = False,
    warehouse_file: WarehouseOption = None,
    wait: WaitOption = WAIT_WRITER,
) -> None:
    """Bring the Parquet lake beside the warehouse up to date (--rebuild: all of it)."""
    from poa_etl.store import lake, warehouse

    target = resolve_path(warehouse_file)
    if not target.exists():
        fail(f"no warehouse at {target}: run 'poa ingest' first")
    try:
        with warehouse.connect(target, wait=wait) as con:
            folder = lake.lake_dir(target)
            years = lake.rebuild(con, folder) if rebuild else lake.refresh_pending(con, folder)
    except WarehouseBusy as exc:
        fail(str(exc), EXIT_BUSY)
    except WarehouseError as exc:
        fail(str(exc))
    except lake.LakeError as exc:
        fail(str(exc), EXIT_LAKE)
    written = ", ".join(map(str, years)) or "none pending"
    say(f"lake {folder}: fiscal years written: {written}.")
