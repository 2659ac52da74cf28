"""Finding a report's parts in its lines, whatever the medium.

Both front ends turn what they read into ``Line``s — a row of cells with its location:
tab-separated in a text dump, gap-separated words in a PDF. Reports start at their title;
the title, the header block, the form code and FECHA are found here, once, for both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from poa_etl.report.cells import CODE_RE, fold
from poa_etl.report.form import (
    HeaderEntry,
    Location,
    RawReport,
    SignatureEntry,
    TableRow,
)

POA_TITLE = re.compile(r"PROGRAMA OPERATIVO ANUAL\s+\d{4}")
FORM_CODE = re.compile(r"[A-Z]{2,5}-F\d{3}")
SIGNATURE_ROLES = {"ELABORO": "ELABORÓ", "REVISO": "REVISÓ", "AUTORIZO": "AUTORIZÓ"}
_FECHA_LABEL = re.compile(r"^\s*FECHA\s*:?\s*", re.IGNORECASE)
_PERIOD_HEADER_CELL = re.compile(r"[PA]|[A-Z]{3}-[A-Z]{3}")  # "P", "A", "ENE-MAR"


@dataclass(frozen=True)
class Line:
    cells: tuple[str, ...]
    location: Location
    lines: int = 1  # of the file it took

    @property
    def text(self) -> str:
        return " ".join(" ".join(c.split()) for c in self.cells if c.strip())


@dataclass
class Preamble:
    """Everything above the metas table."""

    title: list[str]
    header: list[HeaderEntry]
    form_code: str | None = None
    fecha: str | None = None
    skipped: list[Line] = field(default_factory=list)  # lines after FECHA that are none of these

    def report(
        self,
        location: Location,
        table_header: Iterable[tuple[str, ...]],
        rows: Iterable[TableRow],
        signatures: Iterable[SignatureEntry],
    ) -> RawReport:
        """The whole report: this preamble, and the table and signatures below it."""
        return RawReport(
            location=location,
            title_lines=tuple(self.title),
            header=tuple(self.header),
            form_code=self.form_code,
            fecha=self.fecha,
            table_header=tuple(table_header),
            rows=tuple(rows),
            signatures=tuple(signatures),
        )


def report_starts(lines: Sequence[Line]) -> Iterator[int]:
    """Index of each report's first title line (the ayuntamiento line, when present)."""
    for i, line in enumerate(lines):
        filled = sum(1 for c in line.cells if c and not c.isspace())
        if filled > 4 or len((text := line.text).split()) != 4:
            continue  # not "PROGRAMA OPERATIVO ANUAL <year>": told without folding
        if POA_TITLE.fullmatch(fold(text)):
            previous = i - 1
            has_ayuntamiento = previous >= 0 and "AYUNTAMIENTO" in fold(lines[previous].text)
            yield previous if has_ayuntamiento else i


def is_table_start(line: Line) -> bool:
    """The first line of the metas table's header: its first label, or PERIODO above it."""
    folded = [fold(c) for c in line.cells if c.strip()]
    return bool(folded) and (folded[0].startswith("LINEA DE") or "PERIODO" in folded)


def read_preamble(lines: Sequence[Line]) -> tuple[Preamble, int]:
    """The parts above the table, and the index of the table's first line (or len(lines))."""
    preamble = Preamble(title=[], header=[])
    part = "title"
    for index, line in enumerate(lines):
        folded = fold(line.text)
        if part == "title":
            preamble.title.append(line.text)
            if folded.startswith("AVANCE FISICO"):
                part = "header"
        elif is_table_start(line):
            return preamble, index
        elif folded.startswith("FECHA"):
            preamble.fecha = _FECHA_LABEL.sub("", line.text)
            part = "form"
        elif FORM_CODE.fullmatch(folded):
            preamble.form_code = folded
            part = "form"
        elif part == "header":
            preamble.header.append(header_entry(line))
        else:
            preamble.skipped.append(line)
    return preamble, len(lines)


def header_entry(line: Line) -> HeaderEntry:
    """A header line: label, code, name; a continuation (no label); values only; a label alone."""
    cells = [c.strip() for c in line.cells]
    first, rest = cells[0], cells[1:]
    if not first or CODE_RE.fullmatch(first):
        label, values = None, cells if first else rest
    else:
        label, values = first, rest
    return HeaderEntry(
        label=label,
        values=tuple(v for v in values if v),
        location=line.location,
        lines=line.lines,
    )


def is_period_header(cells: Sequence[str]) -> bool:
    """The quarter and P/A header rows: "Ene-Mar", "P", "A" and blanks, nothing else."""
    filled = [fold(c) for c in cells if c.strip()]
    return bool(filled) and all(_PERIOD_HEADER_CELL.fullmatch(c) for c in filled)


def is_label_tail(cells: Sequence[str]) -> bool:
    """Only the ends of header words broken in their cell, below the P/A row ("A" of
    "AUTORIZAD" / "A"): one word in each cell, of three letters at most. (A description's
    line of short words, "CON EL FIN DE", is no tail.)"""
    filled = [c.split() for c in cells if c.strip()]
    return bool(filled) and all(
        len(words) == 1 and len(words[0]) <= 3 and words[0].isalpha() for words in filled
    )


def signature_role(text: str) -> str | None:
    """ELABORÓ / REVISÓ / AUTORIZÓ, accents or not; None for any other text."""
    return SIGNATURE_ROLES.get(fold(text))


def is_signature_line(cells: Sequence[str]) -> bool:
    """A line of the signature block laid out side by side: roles only, or titles only
    (each a RESPONSABLE …)."""
    filled = [c for c in cells if c.strip()]
    return bool(filled) and (
        all(signature_role(c) for c in filled)
        or all(fold(c).startswith("RESPONSABLE") for c in filled)
    )
