"""Quality rules: what the publications get wrong, flagged — values stay as published.

Each rule is a function returning a SQL query over the warehouse tables, restricted to the
fiscal years in the temporary table ``quality_years``, that yields ``report_id,
fiscal_year, unit_code, meta_id, message``. Rules read the warehouse rather than a batch
because some compare reports loaded at different times (``program_name_conflict``).
Sums treat a blank cell as nothing (0); a comparison needs both of its published values.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd

from poa_etl.report.columns import QUARTER_LABELS
from schemas import TABLES

TOLERANCE = 1e-9  # published values are exact decimals; sums of doubles are not
SUM_DECIMALS = 9  # a sum printed to the tolerance: 0.1 + 0.2 is 0.3
# Whole numbers below this print as integers; a larger or computed value (a percentage of
# a tiny target) prints as DuckDB writes a double, and is never cast to an integer.
WHOLE = 1e15


def _num(expr: str, decimals: int | None = None) -> str:
    """SQL that prints a number as published: 30, not 30.0; a computed one rounded."""
    shown = expr if decimals is None else f"round({expr}, {decimals})"
    return (
        f"CASE WHEN {shown} = trunc({shown}) AND abs({shown}) < {WHOLE:.0f}"
        f" THEN CAST(CAST({shown} AS BIGINT) AS VARCHAR)"
        f" ELSE CAST({shown} AS VARCHAR) END"
    )


def _sum_differs(measure: str, column: str, label: str) -> str:
    """Metas whose ``measure`` values of the four quarters do not add up to ``column``."""
    return f"""
        SELECT m.report_id, m.fiscal_year, m.unit_code, m.meta_id,
               '{measure} adds up to ' || {_num("s.total", SUM_DECIMALS)}
               || ' over the four quarters; '
               || '{label} is ' || {_num(f"m.{column}")} AS message
        FROM metas m JOIN (
            SELECT report_id, meta_id, coalesce(sum(value), 0) AS total FROM progress
            WHERE measure = '{measure}'
              AND fiscal_year IN (SELECT fiscal_year FROM quality_years)
            GROUP BY report_id, meta_id
        ) s USING (report_id, meta_id)
        WHERE m.{column} IS NOT NULL AND abs(s.total - m.{column}) > {TOLERANCE}"""


def planned_sum_differs_from_target() -> str:
    """The P values of the four quarters do not add up to META ANUAL AUTORIZADA."""
    return _sum_differs("P", "annual_target", "META ANUAL AUTORIZADA")


def achieved_sum_differs_from_absolute() -> str:
    """The A values of the four quarters do not add up to AVANCE ABSOLUTO."""
    return _sum_differs("A", "reported_absolute", "AVANCE ABSOLUTO")


def relative_differs_from_computed() -> str:
    """ACUMULADO RELATIVO is a whole percent off AVANCE ABSOLUTO / META ANUAL x 100 or more."""
    computed = "m.reported_absolute / m.annual_target * 100"
    return f"""
        SELECT m.report_id, m.fiscal_year, m.unit_code, m.meta_id,
               'ACUMULADO RELATIVO is ' || {_num("m.reported_relative_pct")} || '%; '
               || 'AVANCE ABSOLUTO / META ANUAL AUTORIZADA is ' || {_num("m.reported_absolute")}
               || ' / ' || {_num("m.annual_target")} || ' = ' || {_num(computed, 2)} || '%'
               AS message
        FROM metas m
        WHERE m.fiscal_year IN (SELECT fiscal_year FROM quality_years)
          AND m.annual_target > 0 AND m.reported_absolute IS NOT NULL
          AND m.reported_relative_pct IS NOT NULL
          AND abs(m.reported_relative_pct - {computed}) >= 1"""


def achieved_after_cut_off() -> str:
    """A non-zero A value in a quarter that starts after the cut-off date (FECHA)."""
    labels = " ".join(f"WHEN {q} THEN '{label}'" for q, label in QUARTER_LABELS.items())
    return f"""
        SELECT p.report_id, p.fiscal_year, p.unit_code, p.meta_id,
               'A is ' || string_agg({_num("p.value")} || ' in ' || CASE p.quarter {labels} END,
                                     ', ' ORDER BY p.quarter)
               || ', after the cut-off date ' || strftime(r.cut_off_date, '%Y-%m-%d')
               || ' (the quarter had not started)' AS message
        FROM progress p JOIN reports r USING (report_id)
        WHERE p.fiscal_year IN (SELECT fiscal_year FROM quality_years)
          AND p.measure = 'A' AND p.value <> 0
          AND make_date(p.fiscal_year, 3 * p.quarter - 2, 1) > r.cut_off_date
        GROUP BY p.report_id, p.fiscal_year, p.unit_code, p.meta_id, r.cut_off_date"""


def cut_off_outside_fiscal_year() -> str:
    """FECHA before the fiscal year starts, or more than 90 days after it ends."""
    return """
        SELECT report_id, fiscal_year, unit_code, NULL::INTEGER AS meta_id,
               'FECHA ' || strftime(cut_off_date, '%Y-%m-%d') || ' is outside fiscal year '
               || fiscal_year || ' (from ' || fiscal_year || '-01-01 to 90 days after '
               || fiscal_year || '-12-31)' AS message
        FROM reports
        WHERE fiscal_year IN (SELECT fiscal_year FROM quality_years)
          AND (cut_off_date < make_date(fiscal_year, 1, 1)
               OR cut_off_date > make_date(fiscal_year, 12, 31) + INTERVAL 90 DAY)"""


def program_name_conflict() -> str:
    """One program code published under two names in one fiscal year (accents and case aside)."""
    folded = "regexp_replace(strip_accents(upper(trim(program_name))), '\\s+', ' ', 'g')"
    return f"""
        WITH named AS (
            SELECT report_id, fiscal_year, unit_code, program_code, program_name,
                   {folded} AS folded
            FROM reports
            WHERE fiscal_year IN (SELECT fiscal_year FROM quality_years)
              AND program_name IS NOT NULL
        )
        SELECT a.report_id, a.fiscal_year, a.unit_code, NULL::INTEGER AS meta_id,
               'program ' || a.program_code || ' is named ''' || a.program_name
               || ''' here, but ' || string_agg('''' || b.program_name || ''' in '
               || b.report_id, ', ' ORDER BY b.report_id) AS message
        FROM named a JOIN named b
          ON a.fiscal_year = b.fiscal_year AND a.program_code = b.program_code
         AND a.folded <> b.folded
        GROUP BY a.report_id, a.fiscal_year, a.unit_code, a.program_code, a.program_name"""


def classification_code_malformed() -> str:
    """CONAC functional classification: finalidad has 1 level, función 2, subfunción 3."""
    return """
        SELECT report_id, fiscal_year, unit_code, NULL::INTEGER AS meta_id,
               label || ' ' || code || ' has ' || len(string_split(code, '.')) || ' levels; '
               || 'in the CONAC functional classification a ' || lower(label) || ' code has '
               || levels || ' (like ' || example || ')' AS message
        FROM (
            SELECT report_id, fiscal_year, unit_code, 'FINALIDAD' AS label,
                   finalidad_code AS code, 1 AS levels, '3' AS example FROM reports
            UNION ALL SELECT report_id, fiscal_year, unit_code, 'FUNCIÓN', funcion_code, 2,
                   '3.7' FROM reports
            UNION ALL SELECT report_id, fiscal_year, unit_code, 'SUBFUNCIÓN', subfuncion_code,
                   3, '3.7.1' FROM reports
        )
        WHERE fiscal_year IN (SELECT fiscal_year FROM quality_years)
          AND code IS NOT NULL AND len(string_split(code, '.')) <> levels"""


# rule -> (query, severity). 'error': cannot be true as published; 'warning': inconsistent.
RULES: dict[str, tuple[Callable[[], str], str]] = {
    "planned_sum_differs_from_target": (planned_sum_differs_from_target, "warning"),
    "achieved_sum_differs_from_absolute": (achieved_sum_differs_from_absolute, "warning"),
    "relative_differs_from_computed": (relative_differs_from_computed, "warning"),
    "achieved_after_cut_off": (achieved_after_cut_off, "error"),
    "cut_off_outside_fiscal_year": (cut_off_outside_fiscal_year, "warning"),
    "program_name_conflict": (program_name_conflict, "warning"),
    "classification_code_malformed": (classification_code_malformed, "warning"),
}


def find_issues(con: duckdb.DuckDBPyConnection, years: list[int]) -> pd.DataFrame:
    """Every rule's issues in the given fiscal years, as ``quality_issues`` rows."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE quality_years AS SELECT unnest(?::INTEGER[]) AS fiscal_year",
        [sorted(set(years))],
    )
    union = " UNION ALL ".join(
        f"SELECT report_id, fiscal_year, unit_code, meta_id, "
        f"'{rule}' AS rule, '{severity}' AS severity, message FROM ({query()})"
        for rule, (query, severity) in RULES.items()
    )
    found = con.execute(f"SELECT * FROM ({union}) ORDER BY ALL").df()
    return TABLES["quality_issues"].frame(found.to_dict("records"))


def listing(con: duckdb.DuckDBPyConnection, year: int | None) -> duckdb.DuckDBPyConnection:
    """Quality issues and quarantined rows, one list, grouped by report (for ``poa quality``)."""
    return con.execute(
        """
        SELECT coalesce(q.fiscal_year, r.fiscal_year) AS fiscal_year,
               coalesce(q.unit_code, r.unit_code) AS unit_code, q.report_id, q.kind,
               q.meta_id, q.rule_or_stage, q.severity, q.location, q.message
        FROM (
            SELECT report_id, fiscal_year, unit_code, 'issue' AS kind, meta_id,
                   rule AS rule_or_stage, severity, NULL AS location, message
            FROM quality_issues
            UNION ALL
            SELECT report_id, NULL, NULL, 'quarantined', NULL, stage, NULL, location, reason
            FROM quarantine
        ) q LEFT JOIN reports r USING (report_id)
        WHERE $year IS NULL OR coalesce(q.fiscal_year, r.fiscal_year) = $year
        ORDER BY fiscal_year, unit_code, report_id, kind, meta_id NULLS FIRST, rule_or_stage,
                 location
        """,
        {"year": year},
    )
