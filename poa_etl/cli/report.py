"""``poa report``: the static HTML report of the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from poa_etl.cli.console import fail, say
from poa_etl.cli.options import EXIT_BUSY, EXIT_USAGE, WaitOption, WarehouseOption
from poa_etl.store.warehouse import WAIT_READER

# Our own queries: a per-statement cap generous for a warehouse of many years.
REPORT_TIMEOUT = 600.0


def report_command(
    year: Annotated[
        list[int] | None, typer.Option("--year", help="Fiscal year (repeatable) \\[default: all].")
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write.")] = Path("data/report"),
    warehouse_file: WarehouseOption = None,
    wait: WaitOption = WAIT_READER,
) -> None:
    """A static, offline HTML report: status and progress of every meta, charts, quality
    issues, what was not loaded, comparisons across years. Open OUT/index.html."""
    from poa_etl.errors import UsageError
    from poa_etl.publish.site import build
    from poa_etl.store import sql, warehouse
    from poa_etl.store.years import NoReports

    target = warehouse.resolve_path(warehouse_file)
    try:
        with sql.sealed(target, wait=wait, timeout=REPORT_TIMEOUT) as con:
            written = build.build(con, out_dir, year, target.name)
    except UsageError as exc:
        fail(str(exc), EXIT_USAGE)
    except warehouse.WarehouseBusy as exc:
        fail(str(exc), EXIT_BUSY)
    except (warehouse.WarehouseError, build.ReportError, NoReports) as exc:
        fail(str(exc))
    units = sum(1 for page in written if "/" in page and not page.endswith("index.html"))
    say(
        f"{len(written)} page(s), {units} unit page(s), in {out_dir}: open {out_dir / 'index.html'}"
    )
