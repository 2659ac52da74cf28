"""``poa export``: a publication for the transparency portal and office."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from poa_etl.cli.console import fail, out, say, show
from poa_etl.cli.options import EXIT_BUSY, EXIT_USAGE, WaitOption, WarehouseOption
from poa_etl.store.warehouse import WAIT_READER


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    sipot = "sipot"


# Where each format goes unless --out says otherwise: one folder per format, so that
# publishing all three never means replacing one with another.
DEFAULT_OUT = {
    ExportFormat.csv: Path("data/export"),
    ExportFormat.xlsx: Path("data/export-xlsx"),
    ExportFormat.sipot: Path("data/export-sipot"),
}


def export_command(
    year: Annotated[
        list[int] | None, typer.Option("--year", help="Fiscal year (repeatable) \\[default: all].")
    ] = None,
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            help="csv: files for the open-data portal; xlsx: one workbook; sipot: the "
            "quarterly transparency upload.",
        ),
    ] = ExportFormat.csv,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder to publish into \\[default: data/export, data/export-xlsx, "
            "data/export-sipot].",
            show_default=False,
        ),
    ] = None,
    latest_only: Annotated[
        bool, typer.Option("--latest-only", help="Only each unit-year's latest publication.")
    ] = False,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV in UTF-8 with BOM, so Excel shows the accents.")
    ] = False,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace what the folder holds: other files, or a previous export of other "
            "years or another format.",
        ),
    ] = False,
    sipot_layout: Annotated[
        Path | None,
        typer.Option("--sipot-layout", help="Your own SIPOT layout (YAML) \\[default: shipped]."),
    ] = None,
    warehouse_file: WarehouseOption = None,
    wait: WaitOption = WAIT_READER,
) -> None:
    """Publish the warehouse: CSV datasets, an xlsx workbook or the SIPOT layout, each with
    datapackage.json, swapped in whole."""
    from rich.markup import escape
    from rich.progress import Progress
    from rich.table import Table

    from poa_etl.errors import UsageError
    from poa_etl.publish import export
    from poa_etl.publish.csv_export import DICTIONARY
    from poa_etl.publish.package import PACKAGE
    from poa_etl.publish.results import ExportError
    from poa_etl.store import warehouse
    from poa_etl.store.years import NoReports

    target = warehouse.resolve_path(warehouse_file)
    folder = out_dir or DEFAULT_OUT[format]
    try:
        with (
            warehouse.connect(target, read_only=True, wait=wait) as con,
            Progress(console=out, transient=True, disable=not out.is_terminal) as bar,
        ):
            task = bar.add_task("Exporting", total=None)
            done = export.export(
                con, folder, year, format=format.value, latest_only=latest_only, excel=excel,
                overwrite=replace, sipot_layout=sipot_layout, keep=(target,),
                progress=lambda _: bar.advance(task),
            )  # fmt: skip
    except UsageError as exc:
        fail(str(exc), EXIT_USAGE)
    except warehouse.WarehouseBusy as exc:
        fail(str(exc), EXIT_BUSY)
    except (warehouse.WarehouseError, ExportError, NoReports) as exc:
        fail(str(exc))
    table = Table("file", "sheet", "rows", "bytes", title=escape(f"poa export → {folder}"),
                  title_justify="left")  # fmt: skip
    for file in done.written:
        sheet = file.dataset if file.path.suffix == ".xlsx" else ""
        table.add_row(file.path.name, sheet, str(file.rows), str(file.bytes))
    show(table)
    if done.format == "csv":
        say(
            f"{len(done.written)} CSV file(s), {done.rows} rows, with {DICTIONARY} and "
            f"{PACKAGE} in {folder}."
        )
    else:
        say(
            f"{done.written[0].path.name}: {len(done.written)} sheet(s), {done.rows} rows, with "
            f"{PACKAGE} in {folder}."
        )
