"""Property-based: generated reports, rendered as tab dumps (as spreadsheets write them) and
as workbooks (openpyxl), read back to exactly the generated rows; damaged, they are read
whole or rejected with a reason — never loaded in part.

The generator draws what the published reports vary in: descriptions wrapped at random
(a quoted cell with line breaks), blank cells, a few or many metas, several reports per
file (one sheet or one sheet each), numbers typed as numbers or as text, signatures one
per line or side by side, roles printed or not.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poa_etl.errors import RejectedFile
from poa_etl.extract import read_reports
from poa_etl.transform.accounting import parts
from poa_etl.transform.normalize import normalize_file

WORDS = ["GESTION", "PROMOCION", "TURISTICA", "DEL", "MUNICIPIO", "DE", "MEXICALI", "A",
         "TRAVÉS", "EVENTOS", "INFORMES", "SEGUIMIENTO", "AL", "GASTO", "PÚBLICO", "Y",
         "81", "CONAC", "(MICRO SITIO)", "E-MARKETING", "ACCIÓN", "CAMPAÑA"]  # fmt: skip
UNITS = ["INFORME", "NÓMINA", "ACCIÓN DE PROMOCIÓN", "PADRÓN ACTUALIZADO", "EVENTO"]
PMD = ["3.2", "3.2.2", "4.6.1", "5.1.5", "3.3.2"]
TABLE_HEADER = [
    ["LINEA DE ACCIÓN P.M.D.", "DESCRIPCIÓN DE METAS Y ACCIONES (Subprograma Gob. Y "
     "Proyecto-Proceso)", "UNIDAD DE MEDIDA", "META ANUAL AUTORIZADA", "PERIODO", "", "", "",
     "", "", "", "", "AVANCE ABSOLUTO", "ACUMULADO RELATIVO", "OBSERVACIONES"],
    ["", "", "", "", "Ene-Mar", "", "Abr-Jun", "", "Jul-Sep", "", "Oct-Dic", "", "", "", ""],
    ["", "", "", "", "P", "A", "P", "A", "P", "A", "P", "A", "", "", ""],
]  # fmt: skip
ROLES = ["ELABORÓ", "REVISÓ", "AUTORIZÓ"]
TITLES = ["RESPONSABLE DE LA UNIDAD EJECUTORA", "RESPONSABLE DEL PROGRAMA", "RESPONSABLE DEL RAMO"]
Cell = str | int | float | None  # what a sheet cell holds; None: blank


@dataclass(frozen=True)
class Meta:
    number: int
    pmd: str
    words: tuple[str, ...]
    breaks: frozenset[int]  # line breaks inside the description, after these words
    unit: str
    target: int
    periods: tuple[int | None, ...]
    absolute: int | None
    relative: int | None
    observations: str | None

    @property
    def description(self) -> str:
        return " ".join(self.words)

    def printed_description(self) -> str:
        text = f"{self.number}.- "
        for i, word in enumerate(self.words):
            text += word + ("\n" if i in self.breaks else " ")
        return text.rstrip()

    def expected(self) -> tuple:
        def f(v: int | None) -> float | None:
            return None if v is None else float(v)

        return (self.number, self.pmd, self.description, self.unit, f(self.target),
                f(self.absolute), f(self.relative), self.observations,
                *(f(v) for v in self.periods))  # fmt: skip


@dataclass(frozen=True)
class Report:
    unit: int
    metas: tuple[Meta, ...]
    roles: bool
    side_by_side: bool
    blank_lines: int

    @property
    def report_id(self) -> str:
        return f"2024-58{self.unit}-20240930"


value = st.one_of(st.none(), st.integers(0, 60))


@st.composite
def metas(draw: st.DrawFn, base: int) -> tuple[Meta, ...]:
    count = draw(st.integers(1, 14))
    out = []
    for number in range(base, base + count):
        words = tuple(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25)))
        breaks = frozenset(draw(st.sets(st.integers(0, max(len(words) - 2, 0)), max_size=4)))
        out.append(
            Meta(number, draw(st.sampled_from(PMD)), words, breaks if len(words) > 1 else
                 frozenset(), draw(st.sampled_from(UNITS)), draw(st.integers(1, 2500)),
                 tuple(draw(st.lists(value, min_size=8, max_size=8))), draw(value),
                 draw(st.one_of(st.none(), st.integers(0, 100))),
                 draw(st.one_of(st.none(), st.sampled_from(["SIN AVANCE", "VER ANEXO 2"]))))
        )  # fmt: skip
    return tuple(out)


@st.composite
def reports(draw: st.DrawFn) -> tuple[Report, ...]:
    units = draw(st.lists(st.integers(101, 899), min_size=1, max_size=3, unique=True))
    return tuple(
        Report(unit, draw(metas(100 * (i + 1))), draw(st.booleans()), draw(st.booleans()),
               draw(st.integers(0, 2)))
        for i, unit in enumerate(units)
    )  # fmt: skip


def grid(report: Report, typed: bool) -> list[list[Cell]]:
    """The report as sheet rows; ``typed``: numbers as numbers (else as the dump's text)."""

    def number(v: int | None) -> Cell:
        return None if v is None else (v if typed else f"{v:,}")

    blank: list[list[Cell]] = [[]] * report.blank_lines
    rows: list[list[Cell]] = [
        ["XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA"],
        ["PROGRAMA OPERATIVO ANUAL 2024"], *blank, ["AVANCE FÍSICO PROGRAMÁTICO"], *blank,
        ["RAMO:", "58", "COMITE DE TURISMO Y CONVENCIONES"],
        ["PROGRAMA", "511", "GESTION ADMINISTRATIVA"],
        ["UNIDAD EJECUTORA", f"58{report.unit}", f"UNIDAD {report.unit}"],
        ["FINALIDAD", "3.7.1", "TURISMO"], ["FUNCION", "3.7", "TURISMO"],
        ["SUBFUNCION", "3.7.1", "TURISMO"], ["LINEAS DE ACCION", "4", "GOBERNAR PARA SERVIR"],
        ["", "4.6.1", "MESURA EN EL EJERCICIO DE LOS RECURSOS PUBLICOS"], [],
        ["TMM-F004"], ["FECHA: 30-sep-24"], *blank, *TABLE_HEADER,
    ]  # fmt: skip
    for m in report.metas:
        relative: Cell = None
        if m.relative is not None:
            relative = m.relative / 100 if typed else f"{m.relative}%"
        rows.append([m.pmd, m.printed_description(), m.unit, number(m.target),
                     *(number(v) for v in m.periods), number(m.absolute), relative,
                     m.observations])  # fmt: skip
    rows.append([])
    pairs = [(ROLES[i] if report.roles else None, TITLES[i], f"FIRMANTE {i}") for i in range(3)]
    if report.side_by_side:
        if report.roles:
            rows.append(["", "ELABORÓ", "", "", "REVISÓ", "", "", "AUTORIZÓ"])
        rows.append(["", TITLES[0], "", "", TITLES[1], "", "", TITLES[2]])
        rows.append(["", "FIRMANTE 0", "", "", "FIRMANTE 1", "", "", "FIRMANTE 2"])
    else:
        for role, title, name in pairs:
            rows.extend([[role]] if role else [])
            rows.extend([[title], [name], []])
    return [*rows, [], []]


def tab_dump(file: tuple[Report, ...]) -> bytes:
    """As a spreadsheet saves text: tab-separated, a cell with line breaks quoted."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    for report in file:
        writer.writerows([["" if c is None else c for c in row] for row in grid(report, False)])
    return out.getvalue().encode()


def workbook(file: tuple[Report, ...], typed: bool, one_sheet: bool) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheet = None
    for report in file:
        if sheet is None or not one_sheet:
            sheet = book.create_sheet(f"UE {report.unit}")
        for row in grid(report, typed):
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, float) and cell.column == 14:
                    cell.number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(name: str, data: bytes) -> dict[str, pd.DataFrame] | str:
    """The tables read, or the rejection's reason; what loaded balances, line by line."""
    kind = "spreadsheet" if name.endswith(".xlsx") else "text"
    try:
        found, _ = read_reports(name, data, kind)
        tables = normalize_file("s", found)
    except RejectedFile as exc:
        return str(exc)
    for report in found:
        assert report.lines_read == sum(parts(report).values())
    return tables


def loaded_metas(tables: dict[str, pd.DataFrame]) -> dict[str, list[tuple]]:
    progress = tables["progress"].sort_values(["report_id", "meta_id", "quarter", "measure"],
                                              ascending=[True, True, True, False])  # fmt: skip
    values: dict[tuple[str, int], list] = {}
    for row in progress.itertuples():
        values.setdefault((row.report_id, row.meta_id), []).append(
            None if pd.isna(row.value) else row.value
        )
    out: dict[str, list[tuple]] = {}
    for m in tables["metas"].sort_values(["report_id", "meta_id"]).itertuples():
        fields = (m.meta_id, m.pmd_code, m.description, m.unit_of_measure, m.annual_target,
                  m.reported_absolute, m.reported_relative_pct, m.observations)  # fmt: skip
        out.setdefault(m.report_id, []).append(
            tuple(None if pd.isna(v) else v for v in fields)
            + tuple(values[(m.report_id, m.meta_id)])
        )
    return out


def expected(file: tuple[Report, ...]) -> dict[str, list[tuple]]:
    return {r.report_id: [m.expected() for m in r.metas] for r in file}


FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(reports())
def test_a_tab_dump_reads_back_to_exactly_the_generated_rows(file: tuple[Report, ...]) -> None:
    tables = read("generated.txt", tab_dump(file))
    assert not isinstance(tables, str), tables
    assert tables["quarantine"].empty
    assert loaded_metas(tables) == expected(file)
    assert sorted(tables["reports"]["table_rows_read"]) == sorted(len(r.metas) for r in file)


@FAST
@given(reports(), st.booleans(), st.booleans())
def test_a_workbook_reads_back_to_exactly_the_generated_rows(
    file: tuple[Report, ...], typed: bool, one_sheet: bool
) -> None:
    tables = read("generated.xlsx", workbook(file, typed, one_sheet))
    assert not isinstance(tables, str), tables
    assert tables["quarantine"].empty
    assert loaded_metas(tables) == expected(file)


@FAST
@given(reports(), st.data())
def test_a_dump_cut_anywhere_is_read_whole_or_rejected(
    file: tuple[Report, ...], data: st.DataObject
) -> None:
    """A truncated file never loads a report with fewer metas than were written."""
    text = tab_dump(file)
    cut = data.draw(st.integers(1, len(text)))
    tables = read("cut.txt", text[:cut])
    if isinstance(tables, str):
        assert tables  # a reason, in words
        return
    whole = expected(file)
    for report_id, rows in loaded_metas(tables).items():
        assert rows == whole[report_id]


@FAST
@given(reports(), st.data())
def test_line_breaks_written_without_quotes_are_read_whole_or_rejected(
    file: tuple[Report, ...], data: st.DataObject
) -> None:
    """The held-out failure of issue #20, generalized: a program that writes a cell's line
    breaks without quoting it breaks the rows. The report is then refused, or each broken
    row is quarantined with its reason and counted, so that the report says it is not
    complete — never loaded as if complete with rows missing."""
    text = tab_dump(file).decode().replace('"', "")
    tables = read("unquoted.txt", text.encode())
    if isinstance(tables, str):
        assert tables
        return
    whole = expected(file)
    loaded = loaded_metas(tables)
    counts = tables["reports"].set_index("report_id")
    for report_id, rows in whole.items():
        got = loaded.get(report_id, [])
        assert set(got) <= set(rows)  # whatever loaded is exact
        quarantined = tables["quarantine"]["report_id"].eq(report_id).sum()
        assert (len(got) < len(rows)) == (quarantined > 0)
        assert counts.loc[report_id, "table_rows_read"] == len(got) + quarantined
        assert counts.loc[report_id, "table_rows_quarantined"] == quarantined
