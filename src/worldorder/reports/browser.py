"""Headless Chromium (or Chrome), used to draw figures into PNG files and by the tests.

The browser runs with a fresh profile, no network services of its own (no updates, sync,
QUIC or background requests) and a fixed window, and is given only local files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from worldorder.reports.run import ReportError

__all__ = ["BROWSER_ENV", "find_browser", "headless"]

BROWSER_ENV = "WORLDORDER_CHROME"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
         "--mute-audio", "--no-default-browser-check", "--run-all-compositor-stages-before-draw")


def find_browser() -> str | None:
    """The Chromium or Chrome executable: ``$WORLDORDER_CHROME``, else the first on the PATH."""
    given = os.environ.get(BROWSER_ENV)
    if given:
        return given if Path(given).is_file() else shutil.which(given)
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def headless(page: Path, args: Sequence[str], *, timeout: float = 60.0,
             browser: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the browser headless on a local page with extra ``args``; return the process.

    Raises:
        ReportError: When no browser is installed or it does not finish in time.
    """
    exe = browser or find_browser()
    if exe is None:
        raise ReportError("no Chromium or Chrome found: install one (Debian: apt-get install "
                          f"chromium) or set {BROWSER_ENV} to its path")
    with tempfile.TemporaryDirectory(prefix="worldorder-chrome-") as profile:
        cmd = [exe, *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()]
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  check=False)
        except subprocess.TimeoutExpired:
            raise ReportError(f"{Path(exe).name} did not finish within {timeout:.0f} s") from None
