"""Each page of the report as HTML, from Jinja templates (``templates/``) with autoescaping:
the published text reaches the page as text, never as markup."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from poa_etl.publish.site import charts, text
from poa_etl.publish.site.data import Site
from poa_etl.store.status import STATUSES
from schemas import TABLES
from schemas.views import VIEWS

INDEX = "index.html"
RECURRING = "metas-recurrentes.html"
HEADERS = "encabezados.html"
DICTIONARY = "diccionario.html"


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("poa_etl.publish.site", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        numero=text.number, porcentaje=text.percent, fecha=text.long_date,
        estado=text.status_label, color=text.status_colour,
    )  # fmt: skip
    env.globals.update(charts=charts, statuses=STATUSES, STATUS=text.STATUS)
    return env


def unit_page(year: int, unit_code: str) -> str:
    return f"{year}/{unit_code}.html"


def render(site: Site, generated: datetime, source: str) -> Iterator[tuple[str, str]]:
    """Every page and its path inside the report folder, one at a time (a report of
    thousands of units need not be held in memory)."""
    env = environment()
    common = {
        "site": site, "generated": generated, "source": source, "unit_page": unit_page,
        "pages": {"index": INDEX, "recurring": RECURRING, "headers": HEADERS,
                  "dictionary": DICTIONARY},
    }  # fmt: skip

    def page(template: str, root: str, **context: object) -> str:
        return env.get_template(template).render(**common, root=root, **context)

    objects = [*TABLES.values(), *VIEWS.values()]
    yield INDEX, page("index.html.j2", "")
    yield RECURRING, page("recurring.html.j2", "")
    yield HEADERS, page("headers.html.j2", "")
    yield DICTIONARY, page("dictionary.html.j2", "", objects=objects, views=set(VIEWS))
    for year in site.years:
        yield f"{year.fiscal_year}/{INDEX}", page("year.html.j2", "../", year=year)
        for unit in year.units:
            yield (
                unit_page(year.fiscal_year, unit.unit_code),
                page("unit.html.j2", "../", year=year, unit=unit),
            )
