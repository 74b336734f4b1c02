"""Every outcome of a few variants of one plan: the same draws as the other front doors."""

from __future__ import annotations

import numpy as np
import pytest

from drawdown.plan import greedy_plan
from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario
from drawdown.simulate import simulate, simulate_variants
from drawdown.simulate.disruptions import Layout
from drawdown.simulate.variant_results import VariantSimulator, simulate_variant_results

VARIANTS = [[], ["clearance.road.approval=0.4"], ["threat.ied.rate=*3", "trucks.count=*0.5"]]


@pytest.fixture(scope="module")
def plan(tiny: Scenario) -> Plan:
    return greedy_plan(tiny)


def _same(a: object, b: object) -> None:
    for name in ("completion_day", "killed", "wounded", "teu_destroyed", "cost_usd"):
        assert np.array_equal(a.data.runs[name], b.data.runs[name]), name  # type: ignore[attr-defined]
    assert np.array_equal(a.data.closure_day, b.data.closure_day)  # type: ignore[attr-defined]


def test_the_scenario_alone_is_what_simulate_gives(tiny: Scenario, plan: Plan) -> None:
    """One variant `[]` lays out its draws as `simulate` does: bit-identical outcomes."""
    (alone,) = simulate_variant_results(tiny, plan, [[]], runs=300, seed=4)
    _same(alone, simulate(tiny, plan, runs=300, seed=4))
    assert alone.meta.scenario_hash == tiny.content_hash()


def test_common_random_numbers_as_simulate_variants(tiny: Scenario, plan: Plan) -> None:
    """Each variant's per-run outcomes equal those `simulate_variants` gives the same set."""
    results = simulate_variant_results(tiny, plan, VARIANTS, runs=200, seed=9)
    runs = simulate_variants(tiny, plan, VARIANTS, runs=200, seed=9)
    for i, result in enumerate(results):
        assert np.array_equal(result.data.runs["killed"], runs.killed[i])
        assert np.array_equal(result.data.runs["completion_day"], runs.completion_day[i])
    # a variant's scenario is the overridden one
    assert results[1].meta.scenario_hash != tiny.content_hash()


def test_more_room_keeps_pairs_paired(tiny: Scenario, plan: Plan) -> None:
    """Under a roomier layout a variant run alone equals the same variant run with others:
    the workbench simulates its baseline once and each what-if on its own."""
    sim = VariantSimulator(tiny, plan)
    prepared = [sim.prepare(v) for v in VARIANTS]
    need = sim.layout(prepared)
    room = Layout(need.n_movements, need.incident_slots + 40, need.kernel_spare + 100)
    together = sim.run(prepared, runs=150, seed=2, room=room)
    for i, p in enumerate(prepared):
        _same(sim.run([p], runs=150, seed=2, room=room)[0], together[i])
    # a layout with too little room is not used: the variants' own is
    small = Layout(need.n_movements, 1, 1)
    _same(
        sim.run(prepared[:1], runs=50, seed=2, room=small)[0], simulate(tiny, plan, runs=50, seed=2)
    )


def test_a_changed_scenario_is_a_variant_too(tiny: Scenario, plan: Plan) -> None:
    """A changed copy of the scenario (e.g. an added event) runs under the same plan."""
    changed = tiny.replace(manifest=tiny.manifest.model_copy(update={"name": "other"}))
    a, b = simulate_variant_results(tiny, plan, [[], changed], runs=100, seed=1)
    _same(a, b)
    assert b.meta.scenario_name == "other"


def test_runs_shared_among_processes_give_the_same_results(tiny: Scenario, plan: Plan) -> None:
    """Two worker processes resolving each variant's runs in shares give, bit for bit, the
    outcomes and summaries of one process (the workbench's `--sim-workers`)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    sim = VariantSimulator(tiny, plan)
    prepared = [sim.prepare(v) for v in VARIANTS]
    alone = sim.run(prepared, runs=300, seed=5)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        shared = sim.run(prepared, runs=300, seed=5, pool=pool, parts=2)
    for a, b in zip(alone, shared, strict=True):
        _same(a, b)
        assert a.summary() == b.summary()
        assert a.closure_quantiles().equals(b.closure_quantiles())


def test_streamed_summaries_are_those_of_the_kept_runs(tiny: Scenario, plan: Plan) -> None:
    """A variant's result keeps the summaries streamed block by block: the same as those
    computed afresh from its kept runs (what `SimulationResult` does without them)."""
    from drawdown.simulate.result import SimulationResult

    sim = VariantSimulator(tiny, plan)
    (streamed,) = sim.run([sim.prepare(VARIANTS[2])], runs=700, seed=3)
    afresh = SimulationResult(streamed.meta, streamed.data)
    assert streamed.summary() == afresh.summary()
    assert streamed.summary_record() == afresh.summary_record()
    a, b = streamed.summaries, afresh.summaries
    assert np.array_equal(a.uncovered_hist, b.uncovered_hist)
    assert np.array_equal(a.moments.total, b.moments.total)
    assert np.array_equal(a.moments.m2, b.moments.m2)
    for name, tally in a.tallies.items():
        assert np.array_equal(tally.keys, b.tallies[name].keys), name
        assert np.array_equal(tally.counts, b.tallies[name].counts), name


def test_uniforms_generated_only_as_far_as_runs_read_them(tiny: Scenario, plan: Plan) -> None:
    """Blocks resolved with only the first few spare uniforms (resolved again in full where a
    run reads past them) give every outcome of the whole layout, bit for bit; the uniforms
    given are the layout's own."""
    from drawdown.simulate.disruptions import uniform_prefixes, uniforms
    from drawdown.simulate.variant_results import resolve_blocks

    sim = VariantSimulator(tiny, plan)
    c = sim.prepare(VARIANTS[2])[1]
    need = sim.layout([sim.prepare(VARIANTS[2])])
    layout = Layout(need.n_movements, need.incident_slots + 5, need.kernel_spare + 300)
    width = layout.kernel_start + 7
    assert np.array_equal(
        uniform_prefixes(8, 5, 40, layout, width), uniforms(8, 5, 40, layout)[:, :width]
    )
    blocks = [(0, 64), (64, 100), (100, 250)]
    whole = resolve_blocks(c, layout, 8, blocks, prefix_spare=layout.kernel_spare)
    read = np.concatenate([out.spare_end for out in whole]) - layout.kernel_start
    assert read.min() < read.max()  # some blocks fit a short prefix and some do not
    for prefix in (0, int(read.min()), int(np.median(read)), int(read.max())):
        for a, b in zip(
            resolve_blocks(c, layout, 8, blocks, prefix_spare=prefix), whole, strict=True
        ):
            for name, x, y in zip(a._fields, a, b, strict=True):
                assert np.array_equal(x, y), (prefix, name)


@pytest.mark.parametrize("parts", [2, 3])
def test_runs_shared_among_threads_give_the_same_results(
    tiny: Scenario, plan: Plan, parts: int
) -> None:
    """Threads taking each block as a task of its own (the workbench's `--sim-workers`), the
    blocks collected while the others are resolved, give the outcomes and summaries of one
    thread bit for bit, whatever the number of threads."""
    from concurrent.futures import ThreadPoolExecutor

    sim = VariantSimulator(tiny, plan)
    prepared = [sim.prepare(v) for v in VARIANTS]
    alone = sim.run(prepared, runs=300, seed=5)
    with ThreadPoolExecutor(parts) as pool:
        shared = sim.run(prepared, runs=300, seed=5, pool=pool, parts=parts)
    for a, b in zip(alone, shared, strict=True):
        _same(a, b)
        assert a.summary() == b.summary()
        assert np.array_equal(a.data.fan_hist, b.data.fan_hist)
        assert np.array_equal(a.summaries.uncovered_hist, b.summaries.uncovered_hist)
