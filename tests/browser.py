"""Headless Chromium (Debian's ``chromium`` and ``chromedriver``) driven by Selenium, for
tests that look at the report as a person would — and, run as a script, the screenshot in
the README:

    .venv/bin/python tests/browser.py docs/report.png

``.ci/run`` installs the two packages when they are missing.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--window-size=1200,1400",
)  # fmt: skip


@contextmanager
def chromium() -> Iterator[webdriver.Chrome]:
    """A fresh headless Chromium (its own profile) that records the console."""
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not look for drivers online
    with tempfile.TemporaryDirectory(prefix="poa-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
        driver.set_page_load_timeout(60)
        try:
            yield driver
        finally:
            driver.quit()


def _screenshot_of_the_sample(target: Path) -> None:
    """The report of the sample dump, unit 58201 of 2024, as the README shows it."""
    from typer.testing import CliRunner

    from poa_etl.cli import app

    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as folder:
        warehouse, out = Path(folder) / "poa.duckdb", Path(folder) / "report"
        sample = root / "data" / "raw" / "ctcm_poa_avance_2022_2024.txt"
        for args in (["ingest", str(sample)], ["report", "--out", str(out)]):
            result = CliRunner().invoke(app, [*args, "--warehouse", str(warehouse)])
            assert result.exit_code == 0, result.output
        with chromium() as driver:
            driver.set_window_size(1100, 1250)
            driver.get((out / "2024" / "58201.html").as_uri())
            driver.save_screenshot(str(target))


if __name__ == "__main__":
    _screenshot_of_the_sample(Path(sys.argv[1]))
