"""The analysts' views, read from ``views.yaml``: what each view and column means, for the
warehouse's comments and the data dictionary. A view column that repeats a table's
(``from: metas``) takes that table's definition, so a meaning is written once."""

from __future__ import annotations

from importlib.resources import files

import yaml

from schemas import TABLES, Column, Table

# In v_header_comparison, the entry that stands for every fiscal-year column ("2024").
YEAR_COLUMN = "YYYY"


def _column(entry: dict, known: dict[str, Table]) -> Column:
    if "from" in entry:
        return known[entry["from"]].column(entry["name"])
    return Column.from_entry(entry)


def _load() -> dict[str, Table]:
    text = files(__package__).joinpath("views.yaml").read_text(encoding="utf-8")
    spec = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # as tables.yaml
    views: dict[str, Table] = {}
    for name, body in spec.items():
        known = {**TABLES, **views}
        inherited = known[body["columns_from"]].columns if "columns_from" in body else ()
        views[name] = Table(
            name=name,
            description_es=body["description"]["es"],
            description_en=body["description"]["en"],
            primary_key=(),
            unique=(),
            references=(),
            columns=(*inherited, *(_column(c, known) for c in body["columns"])),
        )
    return views


VIEWS: dict[str, Table] = _load()
