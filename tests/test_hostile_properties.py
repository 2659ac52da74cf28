"""Property tests of the text front end and everything after it (Hypothesis, seeded).

Any input ends loaded, quarantined or rejected with a reason: never a traceback (the
tests run with POA_DEBUG=1, set in conftest, so an unforeseen error raises instead of
becoming a rejection), and never a report loaded as complete when a row of its table is
missing.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from conftest import SAMPLE_TXT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poa_etl.extract import read_reports
from poa_etl.pipeline.load import load
from poa_etl.pipeline.read import read_source
from poa_etl.pipeline.run import start
from poa_etl.store import warehouse
from poa_etl.transform.normalize import normalize_file

SAMPLE = SAMPLE_TXT.read_bytes()
LINES = SAMPLE.decode("utf-8").split("\n")
SOURCE = "f" * 64
SEEDED = settings(
    derandomize=True, database=None, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip


def assert_settled(data: bytes) -> None:
    result = read_source(SAMPLE_TXT, data, SOURCE)
    assert result.status in ("loaded", "rejected")
    if result.status == "rejected":
        assert result.message and "\n" not in result.message


@settings(SEEDED, max_examples=150)
@given(st.binary(max_size=2000))
def test_any_bytes_are_read_or_rejected_with_a_reason(data: bytes) -> None:
    assert_settled(data)


# Text made of the sample's own lines and cells, shuffled, cut and edited: what gets past
# the first checks and into the parsing of titles, headers, tables and signatures.
CELLS = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"-?[0-9,]{0,30}(\.[0-9]{0,20})?%?", fullmatch=True),
    st.sampled_from([
        "", " ", "[/]", "=1+1", "-", ".", "%", "1e5", "\u0663", "\uff11\uff12", "\u00a0",
        "\ufeff", "**",
        "99999999999", "2147483648", "0.000000000000001", "30-sep.-24", "31-feb-24",
        "PROGRAMA OPERATIVO ANUAL 2024", "PROGRAMA OPERATIVO ANUAL 1999", "TMM-F004",
        "TMM-F005", "FECHA: 31-dic-24", "RAMO:", "P", "A", "Ene-Mar", "ELABORÓ",
        "101. X", "12345678901. X", "4.6.1", "3..2",
    ]),
)  # fmt: skip
LINE_NUMBERS = st.integers(0, len(LINES) - 1)
EDITS = st.one_of(
    st.tuples(st.just("cell"), LINE_NUMBERS, st.integers(0, 15), CELLS),
    st.tuples(st.just("delete"), LINE_NUMBERS, st.integers(1, 4)),
    st.tuples(st.just("repeat"), LINE_NUMBERS, st.integers(1, 3)),
    st.tuples(st.just("insert"), LINE_NUMBERS, st.lists(CELLS, max_size=16)),
    st.tuples(st.just("move"), LINE_NUMBERS, LINE_NUMBERS),
)


def edited(edits: list[tuple]) -> list[str]:
    lines = list(LINES)
    for kind, at, *args in edits:
        at %= len(lines) or 1
        if kind == "cell":
            cells = lines[at].split("\t")
            cells[args[0] % len(cells)] = args[1]
            lines[at] = "\t".join(cells)
        elif kind == "delete":
            del lines[at : at + args[0]]
        elif kind == "repeat":
            lines[at:at] = lines[at : at + args[0]]
        elif kind == "insert":
            lines.insert(at, "\t".join(args[0]))
        elif kind == "move" and lines:
            lines.insert(args[0] % len(lines), lines.pop(at))
    return lines


@settings(SEEDED, max_examples=100)
@given(st.lists(EDITS, min_size=1, max_size=4), st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_an_edited_dump_is_read_or_rejected_with_a_reason(edits: list, encoding: str) -> None:
    text = "\n".join(edited(edits))
    assert_settled(text.encode(encoding, errors="replace"))


@settings(SEEDED, max_examples=10)
@given(st.lists(EDITS, min_size=1, max_size=3))
def test_an_edited_dump_loads_with_every_table_row_accounted_for(edits: list) -> None:
    """Through the contract, the warehouse and the quality rules: no error, and each row
    of a loaded report's table is a meta or a quarantined row — one or the other."""
    data = "\n".join(edited(edits)).encode()
    result = read_source(SAMPLE_TXT, data, SOURCE)
    summary = start(Path("memory"), "cli")
    summary.files = [result]
    with duckdb.connect() as con:
        warehouse.ensure_schema(con)
        load(con, summary)
        if result.status == "rejected":
            assert result.message
            assert con.execute("SELECT count(*) FROM reports").fetchone() == (0,)
            return
        metas = con.execute("SELECT report_id, source_location FROM metas").fetchall()
        quarantined = con.execute("SELECT report_id, location FROM quarantine").fetchall()
        loaded = {r for (r,) in con.execute("SELECT report_id FROM reports").fetchall()}
    reports, _ = read_reports(SAMPLE_TXT.name, data, "text")
    rows = {
        str(row.location)
        for report in reports
        if _identity(report) in loaded
        for row in report.rows
    }
    in_metas = {where for rid, where in metas if rid in loaded}
    in_quarantine = {where for rid, where in quarantined if rid in loaded and where in rows}
    assert not in_metas & in_quarantine
    assert in_metas | in_quarantine == rows


def _identity(report: object) -> str:
    """The report_id a report of the intermediate form is loaded under."""
    return normalize_file(SOURCE, [report])["reports"]["report_id"].iloc[0]


# Where the metas tables are: from each table header to the first signature line.
TABLE_SPANS = [
    (start, end)
    for start, line in enumerate(LINES)
    if line.startswith("LINEA DE ACCI")
    for end in [next(i for i in range(start, len(LINES)) if LINES[i].startswith("RESPONSABLE"))]
]


@settings(SEEDED, max_examples=120)
@given(st.data())
def test_a_dump_cut_inside_a_metas_table_never_loads_that_report(data: st.DataObject) -> None:
    """Cut anywhere from a table's header to its signature block (a download that stopped,
    a disk that filled), the report is incomplete: the file is rejected, never loaded with
    the rows before the cut."""
    start, end = data.draw(st.sampled_from(TABLE_SPANS))
    first = len("\n".join(LINES[:start]).encode()) + 1
    last = len("\n".join(LINES[:end]).encode())
    cut = data.draw(st.integers(first, last))
    result = read_source(SAMPLE_TXT, SAMPLE[:cut], SOURCE)
    assert result.status == "rejected", (cut, SAMPLE[:cut][-60:])
    assert result.message
