"""What the report shows, read from the warehouse's views in a few queries: each fiscal
year's units (latest publication) with their metas, status and quarters; quality issues;
what was not loaded; recurring metas; the header comparison."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import duckdb

from poa_etl.report.columns import QUARTER_LABELS
from poa_etl.store import views
from poa_etl.store.status import STATUSES


@dataclass(frozen=True)
class Quarter:
    number: int
    label: str
    programmed: float | None  # as published; None for a blank cell
    achieved: float | None
    started: bool  # had the quarter begun by the cut-off date?
    programmed_cumulative: float | None  # None where the chart draws no mark
    achieved_cumulative: float | None


@dataclass(frozen=True)
class Meta:
    meta_id: int
    description: str
    unit_of_measure: str | None
    pmd_code: str | None
    annual_target: float
    quarters_started: int
    programmed_to_date: float | None
    achieved_to_date: float | None
    computed_progress_pct: float | None
    achieved_vs_programmed_pct: float | None
    status: str
    reported_absolute: float | None
    reported_relative_pct: float | None
    quality_rules: str | None
    observations: str | None
    quarters: tuple[Quarter, ...] = ()


@dataclass
class Unit:
    fiscal_year: int
    unit_code: str
    unit_name: str | None
    report_id: str
    cut_off_date: date
    header: list[tuple[str, str]]  # (label, value) as published
    metas: list[Meta] = field(default_factory=list)

    @property
    def status_counts(self) -> dict[str, int]:
        return count_statuses(self.metas)


@dataclass
class Year:
    fiscal_year: int
    units: list[Unit]
    issues: list[dict]
    quarantined: list[dict]

    @property
    def metas(self) -> list[Meta]:
        return [m for u in self.units for m in u.metas]

    @property
    def status_counts(self) -> dict[str, int]:
        return count_statuses(self.metas)


@dataclass
class HeaderComparison:
    years: list[str]
    # per scope (a ramo, or a unit published in several years): scope, code and its rows
    # (field, values by year, the years whose values changed)
    scopes: list[dict]


@dataclass
class Site:
    years: list[Year]
    on_time_pct: float
    critical_pct: float
    rejected: list[dict]
    recurring: list[dict]  # per recurring meta: key, description, by year: [metas]
    headers: HeaderComparison


def count_statuses(metas: list[Meta]) -> dict[str, int]:
    """Metas per status, every status present (0 when none), in the rule's order."""
    counts = Counter(m.status for m in metas)
    return {status: counts.get(status, 0) for status in STATUSES}


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def gather(con: duckdb.DuckDBPyConnection, years: list[int]) -> Site:
    """Everything the pages show for ``years`` (each unit-year's latest publication)."""
    chosen = [int(y) for y in years]
    (on_time, critical) = con.execute(
        "SELECT on_time_pct, critical_pct FROM v_status_thresholds"
    ).fetchone()
    return Site(
        years=[_year(con, year) for year in chosen],
        on_time_pct=on_time,
        critical_pct=critical,
        rejected=_records(
            con,
            "SELECT path, error, ingested_at FROM sources WHERE status = 'rejected' ORDER BY path",
        ),
        recurring=_recurring(con, chosen),
        headers=_headers(con, chosen),
    )


def _year(con: duckdb.DuckDBPyConnection, year: int) -> Year:
    reports = _records(
        con, "SELECT * FROM v_latest_reports WHERE fiscal_year = ? ORDER BY unit_code", [year]
    )
    alignments = _records(
        con,
        "SELECT report_id, level, code, name FROM report_alignments WHERE fiscal_year = ?"
        " AND report_id IN (SELECT report_id FROM v_latest_reports) ORDER BY report_id, position",
        [year],
    )
    metas = _records(
        con,
        "SELECT s.*, m.pmd_code, m.observations FROM v_meta_status s"
        " JOIN metas m USING (report_id, meta_id) WHERE s.fiscal_year = ?"
        " ORDER BY s.unit_code, s.meta_id",
        [year],
    )
    cells = _records(
        con,
        "SELECT report_id, meta_id, quarter, measure, value FROM v_progress_latest"
        " WHERE fiscal_year = ? ORDER BY report_id, meta_id, quarter",
        [year],
    )
    values = {(c["report_id"], c["meta_id"], c["quarter"], c["measure"]): c["value"] for c in cells}
    metas_of = _by_report(metas)
    alignments_of = _by_report(alignments)
    units = [
        Unit(
            fiscal_year=year,
            unit_code=report["unit_code"],
            unit_name=report["unit_name"],
            report_id=report["report_id"],
            cut_off_date=report["cut_off_date"],
            header=_header(report, alignments_of.get(report["report_id"], [])),
            metas=[_meta(m, values) for m in metas_of.get(report["report_id"], [])],
        )
        for report in reports
    ]
    issues = _records(
        con,
        "SELECT unit_code, meta_id, rule, severity, message FROM quality_issues"
        " WHERE fiscal_year = ? AND report_id IN (SELECT report_id FROM v_latest_reports)"
        " ORDER BY unit_code, meta_id NULLS FIRST, rule",
        [year],
    )
    quarantined = _records(
        con,
        "SELECT q.location, q.reason, q.raw, q.report_id FROM quarantine q"
        " WHERE q.fiscal_year = ? ORDER BY q.location",
        [year],
    )
    return Year(year, units, issues, quarantined)


def _by_report(rows: list[dict]) -> dict[str, list[dict]]:
    """Rows grouped by their report, in their order."""
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["report_id"], []).append(row)
    return grouped


def _header(report: dict, alignments: list[dict]) -> list[tuple[str, str]]:
    """The report's header block as published, label by label."""

    def pair(code: str | None, name: str | None) -> str:
        return " ".join(part for part in (code, name) if part)

    fields = [
        ("Ramo", pair(report["ramo_code"], report["ramo_name"])),
        ("Programa", pair(report["program_code"], report["program_name"])),
        ("Unidad ejecutora", pair(report["unit_code_raw"], report["unit_name"])),
        ("Finalidad", pair(report["finalidad_code"], report["finalidad_name"])),
        ("Función", pair(report["funcion_code"], report["funcion_name"])),
        ("Subfunción", pair(report["subfuncion_code"], report["subfuncion_name"])),
    ]
    labels = {"eje": "Eje de gobierno", "estrategia": "Estrategia", "linea": "Línea de acción"}
    fields += [(labels[a["level"]], pair(a["code"], a["name"])) for a in alignments]
    return [(label, value) for label, value in fields if value]


def _meta(row: dict, values: dict) -> Meta:
    key = (row["report_id"], row["meta_id"])
    started = row["quarters_started"]
    published_p = [values.get((*key, q, "P")) for q in range(1, 5)]
    published_a = [values.get((*key, q, "A")) for q in range(1, 5)]
    p_cumulative = _cumulative(published_p, 4)
    a_cumulative = _cumulative(published_a, started)
    quarters = tuple(
        Quarter(
            number=q,
            label=QUARTER_LABELS[q],
            programmed=published_p[q - 1],
            achieved=published_a[q - 1],
            started=q <= started,
            programmed_cumulative=p_cumulative[q - 1],
            achieved_cumulative=a_cumulative[q - 1],
        )
        for q in range(1, 5)
    )
    fields = {name: row[name] for name in Meta.__dataclass_fields__ if name in row}
    return Meta(**fields, quarters=quarters)


def _cumulative(cells: list[float | None], counted: int) -> list[float | None]:
    """Running totals of the first ``counted`` quarters (a blank cell adds nothing); all
    None when none of those cells was published — no series is drawn from blanks."""
    if all(c is None for c in cells[:counted]):
        return [None] * len(cells)
    totals = list(itertools.accumulate(c or 0 for c in cells[:counted]))
    return [*totals, *[None] * (len(cells) - counted)]


def _recurring(con: duckdb.DuckDBPyConnection, years: list[int]) -> list[dict]:
    rows = _records(
        con,
        "SELECT * FROM v_meta_recurring WHERE list_contains(?::INTEGER[], fiscal_year)",
        [years],
    )
    groups = []
    for (ramo, key), members in itertools.groupby(
        rows, key=lambda r: (r["ramo_code"], r["match_key"])
    ):
        members = list(members)
        by_year = {y: [m for m in members if m["fiscal_year"] == y] for y in years}
        if sum(1 for found in by_year.values() if found) > 1:
            groups.append({"ramo_code": ramo, "key": key, "description": members[-1]["description"],
                           "by_year": by_year})  # fmt: skip
    return groups


def _headers(con: duckdb.DuckDBPyConnection, years: list[int]) -> HeaderComparison:
    """Per ramo (and unit published in several years) each header field's values in the
    chosen years, and the years whose values differ from the previous published year's."""
    shown = [str(y) for y in years]
    columns = "".join(f', "{y}"' for y in shown)
    rows = con.execute(f"SELECT scope, scope_code, field{columns} FROM v_header_comparison")
    scopes = []
    for (scope, code), group in itertools.groupby(rows.fetchall(), key=lambda row: row[:2]):
        group = list(group)
        published = views.published_years(shown, group)
        scopes.append({"scope": scope, "code": code, "rows": [
            {"field": field_name, "values": dict(zip(shown, values, strict=True)),
             "changed": views.changed_years(shown, values, published)}
            for _, _, field_name, *values in group
        ]})  # fmt: skip
    return HeaderComparison(shown, scopes)
