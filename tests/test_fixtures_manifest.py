"""The committed renderings and tests/fixtures/variants/manifest.yaml agree, file by file.

Cheap and tool-free: the fixtures are made by tests/fixtures/make_variants.sh, and the
tests of the readers take their expectations from the manifest, so a file added or
removed without the manifest, or edited by hand after it, must fail here.
"""

from __future__ import annotations

import hashlib

import pytest
import yaml
from conftest import ROOT

VARIANTS = ROOT / "tests" / "fixtures" / "variants"
MANIFEST = VARIANTS / "manifest.yaml"
SAMPLE_REPORT_IDS = {
    "2023-58101-20240930",
    "2024-58102-20240930",
    "2024-58201-20240930",
    "2024-58202-20240930",
    "2022-58203-20240930",
}
ENTRIES = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["fixtures"]


def committed_files() -> set[str]:
    return {
        p.relative_to(VARIANTS).as_posix()
        for p in VARIANTS.rglob("*")
        if p.is_file() and p != MANIFEST
    }


def test_every_committed_fixture_is_listed_and_every_listed_one_is_committed() -> None:
    listed = [e["file"] for e in ENTRIES]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    committed = committed_files()
    assert sorted(set(listed) - committed) == [], "listed in the manifest but missing"
    assert sorted(committed - set(listed)) == [], "committed but not in the manifest"


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_each_fixture_is_the_file_the_manifest_describes(entry: dict) -> None:
    data = (VARIANTS / entry["file"]).read_bytes()
    assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["bytes"], entry["sha256"])
    assert entry["reports"] and set(entry["reports"]) <= SAMPLE_REPORT_IDS
    assert entry["expected"] in ("same_rows", "rejected")
    if entry["expected"] == "rejected":
        assert entry["cause"].strip()


def test_the_matrix_covers_every_family_and_every_sample_report() -> None:
    families = {e["family"] for e in ENTRIES}
    assert families == {
        "workbook", "csv", "pdf-libreoffice", "pdf-chromium", "pdf-turned", "dump-layout",
        "dump-reading-order", "scan-image-only", "scan-ocr",
    }  # fmt: skip
    assert {r for e in ENTRIES for r in e["reports"]} == SAMPLE_REPORT_IDS
