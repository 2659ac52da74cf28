"""The status of a meta (semáforo), as one SQL macro the views and analysts share, and the
thresholds it is computed with.

The rule, in order (T annual target, P and A the programmed and achieved values of the
quarters started by the cut-off date, each NULL when every such cell is blank):

1. ``sin_dato``: T is blank.
2. ``cumplida``: T > 0 and A ≥ T.
3. ``sin_programacion``: P is 0 or blank — nothing was due yet.
4. ``sin_dato``: something was due but no A was published for those quarters.
5. ``en_tiempo``: 100·A ≥ on-time %·P (default 90 %).
6. ``atrasada``: 100·A ≥ critical %·P (default 70 %).
7. ``critica``: below that.

The thresholds come from the ``[status]`` table of a TOML settings file: ``$POA_SETTINGS``,
else ``poa.toml`` beside the warehouse file; without one, the defaults. They are written
into the views when a load (or any ``poa ingest``) opens the warehouse for writing, and
shown by ``v_status_thresholds``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from poa_etl.store.comments import literal

STATUSES = ("cumplida", "en_tiempo", "atrasada", "critica", "sin_programacion", "sin_dato")
SETTINGS_FILE = "poa.toml"
DEFAULT_ON_TIME_PCT = 90.0
DEFAULT_CRITICAL_PCT = 70.0

META_STATUS_MACRO = """
CREATE OR REPLACE MACRO meta_status(annual_target, programmed, achieved, on_time_pct,
                                    critical_pct) AS
CASE
    WHEN annual_target IS NULL THEN 'sin_dato'
    WHEN annual_target > 0 AND achieved >= annual_target THEN 'cumplida'
    WHEN coalesce(programmed, 0) = 0 THEN 'sin_programacion'
    WHEN achieved IS NULL THEN 'sin_dato'
    WHEN achieved * 100 >= on_time_pct * programmed THEN 'en_tiempo'
    WHEN achieved * 100 >= critical_pct * programmed THEN 'atrasada'
    ELSE 'critica'
END
"""


class SettingsError(Exception):
    """The settings file cannot be used; the message names it and says why."""


@dataclass(frozen=True)
class Thresholds:
    """Achieved to date as a percentage of programmed to date: at or above ``on_time_pct``
    is en_tiempo, at or above ``critical_pct`` atrasada, below it critica."""

    on_time_pct: float = DEFAULT_ON_TIME_PCT
    critical_pct: float = DEFAULT_CRITICAL_PCT
    source: Path | None = None  # the settings file they came from; None for the defaults


def settings_path(warehouse: Path | None) -> Path | None:
    """``$POA_SETTINGS``, else ``poa.toml`` beside the warehouse (None for an in-memory one)."""
    if env := os.environ.get("POA_SETTINGS"):
        return Path(env)
    return None if warehouse is None else warehouse.parent / SETTINGS_FILE


def load_thresholds(path: Path | None) -> Thresholds:
    """The thresholds of the settings file at ``path``; the defaults when there is none.

    A file that exists but says something unusable is an error, never silently ignored.
    """
    if path is None or not path.exists():
        return Thresholds()
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"settings file {path}: cannot be read as TOML ({exc})") from None
    section = settings.get("status", {})
    unknown = sorted(set(settings) - {"status"}) + [
        f"status.{key}" for key in sorted(set(section) - {"on_time_pct", "critical_pct"})
    ]
    if unknown:
        raise SettingsError(
            f"settings file {path}: unknown setting {', '.join(unknown)} "
            "(known: status.on_time_pct, status.critical_pct)"
        )
    on_time = section.get("on_time_pct", DEFAULT_ON_TIME_PCT)
    critical = section.get("critical_pct", DEFAULT_CRITICAL_PCT)
    for name, value in (("on_time_pct", on_time), ("critical_pct", critical)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SettingsError(
                f"settings file {path}: status.{name} must be a number, not {value!r}"
            )
    if not 0 <= critical <= on_time:
        raise SettingsError(
            f"settings file {path}: status thresholds must satisfy 0 ≤ critical_pct ≤ "
            f"on_time_pct (got critical_pct {critical:g}, on_time_pct {on_time:g})"
        )
    return Thresholds(float(on_time), float(critical), path)


def thresholds_view_sql(thresholds: Thresholds) -> str:
    """``v_status_thresholds``: the thresholds the status views were written with."""
    source = "NULL" if thresholds.source is None else literal(str(thresholds.source))
    return f"""
CREATE OR REPLACE VIEW v_status_thresholds AS
SELECT {thresholds.on_time_pct!r}::DOUBLE AS on_time_pct,
       {thresholds.critical_pct!r}::DOUBLE AS critical_pct,
       {source}::VARCHAR AS settings_file
"""
