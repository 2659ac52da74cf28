"""Shared fixtures: the real sample and a warehouse loaded once, through the library.

Tests of the Prefect flow get one real Prefect server for the session from
``prefect_server`` (``tests/prefect_harness.py``); nothing else starts Prefect.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

# Prefect reads its settings when imported: set them before anything imports it.
PREFECT_HOME = Path(tempfile.mkdtemp(prefix="poa-prefect-"))
os.environ.update(
    PREFECT_HOME=str(PREFECT_HOME),
    PREFECT_SERVER_ANALYTICS_ENABLED="false",
    DO_NOT_TRACK="1",
    PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL="CRITICAL",
    # A flow run without the session's server must fail, never start a temporary server of
    # its own that could outlive the run (Prefect's default, pinned against a user profile).
    PREFECT_SERVER_EPHEMERAL_ENABLED="false",
)
os.environ.pop("PREFECT_API_URL", None)
# An error no rule foresaw while reading a file raises with its traceback, rather than
# rejecting the file as a bug of poa-etl: in tests a bug must fail loudly.
os.environ["POA_DEBUG"] = "1"

import duckdb  # noqa: E402
import pytest  # noqa: E402
from leaks import mark_session, survivors  # noqa: E402

from poa_etl.pipeline.results import IngestSummary  # noqa: E402
from poa_etl.pipeline.run import ingest  # noqa: E402

SESSION = mark_session()
ROOT = Path(__file__).resolve().parent.parent
SAMPLE_TXT = ROOT / "data" / "raw" / "ctcm_poa_avance_2022_2024.txt"
TABLES = (
    "sources", "reports", "report_alignments", "metas", "progress", "signatures",
    "quarantine", "quality_issues",
)  # fmt: skip


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a process a test started (a Prefect server, a pool worker, a
    subprocess) is still alive: it would outlive CI and hold ports or files."""
    import time

    deadline = time.monotonic() + 15  # servers and workers stopped just now may still exit
    while (left := survivors(SESSION)) and time.monotonic() < deadline:
        time.sleep(0.5)
    if left:
        print("\nprocesses started by the tests are still running:\n  " + "\n  ".join(left))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def shared(scope: str) -> Callable[[str, pytest.Config], str]:
    """A fixture's scope: ``scope``, but each test's own while ``make mutation`` maps which
    tests run which code — mutmut credits what a fixture runs to the test that first set it
    up, so a shared fixture would leave every later test that reads it out of the map."""

    def now(fixture_name: str, config: pytest.Config) -> str:
        return "function" if os.environ.get("MUTANT_UNDER_TEST") == "stats" else scope

    return now


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under ``make mutation``, a mutant's tests start with empty caches: mutmut forks them
    from the process that mapped the tests on the original code, so a result cached there
    (a table's layout, ``report.columns``) would be served instead of the mutant's."""
    if "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", ""):
        return
    import sys

    for name, module in list(sys.modules.items()):
        if name.startswith("poa_etl"):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under ``make mutation``, a mutant's tests run fastest first: the first failure ends
    the run (mutmut passes ``-x``), so a mutant is killed at the cost of its cheapest test."""
    stats = Path("mutmut-stats.json")  # in mutants/, where mutmut runs the tests
    if "MUTANT_UNDER_TEST" not in os.environ or not stats.is_file():
        return
    import json

    seconds = json.loads(stats.read_text())["duration_by_test"]
    items.sort(key=lambda item: seconds.get(item.nodeid, 0.0))


NO_OCR = (
    "OCR is not available: Tesseract's Spanish model (spa.traineddata) is not installed; run "
    "`make setup-ocr`, or set TESSDATA_PREFIX to a folder holding spa.traineddata"
)


@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A machine where OCR is not set up: Tesseract's Spanish model is looked for where
    there is none. Gives the reason a scan is then rejected with."""
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path / "no-tessdata"))
    return NO_OCR


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[str]:
    """A real Prefect server for the session; its API URL is the session's setting."""
    from prefect_harness import local_server

    with local_server(PREFECT_HOME, PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2") as url:
        yield url


def run_ingest(paths: list[Path], warehouse: Path, **options: object) -> IngestSummary:
    """Run the pipeline as ``poa ingest`` does."""
    return ingest(paths, warehouse, **options)


@pytest.fixture(scope=shared("session"))
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "poa.duckdb"
    run_ingest([SAMPLE_TXT], path)
    return path


def fetch(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def snapshot(path: Path, tables: tuple[str, ...] = TABLES) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: for 'nothing changed' comparisons."""
    return {t: fetch(path, f"SELECT * FROM {t} ORDER BY ALL") for t in tables}


SAMPLE_LINES = SAMPLE_TXT.read_text(encoding="utf-8").split("\n")


def sample_line(number: int) -> str:
    """Line ``number`` (1-based) of the sample dump."""
    return SAMPLE_LINES[number - 1]


def mutated_sample(
    folder: Path, edits: dict[int, str], after: dict[int, str] | None = None
) -> Path:
    """A copy of the sample with lines replaced (1-based) and lines inserted after others."""
    lines = []
    for number, line in enumerate(SAMPLE_LINES, start=1):
        lines.append(edits.get(number, line))
        if after and number in after:
            lines.append(after[number])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SAMPLE_TXT.name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
