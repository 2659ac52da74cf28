"""Quality rules: the exact issues on the sample, worked out by hand, and each rule's edges."""

from __future__ import annotations

from pathlib import Path

from conftest import fetch, mutated_sample, sample_line
from test_ingest import poa

# Worked out by hand from the dump (see the comments), then compared.
EXPECTED = {
    # 2023 report, FECHA 30-sep-24: 274 days after the fiscal year ended; finalidad 3.7.1.
    ("cut_off_outside_fiscal_year", 2023, "58101", None),
    ("classification_code_malformed", 2023, "58101", None),
    ("planned_sum_differs_from_target", 2023, "58101", 100),  # P: 1 (Abr-Jun only), target 2
    # 2024: program 511 is GESTION ADMINISTRATIVA for 58102, PROMOCIÓN Y … for 58202.
    ("program_name_conflict", 2024, "58102", None),
    ("program_name_conflict", 2024, "58202", None),
    ("classification_code_malformed", 2024, "58201", None),
    ("classification_code_malformed", 2024, "58202", None),
    ("achieved_sum_differs_from_absolute", 2024, "58201", 300),  # A 3+3+3+3, absolute 9
    ("achieved_after_cut_off", 2024, "58201", 300),  # A 3 in Oct-Dic, FECHA 30-sep-24
    ("planned_sum_differs_from_target", 2024, "58201", 301),  # P 7+7+6+8 = 28, target 30
    ("planned_sum_differs_from_target", 2024, "58201", 306),  # P all blank, target 1
    ("achieved_sum_differs_from_absolute", 2024, "58201", 306),  # A 1 in Oct-Dic, absolute 0
    ("achieved_after_cut_off", 2024, "58201", 306),
    # 2022 report, FECHA 30-sep-24; finalidad 3.7.1.
    ("cut_off_outside_fiscal_year", 2022, "58203", None),
    ("classification_code_malformed", 2022, "58203", None),
}  # fmt: skip


def issues(warehouse: Path, rule: str | None = None) -> list[tuple]:
    where = f"WHERE rule = '{rule}'" if rule else ""
    return fetch(
        warehouse,
        f"SELECT rule, fiscal_year, unit_code, meta_id, severity, message FROM quality_issues"
        f" {where} ORDER BY ALL",
    )


def load(tmp_path: Path, edits: dict[int, str]) -> Path:
    warehouse = tmp_path / "poa.duckdb"
    source = mutated_sample(tmp_path / "in", edits)
    assert poa("ingest", str(source), "--warehouse", str(warehouse))[0] == 0
    return warehouse


def test_the_sample_raises_exactly_the_issues_worked_out_by_hand(sample_warehouse: Path) -> None:
    found = fetch(
        sample_warehouse, "SELECT rule, fiscal_year, unit_code, meta_id FROM quality_issues"
    )
    assert len(found) == len(EXPECTED)
    assert set(found) == EXPECTED


def test_planned_sum_differs_from_target(sample_warehouse: Path) -> None:
    rule = "planned_sum_differs_from_target"
    assert issues(sample_warehouse, rule) == [
        (rule, 2023, "58101", 100, "warning",
         "P adds up to 1 over the four quarters; META ANUAL AUTORIZADA is 2"),
        (rule, 2024, "58201", 301, "warning",
         "P adds up to 28 over the four quarters; META ANUAL AUTORIZADA is 30"),
        (rule, 2024, "58201", 306, "warning",
         "P adds up to 0 over the four quarters; META ANUAL AUTORIZADA is 1"),
    ]  # fmt: skip


def test_achieved_sum_differs_from_absolute(sample_warehouse: Path) -> None:
    rule = "achieved_sum_differs_from_absolute"
    assert issues(sample_warehouse, rule) == [
        (rule, 2024, "58201", 300, "warning",
         "A adds up to 12 over the four quarters; AVANCE ABSOLUTO is 9"),
        (rule, 2024, "58201", 306, "warning",
         "A adds up to 1 over the four quarters; AVANCE ABSOLUTO is 0"),
    ]  # fmt: skip


def test_relative_differs_from_computed_by_a_whole_point(tmp_path: Path) -> None:
    # Meta 101: 21 / 30 = 70%. Published 72% is two points off; 301's 67% vs 66.67% is not.
    warehouse = load(tmp_path, {32: sample_line(32).replace("\t21\t70%\t", "\t21\t72%\t")})
    rule = "relative_differs_from_computed"
    assert issues(warehouse, rule) == [
        (rule, 2023, "58101", 101, "warning",
         "ACUMULADO RELATIVO is 72%; AVANCE ABSOLUTO / META ANUAL AUTORIZADA is 21 / 30 = 70%"),
    ]  # fmt: skip


def test_achieved_after_cut_off_ignores_zeros(sample_warehouse: Path) -> None:
    rule = "achieved_after_cut_off"
    message = "A is {} in Oct-Dic, after the cut-off date 2024-09-30 (the quarter had not started)"
    # 58102, 58202 and 58203 print 0 in Oct-Dic A: not an achievement, not flagged.
    assert issues(sample_warehouse, rule) == [
        (rule, 2024, "58201", 300, "error", message.format(3)),
        (rule, 2024, "58201", 306, "error", message.format(1)),
    ]


def test_cut_off_outside_fiscal_year_edges(tmp_path: Path) -> None:
    rule = "cut_off_outside_fiscal_year"
    # The 2023 report: 90 days after 2023-12-31 is 2024-03-30.
    assert [r[1:4] for r in issues(load(tmp_path / "a", {26: "FECHA: 30-mar-24"}), rule)] == [
        (2022, "58203", None),
    ]
    assert issues(load(tmp_path / "b", {26: "FECHA: 31-mar-24"}), rule)[1] == (
        rule, 2023, "58101", None, "warning",
        "FECHA 2024-03-31 is outside fiscal year 2023 "
        "(from 2023-01-01 to 90 days after 2023-12-31)",
    )  # fmt: skip
    assert issues(load(tmp_path / "c", {26: "FECHA: 31-dic-22"}), rule)[1][1:4] == (
        2023, "58101", None,
    )  # fmt: skip


def test_program_name_conflict_and_accents(sample_warehouse: Path, tmp_path: Path) -> None:
    rule = "program_name_conflict"
    assert issues(sample_warehouse, rule) == [
        (rule, 2024, "58102", None, "warning",
         "program 511 is named 'GESTION ADMINISTRATIVA' here, but 'PROMOCIÓN Y CONSERVACIÓN DE "
         "LOS RECURSOS TURÍSTICOS' in 2024-58202-20240930"),
        (rule, 2024, "58202", None, "warning",
         "program 511 is named 'PROMOCIÓN Y CONSERVACIÓN DE LOS RECURSOS TURÍSTICOS' here, but "
         "'GESTION ADMINISTRATIVA' in 2024-58102-20240930"),
    ]  # fmt: skip
    # The same name with an accent is the same name.
    same = sample_line(163).replace("PROMOCIÓN Y CONSERVACIÓN DE LOS RECURSOS TURÍSTICOS",
                                    "GESTIÓN ADMINISTRATIVA")  # fmt: skip
    assert issues(load(tmp_path, {163: same}), rule) == []


def test_program_name_conflict_across_separate_loads(tmp_path: Path) -> None:
    """A conflict with a report loaded earlier is found when the second one arrives."""
    lines = [sample_line(n) for n in range(1, 246)]
    first = tmp_path / "a.txt"
    first.write_text("\n".join(lines[51:97]), encoding="utf-8")  # 2024 unit 58102 only
    second = tmp_path / "b.txt"
    second.write_text("\n".join(lines[148:202]), encoding="utf-8")  # 2024 unit 202 only
    warehouse = tmp_path / "poa.duckdb"
    assert poa("ingest", str(first), "--warehouse", str(warehouse))[0] == 0
    assert issues(warehouse, "program_name_conflict") == []
    assert poa("ingest", str(second), "--warehouse", str(warehouse))[0] == 0
    assert [r[2] for r in issues(warehouse, "program_name_conflict")] == ["58102", "58202"]


def test_classification_code_malformed(sample_warehouse: Path, tmp_path: Path) -> None:
    rule = "classification_code_malformed"
    finalidad = (
        "FINALIDAD 3.7.1 has 3 levels; in the CONAC functional classification a finalidad code "
        "has 1 (like 3)"
    )
    assert [r[2:] for r in issues(sample_warehouse, rule)] == [
        (unit, None, "warning", finalidad) for unit in ("58203", "58101", "58201", "58202")
    ]
    funcion = sample_line(16).replace("3.7", "3.7.1")  # the 2023 report's FUNCION
    found = [r[2:] for r in issues(load(tmp_path, {16: funcion}), rule)]
    assert ("58101", None, "warning",
            "FUNCIÓN 3.7.1 has 3 levels; in the CONAC functional classification a función code "
            "has 2 (like 3.7)") in found  # fmt: skip


def test_poa_quality_lists_issues_and_quarantine_by_report(sample_warehouse: Path) -> None:
    code, stdout, _ = poa(
        "quality", "--year", "2024", "--format", "csv", "--warehouse", str(sample_warehouse)
    )
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0] == (
        "fiscal_year,unit_code,report_id,kind,meta_id,rule_or_stage,severity,location,message"
    )
    assert [tuple(line.split(",")[2:6]) for line in lines[1:]] == [
        ("2024-58102-20240930", "issue", "", "program_name_conflict"),
        ("2024-58102-20240930", "quarantined", "", "table"),
        ("2024-58201-20240930", "issue", "", "classification_code_malformed"),
        ("2024-58201-20240930", "issue", "300", "achieved_after_cut_off"),
        ("2024-58201-20240930", "issue", "300", "achieved_sum_differs_from_absolute"),
        ("2024-58201-20240930", "issue", "301", "planned_sum_differs_from_target"),
        ("2024-58201-20240930", "issue", "306", "achieved_after_cut_off"),
        ("2024-58201-20240930", "issue", "306", "achieved_sum_differs_from_absolute"),
        ("2024-58201-20240930", "issue", "306", "planned_sum_differs_from_target"),
        ("2024-58202-20240930", "issue", "", "classification_code_malformed"),
        ("2024-58202-20240930", "issue", "", "program_name_conflict"),
    ]
    code, stdout, _ = poa("quality", "--warehouse", str(sample_warehouse))
    assert stdout.endswith("\n15 quality issue(s), 1 quarantined row(s).\n")


def test_poa_quality_for_a_year_of_a_warehouse_without_reports(tmp_path: Path) -> None:
    """Its only file was rejected: the year is unknown and the warehouse holds no year."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "roto.pdf").write_bytes(b"Esto no es un PDF\n")
    warehouse = str(tmp_path / "poa.duckdb")
    assert poa("ingest", str(folder), "--warehouse", warehouse)[0] == 1
    assert poa("quality", "--year", "2024", "--warehouse", warehouse) == (
        2, "", "error: no reports for fiscal year 2024 in the warehouse (it holds none)\n",
    )  # fmt: skip
