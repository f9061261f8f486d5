"""The built-in doctrines (registered on import)."""

from worldorder.agents.doctrines import (
    accommodating,
    autonomy,
    coalition,
    liberal,
    offshore,
    reciprocal,
    revisionist,
    stabiliser,
    transactional,
)

__all__ = ["accommodating", "autonomy", "coalition", "liberal", "offshore", "reciprocal",
           "revisionist", "stabiliser", "transactional"]
