"""The text of a dump: bytes decoded, binary refused."""

from __future__ import annotations

import codecs
import re

from poa_etl.errors import RejectedFile

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
LINE_BREAK = re.compile(r"\r\n|\r|\n")


# Byte-order marks of the Unicode encodings Windows and Excel write ("Unicode text"); the
# UTF-32 marks first, since UTF-32-LE's starts with UTF-16-LE's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def decode_text(data: bytes) -> str:
    """The text of a dump: UTF-8, UTF-16 or UTF-32 with a byte-order mark, or
    Windows-1252 as Excel on Windows writes it."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec))
            except UnicodeDecodeError as exc:
                raise RejectedFile(
                    f"not readable as {name} text, though it starts with a {name} byte-order "
                    f"mark ({exc.reason} at byte {exc.start})"
                ) from None
    if (nul := data.find(b"\x00")) >= 0:
        if _looks_like_utf16(data):
            raise RejectedFile(
                "UTF-16 text without a byte-order mark, so its byte order is unknown: "
                "save it as UTF-8, or as UTF-16 with a byte-order mark"
            )
        raise RejectedFile(f"binary data, not a text dump (NUL byte at offset {nul})")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return _checked(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise RejectedFile("not readable as text: neither UTF-8 nor Windows-1252")


def _looks_like_utf16(data: bytes) -> bool:
    """Latin text in UTF-16: one of every two bytes is NUL (at even or odd offsets)."""
    head = data[:4096]
    half = len(head) // 2
    return half >= 8 and max(head[0::2].count(0), head[1::2].count(0)) >= 0.9 * half


def _checked(text: str) -> str:
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
