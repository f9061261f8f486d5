"""The command line: real invocations of the console script."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.builders import LIBERATION, cli
from worldorder.runs.paths import ENV_VAR


def test_run_prints_and_writes(tmp_path: Path, mini_dataset: Path) -> None:
    sc = tmp_path / "lib.yaml"
    sc.write_text(LIBERATION.format(dataset=mini_dataset))
    r = cli("run", str(sc), "--out", str(tmp_path / "res"))
    assert r.returncode == 0, r.stderr
    assert "Imposers" in r.stdout and "USA" in r.stdout and "Largest losses" in r.stdout
    econ = pd.read_csv(tmp_path / "res" / "economies.csv")
    assert len(econ) == 8
    pol = pd.read_csv(tmp_path / "res" / "policies.csv")
    assert list(pol.columns) == ["imposer", "target", "rate_before", "rate_after"]
    # a second run into the same folder is refused and the first results stay
    again = cli("run", str(sc), "--out", str(tmp_path / "res"))
    assert again.returncode == 1 and "not empty" in again.stderr
    assert pd.read_csv(tmp_path / "res" / "economies.csv").equals(econ)


def test_runs_are_stored_and_never_overwritten(tmp_path: Path, mini_dataset: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR)  # the default ./runs, in a temporary working folder
    sc = tmp_path / "lib.yaml"
    sc.write_text(LIBERATION.format(dataset=mini_dataset))
    assert cli("run", str(sc), cwd=tmp_path).returncode == 0
    r = cli("run", str(sc), cwd=tmp_path)
    assert r.returncode == 0 and "Run stored in" in r.stdout
    runs = sorted(p for p in (tmp_path / "runs").iterdir() if p.is_dir())
    assert len(runs) == 2 and all("test-liberation" in p.name for p in runs)
    assert all((p / "manifest.json").is_file() for p in runs)
    listing = cli("runs", "list", cwd=tmp_path)
    assert listing.returncode == 0 and "complete" in listing.stdout


def test_dated_run_prints_its_timeline(tmp_path: Path, mini_dataset: Path) -> None:
    sc = tmp_path / "dated.yaml"
    sc.write_text(f"""name: dated
dataset: {mini_dataset}
steps:
  - date: 2025-02-04
    tariff: {{by: USA, on: [CHN], rate: 0.1}}
  - date: 2025-04-09
    tariff: {{by: USA, on: [CHN], rate: 1.45}}
""")
    r = cli("run", str(sc), "--runs-dir", str(tmp_path / "r"))
    assert r.returncode == 0, r.stderr
    assert "Timeline (USA" in r.stdout and "2025-04-09" in r.stdout and "tariff" in r.stdout


def test_errors_are_one_line_without_traceback(tmp_path: Path, mini_dataset: Path) -> None:
    sc = tmp_path / "bad.yaml"
    sc.write_text(LIBERATION.format(dataset=mini_dataset).replace("rate: 0.10", "rate: x"))
    r = cli("run", str(sc))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "bad.yaml, line 6" in lines[0]
    r = cli("data", "show", str(tmp_path / "missing"))
    assert r.returncode == 1 and "Traceback" not in r.stderr and "missing" in r.stderr


def test_data_show_and_listings(mini_dataset: Path) -> None:
    r = cli("data", "show", str(mini_dataset))
    assert r.returncode == 0, r.stderr
    assert "8 economies" in r.stdout and "synthetic, for tests" in r.stdout
    r = cli("scenarios")
    assert r.returncode == 0 and "liberation-day-2025" in r.stdout
    r = cli("actions")
    assert r.returncode == 0 and "reciprocal_tariff" in r.stdout
    assert cli("--version").stdout.startswith("worldorder ")


def test_optimal_tariff_command(mini_dataset: Path) -> None:
    r = cli("optimal-tariff", "USA", "--dataset", str(mini_dataset))
    assert r.returncode == 0, r.stderr
    assert "numerical optimum" in " ".join(r.stdout.split()) and "closed form" in r.stdout
    assert max(map(len, r.stdout.splitlines())) <= 80  # wrapped at words, not by the terminal
    r = cli("optimal-tariff", "XXX", "--dataset", str(mini_dataset))
    assert r.returncode == 1 and "unknown economy 'XXX'" in r.stderr


def test_run_loads_its_dataset_once(tmp_path: Path, mini_dataset: Path, monkeypatch) -> None:
    from typer.testing import CliRunner

    import worldorder.data
    import worldorder.scenarios.checks
    from worldorder.cli.app import app

    calls: list[str] = []
    real = worldorder.data.load_world

    def counting(*args, **kwargs):
        calls.append(str(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(worldorder.data, "load_world", counting)
    monkeypatch.setattr(worldorder.scenarios.checks, "load_world", counting)
    sc = tmp_path / "lib.yaml"
    sc.write_text(LIBERATION.format(dataset=mini_dataset))
    r = CliRunner().invoke(app, ["run", str(sc), "--runs-dir", str(tmp_path / "runs")])
    assert r.exit_code == 0, r.output
    assert len(calls) == 1


def test_plugins_lists_layers_actions_and_doctrines() -> None:
    from typer.testing import CliRunner

    from worldorder.cli.app import app
    from worldorder.registry import DOCTRINES

    r = CliRunner().invoke(app, ["plugins"], terminal_width=120)
    assert r.exit_code == 0, r.output
    for title in ("Layers", "Actions", "Doctrines"):
        assert title in r.output
    for name in (*DOCTRINES, "aid_restore", "alignment"):
        assert name in r.output
