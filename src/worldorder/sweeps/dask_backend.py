"""The Dask backend of the executor seam: ``get_executor(k, backend="dask")``.

:class:`DaskExecutor` runs work on a ``dask.distributed`` cluster: by default a
:class:`~distributed.LocalCluster` of ``workers`` worker processes with one thread each, started
on first use and closed with the executor; or an existing cluster (``scheduler="tcp://host:8786"``,
the ``--scheduler`` option of ``worldorder sweep``), whose workers must have worldorder
installed. Each task limits BLAS to one thread (Dask's nanny also starts workers with
``OMP_NUM_THREADS=1`` and its kin), so a busy machine is not oversubscribed and every process
computes the same bits.

Why Dask: it runs the same code on one laptop (a local cluster of processes) and on many machines
(a scheduler address), streams results back as they finish (:meth:`map_unordered`, which the
sweep uses for its progress bar and to write each partition as soon as it is done), retries work
of a worker that died, and shows its dashboard when one is wanted; a process pool does only the
first. Results do not depend on Dask: each task is a pure function of its item.

``import worldorder`` does not import Dask; this module is imported by the sweep command and
registers the backend then (:func:`register`).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any, Self, TypeVar

from worldorder.errors import ExecutorError
from worldorder.executor import register_backend
from worldorder.threads import limit_blas_threads

__all__ = ["DaskExecutor", "register"]

T = TypeVar("T")
R = TypeVar("R")


_LIMITED: list[int] = []  # worker processes whose BLAS is limited


def _one_thread(fn: Callable[[T], R], item: T) -> R:
    """Run ``fn(item)`` with one BLAS thread (limited once per worker process)."""
    if os.getpid() not in _LIMITED:
        limit_blas_threads(1)
        _LIMITED.append(os.getpid())
    return fn(item)


class DaskExecutor:
    """An executor on a Dask distributed cluster.

    Args:
        workers: Worker processes of the local cluster (ignored with ``scheduler``).
        scheduler: Address of an existing scheduler (``tcp://host:8786``); None starts a
            local cluster.
        processes: Local workers as processes (default) or threads (for tests only: the
            solver holds the GIL part of the time).

    Raises:
        ExecutorError: Fewer than one worker, or a scheduler that cannot be reached.
    """

    def __init__(self, workers: int = 1, *, scheduler: str | None = None,
                 processes: bool = True) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ExecutorError(f"workers must be at least 1 (got {workers!r})")
        self.scheduler = scheduler
        self.processes = processes
        self._workers = workers
        self._client: Any = None
        self._cluster: Any = None

    @property
    def workers(self) -> int:
        """Worker threads of the cluster (an existing cluster is asked, which connects to it;
        a local one is counted once started)."""
        if self._client is not None or self.scheduler is not None:
            return max(1, sum(int(n) for n in self.client.nthreads().values()))
        return self._workers

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` (the cluster is started on first use)."""
        if self._client is None:
            import dask
            from distributed import Client, LocalCluster

            # Worker settings for a numerical workload: the statistical profiler (it samples
            # every thread's stack every 10 ms for the dashboard) is off; workers start with one
            # BLAS/OpenMP thread and without Dask's default MALLOC_TRIM_THRESHOLD_, which turns
            # off glibc's adaptive mmap threshold so that every array of a few hundred kB is
            # mapped and unmapped afresh (the solver's temporaries: 1.5-2x slower per sample,
            # measured side by side against this process).
            settings = {"distributed.worker.profile.enabled": False,
                        "distributed.nanny.pre-spawn-environ": {
                            "OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1,
                            "OPENBLAS_NUM_THREADS": 1}}
            try:
                if self.scheduler is None:
                    with dask.config.set(settings):
                        self._cluster = LocalCluster(
                            n_workers=self._workers, threads_per_worker=1,
                            processes=self.processes, dashboard_address=None,
                            # no dashboard, and the scheduler's own HTTP endpoints (health,
                            # metrics) on a free port: Dask's default 8787 may belong to the
                            # user's other cluster, and taking it printed a warning
                            scheduler_kwargs={"dashboard": False, "dashboard_address": ":0"},
                            silence_logs=logging.ERROR, memory_limit=0)
                    self._client = Client(self._cluster)
                else:
                    self._client = Client(self.scheduler, timeout="10s")
            except OSError as exc:
                self.close()
                where = self.scheduler or "a local cluster"
                raise ExecutorError(f"Dask: cannot connect to {where} ({exc})") from None
        return self._client

    @property
    def address(self) -> str:
        """The scheduler's address (what ``--scheduler`` takes to use this cluster)."""
        return str(self.client.scheduler.address)

    @property
    def dashboard(self) -> str | None:
        """The dashboard's address, when the cluster serves one."""
        link = getattr(self.client, "dashboard_link", None)
        return str(link) if link else None

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``[fn(x) for x in items]`` computed on the cluster, in the order of ``items``."""
        todo = list(items)
        out: list[Any] = [None] * len(todo)
        for k, result in self.map_unordered(fn, todo):
            out[k] = result
        return out

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T]
                      ) -> Iterator[tuple[int, R]]:
        """``(k, fn(items[k]))`` in the order the results come back.

        An exception raised by ``fn`` cancels the remaining work and propagates, as does a
        Ctrl-C in this process.
        """
        from distributed import as_completed

        todo = list(items)
        if not todo:
            return
        client = self.client
        shared = client.scatter(fn, broadcast=True, hash=False)  # sent once, not per task
        futures = client.map(_one_thread, [shared] * len(todo), todo, pure=False)
        index = {f.key: k for k, f in enumerate(futures)}
        try:
            for fut in as_completed(futures):
                yield index[fut.key], fut.result()
        finally:
            with contextlib.suppress(Exception):
                client.cancel([f for f in futures if not f.done()])

    def close(self) -> None:
        """Close the client and the local cluster (if this executor started one)."""
        client, self._client = self._client, None
        cluster, self._cluster = self._cluster, None
        with contextlib.suppress(Exception):
            if client is not None:
                client.close()
        with contextlib.suppress(Exception):
            if cluster is not None:
                cluster.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def register() -> None:
    """Register ``dask`` with :func:`worldorder.executor.get_executor`."""
    register_backend("dask", DaskExecutor)
