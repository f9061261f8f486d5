"""``worldorder runs``: list, show, compare and query stored runs.

Every command takes ``--runs-dir`` (default: ``$WORLDORDER_RUNS``, else ``./runs``). Errors a
user can cause raise :class:`~worldorder.errors.WorldorderError` subclasses, which the main
entry point prints as one line.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from worldorder.cli.columns import COLUMNS, UNITS_NOTE, economy_table
from worldorder.cli.console import fit_table, make_console
from worldorder.cli.help_format import HelpGroup
from worldorder.runs.errors import RunError
from worldorder.runs.paths import resolve_runs_dir
from worldorder.runs.query import DEFAULT_COLUMNS

__all__ = ["runs_app"]

runs_app = typer.Typer(
    cls=HelpGroup, help="List, show, compare and query stored runs (SQL with DuckDB).",
    no_args_is_help=True, pretty_exceptions_enable=False,
    add_completion=False)
console = make_console()
Wide = Annotated[bool, typer.Option("--wide", help="Show every column even if the table is "
                                    "wider than the terminal.")]

RunsDir = Annotated[Path | None, typer.Option(
    "--runs-dir", help="Runs folder (default: $WORLDORDER_RUNS, else ./runs).")]

LABELS = dict(COLUMNS)
STATUS_STYLE = {"complete": "green", "running": "cyan", "interrupted": "yellow",
                "failed": "red", "broken": "red", "corrupt": "red", "stale": "yellow"}


def _fmt(x: Any, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:,.{digits}f}"


def _cell(x: Any) -> str:
    """A SQL result value as text."""
    if x is None or (not isinstance(x, list | tuple | dict) and pd.isna(x)):
        return "NULL"
    if isinstance(x, float):
        return f"{x:.6g}"
    return str(x)


def _status(status: str) -> str:
    style = STATUS_STYLE.get(status, "")
    return f"[{style}]{status}[/{style}]" if style else status


@runs_app.command("list")
def list_cmd(
    runs_dir: RunsDir = None,
    limit: Annotated[int, typer.Option(help="Show at most this many runs, newest first.")
                     ] = 30,
) -> None:
    """List the runs, newest first (incomplete and broken folders included)."""
    from worldorder.runs.record import list_runs

    root = resolve_runs_dir(runs_dir)
    df = list_runs(root)
    if df.empty:
        console.print(f"No runs in {root}.")
        return
    shown = df.head(limit)
    cols = ["Run", "Scenario", "Dataset", "Status", "Created (UTC)", "Dates"]

    def build(kept: list[str]) -> Table:
        t = Table(header_style="bold", title=f"Runs in {root}", title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
        for col in kept:
            t.add_column(col, justify="right" if col == "Dates" else "left", no_wrap=True)
        for _, r in shown.iterrows():
            cells = {"Run": r["run_id"], "Scenario": r["scenario"], "Dataset": r["dataset"],
                     "Status": _status(r["status"]),
                     "Created (UTC)": r["created_utc"].replace("T", " ").rstrip("Z"),
                     # a command run (strategy results) has no dated path
                     "Dates": "–" if r["kind"] == "command" else str(r["dates"])}
            t.add_row(*[cells[c] for c in kept])
        return t

    # the run id holds the scenario name and the UTC time, so those go first when narrow
    t, _ = fit_table(console, build, cols, ["Scenario", "Created (UTC)", "Dataset"])
    console.print(t)
    if len(df) > limit:
        console.print(f"[dim]showing {limit} of {len(df)} runs; --limit shows more[/dim]")
    for status, hint in (("stale", "killed before finishing; "
                                   "'worldorder runs clean' removes stale runs"),
                         ("corrupt", "a table file is damaged or replaced; 'worldorder runs "
                                     "show RUN' says which")):
        k = int((df["status"] == status).sum())
        if k:
            console.print(f"[dim]{k} {status} run{'s' if k > 1 else ''}: {hint}[/dim]",
                          highlight=False, soft_wrap=True)


def _solver_table(solver: dict[str, Any], limit: int = 12) -> Table:
    t = Table(title="Solver", title_justify="left", header_style="bold", pad_edge=False)
    for col in ("Date", "Newton", "Chord", "Residual", "ms"):
        t.add_column(col, justify="left" if col == "Date" else "right")
    items = list(solver.items())
    for date, s in items[:limit]:
        s = s if isinstance(s, dict) else {}
        residual = s.get("residual")
        seconds = s.get("seconds")
        t.add_row(str(date), str(s.get("iterations", "–")), str(s.get("chord_steps", "–")),
                  f"{residual:.1e}" if isinstance(residual, int | float) else "–",
                  f"{1000 * seconds:.1f}" if isinstance(seconds, int | float) else "–")
    if len(items) > limit:
        t.add_row(f"... {len(items) - limit} more", "", "", "", "")
    return t


@runs_app.command("show")
def show_cmd(
    run: Annotated[str, typer.Argument(help="Run id, unique prefix or suffix, scenario name "
                                       "(its newest run) or run folder.")],
    runs_dir: RunsDir = None,
    top: Annotated[int, typer.Option(help="Rows of largest gains and losses.")] = 8,
    wide: Wide = False,
) -> None:
    """Show a run: scenario, dataset, status, dates, solver; largest gains and losses."""
    from worldorder.runs.record import load_run

    console = make_console(wide=wide)
    rec = load_run(run, resolve_runs_dir(runs_dir))
    m = rec.manifest
    console.print(f"[bold]{rec.run_id}[/bold]  {_status(rec.status)}", highlight=False)
    console.print(f"Folder     {rec.path}", highlight=False, soft_wrap=True)
    ds = m.get("dataset") if isinstance(m.get("dataset"), dict) else {}
    params = m.get("parameters") if isinstance(m.get("parameters"), dict) else {}
    console.print(f"Scenario   {rec.scenario}", highlight=False)
    sha = str(ds.get("sha256") or "")[:12]
    console.print(f"Dataset    {rec.dataset or '–'} ({ds.get('year', '–')}, "
                  f"{ds.get('economies', '–')} economies, sha256 {sha or '–'})",
                  highlight=False)
    if params:
        console.print(f"Model      {params.get('preset', '–')}, closure "
                      f"{params.get('closure', '–')}", highlight=False)
    dates = rec.dates
    shown = ", ".join(dates) if len(dates) <= 6 else \
        f"{', '.join(dates[:3])}, ..., {', '.join(dates[-2:])}"
    if rec.kind == "scenario":
        console.print(f"Dates      {len(dates)}: {shown or '–'}", highlight=False)
    else:
        console.print(f"Command    {m.get('command') or '–'}", highlight=False)
    timings = m.get("timings") if isinstance(m.get("timings"), dict) else {}
    total = timings.get("total_seconds")
    took = f", {total:.2f} s" if isinstance(total, int | float) else ""
    console.print(f"Created    {rec.created_utc or '–'}; finished "
                  f"{m.get('finished_utc') or '–'}{took}", highlight=False)
    if rec.error:
        console.print(f"[red]Error[/red]      {escape(rec.error)}", highlight=False,
                      soft_wrap=True)
    for warning in m.get("warnings") or []:
        console.print(f"[yellow]warning:[/yellow] {escape(str(warning))}", highlight=False,
                      soft_wrap=True)
    solver = m.get("solver")
    if isinstance(solver, dict) and solver:
        console.print(_solver_table(solver))
    if rec.status != "complete":
        console.print(f"[dim]The run is {rec.status}: it has no results to show.[/dim]")
        return
    if rec.kind != "scenario":
        _show_command_run(rec, console)
        return
    if isinstance(m.get("sweep"), dict):
        from worldorder.cli.sweep_cmd import print_sweep_summary

        print_sweep_summary(console, rec, top=top)
    econ = rec.economies()
    if econ.empty:
        return
    last = dates[-1] if dates and dates[-1] in set(econ["date"]) else max(econ["date"])
    at = econ[econ["date"] == last].sort_values("welfare_pct", ascending=False)
    where = "" if last == "undated" else f" at {last}"
    hidden: list[str] = []
    for title, rows in ((f"Largest gains{where} (top {top})", at.head(top)),
                        (f"Largest losses{where} (top {top})", at.tail(top).iloc[::-1])):
        table, gone = economy_table(console, title, rows)
        console.print(table)
        hidden += gone
    console.print(f"[dim]{UNITS_NOTE}.[/dim]")
    if hidden:
        console.print(f"[dim]Not shown for lack of width: {', '.join(dict.fromkeys(hidden))} "
                      "(--wide shows every column).[/dim]")


def _show_command_run(rec: Any, out: Any) -> None:
    """The tables and results of a command's run (``worldorder strategy ...``)."""
    results = rec.manifest.get("results")
    for key, value in (results.items() if isinstance(results, dict) else ()):
        text = value if isinstance(value, str) else \
            ", ".join(map(str, value)) if isinstance(value, list) else \
            "; ".join(f"{k} {v}" for k, v in value.items()) if isinstance(value, dict) else \
            f"{value:,.4g}" if isinstance(value, float) else str(value)
        out.print(f"{key.replace('_', ' ').capitalize()}: {text or '–'}", highlight=False)
    tables = rec.manifest.get("tables")
    for name in tables if isinstance(tables, list) else ():
        frame = rec.table(str(name))
        cols = ", ".join(map(str, frame.columns[:8])) + (", ..." if frame.shape[1] > 8 else "")
        out.print(f"Table [bold]{name}[/bold]: {len(frame)} rows; {cols}", highlight=False)
    if isinstance(tables, list) and tables:
        out.print(f"[dim]Query them with worldorder runs sql \"select * from {tables[0]} where "
                  f"run_id = '{rec.run_id}'\".[/dim]", highlight=False)


@runs_app.command("compare")
def compare_cmd(
    run_a: Annotated[str, typer.Argument(help="Run A (the reference).")],
    run_b: Annotated[str, typer.Argument(help="Run B.")],
    date: Annotated[str | None, typer.Option(help="Compare at this date (default: each "
                                             "run's last date).")] = None,
    all_dates: Annotated[bool, typer.Option("--all-dates", help="Compare at every date of "
                                            "either run (NaN where one lacks it).")] = False,
    column: Annotated[list[str] | None, typer.Option(
        "--column", "-c", help="Economy column to compare (repeatable; default: welfare_pct, "
        "real_wage_pct, employment_pct, price_index_pct). Rows are sorted by |B−A| of the "
        "first.")] = None,
    top: Annotated[int, typer.Option(help="Show the N economies with the largest |B−A|.")
                   ] = 15,
    csv: Annotated[Path | None, typer.Option(help="Also write the whole comparison to this "
                                             "CSV file.")] = None,
    runs_dir: RunsDir = None,
    wide: Wide = False,
) -> None:
    """Compare two runs economy by economy: A, B and B−A (percentage points).

    By default at each run's last date; each date is a separate static equilibrium, so when
    an earlier date differs more than the last one, a note says where (--all-dates shows
    every date)."""
    from worldorder.runs.over_time import hidden_difference
    from worldorder.runs.query import compare
    from worldorder.runs.record import load_run

    console = make_console(wide=wide)
    if date is not None and all_dates:
        raise RunError("give either --date or --all-dates, not both")
    columns = list(column) if column else list(DEFAULT_COLUMNS)
    mode = "dates" if (date is not None or all_dates) else "last"
    root = resolve_runs_dir(runs_dir)
    df = compare(run_a, run_b, root, columns, mode=mode, date=date)
    if csv is not None:
        df.to_csv(csv, index=False, float_format="%.10g")
    key = f"{columns[0]}_diff"
    ranked = df.assign(_order=df[key].abs().fillna(-1.0)).sort_values(
        "_order", ascending=False, kind="stable")
    if mode == "last":
        da, db = (df["date_a"].iloc[0], df["date_b"].iloc[0]) if len(df) else ("–", "–")
        when = "" if da == db == "undated" else \
            f" at {da}" if da == db else f" (A at {da}, B at {db})"
    else:
        when = f" at {date}" if date is not None else " at every date"
    console.print(f"B − A{when}\n  A = {df.attrs['run_a']}\n  B = {df.attrs['run_b']}",
                  highlight=False)
    with_date = mode == "dates" and date is None
    keys = [f"{c}:{part}" for c in columns for part in ("a", "b", "diff")]
    # narrow terminals keep B−A of every column and drop A and B of the later ones first
    drop = [f"{c}:{part}" for c in reversed(columns[1:]) for part in ("a", "b")] + \
        [f"{columns[0]}:a", f"{columns[0]}:b"]

    def build(kept: list[str]) -> Table:
        t = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False,
                  collapse_padding=True)
        t.add_column("Economy", no_wrap=True)
        if with_date:
            t.add_column("Date", no_wrap=True)
        shown = [k for k in keys if k in kept]
        for k in shown:
            c, part = k.split(":")
            first = next(x for x in shown if x.startswith(c + ":")) == k
            label = LABELS.get(c, c) if first else ""
            head = {"a": "A", "b": "B", "diff": "B−A"}[part]
            t.add_column(f"{label}\n{head}", justify="right", no_wrap=True,
                         style="bold" if part == "diff" else None)
        for _, r in ranked.head(top).iterrows():
            cells = [str(r["economy"]), *([str(r["date"])] if with_date else [])]
            for k in shown:
                c, part = k.split(":")
                cells.append(_fmt(r[f"{c}_{part}"]))
            t.add_row(*cells)
        return t

    table, dropped = fit_table(console, build, keys, drop)
    console.print(table)
    rows = "rows" if with_date else "economies"
    note = f"sorted by |B−A| of {columns[0]}"
    if len(df) > top:
        note += f"; showing {top} of {len(df)} {rows} (--top)"
    if dropped:
        note += "; A and B of some columns left out for lack of width (--wide)"
    if csv is not None:
        note += f"; wrote {len(df)} rows to {csv}"
    console.print(f"[dim]{note}[/dim]", highlight=False)
    if mode == "last":
        econ_a = load_run(run_a, root).economies()
        econ_b = load_run(run_b, root).economies()
        if "undated" not in set(econ_a["date"]) | set(econ_b["date"]):
            hidden = hidden_difference(econ_a, econ_b, columns[0])
            if hidden is not None:
                console.print(f"[yellow]{hidden.sentence()}[/yellow]", highlight=False)


@runs_app.command("sql")
def sql_cmd(
    query: Annotated[str, typer.Argument(help="SQL over the views economies, flows, policies, "
                                         "timeline (with run_id) and the table runs.")],
    csv: Annotated[Path | None, typer.Option(help="Write all result rows to this CSV file.")
                   ] = None,
    max_rows: Annotated[int, typer.Option(help="Print at most this many rows.")] = 40,
    runs_dir: RunsDir = None,
    wide: Wide = False,
) -> None:
    """Query the runs with SQL (DuckDB) and print the result.

    A cell too long for the terminal folds onto more lines rather than being cut (--wide
    shows each on one line)."""
    from worldorder.runs.query import sql

    out = make_console(wide=wide)
    df = sql(query, resolve_runs_dir(runs_dir))
    if csv is not None:
        df.to_csv(csv, index=False)
    t = Table(header_style="bold", pad_edge=False, box=box.SIMPLE_HEAD, collapse_padding=True)
    for col in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[col]) and not \
            pd.api.types.is_bool_dtype(df[col])
        t.add_column(str(col), justify="right" if numeric else "left", overflow="fold")
    for row in df.head(max_rows).itertuples(index=False):
        t.add_row(*[_cell(x) for x in row])
    out.print(t)
    note = f"{len(df)} row{'s' if len(df) != 1 else ''}"
    if len(df) > max_rows:
        note += f"; showing the first {max_rows} (--max-rows, or --csv FILE for all)"
    if csv is not None:
        note += f"; wrote {csv}"
    out.print(f"[dim]{note}[/dim]", soft_wrap=True, highlight=False)


@runs_app.command("clean")
def clean_cmd(
    runs_dir: RunsDir = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list what would be removed.")
                       ] = False,
) -> None:
    """Remove stale temporary run folders: runs whose process was killed before it could
    finish (status 'stale' in 'runs list'). Nothing else is removed."""
    from worldorder.runs.integrity import clean_stale, run_name_of_temp

    root = resolve_runs_dir(runs_dir)
    removed = clean_stale(root, dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    if not removed:
        console.print(f"No stale temporary runs in {root}.", highlight=False)
        return
    for path in removed:
        console.print(f"{verb} {run_name_of_temp(path)} ({path})", highlight=False,
                      soft_wrap=True)
    console.print(f"[dim]{len(removed)} stale temporary run{'s' if len(removed) > 1 else ''} "
                  f"{verb}[/dim]", highlight=False)
