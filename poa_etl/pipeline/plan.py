"""Step 1: the input files, and which of them are new.

A file whose content (sha256) is already loaded is not read again; two files with one
content in a batch are read once. Planning holds the warehouse only to list what is
loaded, so files are read while other processes may use it.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from poa_etl.errors import UsageError
from poa_etl.extract import MEDIA_TYPES, media_type
from poa_etl.pipeline.results import FileResult
from poa_etl.store import warehouse

EMPTY = "empty file (0 bytes)"


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
    order.

    Inside a folder no symbolic link to a folder is followed, so a link to ``/etc`` or to a
    parent is never walked; a folder named on the command line must be the folder itself.
    A link to a file is read like the file. What is not a regular file (a FIFO, a broken
    link) is listed here and rejected by ``plan`` with what it is, never read.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            if path.is_symlink():
                raise UsageError(
                    f"{path}: a symbolic link to the folder {os.path.realpath(path)}; links to "
                    f"folders are not followed: name the folder itself"
                )
            found.extend(_walk(path))
        elif not media_type(path) and (path.exists() or path.is_symlink()):
            kinds = ", ".join(MEDIA_TYPES)
            raise UsageError(f"{path}: not a file poa-etl reads ({kinds})")
        elif problem := not_a_file(path):
            raise UsageError(f"{path}: {problem}")
        else:
            found.append(path)
    return sorted(set(found))


def _walk(folder: Path) -> Iterator[Path]:
    """Files of a kind poa-etl reads under ``folder``, without following links to folders;
    a folder that cannot be listed stops the run rather than being skipped in silence."""

    def unlistable(error: OSError) -> None:
        raise UsageError(f"{error.filename}: cannot be listed: {error.strerror or error}")

    for parent, _, names in os.walk(folder, onerror=unlistable):
        yield from (Path(parent, n) for n in names if media_type(Path(n)))


def not_a_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file (it is missing, a FIFO, a broken link…), or
    None for a regular file or a link to one."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"a broken symbolic link (to {os.readlink(path)})"
        return "no such file or folder"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    kinds = {
        stat.S_ISFIFO: "a FIFO (named pipe)",
        stat.S_ISSOCK: "a socket",
        stat.S_ISCHR: "a device",
        stat.S_ISBLK: "a device",
        stat.S_ISDIR: "a folder",
    }
    what = next((name for test, name in kinds.items() if test(mode)), "a special file")
    return f"{what}, not a regular file: it is not read"


def plan(paths: list[Path], warehouse_path: Path, wait: float = warehouse.WAIT_WRITER) -> Plan:
    """The input files, and which of them are new (an unchanged file is not read)."""
    files = discover(paths)
    loaded = warehouse.loaded_source_ids(warehouse_path, wait)
    settled: list[FileResult] = []
    to_read: list[ReadJob] = []
    first_path: dict[str, Path] = {}
    for path in files:
        kind = media_type(path) or ""
        if problem := not_a_file(path):
            settled.append(_rejected(path, kind, 0, problem))
            continue
        try:
            job = read_job(path)
        except OSError as exc:
            settled.append(unreadable(ReadJob(path, path_id(path), _size(path), kind), exc))
            continue
        source_id, size = job.source_id, job.size
        if not size:  # not content: every empty file is rejected, none "unchanged"
            settled.append(_rejected(path, kind, 0, EMPTY))
            continue
        if source_id in loaded or source_id in first_path:
            earlier = first_path.get(source_id)
            note = f"same content as {earlier}" if earlier else "already loaded"
            settled.append(FileResult(path, kind, source_id, size, "unchanged", note))
        else:
            first_path[source_id] = path
            to_read.append(job)
    return Plan(warehouse_path, files, settled, to_read)


def read_job(path: Path) -> ReadJob:
    """A file to read: its sha256, hashed as it streams (no file is held whole), its size
    and media type. Raises ``OSError`` when it cannot be read."""
    with path.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
        return ReadJob(path, digest, file.tell(), media_type(path) or "")


def unreadable(job: ReadJob, error: OSError) -> FileResult:
    """A file the disk would not give us, rejected with the reason."""
    return _rejected(
        job.path, job.media_type, job.size, f"cannot be read: {error.strerror or error}"
    )


def _rejected(path: Path, kind: str, size: int, reason: str) -> FileResult:
    return FileResult(path, kind, path_id(path), size, "rejected", reason)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def path_id(path: Path) -> str:
    """The id of a file without content of its own (unreadable, empty, not a file): the
    sha256 of its path, so that each such file has its own row in ``sources``."""
    return hashlib.sha256(f"unreadable:{path.resolve()}".encode()).hexdigest()
