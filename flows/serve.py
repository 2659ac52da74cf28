"""Serving the ingestion on a schedule, to a real Prefect server (a temporary one cannot)."""

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


def server_problem() -> str | None:
    """Why the deployment cannot be served, or None when the server answers."""
    url = PREFECT_API_URL.value()
    if not url:
        return NO_SERVER
    with get_client(sync_client=True) as client:
        failure = client.api_healthcheck()
    if failure is not None:
        return f"the Prefect server at {url} does not answer ({failure}); is it running?"
    return None


def serve_ingestion(*, name: str, cron: str, timezone: str, **parameters: object) -> None:
    """Create the deployment with its cron schedule and run its flow runs until stopped."""
    ingest_publications.serve(
        name=name,
        schedules=[Cron(cron, timezone=timezone)],
        parameters=parameters,
        description="Load what is new in the input folder into the warehouse, every night.",
    )
