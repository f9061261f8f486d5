"""Errors of the run store (defined in :mod:`worldorder.errors`, re-exported here)."""

from worldorder.errors import QueryError, RunError

__all__ = ["QueryError", "RunError"]
