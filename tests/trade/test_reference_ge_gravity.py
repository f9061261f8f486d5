"""The independent GE_gravity result for the 2004/2007 EU enlargement (44 economies, WIOD 2000).

Source: Baier, Yotov & Zylkin (2019), "On the widely differing effects of free trade
agreements", JIE; the example shipped with the Stata command ``ge_gravity``. The data live in
``../shared/reference/ge-gravity-eu-enlargement`` beside the project; the test skips cleanly when
that folder is absent.

Mapping onto worldorder: the Armington special case (κ = ψ = ν = 0, φ = 1, ε = θ = 4, no tariffs),
measured domestic flows, and d̂ = exp(−eu_effect/ε) so that d̂^(−ε) = exp(eu_effect). GE_gravity
normalises Σ ŵ_i Y_i = Σ Y_i, our ``world_income`` numeraire. ``additive`` deficits are our
``fixed`` transfers. ``multiplicative`` deficits (E'_j = ŵ_j (Y_j + D_j)) do not sum to zero after
the shock; GE_gravity's fixed point spreads that gap over all markets by one common factor k, which
is our ``proportional`` closure; its reported welfare is ŵ/P̂ (our real wage) and its reported flows
are ours divided by k.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from worldorder.trade.baseline import baseline_from_flows
from worldorder.trade.equilibrium import solve_equilibrium
from worldorder.trade.params import ModelParams


@pytest.fixture(scope="module")
def case(request: pytest.FixtureRequest) -> dict:
    folder = Path(request.config.rootpath).parent / "shared" / "reference" / \
        "ge-gravity-eu-enlargement"
    if not (folder / "flows_2000.csv").is_file():
        pytest.skip(f"reference data not found at {folder}")
    flows = pd.read_csv(folder / "flows_2000.csv")
    codes = sorted(set(flows["exporter"]))
    pos = {c: k for k, c in enumerate(codes)}
    n = len(codes)
    X = np.zeros((n, n))
    beta = np.zeros((n, n))
    j, i = flows["exporter"].map(pos), flows["importer"].map(pos)
    X[j, i] = flows["trade"]
    beta[j, i] = flows["eu_effect"]
    one = np.ones(n)
    params = ModelParams(codes=tuple(codes), epsilon=4 * one, kappa=0 * one, psi=0 * one,
                         nu=0 * one, phi=one, revenue="lump_sum", numeraire="world_income",
                         preset="armington")
    base = baseline_from_flows(X, np.zeros((n, n)), np.zeros(n))
    return {
        "codes": codes, "pos": pos, "base": base, "params": params,
        "dhat": np.exp(-beta / 4.0),
        "welfare": pd.read_csv(folder / "expected_welfare.csv").set_index("country"),
        "flows": pd.read_csv(folder / "expected_flows.csv"),
        "shocked": int((beta != 0).sum()),
    }


def test_reference_case_is_what_the_readme_says(case: dict) -> None:
    assert len(case["codes"]) == 44
    assert case["shocked"] == 572


def test_additive_imbalances(case: dict) -> None:
    b = case["base"]
    e = solve_equilibrium(b, case["params"], np.zeros_like(b.X), case["dhat"],
                          transfers="fixed")
    expected = case["welfare"].loc[case["codes"], "welfare_pct_additive"].to_numpy()
    np.testing.assert_allclose(100 * (e.welfare - 1), expected, rtol=0, atol=1e-5)
    f = case["flows"]
    got = e.X1[f["exporter"].map(case["pos"]), f["importer"].map(case["pos"])]
    np.testing.assert_allclose(got, f["trade_after_additive"], rtol=1e-6)


def test_multiplicative_imbalances(case: dict) -> None:
    b = case["base"]
    e = solve_equilibrium(b, case["params"], np.zeros_like(b.X), case["dhat"],
                          transfers="proportional")
    expected = case["welfare"].loc[case["codes"], "welfare_pct_multiplicative"].to_numpy()
    np.testing.assert_allclose(100 * (e.real_wage - 1), expected, rtol=0, atol=1e-5)
    k = e.Ehat / e.what  # one common factor (no tariffs, κ = 0)
    np.testing.assert_allclose(k, k[0], rtol=1e-12)
    assert abs(k[0] - 1) < 1e-4
    f = case["flows"]
    got = e.X1[f["exporter"].map(case["pos"]), f["importer"].map(case["pos"])] / k[0]
    np.testing.assert_allclose(got, f["trade_after_multiplicative"], rtol=1e-6)
