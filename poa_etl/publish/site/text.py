"""Values and labels as the report's readers expect them, in Spanish (Mexico): 7 rather
than 7.0, 1,250.5, "70%", "30 de septiembre de 2024", and the name and colour of each status."""

from __future__ import annotations

import math
from datetime import date

MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
    "octubre", "noviembre", "diciembre",
)  # fmt: skip
BLANK = "—"

# status → (label, colour). Colours from ColorBrewer's RdYlGn, distinguishable in print;
# the label is always written beside the colour, never the colour alone.
STATUS = {
    "cumplida": ("Cumplida", "#1a7837"),
    "en_tiempo": ("En tiempo", "#5aae61"),
    "atrasada": ("Atrasada", "#e08214"),
    "critica": ("Crítica", "#c51b1b"),
    "sin_programacion": ("Sin programación", "#8c8c8c"),
    "sin_dato": ("Sin dato", "#c8c8c8"),
}


def number(value: float | None) -> str:
    """A published number: whole numbers without decimals, thousands with commas."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return BLANK
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def percent(value: float | None) -> str:
    return BLANK if value is None else f"{number(value)}%"


def long_date(day: date) -> str:
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def status_label(status: str) -> str:
    return STATUS[status][0]


def status_colour(status: str) -> str:
    return STATUS[status][1]
