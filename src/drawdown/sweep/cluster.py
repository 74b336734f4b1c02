"""Where a sweep runs: a Dask `LocalCluster` on this machine, or an existing Dask cluster.

`connect` yields a `distributed.Client` (None for `workers=0`: in this process, no Dask).
A local cluster binds 127.0.0.1 only and runs one single-threaded worker process per core
(the engine and the planner are single-threaded; processes sidestep the GIL).
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from drawdown.errors import InputError, Problem

CONNECT_TIMEOUT_S = 10

# Dask settings of the local cluster. On a machine where every core runs a worker, whatever
# CPU Dask's own periodic work takes is taken from a worker, and the scheduler and nannies
# share the workers' cores (they live in this process); measured on 2 cores, idle:
LOCAL_DASK_CONFIG: dict[str, object] = {
    # each worker samples its stack every 10 ms for the dashboard's profile page: a sweep's
    # workers are busy in one function, so that costs CPU (4% of a core) and tells nothing
    "distributed.worker.profile.enabled": False,
    # every Dask server (scheduler, each nanny, each worker) wakes every 20 ms by default
    # only to check that its event loop is not blocked: 5% of a core for this process and
    # 2% for each worker. Once a second still warns of a loop blocked for `tick.limit` (3 s)
    "distributed.admin.tick.interval": "1s",
    # the nannies' memory checks (every 100 ms) and the dashboard's system graphs (500 ms)
    # take about 1% of a core more; a worker's memory grows over seconds, not milliseconds
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    # one worker a core, one thread a worker: Dask already keeps BLAS and OpenMP to one
    # thread in its workers; numba too, should the engine ever run a parallel loop
    "distributed.nanny.pre-spawn-environ.NUMBA_NUM_THREADS": 1,
}


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def has_dashboard() -> bool:
    """Whether Dask can serve its dashboard here (it needs bokeh: drawdown[distributed])."""
    return importlib.util.find_spec("bokeh") is not None


@contextmanager
def connect(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A Dask client on `scheduler`, or on a new local cluster of `workers` processes."""
    if scheduler is None and workers == 0:
        yield None
        return
    from distributed import Client, LocalCluster

    if workers is not None and workers < 0:
        raise InputError(Problem("--workers", str(workers), "must be 0 or more"))
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(
                Problem(
                    "--scheduler",
                    scheduler,
                    f"no Dask scheduler answers there ({exc})",
                    "start one (`dask scheduler`, then `dask worker ADDRESS` on each machine) "
                    "or leave --scheduler out to run on this machine",
                ),
                title="cannot reach the Dask scheduler",
            ) from None
        with client:
            yield client
        return
    import dask

    with (
        dask.config.set(LOCAL_DASK_CONFIG),  # passed on by the nannies to their workers
        LocalCluster(
            n_workers=workers or default_workers(),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            # the scheduler serves HTTP (health, dashboard with bokeh) in any case: any free port
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def dashboard(client: Any) -> str | None:
    """The Dask dashboard's address, when there is one."""
    if client is None:
        return None
    link = getattr(client, "dashboard_link", None)
    local = getattr(client, "cluster", None) is not None
    return str(link) if link and (has_dashboard() or not local) else None


__all__ = ["LOCAL_DASK_CONFIG", "connect", "dashboard", "default_workers", "has_dashboard"]
