"""Shared fixtures: the real sample, and a warehouse loaded from it once per session."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from poa_etl.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_TXT = ROOT / "data" / "raw" / "ctcm_poa_avance_2022_2024.txt"
TABLES = (
    "sources", "reports", "report_alignments", "metas", "progress", "signatures",
    "quarantine", "quality_issues",
)  # fmt: skip


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "poa.duckdb"
    ingest([SAMPLE_TXT], path)
    return path


def fetch(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def snapshot(path: Path, tables: tuple[str, ...] = TABLES) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: for 'nothing changed' comparisons."""
    return {t: fetch(path, f"SELECT * FROM {t} ORDER BY ALL") for t in tables}
