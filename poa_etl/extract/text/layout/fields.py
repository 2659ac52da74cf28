"""The header block's field labels in a layout dump, however pdftotext set them.

A label is known by its words ("UNIDAD EJECUTORA"), spaces aside, so that it is read whole
when its words stand wide apart (``-fixed`` spreads a justified line: "UNIDAD      EJECUTORA"),
when the code follows it with no space ("UNIDAD EJECUTORA58201", a wide font in a narrow
column) or when it wraps onto the next line ("UNIDAD" / "EJECUTORA"). A code glued to its
name ("3.7.1TURISMO") is split where the digits end and the letters begin.
"""

from __future__ import annotations

import re

from poa_etl.report.cells import fold
from poa_etl.report.labels import ALIGNMENT_LABELS, SINGLE_FIELDS

# Each label without spaces, the longest first ("SUBFUNCION" before "FUNCION" matters not,
# but "LINEAS DE ACCION" must not stop at a shorter label).
_LABELS = sorted((label.replace(" ", "") for label in (*SINGLE_FIELDS, *ALIGNMENT_LABELS)),
                 key=len, reverse=True)  # fmt: skip
_CODE_GLUED = re.compile(r"(\d+(?:\.\d+)*)([^\W\d_].*)", re.DOTALL)


def label_end(text: str) -> int | None:
    """Where a known label that starts ``text`` ends (past its colon), when it is followed by
    a space, a digit or nothing; else None."""
    solid, ends = _solid(text)
    for label in _LABELS:
        if solid.startswith(label):
            end = ends[len(label) - 1]
            if end < len(text) and text[end] == ":":
                end += 1
            if end == len(text) or text[end] == " " or text[end].isdigit():
                return end
    return None


def label_rest(words: list[str]) -> list[str] | None:
    """The words that would complete a label that ``words`` begin but do not finish
    ("UNIDAD" → ["EJECUTORA"]); None when they begin none."""
    begun = fold(" ".join(words)).split()
    for label in (*SINGLE_FIELDS, *ALIGNMENT_LABELS):
        parts = label.split()
        if len(begun) < len(parts) and parts[: len(begun)] == begun:
            return parts[len(begun) :]
    return None


def split_glued_code(text: str) -> list[str]:
    """``"3.7.1TURISMO"`` → ``["3.7.1", "TURISMO"]``; any other text as it is."""
    if m := _CODE_GLUED.fullmatch(text):
        return [m.group(1), m.group(2)]
    return [text]


def _solid(text: str) -> tuple[str, list[int]]:
    """The text folded without spaces, and for each of its characters the index just past
    it in ``text``."""
    chars, ends = [], []
    for index, char in enumerate(text):
        if char == " ":
            continue
        folded = fold(char) or char
        chars.append(folded)
        ends.extend([index + 1] * len(folded))
    return "".join(chars), ends
