"""Writing reports: the HTML page, or the figures as PNG files."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

from worldorder.reports.run import ReportError, load_run

__all__ = ["default_comparison_path", "default_report_path", "render_comparison", "render_png",
           "render_report", "write_atomic"]


def default_report_path(run_dir: Path, suffix: str = ".html") -> Path:
    """``reports/<run folder name><suffix>`` in the current folder."""
    return Path("reports") / f"{Path(run_dir).name}{suffix}"


def default_comparison_path(run_dirs: Sequence[Path]) -> Path:
    """``reports/compare-<first run folder name>.html`` in the current folder."""
    return Path("reports") / f"compare-{Path(run_dirs[0]).name}.html"


def _prepare(out: Path) -> None:
    try:
        if out.is_dir():
            raise ReportError(f"{out}: is a folder; give a file name such as "
                              f"{out / 'report.html'}")
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"{_short(out)}: cannot be written ({exc.strerror or exc})") from None


def _short(path: Path, limit: int = 120) -> str:
    """A path for a message, its middle elided when it is very long."""
    text = str(path)
    return text if len(text) <= limit else f"{text[:60]}...{text[-40:]}"


def write_atomic(out: Path, text: str) -> Path:
    """Write ``text`` to ``out`` whole or not at all: a hidden ``.part`` file next to it,
    flushed to disk and renamed over ``out``; on any error (a full disk) the part is removed
    and ``out`` is as it was.

    Raises:
        ReportError: The file cannot be written, with the reason on one line.
    """
    part = out.with_name(f".{out.name[:200]}.{os.getpid()}.part")
    try:
        with open(part, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            part.unlink()
        raise ReportError(f"{_short(out)}: cannot be written ({exc.strerror or exc}); "
                          "nothing was written") from None
    return out


def render_report(run_dir: Path, out: Path | None = None, *,
                  economies: Sequence[str] | None = None, top: int = 10) -> Path:
    """Write the report of a run folder as one self-contained HTML file.

    Args:
        run_dir: The run folder (``manifest.json`` and the Parquet tables).
        out: The HTML file to write (replaced if it exists); default
            ``reports/<run folder name>.html``.
        economies: Economy codes to show in detail (default: the imposers and the largest
            traders).
        top: Bars of largest gains and of largest losses.

    Returns:
        The path written.

    Raises:
        ReportError: When the run folder cannot be read or the file cannot be written.
    """
    from worldorder.reports.html import page

    run = load_run(run_dir)
    out = Path(out) if out is not None else default_report_path(run.path)
    _prepare(out)
    text = page(run, economies=economies, top=top)
    return write_atomic(out, text)


def render_comparison(run_dirs: Sequence[Path], out: Path | None = None, *,
                      labels: Sequence[str] | None = None,
                      economies: Sequence[str] | None = None) -> Path:
    """Write the comparison of several runs as one self-contained HTML file.

    The page names the runs, charts each chosen economy's welfare at each run's last date
    (grouped bars), tabulates the same numbers with the best run per economy marked, and draws
    one welfare map per run on a shared colour scale.

    Args:
        run_dirs: Two or more run folders, in the order to show them.
        out: The HTML file to write (replaced if it exists); default
            ``reports/compare-<first run folder name>.html``.
        labels: A short label per run (default: the scenario names).
        economies: Economy codes or groups to compare (default: the parties of the steps in
            which the runs differ, else the largest changes; see
            :func:`~worldorder.reports.comparison.load_comparison`).

    Returns:
        The path written.

    Raises:
        ReportError: Fewer than two runs, an unreadable run folder, labels that do not match,
            an unknown economy, or a file that cannot be written.
    """
    from worldorder.reports.comparison import load_comparison
    from worldorder.reports.comparison_page import comparison_page

    if len(run_dirs) < 2:
        raise ReportError("a comparison needs at least two runs")
    comp = load_comparison([Path(p) for p in run_dirs], labels=labels, economies=economies)
    out = Path(out) if out is not None else default_comparison_path(run_dirs)
    _prepare(out)
    return write_atomic(out, comparison_page(comp))


def render_png(run_dir: Path, out: Path | None = None, *,
               economies: Sequence[str] | None = None, top: int = 10, width: int = 1200,
               scale: float = 2.0) -> list[Path]:
    """Write each figure of the report as a PNG file, drawn by headless Chromium.

    ``out`` names the files: ``FILE.png`` gives ``FILE-map.png``, ``FILE-gains.png``,
    ``FILE-indicators.png``, ``FILE-trade.png`` (and ``FILE-over-time.png`` for dated runs);
    the map shows the last date.

    Raises:
        ReportError: When the run folder cannot be read or no Chromium/Chrome is installed.
    """
    from worldorder.reports.figures import report_figures
    from worldorder.reports.png import figure_png

    run = load_run(run_dir)
    out = Path(out) if out is not None else default_report_path(run.path, ".png")
    _prepare(out)
    stem = out.with_suffix("") if out.suffix.lower() in (".png", ".html") else out
    written = []
    name = (run.manifest.get("scenario") or {}).get("name") or run.run_id
    dates = [d for d in run.dates if d != "undated"]
    for key, fig in report_figures(run, economies, top).items():
        # a PNG leaves the page: it carries the scenario and the date it shows
        when = (f"{dates[0]} to {dates[-1]}" if key == "over-time" and len(dates) > 1 else
                dates[-1] if dates else "all policies at once")
        fig.update_layout(title_text=f"{fig.layout.title.text or ''}<br><sup>{name}, {when} "
                                     f"(worldorder run {run.run_id})</sup>",
                          margin={"t": 90})
        if fig.frames:
            fig.frames = []
            fig.layout.sliders = []
            fig.layout.updatemenus = []
            fig.update_layout(height=520, margin={"b": 10})
        path = stem.parent / f"{stem.name}-{key}.png"
        figure_png(fig, path, width=width, scale=scale)
        written.append(path)
    return written
