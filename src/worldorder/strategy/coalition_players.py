"""Coalition players: candidates resolved to matrix positions, the response rules, bitmasks.

A coalition of n candidates is a bitmask (bit k = candidate k); the candidates are economies or
groups (a group stands for all its economies and acts as one player). See
:mod:`worldorder.strategy.coalitions` for the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from worldorder.errors import CoalitionError

if TYPE_CHECKING:
    from worldorder.data.world import World

__all__ = ["INTERNALS", "MAX_CANDIDATES", "RESPONSES", "CoalitionError", "Internal", "Players",
           "Response", "check_rule", "gray_masks", "mask_names", "resolve_players"]

Response = Literal["optimal", "mirror", "none"]
Internal = Literal["free_trade", "keep"]
RESPONSES = ("optimal", "mirror", "none")
INTERNALS = ("free_trade", "keep")

#: Most candidates a table can hold (coalitions are 63-bit masks).
MAX_CANDIDATES = 62


@dataclass(frozen=True)
class Players:
    """Candidates resolved to matrix positions.

    Attributes:
        names: Player names (economy codes or group names), in the given order.
        members: Economy positions of each player (a group stands for all its members).
        hegemon: Economy positions of the hegemon.
    """

    names: tuple[str, ...]
    members: tuple[tuple[int, ...], ...]
    hegemon: tuple[int, ...]

    def economies(self, mask: int) -> list[int]:
        """Economy positions of the players in the bitmask ``mask`` (bit k = ``names[k]``)."""
        return sorted(i for k, m in enumerate(self.members) if mask >> k & 1 for i in m)


def resolve_players(world: World, candidates: Sequence[str] | str, hegemon: str = "USA",
                    ) -> Players:
    """Check the candidates and the hegemon and give their matrix positions.

    Raises:
        CoalitionError: No candidates, too many, an unknown name, a duplicate, two candidates
            sharing an economy, or the hegemon (or one of its economies) among the candidates.
    """
    names = [candidates] if isinstance(candidates, str) else list(candidates)
    if not names:
        raise CoalitionError("a coalition needs at least one candidate")
    if len(names) > MAX_CANDIDATES:
        raise CoalitionError(f"{len(names)} candidates: at most {MAX_CANDIDATES}")
    for name in [hegemon, *names]:
        if not isinstance(name, str) or name == "all" or not world.is_known(name):
            raise CoalitionError(f"unknown economy or group {name!r} in dataset {world.name!r}")
    if len(set(names)) != len(names):
        dup = next(c for c in names if names.count(c) > 1)
        raise CoalitionError(f"candidate {dup!r} is listed twice")
    heg = tuple(world.index(c) for c in world.expand(hegemon))
    owner: dict[int, str] = {}
    members = []
    for name in names:
        pos = tuple(world.index(c) for c in world.expand(name))
        for i in pos:
            if i in heg:
                raise CoalitionError(f"the hegemon {hegemon} cannot be a candidate "
                                     f"({name} includes {world.codes[i]})")
            if i in owner:
                raise CoalitionError(f"candidates {owner[i]} and {name} share the economy "
                                     f"{world.codes[i]}")
            owner[i] = name
        members.append(pos)
    return Players(names=tuple(names), members=tuple(members), hegemon=heg)

def check_rule(response: str, internal: str) -> None:
    """Refuse an unknown response or internal rule.

    Raises:
        CoalitionError: Naming the rule and the accepted values.
    """
    if response not in RESPONSES:
        raise CoalitionError(f"unknown response {response!r} (optimal, mirror or none)")
    if internal not in INTERNALS:
        raise CoalitionError(f"unknown internal rule {internal!r} (free_trade or keep)")


def gray_masks(n: int) -> list[int]:
    """All non-empty subsets of n players in Gray-code order (neighbours differ by one)."""
    return [k ^ (k >> 1) for k in range(1, 1 << n)]


def mask_names(players: Sequence[str], mask: int) -> tuple[str, ...]:
    """The players in the bitmask ``mask``, in the order of ``players``."""
    return tuple(p for k, p in enumerate(players) if mask >> k & 1)
