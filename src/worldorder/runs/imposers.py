"""Who imposes: the economies whose tariffs rose, ranked by how much they rose.

The measure is the trade-weighted rise of an importer's tariffs, on its baseline imports:

    rise_i = Σ_j X0[j,i] · (t1[j,i] − t0[j,i]) / Σ_j X0[j,i]

(the change of its average tariff at baseline weights, in fractions), and ``added`` = the
numerator, the extra duty the new rates levy on baseline trade (dataset units). Imposers are
ranked by ``added``, so a large economy's rise counts more than a small one's; ties, which
need equal sums, fall back to the code. Counting tariff pairs instead would rank an economy
raising a tiny duty on many partners above one that taxes half its imports.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["rank_imposers"]


def rank_imposers(flows: pd.DataFrame, date: str | None = None, *,
                  share: float = 0.02) -> pd.DataFrame:
    """Economies whose tariffs rose at ``date`` (default: the last date), largest first.

    Args:
        flows: A run's flows (``date, exporter, importer, value_before, tariff_before,
            tariff_after``).
        date: The date to rank at.
        share: Leave out imposers whose ``added`` is below this share of the largest (they do
            not matter for the headline); 0 keeps all.

    Returns:
        Columns ``imposer, added, rise, average_before, average_after`` (fractions), one row
        per imposer with ``added > 0``.
    """
    cols = ["imposer", "added", "rise", "average_before", "average_after"]
    if flows.empty:
        return pd.DataFrame(columns=cols)
    date = date if date is not None else max(flows["date"])
    f = flows[flows["date"] == date]
    w = f["value_before"]
    g = pd.DataFrame({
        "imposer": f["importer"], "w": w,
        "added": w * (f["tariff_after"] - f["tariff_before"]),
        "before": w * f["tariff_before"], "after": w * f["tariff_after"],
    }).groupby("imposer").sum()
    g = g[g["added"] > 1e-12 * max(float(g["w"].sum()), 1.0)]
    if g.empty:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame({"imposer": g.index, "added": g["added"].to_numpy(),
                        "rise": (g["added"] / g["w"]).to_numpy(),
                        "average_before": (g["before"] / g["w"]).to_numpy(),
                        "average_after": (g["after"] / g["w"]).to_numpy()})
    out = out.sort_values(["added", "imposer"], ascending=[False, True], ignore_index=True)
    return out[out["added"] >= share * out["added"].iloc[0]].reset_index(drop=True)
