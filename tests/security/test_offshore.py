"""Offshore balancing: the rule, its parameters, the actual posture, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from worldorder.errors import PanelError, SecurityModelError
from worldorder.security import get_model, implied_posture
from worldorder.security.offshore import defence_partners


def test_implied_posture_rule() -> None:
    assert implied_posture([0.5, 1.0, 2.0]).tolist() == ["onshore", "offshore", "offshore"]
    assert implied_posture(0.9, threshold=0.8) == "offshore"
    with pytest.raises(SecurityModelError, match="threshold must be positive"):
        implied_posture(1.0, threshold=0.0)


def test_offshore_table_2022() -> None:
    t = get_model("offshore-balancing").table([2022]).set_index("region")
    assert list(t.index) == ["europe", "northeast_asia", "gulf", "south_asia"]
    assert (t["holds"] == (t["balancer_ratio"] >= 1.0)).all()
    assert (t["implied_posture"] == np.where(t["holds"], "offshore", "onshore")).all()
    assert t.loc["europe", "leader"] == "RUS" and bool(t.loc["europe", "holds"])
    assert t.loc["northeast_asia", "leader"] == "CHN" and not t.loc["northeast_asia", "holds"]
    # the rival hegemon is never a US defence ally
    us_allies = defence_partners("USA", 2022)
    assert not set(t["leader"]) & us_allies
    # actual US posture: tens of thousands of troops in Europe and Northeast Asia
    assert t.loc["europe", "us_troops"] > 30_000 and t.loc["northeast_asia", "us_troops"] > 30_000
    assert t.loc["europe", "actual_posture"] == "onshore"
    assert t.loc["europe", "us_defence_pacts"] >= 25


def test_threshold_and_hegemon_parameters_change_the_verdict_monotonically() -> None:
    low = get_model("offshore-balancing", threshold=0.1).table([2022])
    high = get_model("offshore-balancing", threshold=10.0).table([2022])
    assert low["holds"].sum() >= high["holds"].sum()
    assert not high["holds"].any()
    strongest = get_model("offshore-balancing", hegemon="strongest").table([2022])
    assert (strongest["leader_share"].to_numpy() >= 0).all()
    with pytest.raises(SecurityModelError, match="hegemon must be"):
        get_model("offshore-balancing", hegemon="biggest").table([2022])


def test_latent_model_differs_and_user_regions_work() -> None:
    t = get_model("offshore-balancing-latent").table([2022], regions=[["IND", "PAK", "CHN"]])
    assert t.iloc[0]["index"] == "gdp" and t.iloc[0]["leader"] == "CHN"


def test_bad_regions_and_years() -> None:
    with pytest.raises(SecurityModelError, match="unknown region 'Arctic'"):
        get_model("offshore-balancing").table([2022], regions=["Arctic"])
    with pytest.raises(PanelError, match="1949-2024"):
        get_model("offshore-balancing").table([2030])
