"""The metas table: columns found by their header labels, and rows read against them.

The header has three rows: the column labels (PERIODO spanning eight columns), the
quarters (Ene-Mar … Oct-Dic) and P/A under each quarter. Columns are located by these
labels, never by fixed positions, so any front end that keeps the cells in order works.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from poa_etl.report.cells import (
    CellError,
    clean,
    fold,
    is_percent,
    parse_number,
    parse_percent,
    split_meta_number,
)

QUARTERS = {"ENE-MAR": 1, "ABR-JUN": 2, "JUL-SEP": 3, "OCT-DIC": 4}
QUARTER_LABELS = {1: "Ene-Mar", 2: "Abr-Jun", 3: "Jul-Sep", 4: "Oct-Dic"}
PERIODS = tuple((q, m) for q in (1, 2, 3, 4) for m in ("P", "A"))

# Contract column -> (words its header label contains, label used in messages)
_COLUMNS = {
    "pmd_code": ("LINEA DE ACCION", "LÍNEA DE ACCIÓN P.M.D."),
    "description": ("DESCRIPCION", "DESCRIPCIÓN DE METAS Y ACCIONES"),
    "unit_of_measure": ("UNIDAD DE MEDIDA", "UNIDAD DE MEDIDA"),
    "annual_target": ("META ANUAL", "META ANUAL AUTORIZADA"),
    "reported_absolute": ("AVANCE ABSOLUTO", "AVANCE ABSOLUTO"),
    "reported_relative_pct": ("ACUMULADO RELATIVO", "ACUMULADO RELATIVO"),
    "observations": ("OBSERVACIONES", "OBSERVACIONES"),
}


class LayoutError(ValueError):
    """The table header does not have the columns of a TMM-F004 metas table."""


@dataclass(frozen=True)
class MetaCells:
    """One row of the metas table, read: numbers parsed, blanks as None."""

    meta_id: int
    pmd_code: str | None
    description: str
    unit_of_measure: str | None
    annual_target: float | None
    periods: tuple[float | None, ...]  # in PERIODS order: Q1 P, Q1 A, … Q4 A
    reported_absolute: float | None
    reported_relative_pct: float | None
    observations: str | None


@dataclass(frozen=True)
class TableLayout:
    columns: dict[str, int]  # contract column -> cell index
    periods: tuple[int, ...]  # cell index of each entry of PERIODS

    @property
    def width(self) -> int:
        return max([*self.columns.values(), *self.periods]) + 1

    @classmethod
    def from_header(cls, rows: tuple[tuple[str, ...], ...]) -> TableLayout:
        """The layout of a table whose header rows are ``rows`` (the same for nearly every
        report, so it is worked out once). Raises ``LayoutError``."""
        return _layout(rows)

    @classmethod
    def _from_header(cls, rows: tuple[tuple[str, ...], ...]) -> TableLayout:
        width = max(len(r) for r in rows)
        stacked = [" ".join(fold(r[i]) for r in rows if i < len(r) and r[i].strip())
                   for i in range(width)]  # fmt: skip
        columns: dict[str, int] = {}
        for name, (words, label) in _COLUMNS.items():
            # Spaces aside: a word too wide for its cell breaks ("ABSOLUT" / "O").
            found = [i for i, text in enumerate(stacked) if _solid(words) in _solid(text)]
            if len(found) != 1:
                raise LayoutError(f"the metas table has no column {label!r}")
            if found[0] in columns.values():
                other = next(n for n, i in columns.items() if i == found[0])
                raise LayoutError(
                    f"the metas table's labels {_COLUMNS[other][1]!r} and {label!r} stand "
                    f"over one column"
                )
            columns[name] = found[0]
        periods = {}
        quarter = None
        for i in range(width):
            cells = [fold(row[i]) if i < len(row) else "" for row in rows]
            # A quarter's name may break inside its cell ("Ene-" / "Mar"): read it whole.
            labels = "".join(c for c in cells if c not in ("P", "A"))
            quarter = next((q for name, q in QUARTERS.items() if name in labels), quarter)
            for cell in cells:
                if cell in ("P", "A") and quarter is not None:
                    periods[(quarter, cell)] = i
        missing = [f"{QUARTER_LABELS[q]} {m}" for q, m in PERIODS if (q, m) not in periods]
        if missing:
            raise LayoutError(f"the metas table has no period column(s) {', '.join(missing)}")
        return cls(columns=columns, periods=tuple(periods[p] for p in PERIODS))

    def read(self, cells: tuple[str, ...]) -> MetaCells | None:
        """The row's values; None for a blank row. Raises CellError for a broken row."""
        cells = tuple(c.strip() for c in cells)
        if not any(cells):
            return None
        self._check_alignment(cells)
        cell = dict.fromkeys(self.columns, "")
        cell.update({name: cells[i] for name, i in self.columns.items() if i < len(cells)})
        meta_id, description = split_meta_number(cell["description"])
        return MetaCells(
            meta_id=meta_id,
            pmd_code=clean(cell["pmd_code"]),
            description=description,
            unit_of_measure=clean(cell["unit_of_measure"]),
            annual_target=_number(cell, "annual_target", parse_number),
            periods=tuple(
                _period(cells[i] if i < len(cells) else "", p)
                for i, p in zip(self.periods, PERIODS, strict=True)
            ),
            reported_absolute=_number(cell, "reported_absolute", parse_number),
            reported_relative_pct=_number(cell, "reported_relative_pct", parse_percent),
            observations=clean(cell["observations"]),
        )

    def _check_alignment(self, cells: tuple[str, ...]) -> None:
        """Refuse a row whose values do not line up with the columns.

        A row with one period value too many keeps the same number of cells when its
        trailing blank is missing, so the count alone cannot tell; the percentage of
        ACUMULADO RELATIVO, found in another column, can.
        """
        if len(cells) < self.width - 1:  # the last column (OBSERVACIONES) may be left off
            raise CellError(
                f"the row has {len(cells)} cells where the table has {self.width}: it stops "
                f"before {self.label(len(cells))}, so it was cut short and is not loaded"
            )
        relative = self.columns["reported_relative_pct"]
        target = self.columns["annual_target"]
        percents = [i for i, c in enumerate(cells) if i > target and "%" in c and is_percent(c)]
        if percents and relative not in percents:
            found = percents[0] - target - 2  # values between the target and the percentage,
            expected = relative - target - 2  # less AVANCE ABSOLUTO
            raise CellError(
                f"{found} period values where {expected} belong (P and A for four quarters): "
                f"the values do not line up with the columns, so none of them can be "
                f"assigned to a quarter"
            )
        extra = [c for c in cells[self.width :] if c]
        if extra:
            used = max(i for i, c in enumerate(cells) if c) + 1
            raise CellError(
                f"{used} cells where the table has {self.width} columns "
                f"(unexpected {', '.join(map(repr, extra))} after OBSERVACIONES)"
            )

    def label(self, index: int) -> str:
        """The printed label of the column at ``index``: 'Jul-Sep A', 'META ANUAL AUTORIZADA'."""
        for name, i in self.columns.items():
            if i == index:
                return _COLUMNS[name][1]
        for i, (quarter, measure) in zip(self.periods, PERIODS, strict=True):
            if i == index:
                return f"{QUARTER_LABELS[quarter]} {measure}"
        return f"column {index + 1}"


@functools.lru_cache(maxsize=64)
def _layout(rows: tuple[tuple[str, ...], ...]) -> TableLayout:
    return TableLayout._from_header(rows)


def _solid(text: str) -> str:
    return text.replace(" ", "")


def _number(cell: dict[str, str], name: str, parse: Callable[[str], float | None]) -> float | None:
    try:
        return parse(cell[name])
    except CellError as exc:
        raise CellError(f"{_COLUMNS[name][1]}: {exc}") from None


def _period(text: str, period: tuple[int, str]) -> float | None:
    quarter, measure = period
    try:
        return parse_number(text)
    except CellError as exc:
        raise CellError(f"{QUARTER_LABELS[quarter]} {measure}: {exc}") from None
