"""Daily scheduling: turn period targets into a feasible table of integer convoys and sorties.

A dispatcher walks the days once. Each day it tops up escort and aircraft allowances (token
buckets at the daily rate, a refused request costing its share through 1 / approval), frees
the trucks back from their round trips and lands what arrives; then it sends, lane by lane,
what the targets still ask for and the origin holds, in whole convoys or sorties within every
daily limit. A base keeps its guard until its cargo has gone (with `attack_hold`, a base under
attack its whole garrison until the period's last cargo has gone). What a period cannot send is
carried into the next. The result is checked, not trusted: what is left in theatre at the end
is reported, and the optimiser repairs by re-solving with derated capacity.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from drawdown.network import FloatArray, Route
from drawdown.plan.build import (
    ATTACK_FACTOR_CAP,
    PlanData,
    base_attack_threats,
    guard_people,
    keep_price,
)
from drawdown.plan.closing import ClosingDays
from drawdown.plan.ledger import Ledger, Part, added, split_whole
from drawdown.plan.model import Binding, ClosureWorkRow, Disposition, LiftUseRow, Movement, Plan
from drawdown.plan.record import SolverRecord
from drawdown.scenario.model import Link

EPS = 1e-6
SWEEP = 1e12  # what a sweep lane still owes: whatever its origin holds (see `dispatch`)


@dataclass
class Schedule:
    """A dispatched day-by-day plan and what it could not do."""

    movements: list[Movement]
    closure_day: dict[str, int]
    dispositions: list[Disposition]
    stranded_people: dict[str, int] = field(default_factory=dict)  # node -> people left
    late_people: int = 0  # people out after their contingent's deadline
    exited_people_by_day: FloatArray | None = None
    expected_deaths: float = 0.0
    sent: FloatArray | None = None  # (commodity, lane, period) loads sent, for checks
    closure_work: list[ClosureWorkRow] = field(default_factory=list)
    lift_use: list[LiftUseRow] = field(default_factory=list)
    unit_exited: dict[str, int] = field(default_factory=dict)  # unit -> people out

    @property
    def complete(self) -> bool:
        return not self.stranded_people and self.late_people == 0


def _lane_daily(data: PlanData) -> dict[str, np.ndarray]:
    lanes = data.lanes
    assert lanes is not None
    net = data.network
    r = lanes.route
    dur = net.duration_days[r]
    return {
        "usable": net.usable[r],
        "duration": dur,
        "approval": np.maximum(net.approval[r], 1e-6),
        "turnaround": np.maximum(np.ceil(2 * dur + net.delay_days[r]), 1).astype(np.int64),
    }


@dataclass(frozen=True)
class _Lane:
    """A lane's fixed facts as Python values: the dispatcher reads them on every visit to
    the lane, where numpy's scalar access costs more than the arithmetic they feed."""

    origin: str
    destination: str
    asset: str
    is_air: bool
    fixed_wing: bool
    # sorted: which corridor `_why_held` names first must not follow the string-hash seed
    corridors: tuple[str, ...]
    caps: list[float]  # per truck or sortie, by commodity (0: cannot carry)
    convoy_trucks: int  # at least 1
    convoy_vehicles: int  # self-driven vehicles a convoy takes (escorts take whole ones)


@dataclass
class _Capacity:
    """What today's convoys and sorties draw on, by reference to the dispatcher's own state:
    escort packages and sorties banked (by corridor, by aircraft type), trucks back in each
    pool, and each airfield's slots a day and those used today."""

    escorts: dict[str, float]
    sorties: dict[str, float]
    trucks: dict[str, int]
    slots: dict[str, int]
    slots_used: dict[str, int]


def _lane_facts(data: PlanData) -> list[_Lane]:
    lanes = data.lanes
    assert lanes is not None
    caps = np.array([lanes.unit_capacity[k] for k in data.commodities]).T.tolist()
    return [
        _Lane(
            origin=lanes.origin[li],
            destination=lanes.destination[li],
            asset=lanes.asset[li],
            is_air=bool(lanes.is_air[li]),
            fixed_wing=bool(lanes.fixed_wing[li]),
            corridors=tuple(sorted(lanes.corridors[li])),
            caps=caps[li],
            convoy_trucks=max(int(lanes.convoy_trucks[li]), 1),
            convoy_vehicles=int(lanes.convoy_vehicles[li]),
        )
        for li in range(len(lanes.route))
    ]


def _starting_stock(
    data: PlanData, left_share: FloatArray, ki: dict[str, int], npos: dict[str, int]
) -> np.ndarray:
    """Stock at nodes, after what is left behind."""
    stock = data.initial.copy()
    gi_node = np.array([npos[s] for s in data.group_site], dtype=np.int64)
    lost_teu = np.zeros(len(npos))
    lost_veh = np.zeros(len(npos))
    np.add.at(lost_teu, gi_node, data.group_teu * left_share)
    np.add.at(lost_veh, gi_node, data.group_vehicles * left_share)
    stock[ki["teu"]] -= lost_teu
    stock[ki["veh"]] = np.round(stock[ki["veh"]] - lost_veh)
    return np.maximum(stock, 0.0)


def _sweep_lanes(
    data: PlanData, targets: FloatArray, npos: dict[str, int], greedy: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The sweep lanes by (commodity, origin, period), -1 for none: the largest lane and the
    largest lane of the other mode (none when `greedy`, which sends whatever the origin
    holds)."""
    lanes = data.lanes
    assert lanes is not None
    n_k, n_nodes = len(data.commodities), len(npos)
    # The last period each origin has a target for each commodity: its largest lane then
    # sweeps up whatever is left there (rounding, late arrivals), so nothing is forgotten;
    # so does its largest lane of the other mode, if it has one, so that what is left does
    # not wait on one fleet (MINUSMA's Sevare vehicles on the C-130s the people's flights
    # had taken, stranded for want of the road convoys still running to Bamako).
    sweep_lane = np.full((n_k, n_nodes, data.n_periods), -1, dtype=np.int64)
    sweep_other = np.full_like(sweep_lane, -1)
    if not greedy:
        lane_node = np.array([npos[o] for o in lanes.origin], dtype=np.int64)
        for q in range(n_k):
            for j in range(n_nodes):
                mine = np.flatnonzero(lane_node == j)
                if mine.size == 0:
                    continue
                per_t = targets[q, mine, :]
                active = np.flatnonzero(per_t.sum(axis=0) > EPS)
                if active.size:
                    t_last = int(active[-1])
                    largest = int(np.argmax(per_t[:, t_last]))
                    sweep_lane[q, j, t_last] = mine[largest]
                    other = lanes.is_air[mine] != lanes.is_air[mine[largest]]
                    if (other & (per_t[:, t_last] > EPS)).any():
                        pick = np.where(other, per_t[:, t_last], -np.inf)
                        sweep_other[q, j, t_last] = mine[int(np.argmax(pick))]
    return sweep_lane, sweep_other


def _usable_days(data: PlanData, usable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each lane's last usable day in each period and next usable day after each day."""
    H = data.scenario.horizon_days
    nl = usable.shape[0]
    # Last usable day of each lane in each period: partial convoys wait for it.
    last_usable = np.full((nl, data.n_periods), -1, dtype=np.int64)
    for t in range(data.n_periods):
        lo, hi = int(data.period_start[t]), int(data.period_start[t] + data.period_len[t])
        window = usable[:, lo:hi]
        has = window.any(axis=1)
        last_usable[has, t] = hi - 1 - np.argmax(window[has, ::-1], axis=1)

    # The next usable day of each lane after each day (H if none): a convoy whose lane is
    # not usable again before its origin's last load day leaves as it is.
    next_usable = np.full((nl, H + 1), H, dtype=np.int64)
    for d in range(H - 1, -1, -1):
        next_usable[:, d] = (
            np.where(usable[:, d + 1], d + 1, next_usable[:, d + 1]) if d + 1 < H else H
        )
    return last_usable, next_usable


def _guard_days(
    data: PlanData, targets: FloatArray, lane_node: np.ndarray, guard_last_day: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(by lane) the day its origin's main bodies may leave from, and (by node) the last day
    its guard waits for cargo."""
    n_nodes = len(data.nodes)
    # Main bodies may leave from the start of their site's closing period (the last period
    # with a target there), so that they never miss the last convoy for want of escorts or
    # trucks.
    any_target = targets.sum(axis=0) > EPS  # (lanes, periods)
    node_last_t = np.full(n_nodes, data.n_periods - 1, dtype=np.int64)
    for j in range(n_nodes):
        ts = np.flatnonzero(any_target[lane_node == j].any(axis=0))
        if ts.size:
            node_last_t[j] = ts[-1]
    guard_release = data.period_start[node_last_t[lane_node]]
    # The guard waits for its cargo to the end of the site's last planned period: what the
    # plan does not send stays (handed over or destroyed) rather than holding the site open
    # for weeks of trickling loads the plan did not ask for. Only cargo the plan does send,
    # still there because its convoys fell behind, holds it longer (`_Dispatch._guard_waits`).
    period_end = data.period_start + data.period_len - 1
    guard_until = np.minimum(period_end[node_last_t], guard_last_day)
    return guard_release, guard_until


def dispatch(
    data: PlanData,
    targets: FloatArray,
    left_share: FloatArray,
    *,
    quota: FloatArray | None = None,
    keep_guard: bool = True,
    priority: np.ndarray | None = None,
    greedy: bool = False,
    attack_hold: bool = False,
    convoys_wait: bool = False,
) -> Schedule:
    """Lay out `targets` (commodity, lane, period) day by day.

    `left_share` is the share of each disposal group left behind. `greedy` sends whatever
    the origin holds on the lanes with a positive target, as fast as capacity allows.
    `convoys_wait`: where escorts are scarce, cargo waits for a convoy's trucks rather than
    leave in part convoys (see `_Dispatch.send_due_lanes`).
    """
    run = _Dispatch(
        data,
        targets,
        left_share,
        quota=quota,
        keep_guard=keep_guard,
        priority=priority,
        greedy=greedy,
        attack_hold=attack_hold,
        convoys_wait=convoys_wait,
    )
    for day in range(data.scenario.horizon_days):
        t = int(data.period_of_day[day])
        if day == data.period_start[t]:
            run.open_period(t)
        run.start_day(day)
        if not greedy:
            run.order = run.lane_order(day, t)
        run.send_due_lanes(day, t)
    return run.schedule()


class _Dispatch:
    """One dispatch's state as it walks the days: what each node holds and each lane still
    owes, the allowances banked, the trucks away and the loads on the way, what was sent."""

    def __init__(
        self,
        data: PlanData,
        targets: FloatArray,
        left_share: FloatArray,
        *,
        quota: FloatArray | None,
        keep_guard: bool,
        priority: np.ndarray | None,
        greedy: bool,
        attack_hold: bool,
        convoys_wait: bool = False,
    ) -> None:
        sc = data.scenario
        lanes = data.lanes
        assert lanes is not None
        self.data = data
        self.lanes = lanes
        self.targets = targets
        self.left_share = left_share
        self.quota = quota
        self.keep_guard = keep_guard
        self.greedy = greedy
        H = self.H = sc.horizon_days
        K = data.commodities
        ki = self.ki = {k: i for i, k in enumerate(K)}
        people_idx = self.people_idx = [ki[k] for k in data.people]
        # Cargo has no deadline of its own: it ranks after every group of people.
        deadline_of = self.deadline_of = np.array([data.deadline_day.get(k, 2 * H) for k in K])
        nodes = self.nodes = list(data.nodes)
        npos = self.npos = {n: i for i, n in enumerate(nodes)}
        daily = self.daily = _lane_daily(data)
        nl = len(lanes.route)

        stock = self.stock = _starting_stock(data, left_share, ki, npos)
        guard = guard_people(data) if keep_guard else np.zeros(len(nodes))
        # A garrisoned site loads cargo only while someone is there to load and escort it.
        garrisoned = data.initial[people_idx].sum(axis=0) > EPS
        # `attack_hold`: a base under attack keeps its whole garrison until the last cargo the
        # plan sends from it this period has gone (see `attack_holds`).
        self.attack_rate = np.zeros((len(nodes), H))
        if attack_hold:
            for site, (rate, *_rest) in base_attack_threats(data).items():
                self.attack_rate[npos[site]] = rate
        self.convoys_wait = convoys_wait and not greedy
        work = self.work = ClosingDays(data, stock, ki)
        self.ledger = Ledger.start(data, left_share)
        self.ti, self.vi = ki["teu"], ki["veh"]

        self.remaining = np.zeros((len(K), nl))
        # Capacity state.
        self.escort_rate: dict[str, float] = defaultdict(float)
        for e in sc.escorts:
            self.escort_rate[e.corridor] += e.convoys_per_day
        self.escort_tokens = {c: 0.0 for c in self.escort_rate}
        self.air_rate = {a.id: a.count * a.sorties_per_day for a in sc.aircraft}
        self.air_tokens = {a: 0.0 for a in self.air_rate}
        self.trucks_free = {t.id: t.count for t in sc.trucks}
        self.pool_size = dict(self.trucks_free)
        self.trucks_back: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.slots = {s.id: s.air_slots_per_day for s in sc.sites}
        self.arrivals: dict[int, list[tuple[str, np.ndarray, list[Part]]]] = defaultdict(list)
        self.exited = np.zeros((len(K), H))
        self.last_departure = {n: -1 for n in nodes}
        self.movements: list[Movement] = []
        self.deaths = 0.0
        self.sent = np.zeros_like(targets)
        # People first: escorts and aircraft go to the deadline-bound loads before cargo.
        carries_people = np.zeros(nl, dtype=bool)
        for k in data.people:
            carries_people |= lanes.unit_capacity[k] > 0
        base_priority = priority if priority is not None else np.zeros(nl)
        self.order = np.lexsort((base_priority, ~carries_people))
        self.link_ids = data.network.links.ids
        self.links = sc.links

        self.sweep_lane, self.sweep_other = _sweep_lanes(data, targets, npos, greedy)
        self.last_usable, self.next_usable = _usable_days(data, daily["usable"])
        # Allowances bank up over at most a period, as the strategic model assumes.
        self.cap_days = float(data.period_len.max())
        lane_node = self.lane_node = np.array([npos[o] for o in lanes.origin], dtype=np.int64)
        self.lane_dest = np.array([npos.get(d, -1) for d in lanes.destination], dtype=np.int64)
        self.lanes_from = [np.flatnonzero(lane_node == j) for j in range(len(nodes))]
        guard_release, guard_until = _guard_days(data, targets, lane_node, work.guard_last_day)
        self.lane_guard_until = guard_until[lane_node]  # (lanes,) its origin's guard's last day

        # The same facts as Python values for the lane loop, which reads them one at a time.
        self.lane_facts = _lane_facts(data)
        self.lane_node_at = lane_node.tolist()
        self.garrisoned = garrisoned
        self.garrisoned_at = garrisoned.tolist()
        self.guard_at = guard.tolist()
        self.guard_until_at = guard_until.tolist()
        self.guard_release_at = guard_release.tolist()
        # A guard whose convoys fell behind the plan waits past its last planned period,
        # up to its last load day, while its site still holds cargo the plan sends out
        # (not what the plan leaves there): the synthetic mission's hub, its convoys half
        # filled for want of trucks, had left 288 TEU and 90 vehicles at the end of its
        # last planned period, written off at ten times their value (`_guard_waits`).
        self.guard_planned = guard_until
        self.guard_last = np.asarray(work.guard_last_day, dtype=np.int64)
        asked = targets[[self.ti, self.vi]].sum(axis=(0, 2))  # by lane
        self.cargo_asked = np.bincount(lane_node, weights=asked, minlength=len(nodes))
        self.cargo_sent = np.zeros(len(nodes))
        deadline_at = self.deadline_at = deadline_of.tolist()
        self.soonest_first = sorted(people_idx, key=lambda q: deadline_at[q])
        self.latest_first = sorted(people_idx, key=lambda q: -deadline_at[q])
        self.whole_idx = [*people_idx, self.vi]  # loaded as whole people and vehicles
        self.all_idx = list(range(len(K)))
        self.fill_order = [ki[k] for k in _fill_order(data)]
        self.route_labels: dict[int, str] = {}  # by lane, as its loads are written

        # Convoys (road) or sorties (air) each lane may still send: the strategic model's whole
        # convoys by period, so lanes share escorts and aircraft the way the model planned.
        self.convoys_left = np.zeros(nl) if quota is not None else np.full(nl, 1e12)
        self.allowance = self.convoys_left.copy()  # set by each period (`open_period`)

    def open_period(self, t: int) -> None:
        """Add period `t`'s targets to what each lane owes, and its convoys to what it may send."""
        remaining = self.remaining
        if self.quota is not None:
            # A lane still owing loads from earlier periods (trucks or escorts were short
            # on the day) may send one more convoy a period to catch up, and as many as
            # the people it still owes fill: people cannot be left for want of a quota
            # (MINUSMA with aircraft at 70%: Gao's helicopters, boarding only as Niamey's
            # charter seats allowed, owed 416 people after the model's last sorties and
            # caught up one sortie a period).
            backlog = (remaining > EPS).any(axis=0).astype(float)
            people_owed = remaining[self.people_idx].sum(axis=0)
            people_cap = self.lanes.unit_capacity[self.data.people[0]]
            seats_owed = np.ceil(people_owed / np.maximum(people_cap, EPS) - EPS)
            backlog = np.maximum(backlog, np.where(people_cap > 0, seats_owed, 0.0))
            self.convoys_left += np.ceil(self.quota[:, t] - 0.05) + backlog
        remaining += self.targets[:, :, t]
        for sweep in (self.sweep_lane, self.sweep_other):
            for q, j in zip(*np.nonzero(sweep[:, :, t] >= 0), strict=True):
                remaining[q, sweep[q, j, t]] = SWEEP
                self.convoys_left[sweep[q, j, t]] += 1
        self.allowance = self.convoys_left.copy()  # what each lane may send this period

    def start_day(self, day: int) -> None:
        """Top up the escort and aircraft allowances, free the trucks back from their round
        trips, land what arrives today, and pack the day's cargo."""
        escort_tokens, escort_rate = self.escort_tokens, self.escort_rate
        for c in escort_tokens:
            escort_tokens[c] = min(
                escort_tokens[c] + escort_rate[c], escort_rate[c] * self.cap_days + 2.0
            )
        air_tokens, air_rate = self.air_tokens, self.air_rate
        for a in air_tokens:
            air_tokens[a] = min(air_tokens[a] + air_rate[a], air_rate[a] * 2 + 2.0)
        for pool, n in self.trucks_back.pop(day, {}).items():
            self.trucks_free[pool] += n
        npos, stock = self.npos, self.stock
        for dest, load, parts in self.arrivals.pop(day, []):
            if dest in npos:
                stock[:, npos[dest]] += load
                self.ledger.land(npos[dest], parts)
            else:
                self.exited[:, day] += load
                self.work.exit(dest, day, load, parts)
        self.work.pack(day, stock)
        slots_used: dict[str, int] = defaultdict(int)
        self.capacity = _Capacity(
            escort_tokens, air_tokens, self.trucks_free, self.slots, slots_used
        )

    def lane_order(self, day: int, t: int) -> np.ndarray:
        """The order today's lanes are visited in (not greedy: the greedy order is fixed)."""
        people_idx, remaining, data, H = self.people_idx, self.remaining, self.data, self.H
        last_usable = self.last_usable
        # People with the nearest deadline first: the lanes owing a group that is waiting
        # at their origin go before the others, so a scarce fleet shared by several lanes
        # (MINUSMA's C-130s) flies Cote d'Ivoire's contingent out by its day 61 before
        # it flies cargo. People before cargo. Then the lanes furthest behind their
        # period's convoys, spread evenly over the period (the model only promises each
        # lane its convoys by the period's end), then those whose window closes first.
        # A lane that could carry people but has none waiting is a cargo lane today:
        # ranked ahead of the others, troop carriers with a few vehicles had taken the
        # synthetic mission's shared escorts while its bases' containers waited (the 1x
        # mission wrote off 815 M against the model's nothing; MINUSMA's table came 1%
        # lower too).
        # Taken in lane order instead, the first lanes of a corridor took its escorts
        # every day and a later one sent nothing: the synthetic mission's base9 none of
        # the 346 TEU the model sent, written off at its last load day. Spread evenly,
        # the daily tables came 1.6-12% lower (MINUSMA 1,041.7 M against 1,058.9 M; the
        # 2x synthetic 1,045 M against 1,190 M) and Barkhane's 30% lower (265.8 M
        # against 380.3 M, its write-offs 23 M against 124 M).
        # Between the deadlines and the convoys owed: the lanes out of sites whose guard
        # leaves this period, whose last loads and people cannot wait for the next. Spread
        # evenly with the rest, MINUSMA with escorts at 80% closed Tessalit and Ansongo
        # three to four weeks after the model, behind the hubs' loads, and wrote off
        # 1,104 M (727 M with all its escorts): its table 36% above the laid-out plan, now
        # 4.5%; with aircraft at 70%, 49% (7% once people caught up, `open_period`).
        # Ranked by closing day outright, the sites kept open to the end waited every day
        # instead (wet roads 20% slower: Tessalit destroyed 84 TEU).
        waiting = (remaining[people_idx] > EPS) & (self.stock[people_idx][:, self.lane_node] > EPS)
        first_due = np.where(waiting, self.deadline_of[people_idx][:, None], 2 * H).min(axis=0)
        days_left = np.where(last_usable[:, t] >= day, last_usable[:, t] - day, H)
        elapsed = (day - data.period_start[t] + 1) / data.period_len[t]
        sent_now = self.allowance - self.convoys_left  # convoys sent this period
        owed = np.minimum(self.allowance, 1e6) * elapsed - sent_now
        later = self.lane_guard_until > data.period_start[t] + data.period_len[t] - 1
        return np.lexsort((days_left, -owed, later, first_due))

    def _guard_waits(self) -> list[int]:
        """By node, the last day its guard waits for cargo: the end of its last planned
        period, or its last load day while it still holds cargo its lanes were asked to
        carry and have not, or loads are still bound for it from sites that may send them."""
        held = self.stock[[self.ti, self.vi]].sum(axis=0)
        owed = (np.minimum(self.cargo_asked - self.cargo_sent, held) > 0.5) | np.array(
            self._bound_for(from_senders=True)
        )
        waits = np.where(owed, np.maximum(self.guard_planned, self.guard_last), self.guard_planned)
        return waits.tolist()

    def _bound_for(self, *, from_senders: bool = False) -> list[bool]:
        """By node, whether loads are still bound for it (on the way, or due on its inbound
        lanes; `from_senders`: due only from origins that hold something and someone to
        send it, not the sweep of a site closed with what it leaves)."""
        npos, lane_dest = self.npos, self.lane_dest
        bound_for = np.zeros(len(self.nodes), dtype=bool)
        for pending in self.arrivals.values():
            for dest, _load, _parts in pending:
                if dest in npos:
                    bound_for[npos[dest]] = True
        inbound = (self.remaining > EPS).any(axis=0) & (lane_dest >= 0)
        if from_senders:
            stock = self.stock
            staffed = ~self.garrisoned | (stock[self.people_idx].sum(axis=0) > EPS)
            inbound &= ((stock > EPS).any(axis=0) & staffed)[self.lane_node]
        bound_for[lane_dest[inbound]] = True
        return bound_for.tolist()

    def send_due_lanes(self, day: int, t: int) -> None:
        """Send, lane by lane in today's order, what the targets still ask for and the origin
        holds, in whole convoys or sorties within every daily limit."""
        data, lanes, daily, order = self.data, self.lanes, self.daily, self.order
        stock, remaining, work, ledger = self.stock, self.remaining, self.work, self.ledger
        greedy, keep_guard, capacity = self.greedy, self.keep_guard, self.capacity
        people_idx, ti, vi = self.people_idx, self.ti, self.vi
        lane_facts, lane_node_at, convoys_left = (
            self.lane_facts,
            self.lane_node_at,
            self.convoys_left,
        )
        garrisoned_at, guard_at = self.garrisoned_at, self.guard_at
        guard_until_at, guard_release_at = self.guard_until_at, self.guard_release_at
        deadline_at, soonest_first, latest_first = (
            self.deadline_at,
            self.soonest_first,
            self.latest_first,
        )
        whole_idx, all_idx, fill_order = self.whole_idx, self.all_idx, self.fill_order
        attack_rate, lanes_from = self.attack_rate, self.lanes_from
        next_usable, last_usable = self.next_usable, self.last_usable
        escort_tokens, trucks_free = self.escort_tokens, self.trucks_free
        sent, last_departure, npos, exited = self.sent, self.last_departure, self.npos, self.exited
        arrivals, trucks_back, movements = self.arrivals, self.trucks_back, self.movements
        route_labels, links, link_ids = self.route_labels, self.links, self.link_ids
        # A hub stays guarded while loads are still bound for it (on the way, or due on
        # its inbound lanes), as the model's closed-receives-nothing constraint has it.
        bound_today = self._bound_for()
        if not greedy:
            guard_until_at = self.guard_until_at = self._guard_waits()
        attacked_today = (attack_rate[:, day] > 0).tolist()
        duration_today = daily["duration"][:, day].tolist()
        approval_today = daily["approval"][:, day].tolist()
        # What each origin holds and can load now, by commodity, as Python floats: asked by
        # every lane from it, and changed only by a load leaving it or flown in.
        ready: dict[int, tuple[list[float], list[float]]] = {}
        for _pass in range(2):  # the second pass lets a guard leave behind its last cargo
            # Only a lane's own departure changes what it still owes, so the lanes with
            # something due today are known before the pass (most of 184 x 184 are not).
            due = daily["usable"][:, day] & (remaining > EPS).any(axis=0)
            for li in order[due[order]].tolist():
                lane = lane_facts[li]
                o = lane_node_at[li]
                # This lane's and its origin's figures by commodity, as Python floats: a few
                # of each, where numpy's per-element work costs more than the arithmetic.
                to_send = remaining[:, li].tolist()
                if o not in ready:
                    in_stock = stock[:, o].tolist()
                    ready[o] = (in_stock, work.ready_to_load(o, in_stock))
                held, have = ready[o]
                packing = work.waits_for_packing(o, held, have, to_send)
                if packing:
                    work.held(o, day, "packing")
                # Nothing the lane owes ready at its origin (most visits): no load. Only the
                # seats check could still record a wait for an empty load, with its bank a
                # rounding below zero; that case goes the whole way below.
                nothing_ready = not any(
                    h > 0 and r > EPS for h, r in zip(have, to_send, strict=True)
                )
                if nothing_ready and not work.seats_overdrawn(lane.destination):
                    continue
                # (min(h, r) is np.minimum(r, h): on a tie, h, which only a zero's sign shows)
                want = [
                    (h if greedy else min(h, r)) if r > EPS else 0.0
                    for h, r in zip(have, to_send, strict=True)
                ]
                # the last departure that still arrives by a deadline of today's
                last_call = day + int(duration_today[li]) + 1
                for q in whole_idx:
                    if not greedy:
                        want[q] = float(math.floor(want[q] + 0.5))
                        if to_send[q] > EPS and want[q] < 1 <= have[q]:
                            want[q] = 1.0
                    want[q] = min(want[q], have[q])
                people_held = added(held, people_idx)
                nobody = garrisoned_at[o] and people_held <= EPS
                if day > work.last_load_day(o) or nobody:
                    # too late for the final steps, or nobody left to load and escort it:
                    # the cargo stays (handed over or destroyed)
                    want[ti] = want[vi] = 0.0
                approval = approval_today[li]
                n_cap = int(min(convoys_left[li], 10**9))
                # Cargo to send and nothing may leave (most greedy visits): who stays behind
                # and the seats would change what goes, not that nothing does (but at a base
                # under attack the lane's vehicles may wait for its people, unrecorded).
                if (
                    (want[ti] > EPS or want[vi] > EPS)
                    and not attacked_today[o]
                    and convoys_left[li] >= 1
                    and _may_leave(lane, approval, capacity, n_cap) <= 0
                ):
                    why = _why_held(lane, approval, capacity)
                    work.held(o, day, why)
                    continue
                cargo_after = held[ti] + held[vi] - want[ti] - want[vi]
                people_have = added(have, people_idx)
                # Who stays behind only matters to a load with people in it, or at a base
                # under attack (whose vehicles may wait for the lane's people); most loads
                # are cargo alone.
                weighs_stay = attacked_today[o] or any(want[q] > 0 for q in people_idx)
                # The guard (rear parties) stays while cargo that may still leave is there
                # or loads are bound for it, as the model's closed-holds-nothing and
                # minimum-guard constraints have it, and after the last load through the
                # final steps and the handover; main bodies while their unit's equipment
                # remains.
                holding = weighs_stay and (
                    ((cargo_after > EPS or bound_today[o]) and day <= guard_until_at[o])
                    or (keep_guard and day < work.ready_day(o, day, cargo_after))
                )
                need = guard_at[o] if holding else 0.0
                if (
                    holding
                    and attack_rate[o, day] > 0
                    and min(
                        cargo_after,
                        remaining[[ti, vi]][:, lanes_from[o]].sum() - want[ti] - want[vi],
                    )
                    > EPS
                ):
                    if added(to_send, people_idx) > EPS:
                        continue  # this lane's vehicles wait to leave with their people
                    need = people_have
                if weighs_stay and keep_guard and day < guard_release_at[li]:
                    need += ledger.main_body_needed(o, want[ti], want[vi])
                need = min(need, people_have)
                if need > EPS:
                    spare = max(people_have - need, 0.0)
                    # Take the spare people from the earliest deadlines first; people whose
                    # deadline is now (the last departure that still arrives) always go.
                    for q in soonest_first:
                        if deadline_at[q] <= last_call:
                            continue
                        take = min(want[q], spare)
                        want[q] = take
                        spare -= take
                work.seat_limit(lane.destination, want, latest_first, o, day)
                if added(want, all_idx) <= EPS or convoys_left[li] < 1:
                    continue
                # Small leftovers (LP tolerance) go with the rest.
                for q in all_idx:
                    if have[q] - want[q] < 0.05 and want[q] > 0:
                        want[q] = have[q]
                # An escort package is the scarce thing on a road: a convoy waits to be full
                # while more of the cargo the plan asks is still to be packed or to arrive,
                # unless its site is in its closing period (its main bodies are leaving) or
                # this is its last chance; people do not wait for cargo. (Convoys of a few
                # trucks each, sent as cargo was packed, had used Barkhane's Niger escorts
                # for 2 TEU at a time while Menaka's cargo waited.)
                # People wait for people in the same way: a convoy of the few ready now waits
                # for more of those the plan sends on this lane this period, unless a deadline
                # is due or this is the period's last usable day for it (the synthetic
                # mission's troop carriers had taken an escort each for 1 to 50 people).
                short = not greedy and any(w < r - 0.5 for w, r in zip(want, to_send, strict=True))
                people_now = added(want, people_idx)
                people_wait = (
                    not lane.is_air
                    and 0.5 < people_now < added(to_send, people_idx) - 0.5 < SWEEP / 2
                    and all(deadline_at[q] > last_call for q in people_idx if want[q] > 0)
                    and next_usable[li, day] <= last_usable[li, t]
                )
                full_only = (
                    short
                    and _escorts_scarce(lane.corridors, escort_tokens)
                    and (((packing or bound_today[o]) and people_now < 0.5) or people_wait)
                    and day < guard_release_at[li]
                    and next_usable[li, day] <= min(work.last_load_day(o), guard_until_at[o])
                )
                # With `convoys_wait`, nor does a convoy leave with the few trucks back when
                # its load fills a whole one and enough will be back before its last chance:
                # a part convoy spends a whole escort package (the synthetic mission's hub
                # had sent 13 convoys in a fortnight for the model's 6, half of them with the
                # few trucks back, and its bases' cargo waited for escorts). It is one of two
                # tables laid out (`assign.lay_out`): waiting costs days, and on MINUSMA the
                # table that does not wait is the cheaper.
                may_wait = (
                    self.convoys_wait
                    and not lane.is_air
                    and people_now < 0.5
                    and next_usable[li, day] <= min(work.last_load_day(o), guard_until_at[o])
                )
                if (
                    may_wait
                    and trucks_free[lane.asset] < lane.convoy_trucks <= self.pool_size[lane.asset]
                    and _units_of(want, lane.caps, but=vi) >= lane.convoy_trucks
                    and _escorts_scarce(lane.corridors, escort_tokens)
                ):
                    work.held(o, day, "trucks")
                    continue
                fitted, units, convoys = _fit(
                    lane,
                    want,
                    approval,
                    fill_order,
                    ti,
                    vi,
                    capacity,
                    full_only=full_only,
                    n_cap=n_cap,
                    may_wait=may_wait,
                )
                if units <= 0:
                    why = _why_held(lane, approval, capacity)
                    work.held(o, day, why)
                    continue
                # The guard and the main bodies were let go for cargo that was to leave with
                # them; what did not fit in the convoy or sorties (or waits for a full one)
                # stays, and so do they for it (so only a load with people in it, leaving cargo
                # behind, is cut).
                people_out = added(fitted, people_idx)
                left_cargo = held[ti] + held[vi] - fitted[ti] - fitted[vi]
                if keep_guard and day <= guard_until_at[o] and people_out > 0 and left_cargo > EPS:
                    stay = people_held - people_out
                    kept = guard_at[o]
                    if day < guard_release_at[li]:
                        kept += ledger.main_body_needed(o, fitted[ti], fitted[vi])
                    short_people = math.ceil(min(kept, people_have) - stay - EPS)
                    if short_people > 0:
                        # people whose deadline is now go all the same, as before the fit
                        for q in latest_first:
                            if deadline_at[q] <= last_call:
                                continue
                            cut = min(fitted[q], short_people)
                            fitted[q] -= cut
                            short_people -= cut
                shipped = np.array(fitted)
                # A small convoy uses only its share of the lane's quota when trucks ran out
                # (the rest can follow when they are back) or it left escorts to spare today;
                # otherwise it took a whole escort and counts as a whole convoy (Gossi's
                # people, let go a few a day as their unit's cargo left, had gone in a convoy
                # each on the Niger road while Menaka's cargo waited for escorts).
                if lane.is_air:
                    convoys_left[li] -= convoys
                else:
                    spare = trucks_free[lane.asset] < 1 or not _escorts_scarce(
                        lane.corridors, escort_tokens, after=0
                    )
                    share = units / lane.convoy_trucks
                    convoys_left[li] -= min(convoys, share) if spare else convoys
                stock[:, o] -= shipped
                sent[:, li, t] += shipped
                self.cargo_sent[o] += shipped[ti] + shipped[vi]
                parts = ledger.take(o, shipped, people_idx, ti, vi)
                work.shipped(o, day, shipped, lanes.destination[li], stock[:, o])
                stock[:, o] = np.where(np.abs(stock[:, o]) < EPS, 0.0, stock[:, o])
                del ready[o]
                remaining[:, li] = np.maximum(remaining[:, li] - shipped, 0.0)
                last_departure[lanes.origin[li]] = day
                self.deaths += convoys * float(data.network.deaths[lanes.route[li], day])
                dur = int(daily["duration"][li, day])
                dest = lanes.destination[li]
                if dur == 0:  # flown in today: usable today
                    if dest in npos:
                        stock[:, npos[dest]] += shipped
                        ready.pop(npos[dest], None)
                        ledger.land(npos[dest], parts)
                    else:
                        exited[:, day] += shipped
                        work.exit(dest, day, shipped, parts)
                else:
                    arrivals[day + dur].append((dest, shipped.copy(), parts))
                if not lanes.is_air[li]:
                    trucks_back[day + int(daily["turnaround"][li, day])][lanes.asset[li]] += units
                route = data.network.routes[lanes.route[li]]
                offsets = data.network.leg_offset[lanes.route[li], :, day]
                if li not in route_labels:
                    route_labels[li] = _route_label(route, links)
                route_label = route_labels[li]
                rows = _unit_rows(lane, parts, fitted, int(convoys), people_idx, ti, vi)
                for leg, (link_i, fwd) in enumerate(route.legs):
                    link = links[link_i]
                    a, b = (link.from_site, link.to_site) if fwd else (link.to_site, link.from_site)
                    start = day + int(offsets[leg])
                    end = day + (int(offsets[leg + 1]) if leg + 1 < len(route.legs) else dur)
                    for unit, people_n, teu_n, veh_n, convoys_n in rows:
                        movements.append(
                            Movement(
                                day=start,
                                arrival_day=end,
                                origin=a,
                                destination=b,
                                link=link_ids[link_i],
                                mode=link.mode,
                                asset=lanes.asset[li],
                                convoys=convoys_n,
                                people=people_n,
                                containers_teu=round(teu_n, 6),
                                vehicles=veh_n,
                                route=route_label,
                                unit=unit,
                            )
                        )

    def schedule(self) -> Schedule:
        """The schedule laid out, with what is still in theatre at the end."""
        data, stock, people_idx, nodes = self.data, self.stock, self.people_idx, self.nodes
        exited, work = self.exited, self.work
        # What is still in theatre at the end.
        stranded = {
            nodes[j]: int(round(stock[people_idx, j].sum()))
            for j in range(len(nodes))
            if stock[people_idx, j].sum() > 0.5
        }
        late = 0
        for q in people_idx:
            late += int(round(exited[q, self.deadline_of[q] + 1 :].sum()))
        closure = {n: max(self.last_departure[n], 0) for n in nodes}
        dispositions = _dispositions(data, self.left_share, stock, self.ki)
        self.movements.sort(key=lambda m: (m.day, m.origin, m.link, m.asset, m.unit))
        return Schedule(
            self.movements,
            closure,
            dispositions,
            stranded,
            late,
            exited[people_idx].sum(axis=0),
            self.deaths,
            self.sent,
            closure_work=work.closure_rows(closure, self.movements),
            lift_use=work.lift_rows(),
            unit_exited=work.unit_exited,
        )


def base_attack_deaths(data: PlanData, schedule: Schedule) -> float:
    """Expected deaths from base attacks over the daily table, as in the simulation: each day
    a base holds people it is attacked at rate x min(100, (full / garrison) ^ elasticity)."""
    threats = base_attack_threats(data)
    if not threats:
        return 0.0
    H = data.scenario.horizon_days
    left_by_day = {n: np.zeros(H + 1) for n in threats}
    for mv in schedule.movements:
        if mv.origin in left_by_day and 0 <= mv.day < H:
            left_by_day[mv.origin][mv.day + 1] += mv.people
    total = 0.0
    for n, (rate, e, killed, p0) in threats.items():
        garrison = p0 - np.cumsum(left_by_day[n])[:H]  # held at the start of each day
        held = garrison > 0.5
        factor = np.minimum(ATTACK_FACTOR_CAP, (p0 / np.maximum(garrison, 1.0)) ** e)
        total += float((rate * factor * held).sum()) * killed
    return total


def objective_terms(
    data: PlanData, schedule: Schedule
) -> tuple[dict[str, float], dict[str, float]]:
    """Weighted objective terms of a daily schedule, and the raw figures behind them.

    Both the optimiser and the greedy baseline are scored here, the same way: expected deaths
    from the convoys and sorties actually scheduled; value of cargo handed over or destroyed;
    population-days uncovered from the day after each closure to the protection horizon;
    running cost shared by people in theatre, each counted until the day they reach an exit.
    """
    sc = data.scenario
    w = sc.manifest.objective
    H = sc.horizon_days
    horizon = sc.day_of(sc.manifest.protection_horizon) + 1 if sc.manifest.protection_horizon else H
    guard = guard_people(data)
    gap = 0.0
    for j, n in enumerate(data.nodes):
        pop = float(sc.site(n).population_covered)
        covered_until = schedule.closure_day[n] + 1 if guard[j] > 0 else 0
        gap += pop * max(horizon - covered_until, 0)
    people = float(data.initial[[data.commodities.index(k) for k in data.people]].sum())
    exited = schedule.exited_people_by_day
    assert exited is not None
    days = np.arange(H, dtype=float)
    person_days = float((exited * days).sum()) + (people - float(exited.sum())) * H
    running = sc.manifest.running_cost_usd_per_day / max(people, 1.0) * person_days
    lost = sum(d.value_usd for d in schedule.dispositions if d.fate != "repatriate")
    # What its owner keeps but cannot leave is written off, priced as in the model.
    kept = [d for d in schedule.dispositions if d.group == "write_off" and d.owner]
    write_off = float(
        keep_price(
            np.array([d.value_usd for d in kept]),
            np.array([d.containers_teu + d.vehicles for d in kept]),
        ).sum()
    )
    attack_deaths = base_attack_deaths(data, schedule)
    terms = {
        "casualties": w.per_expected_death * schedule.expected_deaths,
        "cargo_lost": w.per_usd_cargo_lost * lost,
        "write_off": w.per_usd_cargo_lost * write_off,
        "protection_gap": w.per_person_day_unprotected * gap,
        "running_cost": w.per_usd_running_cost * running,
        "base_attacks": w.per_expected_death * attack_deaths,
    }
    terms["total"] = sum(terms.values())
    figures = {
        "expected_deaths": schedule.expected_deaths,
        "cargo_lost_usd": lost,
        "write_off_price_usd": write_off,
        "protection_gap_person_days": gap,
        "running_cost_usd": running,
        "expected_base_attack_deaths": attack_deaths,
        "people_person_days": person_days,
        "stranded_people": float(sum(schedule.stranded_people.values())),
        "late_people": float(schedule.late_people),
    }
    return terms, figures


def to_plan(data: PlanData, schedule: Schedule, *, method: str, solver: SolverRecord) -> Plan:
    """A frozen Plan from a schedule, with its objective scored the common way."""
    sc = data.scenario
    terms, figures = objective_terms(data, schedule)
    return Plan(
        scenario_name=sc.name,
        scenario_hash=sc.content_hash(),
        horizon_days=sc.horizon_days,
        closure_day=dict(schedule.closure_day),
        movements=tuple(schedule.movements),
        dispositions=tuple(schedule.dispositions),
        objective=terms,
        solver=solver,
        method=method,
        figures=figures,
        closure_work=tuple(schedule.closure_work),
        lift_use=tuple(schedule.lift_use),
    )


def _fit(
    lane: _Lane,
    want: list[float],
    approval: float,
    fill_order: list[int],
    ti: int,
    vi: int,
    capacity: _Capacity,
    full_only: bool = False,
    n_cap: int = 10**9,
    may_wait: bool = False,
) -> tuple[list[float], int, int]:
    """Largest part of `want` (by commodity) that whole convoys or sorties can take today on
    `lane`, at today's `approval`, filled in `fill_order`: (load, trucks or sorties, convoys).

    `full_only` sends only full convoys (the rest waits for the period's last usable day).
    `may_wait`: today is not the load's last chance, so self-driven vehicles may wait for
    trucks to go with.
    """
    p = approval
    caps = lane.caps
    shipped = [0.0] * len(want)
    n_max = _may_leave(lane, p, capacity, n_cap)
    if n_max <= 0:
        return shipped, 0, 0
    if lane.is_air:
        a = lane.asset
        room = float(n_max)  # sorties, filled commodity by commodity (people first)
        for j in fill_order:
            if caps[j] <= 0 or want[j] <= 0:
                continue
            take = min(want[j], room * caps[j])
            if j != ti:
                take = float(math.floor(take + EPS))
            shipped[j] = take
            room -= take / caps[j]
        used = _units_of(shipped, caps)
        n = min(n_max, math.ceil(used - EPS))
        if n <= 0:
            return [0.0] * len(want), 0, 0
        capacity.sorties[a] -= n / p
        if lane.fixed_wing:
            capacity.slots_used[lane.origin] += n
            capacity.slots_used[lane.destination] += n
        return shipped, n, n
    # Road: convoys limited by escorts on every corridor, trucks by the free pool.
    corridors = lane.corridors
    size = lane.convoy_trucks
    per_convoy_veh = lane.convoy_vehicles
    pool_free = capacity.trucks[lane.asset]
    trucks = min(pool_free, n_max * size)
    if full_only:
        need = _units_of(want, caps, but=vi)
        # full by its trucks (as many as are back) or by its self-driven vehicles
        by_trucks = min(math.floor(need / size + EPS), pool_free // size)
        by_vehicles = (
            math.floor(want[vi] / per_convoy_veh + EPS)
            if per_convoy_veh > 0 and pool_free > 0
            else 0
        )
        full = max(by_trucks, by_vehicles)
        if full <= 0:
            return shipped, 0, 0
        n_max = min(n_max, full)
        trucks = min(trucks, n_max * size)
    room = float(trucks)
    for j in fill_order:
        if j == vi or caps[j] <= 0 or want[j] <= 0:
            continue
        take = min(want[j], room * caps[j])
        if j != ti:
            take = float(math.floor(take + EPS))
        shipped[j] = take
        room -= take / caps[j]
    used_trucks = math.ceil(_units_of(shipped, caps, but=vi) - EPS)
    n = math.ceil(used_trucks / size) if used_trucks > 0 else 0
    if per_convoy_veh > 0 and want[vi] > 0:
        veh_convoys = min(n_max, math.ceil(want[vi] / per_convoy_veh))
        # Self-driven vehicles make convoys of their own only while escorts are to spare:
        # when their cargo is short of trucks they go with the trucks' convoys, and the rest
        # with the cargo when more trucks are back (the synthetic mission's hub had sent its
        # 360 vehicles in 6 convoys with the 174 trucks back, and 7 more part convoys for
        # the containers left, each spending an escort).
        if (
            may_wait
            and _units_of(want, caps, but=vi) > pool_free + EPS
            and _escorts_scarce(corridors, capacity.escorts, after=veh_convoys)
        ):
            veh_convoys = min(veh_convoys, max(n, 1))
        n = max(n, veh_convoys if (used_trucks > 0 or pool_free > 0) else 0)
        shipped[vi] = float(min(want[vi], n * per_convoy_veh))
    if n <= 0:
        return [0.0] * len(want), 0, 0
    # A convoy of self-driven vehicles still takes at least one truck of its pool.
    used_trucks = max(used_trucks, 1)
    for c in corridors:
        if c in capacity.escorts:
            capacity.escorts[c] -= n / p
    capacity.trucks[lane.asset] -= used_trucks
    return shipped, used_trucks, n


def _may_leave(lane: _Lane, approval: float, capacity: _Capacity, n_cap: int) -> int:
    """Convoys or sorties that may leave on `lane` today whatever they carry, at most `n_cap`:
    its aircraft (and airfield slots) or escorts at today's `approval`; none on a road whose
    truck pool has none back (`_fit` would fill no truck)."""
    p = approval
    if lane.is_air:
        n_max = min(math.floor(capacity.sorties[lane.asset] * p + EPS), n_cap)
        if lane.fixed_wing:
            o, d = lane.origin, lane.destination
            used = capacity.slots_used
            n_max = min(n_max, capacity.slots[o] - used[o], capacity.slots[d] - used[d])
        return n_max
    if capacity.trucks[lane.asset] <= 0:
        return 0
    tokens = capacity.escorts
    n_max = min(
        (math.floor(tokens[c] * p + EPS) for c in lane.corridors if c in tokens),
        default=10**9,
    )
    return min(n_max, n_cap)


def _units_of(load: list[float], caps: list[float], but: int = -1) -> float:
    """Trucks or sorties `load` fills (commodity `but` aside), added in commodity order."""
    units = 0.0  # not `sum`: from Python 3.12 it compensates float rounding
    for j, cap in enumerate(caps):
        if cap > 0 and j != but:
            units += load[j] / cap
    return units


def _escorts_scarce(corridors: tuple[str, ...], tokens: dict[str, float], after: int = 1) -> bool:
    """Whether a convoy on these corridors would leave fewer than one escort package to spare
    today, counting `after` convoys still to go (1: the one being weighed)."""
    return any(tokens[c] < after + 1 for c in corridors if c in tokens)


def _why_held(lane: _Lane, approval: float, capacity: _Capacity) -> Binding:
    """Which resource kept a load on `lane` from leaving today (at today's `approval`)."""
    p = approval
    if lane.is_air:
        tokens = capacity.sorties[lane.asset]
        return "clearance" if tokens >= 1 > tokens * p else "trucks"
    escorts = capacity.escorts
    for c in lane.corridors:
        if c in escorts and escorts[c] * p < 1:
            return "clearance" if escorts[c] >= 1 else "escorts"
    short = capacity.trucks[lane.asset] < lane.convoy_trucks
    return "trucks" if short else "escorts"


def _unit_rows(
    lane: _Lane,
    parts: list[Part],
    shipped: list[float],
    convoys: int,
    people_idx: list[int],
    ti: int,
    vi: int,
) -> list[tuple[str, int, float, int, int]]:
    """The load's rows by unit: (unit, people, TEU, vehicles, convoys).

    A load shared by units is one row per unit when its convoys (sorties) can be shared so
    that each row's load fits its own; otherwise one mixed row with unit "".
    """
    rows = [r for r in split_whole(parts) if r[1] > 0 or r[2] > EPS or r[3] > 0]
    if len(rows) == 1:
        return [(*rows[0], convoys)]
    if rows:
        size = 1.0 if lane.is_air else float(lane.convoy_trucks)
        per_person = lane.caps[people_idx[0]] * size
        per_teu = lane.caps[ti] * size
        per_veh = lane.caps[vi] if lane.is_air else float(lane.convoy_vehicles)
        need = []
        for _u, p, t, v in rows:
            f = 0.0
            for amount, cap in ((p, per_person), (t, per_teu), (v, per_veh)):
                if amount > EPS:
                    f += amount / cap if cap > 0 else math.inf
            need.append(max(1, math.ceil(f - EPS)) if math.isfinite(f) else convoys + 1)
        if sum(need) <= convoys:
            need[0] += convoys - sum(need)
            return [(*r, n) for r, n in zip(rows, need, strict=True)]
    people = int(round(added(shipped, people_idx)))
    return [("", people, float(shipped[ti]), int(round(shipped[vi])), convoys)]


def _route_label(route: Route, links: tuple[Link, ...]) -> str:
    sites = [route.origin]
    for link_i, fwd in route.legs:
        link = links[link_i]
        sites.append(link.to_site if fwd else link.from_site)
    return ">".join(sites)


def _fill_order(data: PlanData) -> list[str]:
    return [*sorted(data.people, key=lambda k: data.deadline_day[k]), "veh", "teu"]


def _dispositions(
    data: PlanData, left_share: FloatArray, stock: np.ndarray, ki: dict[str, int]
) -> list[Disposition]:
    """Disposition rows: the planned share left behind, plus cargo still in theatre."""
    out: list[Disposition] = []
    nodes = list(data.nodes)
    share = np.clip(left_share, 0.0, 1.0)
    moved_teu = data.group_teu * (1 - share)
    moved_veh = data.group_vehicles * (1 - share)
    # Cargo still at a site at the end is its own first (it never left), then consolidated.
    stuck_teu = np.zeros(len(share))
    stuck_veh = np.zeros(len(share))
    consolidated: dict[str, tuple[float, float]] = {}
    for j, n in enumerate(nodes):
        teu, veh = float(stock[ki["teu"], j]), float(stock[ki["veh"], j])
        own = np.array([s == n for s in data.group_site], dtype=bool)
        own_teu, own_veh = moved_teu[own].sum(), moved_veh[own].sum()
        f_teu = min(teu / own_teu, 1.0) if own_teu > EPS else 0.0
        f_veh = min(veh / own_veh, 1.0) if own_veh > EPS else 0.0
        stuck_teu[own] = moved_teu[own] * f_teu
        stuck_veh[own] = moved_veh[own] * f_veh
        rest = (teu - f_teu * own_teu, veh - f_veh * own_veh)
        if rest[0] > EPS or rest[1] > 0.5:
            consolidated[n] = rest
    for g, site in enumerate(data.group_site):
        teu, veh, value = data.group_teu[g], data.group_vehicles[g], data.group_value[g]
        units = max(teu + veh, EPS)
        left_teu = teu * share[g] + stuck_teu[g]
        left_veh = round(veh * share[g] + stuck_veh[g])
        left_value = value * (left_teu + left_veh) / units
        sensitive = data.group_sensitive[g]
        owner = data.group_owner[g] if data.group_owner else ""
        # What may be handed over is (FR 5.14 group hand_over); the rest is written off.
        may = data.group_may_leave[g] if data.group_may_leave else not sensitive
        if teu - left_teu > EPS or veh - left_veh > 0:
            out.append(
                Disposition(
                    site,
                    data.group_class[g],
                    sensitive,
                    "repatriate",
                    round(teu - left_teu, 6),
                    int(veh - left_veh),
                    round(value - left_value, 2),
                    owner,
                    "",
                )
            )
        if left_teu > EPS or left_veh > 0:
            out.append(
                Disposition(
                    site,
                    data.group_class[g],
                    sensitive,
                    "hand_over" if may else "destroy",
                    round(left_teu, 6),
                    int(left_veh),
                    round(left_value, 2),
                    owner,
                    "hand_over" if may else "write_off",
                )
            )
    # Cargo consolidated at a hub and stuck there may hold sensitive items: destroyed.
    per_unit = data.group_value.sum() / max(data.group_teu.sum() + data.group_vehicles.sum(), EPS)
    for n, (teu, veh) in consolidated.items():
        out.append(
            Disposition(
                n,
                "consolidated",
                True,
                "destroy",
                round(teu, 6),
                int(round(veh)),
                round(per_unit * (teu + veh), 2),
                "",
                "write_off",
            )
        )
    return out
