"""The session's leak check (``tests/leaks.py``, run by ``conftest.pytest_sessionfinish``)
finds a process a test started and left running, even one that left its parent's session;
and nothing else."""

from __future__ import annotations

import os
import subprocess
import sys

from leaks import MARK, survivors

SLEEP = [sys.executable, "-c", "import time; time.sleep(60)"]


def test_a_detached_child_is_found_until_it_ends() -> None:
    session = os.environ[MARK]
    before = set(survivors(session))  # the session's Prefect server, when test_flows ran
    child = subprocess.Popen(SLEEP, start_new_session=True)
    try:
        assert set(survivors(session)) - before == {f"{child.pid} {' '.join(SLEEP)}"}
    finally:
        child.kill()
        child.wait(timeout=10)
    assert set(survivors(session)) == before


def test_a_process_of_another_session_is_not_ours() -> None:
    before = set(survivors(os.environ[MARK]))
    child = subprocess.Popen(SLEEP, env={**os.environ, MARK: "another-session"})
    try:
        assert set(survivors(os.environ[MARK])) == before
        assert survivors("another-session") == [f"{child.pid} {' '.join(SLEEP)}"]
    finally:
        child.kill()
        child.wait(timeout=10)


def test_the_processes_the_check_runs_under_are_not_leaks() -> None:
    # As in CI: `make test` carries the mark it hands pytest, and is alive while pytest
    # checks. Here a shell with the mark runs the check; the shell is not reported.
    check = "import sys; from leaks import survivors; print(survivors(sys.argv[1]))"
    shell = subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -c "{check}" parent-session; true'],
        env={**os.environ, MARK: "parent-session"},
        cwd=os.path.dirname(__file__),
        capture_output=True,
        text=True,
        check=True,
    )
    assert shell.stdout == "[]\n"
