"""What `plan/build.py` promises: periods, commodities, lanes and one model family each."""

from __future__ import annotations

import numpy as np

from drawdown.network import build_network
from drawdown.plan.build import build_model, make_periods, prepare, whole_convoy_lanes

from .conftest import one_base


def test_periods_cut_after_deadlines_and_never_leave_a_sliver() -> None:
    """Periods start every `period_days`, after each cut, and no short period ends the horizon."""
    starts = make_periods(30, 7, [9])
    assert starts[0] == 0 and 10 in starts
    assert (np.diff(np.append(starts, 30)) > 0).all()
    assert 28 not in make_periods(30, 7, [])  # a 2-day sliver at the end is merged


def test_prepare_holds_people_cargo_and_lanes() -> None:
    """Prepared data hold the base's people and cargo, and a lane on its road to the exit."""
    s = one_base(people=60, teu=10.0, vehicles=4, value_usd=1e5)
    data = prepare(s, build_network(s), 2)
    assert data.initial[data.commodities.index(data.people[0])].sum() == 60
    assert data.initial[data.commodities.index("teu")].sum() == 10.0
    assert data.lanes is not None and len(data.lanes.route) >= 1
    assert data.period_len.sum() == s.horizon_days


def test_model_has_one_family_per_define_function() -> None:
    """The model has the variables and constraint families the docs list, closures binary."""
    s = one_base(people=60, teu=10.0, threat_rate=1e-4)
    strategic = build_model(prepare(s, build_network(s), 2))
    m = strategic.model
    for name in ("load", "units", "convoys", "convoys_relaxed", "left", "stock", "open"):
        assert name in m.variables, name
    for name in ("payload", "convoy_trucks", "balance", "open_at_start", "min_guard"):
        assert name in m.constraints, name
    assert m.variables["open"].attrs["binary"]
    # Continuous convoys by default (relax-and-round): no integer convoy columns.
    assert not (m.variables["convoys"].labels.values >= 0).any()
    assert whole_convoy_lanes(strategic.data).any()  # threatened lanes round to whole convoys
