"""Parameter overrides: names, values, and refusals that list the valid names."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import drawdown
from drawdown.errors import InputError
from drawdown.scenario.model import Scenario
from drawdown.scenario.overrides import (
    apply_overrides,
    check_uncertainties,
    parse_override,
    uncertainty_override,
)


@pytest.mark.parametrize(
    "text", ["foo.bar=1", "clearance.road.approvl=0.5", "trucks.nope.count=3", "policy.nap=1"]
)
def test_unknown_names_refused_with_valid_names(tiny: Scenario, text: str) -> None:
    """An unknown parameter is refused, and the message lists the valid names."""
    with pytest.raises(InputError) as caught:
        apply_overrides(tiny, [text])
    hint = caught.value.errors[0].hint
    assert "valid names" in hint and "clearance.<" in hint and "threat.<" in hint
    assert "trucks.<*|cargo-trucks|troop-trucks>" in hint


def test_absolute_and_multiplier_change_matching_rows_only(tiny: Scenario) -> None:
    """=V sets every matching row, =*F multiplies each row's own value; others unchanged."""
    changed = apply_overrides(tiny, ["clearance.road.approval=0.5", "threat.ied.rate=*2"])
    road = [c for c in changed.clearances if c.mode == "road"]
    air = [c for c in changed.clearances if c.mode == "air"]
    assert all(c.approval == 0.5 for c in road)
    assert [c.approval for c in air] == [c.approval for c in tiny.clearances if c.mode == "air"]
    for old, new in zip(tiny.threats, changed.threats, strict=True):
        assert new.rate == (2 * old.rate if old.kind == "ied" else old.rate)
    assert tiny.clearances[0].approval == 0.9  # the original never changes


def test_short_forms_manifest_and_dates(tiny: Scenario) -> None:
    """trucks.count, speed.wet, policy, deadline, rainy months and event dates all apply."""
    s = apply_overrides(
        tiny,
        [
            "trucks.count=*2",
            "speed.wet=*0.5",
            "escort.north.convoys_per_day=3",
            "policy.max_retries=1",
            "deadline=2023-08-15",
            "calendar.rainy_months=6-9",
            "event.bravo-leaves.date=2023-07-20",
        ],
    )
    assert [t.count for t in s.trucks] == [2 * t.count for t in tiny.trucks]
    road = [link for link in s.links if link.mode == "road"]
    assert [x.wet_km_per_day for x in road] == [
        0.5 * x.wet_km_per_day for x in tiny.links if x.mode == "road"
    ]
    assert [e.convoys_per_day for e in s.escorts if e.corridor == "north"] == [3]
    assert s.manifest.policy.max_retries == 1
    assert s.manifest.deadline == dt.date(2023, 8, 15)
    assert s.rainy_months == {6, 7, 8, 9}
    assert s.events[0].date == dt.date(2023, 7, 20)
    first = apply_overrides(tiny, ["calendar.rainy_months.first=6"])
    assert first.rainy_months == {6, 7, 8}


@pytest.mark.parametrize(
    "text", ["clearance.road.approval=1.5", "deadline=soon", "threat.ied.rate", "trucks.count=*x"]
)
def test_bad_values_refused(tiny: Scenario, text: str) -> None:
    """Values the scenario cannot take, or unreadable ones, are input errors naming --set."""
    with pytest.raises(InputError) as caught:
        apply_overrides(tiny, [text])
    assert caught.value.errors[0].file == "--set"


@pytest.mark.parametrize("name", ["tiny", "minusma-2023"])
def test_every_declared_uncertainty_is_understood(name: str, tiny: Scenario) -> None:
    """Each uncertainty a scenario declares resolves and applies at both ends of its range."""
    scenario = tiny if name == "tiny" else drawdown.load_scenario(name)
    assert check_uncertainties(scenario) == []
    assert scenario.manifest.uncertainties
    for u in scenario.manifest.uncertainties:
        ends = [
            apply_overrides(scenario, [uncertainty_override(u, value, scenario)])
            for value in (u.low, u.high)
        ]
        assert ends[0] != ends[1], u.parameter


def test_parse_gives_canonical_names(tiny: Scenario) -> None:
    """Aliases and short forms are stored under one canonical name."""
    assert parse_override("speed.wet=*0.8", tiny).name == "link.road.wet_km_per_day"
    assert parse_override("trucks.count=5", tiny).name == "trucks.*.count"
    assert str(parse_override("threat.ied.rate=*1.5", tiny)) == "threat.ied.rate=*1.5"


def test_a_clearance_is_changed_by_mode_and_region_together() -> None:
    """`clearance.road:north.approval` changes the road rows of the north region and no
    other row; a pair no row has is refused."""
    s = drawdown.load_scenario("minusma-2023")
    changed = apply_overrides(s, ["clearance.road:north.approval=0.25"])
    for old, new in zip(s.clearances, changed.clearances, strict=True):
        hit = (old.mode, old.region) == ("road", "north")
        assert new.approval == (0.25 if hit else old.approval)
    assert sum(c.approval == 0.25 for c in changed.clearances) == 1
    with pytest.raises(InputError):
        apply_overrides(s, ["clearance.river:north.approval=0.5"])


def test_a_mode_and_region_clearance_is_patched_as_compiled(tiny: Scenario) -> None:
    """The stress test's variant compiler patches a clearance named by mode and region
    (`road:*` on the tiny case) as a full compile of the overridden scenario does."""
    import numpy as np

    from drawdown.plan import greedy_plan
    from drawdown.simulate.inputs import compile_inputs
    from drawdown.simulate.variants import VariantCompiler

    plan = greedy_plan(tiny)
    overrides = [parse_override("clearance.road:*.approval=0.4", tiny)]
    fast, _ = VariantCompiler(tiny, plan).compile_variant(overrides)
    full = compile_inputs(apply_overrides(tiny, overrides), plan)
    assert not np.allclose(full.mv_approval, compile_inputs(tiny, plan).mv_approval)
    for field in dataclasses.fields(full):
        a, b = getattr(fast, field.name), getattr(full, field.name)
        if isinstance(b, np.ndarray):
            assert a.shape == b.shape and np.allclose(a, b), field.name


def test_closure_work_rates_are_parameters(tiny: Scenario) -> None:
    """`closure.<rate>` changes a scenario's closure work (absolute or as a factor); a scenario
    without a `closure:` section refuses it and says why."""
    from drawdown.scenario.model import ClosureWork

    work = tiny.replace(manifest=tiny.manifest.model_copy(update={"closure": ClosureWork()}))
    slower = apply_overrides(work, ["closure.teu_packed_per_person_day=*0.5"])
    assert slower.manifest.closure is not None
    assert slower.manifest.closure.teu_packed_per_person_day == pytest.approx(0.0165)
    wider = apply_overrides(work, ["closure.packing_factor_low=0.8"])
    assert wider.manifest.closure is not None and wider.manifest.closure.packing_factor_low == 0.8
    with pytest.raises(InputError) as caught:
        apply_overrides(tiny, ["closure.final_steps_days=3"])
    assert "no `closure:` section" in caught.value.errors[0].message
    with pytest.raises(InputError):  # the factors must stay in order
        apply_overrides(work, ["closure.packing_factor_low=2"])


def test_settings_that_must_agree_move_together(tiny: Scenario) -> None:
    """Manifest settings given one after another are checked once all are set, so the plan's
    final steps and the range a run draws them from (or the two packing factors) move in two
    overrides; either alone outside the other is refused, naming both ends. An empty end of
    the range is the plan's days, so it can be multiplied."""
    from drawdown.scenario.model import ClosureWork

    closure = ClosureWork(final_steps_days=7, final_steps_days_low=5, final_steps_days_high=10)
    work = tiny.replace(manifest=tiny.manifest.model_copy(update={"closure": closure}))
    longer = apply_overrides(
        work, ["closure.final_steps_days=12", "closure.final_steps_days_high=14"]
    )
    assert longer.manifest.closure is not None
    assert longer.manifest.closure.final_steps_range == (5, 14)
    assert longer.manifest.closure.final_steps_days == 12
    faster = apply_overrides(
        work, ["closure.packing_factor_high=2", "closure.packing_factor_low=1.5"]
    )
    assert faster.manifest.closure is not None and faster.manifest.closure.packing_factor_low == 1.5
    with pytest.raises(InputError) as caught:
        apply_overrides(work, ["closure.final_steps_days=12"])
    assert "final_steps_days_low 5 to final_steps_days_high 10" in caught.value.errors[0].message
    plain = tiny.replace(manifest=tiny.manifest.model_copy(update={"closure": ClosureWork()}))
    wider = apply_overrides(plain, ["closure.final_steps_days_high=*2"])
    assert wider.manifest.closure is not None
    assert wider.manifest.closure.final_steps_range == (7, 14)


def test_an_owners_rule_is_a_yes_or_no_what_if() -> None:
    """`contingents.<id|*>.handover_allowed=yes` lets a contingent hand over its stores (a
    planner's what-if: what if the contributors agreed?); a factor or a number other than
    0 or 1 is refused with the form to use."""
    minusma = drawdown.load_scenario("minusma-2023")
    assert not any(c.handover_allowed for c in minusma.contingents)
    chad = apply_overrides(minusma, ["contingents.chad.handover_allowed=yes"])
    assert [c.id for c in chad.contingents if c.handover_allowed] == ["chad"]
    every = apply_overrides(minusma, ["contingents.handover_allowed=1"])
    assert all(c.handover_allowed for c in every.contingents)
    stores = next(
        h
        for h in minusma.holdings
        if h.site == "kidal" and h.contingent == "chad" and not h.sensitive
    )
    assert not minusma.may_hand_over(stores) and chad.may_hand_over(stores)
    for text in ("contingents.chad.handover_allowed=*2", "contingents.chad.handover_allowed=0.5"):
        with pytest.raises(InputError) as caught:
            apply_overrides(minusma, [text])
        assert "yes or no" in caught.value.errors[0].message
