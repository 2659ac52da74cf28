"""Ingestion: find input files, read the new ones, load them in one batch.

Reading (``read_source``) is pure: bytes in, tables or a rejection out. Only ``ingest``
touches the disk and the warehouse. A file is loaded whole or rejected whole; rows that
break the structure are quarantined and the rest of the file loads.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from poa_etl import quality, warehouse
from poa_etl.errors import RejectedFile
from poa_etl.normalize import normalize_file
from poa_etl.pdf_reader import PdfOptions, read_pdf
from poa_etl.text_reader import read_text_dump
from poa_etl.validate import must_pass, validate
from schemas import TABLES

MEDIA_TYPES = {".txt": "text", ".pdf": "pdf"}
# Below this much PDF to read, starting worker processes costs more than it saves.
PARALLEL_PDF_BYTES = 512 * 1024

Status = Literal["loaded", "rejected", "unchanged"]


@dataclass(frozen=True)
class ReadOptions:
    pdf: PdfOptions = field(default_factory=PdfOptions)
    workers: int | None = None  # processes reading files; None: every core, when worth it


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


def read_source(
    path: Path, data: bytes, source_id: str, options: ReadOptions = ReadOptions()
) -> FileResult:
    """Parse and normalize one file; a rejection is a result, not an exception."""
    media_type = MEDIA_TYPES[path.suffix.lower()]
    result = FileResult(path, media_type, source_id, len(data), "loaded")
    try:
        if not data:
            raise RejectedFile("empty file (0 bytes)")
        if media_type == "pdf":
            reports, result.pages = read_pdf(path.name, data, options.pdf)
        else:
            reports = read_text_dump(path.name, data)
        result.tables = normalize_file(source_id, reports)
    except RejectedFile as exc:
        result.status, result.message = "rejected", str(exc)
    return result


def ingest(
    paths: list[Path], warehouse_path: Path, options: ReadOptions = ReadOptions()
) -> IngestSummary:
    """Read what is new under ``paths``; validate and load it in one transaction."""
    files = discover(paths)
    with warehouse.connect(warehouse_path) as con:
        loaded = warehouse.loaded_source_ids(con)
    results: dict[Path, FileResult] = {}
    to_read: list[tuple[Path, str]] = []
    first_path: dict[str, Path] = {}
    for path in files:
        data = path.read_bytes()
        source_id = hashlib.sha256(data).hexdigest()
        if source_id in loaded or source_id in first_path:
            earlier = first_path.get(source_id)
            note = f"same content as {earlier}" if earlier else "already loaded"
            kind = MEDIA_TYPES[path.suffix.lower()]
            results[path] = FileResult(path, kind, source_id, len(data), "unchanged", note)
        else:
            first_path[source_id] = path
            to_read.append((path, source_id))
    for result in _read_all(to_read, options):
        results[result.path] = result
    ordered = [results[path] for path in files]
    _keep_last_copy_of_each_report(ordered)
    with warehouse.connect(warehouse_path) as con:
        return load(con, IngestSummary(warehouse_path, ordered))


def _read_all(jobs: list[tuple[Path, str]], options: ReadOptions) -> Iterator[FileResult]:
    """Read files, in worker processes when there is enough PDF to make it worth it."""
    workers = options.workers
    if workers is None:
        pdf_bytes = sum(p.stat().st_size for p, _ in jobs if MEDIA_TYPES[p.suffix.lower()] == "pdf")
        workers = os.cpu_count() or 1 if pdf_bytes >= PARALLEL_PDF_BYTES else 1
    workers = min(workers, len(jobs))
    if workers <= 1:
        yield from (_read_job(path, source_id, options) for path, source_id in jobs)
        return
    # forkserver: workers start from a clean process that has imported poa-etl once
    # (forking this one, which may hold DuckDB threads, would not be safe).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["poa_etl.ingest"])
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield from pool.map(_read_job, *zip(*jobs, strict=True), [options] * len(jobs))


def _read_job(path: Path, source_id: str, options: ReadOptions) -> FileResult:
    return read_source(path, path.read_bytes(), source_id, options)


def load(con: duckdb.DuckDBPyConnection, summary: IngestSummary) -> IngestSummary:
    """Validate the files read into ``summary`` against the contract and write them."""
    written = [r for r in summary.files if r.status in ("loaded", "rejected")]
    if not written:
        return summary
    checked = validate(_batch_tables(written), _sources_frame(written))
    for result in written:
        if result.source_id in checked.rejected:
            result.status, result.message = "rejected", checked.rejected[result.source_id]
    _count_rows(written, checked.tables)
    years = sorted(set(checked.tables["reports"]["fiscal_year"].tolist()))
    with warehouse.transaction(con):
        warehouse.write(con, _sources_frame(written), checked.tables)
        issues = quality.find_issues(con, years)
        must_pass("quality_issues", issues)
        warehouse.replace_quality_issues(con, years, issues)
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


def _sources_frame(results: list[FileResult]) -> pd.DataFrame:
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


def _batch_tables(results: list[FileResult]) -> dict[str, pd.DataFrame]:
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
