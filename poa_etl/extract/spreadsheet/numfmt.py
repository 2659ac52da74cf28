"""A number as a spreadsheet shows it under its number format: what a reader of the sheet,
its PDF or its text dump saw. Percent, decimals, thousands separators, padding zeros and
literal text are rendered as the sheet does; a format outside that is not guessed."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

_SECTIONS = re.compile(r'(?:"[^"]*"|\\.|[^;])+|(?<=;)(?=;|$)')
_BRACKETS = re.compile(r"\[(?:\$([^\]-]*)[^\]]*|[^\]]*)\]")  # [Red], [$-80A], [$€-x] → €
_LITERAL = re.compile(r'"([^"]*)"|\\(.)|_.|\*.')
_PLACEHOLDERS = re.compile(r"[0#?][0#?,.]*|\.[0#?]+")


class FormatNotShown(ValueError):
    """A number format this reader does not render (scientific, fractions, scaling)."""


def shown(value: float, number_format: str) -> str:
    """``value`` as displayed under ``number_format`` (Excel's codes)."""
    fmt = number_format or "General"
    sections = [m.group() for m in _SECTIONS.finditer(fmt)] or ["General"]
    section = sections[0]
    if value < 0 and len(sections) > 1:
        section, value = sections[1], -value
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    section = _BRACKETS.sub(lambda m: m.group(1) or "", section)
    if section.strip().lower() in ("general", ""):
        return general(value)
    if section.strip() == "@":
        return general(value)
    pieces: list[tuple[str, str]] = []  # ("lit", text) or ("num", code)
    position = 0
    for m in _LITERAL.finditer(section):
        pieces.extend(_split_code(section[position : m.start()]))
        text = m.group(1) if m.group(1) is not None else m.group(2)
        pieces.append(("lit", text if text is not None else (" " if m.group()[0] == "_" else "")))
        position = m.end()
    pieces.extend(_split_code(section[position:]))
    codes = [code for kind, code in pieces if kind == "num"]
    if len(codes) != 1:
        raise FormatNotShown(f"number format {number_format!r}")
    scale = sum(text.count("%") for kind, text in pieces if kind == "lit")
    number = _render(value * 100**scale, codes[0], number_format)
    return "".join(number if kind == "num" else text for kind, text in pieces)


def general(value: float) -> str:
    """The General format: integers without decimals, other numbers to 15 digits."""
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.15g}"
    if "e" in text:
        text = f"{Decimal(text):f}"
    return text


def _split_code(text: str) -> list[tuple[str, str]]:
    pieces, position = [], 0
    for m in _PLACEHOLDERS.finditer(text):
        if m.start() > position:
            pieces.append(("lit", text[position : m.start()]))
        pieces.append(("num", m.group()))
        position = m.end()
    if position < len(text):
        pieces.append(("lit", text[position:]))
    if any(kind == "lit" and re.search(r"[eE][+-]|/", lit) for kind, lit in pieces):
        raise FormatNotShown(f"number format {text!r}")
    return pieces


def _render(value: float, code: str, number_format: str) -> str:
    whole, _, decimals = code.partition(".")
    if whole.endswith(","):  # a trailing comma scales by 1000
        raise FormatNotShown(f"number format {number_format!r}")
    places = len(decimals.replace(",", ""))
    exact = Decimal(f"{value:.15g}").quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    negative = exact < 0
    digits = f"{abs(exact):f}"
    integer, _, fraction = digits.partition(".")
    padding = whole.count("0")
    integer = integer.lstrip("0").rjust(padding, "0")
    if "," in whole and integer:
        integer = f"{int(integer):,}".rjust(padding, "0")
    shown_places = decimals.count("0")  # '#' places show only significant digits
    fraction = fraction[:shown_places] + fraction[shown_places:].rstrip("0")
    text = integer + ("." + fraction if fraction else "")
    return ("-" if negative and text.strip("0.") else "") + text
