"""``worldorder strategy`` on a user dataset."""

from __future__ import annotations

from pathlib import Path

from tests.builders import cli


def test_bargain_on_a_user_dataset(mini_dataset: Path) -> None:
    r = cli("strategy", "bargain", "--dataset", str(mini_dataset), "--partners", "JPN,EU")
    assert r.returncode == 0, r.stderr
    assert "JPN" in r.stdout and "EU" in r.stdout and "15% all-in" in r.stdout


def test_coalitions_on_a_user_dataset(mini_dataset: Path) -> None:
    r = cli("strategy", "coalitions", "--dataset", str(mini_dataset), "--candidates",
            "JPN,EU,VNM", "--workers", "1")
    assert r.returncode == 0, r.stderr
    assert "Coalitions against USA" in r.stdout and "Shapley values" in r.stdout
    assert "Core of the TU game" in r.stdout


def test_strategy_errors_are_one_line(mini_dataset: Path) -> None:
    r = cli("strategy", "bargain", "--dataset", str(mini_dataset), "--partners", "XXX")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "unknown economy or group 'XXX'" in r.stderr
