"""Every outcome of a few variants of one plan, with common random numbers.

`simulate_variants` keeps six per-run arrays per variant, enough for sensitivity and sweeps;
a what-if page also draws the fan, the closures, the cargo outcome and the protection gap of
each variant, so `simulate_variant_results` gives each variant what `simulate` returns. Both
lay the draws out with `common_layout`, so run `r` of every variant reads the same uniforms
at the same places and a paired difference between variants comes from the parameters, not
from chance. Runs go in blocks (bounded memory); results do not depend on the block size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import Executor

import numpy as np

from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario
from drawdown.scenario.overrides import apply_overrides
from drawdown.simulate.disruptions import Layout, draw_movements, uniform_prefixes
from drawdown.simulate.engine import ChunkOutcome, run_block
from drawdown.simulate.inputs import Compiled, check_plan, compile_inputs
from drawdown.simulate.outcomes import Collector
from drawdown.simulate.result import Meta, SimulationResult
from drawdown.simulate.variants import Variant, VariantCompiler, common_layout

BLOCK_BYTES = 24 * 1024**2  # uniforms held at once, as `simulate` does
#: spare uniforms a run is given at first (`resolve_blocks`): MINUSMA's what-ifs read 250 to
#: 500 of the 14,000 the workbench's layout reserves, its extreme threats under 1,000
PREFIX_SPARE = 2048


class VariantSimulator:
    """One plan of one scenario, compiled once, executed under any variant on demand."""

    def __init__(self, scenario: Scenario, plan: Plan, *, check_hash: bool = True):
        check_plan(scenario, plan, check_hash=check_hash)
        self.scenario, self.plan = scenario, plan
        self.compiler = VariantCompiler(scenario, plan)
        self.plan_hash = plan.content_hash()  # the plan never changes: hash it once

    def prepare(self, variant: Variant | Scenario) -> tuple[Scenario, Compiled]:
        """The variant's scenario and engine arrays (refuses an invalid variant)."""
        if isinstance(variant, Scenario):
            check_plan(variant, self.plan, check_hash=False)
            return variant, compile_inputs(variant, self.plan)
        changed = apply_overrides(self.scenario, variant) if variant else self.scenario
        return changed, self.compiler.compiled(variant)

    def layout(self, prepared: Sequence[tuple[Scenario, Compiled]]) -> Layout:
        """The room for draws every prepared variant needs (see `common_layout`)."""
        return common_layout(self.compiler.c0, [c for _, c in prepared])

    def run(
        self,
        prepared: Sequence[tuple[Scenario, Compiled]],
        *,
        runs: int,
        seed: int,
        room: Layout | None = None,
        pool: Executor | None = None,
        parts: int = 1,
    ) -> list[SimulationResult]:
        """Every outcome of each prepared variant, with common random numbers.

        `room` is a layout to use when it has at least the room the variants need (a caller
        that keeps results under one layout, such as the workbench's baseline, passes it);
        otherwise the variants' own common layout is used. With a `pool` (threads or
        processes), each variant's runs are resolved block by block side by side (blocks
        small enough that `parts` workers share them; a laptop's cores); a run reads its
        draws at fixed places and the summaries take runs in order, so the results are
        those of one worker, bit for bit.
        """
        layout = self.layout(prepared)
        if room is not None and fits(layout, room):
            layout = room
        block = max(16, min(4096, BLOCK_BYTES // (8 * layout.block)))
        if pool is not None and parts > 1:
            block = min(block, max(16, -(-runs // parts)))
        blocks = [(start, min(runs, start + block)) for start in range(0, runs, block)]
        collectors = [
            Collector(c, tuple(site.kind for site in v.sites), runs, False) for v, c in prepared
        ]
        if pool is not None and parts > 1 and len(blocks) > 1:
            # every block of every variant is a task of its own, taken in run order by the
            # workers; a finished block is collected (in run order: the summaries take runs in
            # order) while the workers resolve the next ones
            futures = [
                [pool.submit(resolve_blocks, c, layout, seed, [b]) for b in blocks]
                for _, c in prepared
            ]
            for collector, tasks in zip(collectors, futures, strict=True):
                for (start, _), task in zip(blocks, tasks, strict=True):
                    collector.add(start, task.result()[0])
        else:
            for (_, c), collector in zip(prepared, collectors, strict=True):
                for start, stop in blocks:  # one block at a time: memory bounded
                    collector.add(start, resolve_blocks(c, layout, seed, [(start, stop)])[0])
        from drawdown._version import __version__

        results = []
        for (v, _), collector in zip(prepared, collectors, strict=True):
            meta = Meta(
                scenario_name=v.name,
                scenario_hash=v.content_hash(),
                plan_hash=self.plan_hash,
                seed=seed,
                runs=runs,
                start_date=v.manifest.start_date.isoformat(),
                deadline=v.manifest.deadline.isoformat(),
                version=__version__,
            )
            # the summaries the collector streamed, as `simulate` keeps them: recomputing them
            # from the kept runs gives the same bits (windows by run number) at twice the cost
            stats = collector.summaries.finish()
            results.append(SimulationResult(meta, collector.data, stats=stats))
        return results


def resolve_blocks(
    c: Compiled,
    layout: Layout,
    seed: int,
    blocks: Sequence[tuple[int, int]],
    prefix_spare: int = PREFIX_SPARE,
) -> list[ChunkOutcome]:
    """The engine's outcomes of runs [start, stop) of one variant, block by block (a pool
    worker's share of `VariantSimulator.run`).

    Each block's runs get only the first `prefix_spare` of their spare uniforms at first; a
    block any of whose runs read past them is resolved again with every uniform of its
    layout. The engine reads a run's uniforms in order and no further than its
    `spare_end`, so the outcomes are those of the whole layout either way, bit for bit."""
    outcomes = []
    width = layout.kernel_start + prefix_spare
    for start, stop in blocks:
        out = _resolve_block(c, layout, seed, start, stop, width)
        if width < layout.block and out.spare_end.size and int(out.spare_end.max()) > width:
            out = _resolve_block(c, layout, seed, start, stop, layout.block)
        outcomes.append(out)
    return outcomes


def _resolve_block(
    c: Compiled, layout: Layout, seed: int, start: int, stop: int, width: int
) -> ChunkOutcome:
    ones = np.ones(stop - start)
    u = uniform_prefixes(seed, start, stop - start, layout, width)
    drawn = draw_movements(c, u, layout, ones, ones)
    return run_block(c, drawn, u, layout.kernel_start, ones, ones, ones, ones)


def fits(needed: Layout, room: Layout) -> bool:
    """Whether `room` lays out every draw `needed` does (same movements, at least as many
    spare uniforms): a run then reads its draws at the same places under either."""
    return (
        needed.n_movements == room.n_movements
        and needed.incident_slots <= room.incident_slots
        and needed.kernel_spare <= room.kernel_spare
    )


def rounded(layout: Layout) -> Layout:
    """`layout` with its room rounded up to a coarse grid (32, 48, 72, ... x1.5), so that
    callers keeping results per layout see the same layout for similar variants."""
    return Layout(layout.n_movements, _grid(layout.incident_slots), _grid(layout.kernel_spare))


def _grid(x: int) -> int:
    step = 32.0
    while step < x:
        step *= 1.5
    return int(math.ceil(step))


def simulate_variant_results(
    scenario: Scenario,
    plan: Plan,
    variants: Sequence[Variant | Scenario],
    *,
    runs: int,
    seed: int,
    check_hash: bool = True,
) -> list[SimulationResult]:
    """Run `plan` `runs` times under each variant, keeping every outcome of each.

    Parameters
    ----------
    variants
        Each a list of overrides (`[]` is the scenario), or a changed copy of the scenario
        (e.g. with an added event, which no override names); the plan is the same for all.
    check_hash
        Refuse a plan made for another version of `scenario` (the variants are executed
        with it whatever they change).
    """
    sim = VariantSimulator(scenario, plan, check_hash=check_hash)
    return sim.run([sim.prepare(v) for v in variants], runs=runs, seed=seed)


__all__ = [
    "Layout",
    "VariantSimulator",
    "fits",
    "resolve_blocks",
    "rounded",
    "simulate_variant_results",
]
