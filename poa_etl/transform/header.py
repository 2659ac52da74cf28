"""Interpreting a report's header block: which value belongs to which field.

Labels are matched without accents or colons ("LÍNEAS DE ACCIÓN" = "LINEAS DE ACCION:").
A line of values without a label continues the previous field — except in reports that
print all labels first and all values after, where it takes the next unpaired label;
values left over once every label has its value continue the last one (the alignments).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from poa_etl.errors import RejectedFile
from poa_etl.report.cells import fold, split_code_name, split_coded_entries
from poa_etl.report.form import HeaderEntry
from poa_etl.report.labels import ALIGNMENT_LABELS, SINGLE_FIELDS

ALIGNMENT = "alignment"
ALIGNMENT_LEVELS = {1: "eje", 2: "estrategia", 3: "linea"}


@dataclass
class Header:
    """The header of one report, interpreted."""

    coded: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    # level, code, name, and the header line it was printed on
    alignments: list[tuple[str, str, str | None, HeaderEntry]] = field(default_factory=list)
    defects: list[tuple[HeaderEntry, str]] = field(default_factory=list)  # set aside, with reason


def _field_of(label: str) -> str | None:
    folded = fold(label)
    if folded in ALIGNMENT_LABELS:
        return ALIGNMENT
    return SINGLE_FIELDS.get(folded)


def read_header(entries: tuple[HeaderEntry, ...]) -> Header:
    """Pair labels and values, whatever the layout; single fields printed twice are rejected."""
    header = Header()
    waiting: deque[tuple[str, str]] = deque()  # (field, label) printed without values yet
    current: tuple[str, str] | None = None
    for entry in entries:
        if entry.label is not None:
            target = _field_of(entry.label)
            if target is None:
                header.defects.append((entry, f"unknown header field {entry.label!r}"))
                current = None
                continue
            if not entry.values:
                waiting.append((target, entry.label))
                continue
            current = (target, entry.label)
        elif waiting:
            current = waiting.popleft()
        if current is None:
            header.defects.append((entry, "a header value with no field label before it"))
            continue
        _assign(header, current, entry)
    return header


def _assign(header: Header, target: tuple[str, str], entry: HeaderEntry) -> None:
    name, label = target
    text = " ".join(entry.values)
    if name == ALIGNMENT:
        for code, title in split_coded_entries(text):
            depth = len(code.split(".")) if code else 0
            if depth not in ALIGNMENT_LEVELS:
                reason = f"{label}: {text!r} has no code of 1 to 3 levels (eje, estrategia, línea)"
                header.defects.append((entry, reason))
                continue
            header.alignments.append((ALIGNMENT_LEVELS[depth], code, title, entry))
        return
    if name in header.coded:
        earlier = " ".join(x for x in header.coded[name] if x)
        raise RejectedFile(
            f"{entry.location.within}: {label.rstrip(':')} is printed twice "
            f"({earlier!r} and {text!r}); the report cannot be identified"
        )
    header.coded[name] = split_code_name(text)
