"""Where the read-file tasks run: the task runner, chosen per batch or by the caller.

- ``auto``: one process per core when the batch holds enough PDF to repay starting them,
  else in the flow's own process;
- ``process``: always one process per core; ``threads``: in the flow's process;
- ``dask``: a Dask cluster — a LocalCluster, or the scheduler at ``dask_address`` to spread
  a large backlog over several machines.
"""

from __future__ import annotations

import os

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from poa_etl.ingest import Plan

RUNNERS = ("auto", "process", "threads", "dask")
# Below this much PDF to read, starting worker processes costs more than it saves.
PARALLEL_PDF_BYTES = 512 * 1024


def choose_runner(kind: str, batch: Plan, dask_address: str | None = None) -> TaskRunner:
    if kind not in RUNNERS:
        raise ValueError(f"unknown task runner {kind!r}: use one of {', '.join(RUNNERS)}")
    cores = os.cpu_count() or 1
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": cores, "threads_per_worker": 1, "dashboard_address": None}
        )
    pdf_bytes = sum(job.size for job in batch.to_read if job.media_type == "pdf")
    worth_it = len(batch.to_read) > 1 and pdf_bytes >= PARALLEL_PDF_BYTES
    if kind == "process" or (kind == "auto" and worth_it):
        return ProcessPoolTaskRunner(max_workers=max(1, min(cores, len(batch.to_read))))
    return ThreadPoolTaskRunner(max_workers=1)
