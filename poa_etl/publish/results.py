"""What an export wrote, and the error that says why it could not."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


class ExportError(Exception):
    """What was asked cannot be exported; the message says why. Nothing was published."""


@dataclass(frozen=True)
class Written:
    """One published table: a CSV file, or a sheet of a workbook (``path`` the workbook)."""

    path: Path
    dataset: str
    fiscal_year: int | None  # None: every fiscal year exported
    rows: int
    bytes: int
    sha256: str

    @classmethod
    def of(cls, path: Path, dataset: str, fiscal_year: int | None, rows: int) -> Written:
        """A file as written now: its size and digest read from disk."""
        digest = hashlib.sha256()
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
        return cls(path, dataset, fiscal_year, rows, path.stat().st_size, digest.hexdigest())


@dataclass(frozen=True)
class Publication:
    """A complete export, swapped into ``out``."""

    out: Path
    format: str
    fiscal_years: tuple[int, ...]
    written: tuple[Written, ...]

    @property
    def rows(self) -> int:
        return sum(w.rows for w in self.written)
