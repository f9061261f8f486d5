"""``worldorder runs``: the typer app, driven by typer's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.builders import DATED, FAILS_AT_RUN, LIBERATION, RETALIATION, ScenarioWriter
from worldorder.cli.runs_cmd import runs_app
from worldorder.errors import ScenarioError
from worldorder.runs import QueryError, RunError, RunRecord, compare, execute_run

runner = CliRunner()


def invoke(runs_dir: Path, *args: str):
    return runner.invoke(runs_app, [*args, "--runs-dir", str(runs_dir)])


@pytest.fixture
def runs(write_scenario: ScenarioWriter, runs_dir: Path, clock) -> list[RunRecord]:
    return [execute_run(write_scenario(), runs_dir=runs_dir),
            execute_run(write_scenario(RETALIATION), runs_dir=runs_dir),
            execute_run(write_scenario(DATED), runs_dir=runs_dir)]


def test_list(runs: list[RunRecord], runs_dir: Path, tmp_path: Path) -> None:
    r = invoke(runs_dir, "list")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    order = [next(k for k, ln in enumerate(lines) if rec.run_id in ln) for rec in runs]
    assert order == sorted(order, reverse=True)  # newest first
    assert "complete" in r.output and "test-retaliation" in r.output
    r = invoke(runs_dir, "list", "--limit", "1")
    assert r.exit_code == 0 and runs[0].run_id not in r.output
    assert "showing 1 of 3 runs" in r.output
    r = invoke(tmp_path / "none", "list")
    assert r.exit_code == 0 and "No runs in" in r.output


def test_show(runs: list[RunRecord], runs_dir: Path) -> None:
    r = invoke(runs_dir, "show", "test-dated", "--top", "3")
    assert r.exit_code == 0, r.output
    out = r.output
    for text in (runs[2].run_id, "complete", "Scenario   test-dated", "mini (2024, 8 economies",
                 "Dates      3: 2025-02-04, 2025-04-02, 2025-04-09", "Solver",
                 "Largest gains at 2025-04-09 (top 3)", "Largest losses at 2025-04-09"):
        assert text in out, text
    econ = runs[2].economies()
    last = econ[econ["date"] == "2025-04-09"].sort_values("welfare_pct")
    gains = out[out.index("Largest gains"):out.index("Largest losses")]
    assert last["economy"].iloc[-1] in gains and last["economy"].iloc[0] not in gains
    r = invoke(runs_dir, "show", runs[0].run_id[-8:] + "x")
    assert r.exit_code == 1 and isinstance(r.exception, RunError)


def test_show_a_failed_run(write_scenario: ScenarioWriter, runs_dir: Path) -> None:
    bad = LIBERATION + FAILS_AT_RUN
    with pytest.raises(ScenarioError):
        execute_run(write_scenario(bad), runs_dir=runs_dir)
    r = invoke(runs_dir, "show", "test-liberation")
    assert r.exit_code == 0, r.output
    assert "failed" in r.output and "not a member of NATO" in r.output
    assert "no results to show" in r.output


def test_compare(runs: list[RunRecord], runs_dir: Path, tmp_path: Path) -> None:
    a, b = runs[0], runs[1]
    r = invoke(runs_dir, "compare", a.run_id, b.run_id, "--top", "3", "--csv",
               str(tmp_path / "cmp.csv"))
    assert r.exit_code == 0, r.output
    assert f"A = {a.run_id}" in r.output and f"B = {b.run_id}" in r.output
    assert "sorted by |B−A| of welfare_pct; showing 3 of 8 economies" in r.output
    df = compare(a.run_id, b.run_id, runs_dir)
    ranked = df.reindex(df["welfare_pct_diff"].abs().sort_values(ascending=False).index)
    body = r.output[r.output.index("B−A \n") if "B−A \n" in r.output else 0:]
    rows = [ln.split()[0] for ln in body.splitlines() if ln.split() and
            ln.split()[0] in set(df["economy"])]
    assert rows == list(ranked["economy"][:3])
    saved = pd.read_csv(tmp_path / "cmp.csv")
    assert len(saved) == 8 and "welfare_pct_diff" in saved.columns
    r = invoke(runs_dir, "compare", a.run_id, "test-dated", "--date", "2025-04-02",
               "-c", "welfare_pct", "-c", "tariff_revenue_pct_gdp")
    assert r.exit_code == 0, r.output
    assert "B − A at 2025-04-02" in r.output and "Tariff rev" in r.output
    r = invoke(runs_dir, "compare", a.run_id, "test-dated", "--all-dates")
    assert r.exit_code == 0 and "at every date" in r.output and "showing 15 of 32 rows" in \
        r.output
    r = invoke(runs_dir, "compare", a.run_id, "test-dated")
    assert r.exit_code == 0 and "(A at undated, B at 2025-04-09)" in r.output
    r = invoke(runs_dir, "compare", a.run_id, b.run_id, "-c", "nope")
    assert r.exit_code == 1 and isinstance(r.exception, RunError)
    assert "unknown column 'nope'" in str(r.exception)


def test_sql(runs: list[RunRecord], runs_dir: Path, tmp_path: Path) -> None:
    r = invoke(runs_dir, "sql", "select run_id, economy, welfare_pct from economies "
               "where economy = 'USA' order by run_id")
    assert r.exit_code == 0, r.output
    assert all(rec.run_id in r.output for rec in runs) and "5 rows" in r.output
    r = invoke(runs_dir, "sql", "select * from flows", "--max-rows", "4", "--csv",
               str(tmp_path / "flows.csv"))
    assert r.exit_code == 0, r.output
    n = (1 + 1 + 3) * 8 * 7
    assert f"{n} rows; showing the first 4" in r.output
    assert len(pd.read_csv(tmp_path / "flows.csv")) == n
    r = invoke(runs_dir, "sql", "select null as x, true as ok")
    assert r.exit_code == 0 and "NULL" in r.output and "1 row" in r.output
    r = invoke(runs_dir, "sql", "selec 1")
    assert r.exit_code == 1 and isinstance(r.exception, QueryError)
    assert str(r.exception) == 'SQL: Parser Error: syntax error at or near "selec"'


def test_help_lists_the_commands() -> None:
    r = runner.invoke(runs_app, ["--help"])
    assert r.exit_code == 0
    for cmd in ("list", "show", "compare", "sql"):
        assert cmd in r.output
