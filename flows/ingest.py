"""The ``ingest-publications`` flow: plan, read each new file in its own task, load.

Orchestration only — every step is a plain ``poa_etl.pipeline`` function, the same ones
``poa ingest`` calls in-process. ``poa serve`` serves this flow on a schedule and
``poa ingest --prefect`` runs it once. Files are read in plain worker processes (or on
Dask) that never import Prefect; each read-file task waits for its file. A run with a
rejected file ends Failed, naming the files, so Prefect's automations can alert; what
loaded stays loaded.
"""

# No "from __future__ import annotations" here: Prefect builds the flow's parameter model
# from these annotations in served runs, where string annotations cannot be resolved.
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.states import Completed, Failed, State
from prefect.task_runners import ThreadPoolTaskRunner
from pydantic import SecretStr

from poa_etl.extract.options import DEFAULTS, ReadOptions
from poa_etl.pipeline import load, plan, pool, run, summary
from poa_etl.pipeline.plan import Plan, ReadJob
from poa_etl.pipeline.results import FileResult, IngestSummary
from poa_etl.store import warehouse

SUMMARY_ARTIFACT = "ingest-summary"
FILES_ARTIFACT = "ingest-files"
_submit: pool.Submit | None = None  # where read-file tasks send their file, for one run


@task(name="plan-batch")
def plan_batch(paths: list[Path], warehouse_path: Path) -> Plan:
    return plan.plan(paths, warehouse_path)


@task(name="read-file", task_run_name="read-file {job.path.name}")
def read_file(job: ReadJob, options: ReadOptions) -> FileResult:
    """One file, read where the run's runner says (an I/O error is retried there)."""
    if _submit is None:
        raise RuntimeError("read-file runs inside the ingest-publications flow only")
    return _submit(job, options).result()


@task(name="load-batch")
def load_batch(batch: Plan, read: list[FileResult], started: IngestSummary) -> IngestSummary:
    return load.load_batch(batch, read, started)


@flow(name="ingest-publications")
def ingest_publications(
    paths: list[str] | None = None,
    warehouse_file: str | None = None,
    runner: str = "auto",
    dask_address: str | None = None,
    pdf_password: SecretStr | None = None,
    max_pages: int = DEFAULTS.max_pages,
    max_seconds: float = DEFAULTS.max_seconds,
) -> State:
    """Load what is new in ``paths`` (default data/raw) into the warehouse."""
    global _submit
    target = warehouse.resolve_path(Path(warehouse_file) if warehouse_file else None)
    started = run.start(target, runner="prefect")
    batch = plan_batch([Path(p) for p in paths or ["data/raw"]], target)
    password = pdf_password.get_secret_value() if pdf_password else None
    options = ReadOptions(password, max_pages, max_seconds)
    threads = max(1, pool.workers_for(batch.to_read, runner) if runner != "dask" else 4)
    with pool.readers(batch.to_read, runner, dask_address) as submit:
        _submit = submit
        try:
            with ThreadPoolTaskRunner(max_workers=threads) as tasks:
                futures = [tasks.submit(read_file, {"job": job, "options": options})
                           for job in batch.to_read]  # fmt: skip
                read = [future.result() for future in futures]
        finally:
            _submit = None
    result = load_batch(batch, read, started)
    _publish(result)
    rejected = result.with_status("rejected")
    if rejected:
        names = ", ".join(str(f.path) for f in rejected[: summary.MAX_LISTED])
        more = len(rejected) - summary.MAX_LISTED
        return Failed(
            message=f"{len(rejected)} file(s) rejected: {names}"
            + (f" and {more} more" if more > 0 else "")
            + " (what else was read is loaded)",
            data=result,
        )
    if unfinished := result.unfinished():
        return Failed(message="; ".join(unfinished), data=result)
    return Completed(message=summary.totals(result), data=result)


def _publish(result: IngestSummary) -> None:
    """The run's logs and its two artifacts: the per-file table and the summary."""
    logger = get_run_logger()
    for line in summary.log_lines(result):
        logger.info(line)
    create_table_artifact(
        summary.file_rows(result), key=FILES_ARTIFACT, description="Each input file's outcome"
    )
    create_markdown_artifact(
        summary.markdown(result), key=SUMMARY_ARTIFACT, description="What this run loaded"
    )
