"""The Prefect server: whether it answers, and serving the ingestion on a schedule to it
(a temporary server cannot run schedules)."""

from __future__ import annotations

from prefect.client.orchestration import get_client
from prefect.schedules import Cron
from prefect.settings import PREFECT_API_URL

from flows.ingest import ingest_publications

NO_SERVER = (
    "no Prefect server is configured: schedules need a real one, a temporary server cannot "
    "run them. Start it with 'make prefect-server' and set "
    "PREFECT_API_URL=http://127.0.0.1:4200/api"
)


def configured_server_problem() -> str | None:
    """Why the server in PREFECT_API_URL cannot be used; None when it answers, or when none
    is configured (a flow run then starts a temporary server)."""
    url = PREFECT_API_URL.value()
    if not url:
        return None
    with get_client(sync_client=True) as client:
        failure = client.api_healthcheck()
    if failure is not None:
        return f"the Prefect server at {url} does not answer ({failure}); is it running?"
    return None


def server_problem() -> str | None:
    """Why the deployment cannot be served, or None when the server answers."""
    return NO_SERVER if not PREFECT_API_URL.value() else configured_server_problem()


def serve_ingestion(*, name: str, cron: str, timezone: str, **parameters: object) -> None:
    """Create the deployment with its cron schedule and run its flow runs until stopped."""
    ingest_publications.serve(
        name=name,
        schedules=[Cron(cron, timezone=timezone)],
        parameters=parameters,
        description="Load what is new in the input folder into the warehouse, every night.",
    )
