"""``make bench`` (after bench.run): OCR of the committed scans (the manifest's entries that
need OCR, tests/fixtures/variants/scans), against the tab dump of the same reports, as its
own section of bench/results.md.

Per scan: published P/A values (eight per meta the dump loads) loaded right, loaded
wrong (must be 0) and not loaded (quarantined or the file rejected); other meta cells
loaded wrong (must be 0); whether the header, alignments and signatures are exact;
seconds per page. Peak memory is the process's, over all scans.
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import pandas as pd
import yaml

from poa_etl.extract.ocr.engine import tessdata
from poa_etl.extract.text import read_text_dump
from poa_etl.pipeline.read import read_source
from poa_etl.transform.normalize import ORIGIN, ORIGINS, normalize_file

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ROOT / "tests" / "fixtures" / "variants"
DUMP = ROOT / "data" / "raw" / "ctcm_poa_avance_2022_2024.txt"
RESULTS = ROOT / "bench" / "results.md"
TITLE = "## OCR of scanned publications"
# Provenance, and what a quarantined row changes (compared as values, not as header).
PROVENANCE = ("source_location", "location", "raw", ORIGIN, "lines_read", "lines_ignored",
              "source_id", "ocr_min_confidence", "table_rows_read", "metas_loaded",
              "table_rows_quarantined")  # fmt: skip
META_CELLS = ("pmd_code", "description", "unit_of_measure", "annual_target",
              "reported_absolute", "reported_relative_pct", "observations")  # fmt: skip
HEADER_TABLES = ("reports", "report_alignments", "signatures")


# What was compared while building it, measured once on these scans (2 cores shared with
# other work): make bench re-measures only the chosen design and appends this as it is.
COMPARED = Path(__file__).with_name("ocr_compared.md")


def scans() -> list[dict]:
    entries = yaml.safe_load((VARIANTS / "manifest.yaml").read_text(encoding="utf-8"))["fixtures"]
    return [e for e in entries if e.get("needs") == "ocr"]


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in PROVENANCE if c in frame]).reset_index(drop=True)


def _values(progress: pd.DataFrame) -> dict[tuple, float | None]:
    return {
        (r.report_id, r.meta_id, r.quarter, r.measure): (None if pd.isna(r.value) else r.value)
        for r in progress.itertuples()
    }


def compare(truth: dict[str, pd.DataFrame], status: str, got: dict[str, pd.DataFrame]) -> dict:
    """Values right, wrong and not loaded; meta cells wrong; header exact or not."""
    published = _values(truth["progress"])
    loaded = _values(got["progress"]) if status == "loaded" else {}
    right = sum(1 for k, v in loaded.items() if k in published and published[k] == v)
    cells_wrong = 0
    if status == "loaded":
        keys = ["report_id", "meta_id"]
        both = got["metas"].merge(truth["metas"], on=keys, suffixes=("", "_published"))
        for column in META_CELLS:
            a, b = both[column], both[f"{column}_published"]
            cells_wrong += int((~((a == b) | (a.isna() & b.isna()))).sum())
    if status != "loaded":
        header = "file rejected"
    else:
        differs = [
            name for name in HEADER_TABLES
            if not _plain(got[name]).astype(str).equals(_plain(truth[name]).astype(str))
        ]  # fmt: skip
        header = "exact" if not differs else f"**differs** ({', '.join(differs)})"
    return {
        "published": len(published),
        "right": right,
        "wrong": len(loaded) - right,
        "not_loaded": len(published) - right,
        "cells_wrong": cells_wrong,
        "header": header,
    }


def measure(entry: dict, dump: dict[str, pd.DataFrame]) -> dict:
    path = VARIANTS / entry["file"]
    truth = {name: frame[frame["report_id"].isin(entry["reports"])] for name, frame in dump.items()}
    started = time.perf_counter()
    read = read_source(path, path.read_bytes(), "1" * 64)
    seconds = time.perf_counter() - started
    quarantined = read.tables["quarantine"] if read.status == "loaded" else None
    return {
        "scan": entry["file"].removeprefix("scans/"),
        "outcome": "loaded" if read.status == "loaded" else f"rejected: {read.message}",
        "quarantined": 0 if quarantined is None else len(quarantined),
        "seconds_per_page": seconds / entry["pages"],
        "pages": entry["pages"],
        **compare(truth, read.status, read.tables),
    }


def report(rows: list[dict], peak_mb: float, load: tuple[float, float]) -> str:
    published = sum(r["published"] for r in rows)
    right = sum(r["right"] for r in rows)
    pages = sum(r["pages"] for r in rows)
    seconds = sum(r["seconds_per_page"] * r["pages"] for r in rows)
    lines = [
        TITLE,
        "",
        "Tesseract 5 (tesserocr's wheel, Debian's `spa` model) on the page rendered at 300 dpi "
        "and turned upright; every cell and header run read until two views (grey, "
        "binarized and enlarged, grey at another scale, digits only) agree exactly, one of "
        "them confident (`poa_etl/extract/ocr/reads.py`). Truth: the tab dump of the same "
        "reports (8 P/A values per meta it loads; the dump's own quarantined rows aside).",
        "",
        f"**{right} of {published} published P/A values loaded ({100 * right / published:.1f} %), "
        f"{sum(r['wrong'] for r in rows)} wrong, {sum(r['cells_wrong'] for r in rows)} other "
        f"meta cells wrong.** {pages} pages in {seconds:.0f} s ({seconds / pages:.1f} s a page, "
        f"one process); peak memory {peak_mb:.0f} MB. Load average {load[0]:.2f} before, "
        f"{load[1]:.2f} after, on {os.cpu_count()} cores.",
        "",
        "| scan | outcome | P/A right | wrong | not loaded | other cells wrong | header | "
        "quarantined rows | s/page |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|",
        *(f"| {r['scan']} | {r['outcome'][:120]} | {r['right']} | {r['wrong']} | "
          f"{r['not_loaded']} | {r['cells_wrong']} | {r['header']} | {r['quarantined']} | "
          f"{r['seconds_per_page']:.1f} |" for r in rows),
        "",
        COMPARED.read_text(encoding="utf-8").strip(),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    if tessdata() is None:
        raise SystemExit("OCR is not set up: run `make setup-ocr`")
    load_before = os.getloadavg()[0]
    dump = normalize_file("dump", read_text_dump(DUMP.name, DUMP.read_bytes()))
    dump = {name: frame for name, frame in dump.items() if name != ORIGINS}
    rows = [measure(entry, dump) for entry in scans()]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text = report(rows, peak, (load_before, os.getloadavg()[0]))
    print(text)
    body = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    before, _, after = body.partition(TITLE)
    rest = after.split("\n## ", 1)[1] if "\n## " in after else ""
    kept = before.rstrip("\n") + ("\n\n## " + rest.rstrip("\n") if rest else "")
    RESULTS.write_text(kept.rstrip("\n") + "\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
