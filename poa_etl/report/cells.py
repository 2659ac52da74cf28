"""Reading single cells as published: numbers, percentages, dates, codes, meta numbers.

Pure functions. A cell that cannot be read raises ``CellError`` with a sentence a person
understands; callers add where the cell was.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date


class CellError(ValueError):
    """A cell whose text does not fit what its column holds."""


@functools.lru_cache(maxsize=65536)  # labels recur on every line of every page
def fold(text: str) -> str:
    """Upper case, no accents, single spaces, no trailing colon: for comparing labels."""
    if text.isascii():  # nothing to take off (most cells): the costly part skipped
        return " ".join(text.upper().split()).rstrip(":").strip()
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.upper().split()).rstrip(":").strip()


def clean(text: str) -> str | None:
    """A text cell with its whitespace collapsed; None when blank (a blank cell is NULL)."""
    collapsed = " ".join(text.split())
    return collapsed or None


_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|-?\.\d+")
# A double (DuckDB DOUBLE) holds every decimal of up to 15 significant digits exactly
# (DBL_DIG), so such a number is stored and exported as published; a longer one would be
# rounded without a word, so it is not read.
MAX_DIGITS = 15
MAX_META_NUMBER = 2**31 - 1  # metas.meta_id is a DuckDB INTEGER


def parse_number(text: str) -> float | None:
    """A published number: ``"7"``, ``"1,234"``, ``"2.5"``; blank is None."""
    s = text.strip()
    if not s:
        return None
    if not _NUMBER.fullmatch(s):
        raise CellError(f"{s!r} is not a number")
    # Counted only where there can be too many (most cells are a digit or two).
    digits = len(re.sub(r"\D", "", s).lstrip("0")) if len(s) > MAX_DIGITS else 0
    if digits > MAX_DIGITS:
        raise CellError(
            f"{_shown(s)} has {digits} digits: only numbers of up to {MAX_DIGITS} digits "
            f"are held exactly, so it is not read"
        )
    return float(s.replace(",", ""))


def _shown(text: str, keep: int = 40) -> str:
    """A cell quoted in a message; a long one cut, with its length."""
    if len(text) <= keep:
        return repr(text)
    return f"{text[:keep] + '…'!r} ({len(text)} characters)"


def parse_percent(text: str) -> float | None:
    """A published percentage in percent units: ``"75%"`` is 75; blank is None."""
    s = text.strip()
    if not s:
        return None
    number = s.removesuffix("%").rstrip()
    if not _NUMBER.fullmatch(number):
        raise CellError(f"{s!r} is not a percentage")
    return parse_number(number)


def is_percent(text: str) -> bool:
    s = text.strip()
    return s.endswith("%") and _NUMBER.fullmatch(s.removesuffix("%").rstrip()) is not None


def is_number_or_percent(text: str) -> bool:
    """A cell that reads as a published number or percentage ("7", "1,234", "75%")."""
    s = text.strip()
    return _NUMBER.fullmatch(s) is not None or is_percent(s)


_MONTHS = {
    "ENE": 1, "FEB": 2, "MAR": 3, "ABR": 4, "MAY": 5, "JUN": 6,
    "JUL": 7, "AGO": 8, "SEP": 9, "SEPT": 9, "SET": 9, "OCT": 10, "NOV": 11, "DIC": 12,
}  # fmt: skip
_SPANISH_DATE = re.compile(r"(\d{1,2})[-/ ]+([A-Z]+)\.?[-/ ]+(\d{2}|\d{4})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_fecha(text: str) -> date:
    """The cut-off date as printed: ``30-sep.-24``, ``30-sep-24``, ``30/09/2024``, ISO."""
    s = fold(text)
    if m := _SPANISH_DATE.fullmatch(s):
        day, month_name, year = m.groups()
        if month_name not in _MONTHS:
            raise CellError(f"{text.strip()!r} has an unknown month {month_name.lower()!r}")
        parts = (int(year) + 2000 if len(year) == 2 else int(year), _MONTHS[month_name], int(day))
    elif m := _NUMERIC_DATE.fullmatch(s):
        day, month, year = map(int, m.groups())
        parts = (year, month, day)
    elif m := _ISO_DATE.fullmatch(s):
        parts = tuple(map(int, m.groups()))
    else:
        raise CellError(f"{text.strip()!r} is not a date like 30-sep-24")
    try:
        return date(*parts)
    except ValueError as exc:
        raise CellError(f"{text.strip()!r} is not a valid date ({exc})") from None


_CODE = r"\d+(?:\.\d+)*"
CODE_RE = re.compile(_CODE)
_CODE_AND_NAME = re.compile(rf"({_CODE})(?:\s+(.*))?", re.DOTALL)
# A comma that starts another "code name" entry: "…ALTERNATIVAS,3.3.2 FORMACION,…".
_ENTRY_BREAK = re.compile(rf",\s*(?={_CODE}\s+\D)")


def split_code_name(text: str) -> tuple[str | None, str | None]:
    """``"3.7.1 TURISMO"`` → ``("3.7.1", "TURISMO")``; text without a leading code is all name."""
    s = " ".join(text.split())
    if m := _CODE_AND_NAME.fullmatch(s):
        return m.group(1), clean(m.group(2) or "")
    return None, clean(s)


def split_coded_entries(text: str) -> list[tuple[str | None, str | None]]:
    """Several ``code name`` entries printed in one cell, separated by commas."""
    return [split_code_name(part) for part in _ENTRY_BREAK.split(" ".join(text.split()))]


# "100.X", "101. X", "103.- X", "300. - X", "303.-X", "501.-X"
_META_NUMBER = re.compile(r"(\d+)\s*\.?\s*-?\s*(.*)", re.DOTALL)


def split_meta_number(text: str) -> tuple[int, str]:
    """The meta number that starts a description, and the description without it."""
    s = " ".join(text.split())
    m = _META_NUMBER.fullmatch(s)
    if not m or not m.group(2):
        raise CellError(f"the description {s[:60]!r} does not start with a meta number")
    digits = m.group(1).lstrip("0") or "0"
    # Compared as text first: int() refuses strings of more than 4,300 digits.
    if len(digits) > len(str(MAX_META_NUMBER)) or int(digits) > MAX_META_NUMBER:
        raise CellError(
            f"meta number {_shown(digits)} is too large: meta numbers go up to {MAX_META_NUMBER}"
        )
    return int(digits), m.group(2)
