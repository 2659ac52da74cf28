"""``poa export``: datasets for the transparency portal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from poa_etl.cli.console import fail, out, say, show
from poa_etl.cli.options import EXIT_BUSY, WaitOption, WarehouseOption
from poa_etl.store.warehouse import WAIT_READER


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
    wait: WaitOption = WAIT_READER,
) -> None:
    """CSV datasets per fiscal year, a data dictionary and datapackage.json, for publication."""
    from rich.progress import Progress
    from rich.table import Table

    from poa_etl.publish import export
    from poa_etl.store import warehouse

    target = warehouse.resolve_path(warehouse_file)
    try:
        with (
            warehouse.connect(target, read_only=True, wait=wait) as con,
            Progress(console=out, transient=True, disable=not out.is_terminal) as bar,
        ):
            task = bar.add_task("Exporting", total=None)
            written = export.export(
                con, out_dir, year, latest_only=latest_only, excel=excel,
                progress=lambda _: bar.advance(task),
            )  # fmt: skip
    except warehouse.WarehouseBusy as exc:
        fail(str(exc), EXIT_BUSY)
    except (warehouse.WarehouseError, export.ExportError) as exc:
        fail(str(exc))
    table = Table("file", "rows", "bytes", title=f"poa export → {out_dir}", title_justify="left")
    for file in written:
        table.add_row(file.path.name, str(file.rows), str(file.bytes))
    show(table)
    say(
        f"{len(written)} CSV file(s), {sum(f.rows for f in written)} rows, with "
        f"{export.DICTIONARY} and {export.PACKAGE} in {out_dir}."
    )
