"""Writing reports: the HTML page, or the figures as PNG files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from worldorder.reports.run import ReportError, load_run

__all__ = ["default_report_path", "render_png", "render_report"]


def default_report_path(run_dir: Path, suffix: str = ".html") -> Path:
    """``reports/<run folder name><suffix>`` in the current folder."""
    return Path("reports") / f"{Path(run_dir).name}{suffix}"


def _prepare(out: Path) -> None:
    if out.is_dir():
        raise ReportError(f"{out}: is a folder; give a file name such as {out / 'report.html'}")
    out.parent.mkdir(parents=True, exist_ok=True)


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
    out.write_text(text, encoding="utf-8")
    return out


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
    for key, fig in report_figures(run, economies, top).items():
        if fig.frames:
            fig.frames = []
            fig.layout.sliders = []
            fig.layout.updatemenus = []
            fig.update_layout(height=520, margin={"b": 10})
        path = stem.parent / f"{stem.name}-{key}.png"
        figure_png(fig, path, width=width, scale=scale)
        written.append(path)
    return written
