"""What every table, view and column means, written into the warehouse with ``COMMENT ON``
from the contract (``schemas/tables.yaml`` and ``schemas/views.yaml``), so any DuckDB client
reads it in ``duckdb_tables()``, ``duckdb_views()``, ``duckdb_columns()`` and
``v_data_dictionary``."""

from __future__ import annotations

import duckdb

from schemas import TABLES
from schemas.views import VIEWS, YEAR_COLUMN

_PRESENT = """
SELECT c.table_name, c.column_name, c.comment, coalesce(t.comment, v.comment)
FROM duckdb_columns() c
LEFT JOIN duckdb_tables() t ON t.database_name = c.database_name
     AND t.schema_name = c.schema_name AND t.table_name = c.table_name
LEFT JOIN duckdb_views() v ON v.database_name = c.database_name
     AND v.schema_name = c.schema_name AND v.view_name = c.table_name
WHERE c.database_name = current_database() AND c.schema_name = 'main'
"""


def describe(es: str, en: str) -> str:
    """One comment in both languages: Spanish first, for the people who use the data."""
    return f"{es} — {en}"


def wanted(present_columns: dict[str, list[str]]) -> dict[tuple[str, str | None], str]:
    """The comment each object should carry, by (table or view, column or None for the
    object itself), for the objects and columns present."""
    comments: dict[tuple[str, str | None], str] = {}
    for kind in (TABLES, VIEWS):
        for name, spec in kind.items():
            if name not in present_columns:
                continue
            comments[(name, None)] = describe(spec.description_es, spec.description_en)
            by_name = {c.name: c for c in spec.columns}
            for column in present_columns[name]:
                key = YEAR_COLUMN if column.isdigit() and YEAR_COLUMN in by_name else column
                if key in by_name:
                    c = by_name[key]
                    comments[(name, column)] = describe(c.es, c.en)
    return comments


def apply(con: duckdb.DuckDBPyConnection) -> None:
    """Write the comments that are missing or differ (re-creating a view drops them)."""
    rows = con.execute(_PRESENT).fetchall()
    present_columns: dict[str, list[str]] = {}
    current: dict[tuple[str, str | None], str | None] = {}
    for table, column, column_comment, object_comment in rows:
        present_columns.setdefault(table, []).append(column)
        current[(table, column)] = column_comment
        current[(table, None)] = object_comment
    statements = []
    for (name, column), text in wanted(present_columns).items():
        if current.get((name, column)) == text:
            continue
        kind = "COLUMN" if column else ("VIEW" if name in VIEWS else "TABLE")
        target = f'{name}."{column}"' if column else name
        statements.append(f"COMMENT ON {kind} {target} IS {literal(text)};")
    if statements:  # one call, not one per comment
        con.execute("\n".join(statements))


def literal(text: str) -> str:
    """A SQL string literal, for statements that take no parameters (COMMENT ON, views)."""
    return "'" + text.replace("'", "''") + "'"
