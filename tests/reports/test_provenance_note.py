"""The report's "in brief" states how much of the trade is measured, and links to the sources."""

from __future__ import annotations

import re
from pathlib import Path

from worldorder.reports import render_report
from worldorder.runs import execute_run


def test_in_brief_states_the_provenance(tmp_path: Path, mini_dataset_dir: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(f"name: s\ndataset: {mini_dataset_dir}\npolicies:\n"
                        "  - tariff: {by: USA, on: [CHN], rate: 0.25}\n", encoding="utf-8")
    rec = execute_run(scenario, runs_dir=tmp_path / "runs")
    assert rec.manifest["dataset"]["provenance"]["shares_pct"]["unspecified"] == 100.0
    page = render_report(rec.path, tmp_path / "r.html").read_text(encoding="utf-8")
    brief = page[page.index("In brief</h2>"):page.index("</ul>", page.index("In brief"))]
    assert re.search(r"Data: mini, trade value 0\.0% measured, 0\.0% estimated, 0\.0% imputed, "
                     r"100\.0% without a stated source \(see the <a href=\"#provenance\">", brief)
    assert '<h2 id="provenance">' in page


def test_a_run_without_provenance_says_so(tmp_path: Path, world_run: Path) -> None:
    page = render_report(world_run, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "does not record how much of its trade is measured" in page
