"""Parsing of --param and --noise: values, and one located line for each bad specification."""

from __future__ import annotations

import pytest

from tests.builders import mini_world
from worldorder.errors import SweepError
from worldorder.sweeps.spec import Dist, parse_noise, parse_param


def test_distributions_parse() -> None:
    assert parse_param("epsilon=uniform(3,8)").dist == Dist("uniform", (3.0, 8.0))
    assert parse_param("kappa=grid(0.3, 0.5, 0.7)").dist == Dist("grid", (0.3, 0.5, 0.7))
    assert parse_param("kappa=0.3,0.5,0.7").dist == Dist("grid", (0.3, 0.5, 0.7))
    assert parse_param("psi=0.1").dist == Dist("fixed", (0.1,))
    spec = parse_param("epsilon[USA]=triangular(2,4,8)", mini_world())
    assert (spec.name, spec.economy, spec.column, spec.label) == \
        ("epsilon", "USA", "epsilon_USA", "epsilon[USA]")
    assert parse_param("epsilon[EU]=choice(2,4)", mini_world()).economy == "EU"
    assert parse_param("nu=normal(0.1,0.02)").dist.center() == 0.1
    assert parse_param("epsilon=loguniform(2,8)").dist.center() == pytest.approx(4.0)
    noise = parse_noise("flows=lognormal(0.1)")
    assert (noise.target, noise.sigma, noise.label) == ("flows", 0.1, "flows=lognormal(0.1)")


@pytest.mark.parametrize(("text", "expected"), [
    ("epsilon=unifrom(3,8)", "--param 'epsilon=unifrom(3,8)' (column 9): unknown distribution "
                             "'unifrom'"),
    ("epsilon=uniform(8,3)", "(column 9): uniform(a,b) needs a < b"),
    ("epsilon=uniform(3,x)", "(column 19): 'x' is not a number"),
    ("epsilon=uniform(3)", "(column 9): uniform takes 2 numbers, got 1"),
    ("epsilon=uniform(3,8", "(column 9): unbalanced parentheses"),
    ("eps=uniform(3,8)", "(column 1): unknown parameter 'eps' (choose from epsilon, kappa"),
    ("epsilon", "write NAME=DIST or NAME[ECONOMY]=DIST"),
    ("epsilon=", "(column 9): no value after '='"),
    ("epsilon=-1,4", "epsilon must be positive"),
    ("nu=grid(0.1,1.2)", "nu must lie in [0, 1)"),
    ("kappa=grid(0.5,0.5)", "grid lists a value twice"),
    ("epsilon[XYZ]=uniform(3,8)", "(column 9): unknown economy or group 'XYZ' in dataset "
                                  "'mini'"),
    ("epsilon[]=4", "empty economy"),
])
def test_bad_param_is_one_located_line(text: str, expected: str) -> None:
    with pytest.raises(SweepError) as err:
        parse_param(text, mini_world())
    message = str(err.value)
    assert expected in message
    assert "\n" not in message and message.startswith(f"--param {text!r}")


@pytest.mark.parametrize(("text", "expected"), [
    ("trade=lognormal(0.1)", "(column 1): unknown noise target 'trade' (choose from flows, "
                             "gdp)"),
    ("flows=normal(0.1)", "(column 7): unknown noise 'normal'"),
    ("flows=lognormal(0)", "sigma must lie in (0, 2]"),
    ("flows=lognormal(0.1,2)", "lognormal takes 1 number, got 2"),
    ("flows[USA]=lognormal(0.1)", "write TARGET=lognormal(SIGMA)"),
    ("flows=0.1", "(column 7): write lognormal(SIGMA)"),
])
def test_bad_noise_is_one_located_line(text: str, expected: str) -> None:
    with pytest.raises(SweepError) as err:
        parse_noise(text)
    assert expected in str(err.value)
    assert str(err.value).startswith(f"--noise {text!r}")
