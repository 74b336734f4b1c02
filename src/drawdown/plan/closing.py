"""The daily dispatcher's closure work and strategic lift: packing, final steps, seats, corridors.

Each day the people at a base pack its own cargo (TEU and vehicles each by all of them, each
kind capped per site: the stress test's `pack`); only packed cargo is loaded. Bases sharing a
closure team pack one at a time, in the team's round. Once the last
load has left, the rear parties stay through the final steps (`final_steps_days`) and the
expected wait for the host's acceptance of the handover (clearance `handover`), and through
any residual task; the final steps end as the guard leaves (`closure_rows`), which the stress
test keeps to. People bound for a charter airport board only as seats allow (the week's
flights after air clearance, banked for a week); cargo reaching a corridor's end crosses after
the border delay, within the corridor's daily throughput. The tables `closure_work` and
`lift_use` of the plan come from here, with the resource that bound each site's closure.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from drawdown.plan.build import PlanData, last_load_days, travel_out_days
from drawdown.plan.ledger import Part, added
from drawdown.plan.model import Binding, ClosureWorkRow, LiftUseRow, Movement
from drawdown.scenario import days as scenario_days
from drawdown.scenario.days import SEAT_BANK_DAYS, planned_exit_day
from drawdown.simulate.call_forward import call_forward, on_schedule, schedule_days
from drawdown.simulate.withdrawal import pack

EPS = 1e-6


class ClosingDays:
    """Packing, final steps and lift state of one dispatch (see the module docstring)."""

    def __init__(self, data: PlanData, stock: np.ndarray, ki: dict[str, int]):
        sc = data.scenario
        self.data = data
        self.H = sc.horizon_days
        self.ti, self.vi = ki["teu"], ki["veh"]
        self.people_idx = [ki[k] for k in data.people]
        n = len(data.nodes)
        w = data.work
        self.on = w is not None
        self.rate = np.array(
            (w.teu_per_person_day, w.veh_per_person_day) if w is not None else (0.0, 0.0)
        )
        # (nodes, 2): each node's most TEU and vehicles packed a day (`build.pack_caps`)
        self.cap = np.ascontiguousarray(w.pack_cap.T) if w is not None else np.zeros((n, 2))
        self.pace = w.pack_pace.tolist() if w is not None else [1.0] * n  # `build.plan_pace`
        packs = self.on and self.rate[0] > 0 and self.rate[1] > 0
        self.unpacked = np.vstack([stock[self.ti], stock[self.vi]]) if packs else np.zeros((2, n))
        self.final_days = w.final_steps_days if w is not None else 0
        self.delay = (
            np.ceil(w.handover_delay_days).astype(int) if w is not None else np.zeros(n, int)
        )
        self.until = w.residual_until_day if w is not None else np.full(n, -1)
        self.supports = w.supports if w is not None else ()
        self.team = w.closure_team if w is not None else ("",) * n
        self.pack_rank = w.team_rank if w is not None else np.zeros(n, dtype=np.int64)
        # Days from a node's last load to its rear parties' release, and the first day after
        # its residual task, as Python ints: `ready_day` is asked for every lane and day.
        self.release_wait = [self.final_days + int(x) for x in self.delay]
        self.free_from = [int(x) + 1 for x in self.until]
        self.last_load = last_load_days(data)
        self.last_load_at = [int(x) for x in self.last_load]
        # The last day a guard waits for cargo still to leave. Without closure work there
        # are no final steps, but the guard still needs its journey out after the cargo.
        self.guard_last_day = (
            self.last_load if self.on else planned_exit_day(sc) - 1 - travel_out_days(data)
        )
        self.pack_start = np.full(n, -1)
        self.packed_by = np.where(self.unpacked.sum(axis=0) > EPS, -1, 0)
        self.last_cargo = np.full(n, -1)
        self.cargo_gone = np.where(stock[self.ti] + stock[self.vi] > EPS, -1, 0)
        self.why: dict[int, tuple[int, str]] = {}
        index = {x: i for i, x in enumerate(data.nodes)}
        self.supported: list[list[int]] = [[] for _ in data.nodes]
        for a, b in self.supports:
            self.supported[index[a]].append(index[b])
        self._note_people(stock)
        self._note_unpacked()
        # Charter seats a day by exit (all rows there), and each row's share.
        self.charters = [x for x in sc.lift if x.kind == "charter"] if self.on else []
        self.corridors = [x for x in sc.lift if x.kind == "corridor"] if self.on else []
        self.row_seats = {}
        for x in self.charters:
            approval = scenario_days.clearance(sc, "air", sc.site(x.site).region, self.H).approval
            self.row_seats[x.id] = x.flights_per_week * x.seats_each / 7.0 * approval
        self.seat_rate: dict[str, np.ndarray] = {}
        for x in self.charters:
            self.seat_rate[x.site] = self.seat_rate.get(x.site, 0.0) + self.row_seats[x.id]
        self.seat_bank = {
            e: max(
                SEAT_BANK_DAYS * float(r.max()),
                max(x.seats_each for x in self.charters if x.site == e),
            )
            for e, r in self.seat_rate.items()
        }
        self.tokens = dict.fromkeys(self.seat_rate, 0.0)
        self.seats_used: dict[str, np.ndarray] = {e: np.zeros(self.H) for e in self.seat_rate}
        self.border = {x.site: x.border_delay_days_mean for x in self.corridors}
        self.queue: dict[str, list[list[float]]] = defaultdict(list)
        self.unit_exited: dict[str, int] = defaultdict(int)

    # ------------------------------------------------------------------ each day
    def pack(self, day: int, stock: np.ndarray) -> None:
        """A day's packing by the people at each node; charters' seats for the day."""
        for e, rate in self.seat_rate.items():
            self.tokens[e] = min(self.tokens[e] + float(rate[day]), self.seat_bank[e])
        self._note_people(stock)
        has = (stock[self.ti] + stock[self.vi] > EPS) & (self.cargo_gone >= 0)
        self.cargo_gone[has] = -1  # cargo arrived at a hub: it must leave again first
        if not self.on or self.unpacked.sum() <= EPS:
            return
        # The stress test's own packing rule, site by site, so that plan and runs pack alike.
        labour = stock[self.people_idx].sum(axis=0)
        before = self.unpacked.sum(axis=0)
        left = np.ascontiguousarray(self.unpacked.T)
        team_at: set[str] = set()
        for j in sorted(np.flatnonzero(before > EPS), key=lambda j: self.pack_rank[j]):
            team = self.team[j]
            if team:
                # a closure team packs at the first site of its round still to pack (and
                # staffed, and with loads still to leave), and only there
                # (`scenario.closure_teams`)
                if team in team_at or labour[j] <= EPS or day > self.last_load[j]:
                    continue
                team_at.add(team)
            pack(left, int(j), float(labour[j]), self.rate, self.cap[j], self.pace[j])
        self.unpacked = np.where(left.T < EPS, 0.0, left.T)
        started = (before - self.unpacked.sum(axis=0) > EPS) & (self.pack_start < 0)
        self.pack_start[started] = day
        finished = (self.unpacked.sum(axis=0) <= EPS) & (self.packed_by < 0)
        self.packed_by[finished] = day
        self._note_unpacked()

    def _note_people(self, stock: np.ndarray) -> None:
        """The day's people at each node, and whether each node supports a site that holds
        some (a per-day fact `ready_day` reads for every lane)."""
        self.people_now = stock[self.people_idx].sum(axis=0)
        self.supporting = [any(self.people_now[b] > EPS for b in sup) for sup in self.supported]

    def _note_unpacked(self) -> None:
        """What is still to pack at each node, (TEU, vehicles) as Python floats: the lane
        loop reads it for every lane, where numpy's scalar access costs more than the sums."""
        self.unpacked_at: list[list[float]] = self.unpacked.T.tolist()

    def last_load_day(self, j: int) -> int:
        """The last day a load may leave node `j` (`build.last_load_days`)."""
        return self.last_load_at[j]

    def waits_for_packing(
        self, j: int, held: list[float], have: list[float], wanted: list[float]
    ) -> bool:
        """Whether a load from `j` asks for cargo that is there but not packed yet."""
        short = (wanted[self.ti] - have[self.ti]) + (wanted[self.vi] - have[self.vi])
        teu_unpacked, veh_unpacked = self.unpacked_at[j]
        unpacked = teu_unpacked + veh_unpacked
        return unpacked > EPS and short > 0.5 and held[self.ti] + held[self.vi] > EPS

    def ready_to_load(self, j: int, held: list[float]) -> list[float]:
        """What node `j` can load now (`held`: what it holds, by commodity): its people, and
        cargo already packed."""
        teu_unpacked, veh_unpacked = self.unpacked_at[j]
        have = list(held)
        have[self.ti] = max(have[self.ti] - teu_unpacked, 0.0)
        have[self.vi] = float(max(math.floor(have[self.vi] - veh_unpacked + EPS), 0.0))
        return have

    def ready_day(self, j: int, day: int, cargo_after: float) -> int:
        """First day the rear parties at `j` may go: after the final steps and the handover
        once the last load has left, and after any residual task (0 while cargo remains:
        the guard rule holds them then)."""
        if not self.on:
            return 0
        # The HQ and hubs keep their guard while a site they support still holds people.
        supporting = self.supporting[j]
        if cargo_after > EPS:
            # cargo that stays (handed over or destroyed) does not spare the final steps:
            # they run after the last load, as the stress test has them
            last_cargo = int(self.last_cargo[j])
            steps = last_cargo + self.release_wait[j] if last_cargo >= 0 else 0
            return max(day + 1 if supporting else 0, steps, self.free_from[j])
        gone = int(self.cargo_gone[j])
        ready = max((gone if gone >= 0 else day) + self.release_wait[j], self.free_from[j])
        return max(ready, day + 1) if supporting else ready

    def seat_limit(
        self, dest: str, want: list[float], latest_first: list[int], j: int, day: int
    ) -> None:
        """People bound for a charter airport take only the seats left (latest deadlines
        wait first: `latest_first` lists the people commodities so)."""
        if dest not in self.tokens:
            return
        room = math.floor(self.tokens[dest] + EPS)
        over = added(want, self.people_idx) - room
        if over <= EPS:
            return
        self.held(j, day, "lift")
        for q in latest_first:
            cut = min(want[q], over)
            want[q] -= cut
            over -= cut

    def seats_overdrawn(self, dest: str) -> bool:
        """Whether `dest`'s seat bank is below zero seats (by a rounding), so that even an
        empty load bound there would wait for seats in `seat_limit`."""
        return dest in self.tokens and math.floor(self.tokens[dest] + EPS) < 0

    def shipped(self, j: int, day: int, load: np.ndarray, dest: str, held: np.ndarray) -> None:
        """A load left node `j` today (`held`: what `j` holds after it)."""
        if load[self.ti] + load[self.vi] > EPS:
            self.last_cargo[j] = day
            if held[self.ti] + held[self.vi] <= EPS:
                self.cargo_gone[j] = day
        if dest in self.tokens:
            self.tokens[dest] -= float(load[self.people_idx].sum())

    def exit(self, dest: str, day: int, load: np.ndarray, parts: list[Part]) -> None:
        """A load reached an exit today: seated on a charter, or queued at a border."""
        people = float(load[self.people_idx].sum())
        if dest in self.seats_used and day < self.H:
            self.seats_used[dest][day] += people
        if dest in self.border and load[self.ti] + load[self.vi] > EPS:
            ready = day + round(self.border[dest])
            self.queue[dest].append([float(ready), float(load[self.ti]), float(load[self.vi])])
        for unit, p, _t, _v in parts:
            if unit and p > EPS:
                self.unit_exited[unit] += int(round(p))

    def held(self, j: int, day: int, why: Binding) -> None:
        """A load from node `j` waited today for `why`."""
        self.why[j] = (day, why)

    # ------------------------------------------------------------------ tables
    def closure_rows(
        self, closure: dict[str, int], movements: Sequence[Movement]
    ) -> list[ClosureWorkRow]:
        """One row per node: packing, last load, final steps, handover, closure, binding.

        A node packing its own camp packs to the table's loads (`simulate.call_forward`, as
        the stress test does): its row gives that schedule's days. What bound the closure
        is read from the earliest the node could pack, the dispatcher's own packing."""
        rows = []
        start_cf, packed_cf = self._call_forward_days(movements)
        for j, n in enumerate(self.data.nodes):
            close = int(closure[n])
            start = int(self.pack_start[j]) if self.pack_start[j] >= 0 else 0
            packed = int(self.packed_by[j]) if self.packed_by[j] >= 0 else close
            if start_cf[j] >= 0:
                start = int(start_cf[j])
                packed = int(packed_cf[j]) if packed_cf[j] >= 0 else close
            # The rear party does the final steps and hands the camp over as it leaves: a
            # site the plan keeps open after its last load (protection, support) is not
            # handed over months before its guard goes.
            wait = self.final_days + int(self.delay[j])
            loaded = int(self.last_cargo[j]) if self.last_cargo[j] >= 0 else packed
            steps = max(loaded, close - wait)
            handover = min(steps + wait, close)
            rows.append(
                ClosureWorkRow(
                    site=n,
                    pack_start_day=start,
                    packed_by_day=max(packed, start),
                    final_steps_start_day=min(steps, close),
                    handover_day=handover,
                    closure_day=close,
                    binding=self._binding(j, close, closure),
                )
            )
        return rows

    def _call_forward_days(self, movements: Sequence[Movement]) -> tuple[np.ndarray, np.ndarray]:
        """Each node's first packing day and the day all it ships is packed, packing to
        the table's loads (-1 for a closure team's sites, which pack as fast as they can)."""
        data = self.data
        n = len(data.nodes)
        work = data.scenario.manifest.closure
        own = np.stack([data.initial[self.ti], data.initial[self.vi]], axis=1)
        scheduled = on_schedule(data.scenario)
        to_plan = np.array([x in scheduled for x in data.nodes]) & (own.sum(axis=1) > EPS)
        if work is None or not to_plan.any() or self.rate.min() <= 0:
            return np.full(n, -1), np.full(n, -1)
        floor, done = call_forward(
            movements,
            {x: j for j, x in enumerate(data.nodes)},
            self.H,
            data.initial[self.people_idx].sum(axis=0),
            own,
            self.rate,
            self.cap,
            float(work.packing_factor_low),
            to_plan,
        )
        return schedule_days(floor, done, own, to_plan)

    def _binding(self, j: int, close: int, closure: dict[str, int]) -> Binding:
        if self.until[j] >= 0 and self.until[j] + 1 >= close:
            return "residual_task"
        n = self.data.nodes[j]
        served = [closure[b] for a, b in self.supports if a == n and b in closure]
        if served and max(served) + self.final_days + int(self.delay[j]) + 1 >= close:
            return "support"
        if (
            self.packed_by[j] >= 0
            and self.last_cargo[j] >= 0
            and self.packed_by[j] >= self.last_cargo[j] - 1
        ):
            return "packing"
        # What kept a load waiting once the site was ready to close (its last load gone
        # and the final steps done); "none" when the plan chose the day (e.g. protection).
        ready = (self.last_cargo[j] if self.last_cargo[j] >= 0 else 0) + self.final_days
        if j in self.why and self.why[j][0] >= ready:
            return self.why[j][1]  # type: ignore[return-value]
        return "none"

    def lift_rows(self) -> list[LiftUseRow]:
        """Seats used and available on each charter row, TEU and vehicles crossing each
        corridor's end, by day."""
        rows = []
        for x in self.charters:
            total = np.maximum(self.seat_rate[x.site], EPS)
            share = self.row_seats[x.id] / total
            used = self.seats_used[x.site] * share
            for d in range(self.H):
                rows.append(
                    LiftUseRow(
                        x.id,
                        x.site,
                        d,
                        int(round(used[d])),
                        round(float(self.row_seats[x.id][d]), 3),
                        0.0,
                        0,
                    )
                )
        for e in sorted({x.site for x in self.corridors}):
            mine = [x for x in self.corridors if x.site == e]
            teu_cap = sum(x.teu_per_day for x in mine)
            veh_cap = sum(x.vehicles_per_day for x in mine)
            crossed = _cross(self.queue.get(e, []), teu_cap, veh_cap, self.H)
            for x in mine:
                st = x.teu_per_day / max(teu_cap, EPS)
                sv = x.vehicles_per_day / max(veh_cap, EPS)
                for d, (t, v) in enumerate(crossed):
                    rows.append(
                        LiftUseRow(x.id, x.site, d, 0, 0.0, round(t * st, 6), int(round(v * sv)))
                    )
        return rows


def _cross(
    queue: list[list[float]], teu_cap: float, veh_cap: float, H: int
) -> list[tuple[float, float]]:
    """TEU and vehicles crossing a border a day, first come first served, within capacity."""
    pending = sorted(([r[0], r[1], r[2]] for r in queue), key=lambda r: r[0])
    out: list[tuple[float, float]] = []
    day = 0
    while day < H or any(r[1] > EPS or r[2] > EPS for r in pending):
        room_t, room_v = (
            (teu_cap if teu_cap > 0 else math.inf),
            (veh_cap if veh_cap > 0 else math.inf),
        )
        t_day = v_day = 0.0
        for r in pending:
            if r[0] > day:
                break
            take_t, take_v = min(r[1], room_t), min(r[2], room_v)
            r[1] -= take_t
            r[2] -= take_v
            room_t -= take_t
            room_v -= take_v
            t_day += take_t
            v_day += take_v
        out.append((t_day, v_day))
        pending = [r for r in pending if r[1] > EPS or r[2] > EPS]
        day += 1
        if day > 10 * H:  # a corridor with no throughput: what is left never crosses
            break
    return out
