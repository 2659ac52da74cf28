"""Front end for text dumps of TMM-F004 PDFs: bytes in, ``RawReport`` list out.

A dump is lines; table cells are separated by tabs; ``**`` marks bold. The reader turns
each non-blank line into a ``Line`` of tab-separated cells and leaves the finding of the
title, header and form to ``report_parts``; it only reads the table rows and the
signature block, which are laid out line by line in a dump.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from poa_etl.errors import RejectedFile
from poa_etl.extract.lines import (
    Line,
    is_period_header,
    read_preamble,
    report_starts,
    signature_role,
)
from poa_etl.report.form import Location, RawReport, SignatureEntry, TableRow

_BOLD = re.compile(r"^\*\*|\*\*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
NO_REPORT = "not a TMM-F004 report: no title 'PROGRAMA OPERATIVO ANUAL <year>' found"


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
    lines = [
        Line(tuple(text.split("\t")), Location(file, line=number))
        for number, raw in enumerate(decode_text(data).splitlines(), start=1)
        if (text := _BOLD.sub("", raw)).strip()
    ]
    starts = list(report_starts(lines))
    if not starts:
        raise RejectedFile(NO_REPORT)
    ends = [*starts[1:], len(lines)]
    return [_read_report(lines[start:end]) for start, end in zip(starts, ends, strict=True)]


def _read_report(lines: Sequence[Line]) -> RawReport:
    preamble, table_at = read_preamble(lines)
    table_header: list[tuple[str, ...]] = []
    rows: list[TableRow] = []
    signature_lines: list[Line] = []
    for line in lines[table_at:]:
        if signature_lines or len(line.cells) == 1:  # the table ends at the first line without tabs
            signature_lines.append(line)
        elif not table_header or (not rows and is_period_header(line.cells)):
            table_header.append(line.cells)
        else:
            rows.append(TableRow(line.cells, "\t".join(line.cells), line.location))
    return preamble.report(lines[0].location, table_header, rows, _signatures(signature_lines))


def _signatures(lines: Sequence[Line]) -> Iterator[SignatureEntry]:
    """Pair the signature block's lines, whatever its layout.

    Three layouts are published: title/name pairs alone; each pair preceded by its role
    (ELABORÓ, REVISÓ, AUTORIZÓ); all roles first, then the pairs. Roles go to pairs in order.
    """
    roles = [role for line in lines if (role := signature_role(line.text))]
    others = [line for line in lines if not signature_role(line.text)]
    for position in range(0, len(others), 2):
        title = others[position]
        name = others[position + 1].text if position + 1 < len(others) else None
        pair = position // 2
        role = roles[pair] if pair < len(roles) else None
        yield SignatureEntry(role=role, title=title.text, name=name, location=title.location)
