"""Drawing reports as TMM-F004 PDFs laid out like the published ones (LibreOffice Calc
exports): for test fixtures and benchmark corpora. Needs reportlab (a dev dependency).

The input is the intermediate form, so a text dump can be turned into the PDF of the
same reports and the two front ends compared on every layout.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from poa_etl.report.form import RawReport

PAGE_WIDTH, PAGE_HEIGHT = 792.0, 612.0  # letter, landscape
MARGIN = 30.0
# Column edges of the published sheets: P.M.D., description, unit, target, 8 x P/A,
# absolute, relative, observations.
EDGES = (25.3, 71.2, 293.3, 359.7, 415.9, 438.3, 460.7, 483.1, 505.6, 528.0, 550.4, 572.8,
         595.3, 641.2, 694.8, 766.3)  # fmt: skip
LABELS = (
    "LINEA DE ACCIÓN P.M.D.", "DESCRIPCIÓN DE METAS Y ACCIONES (Subprograma Gob. Y "
    "Proyecto-Proceso)", "UNIDAD DE MEDIDA", "META ANUAL AUTORIZADA",
    *[""] * 8, "AVANCE ABSOLUTO", "ACUMULADO RELATIVO", "OBSERVACIONES",
)  # fmt: skip
QUARTERS = ("Ene-Mar", "Abr-Jun", "Jul-Sep", "Oct-Dic")
SIZE, LEADING = 7.4, 8.2  # table text
HEADER_SIZE = 8.3  # header block text
PAD = 4.0  # above and below a row's text


@dataclass(frozen=True)
class PdfLayout:
    ruled: bool = True  # grid lines, as Excel prints cell borders
    rows_per_page: int | None = None  # force page breaks (the header rows repeat)
    signatures_on_new_page: bool = False
    page_numbers: bool = False  # "Página N" at the foot of every page, as a printer adds


def render_pdf(
    reports: Sequence[RawReport], layout: PdfLayout = PdfLayout(), password: str | None = None
) -> bytes:
    """One PDF with each report starting on a new page."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    encrypt = pdfencrypt.StandardEncryption(password, canPrint=1) if password else None
    pdf = canvas.Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), encrypt=encrypt)
    for report in reports:
        _Report(pdf, report, layout).draw()
    pdf.save()
    return buffer.getvalue()


class _Report:
    def __init__(self, pdf: object, report: RawReport, layout: PdfLayout) -> None:
        self.pdf, self.report, self.layout = pdf, report, layout
        self.top = MARGIN  # distance from the top of the page to the next thing drawn

    def text(self, x: float, top: float, text: str, size: float, *, align: str = "left",
             bold: bool = False) -> None:  # fmt: skip
        self.pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        y = PAGE_HEIGHT - top - size
        {"left": self.pdf.drawString, "center": self.pdf.drawCentredString,
         "right": self.pdf.drawRightString}[align](x, y, text)  # fmt: skip

    def rule(self, x0: float, y0: float, x1: float, y1: float) -> None:
        if self.layout.ruled:
            self.pdf.line(x0, PAGE_HEIGHT - y0, x1, PAGE_HEIGHT - y1)

    def new_page(self) -> None:
        self.end_page()
        self.top = MARGIN

    def end_page(self) -> None:
        if self.layout.page_numbers:
            number = self.pdf.getPageNumber()
            self.text(PAGE_WIDTH / 2, PAGE_HEIGHT - 22, f"Página {number}", 7, align="center")
        self.pdf.showPage()

    def draw(self) -> None:
        for line in self.report.title_lines:
            self.text(PAGE_WIDTH / 2, self.top, line, 10.1, align="center", bold=True)
            self.top += 14
        self.top += 4
        for entry in self.report.header:
            if entry.label:
                self.text(26.2, self.top, entry.label, HEADER_SIZE, bold=True)
            if entry.values:
                self.text(145.0, self.top, entry.values[0], HEADER_SIZE, align="right")
                self.text(151.3, self.top, " ".join(entry.values[1:]), HEADER_SIZE)
            self.top += 11.7
        self.top += 4
        if self.report.form_code:
            self.text(765.3, self.top, self.report.form_code, HEADER_SIZE, align="right", bold=True)
        self.top += 11
        if self.report.fecha:
            self.text(765.3, self.top, f"FECHA: {self.report.fecha}", HEADER_SIZE, align="right",
                      bold=True)  # fmt: skip
        self.top += 15
        self.table()
        self.signatures()
        self.end_page()

    def table(self) -> None:
        self.table_header()
        on_page = 0
        for row in self.report.rows:
            lines = [_wrap(cell, EDGES[i + 1] - EDGES[i] - 4) for i, cell in
                     enumerate(row.cells[: len(EDGES) - 1])]  # fmt: skip
            height = max(len(cell) for cell in lines) * LEADING + 2 * PAD
            full = self.layout.rows_per_page is not None and on_page == self.layout.rows_per_page
            if full or self.top + height > PAGE_HEIGHT - MARGIN:
                self.new_page()
                self.table_header()
                on_page = 0
            for column, cell in enumerate(lines):
                left, right = EDGES[column], EDGES[column + 1]
                first = self.top + (height - len(cell) * LEADING) / 2
                for k, part in enumerate(cell):
                    if column == 1:
                        self.text(left + 1, first + k * LEADING, part, SIZE)
                    else:
                        self.text((left + right) / 2, first + k * LEADING, part, SIZE,
                                  align="center")  # fmt: skip
            self.grid(self.top, self.top + height)
            self.top += height
            on_page += 1
        self.top += 15

    def table_header(self) -> None:
        top, row = self.top, 11.0
        self.text((EDGES[4] + EDGES[12]) / 2, top, "PERIODO", SIZE, align="center", bold=True)
        for q, quarter in enumerate(QUARTERS):
            left = EDGES[4 + 2 * q]
            self.text((left + EDGES[6 + 2 * q]) / 2, top + row, quarter, SIZE, align="center",
                      bold=True)  # fmt: skip
            self.text((left + EDGES[5 + 2 * q]) / 2, top + 2 * row, "P", SIZE, align="center",
                      bold=True)  # fmt: skip
            self.text((EDGES[5 + 2 * q] + EDGES[6 + 2 * q]) / 2, top + 2 * row, "A", SIZE,
                      align="center", bold=True)  # fmt: skip
        for column, label in enumerate(LABELS):
            parts = _wrap(label, EDGES[column + 1] - EDGES[column] - 6)
            first = top + (3 * row - len(parts) * LEADING) / 2
            for k, part in enumerate(parts):
                self.text((EDGES[column] + EDGES[column + 1]) / 2, first + k * LEADING, part,
                          SIZE, align="center", bold=True)  # fmt: skip
        upper, bottom = top - 2, top - 2 + 3 * row
        self.rule(EDGES[0], upper, EDGES[-1], upper)
        for k in (1, 2):
            self.rule(EDGES[4], upper + k * row, EDGES[12], upper + k * row)
        for index, x in enumerate(EDGES):
            if 4 < index < 12:  # inside PERIODO: quarters below its title, P|A in the last row
                self.rule(x, upper + (row if index % 2 == 0 else 2 * row), x, bottom)
            else:
                self.rule(x, upper, x, bottom)
        self.rule(EDGES[0], bottom, EDGES[-1], bottom)
        self.top = bottom

    def grid(self, top: float, bottom: float) -> None:
        for x in EDGES:
            self.rule(x, top, x, bottom)
        self.rule(EDGES[0], bottom, EDGES[-1], bottom)

    def signatures(self) -> None:
        signatures = self.report.signatures
        if not signatures:
            return
        if self.layout.signatures_on_new_page or self.top + 60 > PAGE_HEIGHT - MARGIN:
            self.new_page()
        width = (EDGES[-1] - EDGES[0]) / len(signatures)
        has_roles = any(s.role for s in signatures)
        for k, signature in enumerate(signatures):
            center = EDGES[0] + width * (k + 0.5)
            top = self.top
            if has_roles:
                self.text(center, top, signature.role or "", SIZE, align="center", bold=True)
                top += 11
            self.text(center, top, signature.title or "", SIZE, align="center")
            self.text(center, top + 34, signature.name or "", SIZE, align="center", bold=True)


def _wrap(text: str, width: float) -> list[str]:
    """The lines a cell's text takes in a column of this width (at least one, maybe blank)."""
    from reportlab.lib.utils import simpleSplit

    return simpleSplit(" ".join(text.split()), "Helvetica", SIZE, width) or [""]
