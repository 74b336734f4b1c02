"""`simulate_variants_on` (the sensitivity analysis on Dask) gives `simulate_variants`'s numbers
bit for bit, whatever the chunking of the variants into tasks."""

from __future__ import annotations

import logging
from dataclasses import fields
from pathlib import Path

import numpy as np

from drawdown.plan import greedy_plan
from drawdown.scenario.io import load_scenario
from drawdown.simulate import simulate_variants
from drawdown.sweep.distribute import simulate_variants_on

TINY = Path(__file__).parents[1] / "data" / "tiny"
VARIANTS = [
    [],
    ["clearance.road.approval=0.4"],
    ["threat.ied.rate=*3"],  # needs more incident slots than the others
    ["link.road.wet_km_per_day=*0.5"],
    ["clearance.road.approval=0.9", "threat.ied.rate=*0.5"],
]


def test_distributed_variants_equal_one_call() -> None:
    """Chunks of 1, 2 and all variants on 2 workers: the same arrays as one in-process call."""
    from distributed import Client, LocalCluster

    scenario = load_scenario(TINY)
    plan = greedy_plan(scenario)
    here = simulate_variants(scenario, plan, VARIANTS, runs=30, seed=3)
    seen: list[tuple[int, int]] = []
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        for chunk in (1, 2, len(VARIANTS)):
            there = simulate_variants_on(
                client,
                scenario,
                plan,
                VARIANTS,
                runs=30,
                seed=3,
                chunk=chunk,
                progress=lambda done, total: seen.append((done, total)),
            )
            for f in fields(here):
                np.testing.assert_array_equal(getattr(there, f.name), getattr(here, f.name))
    assert seen[-1] == (len(VARIANTS), len(VARIANTS))
