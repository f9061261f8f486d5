"""Figures as PNG files: each figure on a page of its own, screenshot by headless Chromium.

This needs no Python package beyond plotly and works offline: the page holds plotly.js and the
figure, and the browser (``chromium`` on Debian) draws it exactly as the HTML report does.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import plotly.graph_objects as go

from worldorder.reports.browser import headless
from worldorder.reports.run import ReportError

__all__ = ["figure_png"]

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def figure_png(fig: go.Figure, out: Path, *, width: int = 1200, scale: float = 2.0,
               timeout: float = 60.0) -> Path:
    """Draw ``fig`` (at its layout height, ``width`` pixels wide) into the PNG file ``out``.

    Raises:
        ReportError: When no browser is found or it writes no image.
    """
    from worldorder.reports.html import standalone_figure_page

    height = int(fig.layout.height or 500)
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="worldorder-png-") as tmp:
        page = Path(tmp) / "figure.html"
        page.write_text(standalone_figure_page(fig, width, height), encoding="utf-8")
        shot = Path(tmp) / "figure.png"
        proc = headless(page, [f"--screenshot={shot}", f"--window-size={width},{height}",
                               f"--force-device-scale-factor={scale:g}",
                               "--virtual-time-budget=15000"], timeout=timeout)
        if not shot.is_file() or not shot.read_bytes().startswith(PNG_MAGIC):
            last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
            raise ReportError(f"{out}: the browser wrote no image ({last[:200]})")
        out.write_bytes(shot.read_bytes())
    return out
