"""Ingestion in three steps, orchestrated by the ``ingest-publications`` flow (flows/):

1. ``plan``: find the input files and set aside those already loaded (same sha256);
2. ``read_file``: parse and normalize one new file — pure but for reading it, and
   independent of every other file, so files are read in parallel;
3. ``load_batch``: validate the batch against the contract and write it in one
   transaction (one writer), re-run the quality rules for the years it touched, and
   rewrite those years in the Parquet lake.

A file is loaded whole or rejected whole; rows that break the structure are quarantined
and the rest of the file loads.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from poa_etl import lake, quality, warehouse
from poa_etl.errors import RejectedFile
from poa_etl.normalize import normalize_file
from poa_etl.pdf_reader import DEFAULTS, PdfOptions, read_pdf
from poa_etl.text_reader import read_text_dump
from poa_etl.validate import must_pass, validate
from schemas import TABLES

MEDIA_TYPES = {".txt": "text", ".pdf": "pdf"}

Status = Literal["loaded", "rejected", "unchanged"]


class UsageError(Exception):
    """A path given on the command line that cannot be ingested at all."""


@dataclass
class FileResult:
    """What happened to one input file."""

    path: Path
    media_type: str
    source_id: str
    size: int
    status: Status
    message: str | None = None  # rejection reason, or why the file was not read
    pages: int | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # as read, before validation
    counts: dict[str, int] = field(default_factory=dict)  # rows loaded, by table

    def count(self, table: str) -> int:
        return self.counts.get(table, 0)


@dataclass
class IngestSummary:
    warehouse: Path
    files: list[FileResult]
    quarantine: pd.DataFrame = field(default_factory=TABLES["quarantine"].frame)
    quality: dict[str, int] = field(default_factory=dict)  # issues by rule, years loaded

    def with_status(self, status: Status) -> list[FileResult]:
        return [f for f in self.files if f.status == status]

    def total(self, table: str) -> int:
        return sum(f.count(table) for f in self.files)

    def exit_code(self, *, strict: bool = False) -> int:
        """0 when every file was read; 1 when one was rejected (or, strict, a row quarantined)."""
        if self.with_status("rejected") or (strict and self.total("quarantine")):
            return 1
        return 0


def discover(paths: list[Path]) -> list[Path]:
    """The ``.pdf`` and ``.txt`` files named or found (recursively) in folders, in path order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in MEDIA_TYPES
            )
        elif path.is_file():
            if path.suffix.lower() not in MEDIA_TYPES:
                raise UsageError(f"{path}: not a .pdf or .txt file")
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return sorted(set(found))


@dataclass(frozen=True)
class ReadJob:
    path: Path
    source_id: str
    size: int
    media_type: str


@dataclass
class Plan:
    warehouse: Path
    files: list[Path]
    settled: list[FileResult]  # known without reading: unchanged, or unreadable
    to_read: list[ReadJob]


def read_source(
    path: Path, data: bytes, source_id: str, options: PdfOptions = DEFAULTS
) -> FileResult:
    """Parse and normalize one file's bytes; a rejection is a result, not an exception."""
    media_type = MEDIA_TYPES[path.suffix.lower()]
    result = FileResult(path, media_type, source_id, len(data), "loaded")
    try:
        if not data:
            raise RejectedFile("empty file (0 bytes)")
        if media_type == "pdf":
            reports, result.pages = read_pdf(path.name, data, options)
        else:
            reports = read_text_dump(path.name, data)
        result.tables = normalize_file(source_id, reports)
    except RejectedFile as exc:
        result.status, result.message = "rejected", str(exc)
    return result


def read_file(job: ReadJob, options: PdfOptions = DEFAULTS) -> FileResult:
    """Step 2: one new file, read from disk. An I/O error is raised (worth a retry)."""
    return read_source(job.path, job.path.read_bytes(), job.source_id, options)


def plan(paths: list[Path], warehouse_path: Path) -> Plan:
    """Step 1: the input files, and which of them are new (an unchanged file is not read)."""
    files = discover(paths)
    with warehouse.connect(warehouse_path) as con:
        loaded = warehouse.loaded_source_ids(con)
    settled: list[FileResult] = []
    to_read: list[ReadJob] = []
    first_path: dict[str, Path] = {}
    for path in files:
        kind = MEDIA_TYPES[path.suffix.lower()]
        try:
            data = path.read_bytes()
        except OSError as exc:
            size = path.stat().st_size
            settled.append(unreadable(ReadJob(path, _path_id(path), size, kind), exc))
            continue
        source_id = hashlib.sha256(data).hexdigest()
        if source_id in loaded or source_id in first_path:
            earlier = first_path.get(source_id)
            note = f"same content as {earlier}" if earlier else "already loaded"
            settled.append(FileResult(path, kind, source_id, len(data), "unchanged", note))
        else:
            first_path[source_id] = path
            to_read.append(ReadJob(path, source_id, len(data), kind))
    return Plan(warehouse_path, files, settled, to_read)


def unreadable(job: ReadJob, error: OSError) -> FileResult:
    """A file the disk would not give us, rejected with the reason."""
    reason = f"cannot be read: {error.strerror or error}"
    return FileResult(job.path, job.media_type, job.source_id, job.size, "rejected", reason)


def _path_id(path: Path) -> str:
    """The id of a file whose content could not be read: the sha256 of its path."""
    return hashlib.sha256(f"unreadable:{path.resolve()}".encode()).hexdigest()


def load_batch(batch: Plan, read: list[FileResult]) -> IngestSummary:
    """Step 3: validate what was read and write it, in one transaction."""
    by_path = {r.path: r for r in [*batch.settled, *read]}
    ordered = [by_path[path] for path in batch.files]
    _keep_last_copy_of_each_report(ordered)
    with warehouse.connect(batch.warehouse) as con:
        return load(con, IngestSummary(batch.warehouse, ordered))


def load(con: duckdb.DuckDBPyConnection, summary: IngestSummary) -> IngestSummary:
    """Validate the files read into ``summary`` against the contract and write them."""
    written = [r for r in summary.files if r.status in ("loaded", "rejected")]
    if not written:
        return summary
    # The sources are checked as read; they are written (below) after the rejections the
    # contract adds, so their statuses and reasons are the final ones.
    checked = validate(batch_tables(written), sources_frame(written))
    for result in written:
        if result.source_id in checked.rejected:
            result.status, result.message = "rejected", checked.rejected[result.source_id]
    _count_rows(written, checked.tables)
    years = sorted(set(checked.tables["reports"]["fiscal_year"].tolist()))
    with warehouse.transaction(con):
        warehouse.write(con, sources_frame(written), checked.tables)
        issues = quality.find_issues(con, years)
        must_pass("quality_issues", issues)
        warehouse.replace_quality_issues(con, years, issues)
    lake.refresh(con, lake.lake_dir(summary.warehouse), years)
    summary.quarantine = checked.tables["quarantine"]
    summary.quality = issues["rule"].value_counts().sort_index().to_dict()
    return summary


def _keep_last_copy_of_each_report(results: list[FileResult]) -> None:
    """Two files of one batch may carry the same publication (a PDF and its text dump):
    as when ingested one after the other, the later file in path order provides it."""
    later: set[str] = set()
    for result in reversed(results):
        if result.status != "loaded":
            continue
        mine = set(result.tables["reports"]["report_id"])
        if mine & later:
            result.tables = {
                name: df[~df["report_id"].isin(later)] for name, df in result.tables.items()
            }
        later |= mine


def sources_frame(results: list[FileResult]) -> pd.DataFrame:
    """The sources rows of the files read (loaded or rejected), stamped now."""
    now = datetime.now(UTC)
    return TABLES["sources"].frame(
        {
            "source_id": r.source_id,
            "path": str(r.path),
            "media_type": r.media_type,
            "bytes": r.size,
            "pages": r.pages,
            "status": r.status,
            "error": r.message,
            "ingested_at": now,
        }
        for r in results
    )


def batch_tables(results: list[FileResult]) -> dict[str, pd.DataFrame]:
    """All loaded files' tables, one frame per table (private columns included)."""
    loaded = [r.tables for r in results if r.status == "loaded"] or [normalize_file("", [])]
    return {name: pd.concat([t[name] for t in loaded], ignore_index=True) for name in loaded[0]}


def _count_rows(results: list[FileResult], tables: dict[str, pd.DataFrame]) -> None:
    """Rows loaded per file, after validation."""
    source_of = dict(
        zip(tables["reports"]["report_id"], tables["reports"]["source_id"], strict=True)
    )
    for name, frame in tables.items():
        sources = frame["source_id"] if "source_id" in frame else frame["report_id"].map(source_of)
        per_source = sources.value_counts().to_dict()
        for result in results:
            result.counts[name] = per_source.get(result.source_id, 0)
