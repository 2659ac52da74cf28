"""Step 2: read and normalize one new file. Pure but for reading it, and independent of
every other file, so files may be read in any order, in any process. Workers import this
module and what it needs only: the front ends and the normalizer.

One file never stops a batch: a failure no rule foresaw while reading it rejects that
file alone, with a reason that says it is a bug of poa-etl and where it happened. Set
``POA_DEBUG=1`` to have such a failure raised with its traceback instead.
"""

from __future__ import annotations

import hashlib
import os
import time
import traceback
from pathlib import Path

from poa_etl.errors import RejectedFile
from poa_etl.extract import DEFAULTS, PageProgress, ReadOptions, media_type, read_reports
from poa_etl.pipeline.plan import EMPTY, ReadJob
from poa_etl.pipeline.results import FileResult
from poa_etl.report.form import RawReport
from poa_etl.transform.normalize import normalize_file

DEBUG = "POA_DEBUG"  # set (non-empty): raise unexpected errors instead of rejecting the file
_PACKAGE = Path(__file__).resolve().parents[1]


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
            raise RejectedFile(EMPTY)
        reports, result.pages = read_reports(path.name, data, kind, options, on_page)
        result.text_source = text_source(kind, reports)
        result.tables = normalize_file(source_id, reports)
    except RejectedFile as exc:
        result.status, result.message = "rejected", str(exc)
    except MemoryError:
        result.status, result.tables = "rejected", {}
        result.message = f"too large to read in the memory available ({len(data)} bytes)"
    except Exception as exc:
        if os.environ.get(DEBUG):
            raise
        result.status, result.message, result.tables = "rejected", unexpected(exc), {}
    return result


def text_source(kind: str, reports: list[RawReport]) -> str:
    """sources.text_source: OCR of a page image anywhere in the file, else a PDF's text
    layer, else text (a dump's or a spreadsheet's cells)."""
    if kind != "pdf":
        return "text"
    return "ocr" if any(r.by_ocr for r in reports) else "vector"


def unexpected(exc: BaseException) -> str:
    """A failure no rule foresaw, in one line: what, where in poa-etl, and what to do."""
    where = ""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        file = Path(frame.filename)
        if file.is_relative_to(_PACKAGE):
            where = f" at {file.relative_to(_PACKAGE.parent)}:{frame.lineno}"
            break
    detail = " ".join(str(exc).split())
    if len(detail) > 200:
        detail = detail[:200] + "…"
    return (
        f"unexpected error while reading it ({type(exc).__name__}: {detail}{where}); "
        f"this is a bug in poa-etl, not a known defect of the file: please report it "
        f"with the file (POA_DEBUG=1 shows the traceback)"
    )


CHANGED = "the file changed while this run read it; the next run reads it again"
IO_RETRIES = 2  # a disk or network share that failed once may answer a moment later
IO_RETRY_DELAY = 1.0  # seconds


def read_file(
    job: ReadJob, options: ReadOptions = DEFAULTS, on_page: PageProgress | None = None
) -> FileResult:
    """One new file, read from disk; an I/O error is retried, then raised. Its content
    must still be the one planned (``job.source_id``), or the file is not loaded under a
    digest that is not its own."""
    for attempt in range(IO_RETRIES + 1):
        try:
            data = job.path.read_bytes()
            break
        except OSError:
            if attempt == IO_RETRIES:
                raise
            time.sleep(IO_RETRY_DELAY)
    if hashlib.sha256(data).hexdigest() != job.source_id:
        return FileResult(job.path, job.media_type, job.source_id, job.size, "rejected", CHANGED)
    return read_source(job.path, data, job.source_id, options, on_page)
