"""Bring your own data: build a World from DataFrames, save it as a dataset folder, run a scenario.

Here the data are a made-up gravity world of 300 economies (a stand-in for your own); with real
data, fill the same three columns from your sources, or convert CEPII BACI with
``worldorder data import-baci``. Run: ``python examples/custom_dataset.py OUT_FOLDER``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

import worldorder as wo


def gravity_world(n: int = 300, seed: int = 1) -> wo.World:
    rng = np.random.default_rng(seed)
    gdp = rng.lognormal(3.0, 1.5, n)
    where = rng.uniform(0, 1, (n, 2))
    dist = np.sqrt(((where[:, None] - where[None]) ** 2).sum(-1)) + 0.05
    X = np.outer(gdp, gdp) / dist
    np.fill_diagonal(X, 0.0)
    X *= 0.2 * gdp.sum() / X.sum()
    X = np.minimum(X, 0.5 * gdp[None, :] * X / X.sum(axis=0, keepdims=True))
    codes = [f"E{k:03d}" for k in range(n)]
    economies = pd.DataFrame({"code": codes, "name": [f"Economy {c}" for c in codes],
                              "gdp": gdp})
    return wo.World.from_frames(economies, X, name="gravity-300", year=2024,
                                sources={"trade": "synthetic gravity example"},
                                groups={"BLOC": codes[1:20]})


SCENARIO = """name: bloc-tariff
description: The largest economy taxes a bloc at 25%; the bloc retaliates in kind.
dataset: gravity-300
model: {preset: ignatenko2025}
policies:
  - tariff: {by: E000, on: [BLOC], rate: 0.25}
  - retaliation: {by: [BLOC], against: E000, rule: mirror}
"""


def main(out: Path) -> None:
    world = gravity_world()
    folder = world.save(out / "gravity-300")
    (out / "bloc-tariff.yaml").write_text(SCENARIO)
    result = wo.simulate(out / "bloc-tariff.yaml")
    print(result.economies.sort_values("welfare_pct").head(5)[["economy", "welfare_pct"]])
    print(f"dataset in {folder}; try: worldorder run {out / 'bloc-tariff.yaml'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("example-output"))
