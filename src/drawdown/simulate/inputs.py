"""Check a plan against its scenario and compile both into the flat arrays the engine reads.

Everything that depends only on the scenario and the plan (not on chance) is computed here
once: movement order, capacities, approval probability at each retry, incident rates, link
openings and travel days by day, evacuation routes, base-attack rates. The engine and the
disruption draws then only index arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from drawdown.errors import InputError, Problem
from drawdown.network import days_to_exit
from drawdown.plan.model import Movement, Plan
from drawdown.scenario import days as scenario_days
from drawdown.scenario.closure_teams import round_rank
from drawdown.scenario.kinds import BASE_DAY_KINDS, CONVOY_KINDS, EFFECT_FIELDS, SORTIE_KINDS
from drawdown.scenario.model import ClosureWork, Scenario, Threat
from drawdown.simulate.call_forward import call_forward, on_schedule

MODES = {mode: i for i, mode in enumerate(scenario_days.MODES)}
# A movement's incident slots: each per-convoy-km kind on its link (road and river), then
# each per-sortie kind at the origin and at the destination airfield (air).
ROAD_SLOTS: tuple[str, ...] = CONVOY_KINDS
AIR_SLOTS: tuple[tuple[str, str], ...] = tuple(
    (kind, end) for kind in SORTIE_KINDS for end in ("origin", "destination")
)
N_SLOTS = len(ROAD_SLOTS) + len(AIR_SLOTS)
PLAN_FILE = "plan"


@dataclass(frozen=True)
class Compiled:
    """A scenario and plan as arrays; one row per movement (sorted), site or link."""

    site_ids: tuple[str, ...]
    link_ids: tuple[str, ...]
    horizon: int  # days from start to deadline, inclusive
    n_days: int  # days the engine may run past the deadline before giving up
    # sites
    site_kind: np.ndarray  # 0 base, 1 hub, 2 exit, 3 waypoint
    exit_people: np.ndarray  # bool
    exit_cargo: np.ndarray  # bool
    people0: np.ndarray  # int64 [S]
    teu0: np.ndarray  # float64 [S, 2] (class 0 general, 1 sensitive)
    veh0: np.ndarray  # float64 [S, 2]
    destroy_share: np.ndarray  # float64 [S]: share of the general cargo left that is destroyed
    population: np.ndarray  # float64 [S]
    air_link: np.ndarray  # int [S]: air link used to divert people (-1 none)
    air_dest: np.ndarray  # int [S]
    air_approval: np.ndarray  # float64 [S, n_days]
    air_delay_mean: np.ndarray  # float64 [S, n_days]
    air_delay_fixed: np.ndarray  # bool [S, n_days]
    evac_dest: np.ndarray  # int [S]: where an emergency evacuation goes (-1 none)
    evac_link: np.ndarray  # int [S]
    attack_rate: np.ndarray  # float64 [S, n_days] base attacks a day at full garrison
    attack_elasticity: np.ndarray  # float64 [S]
    attack_effects: np.ndarray  # float64 [S, 5] mean effects of one attack
    # links
    link_open: np.ndarray  # bool [L, n_days]
    next_open: np.ndarray  # int [L, n_days]: first open day >= d (-1 none)
    travel: np.ndarray  # int [L, n_days]: travel days when leaving on d
    # movements (sorted by day, then upstream before downstream)
    mv_day: np.ndarray  # int64 [M] the plan's day
    # int64 [M] the first day it may leave: the plan's day, but a last guard may go as soon
    # as its site is handed over (`earliest_days`)
    mv_earliest_day: np.ndarray
    mv_dur: np.ndarray
    mv_origin: np.ndarray
    mv_dest: np.ndarray
    mv_link: np.ndarray
    mv_mode: np.ndarray
    mv_convoys: np.ndarray
    mv_people: np.ndarray  # float64
    mv_teu: np.ndarray
    mv_veh: np.ndarray
    mv_cap: np.ndarray  # float64 [M, 3] capacity for people, TEU, vehicles
    mv_guard: np.ndarray  # bool: the last people movement out of a base
    mv_own: np.ndarray  # bool: a leg of a route starting at its origin (not passing through)
    mv_upstream: np.ndarray  # int64 [M]: the same convoy's leg into a later leg's origin (-1)
    mv_approval: np.ndarray  # float64 [M, max_retries + 1] approval at each attempt
    mv_delay_mean: np.ndarray  # float64 [M]
    # day the clearance is requested: the plan's expected wait before the planned day (fixed
    # by the plan; a what-if that lengthens the wait makes the request late)
    mv_request_day: np.ndarray  # int64 [M]
    guard_latest_day: np.ndarray  # int64 [S] last day a guard may wait (`guard_latest_day`)
    mv_delay_fixed: np.ndarray  # bool [M]
    mv_rate: np.ndarray  # float64 [M, 4] expected incidents by kind
    mv_effects: np.ndarray  # float64 [M, 4, 5] mean effects of one incident by kind
    mv_index: np.ndarray  # row of each movement in plan.movements
    # dated events: contingent departures as (day, site, contingent)
    ev_day: np.ndarray
    ev_site: np.ndarray
    ev_contingent: np.ndarray  # int64: the leaving contingent (`unit_contingent` codes)
    # policy
    retry_days: int
    max_retries: int
    air_when_refused: bool
    cutoff_day: int
    early_close_attacks: int
    early_close_window_days: int
    protection_day: int
    running_cost_per_day: float
    # closure work (manifest `closure:`; off when the manifest has no such section)
    closure_work: bool = False
    pack_per_person: np.ndarray = field(default_factory=lambda: np.zeros(2))  # [TEU, veh]
    pack_cap: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))  # [S, 2] a day
    # packing to the movement plan (`call_forward`): least left unpacked [S, n_days, 2],
    # unpacked once all the plan ships is packed [S, 2]
    pack_floor: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 2)))
    pack_done: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    # each run draws each site's packing factor uniformly in [low, high]
    pack_factor_range: np.ndarray = field(default_factory=lambda: np.ones(2))
    # each run draws each site's final steps in whole days in [low, high]
    final_steps_range: np.ndarray = field(default_factory=lambda: np.zeros(2, np.int64))
    steps_from_day: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # [S]
    pack_team: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # [S] -1: own
    pack_rank: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # [S] in round
    handover_approval: np.ndarray = field(default_factory=lambda: np.ones((0, 0)))  # [S, D]
    handover_delay_mean: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    handover_delay_fixed: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), bool))
    # strategic lift (lift.csv), one row a lift in `scenario.lift` order
    lift_ids: tuple[str, ...] = ()
    lift_kind: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # 0 charter
    lift_site: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    lift_flights: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int64))
    lift_seats_each: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lift_approval: np.ndarray = field(default_factory=lambda: np.ones((0, 0)))  # [X, D]
    lift_per_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))  # [TEU, veh]
    lift_border_mean: np.ndarray = field(default_factory=lambda: np.zeros(0))
    site_charter: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # [S]
    site_corridor: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # -1 none
    # site roles and residual tasks: a guard stays until `hold_until` (inclusive) and while
    # a site it supports (`supports[s, t]`: s supports t) still has people
    hold_until: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # -1 none
    supports: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), bool))
    # formed units (`scenario.units` order): people by unit; a unit's main body leaves once
    # the site's cargo is dispatched up to and including its equipment (units in file order),
    # its rear party stays to the site's last load, the threat-sized last guard to the end
    unit_ids: tuple[str, ...] = ()
    unit_site: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # [U]
    unit_contingent: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # [U]
    unit_people: np.ndarray = field(default_factory=lambda: np.zeros(0))  # [U]
    unit_rear: np.ndarray = field(default_factory=lambda: np.zeros(0))  # [U] rear party
    # the unit's own equipment the plan moves, and that of the units its site ships before it
    # (TEU + vehicles; `unit_equipment`)
    unit_moved: np.ndarray = field(default_factory=lambda: np.zeros(0))  # [U]
    unit_moved_before: np.ndarray = field(default_factory=lambda: np.zeros(0))  # [U]
    # TEU + vehicles of each site's own units the plan has sent from it by the end of each day
    planned_dispatched: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # [S, D]
    guard_people: np.ndarray = field(default_factory=lambda: np.zeros(0))  # [S] last guard
    # evacuations and diversions by air fly on the scenario's own aircraft: seats a day on
    # each site's air route (inf: unlimited), and whether their clearance skips its delay
    evac_seats: np.ndarray = field(default_factory=lambda: np.zeros(0))  # [S]
    # evacuation and diversion flights on a site's air route meet its airfields' threats:
    # sorties a person takes, incidents a sortie by day, and one incident's mean effects
    evac_sorties_per_person: np.ndarray = field(default_factory=lambda: np.zeros(0))  # [S]
    evac_fire_rate: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # [S, D]
    evac_fire_effects: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # [S, E]
    # an evacuation by road is one convoy on the site's road evacuation link, meeting its
    # per-convoy-km threats as a planned convoy there would: incidents by kind and day, and
    # one incident's mean effects by kind
    evac_road_rate: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0)))  # [S, K, D]
    evac_road_effects: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0)))  # [S, K, E]
    evac_expedited: bool = False

    @property
    def n_movements(self) -> int:
        return int(self.mv_day.size)


def check_plan(scenario: Scenario, plan: Plan, *, check_hash: bool = True) -> None:
    """Refuse a plan that does not belong to `scenario`, naming every mismatch."""
    problems: list[Problem] = []
    sites = {s.id: s for s in scenario.sites}
    links = {link.id: link for link in scenario.links}
    assets = {t.id for t in scenario.trucks} | {a.id for a in scenario.aircraft}
    if check_hash and plan.scenario_hash != scenario.content_hash():
        problems.append(
            Problem(
                PLAN_FILE,
                "scenario_hash",
                f"the plan was made for scenario {plan.scenario_name!r} "
                f"(hash {plan.scenario_hash}), not for {scenario.name!r} "
                f"(hash {scenario.content_hash()})",
                "make a new plan for this scenario (drawdown plan), or pass "
                "check_hash=False to stress-test this plan under the changed scenario",
            )
        )
    if plan.horizon_days != scenario.horizon_days:
        problems.append(
            Problem(
                PLAN_FILE,
                "horizon_days",
                f"the plan covers {plan.horizon_days} days but the scenario runs "
                f"{scenario.horizon_days} days (start to deadline)",
                "make a new plan for this scenario",
            )
        )
    for site in plan.closure_day:
        if site not in sites:
            problems.append(
                Problem(PLAN_FILE, f"closure_day[{site}]", "unknown site", _known(sites))
            )
    for i, m in enumerate(plan.movements):
        where = f"movement {i + 1} (day {m.day}, {m.origin} -> {m.destination})"
        for name in (m.origin, m.destination):
            if name not in sites:
                problems.append(Problem(PLAN_FILE, where, f"unknown site {name!r}", _known(sites)))
        link = links.get(m.link)
        if link is None:
            problems.append(
                Problem(PLAN_FILE, where, f"no link {m.link!r} in the scenario", _known(links))
            )
        elif {link.from_site, link.to_site} != {m.origin, m.destination}:
            problems.append(
                Problem(
                    PLAN_FILE,
                    where,
                    f"link {m.link!r} joins {link.from_site} and {link.to_site}, "
                    f"not {m.origin} and {m.destination}",
                    "use the link between the movement's origin and destination",
                )
            )
        elif link.mode != m.mode:
            problems.append(
                Problem(PLAN_FILE, where, f"mode {m.mode} on a {link.mode} link {m.link!r}")
            )
        if m.asset not in assets:
            problems.append(
                Problem(
                    PLAN_FILE, where, f"unknown asset {m.asset!r}", "use a truck or aircraft id"
                )
            )
        if not 0 <= m.day < scenario.horizon_days or m.arrival_day < m.day:
            problems.append(
                Problem(
                    PLAN_FILE,
                    where,
                    f"days {m.day} -> {m.arrival_day} fall outside 0..{scenario.horizon_days - 1}"
                    " or arrive before they leave",
                    "departure days count from the scenario start (day 0)",
                )
            )
        if min(m.convoys, m.people, m.containers_teu, m.vehicles) < 0:
            problems.append(Problem(PLAN_FILE, where, "negative convoys or load"))
    if problems:
        raise InputError(problems, title=f"{len(problems)} problem(s): plan does not fit scenario")


def _known(table: Mapping[str, object]) -> str:
    names = sorted(table)
    shown = ", ".join(names[:12]) + (" …" if len(names) > 12 else "")
    return f"known: {shown}"


def movement_threats(
    scenario: Scenario, mode: str, link: str, origin: str, destination: str
) -> list[tuple[int, int, float]]:
    """(slot, threat row, exposure per convoy or sortie) of every threat a movement meets.

    Exposure per convoy is the link's km for per-convoy-km kinds (road and river), 1 for
    per-sortie kinds at either airfield (air); the caller checks the threat's window.
    """
    if mode != "air":
        km = float(scenario.link(link).km)
        wanted = [(slot, kind, link, km) for slot, kind in enumerate(ROAD_SLOTS)]
    else:
        ends = {"origin": origin, "destination": destination}
        wanted = [
            (len(ROAD_SLOTS) + k, kind, ends[end], 1.0) for k, (kind, end) in enumerate(AIR_SLOTS)
        ]
    return [
        (slot, row, per_convoy)
        for slot, kind, target, per_convoy in wanted
        for row, t in enumerate(scenario.threats)
        if t.kind == kind and t.target == target
    ]


def threat_effects(t: Threat) -> list[float]:
    """Mean effects of one incident of threat `t`, in the engine's order."""
    return [float(getattr(t, name)) for name in EFFECT_FIELDS]


def departure_sites(scenario: Scenario) -> list[int]:
    """Where a contingent leaving on its date is looked for: every site but the exits. Its
    people passing through a hub or a waypoint that day leave from there too, not only those
    at the sites where its units started, who alone had been looked for (MINUSMA, 2,000 runs:
    all people out by the deadline in 69.5% of runs instead of 68.6%)."""
    return [i for i, site in enumerate(scenario.sites) if site.kind != "exit"]


def compile_inputs(scenario: Scenario, plan: Plan) -> Compiled:
    """Arrays of everything deterministic in `scenario` and `plan` (plan already checked)."""
    pol = scenario.manifest.policy
    horizon = scenario.horizon_days
    n_days = 3 * horizon + 30 + pol.retry_delay_days * (pol.max_retries + 1)
    site_ids = tuple(s.id for s in scenario.sites)
    sidx = {s: i for i, s in enumerate(site_ids)}
    link_ids = tuple(link.id for link in scenario.links)
    lidx = {k: i for i, k in enumerate(link_ids)}
    n_sites = len(site_ids)
    kind_code = {"base": 0, "hub": 1, "exit": 2, "waypoint": 3}
    site_kind = np.array([kind_code[s.kind] for s in scenario.sites], dtype=np.int64)
    exit_people = np.array(
        [s.kind == "exit" and s.exit_for in ("people", "all", "") for s in scenario.sites]
    )
    exit_cargo = np.array(
        [s.kind == "exit" and s.exit_for in ("cargo", "all", "") for s in scenario.sites]
    )
    people0 = np.zeros(n_sites, dtype=np.int64)
    teu0 = np.zeros((n_sites, 2))
    veh0 = np.zeros((n_sites, 2))
    for (site,), people in scenario.people_by("site").items():
        people0[sidx[site]] += people
    for h in scenario.holdings:
        i = sidx[h.site]
        teu0[i, int(h.sensitive)] += h.containers_teu
        veh0[i, int(h.sensitive)] += h.vehicles
    destroy_share = destroy_shares(
        scenario,
        np.array([h.containers_teu for h in scenario.holdings], dtype=float),
        np.array([h.vehicles for h in scenario.holdings], dtype=float),
    )
    population = np.array([float(s.population_covered) for s in scenario.sites])

    # links: open days (season, events) and travel days by entry day (scenario.days rules)
    link_open = scenario_days.link_open(scenario, n_days)
    travel = scenario_days.travel_days(scenario, n_days)
    next_open = scenario_days.next_open_day(link_open)

    # clearance: approval probability and delay for (mode, region) on each day
    cache: dict[tuple[str, str], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def clearance(mode: str, region: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        key = (mode, region)
        if key not in cache:
            c = scenario_days.clearance(scenario, mode, region, n_days)
            cache[key] = (c.approval, c.delay_mean_days, c.delay_fixed)
        return cache[key]

    links = {link.id: link for link in scenario.links}

    # movements: by day, then upstream (further from an exit) before downstream
    depth = _depth_to_exit(scenario)
    order = sorted(
        range(len(plan.movements)),
        key=lambda i: (
            plan.movements[i].day,
            -depth.get(plan.movements[i].origin, 0),
            i,
        ),
    )
    mv = [plan.movements[i] for i in order]
    n_mv = len(mv)
    mv_origin = np.array([sidx[m.origin] for m in mv], dtype=np.int64)
    mv_people = np.array([float(m.people) for m in mv])
    # A site's own movements are the legs of routes that start there (every movement of a
    # plan without routes). A later leg of another site's route through it (Menaka's
    # convoys on through Ansongo, closed weeks before) carries people and cargo passing
    # through: the last guard neither leaves on it nor waits for it.
    mv_own = np.array([not m.route or m.route.split(">")[0] == m.origin for m in mv], dtype=bool)
    mv_upstream = upstream_legs(mv, mv_own)
    mv_guard = np.zeros(n_mv, dtype=bool)
    for s in range(n_sites):
        if site_kind[s] > 1:
            continue
        rows = np.flatnonzero((mv_origin == s) & (mv_people > 0) & mv_own)
        if rows.size:
            mv_guard[rows[-1]] = True
    mv_earliest = earliest_days(scenario, plan, mv, mv_origin, mv_guard, sidx)
    retries = pol.max_retries + 1
    mv_approval = np.ones((n_mv, retries))
    mv_delay_mean = np.zeros(n_mv)
    mv_delay_fixed = np.zeros(n_mv, dtype=bool)
    mv_request_day = np.zeros(n_mv, dtype=np.int64)
    mv_rate = np.zeros((n_mv, N_SLOTS))
    mv_effects = np.zeros((n_mv, N_SLOTS, len(EFFECT_FIELDS)))
    mv_cap = np.zeros((n_mv, 3))
    mv_dur = np.zeros(n_mv, dtype=np.int64)
    threat_in_force = scenario_days.threat_windows(scenario, n_days)
    trucks = {t.id: t for t in scenario.trucks}
    aircraft = {a.id: a for a in scenario.aircraft}
    escorts = {e.corridor: e for e in scenario.escorts}
    for k, m in enumerate(mv):
        link = links[m.link]
        region = scenario_days.clearance_region(scenario, link, m.origin)
        approval, delay, fixed = clearance(m.mode, region)
        asked = mv_earliest[k]  # the clearance is asked for the first day it may leave
        mv_request_day[k] = request_days(np.array([asked]), np.array([delay[asked]]))[0]
        attempt_days = attempt_days_of(
            mv_request_day[k : k + 1], pol.retry_delay_days, retries, n_days
        )[0]
        mv_approval[k] = approval[attempt_days]
        mv_delay_mean[k] = delay[asked]
        mv_delay_fixed[k] = fixed[asked]
        mv_dur[k] = m.arrival_day - m.day - travel[lidx[m.link], m.day]
        for slot, row, per_convoy in movement_threats(
            scenario, m.mode, m.link, m.origin, m.destination
        ):
            t = scenario.threats[row]
            if not threat_in_force[row, m.day]:
                continue
            add = t.rate * (per_convoy * m.convoys)
            if add <= 0:
                continue
            total = mv_rate[k, slot] + add
            means = np.array(threat_effects(t))
            mv_effects[k, slot] = (mv_effects[k, slot] * mv_rate[k, slot] + means * add) / total
            mv_rate[k, slot] = total
        if m.mode == "air" and m.asset in aircraft:
            a = aircraft[m.asset]
            cap = (a.people_each, a.teu_each, a.vehicles_each)
        elif m.asset in trucks:
            tr = trucks[m.asset]
            esc = escorts.get(link.corridor)
            per_convoy = esc.trucks_per_convoy if esc else tr.count
            per_convoy = min(per_convoy, tr.count) or tr.count
            cap = (
                per_convoy * tr.people_each,
                per_convoy * tr.teu_each,
                esc.vehicles_per_convoy if esc else 0,
            )
        else:
            cap = (0, 0.0, 0)
        planned = (m.people, m.containers_teu, m.vehicles)
        mv_cap[k] = [max(c * m.convoys, p) for c, p in zip(cap, planned, strict=True)]
    route_cleared(mv_own, mv_approval, mv_delay_mean, mv_request_day, mv_earliest)

    # where people go when their road movement is refused, or a base is evacuated
    air_link = np.full(n_sites, -1, dtype=np.int64)
    air_dest = np.full(n_sites, -1, dtype=np.int64)
    evac_link = np.full(n_sites, -1, dtype=np.int64)
    evac_dest = np.full(n_sites, -1, dtype=np.int64)
    for s, sid in enumerate(site_ids):
        best_air: tuple[int, int, int] | None = None
        best_road: tuple[int, int, int] | None = None
        for j, link in enumerate(scenario.links):
            if sid not in (link.from_site, link.to_site):
                continue
            other = link.to_site if link.from_site == sid else link.from_site
            o = sidx[other]
            if depth.get(other, 10**6) >= depth.get(sid, 10**6) and not exit_people[o]:
                continue  # never evacuate away from the exits
            score = (0 if exit_people[o] else 1, depth.get(other, 10**6), j)
            if link.mode == "air":
                if _air_capable(scenario, sid, other) and (best_air is None or score < best_air):
                    best_air = score
                    air_link[s], air_dest[s] = j, o
            elif best_road is None or score < best_road:
                best_road = score
                evac_link[s], evac_dest[s] = j, o
        if air_link[s] >= 0:
            evac_link[s], evac_dest[s] = air_link[s], air_dest[s]
    air_approval = np.ones((n_sites, n_days))
    air_delay_mean = np.zeros((n_sites, n_days))
    air_delay_fixed = np.zeros((n_sites, n_days), dtype=bool)
    for s in range(n_sites):
        if air_link[s] >= 0:
            link = scenario.links[int(air_link[s])]
            region = scenario_days.clearance_region(scenario, link, site_ids[s])
            air_approval[s], air_delay_mean[s], air_delay_fixed[s] = clearance("air", region)

    attack_rate = np.zeros((n_sites, n_days))
    attack_elasticity = np.zeros(n_sites)
    attack_effects = np.zeros((n_sites, len(EFFECT_FIELDS)))
    for row, t in enumerate(scenario.threats):
        if t.kind not in BASE_DAY_KINDS or t.target not in sidx:
            continue
        s = sidx[t.target]
        attack_rate[s] += t.rate * threat_in_force[row]
        attack_elasticity[s] = max(attack_elasticity[s], t.garrison_elasticity)
        attack_effects[s] = threat_effects(t)

    # a contingent leaving on its date takes its own people (its units), not whoever is
    # at the site: contingents are coded in the units' order of first appearance
    codes: dict[str, int] = {}
    unit_contingent = np.array(
        [codes.setdefault(u.contingent, len(codes)) for u in scenario.units], dtype=np.int64
    )
    ev_day, ev_site, ev_contingent = [], [], []
    has_people = {who for (_, who), n in scenario.people_by("site", "contingent").items() if n}
    for day, contingent in scenario_days.contingent_departures(scenario):
        if contingent not in has_people:
            continue
        for s in departure_sites(scenario):
            ev_day.append(day)
            ev_site.append(s)
            ev_contingent.append(codes.get(contingent, -1))

    closure = _closure_work(scenario, n_days, clearance)
    closure["pack_cap"] = pack_caps(scenario, teu0, veh0)
    closure.update(
        packing_schedule(scenario, plan, sidx, n_days, people0, teu0, veh0, closure["pack_cap"])
    )
    lift = _lift(scenario, n_days, sidx, clearance)
    hold_until = np.full(n_sites, -1, dtype=np.int64)
    for task in scenario.residual_tasks:
        if task.site in sidx:
            s = sidx[task.site]
            hold_until[s] = max(hold_until[s], scenario.day_of(task.until))
    supports = np.zeros((n_sites, n_sites), dtype=bool)
    if pol.support_sites_close_first:
        for supported in scenario.sites:
            by = supported.supported_by
            if by in sidx and by != supported.id:
                supports[sidx[by], sidx[supported.id]] = True
    horizon_date = scenario.manifest.protection_horizon or scenario.manifest.deadline
    return Compiled(
        **closure,
        **lift,
        **_units(scenario, sidx, people0, attack_rate[:, :horizon]),
        planned_dispatched=planned_dispatched(scenario, plan, sidx, n_days),
        **unit_equipment(
            scenario,
            plan,
            np.array([h.containers_teu for h in scenario.holdings], dtype=float),
            np.array([h.vehicles for h in scenario.holdings], dtype=float),
        ),
        hold_until=hold_until,
        supports=supports,
        site_ids=site_ids,
        link_ids=link_ids,
        horizon=horizon,
        n_days=n_days,
        site_kind=site_kind,
        exit_people=exit_people,
        exit_cargo=exit_cargo,
        people0=people0,
        teu0=teu0,
        veh0=veh0,
        destroy_share=destroy_share,
        population=population,
        air_link=air_link,
        air_dest=air_dest,
        air_approval=air_approval,
        air_delay_mean=air_delay_mean,
        air_delay_fixed=air_delay_fixed,
        evac_dest=evac_dest,
        evac_link=evac_link,
        evac_seats=_evac_seats(scenario, air_link, air_dest, site_ids),
        **evac_exposure(scenario, air_link, air_dest, evac_link, site_ids, n_days),
        evac_expedited=bool(pol.expedited_evacuation_clearance),
        attack_rate=attack_rate,
        attack_elasticity=attack_elasticity,
        attack_effects=attack_effects,
        link_open=link_open,
        next_open=next_open,
        travel=travel,
        mv_day=np.array([m.day for m in mv], dtype=np.int64),
        mv_earliest_day=mv_earliest,
        mv_dur=mv_dur,
        mv_origin=mv_origin,
        mv_dest=np.array([sidx[m.destination] for m in mv], dtype=np.int64),
        mv_link=np.array([lidx[m.link] for m in mv], dtype=np.int64),
        mv_mode=np.array([MODES[m.mode] for m in mv], dtype=np.int64),
        mv_convoys=np.array([max(1, m.convoys) for m in mv], dtype=np.int64),
        mv_people=mv_people,
        mv_teu=np.array([float(m.containers_teu) for m in mv]),
        mv_veh=np.array([float(m.vehicles) for m in mv]),
        mv_cap=mv_cap,
        mv_guard=mv_guard,
        mv_own=mv_own,
        mv_upstream=mv_upstream,
        mv_approval=mv_approval,
        mv_delay_mean=mv_delay_mean,
        mv_request_day=mv_request_day,
        guard_latest_day=guard_latest_day(scenario, plan, sidx, horizon),
        steps_from_day=steps_from_day(plan, sidx),
        **closure_teams(scenario, sidx),
        mv_delay_fixed=mv_delay_fixed,
        mv_rate=mv_rate,
        mv_effects=mv_effects,
        mv_index=np.array(order, dtype=np.int64),
        ev_day=np.array(ev_day, dtype=np.int64),
        ev_site=np.array(ev_site, dtype=np.int64),
        ev_contingent=np.array(ev_contingent, dtype=np.int64),
        unit_contingent=unit_contingent,
        retry_days=pol.retry_delay_days,
        max_retries=pol.max_retries,
        air_when_refused=pol.people_by_air_when_refused,
        cutoff_day=horizon - 1 - pol.cutoff_days_before_deadline,
        early_close_attacks=pol.early_close_attacks,
        early_close_window_days=pol.early_close_window_days,
        protection_day=scenario.day_of(horizon_date),
        running_cost_per_day=scenario.manifest.running_cost_usd_per_day,
    )


Clearances = Callable[[str, str], tuple[np.ndarray, np.ndarray, np.ndarray]]


def _closure_work(scenario: Scenario, n_days: int, clearance: Clearances) -> dict[str, Any]:
    """Packing rates, final steps and the handover clearance of every site.

    Closure work is modelled when `Manifest.models_closure_work` says so, as in the plan.
    """
    work = scenario.manifest.closure or ClosureWork()  # rates unused without closure work
    n_sites = len(scenario.sites)
    approval = np.ones((n_sites, n_days))
    delay_mean = np.zeros((n_sites, n_days))
    delay_fixed = np.zeros((n_sites, n_days), dtype=bool)
    for s, site in enumerate(scenario.sites):
        approval[s], delay_mean[s], delay_fixed[s] = clearance("handover", site.region)
    return {
        "closure_work": scenario.manifest.models_closure_work,
        "pack_per_person": np.array(
            [work.teu_packed_per_person_day, work.vehicles_prepared_per_person_day]
        ),
        "final_steps_range": np.array(work.final_steps_range, dtype=np.int64),
        "pack_factor_range": np.array([work.packing_factor_low, work.packing_factor_high]),
        "handover_approval": approval,
        "handover_delay_mean": delay_mean,
        "handover_delay_fixed": delay_fixed,
    }


def _units(
    scenario: Scenario, sidx: Mapping[str, int], people0: np.ndarray, attack_rate: np.ndarray
) -> dict[str, Any]:
    """People by unit, rear parties and each site's last guard."""
    return unit_arrays(
        scenario,
        np.array([sidx[unit.site] for unit in scenario.units], dtype=np.int64),
        np.array([float(unit.people) for unit in scenario.units]),
        people0,
        attack_rate,
    )


def unit_arrays(
    scenario: Scenario,
    unit_site: np.ndarray,
    unit_people: np.ndarray,
    people0: np.ndarray,
    attack_rate: np.ndarray,
) -> dict[str, Any]:
    """The units' arrays from their tables (`variants` patches people and equipment).

    The rear party is the unit's
    `rear_party_people`, else max(rear_party_min_people, rear_party_share x its people). The
    last guard is max(min_guard_people, the site's rear parties, guard_people_per_attack_per_
    month x the expected attacks a month there before the deadline), at most its people.
    """
    pol = scenario.manifest.policy
    n_sites = people0.size
    given = np.array(
        [-1.0 if u.rear_party_people is None else u.rear_party_people for u in scenario.units],
        dtype=float,
    )
    share = np.maximum(float(pol.rear_party_min_people), pol.rear_party_share * unit_people)
    rear = np.minimum(unit_people, np.where(given >= 0, given, share))
    rear_by_site = np.bincount(unit_site, rear, minlength=n_sites)
    attacks_a_month = attack_rate.mean(axis=1) * 30.0 if attack_rate.shape[1] else 0.0
    guard = np.maximum(
        np.maximum(float(pol.min_guard_people), rear_by_site),
        pol.guard_people_per_attack_per_month * attacks_a_month,
    )
    return {
        "unit_ids": tuple(unit.id for unit in scenario.units),
        "unit_site": unit_site,
        "unit_people": unit_people.astype(float),
        "unit_rear": rear,
        "guard_people": np.minimum(guard, people0.astype(float)),
    }


def unit_equipment(
    scenario: Scenario, plan: Plan, teu: np.ndarray, veh: np.ndarray
) -> dict[str, Any]:
    """Each unit's own equipment the plan moves, in the order its site ships it.

    The planner's ledger (`drawdown.plan.ledger`) moves only what the plan repatriates (what
    it hands over or destroys holds no main body) and ships a site's equipment unit by unit,
    the unit with least to move first, so that main bodies follow their work out one unit
    after another. `unit_moved_before[u]` is what the site ships before unit u's own begins:
    once the site has dispatched d of its own, unit u has max(0, min(moved, before + moved -
    d)) still to go. `teu` and `veh` are the holdings' amounts (`variants` patches them); the
    share repatriated is the plan's, by the dispositions' (site, class, sensitivity, owner).
    """
    units = scenario.units
    uidx = {u.id: i for i, u in enumerate(units)}
    Key = tuple[str, str, bool, str]
    total: dict[Key, float] = {}
    keys: list[Key] = []
    for h, t, v in zip(scenario.holdings, teu, veh, strict=True):
        key: Key = (h.site, h.cargo_class, h.sensitive, str(h.owner or "coe"))
        keys.append(key)
        total[key] = total.get(key, 0.0) + t + v
    repatriated: dict[Key, float] = {}
    for d in plan.dispositions:
        if d.fate == "repatriate":
            done: Key = (d.site, d.cargo_class, d.sensitive, d.owner or "coe")
            repatriated[done] = repatriated.get(done, 0.0) + d.containers_teu + d.vehicles
    decided = {(d.site, d.cargo_class, d.sensitive, d.owner or "coe") for d in plan.dispositions}
    moved = np.zeros(len(units))
    for h, key, t, v in zip(scenario.holdings, keys, teu, veh, strict=True):
        if h.unit in uidx and total[key] > 0:
            # a plan that decides nothing for this cargo moves it all
            share = min(1.0, repatriated.get(key, 0.0) / total[key]) if key in decided else 1.0
            moved[uidx[h.unit]] += (t + v) * share
    before = np.zeros(len(units))
    shipped: dict[str, float] = {}
    for i in sorted(range(len(units)), key=lambda i: (units[i].site, moved[i], i)):
        before[i] = shipped.get(units[i].site, 0.0)
        shipped[units[i].site] = before[i] + moved[i]
    return {"unit_moved": moved, "unit_moved_before": before}


def planned_dispatched(
    scenario: Scenario, plan: Plan, sidx: Mapping[str, int], n_days: int
) -> np.ndarray:
    """Each site's own equipment (TEU + vehicles of its units) the plan has sent out of it by
    the end of each day: the pace the plan lets its main bodies go at (`engine._unit_hold`).

    A movement's cargo is the site's own when the plan names one of the site's units as its
    owner, or names none (a plan without units, or the ledger's rounding remainder); cargo
    of other sites' units passing through does not count."""
    home = {u.id: u.site for u in scenario.units}
    sent = np.zeros((len(sidx), n_days))
    for m in plan.movements:
        if home.get(m.unit, m.origin) == m.origin and m.day < n_days:
            sent[sidx[m.origin], m.day] += m.containers_teu + m.vehicles
    return np.cumsum(sent, axis=1)


def request_days(day: np.ndarray, delay_mean: np.ndarray) -> np.ndarray:
    """Days movements planned on `day` ask for clearance: the expected wait ahead (the
    notice case-by-case approval needs), so that a clearance on time leaves as planned."""
    return np.maximum(0, day - np.floor(delay_mean + 0.5).astype(np.int64))


def upstream_legs(mv: Sequence[Movement], own: np.ndarray) -> np.ndarray:
    """For each later leg of a route (`own` False), the row of the same convoy's leg into
    its origin: the same route and unit, from the route's previous site, arriving on the
    later leg's day (the plan chains a route's legs so). -1 for a route's first leg, or when
    none matches.

    A convoy going on through a hub leaves it only once it is there (`engine`): a later leg
    that left on its planned day with whatever was at hand went empty when the convoy was
    held upstream, and the convoy's people then waited for the site's stragglers' route."""
    arriving: dict[tuple[str, str, str, int], int] = {}
    for k, m in enumerate(mv):
        if m.route:
            arriving.setdefault((m.route, m.unit, m.destination, m.arrival_day), k)
    out = np.full(len(mv), -1, dtype=np.int64)
    for k in np.flatnonzero(~np.asarray(own, dtype=bool)).tolist():
        m = mv[k]
        out[k] = arriving.get((m.route, m.unit, m.origin, m.day), -1)
    return out


def route_cleared(
    own: np.ndarray,
    approval: np.ndarray,
    delay_mean: np.ndarray,
    request_day: np.ndarray,
    earliest_day: np.ndarray,
) -> None:
    """A route is cleared once, at its origin, as the planner reads it (`network`: a route's
    clearance is its first leg's): a later leg (`own` False: the convoy going on through a
    hub) goes on that clearance, approved at once and without a wait. Asked again at every
    stop, a two-leg road journey would be refused twice as often as the plan allowed for.
    Sets the later legs' rows of the arrays in place."""
    later = ~np.asarray(own, dtype=bool)
    approval[later] = 1.0
    delay_mean[later] = 0.0
    request_day[later] = earliest_day[later]


def attempt_days_of(request: np.ndarray, retry_days: int, attempts: int, n_days: int) -> np.ndarray:
    """[M, attempts] days of each request and its retries after refusals."""
    return np.minimum(request[:, None] + retry_days * np.arange(attempts)[None, :], n_days - 1)


def guard_latest_day(
    scenario: Scenario, plan: Plan, sidx: Mapping[str, int], horizon: int
) -> np.ndarray:
    """The last day each site's guard may leave and still be out of the theatre by the
    deadline on the plan's own legs (the fewest days from the site to an exit over the
    plan's people movements, through hubs): a guard waiting for a handover or for the sites
    it supports leaves then anyway, the mandate being over."""
    exits = np.array([s.kind == "exit" for s in scenario.sites])
    legs = [
        (sidx[m.origin], sidx[m.destination], float(m.arrival_day - m.day))
        for m in plan.movements
        if m.people > 0 and m.origin in sidx and m.destination in sidx
    ]
    to_exit = days_to_exit(len(sidx), legs, exits)
    return np.where(np.isfinite(to_exit), horizon - 1 - to_exit, horizon - 1).astype(np.int64)


def destroy_shares(scenario: Scenario, teu_rows: np.ndarray, veh_rows: np.ndarray) -> np.ndarray:
    """Share of each site's general cargo that a run destroys if it is left: the share its
    owners may not hand over (`Scenario.may_hand_over`), the rest being handed over, as the
    planner leaves it. Weighed over what the site holds (`teu_rows`, `veh_rows`: holdings.csv's
    rows, as drawn), so a what-if on `contingents.csv` reaches the runs of a fixed plan too.

    (All or nothing by the plan's larger part, weighed against what it ships, the runs had
    handed over Kidal's 250 contingent vehicles their owners may not leave.)
    """
    sidx = {s.id: i for i, s in enumerate(scenario.sites)}
    held = np.zeros((len(sidx), 2))  # [may be handed over, may not]
    for h, teu, veh in zip(scenario.holdings, teu_rows, veh_rows, strict=True):
        if h.site in sidx and not h.sensitive:
            held[sidx[h.site], int(not scenario.may_hand_over(h))] += teu + veh
    return held[:, 1] / np.maximum(held.sum(axis=1), 1e-12)


def packing_schedule(
    scenario: Scenario,
    plan: Plan,
    sidx: Mapping[str, int],
    n_days: int,
    people0: np.ndarray,
    teu0: np.ndarray,
    veh0: np.ndarray,
    cap: np.ndarray,
) -> dict[str, np.ndarray]:
    """`pack_floor` and `pack_done`: the sites `call_forward.on_schedule` names pack to the
    plan's loads at the slowest declared rate; `cap` is `pack_caps`."""
    work = scenario.manifest.closure or ClosureWork()
    n_sites = len(sidx)
    own = np.stack([teu0.sum(axis=1), veh0.sum(axis=1)], axis=1)
    scheduled = on_schedule(scenario)
    to_plan = np.array([s.id in scheduled for s in scenario.sites]) & (own.sum(axis=1) > 0)
    floor, done = call_forward(
        plan.movements,
        sidx,
        n_days,
        people0.astype(float),
        own,
        np.array([work.teu_packed_per_person_day, work.vehicles_prepared_per_person_day]),
        cap,
        float(work.packing_factor_low),
        to_plan,
    )
    assert floor.shape == (n_sites, n_days, 2)
    return {"pack_floor": floor, "pack_done": done}


def pack_caps(scenario: Scenario, teu0: np.ndarray, veh0: np.ndarray) -> np.ndarray:
    """[S, 2] the most TEU and vehicles each site packs a day, from its cargo at the start
    (`ClosureWork.pack_caps`, as the plan's `build.pack_caps`)."""
    work = scenario.manifest.closure or ClosureWork()
    caps = [
        work.pack_caps(float(t), float(v)) for t, v in zip(teu0.sum(1), veh0.sum(1), strict=True)
    ]
    return np.array(caps, dtype=float).reshape(teu0.shape[0], 2)


def earliest_days(
    scenario: Scenario,
    plan: Plan,
    mv: Sequence[Movement],
    origin: np.ndarray,
    guard: np.ndarray,
    sidx: Mapping[str, int],
) -> np.ndarray:
    """The first day each movement may leave: its planned day, except a site's last guard.

    The plan times the guard to leave once the final steps and the host's expected answer
    are done. A run whose final steps are shorter or whose host answers sooner hands the
    site over earlier, and the guard then goes, as Gao's did the night it was handed over
    (precedents.md 1.2): from the plan's first day of the final steps plus their fewest
    days (`ClosureWork.final_steps_range`). The guard is still held until the handover
    (`engine._guard_held_to`). Without closure work the guard keeps its planned day.
    """
    days = np.array([m.day for m in mv], dtype=np.int64)
    work = scenario.manifest.closure
    if not scenario.manifest.models_closure_work or work is None:
        return days
    steps = steps_from_day(plan, sidx) + work.final_steps_range[0]
    early = np.minimum(days, steps[origin])
    return np.where(guard & np.isin(origin, [sidx[r.site] for r in plan.closure_work]), early, days)


def steps_from_day(plan: Plan, sidx: Mapping[str, int]) -> np.ndarray:
    """The plan's first day of each site's final steps (`ClosureWorkRow`; 0 without the
    table): the stress test starts them no earlier, after the last load has gone."""
    out = np.zeros(len(sidx), dtype=np.int64)
    for row in plan.closure_work:
        if row.site in sidx:
            out[sidx[row.site]] = max(int(row.final_steps_start_day), 0)
    return out


def closure_teams(scenario: Scenario, sidx: Mapping[str, int]) -> dict[str, Any]:
    """Each site's closure team (-1: its own people pack from day 0) and its place in the
    team's round (`scenario.closure_teams`), as the plan's daily dispatcher has them."""
    names = sorted({s.closure_team for s in scenario.sites if s.closure_team})
    team = np.array(
        [names.index(s.closure_team) if s.closure_team else -1 for s in scenario.sites],
        dtype=np.int64,
    )
    rank = np.zeros(len(sidx), dtype=np.int64)
    for site, place in round_rank(scenario).items():
        rank[sidx[site]] = place
    return {"pack_team": team, "pack_rank": rank}


def charter_flights(flights_per_week: float, n_days: int) -> np.ndarray:
    """Flights on each day: `flights_per_week` spread evenly over the week, deterministically."""
    days = np.arange(n_days + 1)
    cumulative = np.floor(days * flights_per_week / 7.0 + 1e-9).astype(np.int64)
    return np.diff(cumulative)


def _lift(
    scenario: Scenario, n_days: int, sidx: Mapping[str, int], clearance: Clearances
) -> dict[str, Any]:
    """Charters and corridors as arrays; exits without a lift row stay unlimited."""
    rows = scenario.lift
    n_sites = len(scenario.sites)
    site_charter = np.zeros(n_sites, dtype=bool)
    site_corridor = np.full(n_sites, -1, dtype=np.int64)
    flights = np.zeros((len(rows), n_days), dtype=np.int64)
    approval = np.ones((len(rows), n_days))
    for x, row in enumerate(rows):
        s = sidx[row.site]
        if row.kind == "charter":
            site_charter[s] = True
            flights[x] = charter_flights(row.flights_per_week, n_days)
            approval[x] = clearance("air", scenario.sites[s].region)[0]
        elif site_corridor[s] < 0:
            site_corridor[s] = x
    return {
        "lift_ids": tuple(row.id for row in rows),
        "lift_kind": np.array([int(row.kind != "charter") for row in rows], dtype=np.int64),
        "lift_site": np.array([sidx[row.site] for row in rows], dtype=np.int64),
        "lift_flights": flights,
        "lift_seats_each": np.array([float(row.seats_each) for row in rows]),
        "lift_approval": approval,
        "lift_per_day": np.array(
            [[row.teu_per_day, row.vehicles_per_day] for row in rows], dtype=float
        ).reshape(len(rows), 2),
        "lift_border_mean": np.array([row.border_delay_days_mean for row in rows], dtype=float),
        "site_charter": site_charter,
        "site_corridor": site_corridor,
    }


def _evac_seats(
    scenario: Scenario, air_link: np.ndarray, air_dest: np.ndarray, site_ids: tuple[str, ...]
) -> np.ndarray:
    """Seats a day the scenario's own aircraft fly on each site's air route (count x sorties
    a day x seats, of every type that can use both airfields); inf where unlimited (the
    policy does not use own aircraft) and 0 where the site has no air route."""
    per_aircraft = evac_seats_per_aircraft(scenario, air_link, air_dest, site_ids)
    seats = per_aircraft @ np.array([float(ac.count) for ac in scenario.aircraft])
    if not scenario.manifest.policy.evacuation_uses_own_aircraft:
        seats = np.where(air_link >= 0, np.inf, 0.0)
    return seats.reshape(len(site_ids))


def evac_exposure(
    scenario: Scenario,
    air_link: np.ndarray,
    air_dest: np.ndarray,
    evac_link: np.ndarray,
    site_ids: tuple[str, ...],
    n_days: int,
) -> dict[str, Any]:
    """What an unplanned flight out of each site meets (`evac_routes`, `evac_fire`), and
    what an evacuation convoy meets (`evac_road_routes`, `evac_road`)."""
    routes, per_person = evac_routes(scenario, air_link, air_dest, site_ids)
    road = evac_road_routes(scenario, evac_link, air_link, site_ids)
    rates = np.array([t.rate for t in scenario.threats], dtype=float)
    effects = np.array([threat_effects(t) for t in scenario.threats], dtype=float)
    in_force = scenario_days.threat_windows(scenario, n_days)
    return {
        "evac_sorties_per_person": per_person,
        **evac_fire(routes, rates, effects, in_force),
        **evac_road(road, rates, effects, in_force),
    }


def evac_road_routes(
    scenario: Scenario, evac_link: np.ndarray, air_link: np.ndarray, site_ids: tuple[str, ...]
) -> list[list[tuple[int, int, float]]]:
    """Per site, (road slot, threat row, exposure a convoy) of the threats on its road
    evacuation link (none where the site evacuates by air), as `movement_threats` gives a
    planned convoy on that link."""
    routes: list[list[tuple[int, int, float]]] = [[] for _ in site_ids]
    for s, sid in enumerate(site_ids):
        j = int(evac_link[s])
        if j < 0 or j == int(air_link[s]):
            continue
        link = scenario.links[j]
        dest = link.to_site if link.from_site == sid else link.from_site
        routes[s] = movement_threats(scenario, link.mode, link.id, sid, dest)
    return routes


def evac_road(
    routes: list[list[tuple[int, int, float]]],
    rates: np.ndarray,
    effects: np.ndarray,
    in_force: np.ndarray,
) -> dict[str, np.ndarray]:
    """Incidents an evacuation convoy meets by site, road kind and day, and one incident's
    rate-weighted mean effects by kind, from the threats' rates [T] and effects [T, E]."""
    n, n_days = len(routes), in_force.shape[1]
    kinds = len(ROAD_SLOTS)
    rate = np.zeros((n, kinds, n_days))
    mean = np.zeros((n, kinds, len(EFFECT_FIELDS)))
    weight = np.zeros((n, kinds))
    for s, rows in enumerate(routes):
        for slot, row, per_convoy in rows:
            if slot >= kinds:
                continue
            add = rates[row] * per_convoy * in_force[row, :n_days]
            rate[s, slot] += add
            w = float(add.mean())
            mean[s, slot] += effects[row] * w
            weight[s, slot] += w
    known = weight[:, :, None] > 0
    mean = np.divide(mean, weight[:, :, None], out=np.zeros_like(mean), where=known)
    return {"evac_road_rate": rate, "evac_road_effects": mean}


def evac_routes(
    scenario: Scenario, air_link: np.ndarray, air_dest: np.ndarray, site_ids: tuple[str, ...]
) -> tuple[list[list[tuple[int, float]]], np.ndarray]:
    """Per site, (threat row, exposure a sortie) of the per-sortie threats at the two
    airfields of its air route (as a planned sortie there, `movement_threats`); and the
    sorties a person takes on the aircraft that can fly the route."""
    n = len(site_ids)
    per_aircraft = evac_seats_per_aircraft(scenario, air_link, air_dest, site_ids)
    per_person = sorties_per_person(
        per_aircraft,
        np.array([float(ac.count) for ac in scenario.aircraft]),
        np.array([float(ac.sorties_per_day) for ac in scenario.aircraft]),
    )
    routes: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for s, sid in enumerate(site_ids):
        if air_link[s] >= 0:
            link = scenario.links[int(air_link[s])].id
            dest = site_ids[int(air_dest[s])]
            routes[s] = [
                (row, x) for _, row, x in movement_threats(scenario, "air", link, sid, dest)
            ]
    return routes, per_person


def sorties_per_person(
    per_aircraft: np.ndarray, counts: np.ndarray, sorties: np.ndarray
) -> np.ndarray:
    """[S] sorties a person takes on each site's air route: the sorties a day of the
    aircraft that can fly it over their seats a day (`per_aircraft` [S, A] seats a day one
    aircraft flies there, `counts` and `sorties` [A])."""
    n = per_aircraft.shape[0]
    if not counts.size:
        return np.zeros(n)
    seats_day = per_aircraft @ counts
    sorties_day = (per_aircraft > 0) @ (counts * sorties)
    return np.divide(sorties_day, seats_day, out=np.zeros(n), where=seats_day > 0)


def evac_fire(
    routes: list[list[tuple[int, float]]],
    rates: np.ndarray,
    effects: np.ndarray,
    in_force: np.ndarray,
) -> dict[str, np.ndarray]:
    """Incidents a sortie by site and day, and one incident's rate-weighted mean effects, from
    the threats' rates [T] and effects [T, E] (`variants` passes patched ones)."""
    n, n_days = len(routes), in_force.shape[1]
    rate = np.zeros((n, n_days))
    mean = np.zeros((n, len(EFFECT_FIELDS)))
    weight = np.zeros(n)
    for s, rows in enumerate(routes):
        for row, per_sortie in rows:
            add = rates[row] * per_sortie * in_force[row, :n_days]
            rate[s] += add
            w = float(add.mean())
            mean[s] += effects[row] * w
            weight[s] += w
    known = weight[:, None] > 0
    mean = np.divide(mean, weight[:, None], out=np.zeros_like(mean), where=known)
    return {"evac_fire_rate": rate, "evac_fire_effects": mean}


def evac_seats_per_aircraft(
    scenario: Scenario, air_link: np.ndarray, air_dest: np.ndarray, site_ids: tuple[str, ...]
) -> np.ndarray:
    """float [S, A]: seats a day one aircraft of each type flies on each site's air route
    (`variants` multiplies it by patched counts)."""
    out = np.zeros((len(site_ids), len(scenario.aircraft)))
    for s, sid in enumerate(site_ids):
        if air_link[s] < 0:
            continue
        sa, sb = scenario.site(sid), scenario.site(site_ids[int(air_dest[s])])
        for a, ac in enumerate(scenario.aircraft):
            if ac.people_each > 0 and ac.can_use(sa) and ac.can_use(sb):
                out[s, a] = ac.sorties_per_day * ac.people_each
    return out


def _air_capable(scenario: Scenario, a: str, b: str) -> bool:
    """Whether some aircraft type of the scenario can use both airfields."""
    sa, sb = scenario.site(a), scenario.site(b)
    return any(
        ac.count > 0 and ac.people_each > 0 and ac.can_use(sa) and ac.can_use(sb)
        for ac in scenario.aircraft
    )


def _depth_to_exit(scenario: Scenario) -> dict[str, int]:
    """Fewest links from each site to an exit (exits 0): orders legs upstream first."""
    depth = {s.id: 0 for s in scenario.sites if s.kind == "exit"}
    frontier = list(depth)
    while frontier:
        nxt = []
        for link in scenario.links:
            for a, b in ((link.from_site, link.to_site), (link.to_site, link.from_site)):
                if b in depth and a not in depth and b in frontier:
                    depth[a] = depth[b] + 1
                    nxt.append(a)
        frontier = nxt
    return depth
