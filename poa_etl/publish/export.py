"""``poa export``: a publication of the warehouse, in one of three formats, swapped in whole.

- ``csv``: one CSV per dataset and fiscal year for the open-data portal, ``no_cargados.csv``
  and ``diccionario_de_datos.csv`` (``csv_export``);
- ``xlsx``: one workbook for people, every code as text (``xlsx_export``);
- ``sipot``: the quarterly transparency upload, one row per meta and quarter (``sipot``).

Each comes with a ``datapackage.json`` built and validated with frictionless (``package``)
and is written beside the target folder, then swapped in (``folder``): the previous
publication stays whole until the new one is complete and valid.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import duckdb

from poa_etl.errors import UsageError
from poa_etl.publish import package, sipot
from poa_etl.publish.csv_export import write_csv_publication
from poa_etl.publish.datasets import spanish_reasons
from poa_etl.publish.folder import publish
from poa_etl.publish.results import ExportError, Publication, Written
from poa_etl.publish.xlsx_export import write_xlsx_publication
from poa_etl.store.years import chosen_years

FORMATS = ("csv", "xlsx", "sipot")


def export(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    years: Sequence[int] | None = None,
    *,
    format: str = "csv",
    latest_only: bool = False,
    excel: bool = False,
    overwrite: bool = False,
    sipot_layout: Path | None = None,
    keep: Sequence[Path] = (),
    progress: Callable[[Written], None] = lambda _: None,
) -> Publication:
    """Publish these fiscal years (default: all) of the warehouse into ``out``.

    ``overwrite``: replace what ``out`` holds (``--replace``), loose files only.
    Raises ``UsageError`` for a year the warehouse does not hold, an unknown format or a bad
    SIPOT layout, and ``ExportError`` when nothing can be published (an empty warehouse, a
    folder the export does not own, a failure while writing); then ``out`` is unchanged.
    ``keep``: paths ``out`` must not hold (the warehouse file).
    """
    if format not in FORMATS:
        raise UsageError(f"unknown format {format!r}: use {', '.join(FORMATS)}")
    layout = sipot.load_layout(sipot_layout) if format == "sipot" else None
    chosen = chosen_years(con, years)

    def build(folder: Path) -> list[Written]:
        if format == "csv":
            written, resources = write_csv_publication(
                con, folder, chosen, latest_only=latest_only, excel=excel, progress=progress
            )
        elif format == "xlsx":
            written, resources = write_xlsx_publication(
                con, folder, chosen, latest_only=latest_only, progress=progress
            )
        else:
            assert layout is not None
            written, resources = sipot.write_sipot_publication(
                con, folder, chosen, layout, progress
            )
        package.write_and_validate(
            folder, resources, format=format, years=chosen, latest_only=latest_only
        )
        return written

    try:
        with spanish_reasons(con):
            written = publish(out, build, format=format, years=chosen, replace=overwrite,
                              keep=keep)  # fmt: skip
    except (OSError, duckdb.IOException) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ExportError(
            f"cannot write the export into {out}: {reason}; the previous publication there "
            "is unchanged"
        ) from None
    published = tuple(replace(w, path=out / w.path.name) for w in written)
    return Publication(out, format, tuple(chosen), published)
