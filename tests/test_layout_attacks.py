"""Renderings an adversarial run made with real producers, on which the layout reader
loaded a wrong description or unit of measure (``tests/fixtures/attacks``): each is now
read exactly as published, or refused with the cause."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_TXT
from test_ingest import poa

from poa_etl.errors import RejectedFile
from poa_etl.extract import read_reports
from poa_etl.transform.normalize import normalize_file

ATTACKS = ROOT / "tests" / "fixtures" / "attacks"


def _metas(path: Path) -> dict[tuple[str, int], tuple]:
    reports, _ = read_reports(path.name, path.read_bytes(), "text")
    metas = normalize_file("s", reports)["metas"]
    return {
        (r.report_id, r.meta_id): (r.description, r.unit_of_measure, r.annual_target)
        for r in metas.itertuples()
    }


def test_a_description_line_of_short_words_under_a_repeated_header_is_kept() -> None:
    """Meta 400 goes on to a new page after "RELACIONES PÚBLICAS,"; its next line, "CON EL
    FIN DE", right under the repeated header, was taken for the ends of header words."""
    metas = _metas(ATTACKS / "cr_letter_landscape_16pt.fixed4.txt")
    assert metas[("2024-58202-20240930", 400)] == (
        "DESARROLLAR UN PROGRAMA DE ESTRATEGIAS DE RELACIONES PÚBLICAS, CON EL FIN DE "
        "POSICIONAR AL MUNICIPIO DE MEXICALI COMO UN DESTINO TURÍSTICO",
        "PROGRAMA",
        1.0,
    )
    assert metas == {key: value for key, value in _metas(SAMPLE_TXT).items() if key in metas}


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (
            "poa2024_ramo58_ue58102.fixed2.txt",
            "line 19: 'ADMINISTRAR / EFICIENTEMENTE LOS RECURSOS' stand apart from each other "
            "under the description's heading (as justified text, or `pdftotext -fixed` at a "
            "fine pitch, sets a description's words), so a layout dump cannot tell the "
            "description from the unit of measure; make the dump with `pdftotext -layout`, or "
            "load the PDF itself",
        ),
        (
            "cr3_letter_landscape_9pt.layout.txt",
            "line 185: 'CUENTA EL MUNICIPIO DE MEXICALI MEDIANTE ACTUALIZADO' reaches column "
            "63, past where the unit of measure's column begins (58), so a layout dump cannot "
            "tell the description's last words from the unit's; load the PDF itself",
        ),
        (
            "cr_letter_landscape_8pt.layout.txt",
            "line 102: meta '207.-' has no unit of measure standing apart from its "
            "description, so a layout dump cannot tell a blank unit from one set against the "
            "description's last words; load the PDF itself",
        ),
    ],
)
def test_text_a_layout_dump_cannot_place_refuses_the_file(name: str, reason: str) -> None:
    path = ATTACKS / name
    with pytest.raises(RejectedFile) as refused:
        read_reports(path.name, path.read_bytes(), "text")
    assert str(refused.value) == reason


def test_a_page_turned_upside_down_is_not_left_out_in_silence(tmp_path: Path) -> None:
    """Chromium's A4 print with page 1 (report 2023-58101, alone on it) turned 180° by
    qpdf: its 54 lines read as no report, and the file loaded the other four reports,
    exit 0. Refused whole instead, naming the page."""
    path = ATTACKS / "chromium_a4_landscape_9pt.page1_rot180.pdf"
    code, _, err = poa("ingest", str(path), "--warehouse", str(tmp_path / "w.duckdb"))
    assert (code, err) == (
        1,
        f"rejected {path}: page 1 line 1: 54 lines stand before the first report's title "
        "and belong to no report (a page turned upside down, or text that does not read as "
        "a TMM-F004 report); the file is not loaded, so no report of it is left out\n",
    )
