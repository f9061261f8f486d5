"""The agents layer: simultaneous choices on a clock, provenance, records, reproducibility."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import write_agents_scenario
from worldorder.errors import ScenarioError
from worldorder.scenarios import build_simulation, load_scenario, simulate_timeline


def test_agents_choose_simultaneously_from_their_start(tmp_path: Path, mini_dataset: Path
                                                       ) -> None:
    res = simulate_timeline(write_agents_scenario(tmp_path, mini_dataset))
    choices = res.tables["agent_choices"]
    first = choices[choices["date"] == "2026-01-01"]
    # on the first date only the US moves: China cannot answer a move made the same day; the
    # US also makes its protection of allies below 5% of GDP on defence conditional and leaves
    # the WHO (22% of its budget against a return of its GDP share times UNGA agreement)
    assert set(first["agent"]) == {"USA"}
    assert list(first["action"]) == ["reciprocal_tariff", "commitment", "withdraw"]
    second = choices[choices["date"] == "2027-01-01"]
    assert "CHN" in set(second["agent"]) and "retaliation" in set(second["action"])
    # every choice is on the timeline with its agent and reason, after the recorded step
    tl = res.timeline
    origins = list(tl["origin"])
    assert origins[0] == "scenario" and set(origins[1:]) == {"agent"}
    assert set(tl.loc[tl["origin"] == "agent", "agent"]) == set(choices["agent"])
    payoffs = res.tables["agent_payoffs"]
    assert set(payoffs["date"]) == {"2026-01-01", "2027-01-01", "2028-01-01", "2029-01-01"}
    usa = payoffs[payoffs["agent"] == "USA"].set_index("date")["welfare_pct"]
    econ = res.economies[res.economies["economy"] == "USA"].set_index("date")["welfare_pct"]
    for date in usa.index.intersection(econ.index):  # the payoff is the trade layer's welfare
        assert usa[date] == pytest.approx(econ[date], abs=1e-8)


def test_same_seed_same_history_and_every_k_th_date(tmp_path: Path, mini_dataset: Path
                                                    ) -> None:
    a = simulate_timeline(write_agents_scenario(tmp_path, mini_dataset)).tables["agent_choices"]
    b = simulate_timeline(write_agents_scenario(tmp_path, mini_dataset)).tables["agent_choices"]
    assert a.equals(b)
    sparse = simulate_timeline(write_agents_scenario(tmp_path, mini_dataset, every=2)
                               ).tables["agent_choices"]
    assert set(sparse["date"]) <= {"2026-01-01", "2028-01-01"}
    late = simulate_timeline(write_agents_scenario(tmp_path, mini_dataset, start="2028-01-01"))
    assert set(late.tables["agent_choices"]["date"]) >= {"2028-01-01"}
    assert not (late.tables["agent_choices"]["date"] < "2028-01-01").any()


def test_bad_agents_are_located(tmp_path: Path, mini_dataset: Path) -> None:
    path = write_agents_scenario(tmp_path, mini_dataset)
    path.write_text(path.read_text().replace("doctrine: reciprocator", "doctrine: tit4tat"))
    with pytest.raises(ScenarioError, match=r"field 'layers.agents.agents.CHN': .*unknown "
                                            r"doctrine 'tit4tat'"):
        build_simulation(load_scenario(path))
    path = write_agents_scenario(tmp_path, mini_dataset)
    path.write_text(path.read_text().replace("JPN: {doctrine", "XYZ: {doctrine"))
    with pytest.raises(ScenarioError, match=r"field 'layers': agent 'XYZ' is not an economy"):
        build_simulation(load_scenario(path))
