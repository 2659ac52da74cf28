"""Write the report folder: build it in a hidden sibling folder, then swap it in, so the
previous report stays whole until the new one is complete. Only a folder that is empty or
holds an earlier report (its marker file) is ever replaced."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from poa_etl.publish.site import data, pages
from poa_etl.store.years import chosen_years

MARKER = ".poa-report"


class ReportError(Exception):
    """The report cannot be written; the message says why."""


def build(
    con: duckdb.DuckDBPyConnection, out: Path, years: list[int] | None, source: str
) -> list[str]:
    """Write the report of ``years`` (default: every year) into ``out``; the pages written."""
    chosen = chosen_years(con, years)
    rendered = pages.render(data.gather(con, chosen), datetime.now(UTC), source)
    return sorted(write(rendered, out))


def write(rendered: Iterable[tuple[str, str]], out: Path) -> list[str]:
    """The pages into ``out``, swapped in whole; their paths."""
    if out.exists() and not out.is_dir():
        raise ReportError(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise ReportError(
            f"{out} holds files that are not a poa report: give an empty or new folder (--out)"
        )
    staging = out.with_name(f".{out.name}.new-{uuid.uuid4().hex[:8]}")
    names = []
    try:
        for name, html in rendered:
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
            names.append(name)
        (staging / MARKER).write_text("Written by poa report; replaced whole by the next one.\n")
        if out.exists():
            old = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:8]}")
            os.replace(out, old)
            os.replace(staging, out)
            shutil.rmtree(old)
        else:
            os.replace(staging, out)
    except BaseException as exc:  # nothing half-written stays behind, whatever stopped it
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise ReportError(
                f"cannot write the report into {out}: {exc.strerror or exc}"
            ) from None
        raise
    return names
