"""The what-if controls of a scenario: every name the page offers, in the `--set` language.

Each control is one parameter name of `drawdown.scenario.overrides` with its current value,
so what the page sends is exactly what `drawdown compare --set NAME=VALUE` reads and the
server checks it with the same code. Groups: the declared uncertainties, the policy knobs,
asset counts, host clearance by mode, by region and by mode in a region, the calendar and
the dated events (an event's dates, or a new event of a known kind).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import asdict, dataclass
from typing import Any

from drawdown.scenario.days import MODES
from drawdown.scenario.kinds import ANY_MODE, EVENT_KINDS
from drawdown.scenario.model import Scenario
from drawdown.scenario.overrides import MANIFEST_GROUPS, resolve
from drawdown.simulate.variants import NO_EFFECT


@dataclass(frozen=True)
class Control:
    """One what-if input: a parameter name and what the page shows beside it."""

    group: str
    name: str  # the `--set` name
    label: str
    current: str  # the scenario's value, as text ("0.9", "2023-12-31", "mean 0.87")
    kind: str  # "number", "factor" (an uncertainty on the multiplier scale), "date", "text"
    low: float | None = None
    high: float | None = None
    note: str = ""  # e.g. the source of a declared range, or "re-plan only"


def _num(x: float) -> str:
    return f"{x:g}"


def _mean(values: list[float]) -> str:
    if not values:
        return ""
    if len(set(values)) == 1:
        return _num(values[0])
    return f"mean {_num(statistics.fmean(values))}"


def _replan_note(prefix: str, field: str) -> str:
    # a fixed plan's execution never reads these: Simulate shows no change, Re-plan does
    return "re-plan only" if f"{prefix}.{field}" in NO_EFFECT else ""


def current(s: Scenario, name: str) -> str:
    """A parameter's value in `s` as text: the rows' value (or their mean), or the setting."""
    target = resolve(name, s)
    fam = target.family
    if fam is None:
        if name.startswith("calendar.rainy_months."):
            months = sorted(s.manifest.calendar.rainy_months)
            return "" if not months else str(months[0] if name.endswith("first") else months[-1])
        group, _, field = name.partition(".")
        value = getattr(getattr(s.manifest, group), field) if field else getattr(s.manifest, group)
        return _value(value)
    rows = [
        r
        for r in getattr(s, fam.attribute)
        if target.selector == "*" or target.selector in fam.selectors(r)
    ]
    return _mean([float(getattr(r, target.field) or 0.0) for r in rows])


def uncertainty_controls(s: Scenario) -> list[Control]:
    out = []
    for u in s.manifest.uncertainties:
        factor = u.scale == "multiplier"
        out.append(
            Control(
                "Declared uncertainties",
                u.parameter,
                u.parameter + (" (factor)" if factor else ""),
                "1" if factor else current(s, u.parameter),
                "factor" if factor else "number",
                u.low,
                u.high,
                f"declared range {_num(u.low)}–{_num(u.high)}; {u.source}".strip("; "),
            )
        )
    return out


def policy_controls(s: Scenario) -> list[Control]:
    policy = s.manifest.policy
    return [
        Control("Policy", f"policy.{f}", f.replace("_", " "), _value(getattr(policy, f)), "number")
        for f in MANIFEST_GROUPS["policy"]
    ]


def closure_controls(s: Scenario) -> list[Control]:
    """The closure-work rates, for a scenario that models closure work (none otherwise)."""
    work = s.manifest.closure
    if work is None:
        return []
    # an end of the final steps' range left blank is the plan's days
    low, high = work.final_steps_range
    shown = {"final_steps_days_low": low, "final_steps_days_high": high}
    return [
        Control(
            "Closure work",
            f"closure.{f}",
            f.replace("_", " "),
            _value(shown.get(f, getattr(work, f))),
            "number",
        )
        for f in MANIFEST_GROUPS["closure"]
    ]


def _value(x: Any) -> str:
    if isinstance(x, bool):
        return "1" if x else "0"
    return _num(x) if isinstance(x, int | float) else str(x)


def asset_controls(s: Scenario) -> list[Control]:
    out = []
    for t in s.trucks:
        out.append(
            Control("Assets", f"trucks.{t.id}.count", f"{t.id} trucks", str(t.count), "number")
        )
    for a in s.aircraft:
        out.append(
            Control("Assets", f"aircraft.{a.id}.count", f"{a.id} aircraft", str(a.count), "number")
        )
        out.append(
            Control(
                "Assets",
                f"aircraft.{a.id}.sorties_per_day",
                f"{a.id} sorties a day",
                _num(a.sorties_per_day),
                "number",
                note=_replan_note("aircraft", "sorties_per_day"),
            )
        )
    for e in s.escorts:
        out.append(
            Control(
                "Assets",
                f"escort.{e.id}.convoys_per_day",
                f"{e.corridor} escorts: convoys a day",
                _num(e.convoys_per_day),
                "number",
                note=_replan_note("escort", "convoys_per_day"),
            )
        )
        out.append(
            Control(
                "Assets",
                f"escort.{e.id}.trucks_per_convoy",
                f"{e.corridor} escorts: trucks a convoy",
                str(e.trucks_per_convoy),
                "number",
            )
        )
    return out


def clearance_controls(s: Scenario) -> list[Control]:
    """Approval and mean delay for each mode, each region, and each mode in each region
    (`clearance.road:north.approval`): the override names of the clearance rows."""
    out = []
    concrete = [c for c in s.clearances if c.mode not in ("*", "") and c.region not in ("*", "")]
    modes = sorted({c.mode for c in s.clearances} - {"*", ""})
    regions = sorted({c.region for c in s.clearances} - {"*", ""})
    pairs = sorted({f"{c.mode}:{c.region}" for c in concrete})
    for by, keys in (("mode", modes), ("region", regions), ("mode and region", pairs)):
        for key in keys:
            rows = [c for c in s.clearances if key in (c.mode, c.region, f"{c.mode}:{c.region}")]
            for field, label, high in (
                ("approval", "approval", 1.0),
                ("delay_mean_days", "mean delay (days)", None),
            ):
                out.append(
                    Control(
                        f"Clearance by {by}",
                        f"clearance.{key}.{field}",
                        f"{key.replace(':', ' in ')}: {label}",
                        _mean([float(getattr(c, field)) for c in rows]),
                        "number",
                        0.0,
                        high,
                    )
                )
    return out


def calendar_controls(s: Scenario) -> list[Control]:
    m = s.manifest
    months = sorted(m.calendar.rainy_months)
    return [
        Control("Calendar", "deadline", "deadline", m.deadline.isoformat(), "date"),
        Control(
            "Calendar",
            "calendar.rainy_months",
            "rainy months (e.g. 6-9)",
            f"{months[0]}-{months[-1]}" if months else "",
            "text",
        ),
    ]


def event_controls(s: Scenario) -> list[Control]:
    out = []
    for e in s.events:
        out.append(
            Control(
                "Dated events", f"event.{e.id}.date", f"{e.id}: date", e.date.isoformat(), "date"
            )
        )
        if e.end_date is not None or e.kind != "contingent_departs":
            end = e.end_date.isoformat() if e.end_date else ""
            out.append(
                Control("Dated events", f"event.{e.id}.end_date", f"{e.id}: end date", end, "date")
            )
    return out


def event_targets(s: Scenario) -> dict[str, list[str]]:
    """For a new event of each kind, what its target may name (as scenario validation checks)."""
    contingents = sorted({u.contingent for u in s.units} | {h.contingent for h in s.holdings})
    pools = {
        "link": sorted(link.id for link in s.links),
        "corridor": sorted({e.corridor for e in s.escorts} | {x.corridor for x in s.links} - {""}),
        "contingent": contingents,
        "mode": [*MODES, ANY_MODE],
    }
    return {k.name: pools[k.target] for k in EVENT_KINDS}


def controls(s: Scenario) -> list[Control]:
    """Every what-if control of `s`, grouped, in page order."""
    return [
        *uncertainty_controls(s),
        *clearance_controls(s),
        *asset_controls(s),
        *policy_controls(s),
        *closure_controls(s),
        *calendar_controls(s),
        *event_controls(s),
    ]


def controls_json(s: Scenario) -> dict[str, Any]:
    """The controls and the new-event form, as the page reads them."""
    return {
        "controls": [asdict(c) for c in controls(s)],
        "event_kinds": [{"name": k.name, "effect": k.effect} for k in EVENT_KINDS],
        "event_targets": event_targets(s),
        "start_date": s.manifest.start_date.isoformat(),
        "deadline": s.manifest.deadline.isoformat(),
        "today": dt.date.today().isoformat(),
    }
