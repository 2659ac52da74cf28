"""The Prefect settings poa-etl runs with. Prefect reads them when it is imported, so
``configure`` is called first; a value already in the environment wins."""

from __future__ import annotations

import os
from pathlib import Path


def configure(console_level: str) -> None:
    """Project-local state, no telemetry, and Prefect's own console logs at this level.

    ``poa ingest`` prints its own summary and errors, so it keeps Prefect quiet there
    (the run's logs still reach the server); ``poa serve`` runs unattended and logs.
    """
    os.environ.setdefault("PREFECT_HOME", str(Path(".prefect").resolve()))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", console_level)
