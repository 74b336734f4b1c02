"""Stress test: execute a plan many times under random disruption, with an adaptive policy.

`simulate(scenario, plan, runs=..., seed=...)` is the front door. Runs are processed in
blocks; every run draws from its own fixed slice of one seeded stream, so results are
bit-identical whatever the block size. `simulate_variants(scenario, plan, variants, ...)`
runs many parameter sets (lists of overrides) with common random numbers, for sensitivity,
sweeps and the workbench.
"""

from __future__ import annotations

# isort: off
from drawdown.simulate import cache  # noqa: F401  first: numba reads NUMBA_CACHE_DIR as it loads

# isort: on
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from drawdown.errors import InputError, Problem
from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario
from drawdown.simulate.disruptions import Multipliers, draw_movements, plan_layout, uniforms
from drawdown.simulate.engine import run_block
from drawdown.simulate.inputs import check_plan, compile_inputs
from drawdown.simulate.io import RunSink
from drawdown.simulate.outcomes import Collector
from drawdown.simulate.result import Meta, SimulationResult
from drawdown.simulate.variants import VariantRuns, simulate_variants

MAX_RUNS = 50_000_000
MEMORY_LIMIT_BYTES = 4 * 1024**3
BLOCK_BYTES = 24 * 1024**2  # uniforms held at once

__all__ = [
    "Multipliers",
    "SimulationResult",
    "VariantRuns",
    "estimate_memory",
    "plan_hash",
    "simulate",
    "simulate_variants",
]


def plan_hash(plan: Plan) -> str:
    """The plan's content hash (`Plan.content_hash`: what it decides, not how it was made)."""
    return plan.content_hash()


def estimate_memory(scenario: Scenario, runs: int, *, timelines: bool = False) -> int:
    """Bytes the kept results of `runs` runs take (per-run records, per-site arrays)."""
    n_sites = len(scenario.sites)
    per_run = 8 * 30 + n_sites * (2 + 2 * 5 * 4)
    if timelines:  # people in theatre and TEU out, int32 a day each
        per_run += 2 * 4 * scenario.horizon_days
    return runs * per_run


def simulate(
    scenario: Scenario,
    plan: Plan,
    *,
    runs: int,
    seed: int,
    block_size: int | None = None,
    timelines: bool = False,
    progress: Callable[[int, int], None] | None = None,
    multipliers: Multipliers | None = None,
    check_hash: bool = True,
    memory_limit_bytes: int = MEMORY_LIMIT_BYTES,
    out: str | os.PathLike[str] | None = None,
    keep_runs: bool | None = None,
) -> SimulationResult:
    """Run `plan` in `scenario` `runs` times with disruption drawn from `seed`.

    Parameters
    ----------
    out
        A folder to stream the results to (`drawdown.simulate.io`: per-run Parquet written
        as blocks finish, then the summaries), replaced atomically when done. The result then
        reads its per-run tables from there.
    keep_runs
        Keep every run's records in memory too (`result.data`: what the analyses of single
        runs read). Default: yes without `out`, no with it. Without them memory does not
        grow with `runs`; every summary is the same either way.
    block_size
        Runs resolved together (default: sized to the plan); never changes the results.
    timelines
        Keep people in theatre and TEU out of it by day for every run (memory: 8 bytes x
        runs x days).
    progress
        Called with (runs done, runs) after each block.
    multipliers
        Per-run factors on approval probability, threat rates, speed and capacity.
    check_hash
        Refuse a plan made for another version of the scenario (turn off to stress-test a
        plan under a changed scenario).
    """
    keep = out is None if keep_runs is None else keep_runs
    limit = memory_limit_bytes if keep else None
    _check_sizes(scenario, runs, seed, block_size, timelines, limit, multipliers)
    check_plan(scenario, plan, check_hash=check_hash)
    if out is None:
        return _run(scenario, plan, runs, seed, block_size, timelines, progress, mult=multipliers,
                    keep=keep, sink=None)  # fmt: skip
    from drawdown.atomic import atomic_dir
    from drawdown.simulate.io import RunSink, write_summaries

    with atomic_dir(out) as staging:
        ids = tuple(s.id for s in scenario.sites)
        sink = RunSink(staging, ids, tuple(x.id for x in scenario.lift))
        try:
            result = _run(scenario, plan, runs, seed, block_size, timelines, progress,
                          mult=multipliers, keep=keep, sink=sink)  # fmt: skip
        finally:
            sink.close()
        write_summaries(result, staging)
    return replace(result, source=Path(out))


def _run(
    scenario: Scenario,
    plan: Plan,
    runs: int,
    seed: int,
    block_size: int | None,
    timelines: bool,
    progress: Callable[[int, int], None] | None,
    *,
    mult: Multipliers | None,
    keep: bool,
    sink: RunSink | None,
) -> SimulationResult:
    """The run loop: blocks of runs through the engine into a `Collector`."""
    compiled = compile_inputs(scenario, plan)
    multipliers = mult or Multipliers()
    mult = multipliers
    layout = plan_layout(compiled, mult)
    block = block_size or max(16, min(4096, BLOCK_BYTES // (8 * layout.block)))
    kinds = tuple(s.kind for s in scenario.sites)
    collector = Collector(compiled, kinds, runs, timelines, keep=keep, sink=sink)
    for start in range(0, runs, block):
        stop = min(runs, start + block)
        u = uniforms(seed, start, stop - start, layout)
        approval = mult.take("approval", start, stop)
        threat = mult.take("threat", start, stop)
        drawn = draw_movements(compiled, u, layout, approval, threat)
        out = run_block(
            compiled,
            drawn,
            u,
            layout.kernel_start,
            threat,
            mult.take("speed", start, stop),
            mult.take("capacity", start, stop),
            approval,
        )
        collector.add(start, out)
        if progress is not None:
            progress(stop, runs)
    from drawdown._version import __version__

    meta = Meta(
        scenario_name=scenario.name,
        scenario_hash=scenario.content_hash(),
        plan_hash=plan_hash(plan),
        seed=seed,
        runs=runs,
        start_date=scenario.manifest.start_date.isoformat(),
        deadline=scenario.manifest.deadline.isoformat(),
        version=__version__,
    )
    return SimulationResult(meta, collector.data, stats=collector.summaries.finish())


def _check_sizes(
    scenario: Scenario,
    runs: int,
    seed: int,
    block_size: int | None,
    timelines: bool,
    limit: int | None,
    multipliers: Multipliers | None,
) -> None:
    problems = []
    if not isinstance(runs, int | np.integer) or runs <= 0:
        problems.append(
            Problem("runs", "", f"must be a positive whole number, not {runs!r}", "try 10000")
        )
    elif runs > MAX_RUNS:
        problems.append(
            Problem(
                "runs",
                "",
                f"{runs:,} runs is more than the {MAX_RUNS:,} allowed",
                "use 10,000 to 1,000,000",
            )
        )
    elif limit is not None:  # only runs kept in memory take memory in proportion to their number
        need = estimate_memory(scenario, int(runs), timelines=timelines)
        if need > limit:
            problems.append(
                Problem(
                    "runs",
                    "",
                    f"{runs:,} runs need about {need / 1024**3:.1f} GB for their results "
                    f"(limit {limit / 1024**3:.1f} GB)",
                    "use fewer runs, or stream them to a folder (out=..., drawdown simulate -o)"
                    + (", or drop --timelines" if timelines else ""),
                )
            )
    if not isinstance(seed, int | np.integer) or seed < 0:
        problems.append(Problem("seed", "", f"must be a whole number >= 0, not {seed!r}"))
    if block_size is not None and block_size <= 0:
        problems.append(Problem("block_size", "", f"must be positive, not {block_size}"))
    if multipliers is not None and not problems:
        for name in ("approval", "threat", "speed", "capacity"):
            values = getattr(multipliers, name)
            if values is None:
                continue
            values = np.asarray(values, dtype=float)
            if values.shape != (runs,) or not np.all(values > 0):
                problems.append(
                    Problem("multipliers", name, f"needs {runs} positive values, one per run")
                )
    if problems:
        raise InputError(problems, title="cannot simulate with these settings")
