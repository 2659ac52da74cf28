"""Hostile inputs at the file level: encodings, special files, links, empty files.

Each is named plainly (one line naming the file and what it is) and never stops the
other files of the batch.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_TXT, fetch
from test_ingest import poa

from poa_etl.extract import DEFAULTS

SAMPLE_TEXT = SAMPLE_TXT.read_text(encoding="utf-8")
ROW_TABLES = ("report_alignments", "metas", "progress", "signatures", "quality_issues")
LOADED_ONE = (
    "1 file(s) loaded, 0 unchanged, {rejected} rejected: 5 reports, 32 metas, 256 progress "
    "rows, 1 row(s) quarantined."
)


def rows(warehouse: Path) -> dict[str, list[tuple]]:
    return {t: fetch(warehouse, f"SELECT * FROM {t} ORDER BY ALL") for t in ROW_TABLES}


@pytest.fixture(scope="module")
def utf8_rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    warehouse = tmp_path_factory.mktemp("utf8") / "poa.duckdb"
    assert poa("ingest", str(SAMPLE_TXT), "--warehouse", str(warehouse))[0] == 0
    return rows(warehouse)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16", b""), ("utf-16-be", b"\xfe\xff"), ("utf-32", b"")],
)
def test_a_unicode_dump_with_a_byte_order_mark_reads_as_its_utf8_twin(
    encoding: str, bom: bytes, tmp_path: Path, utf8_rows: dict[str, list[tuple]]
) -> None:
    """What Notepad and Excel write as "Unicode text": every row as from the UTF-8 dump."""
    dump = tmp_path / SAMPLE_TXT.name  # locations name the file
    dump.write_bytes(bom + SAMPLE_TEXT.encode(encoding))
    warehouse = tmp_path / "poa.duckdb"
    code, stdout, stderr = poa("ingest", str(dump), "--warehouse", str(warehouse))
    assert (code, stderr) == (0, "")
    assert stdout.splitlines()[-2] == LOADED_ONE.format(rejected=0)
    assert rows(warehouse) == utf8_rows


def test_utf16_without_a_byte_order_mark_is_named_not_called_binary(tmp_path: Path) -> None:
    dump = tmp_path / "no_bom.txt"
    dump.write_bytes(SAMPLE_TEXT.encode("utf-16-le"))
    code, _, stderr = poa("ingest", str(dump), "--warehouse", str(tmp_path / "poa.duckdb"))
    assert (code, stderr) == (
        1,
        f"rejected {dump}: UTF-16 text without a byte-order mark, so its byte order is "
        "unknown: save it as UTF-8, or as UTF-16 with a byte-order mark\n",
    )


def test_a_truncated_utf16_dump_is_rejected_with_the_reason(tmp_path: Path) -> None:
    dump = tmp_path / "cut.txt"
    data = SAMPLE_TEXT.encode("utf-16")
    dump.write_bytes(data[:-1])
    code, _, stderr = poa("ingest", str(dump), "--warehouse", str(tmp_path / "poa.duckdb"))
    assert (code, stderr) == (
        1,
        f"rejected {dump}: not readable as UTF-16 text, though it starts with a UTF-16 "
        f"byte-order mark (truncated data at byte {len(data) - 2})\n",
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with the sample dump, for the special files beside it."""
    path = tmp_path / "in"
    path.mkdir()
    shutil.copy(SAMPLE_TXT, path / "a_sample.txt")
    return path


def test_a_fifo_is_named_and_never_read(folder: Path, tmp_path: Path) -> None:
    """Reading a FIFO would wait for a writer forever."""
    os.mkfifo(folder / "pipe.txt")
    warehouse = tmp_path / "poa.duckdb"
    reason = "a FIFO (named pipe), not a regular file: it is not read"

    code, stdout, stderr = poa("ingest", str(folder), "--warehouse", str(warehouse))

    assert (code, stderr) == (1, f"rejected {folder / 'pipe.txt'}: {reason}\n")
    assert stdout.splitlines()[-2] == LOADED_ONE.format(rejected=1)
    assert fetch(warehouse, "SELECT path, bytes, status, error FROM sources ORDER BY path") == [
        (str(folder / "a_sample.txt"), 10844, "loaded", None),
        (str(folder / "pipe.txt"), 0, "rejected", reason),
    ]
    assert poa("ingest", str(folder / "pipe.txt"), "--warehouse", str(warehouse)) == (
        2, "", f"error: {folder / 'pipe.txt'}: {reason}\n",
    )  # fmt: skip


def test_a_broken_link_is_named_not_called_missing(folder: Path, tmp_path: Path) -> None:
    (folder / "gone.txt").symlink_to(tmp_path / "moved_away.txt")
    warehouse = tmp_path / "poa.duckdb"
    reason = f"a broken symbolic link (to {tmp_path / 'moved_away.txt'})"

    code, stdout, stderr = poa("ingest", str(folder), "--warehouse", str(warehouse))

    assert (code, stderr) == (1, f"rejected {folder / 'gone.txt'}: {reason}\n")
    assert stdout.splitlines()[-2] == LOADED_ONE.format(rejected=1)
    assert poa("ingest", str(folder / "gone.txt"), "--warehouse", str(warehouse)) == (
        2, "", f"error: {folder / 'gone.txt'}: {reason}\n",
    )  # fmt: skip


def test_links_to_folders_are_not_followed(folder: Path, tmp_path: Path) -> None:
    """A link inside the input tree to a folder outside it (here one holding a dump that
    would be rejected if read) is not walked; a link to a folder named on the command line
    is refused, so a link to /etc never has all of /etc read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.txt").write_text("Minuta de la reunión\n", encoding="utf-8")
    (folder / "elsewhere").symlink_to(outside)
    (folder / "loop").symlink_to(folder)
    warehouse = tmp_path / "poa.duckdb"

    code, stdout, stderr = poa("ingest", str(folder), "--warehouse", str(warehouse))

    assert (code, stderr) == (0, "")
    assert stdout.splitlines()[-2] == LOADED_ONE.format(rejected=0)
    assert fetch(warehouse, "SELECT path FROM sources") == [(str(folder / "a_sample.txt"),)]

    etc = tmp_path / "etc"
    etc.symlink_to("/etc")
    assert poa("ingest", str(etc), "--warehouse", str(warehouse)) == (
        2, "",
        f"error: {etc}: a symbolic link to the folder /etc; links to folders are not "
        "followed: name the folder itself\n",
    )  # fmt: skip


def test_a_link_to_a_file_is_read_as_the_file(folder: Path, tmp_path: Path) -> None:
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "sample.txt").symlink_to(folder / "a_sample.txt")
    warehouse = tmp_path / "poa.duckdb"
    code, stdout, _ = poa("ingest", str(linked), "--warehouse", str(warehouse))
    assert code == 0
    assert stdout.splitlines()[-2] == LOADED_ONE.format(rejected=0)


def test_every_empty_file_is_rejected_as_empty_none_unchanged(folder: Path, tmp_path: Path) -> None:
    """Two empty files share a sha256, but emptiness is no content: each is rejected."""
    (folder / "empty_1.txt").write_bytes(b"")
    (folder / "empty_2.txt").write_bytes(b"")
    warehouse = tmp_path / "poa.duckdb"

    code, stdout, stderr = poa("ingest", str(folder), "--warehouse", str(warehouse))

    assert (code, stderr) == (
        1,
        f"rejected {folder / 'empty_1.txt'}: empty file (0 bytes)\n"
        f"rejected {folder / 'empty_2.txt'}: empty file (0 bytes)\n",
    )
    assert stdout.splitlines()[-2] == LOADED_ONE.format(rejected=2)
    assert fetch(warehouse, "SELECT path, status, error FROM sources ORDER BY path") == [
        (str(folder / "a_sample.txt"), "loaded", None),
        (str(folder / "empty_1.txt"), "rejected", "empty file (0 bytes)"),
        (str(folder / "empty_2.txt"), "rejected", "empty file (0 bytes)"),
    ]
    # The next run reads them again and says the same: they are not "unchanged".
    code, stdout, _ = poa("ingest", str(folder), "--warehouse", str(warehouse))
    assert code == 1
    assert "0 file(s) loaded, 1 unchanged, 2 rejected" in stdout


def test_a_file_that_changes_between_planning_and_reading_is_not_loaded(
    folder: Path, tmp_path: Path
) -> None:
    """Its rows would be recorded under the digest of a content it no longer has."""
    from poa_etl.pipeline.load import load_batch
    from poa_etl.pipeline.plan import plan
    from poa_etl.pipeline.pool import read_all
    from poa_etl.pipeline.run import start

    warehouse = tmp_path / "poa.duckdb"
    batch = plan([folder], warehouse)
    (folder / "a_sample.txt").write_text(SAMPLE_TEXT.replace("30-sep.-24", "31-dic-24"))
    read = list(read_all(batch.to_read, DEFAULTS))
    summary = load_batch(batch, read, start(warehouse, "cli"))
    assert [(f.status, f.message) for f in summary.files] == [
        ("rejected", "the file changed while this run read it; the next run reads it again")
    ]
    assert fetch(warehouse, "SELECT count(*) FROM reports") == [(0,)]
    # The next run plans the new content and loads it.
    code, _, _ = poa("ingest", str(folder), "--warehouse", str(warehouse))
    assert code == 0
    assert fetch(warehouse, "SELECT count(*) FROM reports") == [(5,)]
