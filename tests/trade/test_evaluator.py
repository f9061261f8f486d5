"""The Evaluator: warm starts change the path, not the answer; reset() forgets them."""

from __future__ import annotations

import numpy as np

from tests.builders import random_world
from worldorder.trade.evaluator import Evaluator
from worldorder.trade.params import resolve_params


def test_reset_makes_the_next_solve_a_cold_one_bit_for_bit() -> None:
    w = random_world(6, seed=4)
    p = resolve_params(w, "ignatenko2025")
    t = w.tariffs + 0.2
    np.fill_diagonal(t, 0.0)
    fresh = Evaluator(w, p).welfare(t)
    ev = Evaluator(w, p)
    ev.welfare(w.tariffs * 3.0)              # a different warm-start history
    warm = ev.welfare(t)
    assert np.allclose(warm, fresh, rtol=0, atol=1e-9)
    ev.reset()
    assert np.array_equal(ev.welfare(t), fresh)
    assert ev.solves == 3                    # reset keeps the count
