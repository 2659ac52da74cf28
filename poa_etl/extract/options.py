"""What a caller may set when files are read: kept apart from the readers, so that the
command line and the flows can name the defaults without importing a PDF library."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PageProgress = Callable[[int, int], None]  # (pages read so far, pages in the file)


@dataclass(frozen=True)
class ReadOptions:
    """The password of encrypted PDFs, and limits per file."""

    password: str | None = None
    max_pages: int = 500
    max_seconds: float = 300.0


DEFAULTS = ReadOptions()
