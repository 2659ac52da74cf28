"""The status of each meta (semáforo): the rule on both sides of every threshold, every
sample meta at two cut-off dates (expectations worked out by hand from the published
values), and thresholds from a settings file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLE_LINES, SAMPLE_TXT, fetch, mutated_sample, run_ingest
from test_ingest import poa

from poa_etl.store.status import META_STATUS_MACRO, SettingsError, Thresholds, load_thresholds


@pytest.fixture(scope="module")
def macro() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(META_STATUS_MACRO)
    return con


@pytest.mark.parametrize(
    ("target", "programmed", "achieved", "status"),
    [
        (30, 21, 30, "cumplida"),  # A = T
        (30, 21, 31, "cumplida"),  # A > T, whatever was programmed
        (30, 0, 30, "cumplida"),
        (30, 21, 29.99, "en_tiempo"),  # just short of the target
        (10, 10, 9, "en_tiempo"),  # exactly 90 %
        (10, 10, 8.99, "atrasada"),  # just under 90 %
        (10, 10, 7, "atrasada"),  # exactly 70 %
        (10, 10, 6.99, "critica"),  # just under 70 %
        (30, 21, 0, "critica"),
        (30, 0, 0, "sin_programacion"),  # nothing due yet
        (30, None, None, "sin_programacion"),  # P cells blank: nothing due
        (30, 0, 5, "sin_programacion"),  # achieved ahead of any programming
        (30, 21, None, "sin_dato"),  # due, but no A published
        (None, 21, 21, "sin_dato"),  # no target
        (0, 0, 0, "sin_programacion"),  # a zero target is never cumplida
        (0, 4, 4, "en_tiempo"),
    ],
)
def test_the_rule_on_both_sides_of_each_threshold(
    macro: duckdb.DuckDBPyConnection, target, programmed, achieved, status: str
) -> None:
    (got,) = macro.execute(
        "SELECT meta_status(?::DOUBLE, ?::DOUBLE, ?::DOUBLE, 90, 70)",
        [target, programmed, achieved],
    ).fetchone()
    assert got == status


# Every sample meta as published (FECHA 30-sep-24), by hand from the dump. P and A count in
# the quarters started by the cut-off: all four for 2022 and 2023, Ene-Mar to Jul-Sep for
# 2024. Meta 200 is quarantined (9 period values), so 58102 has seven: 201 to 207.
AT_SEPTEMBER = {
    # 2022-58203: cut-off after the year, all quarters.
    ("2022", 500): "cumplida",  # T 1, A 1
    ("2022", 501): "atrasada",  # P 30, A 21: 70 %, on the threshold
    ("2022", 502): "atrasada",  # P 49, A 37: 75.5 %
    ("2022", 503): "atrasada",  # P 12, A 9: 75 %
    ("2022", 504): "atrasada",  # P 28, A 22: 78.6 %
    ("2022", 505): "cumplida",  # T 1, A 1
    # 2023-58101: all quarters; blank cells add nothing.
    ("2023", 100): "en_tiempo",  # T 2, P 1 (Abr-Jun), A 1: 100 % of what was due
    ("2023", 101): "atrasada",  # P 30, A 21: 70 %
    ("2023", 102): "atrasada",  # P 4, A 3: 75 %
    ("2023", 103): "atrasada",  # P 36, A 27: 75 %
    ("2023", 104): "cumplida",  # T 1, A 1 (Jul-Sep)
    ("2023", 105): "atrasada",  # P 4, A 3
    # 2024-58102: Ene-Mar to Jul-Sep.
    ("2024", 201): "en_tiempo",  # P 21, A 21
    ("2024", 202): "en_tiempo",  # P 3, A 3
    ("2024", 203): "en_tiempo",  # P 3, A 3
    ("2024", 204): "en_tiempo",  # T 2, P 1, A 1
    ("2024", 205): "sin_programacion",  # P 0 (its 1 is in Oct-Dic)
    ("2024", 206): "cumplida",  # T 1, A 1 (Abr-Jun)
    ("2024", 207): "en_tiempo",  # P 9, A 9
    # 2024-58201
    ("2024", 300): "en_tiempo",  # P 9, A 9 (the A of 3 in Oct-Dic does not count)
    ("2024", 301): "en_tiempo",  # P 20, A 20
    ("2024", 302): "en_tiempo",
    ("2024", 303): "en_tiempo",
    ("2024", 304): "en_tiempo",  # P 2+9+5, A 2+9+5
    ("2024", 305): "en_tiempo",
    ("2024", 306): "sin_programacion",  # every P and A blank up to Jul-Sep
    # 2024-58202
    ("2024", 400): "cumplida",  # T 1, A 1 (Jul-Sep)
    ("2024", 401): "en_tiempo",  # P 21, A 21
    ("2024", 402): "en_tiempo",
    ("2024", 403): "en_tiempo",
    ("2024", 404): "en_tiempo",
    ("2024", 405): "cumplida",  # T 1, A 1 (Abr-Jun)
}
# The same reports with FECHA 30-jun-24: 2022 and 2023 are still past their year-end; for
# 2024 only Ene-Mar and Abr-Jun count.
AT_JUNE = AT_SEPTEMBER | {
    ("2024", 201): "en_tiempo",  # P 14, A 14
    ("2024", 202): "en_tiempo",  # P 2, A 2
    ("2024", 203): "en_tiempo",
    ("2024", 204): "en_tiempo",  # P 1, A 1 (Abr-Jun), T 2
    ("2024", 205): "sin_programacion",
    ("2024", 206): "cumplida",  # A 1 in Abr-Jun reaches T 1
    ("2024", 207): "en_tiempo",  # P 6, A 6
    ("2024", 304): "en_tiempo",  # P 11, A 11
    ("2024", 306): "sin_programacion",
    ("2024", 400): "sin_programacion",  # its 1 is programmed in Jul-Sep
    ("2024", 401): "en_tiempo",
    ("2024", 405): "cumplida",
}
FECHA_LINES = (26, 68, 119, 175, 221)


def statuses(warehouse: Path, view: str, cut_off: str) -> dict[tuple[str, int], str]:
    rows = fetch(
        warehouse,
        f"SELECT fiscal_year::VARCHAR, meta_id, status FROM {view}"
        f" WHERE cut_off_date = DATE '{cut_off}'",
    )
    return {(year, meta): status for year, meta, status in rows}


def test_every_sample_meta_at_two_cut_off_dates(tmp_path: Path) -> None:
    june = mutated_sample(tmp_path / "june", dict.fromkeys(FECHA_LINES, "FECHA: 30-jun-24"))
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([june], warehouse)
    assert statuses(warehouse, "v_meta_status", "2024-06-30") == AT_JUNE
    run_ingest([SAMPLE_TXT], warehouse)
    # v_meta_status: only each unit-year's latest publication; the history keeps both.
    assert statuses(warehouse, "v_meta_status", "2024-09-30") == AT_SEPTEMBER
    assert statuses(warehouse, "v_meta_status", "2024-06-30") == {}
    assert statuses(warehouse, "v_meta_status_history", "2024-06-30") == AT_JUNE
    assert statuses(warehouse, "v_meta_status_history", "2024-09-30") == AT_SEPTEMBER


def _cells(line: int, **values: str) -> str:
    """A sample table row with cells replaced: P1 A1 P2 A2 P3 A3 P4 A4 are cells 4 to 11."""
    cells = SAMPLE_LINES[line - 1].split("\t")
    names = ("P1", "A1", "P2", "A2", "P3", "A3", "P4", "A4")
    for name, value in values.items():
        cells[4 + names.index(name)] = value
    return "\t".join(cells)


def test_critica_and_sin_dato_reach_the_view(tmp_path: Path) -> None:
    """Meta 102 of 2023 with every A blank (sin_dato); meta 103 with A 9, 2, 2 against P
    9, 9, 9, 9 (13 of 36: 36.1 %, critica)."""
    path = mutated_sample(tmp_path / "in", {
        33: _cells(33, A1="", A2="", A3=""),
        34: _cells(34, A2="2", A3="2"),
    })  # fmt: skip
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([path], warehouse)
    assert fetch(
        warehouse,
        "SELECT meta_id, programmed_to_date, achieved_to_date, achieved_vs_programmed_pct,"
        " status FROM v_meta_status WHERE meta_id IN (102, 103) ORDER BY meta_id",
    ) == [(102, 4.0, None, None, "sin_dato"), (103, 36.0, 13.0, 36.1, "critica")]


def _with_settings(tmp_path: Path, text: str) -> Path:
    warehouse = tmp_path / "wh" / "poa.duckdb"
    warehouse.parent.mkdir(parents=True)
    (warehouse.parent / "poa.toml").write_text(text, encoding="utf-8")
    return warehouse


@pytest.mark.parametrize(
    ("settings", "thresholds", "expected"),
    [
        # 2022-58203 metas 501-504 achieved 70 % (21 of 30), 75.5 % (37 of 49), 75 % (9 of
        # 12) and 78.6 % (22 of 28) of what was programmed.
        # On both thresholds exactly: 75 % is en_tiempo, 70 % atrasada.
        (
            "[status]\non_time_pct = 75\ncritical_pct = 70\n",
            (75.0, 70.0),
            {501: "atrasada", 502: "en_tiempo", 503: "en_tiempo", 504: "en_tiempo"},
        ),
        # Just above them: 75.5 % is under 75.6, 70 % under 70.1.
        (
            "[status]\non_time_pct = 75.6\ncritical_pct = 70.1\n",
            (75.6, 70.1),
            {501: "critica", 502: "atrasada", 503: "atrasada", 504: "en_tiempo"},
        ),
        # No settings: the defaults, 90 and 70.
        ("", (90.0, 70.0), {501: "atrasada", 502: "atrasada", 503: "atrasada", 504: "atrasada"}),
    ],
)
def test_thresholds_come_from_the_settings_file(
    tmp_path: Path, settings: str, thresholds: tuple[float, float], expected: dict
) -> None:
    warehouse = _with_settings(tmp_path, settings)
    assert poa("ingest", str(mutated_sample(tmp_path / "in", {})), "--warehouse",
               str(warehouse))[0] == 0  # fmt: skip
    got = fetch(
        warehouse,
        "SELECT meta_id, status FROM v_meta_status WHERE meta_id BETWEEN 501 AND 504",
    )
    assert dict(got) == expected
    assert fetch(warehouse, "SELECT on_time_pct, critical_pct FROM v_status_thresholds") == [
        thresholds
    ]


@pytest.mark.parametrize(
    ("settings", "why"),
    [
        (
            "[status]\non_time_pct = 60\ncritical_pct = 70\n",
            "status thresholds must satisfy 0 ≤ critical_pct ≤ on_time_pct (got critical_pct 70, "
            "on_time_pct 60)",
        ),
        (
            "[status]\non_time = 80\n",
            "unknown setting status.on_time (known: status.on_time_pct, status.critical_pct)",
        ),
        ('[status]\non_time_pct = "90%"\n', "status.on_time_pct must be a number, not '90%'"),
        (
            "[status\n",
            "cannot be read as TOML (Expected ']' at the end of a table declaration "
            "(at line 1, column 8))",
        ),
    ],
)
def test_a_bad_settings_file_stops_the_run_with_one_line(
    tmp_path: Path, settings: str, why: str
) -> None:
    warehouse = _with_settings(tmp_path, settings)
    code, stdout, stderr = poa("ingest", str(mutated_sample(tmp_path / "in", {})),
                               "--warehouse", str(warehouse))  # fmt: skip
    assert (code, stdout, stderr) == (
        1,
        "",
        f"error: settings file {warehouse.parent / 'poa.toml'}: {why}\n",
    )


@pytest.mark.parametrize(
    ("settings", "result"),
    [
        ("[status]\non_time_pct = 80\ncritical_pct = 80\n", (80.0, 80.0)),  # equal: allowed
        ("[status]\non_time_pct = 0\ncritical_pct = 0\n", (0.0, 0.0)),
        ("[status]\ncritical_pct = 90\n", (90.0, 90.0)),  # up to the default on-time 90
        ("[status]\non_time_pct = 70\n", (70.0, 70.0)),  # down to the default critical 70
        ("[status]\ncritical_pct = 90.5\n",
         "status thresholds must satisfy 0 ≤ critical_pct ≤ on_time_pct (got critical_pct "
         "90.5, on_time_pct 90)"),
        ("[status]\ncritical_pct = -1\n",
         "status thresholds must satisfy 0 ≤ critical_pct ≤ on_time_pct (got critical_pct -1, "
         "on_time_pct 90)"),
        ("[status]\ncritical_pct = true\n", "status.critical_pct must be a number, not True"),
        ("[estado]\non_time_pct = 80\n",
         "unknown setting estado (known: status.on_time_pct, status.critical_pct)"),
    ],
)  # fmt: skip
def test_thresholds_on_both_sides_of_their_limits(tmp_path: Path, settings: str, result) -> None:
    path = tmp_path / "poa.toml"
    path.write_text(settings, encoding="utf-8")
    if isinstance(result, tuple):
        thresholds = load_thresholds(path)
        assert (thresholds.on_time_pct, thresholds.critical_pct, thresholds.source) == (
            *result, path,
        )  # fmt: skip
        assert isinstance(thresholds.on_time_pct, float)
        return
    with pytest.raises(SettingsError) as error:
        load_thresholds(path)
    assert str(error.value) == f"settings file {path}: {result}"


def test_without_a_settings_file_the_defaults(tmp_path: Path) -> None:
    assert load_thresholds(tmp_path / "poa.toml") == Thresholds(90.0, 70.0, None)
    assert load_thresholds(None) == Thresholds(90.0, 70.0, None)
