"""The Prefect flow against the session's real Prefect server: schedule, API-triggered run,
incremental loads, retries, and the Dask task runner."""

from __future__ import annotations

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

from flows.ingest import ingest_publications
from flows.local_server import free_port
from poa_etl import ingest

DEPLOYMENT = "ingest-publications/nightly"
DATA_TABLES = (
    "reports", "report_alignments", "metas", "progress", "signatures", "quarantine",
    "quality_issues",
)  # fmt: skip


def run(folder: Path, warehouse: Path, **options: object) -> tuple[UUID, ingest.IngestSummary]:
    state = ingest_publications(
        paths=[str(folder)], warehouse_file=str(warehouse), return_state=True, **options
    )
    assert state.is_completed(), state
    return state.state_details.flow_run_id, state.result()


def task_runs(flow_run_id: UUID, prefix: str = "read-file") -> dict[str, int]:
    """Task run name -> how many times it ran, for one flow run."""
    with get_client(sync_client=True) as client:
        found = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    return {t.name: t.run_count for t in found if t.name.startswith(prefix)}


def artifact(flow_run_id: UUID) -> str:
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    assert [a.key for a in found] == ["ingest-summary"]
    return found[0].data


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
    first, summary = run(folder, warehouse)
    assert task_runs(first) == {f"read-file {SAMPLE_TXT.name}": 1}
    assert summary.total("metas") == 32
    loaded = snapshot(warehouse)

    second, summary = run(folder, warehouse)
    assert task_runs(second) == {}  # nothing parsed
    assert [f.status for f in summary.files] == ["unchanged"]
    assert snapshot(warehouse) == loaded

    # A new file: the five reports again, the 2023 one with a later FECHA (a new snapshot;
    # the other four are the same publications, replaced by the newer file).
    later = mutated_sample(tmp_path / "later", {26: "FECHA: 31-dic-24"})
    shutil.move(later, folder / "later.txt")
    third, summary = run(folder, warehouse)
    assert task_runs(third) == {"read-file later.txt": 1}
    assert fetch(warehouse, "SELECT report_id FROM reports WHERE fiscal_year = 2023") == [
        ("2023-58101-20240930",), ("2023-58101-20241231",),
    ]  # fmt: skip
    assert fetch(warehouse, "SELECT count(*) FROM reports") == [(6,)]

    # Changing one file's bytes reloads only that file.
    changed = sample_line(32).replace("\t21\t70%", "\t21\t71%")
    mutated_sample(tmp_path / "v2", {32: changed}).replace(folder / SAMPLE_TXT.name)
    fourth, summary = run(folder, warehouse)
    assert task_runs(fourth) == {f"read-file {SAMPLE_TXT.name}": 1}
    assert fetch(
        warehouse,
        "SELECT reported_relative_pct FROM metas WHERE report_id = '2023-58101-20240930'"
        " AND meta_id = 101",
    ) == [(71.0,)]
    assert fetch(warehouse, "SELECT count(*) FROM reports") == [(6,)]


def test_a_rejected_file_does_not_fail_the_run(folder: Path, tmp_path: Path) -> None:
    (folder / "empty.txt").write_bytes(b"")
    flow_run, summary = run(folder, tmp_path / "poa.duckdb")
    assert [f.status for f in summary.files] == ["loaded", "rejected"]
    assert task_runs(flow_run) == {f"read-file {SAMPLE_TXT.name}": 1, "read-file empty.txt": 1}
    markdown = artifact(flow_run)
    assert f"| `{folder / 'empty.txt'}` | empty file (0 bytes) |" in markdown
    assert "| rejected | 1 |" in markdown
    assert summary.exit_code() == 1


def test_reads_are_retried_for_io_errors_only(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "empty.txt").write_bytes(b"")  # malformed: rejected once, never retried
    (folder / "flaky.txt").write_bytes(SAMPLE_TXT.read_bytes().replace(b"30-sep", b"31-dic"))
    (folder / "gone.txt").write_bytes(SAMPLE_TXT.read_bytes().replace(b"30-sep", b"30-jun"))
    failures = {"flaky.txt": 1, "gone.txt": 99}
    real = ingest.read_file

    def read_file(job: ingest.ReadJob, options: object) -> ingest.FileResult:
        if failures.get(job.path.name, 0) > 0:
            failures[job.path.name] -= 1
            raise OSError(5, "Input/output error")
        return real(job, options)

    monkeypatch.setattr(ingest, "read_file", read_file)
    flow_run, summary = run(folder, tmp_path / "poa.duckdb", runner="threads")
    assert task_runs(flow_run) == {
        f"read-file {SAMPLE_TXT.name}": 1,
        "read-file empty.txt": 1,
        "read-file flaky.txt": 2,
        "read-file gone.txt": 3,
    }
    outcome = {f.path.name: (f.status, f.message) for f in summary.files}
    assert outcome["flaky.txt"] == ("loaded", None)
    assert outcome["gone.txt"] == ("rejected", "cannot be read: Input/output error")
    assert outcome["empty.txt"] == ("rejected", "empty file (0 bytes)")


def test_the_dask_runner_loads_the_same_warehouse(tmp_path: Path) -> None:
    raw = ROOT / "data" / "raw"
    dask, threads = tmp_path / "dask.duckdb", tmp_path / "threads.duckdb"
    run(raw, dask, runner="dask")
    run(raw, threads, runner="threads")
    assert snapshot(dask, DATA_TABLES) == snapshot(threads, DATA_TABLES)
    assert fetch(dask, "SELECT count(*) FROM metas") == [(32,)]


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
    markdown = artifact(flow_run.id)
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
        [str(Path(sys.executable).parent / "poa"), "ingest", str(SAMPLE_TXT),
         "--warehouse", str(tmp_path / "poa.duckdb")],
        env={**os.environ, "PREFECT_API_URL": url}, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert (ingest.returncode, ingest.stdout) == (1, "")
    assert ingest.stderr.startswith(f"error: the Prefect server at {url} does not answer (")
    assert ingest.stderr.endswith("); is it running? (unset PREFECT_API_URL to run without it)\n")
    assert not (tmp_path / "poa.duckdb").exists()
