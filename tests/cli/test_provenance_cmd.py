"""The share of measured, estimated and imputed trade in ``worldorder run`` and ``data show``
(through typer's CliRunner)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from worldorder.cli.app import app
from worldorder.data import load_world

runner = CliRunner()


def test_data_show_states_the_provenance() -> None:
    for name in ("world-2023", "world-2024"):
        r = runner.invoke(app, ["data", "show", name], env={"COLUMNS": "200"})
        assert r.exit_code == 0, r.output
        expected = load_world(name).provenance_summary().sentence()
        assert f"Provenance: {expected}" in r.output
        assert "SOURCES.md" in r.output
    assert "100.0% measured" in runner.invoke(app, ["data", "show", "world-2023"],
                                              env={"COLUMNS": "200"}).output


def test_run_states_the_provenance(tmp_path: Path, mini_dataset: Path) -> None:
    """The mini dataset gives no source per row: the run says so."""
    scenario = tmp_path / "s.yaml"
    scenario.write_text(f"name: s\ndataset: {mini_dataset}\npolicies:\n"
                        "  - tariff: {by: USA, on: [CHN], rate: 0.25}\n", encoding="utf-8")
    r = runner.invoke(app, ["run", str(scenario), "--runs-dir", str(tmp_path / "runs")],
                      env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert ("Data: trade value 0.0% measured, 0.0% estimated, 0.0% imputed, 100.0% without a "
            "stated source" in r.output)
