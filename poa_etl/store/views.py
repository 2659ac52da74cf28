"""The analysts' views over the warehouse tables, each described in ``schemas/views.yaml``.

``v_header_comparison`` has one column per fiscal year, so it is written again, for the
years present, whenever a load changes the reports (inside the load's transaction).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable
from pathlib import Path

import duckdb

from poa_etl.store import comments, status

# The header fields compared across years, in the order a reader expects them.
HEADER_FIELDS = (
    "ramo", "programa", "unidad ejecutora", "finalidad", "funcion", "subfuncion", "ejes",
    "estrategias", "lineas de accion",
)  # fmt: skip
SEPARATOR = " | "
# Bookkeeping, beside the lake's: what the views were last written from, and what they were.
WRITTEN = "internal.views_written"
WRITTEN_DDL = f"""
CREATE SCHEMA IF NOT EXISTS internal;
CREATE TABLE IF NOT EXISTS {WRITTEN} (statements VARCHAR NOT NULL, views VARCHAR NOT NULL);
COMMENT ON TABLE {WRITTEN} IS
    'poa-etl bookkeeping: digests of the view statements last run and of the views present.';
"""

V_LATEST_REPORTS = """
CREATE OR REPLACE VIEW v_latest_reports AS
-- Each unit-year's latest publication: the report with the highest cut-off date.
SELECT * FROM reports r
WHERE r.cut_off_date = (
    SELECT max(l.cut_off_date) FROM reports l
    WHERE l.fiscal_year = r.fiscal_year AND l.unit_code = r.unit_code
)
"""

V_PROGRESS_LATEST = """
CREATE OR REPLACE VIEW v_progress_latest AS
-- Progress as of each unit-year's latest publication.
SELECT p.*, r.cut_off_date
FROM progress p
JOIN v_latest_reports r USING (report_id)
"""

V_META_STATUS_HISTORY = """
CREATE OR REPLACE VIEW v_meta_status_history AS
-- Per meta of every publication: what was programmed and achieved in the quarters that had
-- started by the cut-off date (NULL when every such cell is blank), the progress that gives,
-- what the report says, the status (meta_status, poa_etl/store/status.py) and the quality
-- rules that fire for the meta.
WITH to_date AS (
    SELECT p.report_id, p.meta_id, count(DISTINCT p.quarter) AS quarters_started,
           sum(p.value) FILTER (p.measure = 'P') AS programmed_to_date,
           sum(p.value) FILTER (p.measure = 'A') AS achieved_to_date
    FROM progress p JOIN reports r USING (report_id)
    WHERE make_date(p.fiscal_year, 3 * p.quarter - 2, 1) <= r.cut_off_date
    GROUP BY p.report_id, p.meta_id
), rules AS (
    SELECT report_id, meta_id, string_agg(DISTINCT rule, ', ' ORDER BY rule) AS quality_rules
    FROM quality_issues WHERE meta_id IS NOT NULL GROUP BY report_id, meta_id
)
SELECT m.report_id, m.fiscal_year, m.unit_code, r.cut_off_date, m.meta_id, m.description,
       m.unit_of_measure, m.annual_target, coalesce(t.quarters_started, 0) AS quarters_started,
       t.programmed_to_date, t.achieved_to_date,
       round(t.achieved_to_date / nullif(m.annual_target, 0) * 100, 1) AS computed_progress_pct,
       round(t.achieved_to_date / nullif(t.programmed_to_date, 0) * 100, 1)
           AS achieved_vs_programmed_pct,
       meta_status(m.annual_target, t.programmed_to_date, t.achieved_to_date,
                   th.on_time_pct, th.critical_pct) AS status,
       m.reported_absolute, m.reported_relative_pct, q.quality_rules
FROM metas m
JOIN reports r USING (report_id)
CROSS JOIN v_status_thresholds th
LEFT JOIN to_date t USING (report_id, meta_id)
LEFT JOIN rules q USING (report_id, meta_id)
"""

V_META_STATUS = """
CREATE OR REPLACE VIEW v_meta_status AS
-- v_meta_status_history for each unit-year's latest publication only.
SELECT s.* FROM v_meta_status_history s
WHERE s.report_id IN (SELECT report_id FROM v_latest_reports)
"""

V_META_HISTORY = """
CREATE OR REPLACE VIEW v_meta_history AS
-- Each meta in every publication of its unit, oldest first. Metas are matched across
-- publications by unit and meta number; continues_previous says whether the previous
-- publication's meta with that number had the same description (accents and case aside),
-- false where the numbering was reused for another meta, NULL for a meta's first appearance.
SELECT s.unit_code, s.meta_id, s.fiscal_year, s.cut_off_date, s.report_id, s.description,
       s.annual_target, s.programmed_to_date, s.achieved_to_date, s.computed_progress_pct,
       s.reported_relative_pct, s.quality_rules, s.status,
       upper(strip_accents(s.description)) = lag(upper(strip_accents(s.description))) OVER w
           AS continues_previous
FROM v_meta_status_history s
WINDOW w AS (PARTITION BY s.unit_code, s.meta_id ORDER BY s.fiscal_year, s.cut_off_date)
ORDER BY s.unit_code, s.meta_id, s.fiscal_year, s.cut_off_date
"""

V_META_RECURRING = """
CREATE OR REPLACE VIEW v_meta_recurring AS
-- Metas of each unit-year's latest publication whose description recurs, within a ramo,
-- in two or more fiscal years: matched by the description's letters and digits, accents,
-- case and punctuation aside (units are renumbered between years, metas too).
WITH keyed AS (
    SELECT r.ramo_code,
           trim(regexp_replace(upper(strip_accents(s.description)), '[^A-Z0-9]+', ' ', 'g'))
               AS match_key,
           s.fiscal_year, s.unit_code, s.meta_id, s.description, s.annual_target,
           s.programmed_to_date, s.achieved_to_date, s.computed_progress_pct, s.status
    FROM v_meta_status s JOIN reports r USING (report_id)
)
SELECT ramo_code, match_key,
       count(DISTINCT fiscal_year) OVER (PARTITION BY ramo_code, match_key) AS fiscal_years,
       fiscal_year, unit_code, meta_id, description, annual_target, programmed_to_date,
       achieved_to_date, computed_progress_pct, status
FROM keyed
QUALIFY fiscal_years > 1
ORDER BY ramo_code, match_key, fiscal_year, unit_code, meta_id
"""

V_DATA_DICTIONARY = """
CREATE OR REPLACE VIEW v_data_dictionary AS
-- Every table and view of the warehouse and each of its columns, with what it means: the
-- comments written from schemas/tables.yaml and schemas/views.yaml.
SELECT c.table_name, CASE WHEN v.view_name IS NULL THEN 'table' ELSE 'view' END AS table_type,
       coalesce(t.comment, v.comment) AS table_description, c.column_index, c.column_name,
       c.data_type, c.comment AS description
FROM duckdb_columns() c
LEFT JOIN duckdb_tables() t ON t.database_name = c.database_name
     AND t.schema_name = c.schema_name AND t.table_name = c.table_name
LEFT JOIN duckdb_views() v ON v.database_name = c.database_name
     AND v.schema_name = c.schema_name AND v.view_name = c.table_name
WHERE c.database_name = current_database() AND c.schema_name = 'main' AND NOT c.internal
ORDER BY table_type, c.table_name, c.column_index
"""

# Header fields of a report: (field, value expression over reports r).
_REPORT_FIELDS = (
    ("ramo", "r.ramo_name"),
    ("programa", "concat_ws(' ', r.program_code, r.program_name)"),
    ("unidad ejecutora", "concat_ws(' ', r.unit_code, r.unit_name)"),
    ("finalidad", "concat_ws(' ', r.finalidad_code, r.finalidad_name)"),
    ("funcion", "concat_ws(' ', r.funcion_code, r.funcion_name)"),
    ("subfuncion", "concat_ws(' ', r.subfuncion_code, r.subfuncion_name)"),
)
_ALIGNMENT_FIELD = (
    "CASE a.level WHEN 'eje' THEN 'ejes' WHEN 'estrategia' THEN 'estrategias'"
    " ELSE 'lineas de accion' END"
)
# One row per (report, field, value); blank fields leave no row.
_HEADER_VALUES = "\n    UNION ALL\n    ".join(
    [
        f"SELECT r.report_id, r.fiscal_year, r.ramo_code, r.unit_code, '{field}' AS field,"
        f" nullif({value}, '') AS value FROM reports r"
        for field, value in _REPORT_FIELDS
    ]
    + [
        f"SELECT r.report_id, r.fiscal_year, r.ramo_code, r.unit_code, {_ALIGNMENT_FIELD},"
        " concat_ws(' ', a.code, a.name) FROM report_alignments a JOIN reports r USING (report_id)"
    ]
)


def header_comparison_sql(years: list[int]) -> str:
    """Per ramo, and per unit published in several years, each header field's distinct
    values in each fiscal year, one column per year (values joined by " | ")."""
    order = " ".join(f"WHEN '{f}' THEN {i}" for i, f in enumerate(HEADER_FIELDS))
    columns = "".join(
        f",\n       string_agg(DISTINCT value, '{SEPARATOR}' ORDER BY value)"
        f' FILTER (fiscal_year = {int(year)}) AS "{int(year)}"'
        for year in sorted(years)
    )
    return f"""
CREATE OR REPLACE VIEW v_header_comparison AS
WITH header_values AS (
    SELECT * FROM ({_HEADER_VALUES}) WHERE value IS NOT NULL
),
scoped AS (
    SELECT 'ramo' AS scope, ramo_code AS scope_code, fiscal_year, field, value
    FROM header_values
    UNION ALL
    SELECT 'unit', unit_code, fiscal_year, field, value FROM header_values
    WHERE unit_code IN (SELECT unit_code FROM reports GROUP BY unit_code
                        HAVING count(DISTINCT fiscal_year) > 1)
)
SELECT scope, scope_code, field{columns}
FROM scoped
GROUP BY scope, scope_code, field
ORDER BY scope, scope_code, CASE field {order} END
"""


def published_years(years: list[str], rows: list[tuple]) -> set[str]:
    """The years in which a scope (a ramo or a unit) published anything at all."""
    return {
        year for index, year in enumerate(years) if any(row[3 + index] is not None for row in rows)
    }


def changed_years(years: list[str], values: list[str | None], published: set[str]) -> list[str]:
    """The published years whose values differ from the previous published year's; a year
    the scope did not publish is not a change."""
    seen = [(y, v) for y, v in zip(years, values, strict=True) if y in published]
    return [year for (_, before), (year, value) in itertools.pairwise(seen) if value != before]


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every view, with the status thresholds of the warehouse's settings and
    the header comparison for the fiscal years now present, when any of that differs from
    what the warehouse holds; then the comments that are missing (re-creating a view drops
    them). Every load and every run's log opens the warehouse to write: re-creating the
    views each time cost a run a quarter of a second for nothing."""
    thresholds = status.load_thresholds(status.settings_path(_database_path(con)))
    years = [row[0] for row in con.execute("SELECT DISTINCT fiscal_year FROM reports").fetchall()]
    statements = (
        status.META_STATUS_MACRO, status.thresholds_view_sql(thresholds), V_LATEST_REPORTS,
        V_PROGRESS_LATEST, V_META_STATUS_HISTORY, V_META_STATUS, V_META_HISTORY,
        V_META_RECURRING, header_comparison_sql(years), V_DATA_DICTIONARY,
    )  # fmt: skip
    wanted = _digest(statements)
    con.execute(WRITTEN_DDL)
    if con.execute(f"SELECT statements, views FROM {WRITTEN}").fetchall() != [
        (wanted, _digest(_kept(con)))
    ]:
        for statement in statements:
            con.execute(statement)
        con.execute(f"DELETE FROM {WRITTEN}")
        con.execute(f"INSERT INTO {WRITTEN} VALUES (?, ?)", [wanted, _digest(_kept(con))])
    comments.apply(con)


def _kept(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The views present, so one dropped by another client is written again. (Their SQL
    cannot tell a replaced one: DuckDB prints a view it loaded from the file differently
    from the one it just created.)"""
    rows = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE database_name = current_database() "
        "AND schema_name = 'main' ORDER BY view_name"
    ).fetchall()
    return [name for (name,) in rows]


def _digest(texts: Iterable[str]) -> str:
    return hashlib.sha256("\0".join(texts).encode()).hexdigest()


def _database_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file of the connection's database; None for an in-memory one."""
    (path,) = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(path) if path else None
