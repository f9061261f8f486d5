"""The built-in doctrines (registered on import)."""

from worldorder.agents.doctrines import (
    accommodating,
    autonomy,
    coalition,
    liberal,
    reciprocal,
    stabiliser,
    transactional,
)

__all__ = ["accommodating", "autonomy", "coalition", "liberal", "reciprocal", "stabiliser",
           "transactional"]
