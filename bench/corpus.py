"""A synthetic corpus of TMM-F004 reports, seeded and deterministic: for benchmarks and
for tests at scale.

Reports vary in ramo and unit (bare and ramo-prefixed unit codes), fiscal year
(2022 to 2025), cut-off date (both FECHA spellings), header layout, alignments, 4 to 40 metas
with wrapped descriptions and blank cells, and signature layouts; a small share carries
the defects of the real samples (a row with one value too many, text in a number
column). Each report is a ``RawReport``, written out as a text dump (``text_dump``) or
drawn as a PDF (``bench.render_pdf``), so both front ends can be fed the same reports.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from poa_etl.report.form import HeaderEntry, Location, RawReport, SignatureEntry, TableRow

YEARS = (2022, 2023, 2024, 2025)
_CUT_OFFS = (("31", "mar"), ("30", "jun"), ("30", "sep"), ("31", "dic"))
_WORDS = [
    "PROMOVER",
    "FORTALECER",
    "ELABORAR",
    "GESTIONAR",
    "INTEGRAR",
    "DESARROLLAR",
    "ACTUALIZAR",
    "COORDINAR",
    "ATENDER",
    "REALIZAR",
    "PROGRAMA",
    "INFORME",
    "ACCIONES",
    "TURISMO",
    "MUNICIPIO",
    "MEXICALI",
    "SERVICIOS",
    "PÚBLICOS",
    "RECURSOS",
    "HUMANOS",
    "MATERIALES",
    "FINANCIEROS",
    "DESTINOS",
    "PROMOCIÓN",
    "INVERSIÓN",
    "CAPACITACIÓN",
    "E-MARKETING",
    "DIFUSIÓN",
    "EVENTOS",
    "REUNIONES",
    "SEGUIMIENTO",
    "GASTO",
    "CONFORME",
    "NORMATIVIDAD",
    "APLICABLE",
    "LA",
    "DE",
    "DEL",
    "LOS",
    "LAS",
    "Y",
    "PARA",
    "CON",
    "EN",
    "A",
    "TRAVÉS",
]
_UNITS_OF_MEASURE = ("INFORME", "NÓMINA", "SESIÓN", "REUNIÓN", "PROGRAMA", "ACCIÓN DE PROMOCIÓN",
                     "PADRÓN ACTUALIZADO", "INFORME DE AVANCE DE GESTION FINANCIERA")  # fmt: skip
_TABLE_HEADER = (
    ("LINEA DE ACCIÓN P.M.D.", "DESCRIPCIÓN DE METAS Y ACCIONES (Subprograma Gob. Y "
     "Proyecto-Proceso)", "UNIDAD DE MEDIDA", "META ANUAL AUTORIZADA", "PERIODO",
     *[""] * 7, "AVANCE ABSOLUTO", "ACUMULADO RELATIVO", "OBSERVACIONES"),
    ("", "", "", "", "Ene-Mar", "", "Abr-Jun", "", "Jul-Sep", "", "Oct-Dic", "", "", "", ""),
    ("", "", "", "", "P", "A", "P", "A", "P", "A", "P", "A", "", "", ""),
)  # fmt: skip
ROLES = ("ELABORÓ", "REVISÓ", "AUTORIZÓ")
TITLES = ("RESPONSABLE DE LA UNIDAD EJECUTORA", "RESPONSABLE DEL PROGRAMA", "RESPONSABLE DEL RAMO")


@dataclass(frozen=True)
class Corpus:
    reports: list[RawReport]
    defective_rows: int  # rows that must land in quarantine

    @property
    def metas(self) -> int:
        """Metas a load must give: every row but the defective ones."""
        return sum(len(r.rows) for r in self.reports) - self.defective_rows


def generate(count: int, seed: int = 2024, defect_rate: float = 0.01) -> Corpus:
    """``count`` reports with distinct identities (fiscal year, unit, cut-off date)."""
    rng = random.Random(seed)
    defects = [0]
    corpus = [_report(rng, *key, defect_rate, defects) for key in _identities(count, rng)]
    return Corpus(corpus, defects[0])


def text_dump(corpus: Sequence[RawReport]) -> bytes:
    """The reports as one text dump, in the layout of the published ones."""
    return "\n".join(line for report in corpus for line in _dump_lines(report)).encode()


def _identities(count: int, rng: random.Random) -> list[tuple[int, str, str, int]]:
    """Distinct (year, ramo, unit number, cut-off quarter) combinations, shuffled."""
    found: set[tuple[int, str, str, int]] = set()
    while len(found) < count:
        ramo = str(rng.randint(10, 69))
        found.add((rng.choice(YEARS), ramo, f"{rng.randint(1, 9)}{rng.randint(0, 99):02d}",
                   rng.randrange(4)))  # fmt: skip
    ordered = sorted(found)
    rng.shuffle(ordered)
    return ordered


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(low, high)))


def _report(
    rng: random.Random,
    year: int,
    ramo: str,
    unit: str,
    quarter: int,
    defect_rate: float,
    defects: list[int],
) -> RawReport:
    where = Location("corpus")
    day, month = _CUT_OFFS[quarter]
    fecha = f"{day}-{month}{rng.choice(['.', ''])}-{year % 100:02d}"
    unit_code = unit if rng.random() < 0.5 else ramo + unit
    program = str(rng.randint(500, 599))
    header = [
        HeaderEntry("RAMO:", (ramo, f"RAMO {ramo} {_words(rng, 2, 6)}"), where),
        HeaderEntry("PROGRAMA", (program, _words(rng, 2, 5)), where),
        HeaderEntry("UNIDAD EJECUTORA", (unit_code, f"GERENCIA {_words(rng, 1, 3)}"), where),
        HeaderEntry("FINALIDAD", ("3", "DESARROLLO ECONOMICO"), where),
        HeaderEntry("FUNCION", ("3.7", "TURISMO"), where),
        HeaderEntry("SUBFUNCION", ("3.7.1", "TURISMO"), where),
        HeaderEntry("EJE DE GOBIERNO", (str(rng.randint(1, 5)), _words(rng, 2, 4)), where),
        *(
            HeaderEntry(None if i else "LINEAS DE ACCION",
                        (f"{rng.randint(1, 5)}.{rng.randint(1, 9)}.{rng.randint(1, 9)}",
                         _words(rng, 3, 7)), where)
            for i in range(rng.randint(1, 3))
        ),
    ]  # fmt: skip
    rows = [
        _row(rng, 100 * (int(unit) % 9 + 1) + n, defect_rate, defects)
        for n in range(rng.randint(4, 40))
    ]
    with_roles = rng.random() < 0.7
    signatures = [
        SignatureEntry(ROLES[i] if with_roles else None, TITLES[i], _words(rng, 3, 4), where)
        for i in range(3)
    ]
    return RawReport(
        location=where,
        title_lines=("XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA",
                     f"PROGRAMA OPERATIVO ANUAL {year}", "AVANCE FÍSICO PROGRAMÁTICO"),
        header=tuple(header),
        form_code="TMM-F004",
        fecha=fecha,
        table_header=_TABLE_HEADER,
        rows=tuple(rows),
        signatures=tuple(signatures),
    )  # fmt: skip


def _row(rng: random.Random, meta_id: int, defect_rate: float, defects: list[int]) -> TableRow:
    target = rng.randint(1, 60)
    planned = [target // 4] * 3 + [target - 3 * (target // 4)]
    achieved = [max(0, p - rng.randint(0, 1)) for p in planned[:3]] + [0]
    values = [
        "" if rng.random() < 0.1 else str(v)
        for pair in zip(planned, achieved, strict=True)
        for v in pair
    ]
    absolute = sum(achieved)
    cells = [
        f"{rng.randint(1, 5)}.{rng.randint(1, 9)}.{rng.randint(1, 9)}",
        # "100.X", "101. X", "103.- X", "300. - X", "303.-X", as published
        f"{meta_id}.{rng.choice(['', ' ', '- ', ' - ', '-'])}{_words(rng, 4, 30)}",
        rng.choice(_UNITS_OF_MEASURE),
        str(target),
        *values,
        str(absolute),
        f"{round(absolute / target * 100)}%",
        "",
    ]
    if rng.random() < defect_rate:
        defects[0] += 1
        if rng.random() < 0.5:
            cells.insert(12, "1")  # one period value too many, like meta 200 of the sample
        else:
            cells[3] = "VEINTE"  # text in a number column
    return TableRow(tuple(cells), "\t".join(cells), Location("corpus"))


def _dump_lines(report: RawReport) -> Iterator[str]:
    yield ""
    yield f"**{report.title_lines[0]}"
    yield f"{report.title_lines[1]}**"
    yield ""
    yield report.title_lines[2]
    yield ""
    for entry in report.header:
        yield "\t".join([entry.label or "", *entry.values])
    yield ""
    yield report.form_code or ""
    yield ""
    yield f"FECHA: {report.fecha}"
    yield ""
    for cells in report.table_header:
        yield "\t".join(cells)
    for row in report.rows:
        yield "\t".join(row.cells)
    for signature in report.signatures:
        yield ""
        if signature.role:
            yield signature.role
            yield ""
        yield signature.title or ""
        yield signature.name or ""
    yield ""
