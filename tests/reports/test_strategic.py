"""The "Strategic responses" section: which steps, the rates they set, the parties' welfare."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from worldorder.reports import load_run, render_report
from worldorder.reports.sections import strategic
from worldorder.reports.strategic import is_strategic, strategic_steps


def _welfare(run, date: str, code: str) -> float:
    econ = run.at("economies", date).set_index("economy")
    return float(econ.loc[code, "welfare_pct"])


def test_which_steps_are_strategic() -> None:
    for action in ("best_response", "trade_war", "coalition"):
        assert is_strategic(action, "{}")
    assert is_strategic("retaliation", json.dumps({"by": ["CAN"], "rule": "optimal"}))
    assert not is_strategic("retaliation", json.dumps({"by": ["CAN"], "rule": "mirror"}))
    assert not is_strategic("retaliation", "not json")
    assert not is_strategic("tariff", "{}")


def test_coalition_and_trade_war(strategy_run: Path) -> None:
    run = load_run(strategy_run)
    steps = strategic_steps(run)
    # the US tariff and the mirror retaliation are not strategic
    assert [(s.date, s.action) for s in steps] == [("2025-03-01", "coalition"),
                                                   ("2025-04-01", "trade_war")]
    coalition, war = steps
    # the EU group is resolved to its members through the dataset
    assert coalition.parties == ["JPN", "EU", "USA"]
    assert coalition.economies == ["JPN", "DEU", "FRA", "USA"]
    assert coalition.previous == "2025-02-01" and coalition.solved
    # the members' common rate on the US, and free trade among themselves
    on_us, inside = coalition.rates
    assert on_us.imposers_text == "JPN, EU" and on_us.targets == ["USA"]
    assert on_us.before == pytest.approx((0.03, 0.03)) and 0.05 < on_us.after < 0.5
    assert on_us.pairs == 3
    assert inside.targets_text == "each other" and inside.after == 0.0 and inside.pairs == 6
    assert set(inside.imposers) == {"JPN", "DEU", "FRA"}
    # the hegemon first, then the members; levels and step changes from the run's tables
    assert [w.economy for w in coalition.welfare] == ["USA", "JPN", "DEU", "FRA"]
    for w in coalition.welfare:
        assert w.before == pytest.approx(_welfare(run, "2025-02-01", w.economy))
        assert w.after == pytest.approx(_welfare(run, "2025-03-01", w.economy))
        assert w.step == pytest.approx(100 * ((1 + w.after / 100) / (1 + w.before / 100) - 1),
                                       abs=1e-9)
    # a trade war: each player one uniform rate on all others, from the previous date's rates
    assert war.previous == "2025-03-01"
    rows = {r.imposers_text: r for r in war.rates}
    assert set(rows) == {"USA", "CHN"}
    assert rows["USA"].before == pytest.approx((0.23, 0.23))  # 3% baseline + 20% additional
    assert rows["CHN"].before == pytest.approx((0.03, 0.03))
    assert all(r.targets_text == "all 7 other economies" and r.pairs == 7 for r in war.rates)
    assert [w.economy for w in war.welfare] == ["USA", "CHN"]


def test_groups_fall_back_to_the_imposers_of_the_date(tmp_path: Path,
                                                      strategy_run: Path) -> None:
    """Without the dataset, a group stands for the imposers that changed tariffs that day."""
    folder = shutil.copytree(strategy_run, tmp_path / "r")
    m = json.loads((folder / "manifest.json").read_text())
    m["scenario"]["parsed"]["dataset"] = str(tmp_path / "gone")
    m["dataset"]["name"] = "gone"
    (folder / "manifest.json").write_text(json.dumps(m))
    coalition = strategic_steps(load_run(folder))[0]
    assert set(coalition.economies) == {"JPN", "DEU", "FRA", "USA"}
    assert {r.targets_text for r in coalition.rates} == {"USA", "each other"}


def test_section_in_the_report(tmp_path: Path, strategy_run: Path, dated_run: Path) -> None:
    text = render_report(strategy_run, tmp_path / "r.html").read_text(encoding="utf-8")
    section = re.search(r'<section class="strategic">.*?</section>', text, re.S)
    assert section, "no Strategic responses section"
    html = section.group(0)
    for needle in ('<h2 id="strategic-responses">Strategic responses</h2>', "best response",
                   "Nash equilibrium",
                   "coalition response", "2025-03-01 · Coalition response",
                   "2025-04-01 · Trade war (Nash equilibrium)", "Coalition of JPN, EU against USA",
                   "<b>JPN, EU</b>", "each other", "all 7 other economies", "on 2025-02-01"):
        assert needle in html, needle
    assert "Optimal retaliation" not in html and "2025-05-01" not in html
    # the section comes before the timeline
    assert text.index("Strategic responses") < text.index("Timeline of actions")
    # no strategic step, no section
    assert strategic(load_run(dated_run)) == ""
    assert "Strategic responses" not in render_report(
        dated_run, tmp_path / "d.html").read_text(encoding="utf-8")


def test_steps_carry_their_own_record_from_the_notes_tables(strategy_run: Path) -> None:
    run = load_run(strategy_run)
    assert {"note_coalition", "note_trade_war", "note_trade_war_convergence"} <= set(run.extra)
    coalition, war = strategic_steps(run)
    assert coalition.note is not None and war.note is not None
    # the rates the step computed are the rates the report finds in the tariff tables
    common = float(coalition.note["common_rate"].iloc[0])
    assert coalition.rates[0].after == pytest.approx(common, abs=1e-9)
    nash = war.note.set_index("player")["nash_rate"]
    assert {round(r.after, 9) for r in war.rates} <= {round(float(v), 9) for v in nash}
    html = strategic(run)
    assert html.count("As the step computed it") == 2 and "note_trade_war" in html


def test_data_appendix_lists_every_table_of_the_run(tmp_path: Path, strategy_run: Path) -> None:
    page = render_report(strategy_run, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Data appendix" in page
    for table in ("economies", "timeline", "memberships", "events", "note_coalition"):
        assert f"<code>{table}</code>" in page
    # the first rows of the tables beyond the trade model's are folded (closed by default)
    appendix = page[page.index("Data appendix"):]
    assert "<details><summary><code>memberships</code>: the first rows</summary>" in appendix
    assert "<details open" not in appendix
