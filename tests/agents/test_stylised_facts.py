"""Stylised facts of the order as tests (directions, not point forecasts), on the mini world:
each could fail if the doctrines or the model behaved otherwise."""

from __future__ import annotations

import pytest

from worldorder.agents.tournament import round_robin

MIDDLE = ("EU", "CAN", "JPN", "MEX", "VNM")


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.builders import mini_world

    folder = mini_world().save(tmp_path_factory.mktemp("mini") / "mini")
    return round_robin(["america_first", "liberal_internationalist"], ["reciprocator"],
                       ["middle_power_coalition", "fortress", "subordinate"], periods=3,
                       dataset=str(folder), middle_powers=MIDDLE)


def _row(table, us: str, middle: str):  # type: ignore[no-untyped-def]
    return table[(table["us"] == us) & (table["middle"] == middle)].iloc[0]


def test_coalitions_form_when_the_hegemon_coerces_and_not_otherwise(table) -> None:  # type: ignore[no-untyped-def]
    assert _row(table, "america_first", "middle_power_coalition")["coalitions"] >= 1
    assert _row(table, "liberal_internationalist", "middle_power_coalition")["coalitions"] == 0


def test_a_world_of_fortresses_is_poorer_than_a_world_of_coalitions(table) -> None:  # type: ignore[no-untyped-def]
    for us in ("america_first", "liberal_internationalist"):
        fortress, coalition = _row(table, us, "fortress"), _row(table, us, "middle_power_coalition")
        assert fortress["world_welfare"] < coalition["world_welfare"], us
        assert fortress["world_tariff"] > coalition["world_tariff"], us


def test_without_a_first_mover_nothing_changes(table) -> None:  # type: ignore[no-untyped-def]
    calm = _row(table, "liberal_internationalist", "subordinate")
    assert calm["world_welfare"] == pytest.approx(0.0, abs=1e-9)
    assert calm["coalitions"] == 0


def test_one_row_per_match(table) -> None:  # type: ignore[no-untyped-def]
    assert list(table.columns[:4]) == ["us", "china", "middle", "seed"]
    assert len(table) == 6


def test_ecological_shares_follow_the_replicator_equation(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    from tests.builders import mini_world
    from worldorder.agents.tournament import ecological

    folder = mini_world().save(tmp_path_factory.mktemp("mini-eco") / "mini")
    eco = ecological("america_first", "reciprocator", ["subordinate", "hedger"],
                     generations=3, periods=2, selection=0.5, dataset=str(folder),
                     middle_powers=MIDDLE)
    by_gen = eco.pivot(index="generation", columns="doctrine", values="share")
    assert (by_gen.sum(axis=1) - 1.0).abs().max() < 1e-12
    assert list(by_gen.index) == [0, 1, 2, 3]  # 3 generations played, then the final shares
    assert eco[eco["generation"] == 3]["payoff"].isna().all()
    for g in range(3):  # x' = x (1 + s (f - mean f)), renormalised
        now = eco[eco["generation"] == g].set_index("doctrine")
        f, x = now["payoff"], now["share"]
        mean = float((x * f).sum() / x.sum())
        new = x * (1 + 0.5 * (f - mean))
        new = new / new.sum()
        assert by_gen.loc[g + 1].to_dict() == pytest.approx(new.to_dict(), abs=1e-12)
