"""Run a sweep's pending variants: in this process, or as Dask tasks on a cluster.

Each variant is one task; its plan is another, shared by every variant planned for the same
scenario (one per distinct scenario hash when re-planning, one in all when not) and taken
from the folder's plan cache when it was made before. When re-planning with the optimiser,
the base scenario is planned first and every other plan is warm-started from it
(`base_plan_key`): a variant's plan then depends only on the base scenario, its overrides
and the seed, whatever the order or the worker, and costs about half a cold plan. The client
writes each result as it arrives (`on_plan`, `on_outcome`); the workers only compute, so they
need no shared disk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from drawdown.scenario.model import Scenario
from drawdown.sweep.variants import Variant
from drawdown.sweep.work import PlanMade, VariantOutcome, make_plan, reason_of, run_variant


@dataclass(frozen=True)
class Job:
    """A variant to run, and the scenario its plan is made for."""

    variant: Variant
    plan_key: str  # content hash of the scenario planned
    plan_overrides: tuple[str, ...]  # the overrides making that scenario from the base one


@dataclass(frozen=True)
class Settings:
    """What every variant of a sweep shares."""

    runs: int
    seed: int
    planner: str


def base_plan_key(jobs: Sequence[Job], scenario: Scenario, planner: str) -> str | None:
    """The base scenario's hash when its plan warm-starts the jobs' plans, else None."""
    key = scenario.content_hash()
    if planner == "greedy" or all(job.plan_key == key for job in jobs):
        return None
    return key


def execute(
    jobs: Sequence[Job],
    scenario: Scenario,
    settings: Settings,
    cached: dict[str, PlanMade],
    client: Any,
    *,
    on_plan: Callable[[PlanMade], None],
    on_outcome: Callable[[VariantOutcome], None],
) -> None:
    """Run every job; results reach the callbacks in the order they finish."""
    if client is None:
        _in_process(jobs, scenario, settings, dict(cached), on_plan, on_outcome)
    else:
        _on_dask(jobs, scenario, settings, cached, client, on_plan, on_outcome)


def _in_process(
    jobs: Sequence[Job],
    scenario: Scenario,
    settings: Settings,
    plans: dict[str, PlanMade],
    on_plan: Callable[[PlanMade], None],
    on_outcome: Callable[[VariantOutcome], None],
) -> None:
    warm: PlanMade | None = None
    warm_key = base_plan_key(jobs, scenario, settings.planner)
    if warm_key is not None:
        warm = plans.get(warm_key)
        if warm is None:
            warm = plans[warm_key] = make_plan(scenario, (), settings.planner, settings.seed)
            on_plan(warm)
    for job in jobs:
        made = plans.get(job.plan_key)
        if made is None:  # (the base plan itself is in `plans` already)
            made = make_plan(scenario, job.plan_overrides, settings.planner, settings.seed, warm)
            plans[job.plan_key] = made
            on_plan(made)
        v = job.variant
        on_outcome(run_variant(v.index, scenario, v.overrides, made, settings.runs, settings.seed))


def _on_dask(
    jobs: Sequence[Job],
    scenario: Scenario,
    settings: Settings,
    cached: dict[str, PlanMade],
    client: Any,
    on_plan: Callable[[PlanMade], None],
    on_outcome: Callable[[VariantOutcome], None],
) -> None:
    from distributed import as_completed

    if not jobs:
        return
    # the base scenario goes to every worker once; a task carries only its overrides.
    # hash=False: Dask would otherwise name the data by tokenizing it, which takes longer
    # than sending it (0.2 s for MINUSMA's scenario and plan, before any worker can start)
    [base] = client.scatter([scenario], broadcast=True, hash=False)
    plans: dict[str, Any] = {}
    planning = []
    warm_key = base_plan_key(jobs, scenario, settings.planner)

    def plan_of(key: str, overrides: tuple[str, ...], warm: Any) -> Any:
        if key not in plans:
            if key in cached:
                [plans[key]] = client.scatter([cached[key]], hash=False)
            else:
                # a future as an argument: Dask runs the task once the base plan is made
                plans[key] = client.submit(
                    make_plan, base, overrides, settings.planner, settings.seed, warm, pure=False
                )
                planning.append(plans[key])
        return plans[key]

    warm = None if warm_key is None else plan_of(warm_key, (), None)
    for job in jobs:
        plan_of(job.plan_key, job.plan_overrides, warm)
    running = {
        client.submit(
            run_variant,
            job.variant.index,
            base,
            job.variant.overrides,
            plans[job.plan_key],
            settings.runs,
            settings.seed,
            pure=False,
        ): job
        for job in jobs
    }
    planned = set(planning)
    for future in as_completed([*planning, *running]):
        if future in planned:
            if future.status == "finished":
                on_plan(future.result())
            continue
        job = running.pop(future)
        try:
            outcome = future.result()
        except Exception as exc:  # a worker died or the cluster failed: retried on resume
            outcome = VariantOutcome(job.variant.index, "error", reason_of(exc))
        on_outcome(outcome)
        future.release()


__all__ = ["Job", "Settings", "execute"]
