"""The tournament through the executor: bit-identical with one worker or two, and for a seed;
progress after each batch; the order's indices and every player's components in each row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from worldorder.agents.tournament import round_robin

MIDDLE = ("EU", "CAN", "JPN", "MEX", "VNM")


def table(folder: Path, workers: int, seeds: tuple[int, ...] = (0, 1),
          progress: list[tuple[int, int, str]] | None = None) -> pd.DataFrame:
    return round_robin(["america_first", "offshore_balancer"], ["revisionist"],
                       ["middle_power_coalition"], periods=2, seeds=seeds,
                       dataset=str(folder), middle_powers=MIDDLE, workers=workers,
                       progress=None if progress is None else
                       lambda d, n, label: progress.append((d, n, label)))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.builders import mini_world

    return mini_world().save(tmp_path_factory.mktemp("mini-rr") / "mini")


def test_one_worker_or_two_and_the_same_seed_give_the_same_bits(folder: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    serial = table(folder, 1, progress=seen)
    parallel = table(folder, 2)
    pd.testing.assert_frame_equal(serial, parallel, check_exact=True)
    pd.testing.assert_frame_equal(serial, table(folder, 1), check_exact=True)
    assert [d for d, _, _ in seen] == [1, 2, 3, 4] and {n for _, n, _ in seen} == {4}
    assert len(serial) == 4 and list(serial["seed"]) == [0, 1, 0, 1]


def test_each_row_has_the_components_and_the_order_indices(folder: Path) -> None:
    t = table(folder, 1, seeds=(0,))
    for col in ("usa_welfare", "usa_security", "usa_legitimacy", "usa_alignment",
                "usa_payoff", "chn_welfare", "chn_security", "chn_legitimacy",
                "chn_alignment", "usa_legitimacy_allies", "middle_welfare",
                "middle_security", "world_welfare", "world_tariff", "order_index",
                "order_index_min", "coalitions", "solves"):
        assert col in t.columns, col
    af = t[t["us"] == "america_first"].iloc[0]
    ob = t[t["us"] == "offshore_balancer"].iloc[0]
    assert af["order_index"] < ob["order_index"]  # coercion lowers the order index
    assert af["usa_legitimacy"] < ob["usa_legitimacy"] == pytest.approx(0.0, abs=1e-9)
    assert (t["solves"] > 0).all()
