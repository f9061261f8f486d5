"""Extend worldorder without editing it: a layer, an action and a doctrine from another package.

``examples/members_plugin/`` is a tiny package (``members_plugin.py`` and a ``pyproject.toml``
that lists it under worldorder's entry points). A user would ``pip install`` it; this script
installs it the way pip lays out an installed package (the module plus a ``.dist-info`` folder
with its entry points) into a temporary folder on ``sys.path``, so it leaves your environment
untouched. Then it runs ``us-2025`` extended with one step of the plugin's action, queries the
plugin's table with ``worldorder runs sql`` and writes the report, whose data appendix shows it;
and it runs two periods in which China follows the plugin's doctrine (``grudger``) against an
America-First United States, printing China's choices.

Run: ``python examples/custom_layer.py [OUT_FOLDER]`` (default: a temporary folder).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLUGIN = HERE / "members_plugin"


def install_like_pip(site: Path) -> None:
    """Lay the plugin out as an installed distribution: its module and its metadata."""
    shutil.copy(PLUGIN / "members_plugin.py", site / "members_plugin.py")
    info = site / "worldorder_members_plugin-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: worldorder-members-plugin\n"
                                   "Version: 0.1.0\n")
    (info / "entry_points.txt").write_text("[worldorder.layers]\nmembers = members_plugin\n\n"
                                           "[worldorder.actions]\nmembers = members_plugin\n\n"
                                           "[worldorder.doctrines]\nmembers = members_plugin\n")


SCENARIO = """name: us-2025-suspension
description: The 2025 record, then a suspension recorded by a plugin action.
extends: us-2025
steps:
  - date: 2026-01-15
    source: a made-up step, to show a plugin action
    suspend: {economy: RUS, organization: G20}
"""

AGENTS = """name: grudging-china
description: Two periods of an America-First US against a China that never forgives.
dataset: world-2024
clock: {start: 2025-01-01, periods: 2, frequency: year}
layers:
  agents:
    agents:
      USA: {doctrine: america_first}
      CHN: {doctrine: grudger}
"""


def main(out: Path) -> None:
    site = out / "site-packages"
    site.mkdir(parents=True)
    install_like_pip(site)
    sys.path.insert(0, str(site))

    from typer.testing import CliRunner

    from worldorder.cli.app import app
    from worldorder.registry import ACTIONS, DOCTRINES, LAYERS

    print("layers:", ", ".join(LAYERS), "| plugin action registered:", "suspend" in ACTIONS,
          "| plugin doctrine registered:", "grudger" in DOCTRINES)
    scenario = out / "us-2025-suspension.yaml"
    scenario.write_text(SCENARIO)
    runs = out / "runs"
    cli = CliRunner()
    for args in (["run", str(scenario), "--runs-dir", str(runs)],
                 ["runs", "sql", "--runs-dir", str(runs),
                  "select date, members, round(gdp_share, 3) as gdp_share "
                  "from organization_members where organization = 'G20' "
                  "order by date desc limit 3"],
                 ["report", "us-2025-suspension", "--runs-dir", str(runs),
                  "--out", str(out / "report.html")]):
        res = cli.invoke(app, args)
        if res.exit_code != 0:
            detail = res.output or repr(res.exception)
            raise SystemExit(f"worldorder {args[0]} failed: {detail}")
        if args[0] != "run":
            print(res.output)
    html = (out / "report.html").read_text(encoding="utf-8")
    print("report data appendix lists organization_members:", "organization_members" in html)
    agents = out / "grudging-china.yaml"
    agents.write_text(AGENTS)
    from worldorder.runs import execute_run
    from worldorder.scenarios import load_scenario

    rec = execute_run(load_scenario(agents), runs_dir=runs)
    choices = rec.table("agent_choices")
    for r in choices[choices["agent"] == "CHN"].itertuples():
        print(f"CHN ({r.doctrine}) on {r.date}: {r.action} - {r.reason}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp))
