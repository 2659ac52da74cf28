"""Processes the test session started and left running.

Every process started during the session inherits ``MARK`` in its environment, so one
that outlived its parent (reparented to init, its own session) is still found.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

MARK = "POA_TEST_SESSION"


def mark_session() -> str:
    """Mark this process's environment, inherited by everything it starts."""
    return os.environ.setdefault(MARK, uuid.uuid4().hex)


def _ancestry() -> set[int]:
    """This process and those it descends from: ``make test`` run by CI with the mark
    set carries it too, and is still running while pytest checks."""
    pids, pid = set(), os.getpid()
    while pid > 1 and pid not in pids:
        pids.add(pid)
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            break
        pid = int(stat.rsplit(")", 1)[1].split()[1])  # the name may hold spaces and ')'
    return pids


def survivors(session: str) -> list[str]:
    """``pid command`` of every other live process carrying this session's mark,
    apart from the ones this process runs under."""
    needle = f"{MARK}={session}".encode()
    found = []
    mine = _ancestry()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) in mine:
            continue
        try:
            if needle not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
            state = next(
                line.split()[1]
                for line in (proc / "status").read_text().splitlines()
                if line.startswith("State:")
            )
        except (OSError, StopIteration):
            continue  # gone meanwhile, or not ours to read
        # A zombie is already dead (its parent has not reaped it yet); multiprocessing's
        # resource tracker belongs to the session's own process and ends with it.
        if state != "Z" and "multiprocessing.resource_tracker" not in command:
            found.append(f"{proc.name} {command[:120]}")
    return found


if __name__ == "__main__":  # .ci/run: python tests/leaks.py SESSION
    import sys
    import time

    time.sleep(2)  # what make test stopped last may still be exiting
    if left := survivors(sys.argv[1]):
        print("processes started by the tests are still running:\n  " + "\n  ".join(left))
        sys.exit(1)
