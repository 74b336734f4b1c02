"""The plan's withdrawal tables as the report reads them: closure work, lift use, units, and
which resource binds each site in the plan section."""

from __future__ import annotations

import math

from drawdown.plan.model import Plan
from drawdown.report.content import report_content
from drawdown.report.data import SimulationViews
from drawdown.report.figure_data import CARGO_OUTCOMES
from drawdown.report.plan_tables import (
    BINDING_WORDS,
    closure_work_frame,
    lift_use_frame,
    site_binding,
    unit_last_out_by_plan,
)
from drawdown.report.scenario_data import movements_frame
from drawdown.scenario import kinds
from drawdown.scenario.model import Scenario


def test_a_plan_without_the_tables_has_none(tiny: Scenario, tiny_plan: Plan) -> None:
    """A plan made before the planner wrote them gives None for each table, not an error."""
    assert closure_work_frame(tiny_plan) is None
    assert lift_use_frame(tiny_plan) is None
    assert unit_last_out_by_plan(tiny, tiny_plan) is None
    assert site_binding(tiny, tiny_plan) is None
    assert "unit" not in movements_frame(tiny, tiny_plan).columns


def test_which_resource_binds_each_site(withdrawal_run) -> None:  # type: ignore[no-untyped-def]
    """One row per site of the closure-work table, team sites first and the HQ last, with
    its closure-work dates and the binding resource in a planner's words."""
    run = withdrawal_run
    table = site_binding(run.scenario, run.plan)
    assert table is not None
    order = [site for site, _day in run.plan.closure_order()]
    assert list(table["site"]) == [run.scenario.site(s).name for s in order]
    assert order[-1] == "hub" and list(table["role"]) == ["team site", "team site", "HQ"]
    rows = {r.site: r for r in run.plan.closure_work}
    assert table.iloc[-1]["what binds its closure"] == BINDING_WORDS[rows["hub"].binding]
    closes = run.scenario.date_of(rows[order[0]].closure_day)
    assert table.iloc[0]["closes"] == f"{closes:%d %b %Y}"


def test_the_plan_section_shows_the_binding_table(
    withdrawal_run, tiny: Scenario, tiny_plan: Plan, tiny_views: SimulationViews
) -> None:  # type: ignore[no-untyped-def]
    """The report's content carries the table and a sentence saying where it comes from;
    without a closure-work table it says that this is not available."""
    run = withdrawal_run
    content = report_content(run.scenario, run.plan, tiny_views)
    assert content.site_binding is not None and len(content.site_binding) == 3
    assert "closure-work table" in content.site_binding_note
    older = report_content(tiny, tiny_plan, tiny_views)
    assert older.site_binding is None
    assert older.site_binding_note.startswith("Which resource binds each site is not available")


def test_movements_show_their_unit(withdrawal_run) -> None:  # type: ignore[no-untyped-def]
    """Movements that carry a unit add a unit column to the movements table."""
    frame = movements_frame(withdrawal_run.scenario, withdrawal_run.plan)
    units = {u.id for u in withdrawal_run.scenario.units}
    assert set(frame["unit"]) - {""} <= units and set(frame["unit"]) - {""}


def test_planned_last_out_is_the_last_people_arrival_at_an_exit(withdrawal_run) -> None:  # type: ignore[no-untyped-def]
    """A unit's planned last-out day is the arrival day of its last people movement at an
    exit; a unit the plan never moves out has none (NaN)."""
    run = withdrawal_run
    last = unit_last_out_by_plan(run.scenario, run.plan)
    assert last is not None and set(last) == {u.id for u in run.scenario.units}
    for unit, day in last.items():
        arrivals = [m.arrival_day for m in run.plan.movements if m.unit == unit and m.people]
        assert day == max(arrivals) if arrivals else math.isnan(day), unit


def test_the_report_words_every_cargo_outcome_of_the_registry() -> None:
    """Each cargo outcome of the kinds registry has its place in the report's outcomes (the
    simulation's `shipped` is the report's `repatriated`), and abandoned is among them."""
    named = {"shipped": "repatriated"}
    assert {named.get(o, o) for o in kinds.CARGO_OUTCOMES} <= set(CARGO_OUTCOMES)
    assert "abandoned" in CARGO_OUTCOMES
