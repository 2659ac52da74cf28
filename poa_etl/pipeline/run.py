"""The pipeline as one library call: plan → read each new file → validate and load →
bring the lake up to date, with the run logged in ``ingest_runs``.

``poa ingest`` calls ``ingest`` in-process; the Prefect flow (``flows/``) runs the same
steps as tasks. Nothing here imports Prefect.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from poa_etl.extract import DEFAULTS, ReadOptions
from poa_etl.pipeline.plan import Plan, ReadJob, plan
from poa_etl.pipeline.results import FileResult, IngestSummary
from poa_etl.store.runs import new_run_id
from poa_etl.store.warehouse import WAIT_WRITER, interrupts_raised


class Progress:
    """What a caller may watch; the default watches nothing."""

    def planned(self, batch: Plan) -> None: ...

    def page(self, job: ReadJob, done: int, total: int) -> None: ...

    def read(self, result: FileResult) -> None: ...


def start(warehouse_path: Path, runner: str) -> IngestSummary:
    """A run's summary before anything happened: its id and start time."""
    started = datetime.now(UTC)
    return IngestSummary(
        warehouse_path, [], run_id=new_run_id(started), runner=runner, started_at=started
    )


def ingest(
    paths: list[Path],
    warehouse_path: Path,
    *,
    options: ReadOptions = DEFAULTS,
    parallel: str = "auto",
    dask_address: str | None = None,
    progress: Progress | None = None,
    runner: str = "cli",
    wait: float = WAIT_WRITER,
) -> IngestSummary:
    """Load what is new in ``paths`` into the warehouse at ``warehouse_path``; ``wait``:
    seconds to wait for other processes to release the warehouse."""
    from poa_etl.pipeline.load import load_batch

    watch = progress or Progress()
    summary = start(warehouse_path, runner)
    with interrupts_raised():
        batch = plan(paths, warehouse_path, wait)
    watch.planned(batch)
    read: list[FileResult] = []
    if batch.to_read:  # the readers import pandas and the front ends: only when needed
        from poa_etl.pipeline.pool import read_all

        for result in read_all(batch.to_read, options, parallel, watch.page, dask_address):
            read.append(result)
            watch.read(result)
    return load_batch(batch, read, summary, wait)
