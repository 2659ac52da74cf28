"""``poa report`` writes a self-contained site: the pages it promises, nothing fetched from
anywhere, every link landing on a page and anchor that exist, published text shown as text,
and a folder that is replaced whole or not at all. What the pages show is checked in a real
browser (tests/test_report_browser.py)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import mutated_sample, run_ingest, sample_line
from test_ingest import poa

PAGES = [
    ".poa-report", "2022/58203.html", "2022/index.html", "2023/58101.html", "2023/index.html",
    "2024/58102.html", "2024/58201.html", "2024/58202.html", "2024/index.html",
    "diccionario.html", "encabezados.html", "index.html", "metas-recurrentes.html",
]  # fmt: skip


class Page(HTMLParser):
    """The tags, links, ids and text of one page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def report(warehouse: Path, out: Path, *args: str) -> tuple[int, str, str]:
    return poa("report", "--out", str(out), "--warehouse", str(warehouse), *args)


def written(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def site(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "site"
    assert report(sample_warehouse, out) == (
        0, f"12 page(s), 5 unit page(s), in {out}: open {out / 'index.html'}\n", "",
    )  # fmt: skip
    return out


def test_the_pages_of_the_sample(site: Path) -> None:
    assert written(site) == PAGES


def test_nothing_is_fetched_and_every_link_lands(site: Path) -> None:
    parsed = {name: Page((site / name).read_text(encoding="utf-8")) for name in PAGES[1:]}
    for name, page in parsed.items():
        tags = {tag for tag, _ in page.tags}
        assert not tags & {"script", "link", "img", "iframe", "object", "embed"}, name
        for tag, attributes in page.tags:
            assert "src" not in attributes, (name, tag)
            if tag == "svg":
                assert attributes["xmlns"] == "http://www.w3.org/2000/svg"
            if tag != "a":
                continue
            href = attributes["href"]
            assert not href.startswith(("http:", "https:", "//", "/")), (name, href)
            target, _, anchor = href.partition("#")
            landing = (
                (site / name).parent.joinpath(target).resolve().relative_to(site.resolve())
                if target
                else Path(name)
            ).as_posix()
            assert landing in parsed, (name, href)
            assert not anchor or anchor in parsed[landing].ids, (name, href)


def test_published_text_is_shown_as_text(tmp_path: Path) -> None:
    """A description with markup in it reaches the page escaped."""
    line = sample_line(32).replace(
        "101. SEGUIMIENTO AL GASTO", "101. SEGUIMIENTO <script>alert(1)</script> & <b>GASTO"
    )
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([mutated_sample(tmp_path / "in", {32: line})], warehouse)
    out = tmp_path / "site"
    assert report(warehouse, out)[0] == 0
    html = (out / "2023" / "58101.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<b>" not in html
    assert "101. SEGUIMIENTO &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;GASTO" in html


def test_one_year_and_a_later_report_replaces_the_earlier_whole(
    sample_warehouse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    assert report(sample_warehouse, out)[0] == 0
    assert report(sample_warehouse, out, "--year", "2023") == (
        0, f"6 page(s), 1 unit page(s), in {out}: open {out / 'index.html'}\n", "",
    )  # fmt: skip
    assert written(out) == [
        ".poa-report", "2023/58101.html", "2023/index.html", "diccionario.html",
        "encabezados.html", "index.html", "metas-recurrentes.html",
    ]  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging left behind


def test_refusals_are_one_line_and_leave_everything_as_it_was(
    sample_warehouse: Path, tmp_path: Path
) -> None:
    assert report(sample_warehouse, tmp_path / "a", "--year", "2019") == (
        2, "", "error: no reports for fiscal year 2019 in the warehouse (it holds 2022, 2023, "
        "2024)\n",
    )  # fmt: skip
    assert not (tmp_path / "a").exists()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    assert report(sample_warehouse, mine) == (
        1, "", f"error: {mine} holds files that are not a poa report: give an empty or new "
        "folder (--out)\n",
    )  # fmt: skip
    assert written(mine) == ["notes.txt"]
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    assert report(sample_warehouse, a_file) == (1, "", f"error: {a_file} is a file, not a folder\n")
    assert report(sample_warehouse, a_file / "site") == (
        1, "", f"error: cannot write the report into {a_file / 'site'}: Not a directory\n",
    )  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "mine"]


def test_an_empty_warehouse_has_no_report(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    warehouse = tmp_path / "poa.duckdb"
    assert poa("ingest", str(tmp_path / "nothing"), "--warehouse", str(warehouse))[0] == 0
    assert report(warehouse, tmp_path / "site") == (
        1, "", "error: the warehouse holds no reports yet: load publications with poa ingest\n",
    )  # fmt: skip
    assert not (tmp_path / "site").exists()
