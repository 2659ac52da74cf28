"""The views are written again only when what they say changes (the fiscal years present,
the status thresholds, the views' SQL): opening the warehouse to write re-creates none of
them otherwise, yet a view that went missing, or new thresholds, are seen at once."""

from __future__ import annotations

from pathlib import Path

import duckdb
from conftest import SAMPLE_TXT, fetch, run_ingest

from poa_etl.store import warehouse


def _created(path: Path) -> list[tuple]:
    """Each view's name and SQL, as DuckDB keeps them."""
    return fetch(
        path,
        "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' "
        "ORDER BY view_name",
    )


OIDS = "SELECT view_name, view_oid FROM duckdb_views() WHERE NOT internal ORDER BY 1"


def _oids_when_opened_to_write(path: Path) -> list[tuple]:
    """The views' object ids once the warehouse is opened to write (as a load or a run's
    log does). DuckDB numbers them the same at every opening of the same file, and a
    re-created view gets a new number."""
    with warehouse.connect(path) as con:
        return con.execute(OIDS).fetchall()


def test_opening_the_warehouse_to_write_rewrites_no_view_unless_it_changed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "poa.duckdb"
    run_ingest([SAMPLE_TXT.parent / "poa2023_ramo58_ue101.pdf"], path)
    assert _oids_when_opened_to_write(path) == fetch(path, OIDS)  # none re-created
    (tmp_path / "poa.toml").write_text("[status]\non_time_pct = 80\n")
    changed = dict(_oids_when_opened_to_write(path))  # new thresholds: written again
    assert [name for name, oid in fetch(path, OIDS) if changed[name] != oid] == [
        "v_data_dictionary", "v_header_comparison", "v_latest_reports", "v_meta_history",
        "v_meta_recurring", "v_meta_status", "v_meta_status_history", "v_progress_latest",
        "v_status_thresholds",
    ]  # fmt: skip
    assert _oids_when_opened_to_write(path) == fetch(path, OIDS)


def test_a_view_dropped_by_another_client_is_written_again_with_its_comment(tmp_path: Path) -> None:
    path = tmp_path / "poa.duckdb"
    run_ingest([SAMPLE_TXT], path)
    views = _created(path)
    assert [name for name, _ in views] == [
        "v_data_dictionary", "v_header_comparison", "v_latest_reports", "v_meta_history",
        "v_meta_recurring", "v_meta_status", "v_meta_status_history", "v_progress_latest",
        "v_status_thresholds",
    ]  # fmt: skip
    with duckdb.connect(str(path)) as con:
        con.execute("DROP VIEW v_meta_recurring")
    with warehouse.connect(path):
        pass
    assert _created(path) == views
    assert fetch(path, "SELECT comment FROM duckdb_views() WHERE view_name = 'v_meta_recurring'")[
        0
    ][0].startswith("Metas de la publicación más reciente cuya descripción se repite")


def test_new_thresholds_are_seen_by_the_next_run_that_reads_nothing(tmp_path: Path) -> None:
    path = tmp_path / "poa.duckdb"
    run_ingest([SAMPLE_TXT], path)
    (tmp_path / "poa.toml").write_text("[status]\non_time_pct = 80\ncritical_pct = 50\n")
    run_ingest([SAMPLE_TXT], path)
    assert fetch(path, "SELECT on_time_pct, critical_pct FROM v_status_thresholds") == [
        (80.0, 50.0)
    ]
