"""Coalitions of middle powers facing a hegemon's tariffs: values, tables and stability.

"If we're not at the table, we're on the menu": when a hegemon H uses tariffs as leverage, its
targets can retaliate alone, do nothing, or join with others. This module prices every
coalition S of a list of *candidates* (economies, or groups such as the EU acting as one player)
under the current tariffs ``t`` (e.g. after the 2025 US tariffs):

* **Inside S**, members trade freely: every tariff between economies of different members (and
  between economies of one group member) is set to zero, baseline MFN duties and additional
  duties alike (``internal="free_trade"``; ``"keep"`` leaves them).
* **Towards H**, S responds as one (``response``):

  - ``"optimal"``: one common uniform rate τ on all of H's goods, set by every member's economies
    (a total rate, ``t[h, m] = τ``), chosen to maximise the coalition's money-metric welfare
    (its TU worth, below) given everyone else's tariffs; a bounded grid scan then a bounded Brent
    search, as :func:`worldorder.trade.instruments.optimal_tariff`;
  - ``"mirror"``: each member economy sets on H the additional rate H charges it
    (``t[h, m] = t0[h, m] + (t[m, h] − t0[m, h])`` where that surcharge is positive);
  - ``"none"``: members keep their tariffs on H.

* **Outside S**, every other economy (non-member candidates included) keeps its tariffs.

The TU worth of S is its money-metric gain, the equivalent variation at baseline prices summed
over its economies,

.. math::

    v(S) = \\sum_{i ∈ S} (Ŵ_i − 1)\\,E_i, \\qquad v(∅) = 0,

with Ŵ_i the exact-hat welfare change relative to the dataset's baseline (as everywhere in
worldorder) and E_i baseline expenditure (national income: factor income, tariff revenue and
transfers) in the dataset's value unit (USD billion for ``world-2024``). The optimal common rate
maximises the same income (expenditure) weighted sum Σ_{i∈S} E_i (Ŵ_i − 1), so the coalition
picks the rate that maximises its worth. A singleton {i} is i acting alone by the same rule
(internal free trade is then void, except inside a group player). Because Ŵ is relative to the
baseline, v includes the losses that the hegemon's tariffs cause anyway;
``CoalitionTable.game("status_quo")`` gives the strategically equivalent game relative to the
current tariffs (worths shifted by an additive constant per player: the same core up to a
translation, the same stability, Shapley values shifted by the constant).

:func:`coalition_outcomes` solves all 2^n − 1 coalitions of up to ``max_exact`` (12) candidates,
with a documented heuristic above. Coalitions are visited in Gray-code order (neighbours differ by
one member, so their equilibria are close and warm starts pay) in fixed chunks; each chunk starts
cold, so the table depends only on the inputs and the chunk size, never on the number of worker
processes or the order in which chunks run (tested bit for bit).

Stability (:func:`stability`) follows d'Aspremont et al. (1983) for one coalition S among the
candidates, the others singletons: S is *internally stable* when no member gains by leaving
(its welfare in S is at least its welfare when S∖{i} forms and i acts alone by the same rule),
and *externally stable* when no outsider j would gain by joining S ∪ {j} while every member of
S weakly gains too (no outsider is refused a gain). The leaver (or the outsider) acting alone
applies its singleton policy (the rate it would choose alone, fixed, not re-optimised against
the new coalition); the remaining coalition keeps its own policy from the table. These
*deviation* structures cost one solve each (n · 2^(n−1) − n of them; none with
``response="none"``, where a leaver acting alone does nothing and the structure is the table's
S∖{i}, except for a group leaver that drops its internal tariffs).


The code is split by concern; every public name is importable from here (and the main ones from
:mod:`worldorder.strategy`):

* :mod:`~worldorder.strategy.coalition_players`: candidates, rules, bitmasks;
* :mod:`~worldorder.strategy.coalition_value`: one coalition (tariffs, optimal common rate, worth);
* :mod:`~worldorder.strategy.coalition_outcomes`: every coalition, in chunks, through an executor;
* :mod:`~worldorder.strategy.coalition_table`: the table and the figures read from it;
* :mod:`~worldorder.strategy.coalition_stability`: internal and external stability;
* :mod:`~worldorder.strategy.coalition_games`: the TU game's core and Shapley value.

References:
    d'Aspremont, C., Jacquemin, A., Gabszewicz, J. J. & Weymark, J. A. (1983), "On the
    stability of collusive price leadership", Canadian Journal of Economics 16(1), 17–25.
    Ossa, R. (2014), "Trade wars and trade talks with data", American Economic Review 104(12).
    Chander, P. & Tulkens, H. (1997), "The core of an economy with multilateral environmental
    externalities", International Journal of Game Theory 26. Ignatenko, A., Macedoni, L.,
    Lashkaripour, A. & Simonovska, I. (2025), Journal of International Economics.
"""

from worldorder.strategy.coalition_outcomes import coalition_outcomes
from worldorder.strategy.coalition_players import (
    INTERNALS,
    MAX_CANDIDATES,
    RESPONSES,
    CoalitionError,
    Internal,
    Players,
    Response,
    resolve_players,
)
from worldorder.strategy.coalition_stability import stability, stable_coalitions
from worldorder.strategy.coalition_table import CoalitionTable
from worldorder.strategy.coalition_value import (
    CoalitionOutcome,
    RateSearch,
    coalition_tariffs,
    coalition_value,
    optimal_common_rate,
)

__all__ = [
    "INTERNALS",
    "MAX_CANDIDATES",
    "RESPONSES",
    "CoalitionError",
    "CoalitionOutcome",
    "CoalitionTable",
    "Internal",
    "Players",
    "RateSearch",
    "Response",
    "coalition_outcomes",
    "coalition_tariffs",
    "coalition_value",
    "optimal_common_rate",
    "resolve_players",
    "stability",
    "stable_coalitions",
]
