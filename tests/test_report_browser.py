"""The report as a person sees it, in a real browser (headless Chromium): how many progress
bars and chart marks are drawn, the status counts, no console errors, a screenshot and a
printed PDF. Expectations by hand from the sample dump (see tests/test_meta_status.py)."""

from __future__ import annotations

import base64
import io
import struct
from pathlib import Path

import pdfplumber
import pytest
from browser import chromium
from selenium.webdriver.common.by import By
from test_ingest import poa

# Marks of the cumulative charts per unit page: 4 programmed (a series with any published
# P cell) + one achieved per quarter started by the cut-off (a series with any published A).
# 2024 (cut-off 30-sep): 3 quarters started. 58201's meta 306 publishes no P and no A up to
# Jul-Sep (only an A in Oct-Dic), so it has no marks. 2022 and 2023: 4 quarters started.
UNITS = {
    # page: (metas, chart marks)
    "2022/58203.html": (6, 6 * (4 + 4)),
    "2023/58101.html": (6, 6 * (4 + 4)),
    "2024/58102.html": (7, 7 * (4 + 3)),
    "2024/58201.html": (7, 6 * (4 + 3)),
    "2024/58202.html": (6, 6 * (4 + 3)),
}
STATUS_COLUMNS = ["Cumplida", "En tiempo", "Atrasada", "Crítica", "Sin programación", "Sin dato"]
DRAWN = """
return Array.from(document.querySelectorAll(arguments[0])).filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
}).length;
"""


@pytest.fixture(scope="module")
def site(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "site"
    code, _, stderr = poa("report", "--out", str(out), "--warehouse", str(sample_warehouse))
    assert (code, stderr) == (0, "")
    return out


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def visit(browser, site: Path, page: str) -> None:
    browser.get((site / page).as_uri())
    assert browser.execute_script("return document.readyState") == "complete"


def table_rows(browser, css: str) -> list[list[str]]:
    rows = browser.find_elements(By.CSS_SELECTOR, f"{css} tbody tr")
    return [[c.text for c in row.find_elements(By.CSS_SELECTOR, "th, td")] for row in rows]


def test_each_unit_page_draws_a_bar_per_meta_and_every_chart_mark(browser, site: Path) -> None:
    for page, (metas, marks) in UNITS.items():
        visit(browser, site, page)
        assert len(browser.find_elements(By.CSS_SELECTOR, "article.meta")) == metas, page
        assert browser.execute_script(DRAWN, "svg.barra") == metas, page
        assert browser.execute_script(DRAWN, "svg.acumulado .marca") == marks, page
        assert browser.execute_script(DRAWN, "svg.acumulado") == metas, page


def test_the_status_counts_shown(browser, site: Path) -> None:
    visit(browser, site, "index.html")
    assert table_rows(browser, "#ejercicios") == [
        # year, units, metas, then the metas per status in the columns' order
        ["2022", "1", "6", "2", "0", "4", "0", "0", "0"],
        ["2023", "1", "6", "1", "1", "4", "0", "0", "0"],
        ["2024", "3", "20", "3", "15", "0", "0", "2", "0"],
    ]
    visit(browser, site, "2024/index.html")
    header = browser.find_elements(By.CSS_SELECTOR, "#unidades-tabla thead th")
    assert [h.text.replace("\n", " ") for h in header][3:] == STATUS_COLUMNS
    assert table_rows(browser, "#unidades-tabla") == [
        ["58102 GERENCIA ADMINISTRATIVA", "30 de septiembre de 2024", "7",
         "1", "5", "0", "0", "1", "0"],
        ["58201 GERENCIA DE PROMOCION E INFORMACIÓN", "30 de septiembre de 2024", "7",
         "0", "6", "0", "0", "1", "0"],
        ["58202 GERENCIA DE RELACIONES PUBLICAS", "30 de septiembre de 2024", "6",
         "2", "4", "0", "0", "0", "0"],
    ]  # fmt: skip
    # The chart of metas per status: one bar per status, and the table behind it for screen
    # readers says the same.
    assert browser.execute_script(DRAWN, "svg.estados .marca.estado-en_tiempo") == 1
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.estados .marca")) == 6
    hidden = browser.find_elements(By.CSS_SELECTOR, "figure table.solo-lectores tbody tr")
    assert [
        [c.get_attribute("textContent") for c in r.find_elements(By.CSS_SELECTOR, "th, td")]
        for r in hidden
    ] == [
        ["Cumplida", "3"], ["En tiempo", "15"], ["Atrasada", "0"], ["Crítica", "0"],
        ["Sin programación", "2"], ["Sin dato", "0"],
    ]  # fmt: skip


def test_recurring_metas_side_by_side(browser, site: Path) -> None:
    visit(browser, site, "metas-recurrentes.html")
    assert [h.text for h in browser.find_elements(By.CSS_SELECTOR, "main h2")] == [
        "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES"
    ]
    cells = browser.find_elements(By.CSS_SELECTOR, "table.recurrente tbody td")
    assert [c.text.split("\n") for c in cells] == [
        ["Unidad 58203, meta 501: Atrasada", "21 de 30 (70%)"],
        ["Unidad 58101, meta 101: Atrasada", "21 de 30 (70%)"],
        ["Unidad 58102, meta 201: En tiempo", "21 de 30 (70%)",
         "Unidad 58201, meta 301: En tiempo", "20 de 30 (66.7%)",
         "Unidad 58202, meta 401: En tiempo", "21 de 30 (70%)"],
    ]  # fmt: skip


def test_no_console_errors_on_any_page(browser, site: Path) -> None:
    browser.get_log("browser")  # what earlier tests left
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
    assert len(pages) == 12
    for page in pages:
        visit(browser, site, page)
    assert [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []


def test_a_screenshot_and_a_printed_copy(browser, site: Path, tmp_path: Path) -> None:
    visit(browser, site, "2024/58201.html")
    shot = tmp_path / "58201.png"
    assert browser.save_screenshot(str(shot))
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == tuple(browser.execute_script(
        "return [window.innerWidth, window.innerHeight]"))  # fmt: skip
    printed = base64.b64decode(browser.print_page())
    with pdfplumber.open(io.BytesIO(printed)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        pages = len(pdf.pages)
    assert pages >= 2
    assert "58201 GERENCIA DE PROMOCION E INFORMACIÓN, ejercicio 2024" in text
    assert "Ejercicio 2022" not in text  # the navigation is not printed
    assert text.count("Meta anual:") == 7
