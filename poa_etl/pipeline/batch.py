"""A batch of files read, made ready to write: one publication per identity, validated
against the contract, rows counted per file. Imported only when a run has files to write
(it needs pandas and pandera)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from poa_etl.pipeline.results import FileResult
from poa_etl.transform.accounting import settle_counts
from poa_etl.transform.contract import validate
from poa_etl.transform.normalize import empty_tables
from schemas import TABLES


@dataclass
class Batch:
    sources: pd.DataFrame  # one row per file read, with its final status
    tables: dict[str, pd.DataFrame]  # the report tables, every row valid
    years: list[int]  # fiscal years the batch touches


def prepare(results: list[FileResult], run_id: str) -> Batch:
    """Validate the files read (loaded or rejected) and settle each file's outcome."""
    keep_last_copy_of_each_report(results)
    # The sources are checked as read, and built again after the rejections the contract
    # adds, so their statuses and reasons are the final ones.
    read = batch_tables(results)
    checked = validate(read, sources_frame(results, run_id))
    settle_counts(read, checked.tables)
    for result in results:
        if result.source_id in checked.rejected:
            result.status, result.message = "rejected", checked.rejected[result.source_id]
    _count_rows(results, checked.tables)
    years = sorted(set(checked.tables["reports"]["fiscal_year"].tolist()))
    return Batch(sources_frame(results, run_id), checked.tables, years)


def keep_last_copy_of_each_report(results: list[FileResult]) -> None:
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


def sources_frame(results: list[FileResult], run_id: str | None = None) -> pd.DataFrame:
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
            "run_id": run_id or None,
            "text_source": r.text_source,
        }
        for r in results
    )


def batch_tables(results: list[FileResult]) -> dict[str, pd.DataFrame]:
    """All loaded files' tables, one frame per table (private columns included)."""
    loaded = [r.tables for r in results if r.status == "loaded"] or [empty_tables(private=True)]
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
