"""Why a scenario cannot be planned, in the user's terms: which site, what, which resource.

Two stages. `precheck` catches the plain cases before any model is built (no trucks or
aircraft, a site with no route to an exit before the deadline). `explain` runs after the
model proves infeasible: it solves an elastic copy where people may be stranded at a heavy
penalty, names the sites that cannot be emptied and what they still hold, and puts the binding
resource in figures ("needs at least N convoys; only M before the deadline"). The elastic
model's plan is the best plan available: the one that leaves the fewest people behind.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from drawdown.errors import InputError, Problem
from drawdown.plan.build import PlanData
from drawdown.plan.errors import InfeasiblePlanError, Shortfall

if TYPE_CHECKING:
    from drawdown.plan.model import Plan

__all__ = ["InfeasiblePlanError", "explain", "precheck", "reachable_exit"]


def _people(data: PlanData) -> np.ndarray:
    return data.initial[[data.commodities.index(k) for k in data.people]].sum(axis=0)


def reachable_exit(data: PlanData) -> dict[str, bool]:
    """Whether each node can send people, directly or through hubs, to an exit in time."""
    lanes = data.lanes
    assert lanes is not None
    kinds = {s.id: s for s in data.scenario.sites}
    carries = np.zeros(len(lanes.route), dtype=bool)
    for k in data.people:
        carries |= lanes.unit_capacity[k] > 0
    ok_lane = carries & (lanes.usable_days.sum(axis=1) > 0)
    good: set[str] = set()
    changed = True
    while changed:
        changed = False
        for i in np.flatnonzero(ok_lane):
            o, d = lanes.origin[i], lanes.destination[i]
            if o in good:
                continue
            dest = kinds[d]
            if (dest.kind == "exit" and dest.exit_for in ("people", "all")) or d in good:
                good.add(o)
                changed = True
    return {n: n in good for n in data.nodes}


def _why_no_route(data: PlanData, site: str) -> str:
    sc = data.scenario
    reasons = []
    links = [lk for lk in sc.links if site in (lk.from_site, lk.to_site)]
    if not links:
        return "it has no link at all"
    trucks = sum(t.count for t in sc.trucks if t.people_each > 0)
    for lk in links:
        if lk.mode == "air":
            ends = [sc.site(lk.from_site), sc.site(lk.to_site)]
            fit = [a for a in sc.aircraft if all(a.can_use(s) for s in ends)]
            if not fit:
                reasons.append(f"{lk.id}: no aircraft type can land at both ends")
            elif not any(a.count > 0 and a.sorties_per_day > 0 and a.people_each > 0 for a in fit):
                reasons.append(f"{lk.id}: the aircraft that can fly it have no sorties or seats")
            else:
                reasons.append(f"{lk.id}: no slot or clearance on any day before the deadline")
        else:
            net = data.network
            i = net.links.ids.index(lk.id)
            open_days = int(net.links.open[i].sum())
            if open_days == 0:
                reasons.append(f"{lk.id}: closed or impassable for the whole horizon")
            elif trucks == 0:
                reasons.append(f"{lk.id}: no truck carries people")
            else:
                reasons.append(
                    f"{lk.id}: open {open_days} days, but no convoy arrives at an exit "
                    "before the deadline"
                )
    return "; ".join(reasons)


def precheck(data: PlanData) -> None:
    """Raise InputError for scenarios no model can plan, before building one."""
    sc = data.scenario
    problems: list[Problem] = []
    if not any(t.count > 0 for t in sc.trucks) and not any(
        a.count > 0 and a.sorties_per_day > 0 for a in sc.aircraft
    ):
        problems.append(
            Problem(
                "assets.csv",
                "",
                "no trucks and no aircraft sorties: nothing can move",
                "add a truck pool with count > 0 or aircraft with sorties_per_day > 0",
            )
        )
    for k in data.people:
        d = data.deadline_day[k]
        if d < 0:
            problems.append(
                Problem(
                    "events.csv",
                    "contingent_departs",
                    "a contingent must leave before the scenario starts",
                    "move the event date on or after start_date",
                )
            )
    if not problems:
        reach = reachable_exit(data)
        people = _people(data)
        for j, n in enumerate(data.nodes):
            if people[j] > 0 and not reach[n]:
                site = sc.site(n)
                problems.append(
                    Problem(
                        "links.csv",
                        f"site {n}",
                        f"{site.name} holds {people[j]:.0f} people but no route reaches an exit "
                        f"for people by {sc.manifest.deadline} ({_why_no_route(data, n)})",
                        "add a usable road, river or air link, trucks that carry people, or "
                        "aircraft sorties; or move the deadline",
                    )
                )
    if problems:
        raise InputError(problems, "the scenario cannot be planned")


def explain(data: PlanData, stranded: np.ndarray, best_plan: Plan | None) -> InfeasiblePlanError:
    """An error naming each site that cannot be emptied in time, what it holds, and why.

    `stranded` has shape (people groups, nodes): people the elastic model leaves behind.
    """
    sc = data.scenario
    lanes = data.lanes
    assert lanes is not None
    problems: list[Problem] = []
    shortfalls: list[Shortfall] = []
    rate: dict[str, float] = {}
    for e in sc.escorts:
        rate[e.corridor] = rate.get(e.corridor, 0.0) + e.convoys_per_day
    size = {e.corridor: e.trucks_per_convoy for e in sc.escorts}
    seats = max((t.people_each for t in sc.trucks if t.count > 0), default=0)
    teu_truck = max((t.teu_each for t in sc.trucks if t.count > 0), default=0.0)
    for j, n in enumerate(data.nodes):
        left = stranded[:, j]
        if left.sum() < 0.5:
            continue
        site = sc.site(n)
        held_people = _people(data)[j]
        held_teu = data.initial[-2, j]
        held_veh = data.initial[-1, j]
        late = [
            f"{left[i]:.0f} by {sc.date_of(data.deadline_day[k])}"
            for i, k in enumerate(data.people)
            if left[i] >= 0.5
        ]
        msg = (
            f"{site.name} cannot be emptied in time: {', '.join(late)} people would still be "
            f"there (it holds {held_people:.0f} people, {held_teu:.0f} TEU, "
            f"{held_veh:.0f} vehicles)"
        )
        out = [i for i in range(len(lanes.route)) if lanes.origin[i] == n]
        road = [i for i in out if not lanes.is_air[i]]
        air = [i for i in out if lanes.is_air[i]]
        details = []
        binding: tuple[str, float, float] = ("route", 0.0, 0.0)
        corridors = sorted({c for i in road for c in lanes.corridors[i]})
        for c in corridors:
            per_convoy = size.get(c, 0) * max(seats, 1)
            cargo_convoys = math.ceil(held_teu / max(size.get(c, 1) * max(teu_truck, 1e-9), 1e-9))
            need = math.ceil(held_people / max(per_convoy, 1)) + cargo_convoys
            days = max(int(lanes.usable_days[i].sum()) for i in road if c in lanes.corridors[i])
            avail = rate.get(c, 0.0) * days
            km = min(
                data.network.routes[lanes.route[i]].km for i in road if c in lanes.corridors[i]
            )
            if not binding[1] or need - avail > binding[1] - binding[2]:
                binding = (f"escorts on corridor {c}", float(need), float(avail))
            details.append(
                f"{km:.0f} km of road on corridor {c}, needs at least {need} convoys; "
                f"only {avail:.0f} escorted convoy departures fit before the deadline "
                f"({days} usable days with the rainy season and closures), shared "
                "with every site on the corridor"
            )
        if air:
            days = max(int(lanes.usable_days[i].sum()) for i in air)
            per = max(lanes.unit_capacity[data.people[0]][i] for i in air)
            if binding[0] == "route":
                binding = ("sorties", float(math.ceil(held_people / max(per, 1))), 0.0)
            details.append(
                f"air: needs {math.ceil(held_people / max(per, 1))} sorties for its "
                f"people, flyable on {days} days"
            )
        if not road and not air:
            details.append("no usable route out before the deadline")
        shortfalls.append(Shortfall(n, int(round(left.sum())), *binding))
        problems.append(
            Problem(
                "sites.csv",
                f"id={n}",
                msg + ": " + "; ".join(details),
                "add escorts, trucks or sorties on its corridor, lift a closure, "
                "or move the deadline; the best plan leaves these people behind",
            )
        )
    lift_problems, lift_shortfalls = closure_shortfalls(data, float(stranded.sum()))
    problems.extend(lift_problems)
    shortfalls.extend(lift_shortfalls)
    if not problems:
        problems.append(
            Problem(
                "scenario.yaml",
                "deadline",
                "the deadline cannot be met",
                "add capacity or move the deadline",
            )
        )
    return InfeasiblePlanError(problems, "the deadline cannot be met", best_plan, tuple(shortfalls))


def closure_shortfalls(data: PlanData, people_left: float) -> tuple[list[Problem], list[Shortfall]]:
    """Strategic lift and packing that cannot do what the deadline asks, in the user's terms.

    Seats: people who can leave only by charter against the seats flown before the deadline.
    Packing: each base's cargo against what its people could pack at the site's cap before
    the deadline, less the final steps. Corridors: cargo against each corridor's throughput.
    """
    sc = data.scenario
    w = data.work
    problems: list[Problem] = []
    shortfalls: list[Shortfall] = []
    if w is None:
        return problems, shortfalls
    people = float(_people(data).sum())
    exits = [s for s in sc.sites if s.kind == "exit" and s.exit_for in ("all", "people")]
    if exits and all(e.id in w.seat_exits for e in exits):
        seats = float(w.seats.sum())
        if seats < people:
            names = ", ".join(w.seat_exits)
            problems.append(
                Problem(
                    "lift.csv",
                    f"site={names}",
                    f"charters from {names} offer {seats:,.0f} seats before the deadline "
                    f"(flights a week x seats, after air clearance); {people:,.0f} people "
                    f"must fly out: short by {people - seats:,.0f} seats",
                    "add charter flights or an exit for people by road, or move the deadline",
                )
            )
            shortfalls.append(
                Shortfall(
                    names, int(round(max(people_left, people - seats))), "seats", people, seats
                )
            )
    H = sc.horizon_days
    usable_days = max(H - w.final_steps_days, 0)
    ti, vi = data.commodities.index("teu"), data.commodities.index("veh")
    for j, n in enumerate(data.nodes):
        teu, veh = float(data.initial[ti, j]), float(data.initial[vi, j])
        if teu + veh <= 0 or w.teu_per_person_day <= 0 or w.veh_per_person_day <= 0:
            continue
        held = float(_people(data)[j])
        # Person-days needed, and the site's cap, against the days before the final steps.
        # (TEU and vehicles are readied at once, each by all the people: simulate.withdrawal.pack)
        # at the pace the plan packs the site (`build.plan_pace`)
        pace = float(w.pack_pace[j])
        labour_days = max(teu / w.teu_per_person_day, veh / w.veh_per_person_day) / (
            max(held, 1.0) * pace
        )
        teu_cap, veh_cap = w.pack_cap[:, j] * pace
        cap_days = max(teu / max(teu_cap, 1e-9), veh / max(veh_cap, 1e-9))
        need_days = max(labour_days, cap_days)
        if need_days > usable_days:
            problems.append(
                Problem(
                    "scenario.yaml",
                    f"closure (site {n})",
                    f"{sc.site(n).name}: packing capacity short: its {held:,.0f} people need "
                    f"{need_days:,.0f} days to pack {teu:,.0f} TEU and {veh:,.0f} vehicles, "
                    f"only {usable_days} days fit before the deadline and the final steps "
                    f"(short by {need_days - usable_days:,.0f} days); the rest is written off",
                    "raise the packing rates or caps in `closure:`, or move the deadline",
                )
            )
            shortfalls.append(Shortfall(n, 0, "packing capacity", need_days, usable_days))
    cargo = float(data.initial[ti].sum())
    if w.corridor_exits and cargo > 0:
        cargo_exits = [s for s in sc.sites if s.kind == "exit" and s.exit_for in ("all", "cargo")]
        if all(e.id in w.corridor_exits for e in cargo_exits):
            room = float(w.corridor_teu.sum())
            if room < cargo:
                names = ", ".join(w.corridor_exits)
                problems.append(
                    Problem(
                        "lift.csv",
                        f"site={names}",
                        f"corridor throughput short: {names} take {room:,.0f} TEU before the "
                        f"deadline; {cargo:,.0f} TEU must leave (short by "
                        f"{cargo - room:,.0f} TEU)",
                        "raise teu_per_day on a corridor, add one, or move the deadline",
                    )
                )
                shortfalls.append(Shortfall(names, 0, "corridor throughput", cargo, room))
    return problems, shortfalls
