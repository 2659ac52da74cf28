"""Front end for text dumps of TMM-F004 PDFs: bytes in, ``RawReport`` list out.

A dump is lines; table cells are separated by tabs; ``**`` marks bold. Each report starts
at its title ("… AYUNTAMIENTO …" / "PROGRAMA OPERATIVO ANUAL <year>"). The reader only
finds the parts and keeps every cell as text; ``normalize`` interprets them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from poa_etl.cells import CODE_RE, fold
from poa_etl.errors import RejectedFile
from poa_etl.intermediate import HeaderEntry, Location, RawReport, SignatureEntry, TableRow

_POA_TITLE = re.compile(r"PROGRAMA OPERATIVO ANUAL\s+\d{4}")
_FORM_CODE = re.compile(r"[A-Z]{2,5}-F\d{3}")
_PERIOD_HEADER_CELL = re.compile(r"[PA]|[A-Z]{3}-[A-Z]{3}")  # "P", "A", "ENE-MAR"
_SIGNATURE_ROLES = {"ELABORO": "ELABORÓ", "REVISO": "REVISÓ", "AUTORIZO": "AUTORIZÓ"}
_BOLD = re.compile(r"^\*\*|\*\*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes) -> str:
    """The text of a dump (UTF-8, or Windows-1252 as Excel on Windows writes it)."""
    if (nul := data.find(b"\x00")) >= 0:
        raise RejectedFile(f"binary data, not a text dump (NUL byte at offset {nul})")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RejectedFile("not readable as text: neither UTF-8 nor Windows-1252")
    if m := _CONTROL.search(text):
        raise RejectedFile(
            f"binary data, not a text dump (control character {m.group()!r} "
            f"at character {m.start()})"
        )
    return text


def read_text_dump(file: str, data: bytes) -> list[RawReport]:
    """All reports in a text dump; ``file`` names it in locations."""
    lines = [_BOLD.sub("", line) for line in decode_text(data).splitlines()]
    starts = list(_report_starts(lines))
    if not starts:
        raise RejectedFile(
            "not a TMM-F004 report: no title 'PROGRAMA OPERATIVO ANUAL <year>' found"
        )
    ends = [*starts[1:], len(lines)]
    return [_read_report(file, lines, start, end) for start, end in zip(starts, ends, strict=True)]


def _report_starts(lines: list[str]) -> Iterator[int]:
    """Index of each report's first title line (the ayuntamiento line, when present)."""
    for i, line in enumerate(lines):
        if _POA_TITLE.fullmatch(fold(line)):
            previous = next((j for j in range(i - 1, -1, -1) if lines[j].strip()), None)
            has_ayuntamiento = previous is not None and "AYUNTAMIENTO" in fold(lines[previous])
            yield previous if has_ayuntamiento else i


def _read_report(file: str, lines: list[str], start: int, end: int) -> RawReport:
    title: list[str] = []
    header: list[HeaderEntry] = []
    form_code = fecha = None
    table_header: list[tuple[str, ...]] = []
    rows: list[TableRow] = []
    signature_lines: list[tuple[str, Location]] = []
    part = "title"
    for index in range(start, end):
        text = lines[index]
        if not text.strip():
            continue
        where = Location(file, line=index + 1)
        folded = fold(text)
        cells = tuple(text.split("\t"))
        if part == "title":
            title.append(" ".join(text.split()))
            if folded.startswith("AVANCE FISICO"):
                part = "header"
        elif folded.startswith("FECHA") and part in ("header", "form"):
            fecha = text.split(":", 1)[1].strip() if ":" in text else folded[len("FECHA") :]
            part = "form"
        elif _FORM_CODE.fullmatch(folded) and part in ("header", "form"):
            form_code = folded
            part = "form"
        elif part == "header":
            header.append(_header_entry(cells, where))
        elif part == "form" and fold(cells[0]).startswith("LINEA DE ACCION"):
            table_header.append(cells)
            part = "table"
        elif part == "table" and "\t" in text:
            if not rows and _is_period_header(cells):
                table_header.append(cells)
            else:
                rows.append(TableRow(cells=cells, raw=text, location=where))
        elif part in ("table", "signatures"):
            signature_lines.append((" ".join(text.split()), where))
            part = "signatures"
    return RawReport(
        location=Location(file, line=start + 1),
        title_lines=tuple(title),
        header=tuple(header),
        form_code=form_code,
        fecha=fecha,
        table_header=tuple(table_header),
        rows=tuple(rows),
        signatures=tuple(_signatures(signature_lines)),
    )


def _header_entry(cells: tuple[str, ...], where: Location) -> HeaderEntry:
    """A header line: label, code, name; a continuation (no label); values only; a label alone."""
    first, rest = cells[0].strip(), cells[1:]
    if not first or CODE_RE.fullmatch(first):
        label, values = None, cells if first else rest
    else:
        label, values = first, rest
    kept = tuple(v.strip() for v in values if v.strip())
    return HeaderEntry(label=label, values=kept, location=where)


def _is_period_header(cells: tuple[str, ...]) -> bool:
    """The second and third header rows: quarters ("Ene-Mar") and P/A, nothing else."""
    filled = [fold(c) for c in cells if c.strip()]
    return bool(filled) and all(_PERIOD_HEADER_CELL.fullmatch(c) for c in filled)


def _signatures(lines: list[tuple[str, Location]]) -> Iterator[SignatureEntry]:
    """Pair the signature block's lines, whatever its layout.

    Three layouts are published: title/name pairs alone; each pair preceded by its role
    (ELABORÓ, REVISÓ, AUTORIZÓ); all roles first, then the pairs. Roles go to pairs in order.
    """
    roles = [_SIGNATURE_ROLES[fold(t)] for t, _ in lines if fold(t) in _SIGNATURE_ROLES]
    others = [(t, where) for t, where in lines if fold(t) not in _SIGNATURE_ROLES]
    for position in range(0, len(others), 2):
        title, where = others[position]
        name = others[position + 1][0] if position + 1 < len(others) else None
        pair_index = position // 2
        role = roles[pair_index] if pair_index < len(roles) else None
        yield SignatureEntry(role=role, title=title, name=name, location=where)
