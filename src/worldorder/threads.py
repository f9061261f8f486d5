"""BLAS threads of a solver process: one by default.

The equilibrium solver spends its time in dense linear algebra (NumPy's and SciPy's BLAS and
LAPACK). Those libraries start one thread per core by default. On a machine whose cores other
processes keep busy, the threads of one solve wait for each other: a 194-economy solve took about
1 s with the default threads against about 38 ms with one thread, measured side by side on a busy
2-core machine, and parallel sweeps would start workers × cores threads. worldorder therefore
limits BLAS to one thread per process: in the ``worldorder`` command, in every worker of an
executor and in the benchmarks. The parallelism of worldorder is across processes (sweeps,
coalition tables), not inside one solve.

Setting: the environment variable ``WORLDORDER_BLAS_THREADS`` (default ``1``) sets another number
of threads, e.g. ``WORLDORDER_BLAS_THREADS=4`` for a single very large solve (1,000 economies or
more) on an otherwise idle machine, or ``default`` to leave the libraries' own choice (their
``OMP_NUM_THREADS``-style variables then apply).
"""

from __future__ import annotations

import os

from worldorder.errors import SettingError

__all__ = ["ENV_VAR", "blas_threads_setting", "limit_blas_threads"]

ENV_VAR = "WORLDORDER_BLAS_THREADS"

_LIMITER: object = None  # the active threadpoolctl limiter (kept alive for the process)


def blas_threads_setting() -> int | None:
    """Threads per process from ``$WORLDORDER_BLAS_THREADS`` (None = the libraries' default).

    Raises:
        SettingError: When the variable is neither a positive integer nor ``default``.
    """
    raw = os.environ.get(ENV_VAR, "1").strip()
    if raw.lower() == "default":
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise SettingError(f"${ENV_VAR}: {raw!r} is not a positive number of threads "
                           "or 'default'")
    return value


def limit_blas_threads(threads: int | None = None) -> int | None:
    """Limit the BLAS libraries of this process (loaded now or later) to ``threads`` threads.

    Args:
        threads: Threads per process; by default :func:`blas_threads_setting`.

    Returns:
        The limit applied (None: the libraries' default was left alone).
    """
    global _LIMITER
    limit = blas_threads_setting() if threads is None else threads
    if limit is None:
        return None
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(limit)  # libraries loaded later, and child processes
    from threadpoolctl import threadpool_limits

    _LIMITER = threadpool_limits(limits=limit, user_api="blas")
    return limit
