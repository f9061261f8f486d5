"""One execution seam: map a function over items, in order, in this process or in many.

Every parallel computation in worldorder goes through an :class:`Executor`: coalition tables
today, scenario sweeps tomorrow. An executor has one verb, ``map(fn, items) -> list``, which
returns ``[fn(item) for item in items]`` in the order of ``items`` whatever the order in which the
work finished. Backends:

* :class:`SerialExecutor`: this process, one item after the other (no pickling);
* :class:`ProcessExecutor`: a :class:`concurrent.futures.ProcessPoolExecutor` started with the
  ``forkserver`` method where the platform has it, ``spawn`` otherwise (never ``fork``: forking a
  process that runs threads can deadlock). Each worker is limited to one BLAS/OpenMP thread
  (``threadpoolctl`` and the usual environment variables), ignores Ctrl-C (the parent handles
  it) and exits on its own when the parent process dies, so that a parent killed by SIGTERM or
  SIGKILL leaves no worker behind. When ``map`` is interrupted (Ctrl-C, an exception, a SIGTERM
  the program turned into an exception) the workers are terminated before the exception goes on.

Determinism is the caller's contract, and the reason for the seam: ``fn`` must be a pure function
of its item (no shared random generator, no state carried from one item to the next: randomness
comes from seeds inside the items, warm starts are reset at the start of each item), so the
results are bit-identical with one worker or several. ``fn`` and the items must be picklable for
the process backend (a module-level function, or :func:`functools.partial` of one).

Other backends plug in through :func:`register_backend`: a factory that takes the number of
workers and returns an object with ``workers``, ``map`` and ``close``. Dask distributed is one
(``backend="dask"``, registered by :mod:`worldorder.sweeps.dask_backend` when a sweep starts);
a backend may also offer ``map_unordered(fn, items)`` yielding ``(index, result)`` as results
come, which sweeps use to write each partition as soon as it is done.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Protocol, Self, TypeVar, runtime_checkable

from worldorder.errors import ExecutorError

__all__ = [
    "BACKENDS",
    "Executor",
    "ProcessExecutor",
    "SerialExecutor",
    "available_cpus",
    "get_executor",
    "register_backend",
]

T = TypeVar("T")
R = TypeVar("R")

#: Environment variables that cap the threads of BLAS and OpenMP libraries loaded later.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


@runtime_checkable
class Executor(Protocol):
    """What every backend offers.

    Attributes:
        workers: Processes (or threads, or cluster workers) used by ``map``.
    """

    workers: int

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``[fn(x) for x in items]``, in the order of ``items``."""
        ...

    def close(self) -> None:
        """Release the workers (the executor may not be used afterwards)."""
        ...


class _ContextManager:
    """``with executor: ...`` closes it at the end."""

    def close(self) -> None:
        """Release the workers."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class SerialExecutor(_ContextManager):
    """Run every item in this process, in order."""

    workers = 1

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``[fn(x) for x in items]``."""
        return [fn(x) for x in items]


# --------------------------------------------------------------------------- worker side

_LIMITS: object = None  # the threadpoolctl limiter, kept alive for the worker's lifetime


def _watch_parent(lifeline: Connection) -> None:
    """Exit this worker as soon as its parent process is gone.

    ``lifeline`` is the read end of a pipe whose only write end the parent holds: reading it
    blocks until the parent dies (the kernel then closes the write end, whatever killed it) and
    then fails with EOF. A pid test would not do: under ``forkserver`` a worker's parent is the
    fork server, which itself outlives the parent while workers run.
    """
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv_bytes()
    os._exit(1)


def _init_worker(lifeline: Connection) -> None:
    """Set up a worker: one BLAS thread, Ctrl-C left to the parent, exit with the parent."""
    global _LIMITS
    for var in THREAD_VARIABLES:
        os.environ[var] = "1"
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import numpy  # noqa: F401  (load the BLAS libraries so that the limit reaches them)
    import scipy.linalg  # noqa: F401
    from threadpoolctl import threadpool_limits

    from worldorder.threads import keep_freed_memory

    _LIMITS = threadpool_limits(limits=1)
    keep_freed_memory()
    threading.Thread(target=_watch_parent, args=(lifeline,), daemon=True,
                     name="worldorder-parent-watch").start()


def worker_threads() -> dict[str, int]:
    """Threads of each BLAS/OpenMP library loaded in this process (``internal_api`` ->
    ``num_threads``): a probe for tests and diagnostics."""
    from threadpoolctl import threadpool_info

    out: dict[str, int] = {}
    for lib in threadpool_info():
        out[str(lib["internal_api"])] = max(int(lib["num_threads"]),
                                            out.get(str(lib["internal_api"]), 0))
    return out


# --------------------------------------------------------------------------- parent side


def _start_method() -> str:
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


class ProcessExecutor(_ContextManager):
    """A pool of worker processes, started on the first ``map`` and reused until ``close``.

    Args:
        workers: Worker processes (at least 1).
        start_method: ``forkserver`` or ``spawn`` (default: ``forkserver`` where available).

    Raises:
        ExecutorError: Fewer than one worker or an unknown or unsafe start method.
    """

    def __init__(self, workers: int, *, start_method: str | None = None) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ExecutorError(f"workers must be at least 1 (got {workers!r})")
        method = start_method or _start_method()
        if method not in ("forkserver", "spawn") or \
                method not in multiprocessing.get_all_start_methods():
            raise ExecutorError(f"start method {method!r}: use forkserver or spawn (fork is "
                                "unsafe in a process that runs threads)")
        self.workers = workers
        self.start_method = method
        self._pool: ProcessPoolExecutor | None = None
        self._lifeline: tuple[Connection, Connection] | None = None

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context(self.start_method)
            if self._lifeline is None:
                self._lifeline = ctx.Pipe(duplex=False)  # (read end, write end)
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx,
                                             initializer=_init_worker,
                                             initargs=(self._lifeline[0],))
        return self._pool

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``[fn(x) for x in items]`` computed by the workers, in the order of ``items``.

        An exception raised by ``fn`` (or a Ctrl-C in the parent) terminates the workers and
        propagates; the next ``map`` starts a new pool.
        """
        todo = list(items)
        if not todo:
            return []
        pool = self._ensure_pool()
        futures: list[Future[R]] = []
        try:
            futures = [pool.submit(fn, x) for x in todo]
            return [f.result() for f in futures]
        except BaseException:
            for f in futures:
                f.cancel()
            self.terminate()
            raise

    def pids(self) -> list[int]:
        """Process ids of the running workers (empty before the first ``map``)."""
        procs = getattr(self._pool, "_processes", None) or {}
        return sorted(int(p) for p in procs)

    def terminate(self) -> None:
        """Stop the workers now (running items are abandoned)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        procs = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():  # pragma: no cover - a worker that ignores SIGTERM
                p.kill()
                p.join(timeout=5)
        # Let the pool's manager thread see its dead workers and close its wake-up pipe now:
        # otherwise the interpreter's exit handler may write to that pipe while the thread
        # closes it, and print a "Bad file descriptor" traceback after a clean SIGTERM.
        manager = getattr(pool, "_executor_manager_thread", None)
        if manager is not None and manager is not threading.current_thread():
            manager.join(timeout=10)

    def close(self) -> None:
        """Wait for the workers to finish and stop them."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
        lifeline, self._lifeline = self._lifeline, None
        for end in lifeline or ():
            end.close()

    def __del__(self) -> None:
        if getattr(self, "_pool", None) is not None:
            self.terminate()


# --------------------------------------------------------------------------- choosing one

#: Backends by name: a factory taking the number of workers.
BACKENDS: dict[str, Callable[[int], Executor]] = {"process": ProcessExecutor}


def register_backend(name: str, factory: Callable[[int], Executor]) -> None:
    """Make ``get_executor(workers, backend=name)`` use ``factory(workers)``."""
    BACKENDS[name] = factory


def available_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def get_executor(workers: int | None = None, backend: str = "process") -> Executor:
    """The executor for ``workers`` workers: serial for one, else the ``backend``.

    Args:
        workers: Workers (default: every CPU this process may use).
        backend: A name in :data:`BACKENDS` (``process``, or one registered by a plug-in).

    Raises:
        ExecutorError: Fewer than one worker, or an unknown backend.
    """
    n = available_cpus() if workers is None else workers
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ExecutorError(f"workers must be at least 1 (got {workers!r})")
    if backend not in BACKENDS:
        raise ExecutorError(f"unknown executor backend {backend!r} "
                            f"(known: {', '.join(sorted(BACKENDS))})")
    if n == 1 and backend == "process":
        return SerialExecutor()
    return BACKENDS[backend](n)
