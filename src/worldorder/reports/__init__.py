"""Reports: one self-contained HTML page (or PNG figures) from a run folder.

``render_report(run_dir)`` reads a run folder (``docs/run-format.md``) and writes a single HTML
file that works offline: plotly.js, the figures and the country shapes are inside it.
``render_comparison(run_dirs)`` does the same for several runs side by side.
"""

from __future__ import annotations

from worldorder.reports.render import render_comparison, render_png, render_report
from worldorder.reports.run import ReportError, RunData, find_run, load_run

__all__ = ["ReportError", "RunData", "find_run", "load_run", "render_comparison", "render_png",
           "render_report"]
