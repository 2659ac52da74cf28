"""Step 2: read and normalize one new file. Pure but for reading it, and independent of
every other file, so files may be read in any order, in any process. Workers import this
module and what it needs only: the front ends and the normalizer."""

from __future__ import annotations

import time
from pathlib import Path

from poa_etl.errors import RejectedFile
from poa_etl.extract import DEFAULTS, PageProgress, ReadOptions, media_type, read_reports
from poa_etl.pipeline.plan import ReadJob
from poa_etl.pipeline.results import FileResult
from poa_etl.transform.normalize import normalize_file


def read_source(
    path: Path,
    data: bytes,
    source_id: str,
    options: ReadOptions = DEFAULTS,
    on_page: PageProgress | None = None,
) -> FileResult:
    """Parse and normalize one file's bytes; a rejection is a result, not an exception."""
    kind = media_type(path) or ""
    result = FileResult(path, kind, source_id, len(data), "loaded")
    try:
        if not data:
            raise RejectedFile("empty file (0 bytes)")
        reports, result.pages = read_reports(path.name, data, kind, options, on_page)
        result.tables = normalize_file(source_id, reports)
    except RejectedFile as exc:
        result.status, result.message = "rejected", str(exc)
    return result


IO_RETRIES = 2  # a disk or network share that failed once may answer a moment later
IO_RETRY_DELAY = 1.0  # seconds


def read_file(
    job: ReadJob, options: ReadOptions = DEFAULTS, on_page: PageProgress | None = None
) -> FileResult:
    """One new file, read from disk; an I/O error is retried, then raised."""
    for attempt in range(IO_RETRIES + 1):
        try:
            data = job.path.read_bytes()
            break
        except OSError:
            if attempt == IO_RETRIES:
                raise
            time.sleep(IO_RETRY_DELAY)
    return read_source(job.path, data, job.source_id, options, on_page)
