"""The plan: a decision, immutable and serialisable.

A plan says when each base and hub closes, which movements happen on which day (one row per
leg on one link), and what becomes of the cargo that does not leave (disposition). It is made
by the optimiser or the greedy baseline and read by the simulation and the report.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from drawdown.plan.record import SolverRecord

Fate = Literal["repatriate", "hand_over", "destroy"]


@dataclass(frozen=True)
class Movement:
    """One leg: `convoys` convoys (road/river) or sorties (air) over one link on one day.

    `day` is the departure day index (0 = scenario start), `arrival_day` the day the load is
    available at `destination` (same day for air). Multi-leg routes are chained movements.
    """

    day: int
    arrival_day: int
    origin: str
    destination: str
    link: str
    mode: Literal["road", "air", "river"]
    asset: str  # truck pool id for road/river, aircraft type id for air
    convoys: int  # convoys (road/river) or sorties (air)
    people: int
    containers_teu: float
    vehicles: int
    route: str = ""  # sites of the whole route this leg belongs to, e.g. "tessalit>aguelhok>gao"
    # The unit whose people and equipment this row moves ("" for a mixed load). A load shared
    # by units is one row per unit when its convoys can be shared so that each row's load
    # fits its own convoys; otherwise one mixed row.
    unit: str = ""


@dataclass(frozen=True)
class Disposition:
    """What becomes of one site's holdings of one cargo class."""

    site: str
    cargo_class: str
    sensitive: bool
    fate: Fate
    containers_teu: float
    vehicles: int
    value_usd: float
    owner: str = ""  # coe | un: who decides what becomes of it
    # FR 5.14 disposal group of what stays: hand_over | sell | write_off ("" when repatriated).
    group: str = ""


Binding = Literal[
    "packing", "lift", "trucks", "escorts", "clearance", "residual_task", "support", "none"
]


@dataclass(frozen=True)
class ClosureWorkRow:
    """How one base or hub closes: packing, the last load, the final steps and the handover.

    Day indices: packing from `pack_start_day` to `packed_by_day` (labour x people present,
    capped per site), the final steps (inventory, environmental clearance) start on
    `final_steps_start_day`, after the last load and timed to end as the guard leaves, the
    host accepts the handover on `handover_day`, and the site is closed, its last people
    gone, on `closure_day`. `binding` names what set the closure day. The stress test starts
    the final steps no earlier than the plan does, and a run whose handover comes sooner than
    planned lets the last guard go then (`simulate.inputs.earliest_days`).
    """

    site: str
    pack_start_day: int
    packed_by_day: int
    final_steps_start_day: int
    handover_day: int
    closure_day: int
    binding: Binding = "none"


@dataclass(frozen=True)
class LiftUseRow:
    """Strategic lift used on one day: seats on the charters from an exit, cargo crossing a
    corridor's end (counted on the day it has crossed, after the border delay)."""

    lift_id: str
    site: str
    day: int
    seats_used: int
    seats_available: float
    teu_crossed: float
    vehicles_crossed: int


@dataclass(frozen=True)
class Plan:
    """A withdrawal plan for one scenario.

    `closure_day` maps every base and hub to the day index on which it closes (its last
    people leave); `objective` holds each weighted term of the objective and `total`.
    `solver` records how the plan was made (`SolverRecord`: layout, gaps, work); a plain
    dict given there is read as `SolverRecord.from_dict`.
    """

    scenario_name: str
    scenario_hash: str
    horizon_days: int
    closure_day: dict[str, int]
    movements: tuple[Movement, ...]
    dispositions: tuple[Disposition, ...]
    objective: dict[str, float] = field(default_factory=dict)
    solver: SolverRecord = field(default_factory=SolverRecord)
    method: str = "optimised"  # or "greedy"
    figures: dict[str, float] = field(default_factory=dict)  # raw figures behind the terms
    closure_work: tuple[ClosureWorkRow, ...] = ()
    lift_use: tuple[LiftUseRow, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.solver, dict):
            object.__setattr__(self, "solver", SolverRecord.from_dict(self.solver))

    def content_hash(self) -> str:
        """SHA-256 of what the plan decides (closures, movements, dispositions, for which
        scenario): identifies the plan in simulation and analysis results. How it was made
        (`solver`) and its scores are not part of it."""
        decided: dict[str, Any] = {
            "scenario_hash": self.scenario_hash,
            "horizon_days": self.horizon_days,
            "method": self.method,
            "closure_day": dict(sorted(self.closure_day.items())),
            "movements": [asdict(m) for m in self.movements],
            "dispositions": [asdict(d) for d in self.dispositions],
        }
        canonical = json.dumps(decided, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def closure_order(self) -> list[tuple[str, int]]:
        """Sites by closure day (then name): the order in which the mission closes."""
        return sorted(self.closure_day.items(), key=lambda kv: (kv[1], kv[0]))

    def binding(self) -> dict[str, str]:
        """What set each site's closure day (from `closure_work`; "none" when not known)."""
        return {r.site: r.binding for r in self.closure_work}

    def totals(self) -> dict[str, float]:
        """Mission totals: people and cargo moved out, cargo by fate, convoys and sorties."""
        out: dict[str, float] = {
            "movements": float(len(self.movements)),
            "road_convoy_legs": float(sum(m.convoys for m in self.movements if m.mode != "air")),
            "sorties": float(sum(m.convoys for m in self.movements if m.mode == "air")),
        }
        for fate in ("repatriate", "hand_over", "destroy"):
            rows = [d for d in self.dispositions if d.fate == fate]
            out[f"{fate}_teu"] = sum(d.containers_teu for d in rows)
            out[f"{fate}_vehicles"] = float(sum(d.vehicles for d in rows))
            out[f"{fate}_usd"] = sum(d.value_usd for d in rows)
        return out

    def per_site(self) -> list[dict[str, object]]:
        """One record per base and hub: closure day, departures, cargo kept and left."""
        rows: dict[str, dict[str, object]] = {
            s: {
                "site": s,
                "closure_day": d,
                "people_out": 0,
                "convoys_out": 0,
                "repatriated_usd": 0.0,
                "left_usd": 0.0,
            }
            for s, d in self.closure_day.items()
        }
        for m in self.movements:
            r = rows.get(m.origin)
            if r is not None and m.mode in ("road", "river", "air"):
                r["people_out"] = int(r["people_out"]) + m.people  # type: ignore[call-overload]
                r["convoys_out"] = int(r["convoys_out"]) + m.convoys  # type: ignore[call-overload]
        for d in self.dispositions:
            r = rows.get(d.site)
            if r is None:
                continue
            key = "repatriated_usd" if d.fate == "repatriate" else "left_usd"
            r[key] = float(r[key]) + d.value_usd  # type: ignore[arg-type]
        return [rows[s] for s, _ in self.closure_order()]

    def summary(self) -> str:
        """A few readable lines: method, closure order, totals and objective."""
        lines = [f"{self.method} plan for {self.scenario_name} ({self.horizon_days} days)"]
        order = ", ".join(f"{s} d{d}" for s, d in self.closure_order())
        lines.append(f"closure order: {order}")
        t = self.totals()
        lines.append(
            f"movements: {int(t['movements'])} legs, {int(t['road_convoy_legs'])} "
            f"convoy-legs, {int(t['sorties'])} sorties"
        )
        lines.append(
            f"cargo: repatriated {t['repatriate_teu']:.0f} TEU, handed over "
            f"{t['hand_over_teu']:.0f} TEU, destroyed {t['destroy_teu']:.0f} TEU"
        )
        for k, v in self.objective.items():
            lines.append(f"{k}: {v:,.0f}")
        return "\n".join(lines)
