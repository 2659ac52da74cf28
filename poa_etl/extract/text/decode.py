"""The text of a dump: bytes decoded, binary refused."""

from __future__ import annotations

import re

from poa_etl.errors import RejectedFile

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
LINE_BREAK = re.compile(r"\r\n|\r|\n")


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


def text_lines(text: str) -> list[str]:
    """The lines of a text as an editor numbers them (a form feed does not break a line)."""
    lines = LINE_BREAK.split(text)
    return lines[:-1] if lines and lines[-1] == "" else lines
