"""A progress bar on stderr while files are read: files, and the pages of a long PDF."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from poa_etl.cli.console import err
from poa_etl.pipeline.plan import Plan, ReadJob
from poa_etl.pipeline.results import FileResult
from poa_etl.pipeline.run import Progress

LONG_PDF = 10  # pages: a PDF this long gets a bar of its own


class _Bars(Progress):
    def __init__(self, bars: RichProgress) -> None:
        self.bars = bars
        self.files: TaskID | None = None
        self.pages: dict[ReadJob, TaskID] = {}

    def planned(self, batch: Plan) -> None:
        if batch.to_read:
            self.files = self.bars.add_task("files read", total=len(batch.to_read))

    def page(self, job: ReadJob, done: int, total: int) -> None:
        if total < LONG_PDF:
            return
        if job not in self.pages:
            self.pages[job] = self.bars.add_task(f"  {job.path.name}", total=total)
        self.bars.update(self.pages[job], completed=done)

    def read(self, result: FileResult) -> None:
        if self.files is not None:
            self.bars.advance(self.files)
        for job, task in list(self.pages.items()):
            if job.path == result.path:
                self.bars.remove_task(task)
                del self.pages[job]


@contextmanager
def bar(*, enabled: bool) -> Iterator[Progress]:
    """The pipeline's progress drawn on a terminal; nothing when not ``enabled``."""
    if not enabled:
        yield Progress()
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with RichProgress(*columns, console=err, transient=True) as bars:
        yield _Bars(bars)
