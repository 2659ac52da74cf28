"""Which cells of a table row read by OCR stay unconfirmed, once the report's own
arithmetic has had its say, and the quarantine reason of a row that keeps any.

A cell is confirmed when the page was read — two reads agreeing exactly, the first
confident — or here, when the engine was confident but the second read disagreed, by the
published figures adding up with it: the four quarters' P to META ANUAL AUTORIZADA, their
A to AVANCE ABSOLUTO, and ACUMULADO RELATIVO to AVANCE ABSOLUTO / META x 100 (rounded, as
printed). A sum that held with a misread digit in it would need a second, compensating
misread among confident reads: that risk is not taken as worth refusing a row for. An
unconfident read is never confirmed by arithmetic.
"""

from __future__ import annotations

from poa_etl.report.columns import PERIODS, MetaCells, TableLayout
from poa_etl.report.form import OCR_DISAGREE, OcrCells, TableRow

OCR_UNCERTAIN = "ocr_uncertain"  # how the quarantine reason of such a row begins


def unconfirmed(ocr: OcrCells, meta: MetaCells | None, layout: TableLayout) -> dict[int, str]:
    """The cells still in doubt (index -> what was read); empty when the row may load."""
    doubts = dict(ocr.doubts)
    if meta is None or not doubts:
        return doubts
    periods = dict(zip(PERIODS, zip(layout.periods, meta.periods, strict=True), strict=True))
    target = (layout.columns["annual_target"], meta.annual_target)
    absolute = (layout.columns["reported_absolute"], meta.reported_absolute)
    for measure, total in (("P", target), ("A", absolute)):
        cells = [periods[(q, measure)] for q in (1, 2, 3, 4)]
        if total[1] is not None and sum(v or 0 for _, v in cells) == total[1]:
            _clear(doubts, [index for index, _ in [*cells, total]])
    relative = layout.columns["reported_relative_pct"]
    if (
        meta.annual_target
        and meta.reported_absolute is not None
        and meta.reported_relative_pct is not None
        and target[0] not in doubts
        and absolute[0] not in doubts
        and round(meta.reported_absolute / meta.annual_target * 100) == meta.reported_relative_pct
    ):
        _clear(doubts, [relative])
    return doubts


def _clear(doubts: dict[int, str], cells: list[int]) -> None:
    """Confirm the cells of a group that holds, if no member of it was an unconfident read."""
    if all(OCR_DISAGREE in doubts[i] for i in cells if i in doubts):
        for index in cells:
            doubts.pop(index, None)


def uncertain_reason(row: TableRow, doubts: dict[int, str], layout: TableLayout) -> str:
    """``ocr_uncertain: page 1 line 38: Abr-Jun A read '3' with confidence 47 (below 80)``."""
    cells = "; ".join(f"{layout.label(i)} {why}" for i, why in sorted(doubts.items()))
    return f"{OCR_UNCERTAIN}: {row.location.within}: {cells}"
