"""The report's charts as inline SVG: a progress bar per meta, a cumulative programmed vs
achieved chart per meta, and the metas per status of a fiscal year.

Drawn here rather than with a charting library: a few rectangles and lines each, about
1.5 KB and microseconds per chart, where Altair with vl-convert took 84 MB installed,
2.7 s to import and ~115 ms and ~10 KB per chart (measured; see the README). Every chart is
``aria-hidden``: the table beside it carries the same numbers for screen readers. Each
drawn data point has the class ``marca``.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from poa_etl.publish.site.data import Meta
from poa_etl.publish.site.text import number, status_colour, status_label

# Cumulative chart: plot area inside a 320 by 170 box.
_LEFT, _RIGHT, _TOP, _BOTTOM = 48.0, 310.0, 16.0, 132.0
PROGRAMMED_COLOUR = "#55657a"
ACHIEVED_COLOUR = "#1f4e9c"


def _svg(
    width: float, height: float, css_class: str, body: list[str], stretch: bool = False
) -> Markup:
    aspect = ' preserveAspectRatio="none"' if stretch else ""
    return Markup(
        f'<svg class="{css_class}" viewBox="0 0 {width:g} {height:g}"{aspect} aria-hidden="true" '
        f'focusable="false" xmlns="http://www.w3.org/2000/svg">{"".join(body)}</svg>'
    )


def progress_bar(meta: Meta) -> Markup:
    """Achieved to date as a share of the annual target (full at 100 %), in the colour of
    the meta's status, with a tick where what was programmed to date would reach."""
    body = ['<rect class="fondo" x="0" y="2" width="200" height="12" rx="2" fill="#ececec"/>']
    if meta.annual_target and meta.achieved_to_date is not None:
        share = min(meta.achieved_to_date / meta.annual_target, 1.0)
        body.append(
            f'<rect class="avance" x="0" y="2" width="{200 * share:.1f}" height="12" rx="2" '
            f'fill="{status_colour(meta.status)}"/>'
        )
    if meta.annual_target and meta.programmed_to_date:
        at = 200 * min(meta.programmed_to_date / meta.annual_target, 1.0)
        body.append(
            f'<line class="esperado" x1="{at:.1f}" x2="{at:.1f}" y1="0" y2="16" '
            'stroke="#222" stroke-width="2" vector-effect="non-scaling-stroke"/>'
        )
    return _svg(200, 16, f"barra estado-{meta.status}", body, stretch=True)


def cumulative_chart(meta: Meta) -> Markup:
    """Programmed (squares) and achieved (circles) added up quarter by quarter against the
    annual target (dashed). Achieved stops at the cut-off; a series with no published cell
    is not drawn."""
    points_p = [(q.number, q.programmed_cumulative) for q in meta.quarters]
    points_a = [(q.number, q.achieved_cumulative) for q in meta.quarters]
    values = [v for _, v in points_p + points_a if v is not None]
    top = max([meta.annual_target or 0, *values, 1])

    def x(quarter: int) -> float:
        return _LEFT + (quarter - 0.5) * (_RIGHT - _LEFT) / 4

    def y(value: float) -> float:
        return _BOTTOM - value / top * (_BOTTOM - _TOP)

    body = [
        f'<line class="eje" x1="{_LEFT}" x2="{_RIGHT}" y1="{_BOTTOM}" y2="{_BOTTOM}" '
        'stroke="#444"/>',
        f'<text x="{_LEFT - 6}" y="{_BOTTOM + 4}" text-anchor="end" font-size="11">0</text>',
        f'<text x="{_LEFT - 6}" y="{y(top) + 4:.1f}" text-anchor="end" font-size="11">'
        f"{escape(number(top))}</text>",
    ]
    for q in meta.quarters:
        shade = "" if q.started else ' fill="#777"'
        body.append(
            f'<text x="{x(q.number):.1f}" y="{_BOTTOM + 16}" text-anchor="middle" '
            f'font-size="11"{shade}>{escape(q.label)}</text>'
        )
    if meta.annual_target:
        target = y(meta.annual_target)
        body.append(
            f'<line class="meta-anual" x1="{_LEFT}" x2="{_RIGHT}" y1="{target:.1f}" '
            f'y2="{target:.1f}" stroke="#999" stroke-dasharray="4 3"/>'
        )
    body += _series(points_p, x, y, PROGRAMMED_COLOUR, "programado", square=True)
    body += _series(points_a, x, y, ACHIEVED_COLOUR, "alcanzado", square=False)
    return _svg(320, 170, "grafica acumulado", body)


def _series(points, x, y, colour: str, name: str, *, square: bool) -> list[str]:
    drawn = [(x(q), y(v)) for q, v in points if v is not None]
    if not drawn:
        return []
    line = " ".join(f"{px:.1f},{py:.1f}" for px, py in drawn)
    body = [
        f'<polyline class="serie {name}" points="{line}" fill="none" stroke="{colour}" '
        'stroke-width="2"/>'
    ]
    for px, py in drawn:
        if square:
            body.append(
                f'<rect class="marca {name}" x="{px - 5.5:.1f}" y="{py - 5.5:.1f}" width="11" '
                f'height="11" fill="#fff" stroke="{colour}" stroke-width="2"/>'
            )
        else:
            body.append(
                f'<circle class="marca {name}" cx="{px:.1f}" cy="{py:.1f}" r="3.5" '
                f'fill="{colour}"/>'
            )
    return body


def status_chart(counts: dict[str, int]) -> Markup:
    """One horizontal bar per status, labelled, with its count."""
    row, label_width, bar_width = 24, 140, 170
    most = max([*counts.values(), 1])
    body = []
    for index, (status, count) in enumerate(counts.items()):
        top = index * row + 4
        width = bar_width * count / most
        body += [
            f'<text x="{label_width - 8}" y="{top + 13}" text-anchor="end" font-size="12">'
            f"{escape(status_label(status))}</text>",
            f'<rect class="marca estado-{status}" x="{label_width}" y="{top}" '
            f'width="{width:.1f}" height="16" fill="{status_colour(status)}"/>',
            f'<text x="{label_width + width + 6:.1f}" y="{top + 13}" font-size="12">{count}</text>',
        ]
    return _svg(label_width + bar_width + 40, row * len(counts) + 8, "grafica estados", body)
