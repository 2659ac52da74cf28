"""Step 3: write what was read, with the run's log row, in one transaction (one writer);
then bring the Parquet lake up to date.

A file is loaded whole or rejected whole; rows that break the structure are quarantined
and the rest of the file loads. A run with nothing new to write needs neither pandas nor
pandera: it logs itself and finishes any lake refresh an earlier run left pending.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from poa_etl.errors import LoadedThenInterrupted
from poa_etl.pipeline.plan import Plan
from poa_etl.pipeline.results import FileResult, IngestSummary
from poa_etl.store import lake, runs, warehouse
from poa_etl.store.warehouse import one_line


def load_batch(
    batch: Plan,
    read: list[FileResult],
    summary: IngestSummary,
    wait: float = warehouse.WAIT_WRITER,
) -> IngestSummary:
    """Write what was read, log the run, refresh the lake and checkpoint the warehouse.

    A failure before the commit raises ``WarehouseError`` (nothing of the run is loaded);
    one after it is reported in ``summary.lake_error`` or ``summary.checkpoint_error``: the
    data is committed and the next run finishes the rest. Interrupted after the commit,
    ``LoadedThenInterrupted`` says so."""
    by_path = {r.path: r for r in [*batch.settled, *read]}
    summary.files = [by_path[path] for path in batch.files]
    with warehouse.connect(batch.warehouse, wait=wait) as con:
        try:
            with warehouse.interrupts_raised():
                load(con, summary)
        except duckdb.Error as exc:
            raise warehouse.WarehouseError(
                f"the warehouse {batch.warehouse} could not be written ({one_line(exc)}): "
                f"nothing of this run was loaded"
            ) from None
        try:
            with warehouse.interrupts_raised():
                try:
                    lake.refresh_pending(con, lake.lake_dir(batch.warehouse))
                except lake.LakeError as exc:
                    summary.lake_error = str(exc)
                summary.checkpoint_error = warehouse.checkpoint(con, batch.warehouse)
        except KeyboardInterrupt:
            raise LoadedThenInterrupted from None
    return summary


def load(con: duckdb.DuckDBPyConnection, summary: IngestSummary) -> IngestSummary:
    """Validate the files read into ``summary`` and write them with the run's row."""
    written = [r for r in summary.files if r.status in ("loaded", "rejected")]
    prepared = None
    if written:
        from poa_etl.pipeline.batch import prepare

        reject_unknown_ocr_headers(con, written)
        prepared = prepare(written, summary.run_id)
    with warehouse.transaction(con):
        if prepared is not None:
            from poa_etl.transform import quality
            from poa_etl.transform.contract import must_pass

            warehouse.write(con, prepared.sources, prepared.tables)
            issues = quality.find_issues(con, prepared.years)
            must_pass("quality_issues", issues)
            warehouse.replace_quality_issues(con, prepared.years, issues)
            summary.quality = issues["rule"].value_counts().sort_index().to_dict()
            quarantine = prepared.tables["quarantine"]
            summary.quarantine = list(
                zip(quarantine["location"], quarantine["reason"], strict=True)
            )
            lake.mark_pending(con, prepared.years)
        summary.finished_at = datetime.now(UTC)
        runs.record_run(con, run_row(summary))
    return summary


def reject_unknown_ocr_headers(con: duckdb.DuckDBPyConnection, results: list[FileResult]) -> None:
    """Files read by OCR whose header does not match what loads from text hold are
    rejected (``transform.known_headers``)."""
    scanned = [r for r in results if r.status == "loaded" and r.text_source == "ocr"]
    if not scanned:
        return
    from poa_etl.transform.known_headers import known_headers, rejection

    batch = [r.tables for r in results if r.status == "loaded" and r.text_source != "ocr"]
    known = known_headers(con, batch)
    for result in scanned:
        alignments = result.tables["report_alignments"]
        reasons = (
            rejection(report, alignments[alignments["report_id"] == report["report_id"]], known)
            for report in result.tables["reports"].to_dict("records")
        )
        if reason := next(filter(None, reasons), None):
            result.status, result.message, result.tables = "rejected", reason, {}


def run_row(summary: IngestSummary) -> dict[str, object]:
    """The run's ``ingest_runs`` row."""
    return {
        "run_id": summary.run_id,
        "started_at": summary.started_at,
        "finished_at": summary.finished_at,
        "runner": summary.runner,
        "files_seen": len(summary.files),
        "files_unchanged": len(summary.with_status("unchanged")),
        "files_loaded": len(summary.with_status("loaded")),
        "files_rejected": len(summary.with_status("rejected")),
        "reports": summary.total("reports"),
        "quarantined_rows": summary.total("quarantine"),
    }
