"""Step 1: the input files, and which of them are new.

A file whose content (sha256) is already loaded is not read again; two files with one
content in a batch are read once. Planning holds the warehouse only to list what is
loaded, so files are read while other processes may use it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from poa_etl.errors import UsageError
from poa_etl.extract import MEDIA_TYPES, media_type
from poa_etl.pipeline.results import FileResult
from poa_etl.store import warehouse


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


def discover(paths: list[Path]) -> list[Path]:
    """The files of a kind poa-etl reads, named or found (recursively) in folders, in path
    order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in path.rglob("*") if p.is_file() and media_type(p))
        elif path.is_file():
            if not media_type(path):
                kinds = ", ".join(MEDIA_TYPES)
                raise UsageError(f"{path}: not a file poa-etl reads ({kinds})")
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return sorted(set(found))


def plan(paths: list[Path], warehouse_path: Path, wait: float = warehouse.WAIT_WRITER) -> Plan:
    """The input files, and which of them are new (an unchanged file is not read)."""
    files = discover(paths)
    loaded = warehouse.loaded_source_ids(warehouse_path, wait)
    settled: list[FileResult] = []
    to_read: list[ReadJob] = []
    first_path: dict[str, Path] = {}
    for path in files:
        kind = media_type(path) or ""
        try:
            data = path.read_bytes()
        except OSError as exc:
            size = path.stat().st_size
            settled.append(unreadable(ReadJob(path, path_id(path), size, kind), exc))
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


def path_id(path: Path) -> str:
    """The id of a file whose content could not be read: the sha256 of its path."""
    return hashlib.sha256(f"unreadable:{path.resolve()}".encode()).hexdigest()
