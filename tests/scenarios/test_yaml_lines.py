"""Hostile YAML is refused quickly, before anything is expanded (issue 12, items 9-11)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from worldorder import ScenarioError, load_scenario
from worldorder.scenarios.yaml_lines import MAX_DEPTH, MAX_VALUES, load_yaml_with_lines


def bomb(levels: int) -> str:
    """The 'billion laughs': each level is a list of nine aliases of the level below."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for k in range(1, levels + 1):
        refs = ",".join([f"*a{k - 1}"] * 9)
        lines.append(f"a{k}: &a{k} [{refs}]")
    return "name: bomb\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [6, 9, 30])
def test_alias_bombs_are_refused_before_expansion(levels: int) -> None:
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError, match=rf"^s\.yaml: aliases expand it to more than "
                                            rf"{MAX_VALUES:,} values"):
        load_yaml_with_lines(bomb(levels), "s.yaml")
    assert time.perf_counter() - t0 < 2.0


def test_small_aliases_still_work() -> None:
    data, lines = load_yaml_with_lines("x: &x [1, 2]\ny: *x\nz: {<<: {a: 1}, b: 2}\n", "s.yaml")
    assert data == {"x": [1, 2], "y": [1, 2], "z": {"a": 1, "b": 2}}
    assert lines.line(("y",)) == 2


@pytest.mark.parametrize("text", ["x: &a [*a]\n", "x: &a {k: *a}\n", "x: &a [1, [2, *a]]\n"])
def test_recursive_aliases_are_refused(text: str) -> None:
    with pytest.raises(ScenarioError, match=r"^s\.yaml, line 1: alias \*a refers to a value "
                                            r"that contains it"):
        load_yaml_with_lines(text, "s.yaml")


@pytest.mark.parametrize("text", ["x: " + "[" * 500 + "]" * 500 + "\n",
                                  "x: " + "{a: " * 300 + "1" + "}" * 300 + "\n",
                                  "[" * 100_000])
def test_deep_nesting_is_refused(text: str) -> None:
    with pytest.raises(ScenarioError, match=rf"^s\.yaml, line 1: nested deeper than "
                                            rf"{MAX_DEPTH} levels"):
        load_yaml_with_lines(text, "s.yaml")


def test_duplicate_keys_are_refused() -> None:
    text = ("name: s\npolicies:\n  - tariff: {by: USA, on: all, rate: 0.1}\n"
            "policies:\n  - tariff: {by: CHN, on: all, rate: 0.1}\n")
    with pytest.raises(ScenarioError, match=r"^s\.yaml, line 4, field 'policies': duplicate "
                                            r"key \(first given on line 2\)"):
        load_yaml_with_lines(text, "s.yaml")
    with pytest.raises(ScenarioError, match=r"line 2, field 'policies\[0\]\.tariff\.rate': "
                                            r"duplicate key"):
        load_yaml_with_lines("policies:\n  - tariff: {by: USA, rate: 0.1, rate: 0.2}\n",
                             "s.yaml")


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: café\ndataset: world-2024\n".encode("latin-1"))
    with pytest.raises(ScenarioError, match=r"latin1\.yaml: not UTF-8 text \(byte 0xe9 on "
                                            r"line 1\); save it as UTF-8"):
        load_scenario(path)


def test_numbers_in_exponent_form_are_numbers() -> None:
    """YAML 1.2 floats: ``upper: 1e9`` and ``kappa: 1e6`` are numbers (PyYAML's YAML 1.1
    reads them as text, which strict validation would refuse)."""
    data, _ = load_yaml_with_lines("a: 1e6\nb: -1.5e-3\nc: 5\nd: .5\ne: -.inf\nf: NO\n", "s")
    assert data == {"a": 1e6, "b": -1.5e-3, "c": 5, "d": 0.5, "e": float("-inf"), "f": "NO"}
    assert isinstance(data["c"], int)
