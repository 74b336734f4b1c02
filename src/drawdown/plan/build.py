"""The strategic model: closure order, flows and disposition over coarse periods.

Data prep (`prepare`) turns the network's daily arrays into lanes (a route flown or driven by
one asset type) by period; `build_model` then adds one family of variables or constraints per
`define_*` function, each from whole labelled arrays. Flows leave a site only from the stock it
held at the start of the period and arrive in the period holding the latest possible arrival
day, so any period's flows can be laid out day by day (see `schedule.py`).
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from dataclasses import dataclass, replace

import linopy
import linopy.config
import numpy as np
import pandas as pd
import xarray as xr

from drawdown.network import FloatArray, IntArray, Network, days_to_exit
from drawdown.plan.terms import to_sites
from drawdown.scenario.days import planned_exit_day
from drawdown.scenario.model import ClosureWork, Scenario

_SemanticsWarning: type[Warning] = getattr(linopy.config, "LinopySemanticsWarning", UserWarning)

DEFAULT_PERIOD_DAYS = 14
CONVOY_TRUCKS_DEFAULT = 20  # convoy size on roads with no escort row
STRANDED_PENALTY = 1e9  # per person left in theatre, elastic (diagnosis) model only


@dataclass(frozen=True)
class Lanes:
    """Lanes (route x asset) and their figures by period; arrays are (lanes,) or (lanes, T)."""

    route: IntArray
    asset: tuple[str, ...]
    is_air: np.ndarray
    fixed_wing: np.ndarray
    origin: tuple[str, ...]
    destination: tuple[str, ...]
    unit_capacity: dict[str, FloatArray]  # commodity -> per truck or sortie (0: cannot carry)
    convoy_trucks: FloatArray
    convoy_vehicles: FloatArray
    corridors: tuple[frozenset[str], ...]
    usable_days: IntArray
    arrival_period: IntArray
    deaths: FloatArray
    approval: FloatArray
    turnaround_days: FloatArray
    days_left_on_arrival: FloatArray


@dataclass(frozen=True)
class Closing:
    """What closing each node takes and what lift leaves the theatre (see `closing_facts`).

    Node arrays follow `PlanData.nodes`; lift arrays are (exits,) or (exits, periods).
    """

    teu_per_person_day: float
    veh_per_person_day: float
    pack_cap: FloatArray  # (2, nodes) most TEU, vehicles a node packs a day (`pack_caps`)
    pack_pace: FloatArray  # (nodes,) the plan's packing pace, a factor of both (`plan_pace`)
    final_steps_days: int
    final_steps_periods: int  # cargo gone this many periods before closure (rounded up)
    rear_people: FloatArray  # rear parties of the units at each node
    main_people: FloatArray  # main bodies (unit size less rear party)
    threat_guard: FloatArray  # guard sized by the expected attacks a month
    handover_delay_days: FloatArray  # expected wait for the host's acceptance of a handover
    residual_until_day: IntArray  # last day a residual task holds the node open (-1: none)
    supports: tuple[tuple[str, str], ...]  # (supporter, supported) among the nodes
    closure_team: tuple[str, ...]  # each node's closure team ("": its own people, from day 0)
    team_rank: IntArray  # place in its team's round (`scenario.closure_teams`; 0 without)
    pack_from_day: IntArray  # first day the model lets the node pack (its team's window)
    seat_exits: tuple[str, ...]  # exits with charter rows
    seats: FloatArray  # (seat exits, periods): expected seats after air clearance
    corridor_exits: tuple[str, ...]
    corridor_teu: FloatArray  # (corridor exits, periods)
    corridor_veh: FloatArray
    border_delay_days: dict[str, float]  # exit -> mean border and customs delay


@dataclass(frozen=True)
class PlanData:
    """Everything the strategic model and the scheduler read, as arrays."""

    scenario: Scenario
    network: Network
    period_start: IntArray
    period_len: IntArray
    period_of_day: IntArray
    commodities: tuple[str, ...]  # "people@<deadline day>", ..., "teu", "veh"
    deadline_day: dict[str, int]  # the true deadline of each people group
    plan_deadline_day: dict[str, int]  # the model's: a few days earlier, slack for the days
    nodes: tuple[str, ...]  # bases and hubs
    initial: FloatArray  # (commodities, nodes): people held; cargo before disposal
    group_site: tuple[str, ...]  # disposal groups: (site, cargo class, sensitive)
    group_class: tuple[str, ...]
    group_sensitive: tuple[bool, ...]
    group_teu: FloatArray
    group_vehicles: FloatArray
    group_value: FloatArray
    lanes: Lanes | None = None
    # Who owns each disposal group, and whether it may be handed over (COE non-sensitive
    # equipment only if its contingent allows; sensitive items never).
    group_owner: tuple[str, ...] = ()
    group_may_leave: tuple[bool, ...] = ()
    work: Closing | None = None
    capacity_factor: float = 1.0  # below 1 when the scheduler needs slack (repair)
    # Whole convoys per lane and period in the model. Off by default (relax-and-round, see
    # `rounding`): the model then solves to a proven 0.5% gap in seconds.
    integer_convoys: bool = False
    # Expected deaths from base attacks in the model's objective (tangent cuts). `optimise`
    # turns it on by default: without it the model sees no reason to close an exposed base
    # once its work is done (Barkhane's Menaka waited a month for trucks), and the daily
    # table, scored with them, drifted 8-10% from the model on MINUSMA (4.6% with them).
    base_attacks: bool = False

    @property
    def people(self) -> tuple[str, ...]:
        return tuple(k for k in self.commodities if k.startswith("people"))

    @property
    def n_periods(self) -> int:
        return len(self.period_start)


def people_key(deadline_day: int) -> str:
    return f"people@{deadline_day}"


def contingent_deadlines(scenario: Scenario) -> dict[str, int]:
    """Day index by which each early-leaving contingent must be out (others: the deadline)."""
    last = scenario.horizon_days - 1
    out: dict[str, int] = {}
    for ev in scenario.events:
        if ev.kind == "contingent_departs":
            out[ev.target] = min(out.get(ev.target, last), scenario.day_of(ev.date), last)
    return out


def make_periods(horizon_days: int, period_days: int, cuts: list[int]) -> IntArray:
    """Period start days: every `period_days`, plus a cut after each day in `cuts`."""
    step = max(1, period_days)
    # A sliver of a period at the end would pack the final evacuation into a day or two.
    starts = {s for s in range(0, horizon_days, step) if s == 0 or horizon_days - s > step // 2}
    starts.update(c + 1 for c in cuts if 0 <= c < horizon_days - 1)
    return np.array(sorted(starts), dtype=np.int64)


def auto_period_days(horizon_days: int) -> int:
    """Fortnights for missions of months; shorter periods for short horizons."""
    return int(min(DEFAULT_PERIOD_DAYS, max(1, horizon_days // 10)))


def prepare(scenario: Scenario, network: Network, period_days: int | None = None) -> PlanData:
    """Periods, commodities, stocks, disposal groups and lanes of `scenario`."""
    H = scenario.horizon_days
    by_contingent = contingent_deadlines(scenario)
    deadlines = sorted({H - 1, *by_contingent.values()})
    step = period_days or auto_period_days(H)
    # The model plans people out a few days early (a quarter period) so that the daily
    # schedule has slack for convoys that must wait a day for escorts or trucks.
    # The policy's reserve brings the whole plan forward from the deadline itself.
    planned_end = planned_exit_day(scenario)
    planned = [max(min(d, planned_end) - step // 4, 0) if d > 0 else d for d in deadlines]
    # A period ends with the policy's cut-off for cargo, so that the model's last loads
    # (`define_last_loads`) fall in whole periods the daily table can keep to.
    cutoff = H - 1 - scenario.manifest.policy.cutoff_days_before_deadline
    cuts = [*planned, cutoff] if scenario.manifest.models_closure_work and cutoff > 0 else planned
    starts = make_periods(H, step, sorted(set(cuts)))
    lengths = np.diff(np.append(starts, H))
    period_of_day = np.repeat(np.arange(len(starts)), lengths)
    commodities = tuple(people_key(d) for d in deadlines) + ("teu", "veh")
    nodes = tuple(s.id for s in scenario.sites if s.kind in ("base", "hub"))
    node_pos = {s: i for i, s in enumerate(nodes)}
    initial = np.zeros((len(commodities), len(nodes)))
    groups: dict[tuple[str, str, bool, str, bool], list[float]] = {}
    for (site, contingent), people in scenario.people_by("site", "contingent").items():
        if site in node_pos:
            d = by_contingent.get(contingent, H - 1)
            initial[commodities.index(people_key(d)), node_pos[site]] += people
    for h in scenario.holdings:
        if h.site not in node_pos:
            continue
        j = node_pos[h.site]
        initial[-2, j] += h.containers_teu
        initial[-1, j] += h.vehicles
        if h.containers_teu > 0 or h.vehicles > 0:
            owner = h.owner or "coe"
            key = (h.site, h.cargo_class, h.sensitive, owner, scenario.may_hand_over(h))
            g = groups.setdefault(key, [0.0, 0.0, 0.0])
            g[0] += h.containers_teu
            g[1] += h.vehicles
            g[2] += h.value_usd
    keys = list(groups)
    data = PlanData(
        scenario=scenario,
        network=network,
        period_start=starts,
        period_len=lengths.astype(np.int64),
        period_of_day=period_of_day.astype(np.int64),
        commodities=commodities,
        deadline_day={people_key(d): d for d in deadlines},
        plan_deadline_day={people_key(d): p for d, p in zip(deadlines, planned, strict=True)},
        nodes=nodes,
        initial=initial,
        group_site=tuple(k[0] for k in keys),
        group_class=tuple(k[1] for k in keys),
        group_sensitive=tuple(k[2] for k in keys),
        group_teu=np.array([groups[k][0] for k in keys]),
        group_vehicles=np.array([groups[k][1] for k in keys]),
        group_value=np.array([groups[k][2] for k in keys]),
        group_owner=tuple(k[3] for k in keys),
        group_may_leave=tuple(k[4] for k in keys),
    )
    data = replace(data, work=closing_facts(data, step))
    return _with_lanes(data)


DAYS_PER_MONTH = 30.44


def closing_facts(data: PlanData, period_days: int) -> Closing:
    """Closure work, unit presence, guards, support, residual tasks and strategic lift.

    From the scenario's units, threats, roles, residual tasks, lift rows and handover
    clearances, by node and period (the rules: `docs/background/withdrawal-model.md`).
    """
    from drawdown.scenario import closure_teams
    from drawdown.scenario import days as scenario_days

    sc = data.scenario
    H = sc.horizon_days
    cw, policy = sc.manifest.closure or ClosureWork(), sc.manifest.policy
    nodes = data.nodes
    npos = {n: i for i, n in enumerate(nodes)}
    rear = np.zeros(len(nodes))
    main = np.zeros(len(nodes))
    for u in sc.units:
        if u.site not in npos:
            continue
        size = float(u.people)
        r = (
            float(u.rear_party_people)
            if u.rear_party_people is not None
            else max(policy.rear_party_share * size, float(policy.rear_party_min_people))
        )
        r = min(r, size)
        rear[npos[u.site]] += r
        main[npos[u.site]] += size - r
    attacks_a_day = np.zeros(len(nodes))
    windows = scenario_days.threat_windows(sc, H)
    for t, active in zip(sc.threats, windows, strict=True):
        if t.kind == "base_attack" and t.target in npos:
            attacks_a_day[npos[t.target]] += t.rate * float(active.mean())
    threat_guard = policy.guard_people_per_attack_per_month * attacks_a_day * DAYS_PER_MONTH
    delay = np.zeros(len(nodes))
    for n, j in npos.items():
        c = scenario_days.clearance(sc, "handover", sc.site(n).region, H)
        # Expected wait for an accepted handover: each refusal costs a retry delay.
        refusals = (1.0 - np.clip(c.approval, 1e-6, 1.0)) / np.clip(c.approval, 1e-6, 1.0)
        delay[j] = float((c.delay_mean_days + refusals * policy.retry_delay_days).mean())
    until = np.full(len(nodes), -1, dtype=np.int64)
    for task in sc.residual_tasks:
        if task.site in npos:
            j = npos[task.site]
            until[j] = max(until[j], min(sc.day_of(task.until), H - 1))
    supports: list[tuple[str, str]] = []
    if policy.support_sites_close_first:
        sites = {s.id: s for s in sc.sites}
        hq = [n for n in nodes if sites[n].role == "hq"]
        for n in nodes:
            sup = sites[n].supported_by
            if sup in npos and sup != n:
                supports.append((sup, n))
            for h in hq:  # the HQ closes last: it supports the whole mission
                if h != n and (h, n) not in supports:
                    supports.append((h, n))
    starts, lengths = data.period_start, data.period_len
    seat_exits: list[str] = []
    seats: list[FloatArray] = []
    corridor_exits: list[str] = []
    teu: list[FloatArray] = []
    veh: list[FloatArray] = []
    border: dict[str, float] = {}
    for lift in sc.lift:
        if lift.kind == "charter":
            region = sc.site(lift.site).region
            approval = scenario_days.clearance(sc, "air", region, H).approval
            per_day = lift.flights_per_week * lift.seats_each / 7.0 * approval
            by_period = np.add.reduceat(per_day, starts)
            if lift.site in seat_exits:
                seats[seat_exits.index(lift.site)] = seats[seat_exits.index(lift.site)] + by_period
            else:
                seat_exits.append(lift.site)
                seats.append(by_period)
        else:
            teu_in = lift.teu_per_day * lengths.astype(float)
            veh_in = lift.vehicles_per_day * lengths.astype(float)
            if lift.site in corridor_exits:
                i = corridor_exits.index(lift.site)
                teu[i], veh[i] = teu[i] + teu_in, veh[i] + veh_in
            else:
                corridor_exits.append(lift.site)
                teu.append(teu_in)
                veh.append(veh_in)
            border[lift.site] = max(border.get(lift.site, 0.0), lift.border_delay_days_mean)
    T = len(starts)
    # Without closure work (an older folder) nothing is packed and there are no final steps
    # or handover wait: the same world as the stress test's (`Manifest.models_closure_work`).
    works = sc.manifest.models_closure_work
    rank, pack_from = closure_teams.round_rank(sc), closure_teams.planned_pack_start(sc)
    final_days = cw.final_steps_days if works else 0
    if not works:
        delay = np.zeros(len(nodes))
    return Closing(
        teu_per_person_day=cw.teu_packed_per_person_day if works else 0.0,
        veh_per_person_day=cw.vehicles_prepared_per_person_day if works else 0.0,
        pack_cap=pack_caps(cw, data),
        pack_pace=plan_pace(sc, nodes),
        final_steps_days=final_days,
        final_steps_periods=int(math.ceil(final_days / max(period_days, 1))),
        rear_people=rear,
        main_people=main,
        threat_guard=threat_guard,
        handover_delay_days=delay,
        residual_until_day=until,
        supports=tuple(supports),
        closure_team=tuple(sc.site(n).closure_team for n in nodes),
        team_rank=np.array([rank.get(n, 0) for n in nodes], dtype=np.int64),
        pack_from_day=np.array([pack_from[n] for n in nodes], dtype=np.int64),
        seat_exits=tuple(seat_exits),
        seats=np.array(seats, dtype=float).reshape(len(seat_exits), T),
        corridor_exits=tuple(corridor_exits),
        corridor_teu=np.array(teu, dtype=float).reshape(len(corridor_exits), T),
        corridor_veh=np.array(veh, dtype=float).reshape(len(corridor_exits), T),
        border_delay_days=border,
    )


def plan_pace(scenario: Scenario, nodes: tuple[str, ...]) -> FloatArray:
    """(nodes,): the pace the plan packs each node at, as a factor of the rates and caps.

    A hub (the HQ among them) packing to its loads (`simulate.call_forward.on_schedule`) is
    planned at the slowest declared pace (`packing_factor_low`), the pace its schedule is
    worked back at. It closes last by its role, so its last loads fall days before the cargo
    cut-off: planned at the rates, a run drawn slower fell behind them and met the cut-off
    with cargo unpacked (Barkhane's Gao finished packing in 45% of runs, and such a run
    destroyed 396 TEU on average). A base is planned at the rates, the middle of what a run
    draws: one that falls behind keeps its last load until its cargo is packed and closes
    later, weeks before the cut-off (as Gossi did). Planned at the slowest pace as well, the
    bases closed later in every run, since a run cannot close a site before its plan's last
    loads (Barkhane's Menaka: day 134 against the record's 116), and MINUSMA's plan of seed
    0 got everyone out in 92% of runs instead of 97%.
    """
    from drawdown.simulate.call_forward import on_schedule

    work = scenario.manifest.closure or ClosureWork()
    hubs = {n for n in on_schedule(scenario) if scenario.site(n).kind == "hub"}
    return np.array([work.packing_factor_low if n in hubs else 1.0 for n in nodes])


def pack_caps(work: ClosureWork, data: PlanData) -> FloatArray:
    """(2, nodes): the most TEU and vehicles each node packs a day, from its own cargo at
    the start (`ClosureWork.pack_caps`)."""
    ti, vi = data.commodities.index("teu"), data.commodities.index("veh")
    caps = [
        work.pack_caps(float(t), float(v))
        for t, v in zip(data.initial[ti], data.initial[vi], strict=True)
    ]
    return np.array(caps, dtype=float).reshape(len(data.nodes), 2).T


def _lane_assets(scenario: Scenario, network: Network) -> list[tuple[int, str]]:
    sites = {s.id: s for s in scenario.sites}
    out = []
    for ri, r in enumerate(network.routes):
        if r.mode == "air":
            ends = (sites[r.origin], sites[r.destination])
            for a in scenario.aircraft:
                if a.count <= 0 or a.sorties_per_day <= 0:
                    continue
                if not all(a.can_use(s) for s in ends):
                    continue
                if a.min_runway_m > 0 and min(s.air_slots_per_day for s in ends) <= 0:
                    continue
                if 0 < a.range_km < r.km:  # beyond its range without refuelling
                    continue
                out.append((ri, a.id))
        else:
            for t in scenario.trucks:
                if t.count > 0 and (t.teu_each > 0 or t.people_each > 0):
                    out.append((ri, t.id))
    return out


def _period_reduce(values: np.ndarray, data: PlanData, how: str) -> np.ndarray:
    """Reduce (lanes, days) values to (lanes, periods) by sum or max."""
    starts = data.period_start
    if how == "sum":
        return np.add.reduceat(values, starts, axis=1)
    return np.maximum.reduceat(values, starts, axis=1)


def _with_lanes(data: PlanData) -> PlanData:
    scenario, net = data.scenario, data.network
    pairs = _lane_assets(scenario, net)
    route = np.array([p[0] for p in pairs], dtype=np.int64)
    asset = tuple(p[1] for p in pairs)
    aircraft = {a.id: a for a in scenario.aircraft}
    trucks = {t.id: t for t in scenario.trucks}
    is_air = np.array([a in aircraft and net.routes[r].mode == "air" for r, a in pairs], bool)
    fixed_wing = np.array(
        [ia and aircraft[a].min_runway_m > 0 for ia, a in zip(is_air, asset, strict=True)], bool
    )
    corridors_of_route = net.route_corridors(scenario)
    escort_size: dict[str, tuple[float, float]] = {}
    for e in scenario.escorts:
        old = escort_size.get(e.corridor, (0.0, 0.0))
        escort_size[e.corridor] = (
            max(old[0], e.trucks_per_convoy),
            max(old[1], e.vehicles_per_convoy),
        )
    default_size = (
        max((v[0] for v in escort_size.values()), default=CONVOY_TRUCKS_DEFAULT),
        max((v[1] for v in escort_size.values()), default=0.0),
    )
    n = len(pairs)
    caps = {k: np.zeros(n) for k in data.commodities}
    convoy_trucks = np.zeros(n)
    convoy_vehicles = np.zeros(n)
    for i, (r, a) in enumerate(pairs):
        if is_air[i]:
            ac = aircraft[a]
            per = {"people": ac.people_each, "teu": ac.teu_each, "veh": ac.vehicles_each}
        else:
            tr = trucks[a]
            per = {"people": tr.people_each, "teu": tr.teu_each, "veh": 0.0}
            sizes = [escort_size.get(c, default_size) for c in corridors_of_route[r]]
            sizes = sizes or [default_size]
            convoy_trucks[i] = min(s[0] for s in sizes)
            convoy_vehicles[i] = min(s[1] for s in sizes)
        for k in data.commodities:
            caps[k][i] = per["people" if k.startswith("people") else k]
    usable = net.usable[route]
    dur = net.duration_days[route]
    if data.work is not None and data.work.border_delay_days:
        # Cargo reaching a corridor's end is out only once it has crossed the border.
        border = np.array(
            [round(data.work.border_delay_days.get(net.routes[r].destination, 0.0)) for r in route],
            dtype=np.int64,
        )
        dur = dur + border[:, None]
    days = np.arange(net.horizon_days)
    usable_days = _period_reduce(usable.astype(np.int64), data, "sum")
    arrive = np.where(usable, np.minimum(days + dur, net.horizon_days - 1), -1)
    last_arrival = _period_reduce(arrive, data, "max")
    arrival_period = np.where(
        last_arrival >= 0, data.period_of_day[np.maximum(last_arrival, 0)], -1
    )
    count = np.maximum(usable_days, 1)

    def mean(values: np.ndarray) -> np.ndarray:
        return _period_reduce(np.where(usable, values, 0.0), data, "sum") / count

    deaths = mean(net.deaths[route])
    approval = np.where(usable_days > 0, mean(net.approval[route]), 1.0)
    turnaround = np.maximum(mean(2.0 * dur + net.delay_days[route]), 1.0)
    days_left = np.maximum(net.horizon_days - mean(days + dur.astype(float)), 0.0)
    lanes = Lanes(
        route=route,
        asset=asset,
        is_air=is_air,
        fixed_wing=fixed_wing,
        origin=tuple(net.routes[r].origin for r in route),
        destination=tuple(net.routes[r].destination for r in route),
        unit_capacity=caps,
        convoy_trucks=convoy_trucks,
        convoy_vehicles=convoy_vehicles,
        corridors=tuple(corridors_of_route[r] for r in route),
        usable_days=usable_days,
        arrival_period=arrival_period.astype(np.int64),
        deaths=deaths,
        approval=np.maximum(approval, 1e-6),
        turnaround_days=turnaround,
        days_left_on_arrival=days_left,
    )
    _ = trucks
    return PlanData(**{**data.__dict__, "lanes": lanes})


# --------------------------------------------------------------------------- model


@dataclass
class Strategic:
    """A built strategic model and the constant part of each objective term."""

    model: linopy.Model
    data: PlanData
    constants: dict[str, float]
    elastic: bool
    # Solution values by variable label when it came from another solver process (see
    # `portfolio`); None when linopy's variables hold it.
    solution: np.ndarray | None = None
    # The continuous-convoy solution that `solution` was rounded from (see `rounding`).
    relaxed: np.ndarray | None = None


def _coords(data: PlanData) -> dict[str, pd.Index]:
    lanes = data.lanes
    assert lanes is not None
    return {
        "commodity": pd.Index(list(data.commodities), name="commodity"),
        "lane": pd.RangeIndex(len(lanes.route), name="lane"),
        "period": pd.RangeIndex(data.n_periods, name="period"),
        "node": pd.Index(list(data.nodes), name="node"),
        "group": pd.RangeIndex(len(data.group_site), name="group"),
    }


def _da(values: np.ndarray, data: PlanData, *dims: str) -> xr.DataArray:
    c = _coords(data)
    return xr.DataArray(values, coords={d: c[d] for d in dims}, dims=dims)


def _lane_label(data: PlanData, labels: tuple[str, ...], dim: str = "lane") -> xr.DataArray:
    c = _coords(data)
    return xr.DataArray(np.array(labels, dtype=object), coords={dim: c[dim]}, dims=dim)


@dataclass(frozen=True)
class Rows:
    """Linear terms over labelled dims as plain arrays, in linopy's layout.

    `vars` and `coeffs` are (*dims, term), `vars` -1 where a slot holds no term; `const` is
    (*dims). linopy aligns, broadcasts and copies whole xarray Datasets at every `+`, `*`,
    `sel` and `shift` (5-20 ms each: most of `build_model`'s time). A constraint built here
    has the same rows with the same terms in the same order as linopy's arithmetic would
    give (a sum over a dim and a cumulative sum lay their terms out as linopy does), so the
    solver sees the same matrix, duplicates summed in the same order. Dims are matched by
    their labels, which must agree: nothing is reindexed.
    """

    coords: tuple[pd.Index, ...]  # one index per dim, named by it
    vars: np.ndarray
    coeffs: np.ndarray
    const: np.ndarray

    @staticmethod
    def of(x: linopy.Variable | linopy.LinearExpression) -> Rows:
        """The terms of a variable (coefficient 1) or of an expression."""
        if isinstance(x, linopy.Variable):
            labels = x.labels
            coords = tuple(labels.indexes[d] for d in labels.dims)
            vars_ = labels.values[..., None]
            return Rows(coords, vars_, np.ones(vars_.shape), np.zeros(labels.shape))
        ds = x.data.transpose(..., "_term")
        dims = ds.vars.dims[:-1]
        coords = tuple(ds.indexes[d] for d in dims)
        return Rows(coords, ds.vars.values, ds.coeffs.values, ds.const.values)

    @property
    def dims(self) -> tuple[str, ...]:
        return tuple(str(c.name) for c in self.coords)

    def _index(self, dim: str) -> int:
        return self.dims.index(dim)

    def on(self, *coords: pd.Index) -> Rows:
        """Broadcast and transposed onto `coords` (the dims held must keep their labels)."""
        have = dict(zip(self.dims, self.coords, strict=True))
        for c in coords:
            assert c.name not in have or have[c.name].equals(c), f"{c.name} labels differ"
        new = [str(c.name) for c in coords]
        assert set(self.dims) <= set(new), "on() drops no dim"
        order = [self._index(d) for d in new if d in have]
        expand = tuple(slice(None) if d in have else None for d in new)
        shape = tuple(len(c) for c in coords)
        n = self.vars.shape[-1]
        return Rows(
            tuple(coords),
            np.broadcast_to(self.vars.transpose(*order, -1)[expand], (*shape, n)),
            np.broadcast_to(self.coeffs.transpose(*order, -1)[expand], (*shape, n)),
            np.broadcast_to(self.const.transpose(*order)[expand], shape),
        )

    def _factor(self, factor: xr.DataArray) -> np.ndarray:
        """`factor`'s values broadcast against the rows (its dims among theirs)."""
        for d in factor.dims:
            assert factor.indexes[d].equals(self.coords[self._index(str(d))]), f"{d} differs"
        f = factor.transpose(*[d for d in self.dims if d in factor.dims]).values
        return f[tuple(slice(None) if d in factor.dims else None for d in self.dims)]

    def __mul__(self, factor: xr.DataArray | float) -> Rows:
        f = self._factor(factor) if isinstance(factor, xr.DataArray) else factor
        return Rows(self.coords, self.vars, self.coeffs * np.asarray(f)[..., None], self.const * f)

    def relabel(self, dim: str, index: pd.Index) -> Rows:
        """`dim` replaced by `index` (same length, its own name and labels)."""
        i = self._index(dim)
        assert len(index) == len(self.coords[i])
        return Rows(self.coords[:i] + (index,) + self.coords[i + 1 :], *self._arrays)

    def plus(self, constant: xr.DataArray) -> Rows:
        """With `constant` added (its dims among the rows')."""
        return Rows(self.coords, self.vars, self.coeffs, self.const + self._factor(constant))

    @property
    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.vars, self.coeffs, self.const

    def where(self, keep: xr.DataArray) -> Rows:
        """Only the terms of the rows where `keep` holds (the others hold none)."""
        k = self._factor(keep)
        return Rows(
            self.coords,
            np.where(k[..., None], self.vars, -1),
            np.where(k[..., None], self.coeffs, np.nan),
            np.where(k, self.const, 0.0),
        )

    def total(self) -> Rows:
        """Summed over every dim: all terms in one row, in the order they are held."""
        return Rows((), self.vars.reshape(-1), self.coeffs.reshape(-1), self.const.sum())

    def __neg__(self) -> Rows:
        return Rows(self.coords, self.vars, -self.coeffs, -self.const)

    def __add__(self, other: Rows) -> Rows:
        """Terms of both, `self`'s first (as linopy merges them)."""
        other = other.on(*self.coords)
        return Rows(
            self.coords,
            np.concatenate([self.vars, other.vars], axis=-1),
            np.concatenate([self.coeffs, other.coeffs], axis=-1),
            self.const + other.const,
        )

    def __sub__(self, other: Rows) -> Rows:
        return self + -other

    def sel(self, dim: str, labels: list[str] | pd.Index) -> Rows:
        i = self._index(dim)
        pos = self.coords[i].get_indexer(labels)
        assert (pos >= 0).all(), f"unknown {dim}"
        coords = list(self.coords)
        coords[i] = pd.Index(list(labels), name=dim)
        return Rows(
            tuple(coords),
            np.take(self.vars, pos, axis=i),
            np.take(self.coeffs, pos, axis=i),
            np.take(self.const, pos, axis=i),
        )

    def at(self, dim: str, label: object) -> Rows:
        """The slot of `dim` labelled `label`, the dim dropped (as linopy's `sel`)."""
        i = self._index(dim)
        pos = int(self.coords[i].get_loc(label))
        return Rows(
            self.coords[:i] + self.coords[i + 1 :],
            np.take(self.vars, pos, axis=i),
            np.take(self.coeffs, pos, axis=i),
            np.take(self.const, pos, axis=i),
        )

    def shift(self, dim: str, by: int) -> Rows:
        """Terms of `dim`'s slot s moved to s + by; slots shifted in hold none."""
        i = self._index(dim)
        n = len(self.coords[i])
        src = np.arange(n) - by
        ok = (src >= 0) & (src < n)
        take = np.clip(src, 0, n - 1)
        keep = ok.reshape([-1 if k == i else 1 for k in range(len(self.dims))])
        return Rows(
            self.coords,
            np.where(keep[..., None], np.take(self.vars, take, axis=i), -1),
            np.where(keep[..., None], np.take(self.coeffs, take, axis=i), np.nan),
            np.where(keep, np.take(self.const, take, axis=i), 0.0),
        )

    def sum(self, dim: str) -> Rows:
        """Summed over `dim`: its slots join the terms, each term's slots together."""
        i = self._index(dim)
        coords = self.coords[:i] + self.coords[i + 1 :]
        shape = tuple(len(c) for c in coords)

        def stack(a: np.ndarray) -> np.ndarray:
            return np.moveaxis(a, i, -1).reshape(*shape, -1)

        return Rows(coords, stack(self.vars), stack(self.coeffs), self.const.sum(axis=i))

    def cumsum(self, dim: str) -> Rows:
        """Summed over `dim` up to each slot: linopy's rolling window, each term's window
        together, the earliest slot first (slots before the first hold no term)."""
        i = self._index(dim)
        n = len(self.coords[i])
        src = np.arange(n)[:, None] - (n - 1) + np.arange(n)[None, :]  # (slot, window)
        ok = (src >= 0)[:, None, :]
        take = np.clip(src, 0, n - 1)

        def window(a: np.ndarray, fill: float) -> np.ndarray:
            a = np.moveaxis(a, i, -2)[..., take, :]  # (..., slot, window, term)
            a = np.where(ok, np.swapaxes(a, -1, -2), fill)  # (..., slot, term, window)
            return np.moveaxis(a.reshape(*a.shape[:-2], -1), -2, i)

        return Rows(
            self.coords,
            window(self.vars, -1),
            window(self.coeffs, np.nan),
            np.cumsum(self.const, axis=i),
        )

    def expr(self, m: linopy.Model) -> linopy.LinearExpression:
        """As a linopy expression (for `to_sites`)."""
        dims = [*self.dims, "_term"]
        ds = xr.Dataset(
            {
                "coeffs": (dims, self.coeffs),
                "vars": (dims, self.vars),
                "const": (self.dims, self.const),
            },
            coords={d: c for d, c in zip(self.dims, self.coords, strict=True)},
        )
        return linopy.LinearExpression(ds, m)

    def constrain(
        self,
        m: linopy.Model,
        sign: str,
        rhs: xr.DataArray | float,
        name: str,
        mask: xr.DataArray | None = None,
    ) -> None:
        """Add `self sign rhs` as constraint `name` (rows where `mask` holds)."""
        r = rhs if isinstance(rhs, float) else self._factor(rhs)
        # linopy moves the constant over: rhs - const, as -(const - rhs).
        moved = np.broadcast_to(-(self.const - r), self.const.shape)
        dims = [*self.dims, "_term"]
        # Own arrays for the model (not views broadcast from the variables' labels).
        ds = xr.Dataset(
            {
                "coeffs": (dims, np.array(self.coeffs)),
                "vars": (dims, np.array(self.vars)),
                "sign": sign,
                "rhs": (self.dims, np.array(moved)),
            },
            coords={d: c for d, c in zip(self.dims, self.coords, strict=True)},
        )
        m.add_constraints(linopy.Constraint(ds, m), name=name, mask=mask)


def define_flows(m: linopy.Model, data: PlanData) -> linopy.Variable:
    """Loads (people by deadline, TEU, vehicles) sent on each lane in each period."""
    lanes = data.lanes
    assert lanes is not None
    kinds = {s.id: s for s in data.scenario.sites}
    K = len(data.commodities)
    mask = np.zeros((K, len(lanes.route), data.n_periods), dtype=bool)
    node_pos = {s: i for i, s in enumerate(data.nodes)}
    for ki, k in enumerate(data.commodities):
        is_people = k.startswith("people")
        carries = lanes.unit_capacity[k] > 0
        if k == "veh":
            carries = carries | (~lanes.is_air & (lanes.convoy_vehicles > 0))
        accepts = np.array(
            [
                kinds[d].kind != "exit"
                or kinds[d].exit_for in ("all", "people" if is_people else "cargo")
                for d in lanes.destination
            ]
        )
        has = np.array(
            [kinds[o].kind == "hub" or data.initial[ki, node_pos[o]] > 0 for o in lanes.origin]
        )
        ok = (lanes.usable_days > 0) & (carries & accepts & has)[:, None]
        into_node = np.array([kinds[d].kind != "exit" for d in lanes.destination])
        ok &= ~(into_node[:, None] & (lanes.arrival_period >= data.n_periods - 1))
        if is_people:
            last = data.period_of_day[data.plan_deadline_day[k]]
            ok &= lanes.arrival_period <= last
        mask[ki] = ok
    c = _coords(data)
    return m.add_variables(
        lower=0,
        coords=[c["commodity"], c["lane"], c["period"]],
        mask=xr.DataArray(mask, coords=[c["commodity"], c["lane"], c["period"]]),
        name="load",
    )


def define_units(m: linopy.Model, data: PlanData) -> tuple[linopy.Variable, Rows]:
    """Trucks or sorties per lane and period, and convoys on road lanes."""
    lanes = data.lanes
    assert lanes is not None
    sc = data.scenario
    rate = {a.id: a.count * a.sorties_per_day for a in sc.aircraft}
    slots = {s.id: s.air_slots_per_day for s in sc.sites}
    escort_rate: dict[str, float] = {}
    for e in sc.escorts:
        escort_rate[e.corridor] = escort_rate.get(e.corridor, 0.0) + e.convoys_per_day
    usable = lanes.usable_days.astype(float)
    ub_units = np.full(usable.shape, np.inf)
    ub_convoys = np.full(usable.shape, np.inf)
    for i in range(len(lanes.route)):
        if lanes.is_air[i]:
            cap = rate[lanes.asset[i]]
            if lanes.fixed_wing[i]:
                cap = min(cap, slots[lanes.origin[i]], slots[lanes.destination[i]])
            ub_units[i] = cap * lanes.approval[i] * usable[i]
        elif lanes.corridors[i]:
            per_day = min(escort_rate.get(cr, np.inf) for cr in lanes.corridors[i])
            ub_convoys[i] = per_day * lanes.approval[i] * usable[i]
    ub_units *= data.capacity_factor
    ub_convoys *= data.capacity_factor
    active = usable > 0
    c = _coords(data)
    dims = [c["lane"], c["period"]]
    units = m.add_variables(
        lower=0,
        upper=_da(ub_units, data, "lane", "period"),
        coords=dims,
        name="units",
        mask=_da(active, data, "lane", "period"),
    )
    road = active & ~lanes.is_air[:, None]
    # Whole convoys: a part-filled convoy is exposed to the threat in full.
    ub_convoys = np.floor(np.minimum(ub_convoys, 1e6) + 1e-9)
    whole = road & whole_convoy_lanes(data)[:, None] & data.integer_convoys
    convoys = m.add_variables(
        lower=0,
        upper=_da(ub_convoys, data, "lane", "period"),
        coords=dims,
        name="convoys",
        mask=_da(whole, data, "lane", "period"),
        integer=True,
    )
    part = m.add_variables(
        lower=0,
        upper=_da(ub_convoys, data, "lane", "period"),
        coords=dims,
        name="convoys_relaxed",
        mask=_da(road & ~whole, data, "lane", "period"),
    )
    return units, Rows.of(convoys) + Rows.of(part)


def whole_convoy_lanes(data: PlanData) -> np.ndarray:
    """Road lanes whose convoys must be whole: exposed to a threat or short of escorts.

    Elsewhere rounding a convoy up costs nothing the objective sees, and leaving it
    continuous keeps the integer program small.
    """
    lanes = data.lanes
    assert lanes is not None
    escorted = {e.corridor for e in data.scenario.escorts}
    limited = np.array([bool(cs & escorted) for cs in lanes.corridors], dtype=bool)
    return ~lanes.is_air & ((lanes.deaths.max(axis=1) > 0) | limited)


def define_payload(
    m: linopy.Model,
    data: PlanData,
    load: linopy.Variable,
    units: linopy.Variable,
    convoys: Rows,
) -> None:
    """Payloads fill trucks or sorties; trucks and self-driven vehicles fill convoys."""
    lanes = data.lanes
    assert lanes is not None
    inv = np.zeros((len(data.commodities), len(lanes.route)))
    for ki, k in enumerate(data.commodities):
        cap = lanes.unit_capacity[k]
        inv[ki] = np.where(cap > 0, 1.0 / np.maximum(cap, 1e-12), 0.0)
    used = (Rows.of(load) * _da(inv, data, "commodity", "lane")).sum("commodity")
    (used - Rows.of(units)).constrain(m, "<=", 0.0, "payload")
    road = ~lanes.is_air
    # A convoy never needs more trucks than the lane's origin could ever fill (a base holds
    # what it starts with, a hub at most everything): the tighter size is a valid
    # inequality where one small convoy carries all a base holds.
    held = origin_holdings(data)
    fill = np.ceil((held * inv).sum(axis=0) - 1e-6)
    trucks_per = np.minimum(lanes.convoy_trucks, np.maximum(fill, 1.0))
    size = _da(np.where(road, 1.0 / np.maximum(trucks_per, 1.0), 0.0), data, "lane")
    road_lanes = _da(road[:, None] & (lanes.usable_days > 0), data, "lane", "period")
    (convoys - Rows.of(units) * size).constrain(m, ">=", 0.0, "convoy_trucks", mask=road_lanes)
    veh = Rows.of(load).at("commodity", "veh")
    veh_held = held[data.commodities.index("veh")]
    per = _da(np.where(road, np.minimum(lanes.convoy_vehicles, veh_held), 0.0), data, "lane")
    (veh - convoys * per).constrain(m, "<=", 0.0, "convoy_vehicles", mask=road_lanes)


def origin_holdings(data: PlanData) -> FloatArray:
    """(commodities, lanes): the most a lane's origin can ever send of each commodity."""
    lanes = data.lanes
    assert lanes is not None
    kinds = {s.id: s.kind for s in data.scenario.sites}
    total = data.initial.sum(axis=1)
    pos = {n: i for i, n in enumerate(data.nodes)}
    cols = [total if kinds[o] == "hub" else data.initial[:, pos[o]] for o in lanes.origin]
    return np.stack(cols, axis=1)


def define_escorts(m: linopy.Model, data: PlanData, convoys: Rows) -> None:
    """Convoys leaving on a corridor a period, inflated by refusals, within its escorts."""
    lanes = data.lanes
    assert lanes is not None
    rate: dict[str, float] = {}
    for e in data.scenario.escorts:
        rate[e.corridor] = rate.get(e.corridor, 0.0) + e.convoys_per_day
    used = sorted(c for c in rate if any(c in cs for cs in lanes.corridors))
    if not used:
        return
    inflated = (convoys * _da(1.0 / lanes.approval, data, "lane", "period")).expr(m)
    # One block over the corridors (one constraint per corridor cost ~25 ms each): a lane
    # counts against each corridor of its route, the k-th of them in the k-th pass.
    by_route = [sorted(cs) for cs in lanes.corridors]
    lhs: Rows | None = None
    for k in range(max(len(cs) for cs in by_route)):
        kth = tuple(cs[k] if k < len(cs) else "" for cs in by_route)
        part = Rows.of(to_sites(m, inflated, kth, used, "corridor"))
        lhs = part if lhs is None else lhs + part
    assert lhs is not None
    per_day = np.array([rate[c] for c in used])
    length = data.period_len.astype(float)
    cap = xr.DataArray(
        per_day[:, None] * data.capacity_factor * length[None, :],
        coords={"corridor": used, "period": _coords(data)["period"]},
        dims=("corridor", "period"),
    )
    lhs.constrain(m, "<=", cap, "escort")


def define_fleets(m: linopy.Model, data: PlanData, units: linopy.Variable) -> None:
    """Trucks are tied up for the round trip; aircraft fly their sorties a day."""
    lanes = data.lanes
    assert lanes is not None
    sc = data.scenario
    length = data.period_len.astype(float) * data.capacity_factor
    # Lanes by the asset flying or driving them, road and air apart ("": not counted).
    by_truck = tuple("" if air else a for a, air in zip(lanes.asset, lanes.is_air, strict=True))
    by_aircraft = tuple(a if air else "" for a, air in zip(lanes.asset, lanes.is_air, strict=True))
    truck_ids = [t.id for t in sc.trucks if t.id in set(lanes.asset)]
    if truck_ids:
        # A trip leaving during a period keeps its trucks into the next one: with departures
        # spread over the period, turnaround^2 / (2 x length) days of it on average.
        turn = lanes.turnaround_days
        spill = np.minimum(turn**2 / (2.0 * data.period_len[None, :]), turn)
        trips = Rows.of(units)
        here = (trips * _da(turn - spill, data, "lane", "period")).expr(m)
        later = (trips * _da(spill, data, "lane", "period")).expr(m)
        next_period = np.broadcast_to(np.arange(data.n_periods) + 1, spill.shape)
        lhs = Rows.of(to_sites(m, here, by_truck, truck_ids, "asset")) + Rows.of(
            to_sites(m, later, by_truck, truck_ids, "asset", period_of=next_period)
        )
        count = xr.DataArray(
            [sc.trucks[[t.id for t in sc.trucks].index(i)].count for i in truck_ids],
            coords={"asset": truck_ids},
            dims="asset",
        )
        lhs.constrain(m, "<=", count * _da(length, data, "period"), "truck_fleet")
    air_ids = [a.id for a in sc.aircraft if a.id in set(lanes.asset)]
    if air_ids:
        flown = (Rows.of(units) * _da(1.0 / lanes.approval, data, "lane", "period")).expr(m)
        lhs = Rows.of(to_sites(m, flown, by_aircraft, air_ids, "asset"))
        by_id = {a.id: a for a in sc.aircraft}
        rate = xr.DataArray(
            [by_id[i].count * by_id[i].sorties_per_day for i in air_ids],
            coords={"asset": air_ids},
            dims="asset",
        )
        lhs.constrain(m, "<=", rate * _da(length, data, "period"), "sorties")
        slot_sites = [s.id for s in sc.sites if s.air_slots_per_day > 0]
        wing = lanes.fixed_wing
        dep = tuple(o if w else "" for o, w in zip(lanes.origin, wing, strict=True))
        arr = tuple(d if w else "" for d, w in zip(lanes.destination, wing, strict=True))
        lhs = Rows.of(to_sites(m, units, dep, slot_sites, "site")) + Rows.of(
            to_sites(m, units, arr, slot_sites, "site")
        )
        slots = xr.DataArray(
            [sc.site(s).air_slots_per_day for s in slot_sites],
            coords={"site": slot_sites},
            dims="site",
        )
        lhs.constrain(m, "<=", slots * _da(length, data, "period"), "air_slots")


def define_disposal(m: linopy.Model, data: PlanData) -> linopy.Variable:
    """Share of each site's cargo class left behind (handed over or destroyed)."""
    c = _coords(data)
    return m.add_variables(lower=0, upper=1, coords=[c["group"]], name="left")


def _initial_stock(data: PlanData, left: linopy.Variable) -> Rows:
    """Stock at the start: people held, cargo held less what is left behind.

    (commodity, node): a term per disposal group at the node, in group order (as linopy's
    groupby sums them).
    """
    c = _coords(data)
    amounts = np.zeros((len(data.group_site), len(data.commodities)))
    amounts[:, data.commodities.index("teu")] = data.group_teu
    amounts[:, data.commodities.index("veh")] = data.group_vehicles
    site = np.array(data.group_site, dtype=object)
    at_node = [np.flatnonzero(site == n) for n in data.nodes]
    width = max((len(g) for g in at_node), default=0)
    shape = (len(data.commodities), len(data.nodes), width)
    labels = left.labels.values
    vars_, coeffs = np.full(shape, -1, dtype=labels.dtype), np.full(shape, np.nan)
    for j, groups in enumerate(at_node):
        vars_[:, j, : len(groups)] = labels[groups]
        coeffs[:, j, : len(groups)] = -amounts[groups].T
    return Rows((c["commodity"], c["node"]), vars_, coeffs, data.initial.astype(float))


def define_stocks(
    m: linopy.Model, data: PlanData, load: linopy.Variable, left: linopy.Variable, elastic: bool
) -> tuple[linopy.Variable, Rows, linopy.Variable | None]:
    """Stock balance at bases and hubs; flows leave only from start-of-period stock."""
    lanes = data.lanes
    assert lanes is not None
    c = _coords(data)
    T = data.n_periods
    nodes = list(data.nodes)
    ub = np.full((len(data.commodities), len(nodes), T), np.inf)
    ub[:, :, T - 1] = 0.0
    for ki, k in enumerate(data.people):
        ub[ki, :, data.period_of_day[data.plan_deadline_day[k]] :] = np.inf if elastic else 0.0
        if elastic:
            ub[ki, :, T - 1] = np.inf
    stock = m.add_variables(
        lower=0,
        upper=xr.DataArray(ub, coords=[c["commodity"], c["node"], c["period"]]),
        coords=[c["commodity"], c["node"], c["period"]],
        name="stock",
    )
    dep = Rows.of(to_sites(m, load, lanes.origin, nodes, "node"))
    # What arrives during period a is available from period a + 1: flows leave only from
    # the stock held at the start of a period, so any period can be laid out day by day.
    available = np.where(lanes.arrival_period >= 0, lanes.arrival_period + 1, -1)
    arr = Rows.of(to_sites(m, load, lanes.destination, nodes, "node", period_of=available))
    start = _initial_stock(data, left)
    first = _da((np.arange(T) == 0).astype(float), data, "period")
    held = Rows.of(stock)
    flows = held - held.shift("period", 1) - arr + dep
    (flows - start.on(*flows.coords) * first).constrain(m, "=", 0.0, "balance")
    stranded = None
    if elastic:
        stranded = m.add_variables(
            lower=0,
            coords=[pd.Index(list(data.people), name="commodity"), c["node"]],
            name="stranded",
        )
        for k in data.people:
            p = int(data.period_of_day[data.plan_deadline_day[k]])
            m.add_constraints(
                stock.sel(commodity=k, period=p) - stranded.sel(commodity=k) <= 0,
                name=f"deadline[{k}]",
            )
    return stock, arr, stranded


def guard_people(data: PlanData) -> FloatArray:
    """The last guard at each node, who stay until its last movement: the largest of the
    policy minimum, the rear parties there and the threat's size (capped by those it holds)."""
    held = data.initial[[data.commodities.index(k) for k in data.people]].sum(axis=0)
    guard = np.full(len(data.nodes), float(data.scenario.manifest.policy.min_guard_people))
    if data.work is not None:
        guard = np.maximum.reduce([guard, data.work.rear_people, data.work.threat_guard])
    return np.minimum(guard, held)


def define_closures(
    m: linopy.Model, data: PlanData, stock: linopy.Variable, arrivals: Rows
) -> linopy.Variable:
    """Open/closed by period for garrisoned sites: closed stays closed and holds nothing."""
    c = _coords(data)
    guard = guard_people(data)
    garrisoned = [n for n, g in zip(data.nodes, guard, strict=True) if g > 0]
    gidx = pd.Index(garrisoned, name="node")
    is_open = m.add_variables(binary=True, coords=[gidx, c["period"]], name="open")
    opened = Rows.of(is_open)
    opened.at("period", 0).constrain(m, "=", 1.0, "open_at_start")
    if data.n_periods > 1:
        (opened - opened.shift("period", 1)).constrain(
            m, "<=", 0.0, "stays_closed", mask=_da(np.arange(data.n_periods) > 0, data, "period")
        )
    total = data.initial.sum(axis=1, keepdims=True)
    kinds = {s.id: s.kind for s in data.scenario.sites}
    big = np.where(np.array([kinds[n] == "hub" for n in data.nodes])[None, :], total, data.initial)
    big_da = _da(big, data, "commodity", "node").sel(node=garrisoned)
    nxt = opened.shift("period", -1)
    not_last = _da(np.arange(data.n_periods) < data.n_periods - 1, data, "period")
    st = Rows.of(stock).sel("node", garrisoned)
    (st - nxt.on(*st.coords) * big_da).constrain(
        m, "<=", 0.0, "closed_holds_nothing", mask=not_last
    )
    hubs = [n for n in garrisoned if kinds[n] == "hub"]
    if hubs:
        got = arrivals.sel("node", hubs)
        hub_open = opened.sel("node", hubs).on(*got.coords) * big_da.sel(node=hubs)
        (got - hub_open).constrain(m, "<=", 0.0, "closed_receives_nothing")
    ppl = st.sel("commodity", list(data.people)).sum("commodity")
    g = xr.DataArray(
        guard[[data.nodes.index(n) for n in garrisoned]], coords={"node": gidx}, dims="node"
    )
    (ppl - nxt * g).constrain(m, ">=", 0.0, "min_guard", mask=not_last)
    return is_open


ATTACK_FACTOR_CAP = 100.0  # as in the simulation: a thin garrison multiplies the rate by <= 100
ATTACK_TANGENT_SHARES = (1.0, 0.5, 0.25, 0.1)  # garrison / full garrison at the tangent points


def base_attack_threats(data: PlanData) -> dict[str, tuple[FloatArray, float, float, float]]:
    """Per garrisoned base with base_attack threats: (rate a day at full garrison by day,
    elasticity, killed per attack, full garrison)."""
    sc = data.scenario
    H = sc.horizon_days
    dates = [sc.manifest.start_date + dt.timedelta(days=d) for d in range(H)]
    pidx = [data.commodities.index(k) for k in data.people]
    full = data.initial[pidx].sum(axis=0)
    out: dict[str, tuple[FloatArray, float, float, float]] = {}
    for t in sc.threats:
        if t.kind != "base_attack" or t.target not in data.nodes:
            continue
        if sc.site(t.target).kind != "base":  # a hub's garrison also grows with arrivals
            continue
        j = data.nodes.index(t.target)
        if full[j] <= 0:
            continue
        active = np.array([t.start <= d <= t.end for d in dates], dtype=float)
        rate, e, killed, p0 = out.get(t.target, (np.zeros(H), 0.0, 0.0, float(full[j])))
        out[t.target] = (rate + t.rate * active, max(e, t.garrison_elasticity), t.killed_mean, p0)
    return out


def define_base_attacks(
    m: linopy.Model, data: PlanData, stock: linopy.Variable, is_open: linopy.Variable
) -> Rows | None:
    """Expected deaths from attacks on bases, as the garrison thins (tangent cuts).

    The attack rate r (P0 / p)^e is convex and decreasing in the garrison p; z >= a_k open -
    b_k p at a few tangent points under-approximates it (z >= 0), with p the people a base
    holds at the start of the period.
    """
    threats = base_attack_threats(data)
    nodes = [n for n in threats if n in set(is_open.coords["node"].values.tolist())]
    if not nodes:
        return None
    T = data.n_periods
    starts = data.period_start
    tangents = pd.RangeIndex(len(ATTACK_TANGENT_SHARES), name="tangent")
    a = np.zeros((len(nodes), T, len(tangents)))
    b = np.zeros_like(a)
    weight = np.zeros((len(nodes), T))
    for i, n in enumerate(nodes):
        rate_by_day, e, killed, p0 = threats[n]
        rate = np.add.reduceat(rate_by_day, starts) / data.period_len  # mean a day by period
        weight[i] = rate * data.period_len * killed  # deaths per period at full garrison
        for k, share in enumerate(ATTACK_TANGENT_SHARES):
            pk = max(share * p0, p0 / ATTACK_FACTOR_CAP ** (1.0 / e) if e > 0 else p0, 1.0)
            f = (p0 / pk) ** e
            a[i, :, k] = f * (1.0 + e)
            b[i, :, k] = e * f / pk
    c = _coords(data)
    node = pd.Index(nodes, name="node")
    z = m.add_variables(lower=0, coords=[node, c["period"]], name="attack_factor")
    people = Rows.of(stock).sel("commodity", list(data.people)).sel("node", nodes).sum("commodity")
    pidx = [data.commodities.index(k) for k in data.people]
    held0 = data.initial[pidx].sum(axis=0)[[data.nodes.index(n) for n in nodes]]
    first = _da((np.arange(T) == 0).astype(float), data, "period")
    p0_da = xr.DataArray(held0, coords={"node": node}, dims="node")
    garrison = people.shift("period", 1).plus(p0_da * first)
    dims = ("node", "period", "tangent")
    coords = {"node": node, "period": c["period"], "tangent": tangents}
    a_da = xr.DataArray(a, coords=coords, dims=dims)
    b_da = xr.DataArray(b, coords=coords, dims=dims)
    cuts = (node, c["period"], tangents)
    opened = Rows.of(is_open).sel("node", nodes).on(*cuts)
    tangent = Rows.of(z).on(*cuts) - opened * a_da + garrison.on(*cuts) * b_da
    tangent.constrain(m, ">=", 0.0, "attack_tangents")
    return (Rows.of(z) * xr.DataArray(weight, coords={"node": node, "period": c["period"]})).total()


# ------------------------------------------------------------ closure work and strategic lift


def _cargo_moves(
    m: linopy.Model, data: PlanData, load: linopy.Variable, arrivals: Rows
) -> tuple[Rows, Rows]:
    """TEU and vehicles leaving each node by period, and those arriving there."""
    lanes = data.lanes
    assert lanes is not None
    dep = to_sites(m, load.sel(commodity=["teu", "veh"]), lanes.origin, list(data.nodes), "node")
    return Rows.of(dep), arrivals.sel("commodity", ["teu", "veh"])


def define_packing(
    m: linopy.Model,
    data: PlanData,
    load: linopy.Variable,
    stock: linopy.Variable,
    arrivals: Rows,
) -> None:
    """Cargo leaving a node by period p <= what its people could pack up to p.

    Labour: TEU / rate <= person-days present and vehicles / rate <= person-days present
    (the people held at the end of each period: those present throughout it), each kind also
    capped per site and day. The two do not share the labour, as in the stress test
    (`simulate.withdrawal.pack`): the precedent rate is a base's containers over all its
    people's days while its vehicles were readied too (Gossi). Cargo that arrived from
    elsewhere is already packed. A base whose closure team is still at the sites before it
    in its round packs nothing until the team's window opens.
    """
    w = data.work
    assert w is not None
    own = data.initial[[data.commodities.index("teu"), data.commodities.index("veh")]]
    busy = [n for j, n in enumerate(data.nodes) if own[:, j].sum() > 0]
    if not busy or w.teu_per_person_day <= 0 or w.veh_per_person_day <= 0:
        return
    c = _coords(data)
    node = pd.Index(busy, name="node")
    kind = pd.Index(["teu", "veh"], name="commodity")
    # Days of each period a node may pack: all of them, or those from its closure team's
    # window on (`scenario.closure_teams`).
    start = np.array([w.pack_from_day[data.nodes.index(n)] for n in busy])[:, None]
    ends = (data.period_start + data.period_len)[None, :]
    length = np.clip(ends - np.maximum(data.period_start[None, :], start), 0, None).astype(float)
    pace = w.pack_pace[[data.nodes.index(n) for n in busy]]
    per_day = w.pack_cap[:, [data.nodes.index(n) for n in busy]] * pace[None, :]
    cap = per_day[:, :, None] * length[None, :, :]
    packed = m.add_variables(
        lower=0,
        upper=xr.DataArray(cap, coords=[kind, node, c["period"]]),
        coords=[kind, node, c["period"]],
        name="packed",
    )
    people = Rows.of(stock).sel("commodity", list(data.people)).sel("node", busy).sum("commodity")
    per_person = xr.DataArray(
        np.array([1.0 / w.teu_per_person_day, 1.0 / w.veh_per_person_day])[:, None] / pace[None, :],
        coords=[kind, node],
    )
    days = xr.DataArray(length, coords=[node, c["period"]])
    labour = Rows.of(packed) * per_person - people * days
    labour.constrain(m, "<=", 0.0, "packing_labour")
    dep, arr = _cargo_moves(m, data, load, arrivals)
    net_out = (dep - arr).sel("node", busy).cumsum("period")
    (net_out - Rows.of(packed).cumsum("period")).constrain(m, "<=", 0.0, "packing")
    _team_hand_offs(m, data, packed, busy, own)


def _team_hand_offs(
    m: linopy.Model, data: PlanData, packed: linopy.Variable, busy: list[str], own: FloatArray
) -> None:
    """A closure team's site is wholly packed by the period its team's next window opens.

    The model opens each window on a fixed day (`planned_pack_start`: the sites before
    finished at their starting strength); the daily table and the stress test move the team
    on only when the site before has packed everything (or has no one left, or has sent its
    last load). Without this the model thinned the first site of tiny's round early, its
    packing then took 15 days instead of 9 in the daily table, the team reached the second
    site six days late and left cargo there (the table 23% above the model).
    """
    w = data.work
    assert w is not None
    before: dict[tuple[str, int], str] = {}
    for n in busy:
        j = data.nodes.index(n)
        if w.closure_team[j]:
            before[(w.closure_team[j], int(w.team_rank[j]))] = n
    rows = []
    for n in busy:
        j = data.nodes.index(n)
        pred = before.get((w.closure_team[j], int(w.team_rank[j]) - 1))
        if not w.closure_team[j] or pred is None:
            continue
        opens = int(
            data.period_of_day[min(int(w.pack_from_day[j]), data.scenario.horizon_days - 1)]
        )
        rows.append((pred, opens))
    if not rows:
        return
    c = _coords(data)
    kind = pd.Index(["teu", "veh"], name="commodity")
    node = pd.Index(sorted({p for p, _ in rows}), name="node")
    by = dict(rows)
    upto = np.array([np.arange(data.n_periods) <= by[p] for p in node], dtype=float)
    mask = xr.DataArray(upto, coords=[node, c["period"]])
    amount = np.array([[own[k, data.nodes.index(p)] for p in node] for k in range(2)])
    done = (Rows.of(packed).sel("node", list(node)) * mask).sum("period")
    done.constrain(m, ">=", xr.DataArray(amount, coords=[kind, node]), "team_hand_off")


def travel_out_days(data: PlanData) -> IntArray:
    """Fewest days people at each node need to reach an exit on the plan's lanes (through
    hubs: lanes chain), the quickest day of the horizon for each lane."""
    lanes = data.lanes
    assert lanes is not None
    net = data.network
    kinds = {s.id: s.kind for s in data.scenario.sites}
    places = list(data.nodes) + sorted({d for d in lanes.destination if d not in data.nodes})
    pos = {n: j for j, n in enumerate(places)}
    carries = np.zeros(len(lanes.origin), dtype=bool)
    for k in data.people:
        carries |= lanes.unit_capacity[k] > 0
    r = lanes.route
    days = np.where(net.usable[r], net.duration_days[r], np.inf).min(axis=1)
    legs = [
        (pos[lanes.origin[li]], pos[lanes.destination[li]], float(days[li]))
        for li in np.flatnonzero(carries & np.isfinite(days))
    ]
    exits = [kinds.get(p) == "exit" for p in places]
    out = days_to_exit(len(places), legs, exits)[: len(data.nodes)]
    return np.where(np.isfinite(out), out, 0.0).astype(np.int64)


def last_load_days(data: PlanData) -> IntArray:
    """The last day a load may leave each node and still leave the final steps, the
    expected handover wait and the guard's quickest journey out (`travel_out_days`) before
    the planned exit (`planned_exit_day`), a day to spare: cargo not gone by then stays
    (handed over or destroyed), it does not keep the site open past the deadline. The model
    (`define_last_loads`) and the daily table (`closing.ClosingDays`) both keep to it."""
    w = data.work
    end = planned_exit_day(data.scenario)
    if w is None:
        return np.full(len(data.nodes), end, dtype=np.int64)
    delay = np.ceil(w.handover_delay_days).astype(np.int64)
    return end - 1 - w.final_steps_days - delay - travel_out_days(data)


def define_last_loads(m: linopy.Model, data: PlanData, load: linopy.Variable) -> None:
    """No cargo leaves a node in a period that ends after its last load day.

    The daily table loads no cargo after that day, and a period sums its capacity over all
    its days: allowed the whole period in which the day fell, the model sent MINUSMA's
    Sevare cargo (86 TEU, 120 vehicles) over the fortnight from day 154 with its last load
    on day 160, and the daily table could send 7 TEU and 13 vehicles of it. So the model
    loads a little less than the daily table may (at most a period less a day), and the
    daily table has those days to catch up in."""
    lanes = data.lanes
    assert lanes is not None
    last = last_load_days(data)
    npos = {n: j for j, n in enumerate(data.nodes)}
    lane_last = np.array([last[npos[o]] if o in npos else 10**9 for o in lanes.origin])
    ends = data.period_start + data.period_len - 1
    late = ends[None, :] > lane_last[:, None]  # (lane, period)
    if not late.any():
        return
    cargo = Rows.of(load).sel("commodity", ["teu", "veh"])
    cargo.constrain(m, "<=", 0.0, "last_loads", mask=_da(late, data, "lane", "period"))


def define_final_steps(
    m: linopy.Model, data: PlanData, load: linopy.Variable, is_open: linopy.Variable
) -> None:
    """No cargo leaves a base in its final-steps window: cargo leaving in period p needs the
    site open in p + f (f: final-steps days in periods, rounded up)."""
    w = data.work
    assert w is not None
    f = w.final_steps_periods
    kinds = {s.id: s.kind for s in data.scenario.sites}
    garrisoned = set(is_open.coords["node"].values.tolist())
    bases = [n for n in data.nodes if kinds[n] == "base" and n in garrisoned]
    if f <= 0 or not bases:
        return
    lanes = data.lanes
    assert lanes is not None
    dep = Rows.of(to_sites(m, load.sel(commodity=["teu", "veh"]), lanes.origin, bases, "node"))
    j = [data.nodes.index(n) for n in bases]
    big = data.initial[[data.commodities.index("teu"), data.commodities.index("veh")]][:, j]
    big_da = xr.DataArray(
        big, coords={"commodity": ["teu", "veh"], "node": bases}, dims=("commodity", "node")
    )
    later = Rows.of(is_open).sel("node", bases).shift("period", -f)
    (dep - later.on(*dep.coords) * big_da).constrain(m, "<=", 0.0, "final_steps")


def define_unit_presence(
    m: linopy.Model, data: PlanData, stock: linopy.Variable, is_open: linopy.Variable
) -> None:
    """Units leave with their work: people(s, p) >= rear parties x open(s, p + 1) + main
    bodies x the share of the site's own cargo still there."""
    w = data.work
    assert w is not None
    kinds = {s.id: s.kind for s in data.scenario.sites}
    garrisoned = set(is_open.coords["node"].values.tolist())
    ti, vi = data.commodities.index("teu"), data.commodities.index("veh")
    own = data.initial[ti] + data.initial[vi]
    bases = [
        n
        for j, n in enumerate(data.nodes)
        if kinds[n] == "base" and n in garrisoned and own[j] > 0 and w.main_people[j] > 0
    ]
    if not bases:
        return
    j = [data.nodes.index(n) for n in bases]
    held = data.initial[[data.commodities.index(k) for k in data.people]].sum(axis=0)[j]
    guard = guard_people(data)[j]
    main = np.minimum(w.main_people[j], np.maximum(held - guard, 0.0))
    node = pd.Index(bases, name="node")
    per_cargo = xr.DataArray(main / own[j], coords={"node": node}, dims="node")
    g = xr.DataArray(guard, coords={"node": node}, dims="node")
    st = Rows.of(stock).sel("node", bases)
    people = st.sel("commodity", list(data.people)).sum("commodity")
    cargo = st.sel("commodity", ["teu", "veh"]).sum("commodity")
    nxt = Rows.of(is_open).sel("node", bases).shift("period", -1)
    not_last = _da(np.arange(data.n_periods) < data.n_periods - 1, data, "period")
    (people - nxt * g - cargo * per_cargo).constrain(m, ">=", 0.0, "main_bodies", mask=not_last)


def _arrivals_at(
    m: linopy.Model,
    data: PlanData,
    load: linopy.Variable,
    commodities: list[str],
    sites: list[str],
    *,
    by_departure: bool = False,
) -> linopy.LinearExpression:
    """Loads of `commodities` bound for each of `sites`, by the period they arrive in (or,
    `by_departure`, the period they leave in)."""
    lanes = data.lanes
    assert lanes is not None
    return to_sites(
        m,
        load.sel(commodity=commodities),
        lanes.destination,
        sites,
        "site",
        period_of=None if by_departure else lanes.arrival_period,
        total="commodity",
    )


def define_lift(m: linopy.Model, data: PlanData, load: linopy.Variable) -> None:
    """People reaching a charter airport per period <= its seats; TEU and vehicles reaching
    a corridor's end (after the border delay) <= its throughput. Exits without lift rows
    stay unlimited."""
    w = data.work
    assert w is not None
    lanes = data.lanes
    assert lanes is not None
    c = _coords(data)
    factor = data.capacity_factor
    reached = set(lanes.destination)
    seat_sites = [s for s in w.seat_exits if s in reached]
    if seat_sites:
        rows = [w.seat_exits.index(s) for s in seat_sites]
        seats = xr.DataArray(
            w.seats[rows] * factor,
            coords={"site": seat_sites, "period": c["period"]},
            dims=("site", "period"),
        )
        # People take their seats in the period they leave for the airport, as the dispatcher
        # boards them (`closing.seat_limit`). Counted by the period of the last day's
        # landing, a fortnight's one-day flights took the next fortnight's seats and the
        # first fortnight's were never used; and with MINUSMA's aircraft at 70%, Gao's last
        # 540 flew to Niamey in the four days before 1 December on the fourteen days' seats
        # after it, which the dispatcher, boarding 38 a day, could not follow.
        boarding = _arrivals_at(m, data, load, list(data.people), seat_sites, by_departure=True)
        Rows.of(boarding).constrain(m, "<=", seats, "charter_seats")
    road_sites = [s for s in w.corridor_exits if s in reached]
    for k, cap in (("teu", w.corridor_teu), ("veh", w.corridor_veh)):
        if not road_sites:
            break
        rows = [w.corridor_exits.index(s) for s in road_sites]
        limit = xr.DataArray(
            cap[rows] * factor,
            coords={"site": road_sites, "period": c["period"]},
            dims=("site", "period"),
        )
        arrived = _arrivals_at(m, data, load, [k], road_sites)
        Rows.of(arrived).constrain(m, "<=", limit, f"corridor_{k}")


def define_site_roles(m: linopy.Model, data: PlanData, is_open: linopy.Variable) -> None:
    """The HQ and hubs stay open while a site they support is open; residual tasks hold
    their site open through their last day."""
    w = data.work
    assert w is not None
    garrisoned = set(is_open.coords["node"].values.tolist())
    pairs = [(a, b) for a, b in w.supports if a in garrisoned and b in garrisoned]
    if pairs:
        # One constraint block over the pairs (one add_constraints per pair cost ~1 s of
        # CPU on MINUSMA's 21 pairs).
        labels = [f"{a}>{b}" for a, b in pairs]

        def side(nodes: list[str]) -> Rows:
            # The two sides pick different nodes: label both by the pair instead.
            return (
                Rows.of(is_open).sel("node", nodes).relabel("node", pd.Index(labels, name="pair"))
            )

        supporter = side([a for a, _ in pairs])
        supported = side([b for _, b in pairs])
        (supporter - supported).constrain(m, ">=", 0.0, "support")
    held = [
        (n, int(d))
        for n, d in zip(data.nodes, w.residual_until_day, strict=True)
        if d >= 0 and n in garrisoned
    ]
    if held:
        # Open through the period holding `until`, and until the next one starts.
        last = np.array(
            [min(int(data.period_of_day[day]) + 1, data.n_periods - 1) for _, day in held]
        )
        sites = [n for n, _ in held]
        through = xr.DataArray(
            np.arange(data.n_periods)[None, :] <= last[:, None],
            coords={"node": sites, "period": _coords(data)["period"]},
            dims=("node", "period"),
        )
        Rows.of(is_open).sel("node", sites).constrain(m, ">=", 1.0, "residual_task", mask=through)


# Leaving behind what may not be handed over (COE the contingent keeps, sensitive items) is
# priced this many times its value (plus a floor a TEU or vehicle, 0 by default): the model
# writes it off only when it cannot leave in time or at a cost ten times its worth (MINUSMA:
# every contingent keeps its COE, and not all of it can leave by the deadline).
KEEP_PENALTY_FACTOR = 10.0
KEEP_PENALTY_PER_UNIT_USD = 0.0


def keep_price(value_usd: FloatArray, units: FloatArray) -> FloatArray:
    """Price, on top of its value, of writing off what its owner keeps (TEU + vehicles)."""
    return np.maximum((KEEP_PENALTY_FACTOR - 1.0) * value_usd, KEEP_PENALTY_PER_UNIT_USD * units)


def define_disposal_owner(data: PlanData, left: linopy.Variable) -> Rows | None:
    """COE non-sensitive equipment is repatriated unless its contingent allows a handover,
    and sensitive items are never handed over: what of them is left is written off, at a
    price that makes the model leave it only if it cannot leave (returns that price)."""
    keep = [g for g, ok in enumerate(data.group_may_leave) if not ok]
    if not keep:
        return None
    price = keep_price(data.group_value, data.group_teu + data.group_vehicles)
    w = data.scenario.manifest.objective.per_usd_cargo_lost
    weight = _da(np.where(np.isin(np.arange(len(price)), keep), price * w, 0.0), data, "group")
    return (Rows.of(left) * weight).total()


def define_objective(
    m: linopy.Model,
    data: PlanData,
    load: linopy.Variable,
    units: linopy.Variable,
    convoys: Rows,
    left: linopy.Variable,
    is_open: linopy.Variable,
    stranded: linopy.Variable | None,
    attacks: Rows | None = None,
    penalties: Rows | None = None,
) -> dict[str, float]:
    """Weighted casualties, cargo lost, protection gap and running cost; returns constants."""
    lanes = data.lanes
    assert lanes is not None
    sc = data.scenario
    w = sc.manifest.objective
    H = sc.horizon_days
    deaths = _da(lanes.deaths, data, "lane", "period")
    air = _da(lanes.is_air, data, "lane")
    casualty = (convoys * deaths).where(~air).total() + (Rows.of(units) * deaths).where(air).total()
    cargo = (Rows.of(left) * _da(data.group_value, data, "group")).total()
    # Protection: population-days uncovered before the horizon, counted by whole periods.
    horizon = sc.day_of(sc.manifest.protection_horizon) + 1 if sc.manifest.protection_horizon else H
    days = np.arange(H)
    before = np.add.reduceat((days < horizon).astype(float), data.period_start)
    guard = guard_people(data)
    pop = {s.id: float(s.population_covered) for s in sc.sites}
    garrisoned = [n for n, g in zip(data.nodes, guard, strict=True) if g > 0]
    all_pop = sum(pop[n] for n in data.nodes)
    prot_const = all_pop * float(horizon)
    gp = xr.DataArray([pop[n] for n in garrisoned], coords={"node": garrisoned}, dims="node")
    protection = -(Rows.of(is_open) * gp * _da(before, data, "period")).total()
    # Running cost apportioned by people in theatre: each person out earlier saves a share.
    people_total = float(data.initial[[data.commodities.index(k) for k in data.people]].sum())
    per_person_day = sc.manifest.running_cost_usd_per_day / max(people_total, 1.0)
    to_exit = np.array([sc.site(d).kind == "exit" for d in lanes.destination])
    saved = _da(
        np.where(to_exit[:, None], lanes.days_left_on_arrival, 0.0) * per_person_day,
        data,
        "lane",
        "period",
    )
    people = Rows.of(load).sel("commodity", list(data.people)).sum("commodity")
    running = -(people * saved).total()
    run_const = sc.manifest.running_cost_usd_per_day * H
    expr = (
        casualty * w.per_expected_death
        + cargo * w.per_usd_cargo_lost
        + protection * w.per_person_day_unprotected
        + running * w.per_usd_running_cost
    )
    if attacks is not None:
        expr = expr + attacks * w.per_expected_death
    if penalties is not None:
        expr = expr + penalties
    if stranded is not None:
        expr = expr + Rows.of(stranded).total() * STRANDED_PENALTY
    constants = {
        "protection_gap": w.per_person_day_unprotected * prot_const,
        "running_cost": w.per_usd_running_cost * run_const,
    }
    # linopy takes no constant in an objective: a variable fixed at 1 carries it, so that
    # the solver's relative gap is measured on the true total.
    one = m.add_variables(lower=1, upper=1, name="constant")
    m.add_objective((expr + Rows.of(one) * float(sum(constants.values()))).expr(m))
    return constants


def build_model(data: PlanData, *, elastic: bool = False) -> Strategic:
    """The strategic MILP of `data` (elastic: people may be stranded at a heavy penalty)."""
    with warnings.catch_warnings():
        # Absent (masked) slots add nothing to a sum: linopy's legacy semantics, on purpose.
        warnings.simplefilter("ignore", _SemanticsWarning)
        return _build(data, elastic)


def _build(data: PlanData, elastic: bool) -> Strategic:
    m = linopy.Model()
    load = define_flows(m, data)
    units, convoys = define_units(m, data)
    define_payload(m, data, load, units, convoys)
    define_escorts(m, data, convoys)
    define_fleets(m, data, units)
    left = define_disposal(m, data)
    stock, arrivals, stranded = define_stocks(m, data, load, left, elastic)
    is_open = define_closures(m, data, stock, arrivals)
    if data.work is not None:
        define_packing(m, data, load, stock, arrivals)
        define_final_steps(m, data, load, is_open)
        define_last_loads(m, data, load)
        define_unit_presence(m, data, stock, is_open)
        define_lift(m, data, load)
        define_site_roles(m, data, is_open)
    penalties = define_disposal_owner(data, left) if data.work is not None else None
    attacks = define_base_attacks(m, data, stock, is_open) if data.base_attacks else None
    constants = define_objective(
        m, data, load, units, convoys, left, is_open, stranded, attacks, penalties
    )
    return Strategic(m, data, constants, elastic)
