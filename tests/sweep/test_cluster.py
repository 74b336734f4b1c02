"""The local cluster's workers run with the sweep's Dask settings and one thread each."""

from __future__ import annotations

from drawdown.sweep.cluster import LOCAL_DASK_CONFIG, connect

SPAWN_ENV = "distributed.nanny.pre-spawn-environ."


def test_local_workers_get_the_settings() -> None:
    """A worker of `connect(workers=1)` sees the quieter Dask timers (the nannies pass the
    client's config on), numba kept to one thread as BLAS is, and one thread of its own."""

    def settings() -> dict[str, object]:  # defined here: sent to the worker by value
        import os

        import dask

        return {
            k: os.environ.get(k.removeprefix(SPAWN_ENV))
            if k.startswith(SPAWN_ENV)
            else dask.config.get(k)
            for k in LOCAL_DASK_CONFIG
        }

    with connect(None, 1) as client:
        [(address, found)] = client.run(settings).items()
        threads = client.nthreads()[address]
    # environment variables reach the worker as text
    expected = {k: str(v) if k.startswith(SPAWN_ENV) else v for k, v in LOCAL_DASK_CONFIG.items()}
    assert found == expected
    assert threads == 1
