"""The ``poa`` command: each command lives in the module of its stage and imports what it
needs when it runs, so ``poa --help`` and a quick query start in a fraction of a second."""

from __future__ import annotations

import typer

from poa_etl.cli import ingest, publish, query, report, status

app = typer.Typer(
    help="poa-etl: Mexicali POA physical-progress reports (TMM-F004) into DuckDB.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("ingest")(ingest.ingest_command)
app.command("sql")(query.sql_command)
app.command("quality")(query.quality_command)
app.command("compare-headers")(query.compare_headers_command)
app.command("status")(status.status_command)
app.command("export")(publish.export_command)
app.command("report")(report.report_command)
app.command("lake")(ingest.lake_command)
app.command("serve")(ingest.serve_command)
