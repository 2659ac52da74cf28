"""The publication folder under attack: failures midway, crashes between the renames, a
busy folder, folders the export does not own. The previous publication always survives."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from pathlib import Path

import pytest
from test_ingest import poa

from poa_etl.publish import csv_export, export, workbook
from poa_etl.store import warehouse


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def published(sample_warehouse: Path, tmp_path: Path) -> Path:
    """A complete CSV publication of every year in ``tmp_path / 'portal'``."""
    out = tmp_path / "portal"
    assert poa("export", "--out", str(out), "--warehouse", str(sample_warehouse))[0] == 0
    return out


def args(out: Path, warehouse: Path, *more: str) -> tuple[str, ...]:
    return ("export", "--out", str(out), "--warehouse", str(warehouse), *more)


def test_a_disk_full_midway_leaves_the_previous_publication_byte_identical(
    published: Path, sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = files(published)
    written = 0
    write_dataset = csv_export.write_dataset

    def fills_the_disk(*arguments: object, **options: object) -> object:
        nonlocal written
        written += 1
        if written == 9:  # the 2023 files are being written
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return write_dataset(*arguments, **options)

    monkeypatch.setattr(csv_export, "write_dataset", fills_the_disk)
    assert poa(*args(published, sample_warehouse)) == (
        1, "", f"error: cannot write the export into {published}: No space left on device; the "
        "previous publication there is unchanged\n",
    )  # fmt: skip
    assert written == 9
    assert files(published) == before
    assert sorted(p.name for p in published.parent.iterdir()) == ["portal"]  # nothing left over


def test_a_workbook_failing_midway_leaves_the_previous_one(
    sample_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "xlsx"
    assert poa(*args(out, sample_warehouse, "--format", "xlsx"))[0] == 0
    before = files(out)
    sheets = 0
    write_sheet = workbook._write_sheet

    def breaks_on_the_fourth(*arguments: object) -> int:
        nonlocal sheets
        sheets += 1
        if sheets == 4:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return write_sheet(*arguments)

    monkeypatch.setattr(workbook, "_write_sheet", breaks_on_the_fourth)
    code, _, stderr = poa(*args(out, sample_warehouse, "--format", "xlsx"))
    assert (code, stderr) == (
        1, f"error: cannot write the export into {out}: Input/output error; the previous "
        "publication there is unchanged\n",
    )  # fmt: skip
    assert files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["xlsx"]


def test_an_interrupted_swap_is_put_back_by_the_next_export(
    published: Path, sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kill -9 between the two renames: the previous publication is whole beside the folder,
    the folder itself is gone. The next export puts it back before anything else, so even a
    failing one leaves it published."""
    before = files(published)
    aside = published.parent / ".portal.poa-old-0badc0de"
    published.rename(aside)
    (published.parent / ".portal.poa-new-0badc0de").mkdir()  # the unfinished new one
    monkeypatch.setattr(csv_export, "write_dataset", _fails)
    assert poa(*args(published, sample_warehouse))[0] == 1
    assert files(published) == before
    assert sorted(p.name for p in published.parent.iterdir()) == ["portal"]


def _fails(*_: object, **__: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_ctrl_c_midway_leaves_the_previous_publication(
    published: Path, sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = files(published)

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(csv_export, "write_dataset", interrupted)
    with (
        warehouse.connect(sample_warehouse, read_only=True) as con,
        pytest.raises(KeyboardInterrupt),
    ):
        export.export(con, published)
    assert files(published) == before
    assert sorted(p.name for p in published.parent.iterdir()) == ["portal"]


def test_a_new_publication_keeps_the_folder_mode(published: Path, sample_warehouse: Path) -> None:
    published.chmod(0o750)
    assert poa(*args(published, sample_warehouse))[0] == 0
    assert stat.S_IMODE(published.stat().st_mode) == 0o750


def test_a_second_export_beside_a_running_one_is_refused(
    published: Path, sample_warehouse: Path
) -> None:
    before = files(published)
    fd = os.open(published.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert poa(*args(published, sample_warehouse)) == (
            1, "", f"error: another poa export is writing into {published.parent}\n",
        )  # fmt: skip
    finally:
        os.close(fd)
    assert files(published) == before


def test_another_format_or_fewer_years_needs_replace(
    published: Path, sample_warehouse: Path
) -> None:
    before = files(published)
    assert poa(*args(published, sample_warehouse, "--format", "xlsx")) == (
        1, "", f"error: {published} holds a csv export; this one is xlsx: export into another "
        "folder, or give --replace to replace it\n",
    )  # fmt: skip
    assert poa(*args(published, sample_warehouse, "--year", "2023", "--year", "2024")) == (
        1, "", f"error: {published} holds fiscal year(s) 2022 that this export (2023, 2024) "
        "would remove: export them too, or give --replace to publish only these\n",
    )  # fmt: skip
    assert files(published) == before
    assert poa(*args(published, sample_warehouse, "--format", "xlsx", "--replace"))[0] == 0
    assert sorted(files(published)) == ["datapackage.json", "poa_avance_fisico_programatico.xlsx"]


def test_loose_files_are_replaced_only_when_asked(sample_warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "portal"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert poa(*args(out, sample_warehouse, "--year", "2024")) == (
        1, "", f"error: {out} holds files that are not part of a poa export (notes.txt): export "
        "into an empty or new folder, or give --replace to replace them\n",
    )  # fmt: skip
    assert files(out) == {"notes.txt": b"mine"}
    assert poa(*args(out, sample_warehouse, "--year", "2024", "--replace"))[0] == 0
    assert "notes.txt" not in files(out)


@pytest.mark.parametrize("replace", [[], ["--replace"]])
def test_folders_are_never_replaced(
    replace: list[str], sample_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "documents").mkdir(parents=True)
    (home / "notes.txt").write_text("mine")
    assert poa(*args(home, sample_warehouse, *replace)) == (
        1, "", f"error: {home} holds folders (documents); poa export writes only into a folder "
        "of its own and never replaces folders, even with --replace\n",
    )  # fmt: skip
    monkeypatch.chdir(home / "documents")
    assert poa(*args(Path("."), sample_warehouse, *replace)) == (
        1, "", "error: . holds the current folder; export into a folder of its own\n",
    )  # fmt: skip
    assert poa(*args(Path(".."), sample_warehouse, *replace)) == (
        1, "", "error: .. holds the current folder; export into a folder of its own\n",
    )  # fmt: skip
    assert sorted(p.name for p in home.iterdir()) == ["documents", "notes.txt"]


def test_the_warehouse_is_never_inside_the_export(sample_warehouse: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    copy = folder / "poa.duckdb"
    copy.write_bytes(sample_warehouse.read_bytes())
    assert poa(*args(folder, copy, "--replace")) == (
        1, "", f"error: {folder} holds {copy}; export into a folder of its own\n",
    )  # fmt: skip
    assert copy.read_bytes() == sample_warehouse.read_bytes()


def test_a_file_where_a_folder_should_be(sample_warehouse: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "portal"
    a_file.write_text("not a folder")
    for out in (a_file, a_file / "2024"):
        assert poa(*args(out, sample_warehouse)) == (
            1, "", f"error: {a_file} is a file, not a folder\n",
        )  # fmt: skip
    assert a_file.read_text() == "not a folder"
