"""Where files are read: in this process, in a pool of worker processes, or on Dask.

Workers are spawned, import only ``poa_etl.pipeline.read`` (front ends and the
normalizer; never Prefect) and die with the process that started them, even when it is
killed (within ``PARENT_CHECK`` seconds). A pool is used only when the work is large enough
to repay starting it (``workload``).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from typing import Protocol

from poa_etl.extract import ReadOptions
from poa_etl.pipeline.plan import ReadJob, unreadable
from poa_etl.pipeline.read import read_file
from poa_etl.pipeline.results import FileResult
from poa_etl.pipeline.workload import worth_workers

RUNNERS = ("auto", "process", "threads", "dask")
PARENT_CHECK = 0.2  # seconds between a worker's checks that its parent is alive

OnPage = Callable[[ReadJob, int, int], None]


class Pending(Protocol):
    def result(self) -> FileResult: ...


Submit = Callable[[ReadJob, ReadOptions], Pending]


def workers_for(jobs: Sequence[ReadJob], runner: str) -> int:
    """How many worker processes to read ``jobs`` with; 0 reads them here."""
    if runner not in RUNNERS:
        raise ValueError(f"unknown runner {runner!r}: use one of {', '.join(RUNNERS)}")
    cores = os.cpu_count() or 1
    if runner == "process":
        return max(1, min(cores, len(jobs)))
    return worth_workers(jobs, cores) if runner == "auto" else 0


@contextmanager
def readers(
    jobs: Sequence[ReadJob],
    runner: str = "auto",
    dask_address: str | None = None,
    on_page: OnPage | None = None,
) -> Iterator[Submit]:
    """A ``submit(job, options)`` that reads a file where ``runner`` says; each pending
    read's ``result()`` is the file's result (an unreadable file is a rejection)."""
    if runner == "dask":
        with _dask_client(dask_address) as client:
            yield lambda job, options: _Guarded(job, client.submit(read_file, job, options,
                                                                   pure=False))  # fmt: skip
        return
    workers = workers_for(jobs, runner)
    if not workers:
        yield lambda job, options: _Guarded(job, _here(job, options, on_page))
        return
    pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"),
                               initializer=_die_with_parent, initargs=(os.getpid(),))  # fmt: skip
    try:
        yield lambda job, options: _Guarded(job, pool.submit(read_file, job, options))
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def read_all(
    jobs: Sequence[ReadJob],
    options: ReadOptions,
    runner: str = "auto",
    on_page: OnPage | None = None,
    dask_address: str | None = None,
) -> Iterator[FileResult]:
    """Each job's result, in job order."""
    with readers(jobs, runner, dask_address, on_page) as submit:
        pending = [submit(job, options) for job in jobs]
        for read in pending:
            yield read.result()


STOPPED = (
    "the process reading it stopped abruptly (killed, out of memory, or crashed), so it was "
    "not read; the next run reads it again"
)


class _Guarded:
    """A pending read whose I/O error, or the death of the worker process reading it (a
    pool breaks whole: every file still pending in it), becomes the file's rejection."""

    def __init__(self, job: ReadJob, future: Pending) -> None:
        self.job, self.future = job, future

    def result(self) -> FileResult:
        try:
            return self.future.result()
        except OSError as exc:
            return unreadable(self.job, exc)
        except BrokenExecutor:
            job = self.job
            return FileResult(job.path, job.media_type, job.source_id, job.size, "rejected",
                              STOPPED)  # fmt: skip


def _here(job: ReadJob, options: ReadOptions, on_page: OnPage | None) -> Future[FileResult]:
    """Read now, in this process, as a finished future."""
    future: Future[FileResult] = Future()
    report = (lambda done, total: on_page(job, done, total)) if on_page else None
    try:
        future.set_result(read_file(job, options, report))
    except OSError as exc:
        future.set_exception(exc)
    return future


def _stop(pool: ProcessPoolExecutor) -> None:
    """Interrupted: cancel what has not started and end the workers now."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


def _die_with_parent(parent: int) -> None:
    """In a worker: end as soon as the process that started it is gone, even killed with
    SIGKILL, and leave Ctrl-C to it.

    The parent is watched rather than asked for a death signal (``PR_SET_PDEATHSIG``): that
    signal follows the *thread* that spawned the worker, and a pool spawns workers from
    whichever thread submits (a Prefect task's), so they would die with that thread."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK)
        os._exit(1)

    threading.Thread(target=watch, name="poa-parent-watch", daemon=True).start()


@contextmanager
def _dask_client(address: str | None) -> Iterator[object]:
    """A Dask client: the scheduler at ``address``, else a local cluster of processes."""
    from dask.distributed import Client, LocalCluster

    if address:
        with Client(address) as client:
            yield client
        return
    cores = os.cpu_count() or 1
    with (
        LocalCluster(n_workers=cores, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        yield client
