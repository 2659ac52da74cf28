"""The publication folder: an export writes only into a folder it owns, and swaps the new
publication in whole.

A folder is the export's when it is new or empty, or when it holds exactly a previous poa
export (its ``datapackage.json`` and the files that lists). Anything else — other files,
another data package, sub-folders — is refused; ``--replace`` allows replacing loose files,
never folders, the current folder or the warehouse. Replacing a previous export of other
fiscal years, or of another format, also needs ``--replace``: nothing is dropped silently.

The new publication is written into a hidden sibling folder (same file system),
``datapackage.json`` last, validated, and only then swapped in by two renames; the previous
publication stays whole until the new one is complete, and a failure leaves it untouched.
A crash between the two renames leaves the previous one whole beside the folder
(``.<name>.poa-old-*``); the next export puts it back before doing anything else.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from poa_etl.publish.package import OWNER, PACKAGE, PACKAGE_NAME
from poa_etl.publish.results import ExportError

T = TypeVar("T")
_LEGACY_YEAR = re.compile(r"-(\d{4})$")  # resource names of exports before OWNER was recorded


@dataclass(frozen=True)
class Previous:
    """The poa export a folder holds."""

    format: str
    fiscal_years: tuple[int, ...]
    files: frozenset[str]


def publish(
    out: Path,
    build: Callable[[Path], T],
    *,
    format: str,
    years: Sequence[int],
    replace: bool,
    keep: Sequence[Path] = (),
) -> T:
    """Run ``build`` on a fresh folder beside ``out`` and swap it in as ``out`` once it
    returns; on any failure that folder is removed and ``out`` is left as it was.
    ``keep``: paths that must never be inside ``out`` (the warehouse)."""
    _check_target(out, keep)
    target = out.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {out.parent}: {exc.strerror or exc}") from None
    with _locked(target.parent):
        _recover(target)
        _claim(out, format=format, years=years, replace=replace)
        staging = _sibling(target, "new")
        try:
            staging.mkdir()
        except OSError as exc:
            raise ExportError(
                f"cannot write beside {out} ({exc.strerror or exc}): poa export writes the new "
                "publication into a folder beside it, then swaps it in"
            ) from None
        try:
            result = build(staging)
            if target.exists():
                shutil.copymode(target, staging)
            _swap(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return result


def _check_target(out: Path, keep: Sequence[Path]) -> None:
    """Folders no export may ever replace."""
    for path in (out, *out.parents):
        if path.exists() and not path.is_dir():
            raise ExportError(f"{path} is a file, not a folder")
    target = out.resolve()
    if target == Path(target.anchor) or target in (Path.cwd().resolve(), *Path.cwd().parents):
        raise ExportError(f"{out} holds the current folder; export into a folder of its own")
    for path in keep:
        if path.resolve().is_relative_to(target):
            raise ExportError(f"{out} holds {path}; export into a folder of its own")


def _claim(out: Path, *, format: str, years: Sequence[int], replace: bool) -> None:
    """Refuse, with the reason, an ``out`` this export may not replace."""
    if not out.exists():
        return
    entries = sorted(out.iterdir())
    if folders := [e.name for e in entries if e.is_dir()]:
        raise ExportError(
            f"{out} holds folders ({_names(folders)}); poa export writes only into a folder "
            "of its own and never replaces folders, even with --replace"
        )
    if not entries or replace:
        return
    previous = _previous(out)
    if others := [e.name for e in entries if e.name not in previous.files | {PACKAGE}]:
        raise ExportError(
            f"{out} holds files that are not part of a poa export ({_names(others)}): export "
            "into an empty or new folder, or give --replace to replace them"
        )
    if previous.format != format:
        raise ExportError(
            f"{out} holds a {previous.format} export; this one is {format}: export into "
            "another folder, or give --replace to replace it"
        )
    if dropped := sorted(set(previous.fiscal_years) - set(years)):
        raise ExportError(
            f"{out} holds fiscal year(s) {', '.join(map(str, dropped))} that this export "
            f"({', '.join(map(str, years))}) would remove: export them too, or give "
            "--replace to publish only these"
        )


def _previous(out: Path) -> Previous:
    """The poa export in ``out``, or a refusal saying what the folder holds instead."""
    manifest = out / PACKAGE
    if not manifest.exists():
        return Previous("", (), frozenset())
    try:
        package = json.loads(manifest.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ExportError(
            f"{manifest} is not valid JSON ({exc}); give --replace to replace it"
        ) from None
    if not isinstance(package, dict) or package.get("name") != PACKAGE_NAME:
        name = package.get("name") if isinstance(package, dict) else None
        raise ExportError(
            f"{manifest} belongs to another data package ({name!r}); export into an empty "
            "folder or a previous poa export's folder, or give --replace to replace it"
        )
    resources = [r for r in package.get("resources", []) if isinstance(r, dict)]
    owner = package.get(OWNER) or {
        "format": "csv",
        "fiscal_years": sorted(
            {int(m.group(1)) for r in resources if (m := _LEGACY_YEAR.search(r.get("name", "")))}
        ),
    }
    files = frozenset(Path(str(r.get("path", ""))).name for r in resources)
    return Previous(owner.get("format", ""), tuple(owner.get("fiscal_years", ())), files)


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        return
    old = _sibling(target, "old")
    target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _recover(target: Path) -> None:
    """Finish what an interrupted export left: put back a previous publication moved aside,
    remove unfinished new ones and old ones already replaced."""
    for unfinished in target.parent.glob(f".{target.name}.poa-new-*"):
        shutil.rmtree(unfinished, ignore_errors=True)
    old = sorted(target.parent.glob(f".{target.name}.poa-old-*"), key=lambda p: p.stat().st_mtime)
    if old and not target.exists():
        old.pop().rename(target)
    for replaced in old:
        shutil.rmtree(replaced, ignore_errors=True)


def _sibling(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}.poa-{kind}-{secrets.token_hex(4)}"


@contextlib.contextmanager
def _locked(parent: Path) -> Iterator[None]:
    """One export at a time beside a folder: a second one is refused, not interleaved."""
    fd = os.open(parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExportError(f"another poa export is writing into {parent}") from None
        yield
    finally:
        os.close(fd)


def _names(names: list[str], shown: int = 5) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more
