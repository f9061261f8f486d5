"""``worldorder report``: a self-contained HTML report (or PNG figures) of a run, or with
``--compare`` one page comparing several runs.

Register it on the application with ``app.command("report")(report)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from worldorder.errors import WorldorderError

__all__ = ["FORMATS", "report"]

FORMATS = ("html", "png")
console = Console()


def report(
    run: Annotated[str, typer.Argument(
        help="Run folder, run id, part of a run id (e.g. a scenario name: the newest matching "
             "run) or 'latest'.")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="File to write (replaced if it exists). Default: "
                            "reports/<run id>.html; with --format png, FILE.png gives "
                            "FILE-map.png, FILE-gains.png and so on.")] = None,
    format: Annotated[str, typer.Option(
        "--format", "-f", help="html: one self-contained page that works offline; png: each "
                               "figure as a PNG file (needs Chromium or Chrome).")] = "html",
    runs_dir: Annotated[Path | None, typer.Option(
        help="Where runs are kept. Default: $WORLDORDER_RUNS or ./runs.")] = None,
    economies: Annotated[str | None, typer.Option(
        help="Comma-separated economy codes to show in detail (default: the imposers and the "
             "largest traders).")] = None,
    top: Annotated[int, typer.Option(min=1, help="Bars of largest gains and of largest "
                                                 "losses.")] = 10,
    compare: Annotated[list[str] | None, typer.Option(
        "--compare", help="Another run to compare with RUN (repeat for more): writes one page "
                          "comparing them instead of the report of RUN. Default output: "
                          "reports/compare-<RUN folder>.html.")] = None,
) -> None:
    """Write a report of a run: a world map of welfare changes, gains and losses, prices and
    jobs, trade diversion, strategic responses, the timeline of actions and the provenance.
    With --compare, a comparison of the runs: welfare by economy and one map per run."""
    from worldorder.reports import find_run, render_comparison, render_png, render_report

    fmt = format.lower()
    if fmt not in FORMATS:
        raise WorldorderError(f"--format {format!r}: expected one of {', '.join(FORMATS)}")
    if compare and fmt != "html":
        raise WorldorderError("--compare writes one HTML page; leave out --format png")
    folder = find_run(run, runs_dir)
    chosen = [c.strip() for c in economies.split(",") if c.strip()] if economies else None
    if compare:
        folders = [folder, *(find_run(r, runs_dir) for r in compare)]
        path = render_comparison(folders, out, economies=chosen)
        size = path.stat().st_size / 1e6
        console.print(f"Wrote {path} ({size:.1f} MB) comparing {len(folders)} runs: "
                      + ", ".join(f.name for f in folders)
                      + "; open it in any browser (works offline).", soft_wrap=True)
        return
    if fmt == "html":
        path = render_report(folder, out, economies=chosen, top=top)
        size = path.stat().st_size / 1e6
        console.print(f"Wrote {path} ({size:.1f} MB) from run {folder.name}; open it in any "
                      "browser (works offline).", soft_wrap=True)
    else:
        paths = render_png(folder, out, economies=chosen, top=top)
        console.print(f"Wrote {len(paths)} figures from run {folder.name}: "
                      + ", ".join(str(p) for p in paths), soft_wrap=True)
