"""Binding constraints read from the plan: which daily limits it reaches, and when."""

from __future__ import annotations

from drawdown.plan.model import Plan
from drawdown.report.constraints import binding_capacities, explain, planner_notes
from drawdown.scenario.model import Scenario


def test_full_corridor_and_aircraft_days(tiny: Scenario, tiny_plan: Plan) -> None:
    """Corridor north (1 convoy a day) is full on days 1 and 4, south (2 a day) on day 8, and
    the C-130s (2 aircraft x 2 sorties) on day 12 only."""
    found = {b.what: b.days_full for b in binding_capacities(tiny, tiny_plan)}
    assert found["Escort convoys on corridor north"] == (1, 4)
    assert found["Sorties of aircraft type c130"] == (12,)
    assert found["Escort convoys on corridor south"] == (8,)


def test_planner_notes_in_words(tiny_plan: Plan) -> None:
    """The planner's own record is turned into sentences (gap, derating, stranded people)."""
    plan = Plan(
        **{
            **tiny_plan.__dict__,
            "solver": {
                "status": "optimal",
                "gap": 0.004,
                "capacity_factor": 0.9,
                "stranded_people": 120,
                "whole_convoys_gap": 0.0145,
                "laid_out": "whole convoys",
            },
        }
    )
    notes = " ".join(planner_notes(plan))
    assert "90% of nominal capacity" in notes
    assert "120 people" in notes
    assert "0.40%" in notes
    assert "in whole convoys its plan is within 1.45%" in notes


def test_explain_lists_limits_first(tiny: Scenario, tiny_plan: Plan) -> None:
    """Capacity limits come before the planner's notes, each a full sentence with dates."""
    lines = explain(tiny, tiny_plan)
    assert lines[0].startswith("Escort convoys on corridor north: full (1 a day)")
    assert "02 Jul" in lines[0]
    assert any("escort capacity on corridor north" in line for line in lines)
