"""The Prefect flow against the session's real Prefect server: schedule, API-triggered run,
incremental loads, the Failed state and artifacts of a run with a rejected file, and the
Dask runner."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT, SAMPLE_TXT, fetch, mutated_sample, sample_line, snapshot
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    DeploymentFilter,
    DeploymentFilterId,
    FlowRunFilter,
    FlowRunFilterId,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.client.schemas.responses import DeploymentResponse as Deployment
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound
from prefect_harness import free_port
from typer.testing import CliRunner

from flows.ingest import ingest_publications
from poa_etl.cli import app
from poa_etl.pipeline.results import IngestSummary

pytestmark = pytest.mark.usefixtures("prefect_server")

DEPLOYMENT = "ingest-publications/nightly"
DATA_TABLES = (
    "reports", "report_alignments", "metas", "progress", "signatures", "quarantine",
    "quality_issues",
)  # fmt: skip


def run(
    folder: Path, warehouse: Path, *, completed: bool = True, **options: object
) -> tuple[UUID, IngestSummary, str]:
    """Run the flow; its run id, summary and final state's message."""
    state = ingest_publications(
        paths=[str(folder)], warehouse_file=str(warehouse), return_state=True, **options
    )
    assert state.is_completed() is completed, state
    return state.state_details.flow_run_id, state.result(raise_on_failure=False), state.message


def task_runs(flow_run_id: UUID, prefix: str = "read-file") -> dict[str, int]:
    """Task run name -> how many times it ran, for one flow run."""
    with get_client(sync_client=True) as client:
        found = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    return {t.name: t.run_count for t in found if t.name.startswith(prefix)}


def artifacts(flow_run_id: UUID) -> dict[str, object]:
    """The run's artifacts by key: the files table (rows) and the summary (markdown)."""
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    by_key = {a.key: a.data for a in found}
    assert sorted(by_key) == ["ingest-files", "ingest-summary"]
    by_key["ingest-files"] = json.loads(by_key["ingest-files"])
    return by_key


def wait_for(what: str, check: Callable[[], object], seconds: float = 90) -> object:
    deadline = time.monotonic() + seconds
    while not (found := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.5)
    return found


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    inputs = tmp_path / "raw"
    inputs.mkdir()
    shutil.copy(SAMPLE_TXT, inputs / SAMPLE_TXT.name)
    return inputs


def test_incremental_runs_read_only_what_is_new_or_changed(folder: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "poa.duckdb"
    first, summary, message = run(folder, warehouse)
    assert message == (
        "1 file(s) loaded, 0 unchanged, 0 rejected: 5 reports, 32 metas, 256 progress rows, "
        "1 row(s) quarantined."
    )
    assert task_runs(first) == {f"read-file {SAMPLE_TXT.name}": 1}
    assert summary.total("metas") == 32
    loaded = snapshot(warehouse)

    second, summary, _ = run(folder, warehouse)
    assert task_runs(second) == {}  # nothing parsed
    assert [f.status for f in summary.files] == ["unchanged"]
    assert snapshot(warehouse) == loaded

    # A new file: the five reports again, the 2023 one with a later FECHA (a new snapshot;
    # the other four are the same publications, replaced by the newer file).
    later = mutated_sample(tmp_path / "later", {26: "FECHA: 31-dic-24"})
    shutil.move(later, folder / "later.txt")
    third, summary, _ = run(folder, warehouse)
    assert task_runs(third) == {"read-file later.txt": 1}
    assert fetch(warehouse, "SELECT report_id FROM reports WHERE fiscal_year = 2023") == [
        ("2023-58101-20240930",), ("2023-58101-20241231",),
    ]  # fmt: skip
    assert fetch(warehouse, "SELECT count(*) FROM reports") == [(6,)]

    # Changing one file's bytes reloads only that file.
    changed = sample_line(32).replace("\t21\t70%", "\t21\t71%")
    mutated_sample(tmp_path / "v2", {32: changed}).replace(folder / SAMPLE_TXT.name)
    fourth, summary, _ = run(folder, warehouse)
    assert task_runs(fourth) == {f"read-file {SAMPLE_TXT.name}": 1}
    assert fetch(
        warehouse,
        "SELECT reported_relative_pct FROM metas WHERE report_id = '2023-58101-20240930'"
        " AND meta_id = 101",
    ) == [(71.0,)]
    assert fetch(warehouse, "SELECT count(*) FROM reports") == [(6,)]


def test_a_rejected_file_fails_the_run_and_what_loaded_stays(folder: Path, tmp_path: Path) -> None:
    (folder / "empty.txt").write_bytes(b"")
    warehouse = tmp_path / "poa.duckdb"
    flow_run, summary, message = run(folder, warehouse, completed=False)
    assert message == f"1 file(s) rejected: {folder / 'empty.txt'} (what else was read is loaded)"
    assert [f.status for f in summary.files] == ["loaded", "rejected"]
    assert fetch(warehouse, "SELECT count(*), min(runner) FROM ingest_runs") == [(1, "prefect")]
    assert fetch(warehouse, "SELECT count(*) FROM metas") == [(32,)]
    # An empty file is rejected when planned: it has nothing to read.
    assert task_runs(flow_run) == {f"read-file {SAMPLE_TXT.name}": 1}
    found = artifacts(flow_run)
    assert found["ingest-files"] == [
        {"file": str(folder / SAMPLE_TXT.name), "kind": "text", "outcome": "loaded",
         "reports": 5, "metas": 32, "quarantined": 1, "reason": ""},
        {"file": str(folder / "empty.txt"), "kind": "text", "outcome": "rejected",
         "reports": 0, "metas": 0, "quarantined": 0, "reason": "empty file (0 bytes)"},
    ]  # fmt: skip
    markdown = found["ingest-summary"]
    assert "empty\\.txt | empty file \\(0 bytes\\) |" in markdown
    assert "| rejected | 1 |" in markdown


def test_poa_ingest_prefect_runs_the_flow_and_prints_the_same_summary(
    folder: Path, tmp_path: Path
) -> None:
    (folder / "empty.txt").write_bytes(b"")
    warehouse = tmp_path / "poa.duckdb"
    result = CliRunner().invoke(
        app, ["ingest", "--prefect", str(folder), "--warehouse", str(warehouse)]
    )
    assert result.exit_code == 1
    assert result.stderr == f"rejected {folder / 'empty.txt'}: empty file (0 bytes)\n"
    assert result.stdout.splitlines()[-2:] == [
        "1 file(s) loaded, 0 unchanged, 1 rejected: 5 reports, 32 metas, 256 progress rows, "
        "1 row(s) quarantined.",
        "Quality issues in the fiscal years loaded: achieved_after_cut_off 2, "
        "achieved_sum_differs_from_absolute 2, classification_code_malformed 4, "
        "cut_off_outside_fiscal_year 2, planned_sum_differs_from_target 3, "
        "program_name_conflict 2 (poa quality).",
    ]
    assert fetch(warehouse, "SELECT runner, files_rejected FROM ingest_runs") == [("prefect", 1)]


def test_the_dask_runner_loads_what_the_publication_holds(tmp_path: Path) -> None:
    warehouse = tmp_path / "dask.duckdb"
    run(ROOT / "data" / "raw", warehouse, runner="dask")
    assert fetch(warehouse, "SELECT report_id, count(*) FROM metas GROUP BY ALL ORDER BY ALL") == [
        # metas 500-505; 100-105; 201-207 (200 is quarantined); 300-306; 400-405
        ("2022-58203-20240930", 6), ("2023-58101-20240930", 6), ("2024-58102-20240930", 7),
        ("2024-58201-20240930", 7), ("2024-58202-20240930", 6),
    ]  # fmt: skip


def _poa_serve(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "poa"), "serve", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


@pytest.fixture
def served(folder: Path, tmp_path: Path) -> Iterator[Path]:
    """``poa serve`` running against the session's server; yields the warehouse it fills."""
    warehouse = tmp_path / "served.duckdb"
    server = _poa_serve(str(folder), "--warehouse", str(warehouse), env=dict(os.environ))
    try:
        yield warehouse
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_the_served_deployment_is_scheduled_and_runs_from_the_api(
    served: Path, folder: Path
) -> None:
    with get_client(sync_client=True) as client:
        deployment = wait_for("the deployment", lambda: _deployment(client))
        [schedule] = deployment.schedules
        assert (schedule.schedule.cron, schedule.schedule.timezone) == (
            "0 3 * * *", "America/Tijuana",
        )  # fmt: skip
        assert deployment.parameters["paths"] == [str(folder.resolve())]
        scheduled = wait_for("scheduled runs", lambda: _scheduled_runs(client, deployment.id))
        for flow_run in scheduled:
            local = flow_run.expected_start_time.astimezone(ZoneInfo("America/Tijuana"))
            assert (local.hour, local.minute) == (3, 0)

    flow_run = run_deployment(DEPLOYMENT, timeout=240)
    assert flow_run.state.type == StateType.COMPLETED, flow_run.state
    markdown = artifacts(flow_run.id)["ingest-summary"]
    for line in ("| files seen | 1 |", "| loaded | 1 |", "| reports | 5 |", "| metas | 32 |",
                 "| progress rows | 256 |", "| quarantined rows | 1 |",
                 "| quality issues | 15 |"):  # fmt: skip
        assert line in markdown
    assert fetch(served, "SELECT count(*) FROM metas") == [(32,)]


def _deployment(client: SyncPrefectClient) -> Deployment | None:
    try:
        return client.read_deployment_by_name(DEPLOYMENT)
    except ObjectNotFound:  # not created yet
        return None


def _scheduled_runs(client: SyncPrefectClient, deployment_id: UUID) -> list[FlowRun]:
    return client.read_flow_runs(
        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
        flow_run_filter=FlowRunFilter(
            state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
        ),
    )


def test_serve_refuses_without_a_reachable_server() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    server = _poa_serve(env=env)
    _, stderr = server.communicate(timeout=120)
    assert server.returncode == 1
    assert stderr == (
        "error: no Prefect server is configured: schedules need a real one, a temporary "
        "server cannot run them. Start it with 'make prefect-server' and set "
        "PREFECT_API_URL=http://127.0.0.1:4200/api\n"
    )
    url = f"http://127.0.0.1:{free_port()}/api"
    server = _poa_serve(env={**env, "PREFECT_API_URL": url})
    _, stderr = server.communicate(timeout=120)
    assert server.returncode == 1
    assert stderr.startswith(f"error: the Prefect server at {url} does not answer (")
    assert stderr.endswith("); is it running?\n")


def test_ingest_with_an_unreachable_server_says_so(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/api"
    ingest = subprocess.run(
        [str(Path(sys.executable).parent / "poa"), "ingest", "--prefect", str(SAMPLE_TXT),
         "--warehouse", str(tmp_path / "poa.duckdb")],
        env={**os.environ, "PREFECT_API_URL": url}, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert (ingest.returncode, ingest.stdout) == (1, "")
    assert ingest.stderr.startswith(f"error: the Prefect server at {url} does not answer (")
    assert ingest.stderr.endswith("); is it running? (unset PREFECT_API_URL to run without it)\n")
    assert not (tmp_path / "poa.duckdb").exists()


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["/nonexistent/dir"], "error: /nonexistent/dir: no such file or folder\n"),
        (["notes.doc"], "error: notes.doc: not a file poa-etl reads (.txt, .pdf, .xlsx, .xlsm, "
                        ".ods, .csv, .tsv)\n"),
    ],
)  # fmt: skip
def test_serve_refuses_paths_it_cannot_read_before_any_server(
    args: list[str], stderr: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A usage error (exit 2) names the path; no Prefect server is asked anything."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.doc").write_text("x")
    result = CliRunner().invoke(app, ["serve", *args])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)


def test_serve_refuses_an_unknown_runner() -> None:
    result = CliRunner().invoke(app, ["serve", "--runner", "bogus"])
    assert result.exit_code == 2
    assert "'bogus' is not one of 'auto', 'process', 'threads', 'dask'" in " ".join(
        result.stderr.replace("│", " ").split()
    )
