"""Front end for TMM-F004 PDFs (Excel or LibreOffice sheets exported, browser prints):
bytes in, ``RawReport``s out.

Each page is parsed once, by PDFium (``pdfium_pages``); a page PDFium cannot be trusted
with is read by pdfplumber instead (``plumber_pages``), and counted. Both give a
``VectorPage``, turned into the page model (``vector``), which ``layout`` reads into
reports. A scanned page (an image and no printed text, with or without an OCR text
layer) is read from its image by the OCR front end (``poa_etl.extract.ocr``) into the same
page model, when OCR is installed. What cannot be read whole — an encrypted, corrupt or
truncated file, a scan where OCR is not installed, a page turned every way, a file over
the limits — is rejected here with the reason.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Literal, NamedTuple

from poa_etl.errors import RejectedFile
from poa_etl.extract.options import DEFAULTS, PageProgress, ReadOptions
from poa_etl.extract.pdf import pdfium_pages
from poa_etl.extract.pdf.layout import read_reports
from poa_etl.extract.pdf.page import Page
from poa_etl.extract.pdf.vector import VectorPage, build_page
from poa_etl.report.form import RawReport

if TYPE_CHECKING:
    import pdfplumber  # imported when a page needs it: the fallback is rare

    from poa_etl.extract.ocr import ScannedPages

Engine = Literal["pdfium", "pdfplumber"]
LOG = logging.getLogger(__name__)
_OFFICE = re.compile(r"LibreOffice|OpenOffice|\bCalc\b|Excel|Microsoft|Sheets|WPS", re.IGNORECASE)


class PdfRead(NamedTuple):
    reports: list[RawReport]
    pages: int
    fallback_pages: tuple[int, ...]  # pages read by pdfplumber because PDFium could not be


def read_pdf(
    file: str,
    data: bytes,
    options: ReadOptions = DEFAULTS,
    on_page: PageProgress | None = None,
    engine: Engine = "pdfium",
) -> PdfRead:
    """All reports in a PDF; ``file`` names it in locations. ``engine="pdfplumber"``
    reads every page with pdfplumber (to compare the two readers).

    A file that cannot be read as TMM-F004 reports raises RejectedFile with the reason.
    """
    if b"%PDF-" not in data[:1024]:
        raise RejectedFile("not a PDF file: it does not start with %PDF-")
    if b"%%EOF" not in data[-1024:]:
        raise RejectedFile("corrupt or truncated PDF: Unexpected EOF")
    pages: list[Page] = []
    fallback: list[int] = []
    scans: list[tuple[int, str]] = []
    scanner: ScannedPages | None = None
    missing: str | None = None  # why OCR is not available
    started = time.monotonic()
    with pdfium_pages.LOCK, ExitStack() as stack:
        read, total, breaks_words = _page_reader(data, options, engine, stack)
        for number in range(1, total + 1):
            if number > 1 and time.monotonic() - started > options.max_seconds:
                raise RejectedFile(
                    f"reading stopped at page {number} of {total}: it took longer than the "
                    f"limit of {options.max_seconds:g} s per file (--max-seconds)"
                )
            vector, fell_back = read(number - 1)
            if fell_back:
                fallback.append(number)
                LOG.info("%s page %d: read with pdfplumber, PDFium could not be trusted", file,
                         number)  # fmt: skip
            if kind := _scanned(vector):
                scans.append((number, kind))
                if scanner is None and missing is None:
                    scanner, missing = _scanner(data, options, stack)
            if kind and scanner:
                pages.append(scanner.read(number))
            else:
                pages.append(build_page(vector, breaks_words))
            if on_page:
                on_page(number, total)
    if missing:
        _reject_scans(scans, total, missing)
    reports = read_reports(file, pages)
    if scans:
        reports = [dataclasses.replace(r, by_ocr=True) for r in reports]
    return PdfRead(reports, total, tuple(fallback))


def _scanner(
    data: bytes, options: ReadOptions, stack: ExitStack
) -> tuple[ScannedPages | None, str | None]:
    """The OCR reader of the file's scanned pages, or why OCR is not available and how to
    enable it. The OCR front end is imported only when a scan is met."""
    from poa_etl.extract.ocr import ScannedPages, missing_reason

    if reason := missing_reason():
        return None, reason
    scanner = ScannedPages(data, options.password)
    stack.callback(scanner.close)
    return scanner, None


PageRead = Callable[[int], tuple[VectorPage, bool]]


def _page_reader(
    data: bytes, options: ReadOptions, engine: Engine, stack: ExitStack
) -> tuple[PageRead, int, bool]:
    """A function reading page i (from 0) and telling whether pdfplumber read it; the
    number of pages; whether the producer breaks words (``Page.breaks_words``).
    Documents are closed when ``stack`` is."""
    opened: list[pdfplumber.PDF] = []

    def plumber() -> pdfplumber.PDF:
        if not opened:
            opened.append(_open_plumber(data, options, stack))
        return opened[0]

    def by_plumber(index: int) -> VectorPage:
        from poa_etl.extract.pdf import plumber_pages

        with _pdfminer_errors(options):
            page = plumber().pages[index]
            try:
                return plumber_pages.read_page(page)
            finally:
                page.close()

    if engine == "pdfplumber":
        total = len(plumber().pages)
        _check_pages(total, options)
        return lambda index: (by_plumber(index), False), total, _breaks_words(plumber().metadata)
    document = pdfium_pages.open_document(data, options.password)
    stack.callback(document.close)
    total = len(document)
    _check_pages(total, options)

    def read(index: int) -> tuple[VectorPage, bool]:
        vector = pdfium_pages.read_page(document, index)
        return (vector, False) if vector is not None else (by_plumber(index), True)

    return read, total, _breaks_words(document.get_metadata_dict())


def _breaks_words(metadata: dict[str, object]) -> bool:
    """Whether the PDF comes from a spreadsheet or word processor, which breaks a word too
    long for its cell (its Creator or Producer says so)."""
    return any(_OFFICE.search(str(metadata.get(key) or "")) for key in ("Creator", "Producer"))


def _check_pages(total: int, options: ReadOptions) -> None:
    if total > options.max_pages:
        raise RejectedFile(
            f"the PDF has {total} pages; the limit is {options.max_pages} per file (--max-pages)"
        )


def _open_plumber(data: bytes, options: ReadOptions, stack: ExitStack) -> pdfplumber.PDF:
    import pdfplumber

    with _pdfminer_errors(options):
        pdf = pdfplumber.open(io.BytesIO(data), password=options.password or "")
    stack.callback(pdf.close)
    return pdf


@contextmanager
def _pdfminer_errors(options: ReadOptions) -> Iterator[None]:
    """pdfplumber's failures as plain rejections."""
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        yield
    except PdfminerException as exc:
        raise RejectedFile(_pdfminer_reason(exc, options)) from None


def _pdfminer_reason(exc: Exception, options: ReadOptions) -> str:
    cause = exc.args[0] if exc.args else exc
    if type(cause).__name__ == "PDFPasswordIncorrect":
        if options.password:
            return "encrypted PDF: the password given does not open it"
        return "encrypted PDF: a password is needed to read it (--pdf-password)"
    detail = str(cause) or type(cause).__name__
    return f"corrupt or truncated PDF: {detail}"


def _scanned(vector: VectorPage) -> str | None:
    """'ocr' for a page whose only text is invisible, 'image' for one with images and no
    text; None for a page with printed text (or a blank one)."""
    if any(not g.text.isspace() for g in vector.glyphs):
        return None
    if vector.invisible:
        return "ocr"
    return "image" if vector.images else None


def _reject_scans(scans: list[tuple[int, str]], total: int, reason: str) -> None:
    """A scan cannot be read without OCR: the file is a scan (its first page is), or a
    page of it is. ``reason``: why OCR is not available, and how to enable it."""
    pages = f"{total} page{'s' if total != 1 else ''}"
    if len(scans) == total:
        if any(kind == "ocr" for _, kind in scans):
            raise RejectedFile(
                f"a scan with an OCR text layer ({pages}): its only text is invisible, laid "
                f"over the page images by OCR, and does not form the TMM-F004 grid; {reason}"
            )
        raise RejectedFile(
            f"no text layer: the PDF holds only images ({pages}), as a scan does; {reason}"
        )
    number, kind = scans[0]
    what = (
        "its only text is an invisible OCR layer over a scanned image"
        if kind == "ocr"
        else "it holds only an image (a scan, no text layer)"
    )
    raise RejectedFile(
        f"page {number} cannot be read: {what}, while other pages have printed text, so "
        f"the file cannot be read whole; {reason}"
    )
