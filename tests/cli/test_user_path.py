"""What a new user meets (issue 11): every table readable at 80 columns, each step on its own
date, inputs checked before any work, corner solutions and hidden differences said where users
read them. Real invocations of the console script with ``COLUMNS=80``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from worldorder import simulate
from worldorder.runs.paths import ENV_VAR

EVENTS = """name: user-path
description: events before, between and after the dates that are solved
dataset: {dataset}
steps:
  - date: 2025-01-20
    withdraw: {{economy: USA, organization: WHO, effective: 2026-01-22}}
  - date: 2025-02-04
    id: first-tariff
    tariff: {{by: USA, on: [CHN], rate: 0.10}}
  - date: 2025-04-02
    tariff: {{by: USA, on: {{CHN: 0.2, CAN: 0.25, MEX: 0.25, DEU: 0.2, FRA: 0.2, JPN: 0.24,
              VNM: 0.46}}}}
  - date: 2025-05-14
    tariff_deal: {{partner: CHN, rate: 0.3, basis: additional}}
  - date: 2025-06-22
    strike: {{by: USA, target: CHN, parties: [USA, CHN], description: a long description of a
              strike that goes on and on so that it cannot fit on one line of the table}}
  - date: 2025-12-04
    mediation: {{mediator: USA, parties: [CAN, MEX], outcome: accords signed}}
"""


def cli(*args: str, cwd: Path | None = None, columns: int = 80
        ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns)}
    return subprocess.run([sys.executable, "-m", "worldorder.cli.app", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300, check=False)


def fits(text: str, width: int = 80) -> None:
    """Every line fits ``width`` and no cell was cut mid-word to an ellipsis (``Pr…``, ``10…``:
    long texts may end with `` …`` after a whole word). A line may run over only by one long
    unbreakable word (a folder path), which the terminal wraps and which stays whole to copy."""
    too_long = [ln for ln in text.splitlines() if len(ln) > width
                and len(ln.split()[-1]) < len(ln) - width + 20]
    assert not too_long, too_long
    cut = [ln for ln in text.splitlines() if re.search(r"\S…", ln)]
    assert not cut, cut


def line_of(text: str, start: str) -> str:
    return next(ln for ln in text.splitlines() if ln.strip().startswith(start))


@pytest.fixture
def events(tmp_path: Path, mini_dataset: Path) -> Path:
    path = tmp_path / "events.yaml"
    path.write_text(EVENTS.format(dataset=mini_dataset))
    return path


def runs_in(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_dir()] if folder.is_dir() else []


# ------------------------------------------------------------------ tests and the user's folders
def test_tests_keep_runs_out_of_the_working_folder(tmp_path: Path, events: Path,
                                                   _runs_in_tmp: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    r = cli("run", str(events), cwd=work)
    assert r.returncode == 0, r.stderr
    assert not (work / "runs").exists()  # $WORLDORDER_RUNS (set by conftest) was honoured
    assert os.environ[ENV_VAR] == str(_runs_in_tmp)
    assert [p.name.split("-", 1)[1] for p in runs_in(_runs_in_tmp)] == \
        [f"user-path-{p.name.rsplit('-', 1)[1]}" for p in runs_in(_runs_in_tmp)]


# ------------------------------------------------------------------ item 1, 3, 6, 7: run output
def test_run_timeline_shows_every_step_on_its_own_date(events: Path) -> None:
    r = cli("run", str(events))
    assert r.returncode == 0, r.stderr
    fits(r.stdout)
    out = r.stdout
    assert "WHO" in line_of(out, "2025-01-20")  # unpriced, before the first solved date
    assert "USA tariff on CHN 10%" in line_of(out, "2025-02-04")
    assert "USA-CHN deal" in line_of(out, "2025-05-14")  # the truce on its own date
    assert "strikes CHN" in line_of(out, "2025-06-22")  # not under the next solved date
    assert "mediates between CAN, MEX" in line_of(out, "2025-12-04")  # after the last solve
    # solved dates carry the numbers, unpriced ones do not
    assert "%" in line_of(out, "2025-02-04").split("USA tariff on CHN 10%")[1]
    assert "%" not in line_of(out, "2025-06-22").split("strikes")[1]
    assert "Timeline (USA: largest imposer by added duties" in out
    assert "separate static equilibrium" in out


def test_run_tables_fit_80_columns_on_world_2024() -> None:
    r = cli("run", "liberation-day-2025")
    assert r.returncode == 0, r.stderr
    fits(r.stdout)
    usa = line_of(r.stdout, "USA ")
    expected = simulate("liberation-day-2025").economies.set_index("economy").loc["USA"]
    prices, exports, imports = (f"{expected[c]:+.2f}" for c in (
        "price_index_pct", "exports_to_gdp_pct", "imports_to_gdp_pct"))
    assert prices in usa and exports in usa  # US prices and exports/GDP readable
    assert "Not shown for lack of width: Imp/GDP (--wide" in r.stdout
    wide = cli("run", "liberation-day-2025", "--wide")
    assert "Imp/GDP" in wide.stdout and imports in line_of(wide.stdout, "USA ")
    assert "United States" in wide.stdout


# ------------------------------------------------------------------ item 4: inputs first
@pytest.mark.parametrize(("rate", "shown"), [("25", "25 would be 2,500%"),
                                              ("-0.5", "-0.5 would be -50%")])
def test_rates_outside_the_range_are_located_errors(tmp_path: Path, mini_dataset: Path,
                                                    _runs_in_tmp: Path, rate: str,
                                                    shown: str) -> None:
    sc = tmp_path / "pct.yaml"
    sc.write_text(f"name: pct\ndataset: {mini_dataset}\npolicies:\n"
                  f"  - tariff: {{by: USA, on: {{CHN: 0.3, EU: {rate}}}}}\n")
    r = cli("run", str(sc))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "pct.yaml, line 4, field 'policies[0].tariff.on.EU'" in lines[0]
    assert "rates are fractions, 0.25 means 25%" in lines[0] and shown in lines[0]
    assert runs_in(_runs_in_tmp) == []


def test_unknown_economy_leaves_no_run_folder(tmp_path: Path, mini_dataset: Path,
                                              _runs_in_tmp: Path) -> None:
    sc = tmp_path / "xyz.yaml"
    sc.write_text(f"name: xyz\ndataset: {mini_dataset}\nsteps:\n  - date: 2025-04-02\n"
                  "    tariff: {by: USA, on: [XYZ], rate: 0.1}\n")
    r = cli("run", str(sc))
    assert r.returncode == 1
    assert "xyz.yaml, line 5, field 'steps[0].tariff.on[0]'" in r.stderr
    assert "unknown economy or group 'XYZ'" in r.stderr
    assert runs_in(_runs_in_tmp) == []
    v = cli("validate", str(sc))
    assert v.returncode == 1 and v.stderr == r.stderr


def test_non_empty_out_is_refused_before_the_run(tmp_path: Path, events: Path,
                                                 _runs_in_tmp: Path) -> None:
    out = tmp_path / "res"
    out.mkdir()
    (out / "mine.csv").write_text("a user's file\n")
    r = cli("run", str(events), "--out", str(out))
    assert r.returncode == 1 and "not empty" in r.stderr and "nothing was run" in r.stderr
    assert runs_in(_runs_in_tmp) == []
    assert (out / "mine.csv").read_text() == "a user's file\n"


def test_validate_checks_without_solving(events: Path, _runs_in_tmp: Path) -> None:
    r = cli("validate", str(events))
    assert r.returncode == 0, r.stderr
    assert "valid; 6 actions on 6 dates (2025-01-20 to 2025-12-04) on mini" in r.stdout
    assert "Nothing was solved" in r.stdout
    assert runs_in(_runs_in_tmp) == []
    assert cli("validate", "us-2025").returncode == 0


def test_validate_checks_the_layers_parameters(tmp_path: Path, mini_dataset: Path,
                                               _runs_in_tmp: Path) -> None:
    sc = tmp_path / "lay.yaml"
    sc.write_text(f"name: lay\ndataset: {mini_dataset}\nlayers:\n  trade:\n    bogus: 1\n"
                  "steps:\n  - date: 2025-04-02\n    tariff: {by: USA, on: [CHN], rate: 0.1}\n")
    v = cli("validate", str(sc))
    assert v.returncode == 1 and "Traceback" not in v.stderr
    assert v.stderr.strip() == ("error: lay.yaml, line 4, field 'layers.trade': layer 'trade' "
                                "has no parameters")
    sc.write_text(sc.read_text().replace("layers:\n  trade:\n    bogus: 1\n", ""))
    v = cli("validate", str(sc))
    shown = " ".join(v.stdout.split())
    assert v.returncode == 0 and "valid; 1 action on 2025-04-02 on mini" in shown


# ------------------------------------------------------------------ item 5: corners
def test_run_flags_a_corner_solution(tmp_path: Path, mini_dataset: Path) -> None:
    sc = tmp_path / "war.yaml"
    sc.write_text(f"name: war\ndataset: {mini_dataset}\nsteps:\n  - date: 2025-04-02\n"
                  "    tariff: {by: USA, on: all, rate: 0.2}\n  - date: 2025-05-01\n"
                  "    trade_war: {players: [USA, CHN], upper: 0.05}\n")
    r = cli("run", str(sc))
    assert r.returncode == 0, r.stderr
    fits(r.stdout)
    flat = " ".join(r.stdout.split())
    assert "Corner solution: CHN, USA at the 5% cap of the trade_war search" in flat


# ------------------------------------------------------------------ item 7: runs compare
def test_compare_says_when_the_last_date_hides_differences(tmp_path: Path, events: Path,
                                                         mini_dataset: Path) -> None:
    without = tmp_path / "without.yaml"
    without.write_text(f"name: without-first\nextends: {events}\nremove: [first-tariff]\n")
    assert cli("run", str(events)).returncode == 0
    assert cli("run", str(without)).returncode == 0
    r = cli("runs", "compare", "user-path", "without-first")
    assert r.returncode == 0, r.stderr
    fits(r.stdout)
    flat = " ".join(r.stdout.split())
    assert "The last date hides differences on earlier ones: welfare_pct differs by" in flat
    assert "on 2025-02-04, against at most 0.00 at the last date" in flat
    same = cli("runs", "compare", "user-path", "user-path")
    assert "hides" not in same.stdout
    for args in (("runs", "list"), ("runs", "show", "user-path")):
        shown = cli(*args)
        assert shown.returncode == 0, shown.stderr
        fits(shown.stdout)


# ------------------------------------------------------------------ items 10, 13: docs, help
def test_actions_document_their_fields() -> None:
    r = cli("actions", "tariff")
    assert r.returncode == 0, r.stderr
    fits(r.stdout)
    assert re.search(r"rate\s+rate\s+none\s+fraction \(0\.25 = 25%\)", r.stdout)
    assert "- tariff: {by: USA, on: all, rate: 0.10, exempt: [CAN, MEX]}" in r.stdout
    listing = cli("actions")
    fits(listing.stdout)
    assert "worldorder actions NAME" in " ".join(listing.stdout.split())
    bad = cli("actions", "tarif")
    assert bad.returncode == 1 and "unknown action 'tarif'" in bad.stderr


def test_scenario_descriptions_are_cut_at_words() -> None:
    r = cli("scenarios")
    assert r.returncode == 0
    fits(r.stdout)
    assert "us-2025-no-deals" in r.stdout
    # long words in descriptions stay whole at 80 columns (a narrow column folded them)
    words = r.stdout.split()
    for word in ("liberation-day-2025-retaliation)", "liberal_internationalist",
                 "strategic-autonomy"):
        assert word in words, word


@pytest.mark.parametrize("command", [("run",), ("runs", "compare"), ("strategy", "bargain")])
def test_help_shows_no_type_on_flags(command: tuple[str, ...]) -> None:
    r = cli(*command, "--help")
    assert r.returncode == 0 and "--help" in r.stdout
    assert "<bool>" not in r.stdout


# ------------------------------------------------------------------ items 1, 11: strategy
def test_bargain_fits_80_columns_and_keeps_its_table(tmp_path: Path,
                                                     mini_dataset: Path) -> None:
    r = cli("strategy", "bargain", "--dataset", str(mini_dataset), "--partners", "JPN,EU",
            "--csv", str(tmp_path / "b.csv"), "--out", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    fits(r.stdout)
    table = pd.read_csv(tmp_path / "b.csv")
    assert list(table["partner"]) == ["JPN", "EU"]
    assert (tmp_path / "b" / "manifest.json").is_file()
    assert pd.read_csv(tmp_path / "b" / "table.csv").equals(table)
    again = cli("strategy", "bargain", "--dataset", str(mini_dataset), "--out",
                str(tmp_path / "b"))
    assert again.returncode == 1 and "nothing was computed" in again.stderr
    # kept as a run: listed, shown and queried like any run, with the same table
    kept = cli("runs", "list")
    assert kept.returncode == 0 and "strategy-bargain" in kept.stdout
    fits(kept.stdout)
    shown = cli("runs", "show", "strategy-bargain")
    assert shown.returncode == 0, shown.stderr
    fits(shown.stdout)
    flat = " ".join(shown.stdout.split())
    assert "Command worldorder strategy bargain --hegemon USA --partners JPN,EU" in flat
    assert "Table strategy_bargain: 2 rows" in flat
    from worldorder.runs import load_run, sql
    queried = cli("runs", "sql", "select run_id, kind, scenario, path from runs")
    assert queried.returncode == 0, queried.stderr
    fits(queried.stdout)  # long cells fold onto more lines, never cut to "…"
    rec = load_run("strategy-bargain")
    assert rec.run_id in "".join(queried.stdout.split()) and rec.kind == "command"
    stored = sql("select * exclude (run_id) from strategy_bargain")
    pd.testing.assert_frame_equal(stored, table, check_dtype=False)
    assert "report" in cli("report", "strategy-bargain").stderr


def test_strategy_input_errors_leave_no_run(tmp_path: Path, mini_dataset: Path,
                                            _runs_in_tmp: Path) -> None:
    for args in (("bargain", "--partners", "JPN,XYZ"), ("coalitions", "--candidates", "XYZ"),
                 ("coalitions", "--scenario", "no-such-scenario"),
                 ("coalitions", "--response", "angry")):
        r = cli("strategy", *args, "--dataset", str(mini_dataset))
        assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert runs_in(_runs_in_tmp) == []


def test_coalitions_fit_80_columns(tmp_path: Path, mini_dataset: Path) -> None:
    r = cli("strategy", "coalitions", "--dataset", str(mini_dataset), "--candidates",
            "JPN,EU,VNM", "--workers", "1", "--csv", str(tmp_path / "c.csv"))
    assert r.returncode == 0, r.stderr
    fits(r.stdout)
    assert len(pd.read_csv(tmp_path / "c.csv")) == 7
    flat = " ".join(r.stdout.split())
    assert "Kept as run " in flat and "-strategy-coalitions-" in flat
    from worldorder.runs import load_run
    rec = load_run("strategy-coalitions")
    assert rec.table("strategy_coalitions").shape[0] == 7
    assert sorted(rec.table("strategy_shapley")["player"]) == ["EU", "JPN", "VNM"]
    assert rec.manifest["results"]["exhaustive"] is True
