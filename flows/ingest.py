"""The ``ingest-publications`` flow: plan, read each new file in its own task, load.

Orchestration only — the steps are ``poa_etl.ingest.plan / read_file / load_batch``.
``poa ingest`` runs this flow, and ``poa serve`` serves it on a schedule.
"""

# No "from __future__ import annotations" here: Prefect builds the flow's parameter model
# from these annotations in served runs, where string annotations cannot be resolved.
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.client.schemas.objects import TaskRun
from prefect.futures import PrefectFuture
from prefect.states import State
from prefect.tasks import Task
from pydantic import SecretStr

from flows.runners import choose_runner
from poa_etl import ingest, summary, warehouse
from poa_etl.ingest import FileResult, IngestSummary, Plan, ReadJob
from poa_etl.pdf_reader import DEFAULTS, PdfOptions

SUMMARY_ARTIFACT = "ingest-summary"


def _disk_failed(task: Task, task_run: TaskRun, state: State) -> bool:
    """Retry a read only when the disk failed; a malformed file is rejected once."""
    return isinstance(state.result(raise_on_failure=False), OSError)


@task(name="plan-batch")
def plan_batch(paths: list[Path], warehouse_path: Path) -> Plan:
    return ingest.plan(paths, warehouse_path)


@task(
    name="read-file",
    task_run_name="read-file {job.path.name}",
    retries=2,
    retry_delay_seconds=1,
    retry_condition_fn=_disk_failed,
)
def read_file(job: ReadJob, options: PdfOptions) -> FileResult:
    return ingest.read_file(job, options)


def _read_or_rejected(future: PrefectFuture[FileResult], job: ReadJob) -> FileResult:
    """A file still unreadable after its retries is rejected; the batch goes on."""
    try:
        return future.result()
    except OSError as exc:
        return ingest.unreadable(job, exc)


@task(name="load-batch")
def load_batch(batch: Plan, read: list[FileResult]) -> IngestSummary:
    return ingest.load_batch(batch, read)


@flow(name="ingest-publications")
def ingest_publications(
    paths: list[str] | None = None,
    warehouse_file: str | None = None,
    runner: str = "auto",
    dask_address: str | None = None,
    pdf_password: SecretStr | None = None,
    max_pages: int = DEFAULTS.max_pages,
    max_seconds: float = DEFAULTS.max_seconds,
) -> IngestSummary:
    """Load what is new in ``paths`` (default data/raw) into the warehouse."""
    target = warehouse.resolve_path(Path(warehouse_file) if warehouse_file else None)
    batch = plan_batch([Path(p) for p in paths or ["data/raw"]], target)
    password = pdf_password.get_secret_value() if pdf_password else None
    options = PdfOptions(password, max_pages, max_seconds)
    with choose_runner(runner, batch, dask_address) as parallel:
        futures = [
            parallel.submit(read_file, {"job": job, "options": options}) for job in batch.to_read
        ]
        read = [
            _read_or_rejected(future, job)
            for future, job in zip(futures, batch.to_read, strict=True)
        ]
    result = load_batch(batch, read)
    logger = get_run_logger()
    for line in summary.log_lines(result):
        logger.info(line)
    create_markdown_artifact(
        summary.markdown(result), key=SUMMARY_ARTIFACT, description="What this run loaded"
    )
    return result
