"""`simulate_variants` on a Dask cluster, in chunks of variants, with the same numbers.

`drawdown.simulate.simulate_variants` lays every variant's draws out alike (common random
numbers): room for as many incidents and engine draws as the most demanding variant of the
call needs. A chunk run on its own would size that room for its own variants only, and so
draw different numbers. Each chunk here therefore also carries the sweep's most demanding
variants (found on the client, the same way `simulate_variants` finds them) and drops their
rows: every chunk reads the same layout as one call over all the variants would, and the
result is identical to it whatever the number of workers or chunks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario
from drawdown.simulate.disruptions import Multipliers, plan_layout
from drawdown.simulate.variants import Variant, VariantCompiler, VariantRuns, simulate_variants

FIELDS = ("completion_day", "killed", "wounded", "destroyed_teu", "destroyed_vehicles")


def demanding(scenario: Scenario, plan: Plan, variants: Sequence[Variant]) -> list[int]:
    """The variants needing the most incident slots and the most engine draws."""
    compiler = VariantCompiler(scenario, plan)
    slots, spare = [], []
    for variant in variants:
        layout = plan_layout(compiler.compiled(variant), Multipliers())
        slots.append(layout.incident_slots)
        spare.append(layout.kernel_spare)
    return list(dict.fromkeys([int(np.argmax(slots)), int(np.argmax(spare))]))


def chunk_runs(
    scenario: Scenario,
    plan: Plan,
    variants: Sequence[Variant],
    extra: Sequence[Variant],
    runs: int,
    seed: int,
    check_hash: bool,
) -> VariantRuns:
    """`simulate_variants` of `extra` + `variants`, keeping the rows of `variants` only."""
    out = simulate_variants(
        scenario, plan, [*extra, *variants], runs=runs, seed=seed, check_hash=check_hash
    )
    keep = slice(len(extra), None)
    return VariantRuns(
        horizon_days=out.horizon_days[keep],
        patched=out.patched[keep],
        **{f: getattr(out, f)[keep] for f in FIELDS},
    )


def simulate_variants_on(
    client: Any,
    scenario: Scenario,
    plan: Plan,
    variants: Sequence[Variant],
    *,
    runs: int,
    seed: int,
    check_hash: bool = True,
    chunk: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> VariantRuns:
    """`simulate_variants(scenario, plan, variants, ...)` computed on Dask `client`'s workers.

    `chunk` variants make one task (default: about four tasks per worker).
    """
    from distributed import as_completed

    n = len(variants)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    size = chunk or max(1, -(-n // (4 * workers)))
    extra = [variants[i] for i in demanding(scenario, plan, variants)]
    [s, p] = client.scatter([scenario, plan], broadcast=True, hash=False)  # as `execute`
    starts = range(0, n, size)
    futures = {
        client.submit(
            chunk_runs,
            s,
            p,
            list(variants[i : i + size]),
            extra,
            runs,
            seed,
            check_hash,
            pure=False,
        ): i
        for i in starts
    }
    parts: dict[int, VariantRuns] = {}
    for future in as_completed(futures):
        parts[futures[future]] = future.result()
        future.release()
        if progress is not None:
            progress(sum(len(x.patched) for x in parts.values()), n)
    ordered = [parts[i] for i in starts]
    return VariantRuns(
        horizon_days=np.concatenate([x.horizon_days for x in ordered]),
        patched=np.concatenate([x.patched for x in ordered]),
        **{f: np.concatenate([getattr(x, f) for x in ordered]) for f in FIELDS},
    )


__all__ = ["chunk_runs", "demanding", "simulate_variants_on"]
