"""History across fiscal years: one unit published in two years at several cut-off dates,
a reload that empties a year's partition of the lake, and the quality issues of the years
a load does not touch. Expectations are worked out by hand from the sample dump."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from conftest import SAMPLE_LINES, SAMPLE_TXT, fetch, run_ingest

from poa_etl.store.lake import lake_dir

# Report 2023-58101 (unit 101 of ramo 58) as published: lines 5 to 50 of the dump.
REPORT_101 = SAMPLE_LINES[4:50]


def _publication(folder: Path, name: str, year: int, fecha: str) -> Path:
    lines = [
        line.replace("PROGRAMA OPERATIVO ANUAL 2023", f"PROGRAMA OPERATIVO ANUAL {year}").replace(
            "FECHA: 30-sep.-24", f"FECHA: {fecha}"
        )
        for line in REPORT_101
    ]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_the_latest_publication_is_taken_per_unit_and_fiscal_year(tmp_path: Path) -> None:
    """Unit 58101: 2023 at 30-jun-23 and 31-dic-23, 2024 at 30-sep-24. The latest of 2023
    is its December one, though 2024's is later still."""
    folder = tmp_path / "in"
    _publication(folder, "a_2023_jun.txt", 2023, "30-jun-23")
    _publication(folder, "b_2023_dic.txt", 2023, "31-dic-23")
    _publication(folder, "c_2024_sep.txt", 2024, "30-sep-24")
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([folder], warehouse)
    assert fetch(warehouse, "SELECT report_id FROM v_latest_reports ORDER BY 1") == [
        ("2023-58101-20231231",), ("2024-58101-20240930",),
    ]  # fmt: skip
    assert fetch(
        warehouse,
        "SELECT fiscal_year, cut_off_date, count(*) FROM v_progress_latest GROUP BY ALL"
        " ORDER BY ALL",
    ) == [(2023, date(2023, 12, 31), 48), (2024, date(2024, 9, 30), 48)]
    # Meta 101: P 7 7 7 9, A 7 7 7 and a blank Oct-Dic.
    assert fetch(
        warehouse,
        "SELECT report_id, quarters_started, programmed_to_date, achieved_to_date, status"
        " FROM v_meta_status WHERE meta_id = 101 ORDER BY 1",
    ) == [
        ("2023-58101-20231231", 4, 30.0, 21.0, "atrasada"),  # 70 %
        ("2024-58101-20240930", 3, 21.0, 21.0, "en_tiempo"),
    ]
    assert fetch(
        warehouse,
        "SELECT report_id, quarters_started, programmed_to_date, achieved_to_date, status"
        " FROM v_meta_status_history WHERE meta_id = 101 ORDER BY 1",
    ) == [
        ("2023-58101-20230630", 2, 14.0, 14.0, "en_tiempo"),
        ("2023-58101-20231231", 4, 30.0, 21.0, "atrasada"),
        ("2024-58101-20240930", 3, 21.0, 21.0, "en_tiempo"),
    ]
    assert fetch(
        warehouse,
        "SELECT fiscal_year, cut_off_date, continues_previous FROM v_meta_history"
        " WHERE meta_id = 105",
    ) == [
        (2023, date(2023, 6, 30), None),
        (2023, date(2023, 12, 31), True),
        (2024, date(2024, 9, 30), True),
    ]
    # Quality: at 30-jun-23 the Jul-Sep A of metas 101 to 105 (7, 1, 9, 1, 1) comes after the
    # cut-off; in December, and for 2024 (Jul-Sep started), it does not. Meta 100's P adds up
    # to 1 of 2 in all three.
    assert fetch(
        warehouse,
        "SELECT report_id, rule, meta_id FROM quality_issues"
        " WHERE rule NOT IN ('classification_code_malformed') ORDER BY ALL",
    ) == [
        *(("2023-58101-20230630", "achieved_after_cut_off", meta) for meta in range(101, 106)),
        ("2023-58101-20230630", "planned_sum_differs_from_target", 100),
        ("2023-58101-20231231", "planned_sum_differs_from_target", 100),
        ("2024-58101-20240930", "planned_sum_differs_from_target", 100),
    ]


def _lake(warehouse: Path) -> dict[str, tuple[int, int]]:
    lake = lake_dir(warehouse)
    return {
        str(p.relative_to(lake)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(lake.rglob("*"))
        if p.is_file()
    }


def test_a_reload_that_empties_a_years_quarantine_removes_its_partition(tmp_path: Path) -> None:
    """The sample's only quarantined row is meta 200 of 2024-58102 (line 73: nine period
    values). That report published again, corrected — one value fewer —, empties 2024's
    quarantine: its partition goes from the lake, and 2022's and 2023's files are not
    touched."""
    warehouse = tmp_path / "wh" / "poa.duckdb"
    run_ingest([SAMPLE_TXT], warehouse)
    before = _lake(warehouse)
    assert [f for f in before if f.startswith("quarantine")] == [
        os.path.join("quarantine", "fiscal_year=2024", "data.parquet")
    ]
    issues_before = fetch(warehouse, "SELECT * FROM quality_issues ORDER BY ALL")

    report = SAMPLE_LINES[51:97]  # 2024-58102; line 73 is its 22nd
    nine, eight = "\t1\t1\t1\t1\t1\t1\t1\t2\t0\t3\t60%\t", "\t1\t1\t1\t1\t1\t1\t1\t0\t3\t60%\t"
    assert nine in report[21]
    report[21] = report[21].replace(nine, eight)
    fixed = tmp_path / "in" / "58102_corregido.txt"
    fixed.parent.mkdir()
    fixed.write_text("\n".join(report), encoding="utf-8")
    run_ingest([fixed], warehouse)

    assert fetch(warehouse, "SELECT count(*) FROM quarantine") == [(0,)]
    after = _lake(warehouse)
    assert [f for f in after if f.startswith("quarantine")] == []
    assert not (lake_dir(warehouse) / "quarantine" / "fiscal_year=2024").exists()
    untouched = [n for n in before if "fiscal_year=2022" in n or "fiscal_year=2023" in n]
    assert len(untouched) == 12  # six tables with rows in each of the two years
    assert {n: after[n] for n in untouched} == {n: before[n] for n in untouched}
    assert fetch(warehouse, "SELECT meta_id, measure, sum(value) FROM progress"
                            " WHERE meta_id = 200 GROUP BY ALL ORDER BY ALL") == [
        (200, "A", 3.0), (200, "P", 4.0),
    ]  # fmt: skip
    # 200 now loads: its P adds up to 4 of 5. Every other issue is as it was.
    issues_after = fetch(warehouse, "SELECT * FROM quality_issues ORDER BY ALL")
    added = [row for row in issues_after if row not in issues_before]
    assert [(r[0], r[3], r[4]) for r in added] == [
        ("2024-58102-20240930", 200, "planned_sum_differs_from_target")
    ]
    assert [row for row in issues_before if row not in issues_after] == []


def test_a_load_of_one_year_keeps_the_quality_issues_of_the_others(tmp_path: Path) -> None:
    """A later publication of 2022-58203 (31-dic-22) touches 2022 only: the issues of 2023
    and 2024 are the same rows, and 2022 gains the new report's."""
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([SAMPLE_TXT], warehouse)
    query = "SELECT * FROM quality_issues WHERE fiscal_year <> 2022 ORDER BY ALL"
    others = fetch(warehouse, query)
    assert len(others) == 13
    lines = [line.replace("FECHA: 30-sep.-24", "FECHA: 31-dic-22") for line in SAMPLE_LINES[203:]]
    later = tmp_path / "in" / "2022_dic.txt"
    later.parent.mkdir()
    later.write_text("\n".join(lines), encoding="utf-8")
    run_ingest([later], warehouse)
    assert fetch(warehouse, query) == others
    assert fetch(
        warehouse,
        "SELECT report_id, rule FROM quality_issues WHERE fiscal_year = 2022 ORDER BY ALL",
    ) == [
        ("2022-58203-20221231", "classification_code_malformed"),  # finalidad 3.7.1
        ("2022-58203-20240930", "classification_code_malformed"),
        ("2022-58203-20240930", "cut_off_outside_fiscal_year"),  # 274 days after the year
    ]
