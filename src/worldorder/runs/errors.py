"""Errors of the run store: one-line messages a user can act on."""

from __future__ import annotations

from worldorder.errors import WorldorderError

__all__ = ["QueryError", "RunError"]


class RunError(WorldorderError):
    """A run cannot be found, read or written: unknown or ambiguous reference, missing table."""


class QueryError(RunError, ValueError):
    """A SQL query over the runs failed; the message is DuckDB's, on one line."""
