"""BLAS threads and freed memory of a solver process: one thread, memory kept, by default.

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

Freed memory: a solve allocates a few dozen N×N arrays (300 KB each at N = 194) and frees them.
glibc's allocator hands the top of its heap back to the kernel once more than about twice the
largest freed block is free there, so the next arrays are fresh pages, each zeroed by the kernel
on its first touch: eight 194×194 arrays alive together and freed took 1.1 ms to make again
against 0.1 ms with the memory kept (measured side by side), more than the arithmetic on them.
:func:`keep_freed_memory`, called by :func:`limit_blas_threads` and in every executor worker,
therefore tells glibc (``mallopt``) to keep up to 128 MiB of free heap and to serve blocks up to
32 MiB from the heap: the process's memory then stays at its peak instead of shrinking.
``WORLDORDER_MEMORY=default`` leaves the allocator's own policy; on other C libraries nothing is
changed.
"""

from __future__ import annotations

import os

from worldorder.errors import SettingError

__all__ = ["ENV_VAR", "MEMORY_ENV_VAR", "blas_threads_setting", "keep_freed_memory",
           "limit_blas_threads"]

ENV_VAR = "WORLDORDER_BLAS_THREADS"
MEMORY_ENV_VAR = "WORLDORDER_MEMORY"

# glibc's mallopt parameters (malloc.h) and the values set
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_TRIM_BYTES, _MMAP_BYTES = 128 << 20, 32 << 20
_KEPT: list[bool] = []  # whether keep_freed_memory has run in this process, and its result

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
    keep_freed_memory()
    limit = blas_threads_setting() if threads is None else threads
    if limit is None:
        return None
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(limit)  # libraries loaded later, and child processes
    from threadpoolctl import threadpool_limits

    _LIMITER = threadpool_limits(limits=limit, user_api="blas")
    return limit


def keep_freed_memory() -> bool:
    """Keep freed memory in this process for later allocations (see the module docstring).

    Returns:
        Whether the allocator's policy was changed (glibc, and ``$WORLDORDER_MEMORY`` not
        ``default``); done once per process.

    Raises:
        SettingError: When ``$WORLDORDER_MEMORY`` is neither ``keep`` nor ``default``.
    """
    raw = os.environ.get(MEMORY_ENV_VAR, "keep").strip().lower()
    if raw not in ("keep", "default"):
        raise SettingError(f"${MEMORY_ENV_VAR}: {raw!r} is neither 'keep' nor 'default'")
    if _KEPT:
        return _KEPT[0]
    done = False
    if raw == "keep":
        try:
            glibc = bool(os.confstr("CS_GNU_LIBC_VERSION"))
        except (ValueError, OSError):
            glibc = False
        if glibc:
            import ctypes

            libc = ctypes.CDLL(None)
            done = bool(libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_BYTES)
                        and libc.mallopt(_M_TRIM_THRESHOLD, _TRIM_BYTES))
    _KEPT.append(done)
    return done
