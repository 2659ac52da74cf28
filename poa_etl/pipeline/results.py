"""What a run did: one result per input file, and the run's summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

Status = Literal["loaded", "rejected", "unchanged"]


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
    text_source: str | None = None  # 'vector', 'ocr' or 'text' once read (sources.text_source)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # as read, before validation
    counts: dict[str, int] = field(default_factory=dict)  # rows loaded, by table

    def count(self, table: str) -> int:
        return self.counts.get(table, 0)


@dataclass
class IngestSummary:
    warehouse: Path
    files: list[FileResult]
    run_id: str = ""
    runner: str = "cli"
    started_at: datetime | None = None
    finished_at: datetime | None = None
    quarantine: list[tuple[str, str]] = field(default_factory=list)  # (location, reason)
    quality: dict[str, int] = field(default_factory=dict)  # issues by rule, years loaded
    lake_error: str | None = None  # the load committed, but the lake could not be refreshed
    checkpoint_error: str | None = None  # committed (in the WAL), but not checkpointed

    def with_status(self, status: Status) -> list[FileResult]:
        return [f for f in self.files if f.status == status]

    def total(self, table: str) -> int:
        return sum(f.count(table) for f in self.files)

    def unfinished(self) -> list[str]:
        """What the load committed but could not finish: the lake, the checkpoint."""
        return [e for e in (self.lake_error, self.checkpoint_error) if e]

    def exit_code(self, *, strict: bool = False) -> int:
        """0 every file was read; 1 one was rejected (or, strict, a row quarantined);
        4 the load committed but the Parquet lake or the checkpoint was not finished."""
        if self.with_status("rejected") or (strict and self.total("quarantine")):
            return 1
        return 4 if self.unfinished() else 0
