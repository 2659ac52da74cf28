"""``poa sql``: reading SQL on the warehouse from an argument, a file or stdin, every
result in order, as a table that fits the terminal, CSV, JSON, Markdown or lines."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, snapshot
from test_ingest import poa
from typer.testing import CliRunner

from poa_etl.cli import app

QUERY = (
    "SELECT report_id, meta_id, quarter, measure, value FROM progress"
    " WHERE report_id = '2023-58101-20240930' AND meta_id = 101 AND quarter >= 3"
    " ORDER BY quarter, measure DESC"
)


def test_csv_writes_blank_for_null_and_whole_numbers_plainly(sample_warehouse: Path) -> None:
    code, stdout, _ = poa("sql", QUERY, "--format", "csv", "--warehouse", str(sample_warehouse))
    assert code == 0
    assert stdout == (
        "report_id,meta_id,quarter,measure,value\n"
        "2023-58101-20240930,101,3,P,7\n"
        "2023-58101-20240930,101,3,A,7\n"
        "2023-58101-20240930,101,4,P,9\n"
        "2023-58101-20240930,101,4,A,\n"
    )


def sql_json(warehouse: Path, query: str) -> list[dict]:
    code, stdout, stderr = poa("sql", query, "--format", "json", "--warehouse", str(warehouse))
    assert (code, stderr) == (0, "")
    return json.loads(stdout)


def test_json_keeps_null_and_iso_dates(sample_warehouse: Path) -> None:
    assert sql_json(
        sample_warehouse,
        "SELECT report_id, cut_off_date, ramo_code FROM reports ORDER BY 1 LIMIT 1",
    ) == [{"report_id": "2022-58203-20240930", "cut_off_date": "2024-09-30", "ramo_code": "58"}]
    assert sql_json(sample_warehouse, QUERY)[-1] == {
        "report_id": "2023-58101-20240930", "meta_id": 101, "quarter": 4, "measure": "A",
        "value": None,
    }  # fmt: skip


def test_table_shows_null_explicitly(sample_warehouse: Path) -> None:
    code, stdout, _ = poa("sql", QUERY, "--warehouse", str(sample_warehouse))
    assert code == 0
    assert stdout.splitlines()[-2].split("│")[1:-1] == [
        " 2023-58101-20240930 ", " 101     ", " 4       ", " A       ", " NULL  ",
    ]  # fmt: skip


def test_only_reading_statements_run(sample_warehouse: Path) -> None:
    """The contract: poa sql runs reading statements only (tests/test_sql_sealed.py has
    every escape); a write is refused before anything runs."""
    before = snapshot(sample_warehouse)
    assert poa("sql", "DELETE FROM metas", "--warehouse", str(sample_warehouse)) == (
        1, "", "error: a DELETE is not a reading statement; poa sql runs only SELECT, WITH, "
        "DESCRIBE, SHOW, SUMMARIZE and EXPLAIN (nothing was run)\n",
    )  # fmt: skip
    assert snapshot(sample_warehouse) == before


def test_no_warehouse_yet(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    assert poa("sql", "SELECT 1", "--warehouse", str(missing)) == (
        1, "", f"error: no warehouse at {missing}: run 'poa ingest' first\n",
    )  # fmt: skip
    assert not missing.exists()


def test_warehouse_from_the_environment(sample_warehouse: Path, monkeypatch) -> None:
    monkeypatch.setenv("POA_WAREHOUSE", str(sample_warehouse))
    assert poa("sql", "SELECT count(*) AS n FROM metas", "--format", "csv") == (0, "n\n32\n", "")


def test_an_empty_query_is_a_usage_error(sample_warehouse: Path) -> None:
    for query in (" ", ";", " ; "):
        assert poa("sql", query, "--warehouse", str(sample_warehouse)) == (
            2, "", "error: no SQL statement given\n",
        )  # fmt: skip


def test_json_has_no_nan_and_numbers_stay_numbers(sample_warehouse: Path) -> None:
    assert sql_json(
        sample_warehouse,
        "SELECT 'nan'::DOUBLE AS a, 'inf'::DOUBLE AS b, 7.5::DECIMAL(4, 1) AS c",
    ) == [{"a": None, "b": None, "c": 7.5}]


def test_help_shows_the_defaults() -> None:
    _, stdout, _ = poa("ingest", "--help")
    flat = " ".join(stdout.replace("│", " ").split())
    assert "[default: data/raw]" in flat
    assert "[default: $POA_WAREHOUSE, else data/warehouse/poa.duckdb]" in flat


def test_markdown_aligns_numbers_right_and_escapes_pipes(sample_warehouse: Path) -> None:
    code, stdout, _ = poa(
        "sql", QUERY.replace("quarter >= 3", "quarter = 4"), "--format", "markdown",
        "--warehouse", str(sample_warehouse),
    )  # fmt: skip
    assert (code, stdout) == (0, (
        "| report_id | meta_id | quarter | measure | value |\n"
        "| --- | ---: | ---: | --- | ---: |\n"
        "| 2023-58101-20240930 | 101 | 4 | P | 9 |\n"
        "| 2023-58101-20240930 | 101 | 4 | A | NULL |\n"
    ))  # fmt: skip
    _, stdout, _ = poa("sql", "SELECT 'a|b' AS x, 'line 1' || chr(10) || 'line 2' AS y",
                       "--format", "markdown", "--warehouse", str(sample_warehouse))  # fmt: skip
    assert stdout.splitlines()[-1] == "| a\\|b | line 1<br>line 2 |"


def test_line_shows_one_column_per_line(sample_warehouse: Path) -> None:
    code, stdout, _ = poa(
        "sql", "SELECT meta_id, status, quality_rules FROM v_meta_status"
        " WHERE report_id = '2024-58201-20240930' AND meta_id IN (300, 301) ORDER BY meta_id",
        # 301: P 7 + 7 + 6 + 8 = 28 against a target of 30.
        "--format", "line", "--warehouse", str(sample_warehouse),
    )  # fmt: skip
    assert (code, stdout) == (0, (
        "      meta_id = 300\n"
        "       status = en_tiempo\n"
        "quality_rules = achieved_after_cut_off, achieved_sum_differs_from_absolute\n"
        "\n"
        "      meta_id = 301\n"
        "       status = en_tiempo\n"
        "quality_rules = planned_sum_differs_from_target\n"
    ))  # fmt: skip


def test_every_statement_runs_and_each_result_is_shown(sample_warehouse: Path) -> None:
    both = "SELECT count(*) AS metas FROM metas; SELECT count(*) AS reports FROM reports;"
    warehouse = ("--warehouse", str(sample_warehouse))
    assert poa("sql", both, "--format", "csv", *warehouse) == (
        0, "metas\n32\n\nreports\n5\n", "",
    )  # fmt: skip
    assert poa("sql", both, "--format", "json", *warehouse) == (
        0, '[\n  {\n    "metas": 32\n  }\n]\n\n[\n  {\n    "reports": 5\n  }\n]\n', "",
    )  # fmt: skip
    assert poa("sql", both, "--format", "line", *warehouse) == (
        0, "-- [1/2] SELECT count(*) AS metas FROM metas\nmetas = 32\n\n"
        "-- [2/2] SELECT count(*) AS reports FROM reports\nreports = 5\n", "",
    )  # fmt: skip


def test_the_query_from_a_file_or_stdin(sample_warehouse: Path, tmp_path: Path) -> None:
    script = tmp_path / "q.sql"
    script.write_text("-- how many\nSELECT count(*) AS n\nFROM metas;\n", encoding="utf-8")
    warehouse = ("--warehouse", str(sample_warehouse))
    assert poa("sql", "-f", str(script), "--format", "csv", *warehouse) == (0, "n\n32\n", "")
    runner_input = script.read_text(encoding="utf-8")
    for args in (["-"], ["-f", "-"]):
        result = CliRunner().invoke(
            app, ["sql", *args, "--format", "csv", *warehouse], input=runner_input
        )
        assert (result.exit_code, result.stdout) == (0, "n\n32\n"), args
    missing = tmp_path / "none.sql"
    assert poa("sql", "-f", str(missing), *warehouse) == (
        2, "", f"error: cannot read the SQL file {missing}: No such file or directory\n",
    )  # fmt: skip
    assert poa("sql", "SELECT 1", "-f", str(script), *warehouse) == (
        2, "", "error: give the SQL as an argument or with --file, not both\n",
    )  # fmt: skip
    assert poa("sql", *warehouse) == (
        2, "", 'error: no SQL given: poa sql "QUERY", poa sql -f FILE, or poa sql - < FILE\n',
    )  # fmt: skip


def test_an_sql_error_exits_1_with_duckdbs_message(sample_warehouse: Path) -> None:
    assert poa("sql", "SELECT 1 +", "--warehouse", str(sample_warehouse)) == (
        1, "", "SQL error: Parser Error: syntax error at or near \"+\"\n\n"
        "LINE 1: SELECT 1 +\n                 ^\n",
    )  # fmt: skip


def in_a_terminal(columns: int, *args: str) -> tuple[str, str]:
    """``poa`` run with its stdout on a pseudo-terminal ``columns`` wide, as a person sees
    it (colours stripped)."""
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns)}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("poa")), *args], stdout=slave, stderr=subprocess.PIPE,
        env=env, cwd=ROOT, check=False, timeout=120,
    )  # fmt: skip
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    text = re.sub(r"\x1b\[[0-9;]*m", "", shown.decode()).replace("\r\n", "\n")
    return text, done.stderr.decode()


def test_tables_fit_the_terminal(sample_warehouse: Path) -> None:
    shown, _ = in_a_terminal(
        60, "sql", "SELECT meta_id, description, status FROM v_meta_status"
        " WHERE meta_id IN (100, 101)  ORDER BY meta_id", "--warehouse", str(sample_warehouse),
    )  # fmt: skip
    assert max(len(line) for line in shown.splitlines()) <= 60
    words = " ".join(
        cell.strip() for line in shown.splitlines()[3:-1] for cell in line.split("│")[2:3]
    ).split()
    assert " ".join(words) == (
        "FOMENTAR LA AFLUENCIA Y DERRAMA TURÍSTICA DEL MUNICIPIO A TRÁVES DE LA GESTIÓN DE "
        "PROYECTOS E INVERSIONES PÚBLICAS Y PRIVADAS, CONTRIBUYENDO ASÍ AL DESARROLLO "
        "ECONÓMICO DE LA REGIÓN. SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES."
    )


def test_a_table_too_wide_for_the_terminal_is_shown_one_column_per_line(
    sample_warehouse: Path,
) -> None:
    shown, stderr = in_a_terminal(
        60, "sql", "SELECT * FROM v_meta_status WHERE meta_id = 101",
        "--warehouse", str(sample_warehouse),
    )  # fmt: skip
    assert stderr == "(too wide for 60 columns: one column per line, as --format line)\n"
    assert shown.splitlines()[:3] == [
        "                 report_id = 2023-58101-20240930",
        "               fiscal_year = 2023",
        "                 unit_code = 58101",
    ]


def test_csv_cells_a_spreadsheet_would_run_are_guarded(sample_warehouse: Path) -> None:
    assert poa(
        "sql", "SELECT '=HYPERLINK(\"x\")' AS \"=f\", -5 AS n, '@SUM(A1)' AS a, '- 3 metas' AS b",
        "--format", "csv", "--warehouse", str(sample_warehouse),
    ) == (0, "'=f,n,a,b\n\"'=HYPERLINK(\"\"x\"\")\",-5,'@SUM(A1),'- 3 metas\n", "")  # fmt: skip


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def test_ctrl_c_stops_a_running_query_with_one_line(sample_warehouse: Path) -> None:
    import signal
    import time

    query = "SELECT sum(a.range * b.range) FROM range(100000) a, range(100000) b"  # ~1 min
    running = subprocess.Popen(
        [str(Path(sys.executable).parent / "poa"), "sql", query,
         "--warehouse", str(sample_warehouse)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while _cpu_seconds(running.pid) < 2.5 and time.monotonic() < deadline:
        time.sleep(0.1)  # start-up costs well under 2.5 CPU-seconds: the query is running
    started = time.monotonic()
    running.send_signal(signal.SIGINT)
    stdout, stderr = running.communicate(timeout=30)
    assert time.monotonic() - started < 5
    assert (running.returncode, stdout, stderr) == (
        130, "", "error: interrupted: the query was stopped\n",
    )  # fmt: skip
