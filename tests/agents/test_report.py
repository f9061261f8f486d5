"""The report's "order over time" section for a run with agents."""

from __future__ import annotations

from pathlib import Path

from tests.builders import write_agents_scenario, write_run
from worldorder.reports import render_report
from worldorder.scenarios import simulate_timeline


def test_report_shows_the_agents_and_their_choices(tmp_path: Path, mini_dataset: Path) -> None:
    res = simulate_timeline(write_agents_scenario(tmp_path, mini_dataset))
    folder = write_run(res, tmp_path / "run", "20260101T000000Z-agents-test-00000000")
    page = render_report(folder, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "The order over time: who chose what, and why" in page
    assert 'data-figure="fig-agents"' in page and 'id="fig-agents"' in page
    assert "america_first" in page and "answered in kind" in page


def test_no_section_without_agents(tmp_path: Path, mini_dataset: Path) -> None:
    path = write_agents_scenario(tmp_path, mini_dataset)
    path.write_text(path.read_text().split("layers:")[0] + "steps:\n  - date: 2025-06-01\n"
                    "    tariff: {by: USA, on: [VNM], rate: 0.2}\n")
    folder = write_run(simulate_timeline(path), tmp_path / "run", "20260101T000000Z-x-0")
    page = render_report(folder, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "The order over time" not in page
