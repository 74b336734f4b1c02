"""What the report reads from the plan's withdrawal tables: closure work, lift use and units.

The names are the data contract's: `Plan.closure_work` rows (site, pack_start_day,
packed_by_day, final_steps_start_day, handover_day, closure_day, binding), `Plan.lift_use`
rows (lift_id, site, day, seats_used, seats_available, teu_crossed, vehicles_crossed) and
`Movement.unit`. A plan made before the planner wrote them has none of them: None here, and
the figures and sections that show them say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from drawdown.plan.model import Plan
from drawdown.report.scenario_data import short_name
from drawdown.scenario.model import Scenario

CLOSURE_WORK_COLUMNS = (
    "site",
    "pack_start_day",
    "packed_by_day",
    "final_steps_start_day",
    "handover_day",
    "closure_day",
    "binding",
)
LIFT_USE_COLUMNS = (
    "lift_id",
    "site",
    "day",
    "seats_used",
    "seats_available",
    "teu_crossed",
    "vehicles_crossed",
)
# What holds a site's closure back in the plan, in a planner's words.
BINDING_WORDS = {
    "packing": "packing (people and handling at the site)",
    "lift": "strategic lift (seats or corridor throughput)",
    "trucks": "trucks",
    "escorts": "escorts",
    "clearance": "host clearances",
    "residual_task": "a residual task of the mandate",
    "support": "a site it supports is still open",
    "none": "nothing binds",
}
# Team sites first, then hubs, then the HQ: the order in which a mission closes them.
ROLE_ORDER = {"team": 0, "": 0, "hub": 1, "hq": 2}
ROLE_LABEL = {"hq": "HQ", "hub": "hub", "team": "team site", "": ""}


def _value(row: Any, column: str) -> Any:
    return row.get(column) if isinstance(row, dict) else getattr(row, column, None)


def _frame(rows: Iterable[Any] | None, columns: tuple[str, ...]) -> pd.DataFrame | None:
    rows = list(rows or ())
    if not rows:
        return None
    return pd.DataFrame([{c: _value(r, c) for c in columns} for r in rows], columns=columns)


def closure_work_frame(plan: Plan) -> pd.DataFrame | None:
    """The plan's closure work per site (index site), None when the plan has none."""
    frame = _frame(getattr(plan, "closure_work", None), CLOSURE_WORK_COLUMNS)
    if frame is None:
        return None
    frame["binding"] = frame["binding"].fillna("").astype(str)
    return frame.set_index("site")


def lift_use_frame(plan: Plan) -> pd.DataFrame | None:
    """The plan's lift use per lift row and day, None when the plan has none."""
    frame = _frame(getattr(plan, "lift_use", None), LIFT_USE_COLUMNS)
    if frame is None:
        return None
    numbers = [c for c in LIFT_USE_COLUMNS if c not in ("lift_id", "site")]
    frame[numbers] = frame[numbers].apply(pd.to_numeric, errors="coerce").fillna(0.0)
    return frame


def unit_last_out_by_plan(scenario: Scenario, plan: Plan) -> dict[str, float] | None:
    """Day each unit's last people reach an exit in the plan (NaN: the plan never moves them
    out); None when the plan's movements carry no unit."""
    if not any(getattr(m, "unit", "") for m in plan.movements):
        return None
    exits = {s.id for s in scenario.sites if s.kind == "exit" and s.exit_for in ("people", "all")}
    last: dict[str, float] = {u.id: np.nan for u in scenario.units}
    for m in plan.movements:
        unit = getattr(m, "unit", "")
        if unit and m.people > 0 and m.destination in exits:
            last[unit] = float(np.nanmax([last.get(unit, np.nan), m.arrival_day]))
    return last


def day_or_never(day: object) -> float:
    """A day of a plan table as a float, inf when blank (to sort 'never' last)."""
    value = pd.to_numeric(day, errors="coerce")
    return float("inf") if pd.isna(value) else float(value)


def role_of(scenario: Scenario) -> dict[str, str]:
    """Each site's role (hq, hub, team or "")."""
    return {s.id: s.role for s in scenario.sites}


def site_binding(scenario: Scenario, plan: Plan) -> pd.DataFrame | None:
    """What binds each site's closure in the plan, with its closure-work dates, HQ last."""
    work = closure_work_frame(plan)
    if work is None:
        return None
    roles = role_of(scenario)
    names = {s.id: short_name(s.name) for s in scenario.sites}

    def date(day: object) -> str:
        value = pd.to_numeric(day, errors="coerce")
        return "–" if pd.isna(value) else f"{scenario.date_of(int(value)):%d %b %Y}"

    order = sorted(
        work.index,
        key=lambda s: (
            ROLE_ORDER.get(roles.get(s, ""), 0),
            day_or_never(work.at[s, "closure_day"]),
            s,
        ),
    )
    return pd.DataFrame(
        [
            {
                "site": names.get(s, s),
                "role": ROLE_LABEL.get(roles.get(s, ""), ""),
                "packing starts": date(work.at[s, "pack_start_day"]),
                "packed by": date(work.at[s, "packed_by_day"]),
                "final steps from": date(work.at[s, "final_steps_start_day"]),
                "handover": date(work.at[s, "handover_day"]),
                "closes": date(work.at[s, "closure_day"]),
                "what binds its closure": BINDING_WORDS.get(
                    work.at[s, "binding"], work.at[s, "binding"] or "not recorded"
                ),
            }
            for s in order
        ]
    )
