"""Reference model: the simulation's semantics written event by event in SimPy.

An independent implementation of what `drawdown.simulate` does, used as an oracle in tests
(its distributions must agree with the engine's) and as the speed reference in benchmarks.
It shares only the deterministic input tables (`compile_inputs`: rates, travel days, link
openings, routes); every random draw and every rule is written again here, the obvious way:
one process per movement that asks for clearance attempt by attempt, one per attacked base
drawing a Poisson count of attacks each day, one per dated event. Within a day, events keep
the engine's order through fractional times: arrivals (t), dated events (t + 0.1),
departures in plan order (t + 0.2 + ...), base attacks (t + 0.9).

The withdrawal's bottlenecks are processes too: each site with cargo packs it by the labour
present (t + 0.05, so a day's loads take that day's packing); a site's guard waits for the
handover, asked when its last other load has left and the final steps are done; loads that
reach a corridor's end wait their border delay, then the corridor crosses its throughput
(t + 0.85); charters seat who waits at their airport (t + 0.85, after the corridors).

People are tracked by formed unit. With closure work, a planned movement other than the
last guard takes only people free of their units' holds: a unit's main body is held in the
share of its site's own equipment still there, its rear party stays, and the
threat-sized last guard stays until the guard's own movement; no more are held than the
site's later planned movements have seats for. Once no planned movement is left out of a
site, whoever is there follows by its evacuation route the next day.

Run directly for a quick look: `python benchmarks/reference_simpy.py [runs]`.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field

import numpy as np
import simpy

from drawdown.plan.model import Plan
from drawdown.scenario.days import SEAT_BANK_DAYS
from drawdown.scenario.model import Scenario
from drawdown.simulate.inputs import Compiled, check_plan, compile_inputs

ARRIVE, PACK, EVENT, DEPART, BORDER, LIFT, ATTACK = 0.0, 0.05, 0.1, 0.2, 0.8, 0.85, 0.9
SENSITIVE, GENERAL = 1, 0


@dataclass
class RunOutcome:
    """What one reference run produced (the fields the oracle tests compare)."""

    closure_day: dict[str, int]
    completion_day: int
    remaining: np.ndarray  # people in theatre at the end of each day to the deadline
    teu_out: np.ndarray = field(default_factory=lambda: np.zeros(0))  # TEU out, same days
    killed: float = 0.0
    wounded: float = 0.0
    people_out: float = 0.0
    teu_fate: dict[str, float] = field(default_factory=dict)
    incidents: int = 0
    packed_day: dict[str, int] = field(default_factory=dict)
    handover_day: dict[str, int] = field(default_factory=dict)
    lift_people: dict[str, float] = field(default_factory=dict)  # seated by the deadline
    lift_teu_crossed: dict[str, float] = field(default_factory=dict)
    unit_out_day: dict[str, int] = field(default_factory=dict)  # -1: never
    early_closed: dict[str, bool] = field(default_factory=dict)
    unit_people_out: dict[str, float] = field(default_factory=dict)


class ReferenceRun:
    """One run of the plan, as SimPy processes."""

    def __init__(self, c: Compiled, rng: np.random.Generator) -> None:
        self.c, self.rng = c, rng
        self.env = simpy.Environment()
        n = len(c.site_ids)
        self.people = c.people0.astype(float).copy()
        # cargo stock by site, origin site and class, for containers and vehicles
        self.teu = np.zeros((n, n, 2))
        self.veh = np.zeros((n, n, 2))
        for s in range(n):
            self.teu[s, s] = c.teu0[s]
            self.veh[s, s] = c.veh0[s]
        self.backlog = np.zeros((n, 3))
        # the last guard waits for the other movements planned no later than itself
        guard_day = {int(c.mv_origin[m]): int(c.mv_day[m]) for m in np.flatnonzero(c.mv_guard)}
        self.guarded = [
            not c.mv_guard[m]
            and c.mv_own[m]  # not a leg of another site's route passing through
            and c.mv_day[m] <= guard_day.get(int(c.mv_origin[m]), -1)
            for m in range(c.n_movements)
        ]
        self.pending_out = np.bincount(c.mv_origin[self.guarded], minlength=n)
        # without closure work the guard kept back is the one the plan sized
        guard = c.mv_guard.astype(bool)
        self.guard_planned = np.bincount(
            c.mv_origin[guard], weights=c.mv_people[guard], minlength=n
        )
        # the final steps start once the last of those that carry cargo has gone
        self.last_loads = [
            g and (c.mv_teu[m] > 0 or c.mv_veh[m] > 0) for m, g in enumerate(self.guarded)
        ]
        self.loads_out = np.bincount(c.mv_origin[self.last_loads], minlength=n)
        # the last of those that may take cargo left behind waits for the packing
        self.freight = [
            g and (c.mv_people[m] == 0 or c.mv_teu[m] > 0 or c.mv_veh[m] > 0)
            for m, g in enumerate(self.guarded)
        ]
        self.freight_out = np.bincount(c.mv_origin[self.freight], minlength=n)
        self.last_zero = np.full(n, -1)
        # a site closes when its own units' people have gone (people passing through it
        # on their way out do not hold it open)
        self.own_zero = np.full(n, -1)
        self.has_own = np.bincount(c.unit_site, minlength=n) > 0
        self.closed_early = np.zeros(n, dtype=bool)
        self.fate = dict.fromkeys(
            ("shipped", "handed_over", "destroyed", "lost", "remaining", "abandoned"), 0.0
        )
        # closure work: cargo not packed yet (TEU, vehicles); the guard's release after the
        # handover (-1: not asked yet) and whether it was handed over
        self.unpacked = np.zeros((n, 2))
        # share of each site's unpacked cargo attacks left: the schedule shrinks with it
        self.pack_kept = np.ones((n, 2))
        # each site packs at its own factor of the rates this run (uniform in the range)
        low, high = (float(x) for x in c.pack_factor_range)
        self.pack_factor = np.full(n, low)
        if c.closure_work:
            for s in range(n):
                if c.site_kind[s] <= 1:
                    self.unpacked[s] = (c.teu0[s].sum(), c.veh0[s].sum())
                    if high > low:
                        self.pack_factor[s] = rng.uniform(low, high)
        # each site's final steps take their own whole days this run (uniform in the range)
        fewest, most = (int(x) for x in c.final_steps_range)
        self.final_steps = np.full(n, fewest)
        if c.closure_work and most > fewest:
            self.final_steps = rng.integers(fewest, most + 1, size=n)
        self.release = np.full(n, -1)
        self.handed = np.zeros(n, dtype=bool)
        self.host_answer: dict[int, tuple[int | None, float]] = {}  # refusals, wait
        # strategic lift: people waiting for a seat by site, cargo queued by corridor
        self.waiting = np.zeros(n)
        n_lift = len(c.lift_ids)
        self.pool_teu = np.zeros((n_lift, n, 2))
        self.pool_veh = np.zeros((n_lift, n, 2))
        self.in_theatre = float(c.people0.sum())
        # people by unit: at each site, waiting at a charter airport, still in theatre
        n_units = len(c.unit_ids)
        self.unit_at = np.zeros((n, n_units))
        self.unit_at[c.unit_site, np.arange(n_units)] = c.unit_people
        self.unit_waiting = np.zeros((n, n_units))
        self.waiting_since = np.zeros((n, n_units), dtype=int)
        self.unit_in = c.unit_people.astype(float).copy()
        self.unit_out = np.where(c.unit_people > 0, -1, 0)
        self.unit_gone = np.zeros(n_units)
        self.guard_gone = np.zeros(n, dtype=bool)
        self.mv_done = np.zeros(c.n_movements, dtype=bool)  # arrived or cancelled
        # seats on each site's own movements (legs passing through carry others' people)
        self.seats_left = np.bincount(c.mv_origin, weights=c.mv_cap[:, 0] * c.mv_own, minlength=n)
        self.planned_left = np.bincount(c.mv_origin, minlength=n)
        self.evac_day = np.full(n, -1)  # seats of own aircraft used out of each site today
        self.evac_used = np.zeros(n)
        self.remaining = np.zeros(c.horizon)
        self.teu_out = np.zeros(c.horizon)
        self.completion = -1
        self.out = RunOutcome({}, -1, self.remaining, teu_out=self.teu_out)

    # --- helpers ---------------------------------------------------------------------------

    def _poisson(self, lam: float) -> int:
        return int(self.rng.poisson(lam)) if lam > 0 else 0

    def _remove_people(self, site: int, n: float) -> None:
        if self.people[site] > 0 and self.people[site] - n <= 0:
            self.last_zero[site] = int(self.env.now)
        self.people[site] -= n

    def _units_leave(self, by_unit: np.ndarray) -> None:
        """People of each unit leave the theatre (or are killed) now."""
        self.unit_in -= by_unit
        self.unit_gone += by_unit
        done = (self.unit_in <= 0.5) & (self.unit_out < 0) & (by_unit > 0)
        self.unit_out[done] = int(self.env.now)

    def _holds(self, o: int) -> np.ndarray:
        """People of each unit who must stay at `o` for now (units of other sites: none)."""
        c = self.c
        own = c.unit_site == o
        dispatched = c.teu0[o].sum() + c.veh0[o].sum() - self.teu[o, o].sum() - self.veh[o, o].sum()

        # each unit's own equipment still to go, the site shipping unit by unit; a main body
        # is held only as far as it is behind what the plan has sent by today
        def to_go(sent: float) -> np.ndarray:
            return np.clip(c.unit_moved_before + c.unit_moved - sent, 0.0, c.unit_moved)

        t = min(int(self.env.now), c.planned_dispatched.shape[1] - 1)
        behind = np.maximum(0.0, to_go(dispatched) - to_go(c.planned_dispatched[o, t]))
        moved = c.unit_moved > 1e-9
        share = np.divide(behind, c.unit_moved, out=np.zeros_like(behind), where=moved)
        hold = c.unit_rear + (c.unit_people - c.unit_rear) * share
        return np.where(own, np.minimum(self.unit_at[o], hold), 0.0)

    def _free(self, o: int, later: float, unit_holds: bool) -> float:
        """People a movement other than the last guard may take from `o`: all but the last
        guard and, with `unit_holds` (closure work), the units' holds; without closure work
        the guard kept back is the one the plan sized."""
        c = self.c
        held = self._holds(o).sum() if unit_holds else 0.0
        if not self.guard_gone[o]:
            guard = (
                c.guard_people[o] if unit_holds else min(c.guard_people[o], self.guard_planned[o])
            )
            held = max(guard, held)
        stay = min(math.ceil(held - 1e-9), math.floor(later + 1e-9))
        return max(0.0, self.people[o] - max(0, stay))

    def _own_gone(self, o: int) -> None:
        own_left = self.unit_at[o, self.c.unit_site == o].sum()
        if self.own_zero[o] < 0 and self.has_own[o] and own_left <= 0.5:
            self.own_zero[o] = int(self.env.now)

    def _board(self, o: int, n: float, holds: bool, only=None) -> np.ndarray:  # type: ignore[no-untyped-def]
        """Take `n` people from `o` by unit: passing through first, then own units in order
        (only what their holds free, with `holds`), then anyone (rounding)."""
        c = self.c
        aboard = np.zeros(len(c.unit_ids))
        held = self._holds(o) if holds else np.zeros(len(c.unit_ids))
        own = c.unit_site == o
        left = n
        for step in range(3):
            for u in range(len(c.unit_ids)):
                if left <= 0:
                    break
                if (step == 0 and own[u]) or (step == 1 and not own[u]):
                    continue
                if only is not None and not only[u]:
                    continue  # a contingent leaving takes only its own people
                have = self.unit_at[o, u] - (held[u] if step == 1 else 0.0)
                take = min(have, left)
                if take > 0:
                    self.unit_at[o, u] -= take
                    aboard[u] += take
                    left -= take
        self._own_gone(o)
        return aboard

    def _gone(self, m: int, o: int) -> None:
        """Movement `m` has left or been cancelled; the last one out of `o` sweeps it."""
        c = self.c
        if c.mv_own[m]:
            self.seats_left[o] -= c.mv_cap[m, 0]
        if c.mv_guard[m]:
            self.guard_gone[o] = True
        self.planned_left[o] -= 1
        if self.planned_left[o] == 0 and c.closure_work:
            self._sweep(o)

    def _sweep(self, o: int) -> None:
        """Whoever is at `o` follows by its evacuation route tomorrow."""
        c = self.c
        if c.evac_link[o] >= 0:
            day = min(int(self.env.now) + 1, c.n_days - 1)
            self.env.process(self._evacuate(o, self.people[o], day))

    def _load(
        self, stock: np.ndarray, site: int, amount: float, behind: int | None = None
    ) -> np.ndarray:
        """Take `amount` from `site`: sensitive cargo first, every origin pro rata, none of
        origin `behind` (a closed base's own cargo, left where it is)."""
        load = np.zeros(stock.shape[1:])
        takes = np.ones(stock.shape[1], dtype=bool)
        if behind is not None:
            takes[behind] = False
        for cls in (SENSITIVE, GENERAL):
            have = stock[site, takes, cls].sum()
            if have <= 0 or amount <= 0:
                continue
            share = min(1.0, amount / have)
            load[takes, cls] = stock[site, takes, cls] * share
            stock[site, :, cls] -= load[:, cls]
            amount -= min(amount, have)
        return load

    def _deliver(
        self, dest: int, people: float, teu: np.ndarray, veh: np.ndarray, units: np.ndarray
    ) -> None:
        c = self.c
        if c.exit_people[dest] and c.site_charter[dest]:
            self.waiting[dest] += people
            fresh = (units > 0) & (self.unit_waiting[dest] <= 1e-9)
            self.waiting_since[dest, fresh] = int(self.env.now)
            self.unit_waiting[dest] += units
        elif c.exit_people[dest]:
            self.out.people_out += people
            self.in_theatre -= people
            self._units_leave(units)
        else:
            self.people[dest] += people
            self.unit_at[dest] += units
            if self.planned_left[dest] == 0 and c.closure_work:
                self._sweep(dest)
        if c.site_corridor[dest] >= 0 and teu.sum() + veh.sum() > 0:
            self.env.process(self._border(int(c.site_corridor[dest]), teu, veh))
        elif c.exit_cargo[dest]:
            self.fate["shipped"] += teu.sum()
        else:
            self.teu[dest] += teu
            self.veh[dest] += veh

    def _travel(self, dest: int, people: float, teu, veh, days: int, units: np.ndarray):  # type: ignore[no-untyped-def]
        arrive = int(self.env.now) + days
        if days > 0:
            yield self.env.timeout(arrive + ARRIVE - self.env.now)
        self._deliver(dest, people, teu, veh, units)

    def _leave_at(self, day: int):
        """Unplanned departures leave before the day's planned ones (or now, if today)."""
        if day > int(self.env.now):
            yield self.env.timeout(day + DEPART - 0.05 - self.env.now)

    def _evac_clearance(self, site: int, day: int) -> int:
        """Day an evacuation flight out of `site` is cleared (-1: refused at every attempt);
        expedited, without the clearance's delay."""
        c = self.c
        for k in range(c.max_retries + 1):
            d = min(day + k * c.retry_days, c.n_days - 1)
            if self.rng.random() < min(1.0, c.air_approval[site, d]):
                if c.evac_expedited:
                    return d
                mean = c.air_delay_mean[site, d]
                fixed = c.air_delay_fixed[site, d]
                wait = mean if fixed else self.rng.exponential(mean) if mean else 0.0
                return min(c.n_days - 1, d + math.floor(wait + 0.5))
        return -1

    def _seats(self, site: int, n: float, only=None) -> float:  # type: ignore[no-untyped-def]
        """People of `n` the site's own aircraft can fly out today; the rest follow tomorrow."""
        c = self.c
        if not np.isfinite(c.evac_seats[site]):
            return n
        today = int(self.env.now)
        if self.evac_day[site] != today:
            self.evac_day[site], self.evac_used[site] = today, 0.0
        room = max(0.0, c.evac_seats[site] - self.evac_used[site])
        if n > room:
            tomorrow = min(today + 1, c.n_days - 1)
            self.env.process(self._evacuate(site, n - room, tomorrow, cleared=True, only=only))
            n = room
        self.evac_used[site] += n
        return n

    def _evacuate(  # type: ignore[no-untyped-def]
        self, site: int, people: float, day: int, cleared: bool = False, only=None
    ):
        """People leave by the site's evacuation route: by air on the scenario's own
        aircraft once cleared (refused for good, they stay), meeting ground fire at the
        airfields; by road as one convoy meeting the link's roadside bombs and ambushes."""
        c = self.c
        by_air = c.evac_link[site] >= 0 and c.evac_link[site] == c.air_link[site]
        if by_air and not cleared:
            day = self._evac_clearance(site, day)
            if day < 0:
                return
        yield from self._leave_at(day)
        here = self.people[site] if only is None else self.unit_at[site, only].sum()
        n = min(here, people)
        if by_air:
            n = self._seats(site, n, only)
        self._remove_people(site, n)
        units = self._board(site, n, holds=False, only=only)
        if by_air:
            n, units = self._under_fire(site, n, units)
        else:
            n, units = self._on_the_road(site, n, units)
        days = max(1, int(c.travel[c.evac_link[site], day]))
        empty = np.zeros((len(c.site_ids), 2))
        yield from self._travel(int(c.evac_dest[site]), n, empty, empty, days, units)

    def _under_fire(self, site: int, n: float, units: np.ndarray) -> tuple[float, np.ndarray]:
        """An unplanned flight of `n` people meets ground fire at its airfields: Poisson
        incidents over its sorties, then Poisson killed and wounded an incident."""
        c = self.c
        if n <= 0:
            return n, units
        sorties = math.ceil(n * c.evac_sorties_per_person[site] - 1e-9)
        count = self._poisson(c.evac_fire_rate[site, int(self.env.now)] * sorties)
        if count == 0:
            return n, units
        dead = self._poisson(count * c.evac_fire_effects[site, 0])
        self.out.wounded += self._poisson(count * c.evac_fire_effects[site, 1])
        self.out.incidents += count
        return self._hit_aboard(n, dead, units)

    def _hit_aboard(self, n: float, dead: float, units: np.ndarray) -> tuple[float, np.ndarray]:
        """An unplanned movement of `n` people loses `dead` of them, its units alike."""
        self.out.killed += dead
        lost = min(dead, n)
        if lost > 0:
            killed = units * (lost / n)
            self._units_leave(killed)
            units = units - killed
            self.in_theatre -= lost
        return n - lost, units

    def _on_the_road(self, site: int, n: float, units: np.ndarray) -> tuple[float, np.ndarray]:
        """An evacuation convoy of `n` people meets each road kind's incidents (Poisson),
        then Poisson killed and wounded an incident, as a planned convoy on the link."""
        c = self.c
        for k in range(c.evac_road_rate.shape[1]):
            if n <= 0:
                break
            count = self._poisson(c.evac_road_rate[site, k, int(self.env.now)])
            if count == 0:
                continue
            dead = self._poisson(count * c.evac_road_effects[site, k, 0])
            self.out.wounded += self._poisson(count * c.evac_road_effects[site, k, 1])
            self.out.incidents += count
            n, units = self._hit_aboard(n, dead, units)
        return n, units

    def _border(self, x: int, teu: np.ndarray, veh: np.ndarray):
        """A load at a corridor's end waits its border delay, then joins the queue."""
        mean = self.c.lift_border_mean[x]
        wait = math.floor(self.rng.exponential(mean) + 0.5) if mean > 0 else 0
        day = min(self.c.n_days - 1, int(self.env.now) + wait)
        yield self.env.timeout(day + BORDER - self.env.now)
        self.pool_teu[x] += teu
        self.pool_veh[x] += veh

    def _ask_handover(self, o: int) -> None:
        """The last load but the guard has left: final steps, then the handover request."""
        c = self.c
        steps = max(int(self.env.now), int(c.steps_from_day[o]))  # not before the plan does
        start = min(steps + int(self.final_steps[o]), c.n_days - 1)
        if o in self.host_answer:  # final steps restarted: the host answers as it did
            k, wait = self.host_answer[o]
            if k is None:
                self.release[o] = min(c.n_days - 1, start + c.max_retries * c.retry_days)
            else:
                d = min(start + k * c.retry_days, c.n_days - 1)
                self.release[o] = min(c.n_days - 1, d + math.floor(wait + 0.5))
            return
        for k in range(c.max_retries + 1):
            d = min(start + k * c.retry_days, c.n_days - 1)
            if self.rng.random() < min(1.0, c.handover_approval[o, d]):
                mean = c.handover_delay_mean[o, d]
                fixed = c.handover_delay_fixed[o, d]
                wait = mean if fixed else self.rng.exponential(mean) if mean else 0.0
                self.release[o] = min(c.n_days - 1, d + math.floor(wait + 0.5))
                self.handed[o] = True
                self.host_answer[o] = (k, wait)
                return
        self.release[o] = min(c.n_days - 1, start + c.max_retries * c.retry_days)
        self.host_answer[o] = (None, 0.0)

    # --- processes -------------------------------------------------------------------------

    def packing(self, s: int):
        c = self.c
        yield self.env.timeout(PACK)
        for t in range(c.n_days):
            if self.guard_gone[s]:
                return  # closed: whoever waits there later does not pack its camp
            # a site packing its own camp packs to the movement plan, no further ahead than
            # its floor, and is packed once all its plan ships is (`call_forward`)
            done = c.pack_done[s] * self.pack_kept[s]
            left = (self.unpacked[s] > done + 1e-9).any()
            if left and not self._team_elsewhere(s, t):
                floor = c.pack_floor[s, t] * self.pack_kept[s]
                for k in range(2):
                    if self.unpacked[s, k] <= floor[k]:
                        continue
                    work = min(c.pack_cap[s, k], c.pack_per_person[k] * self.people[s])
                    work *= self.pack_factor[s]
                    self.unpacked[s, k] = max(floor[k], self.unpacked[s, k] - work)
                if (self.unpacked[s] <= done + 1e-9).all():
                    self.out.packed_day[c.site_ids[s]] = t
                    return
            yield self.env.timeout(1)

    def _waits_for_packing(self, m: int, o: int, t: int) -> bool:
        """Whether `m`, base `o`'s last movement that may take cargo, waits for what it is
        to take to be packed."""
        c = self.c
        if not self.freight[m] or self.freight_out[o] > 1 or t >= c.cutoff_day:
            return False
        if self.closed_early[o] or self.people[o] <= 0:
            return False
        for k, stock, col in ((0, self.teu, 1), (1, self.veh, 2)):
            planned = c.mv_teu[m] if k == 0 else c.mv_veh[m]
            # what the movement plan leaves unpacked (handed over, destroyed) is not waited for
            floor = c.pack_floor[o, t, k] * self.pack_kept[o, k]
            packable = self.unpacked[o, k] > floor + 1e-9
            if packable and (planned > 0 or self.backlog[o, col] > 0):
                need = min(planned + self.backlog[o, col], c.mv_cap[m, col])
                if stock[o].sum() - self.unpacked[o, k] < need - 1e-9:
                    return True
        return False

    def _team_elsewhere(self, s: int, t: int) -> bool:
        """Whether site `s`'s closure team is at a site before it in its round."""
        c = self.c
        if c.pack_team[s] < 0:
            return False
        for k in range(len(c.site_ids)):
            if c.pack_team[k] != c.pack_team[s] or c.pack_rank[k] >= c.pack_rank[s]:
                continue
            if self.out.packed_day.get(c.site_ids[k]) == t:
                return True
            # the team stays until the site's last load has gone (it waits for the packing)
            if self.unpacked[k].sum() > 0 and self.people[k] > 0 and self.loads_out[k] > 0:
                return True
        return False

    def corridor(self, x: int):
        c = self.c
        yield self.env.timeout(LIFT)
        for _ in range(c.n_days):
            for k, pool in enumerate((self.pool_teu[x], self.pool_veh[x])):
                total = pool.sum()
                if total > 0:
                    share = min(1.0, c.lift_per_day[x, k] / total)
                    if k == 0:
                        self.fate["shipped"] += total * share
                        self.out.lift_teu_crossed[c.lift_ids[x]] += total * share
                    pool *= 1 - share
            yield self.env.timeout(1)

    def charter(self, x: int):
        c = self.c
        s = int(c.lift_site[x])
        yield self.env.timeout(LIFT + 0.01)
        # a week's unflown seats may fly later, when people are there (SEAT_BANK_DAYS)
        per_day = c.lift_flights[x].mean() * c.lift_seats_each[x] if c.lift_flights.size else 0.0
        cap = max(SEAT_BANK_DAYS * per_day, c.lift_seats_each[x])
        bank = 0.0
        for t in range(c.n_days):
            if t < c.horizon or self.waiting[s] > 0:
                seats = sum(
                    c.lift_seats_each[x]
                    for _ in range(int(c.lift_flights[x, t]))
                    if self.rng.random() < min(1.0, c.lift_approval[x, t])
                )
                bank = min(bank + seats, max(cap, seats))
                seated = min(self.waiting[s], bank)
                bank -= seated
                self.waiting[s] -= seated
                self._seat(s, seated)
                self.out.people_out += seated
                self.in_theatre -= seated
                if t < c.horizon:
                    self.out.lift_people[c.lift_ids[x]] += seated
            yield self.env.timeout(1)

    def _seat(self, s: int, seated: float) -> None:
        """Seat `seated` people at `s`, units in the order they began to wait."""
        left = seated
        by_unit = np.zeros(len(self.c.unit_ids))
        while left > 1e-9:
            waiting = np.flatnonzero(self.unit_waiting[s] > 0)
            if waiting.size == 0:
                break
            first = waiting[np.argmin(self.waiting_since[s, waiting])]
            take = min(left, self.unit_waiting[s, first])
            self.unit_waiting[s, first] -= take
            by_unit[first] += take
            left -= take
        self._units_leave(by_unit)

    def movement(self, m: int):
        c, env = self.c, self.env
        o, link = int(c.mv_origin[m]), int(c.mv_link[m])
        order = DEPART + 0.0999 * m / max(1, c.n_movements)
        first = int(c.mv_earliest_day[m])  # the plan's day, or a last guard's earliest
        yield env.timeout(first + order)
        # the request went in ahead of the planned day; attempts every retry_days from then
        refused = True
        answer = int(c.mv_request_day[m]) + c.max_retries * c.retry_days
        for k in range(c.max_retries + 1):
            if self.rng.random() < c.mv_approval[m, k]:
                refused = False
                mean = c.mv_delay_mean[m]
                wait = mean if c.mv_delay_fixed[m] else self.rng.exponential(mean) if mean else 0.0
                answer = int(c.mv_request_day[m]) + k * c.retry_days + math.floor(wait + 0.5)
                break
        if c.mv_people[m] == 0 and c.mv_day[m] <= c.cutoff_day < answer - 1:
            answer = c.cutoff_day + 1  # cargo not cleared by the cut-off is given up then
        yield env.timeout(max(0, answer - first))
        divert = refused
        cancel = refused
        while not cancel:
            t = int(env.now)
            if t >= c.n_days - 1:
                break
            empty = self.people[o] <= 0 and self.teu[o].sum() + self.veh[o].sum() <= 0
            if self.closed_early[o] and empty:
                cancel = True  # an abandoned base left empty: no convoy drives out of it
                break
            if c.mv_people[m] == 0 and t > c.cutoff_day and t > c.mv_day[m]:
                cancel = True
                break
            if not c.link_open[link, t]:
                reopen = c.next_open[link, t]
                if reopen < 0:
                    cancel = divert = True
                    break
                yield env.timeout(reopen - t)
                continue
            up = int(c.mv_upstream[m])
            if up >= 0 and not self.mv_done[up]:
                yield env.timeout(1)  # the convoy going on through `o` is not there yet
                continue
            if c.mv_guard[m] and t <= c.hold_until[o]:
                yield env.timeout(c.hold_until[o] + 1 - t)  # a residual task holds the site
                continue
            latest = int(c.guard_latest_day[o])  # then the guard goes, the mandate over
            supported = c.supports.size and (c.supports[o] & (self.people > 0.5)).any()
            if c.mv_guard[m] and t < latest and supported:
                yield env.timeout(1)  # the HQ or a hub waits for the sites it supports
                continue
            if c.mv_guard[m] and self.pending_out[o] <= 0 and self.release[o] > t:
                if t < latest:
                    # after the final steps and handover
                    yield env.timeout(min(self.release[o], latest) - t)
                    continue
                self.handed[o] = False  # not handed over before the mandate ended
            if c.closure_work and self._waits_for_packing(m, o, t):
                yield env.timeout(1)  # a base's last load waits for the cargo being packed
                continue
            if c.mv_guard[m] and self.pending_out[o] > 0:
                # look again once the day's other departures are done, then day by day
                end_of_departures = t + DEPART + 0.09995
                if env.now < end_of_departures:
                    yield env.timeout(end_of_departures - env.now)
                else:
                    yield env.timeout(1)
                continue
            break
        if self.guarded[m]:
            self.pending_out[o] -= 1
        if self.freight[m]:
            self.freight_out[o] -= 1
        if self.last_loads[m]:
            self.loads_out[o] -= 1
            if c.closure_work and self.loads_out[o] == 0 and self.release[o] < 0:
                self._ask_handover(o)
        if cancel:
            self._gone(m, o)
            self.mv_done[m] = True
            yield from self._cancel(m, o, divert)
            return
        yield from self._depart(m, o, link)
        self.mv_done[m] = True

    def _cancel(self, m: int, o: int, divert: bool):
        c, env = self.c, self.env
        self.backlog[o, 1] += c.mv_teu[m]
        self.backlog[o, 2] += c.mv_veh[m]
        if c.mv_people[m] <= 0:
            return
        if c.mv_guard[m]:
            want = self.people[o]
        else:  # with closure work, units leave with their work
            want = min(self._free(o, self.seats_left[o], c.closure_work), c.mv_people[m])
        if not (divert and c.air_when_refused and c.air_link[o] >= 0 and want > 0):
            self.backlog[o, 0] += c.mv_people[m]
            return
        start = int(env.now)
        for k in range(c.max_retries + 1):
            d = min(start + k * c.retry_days, c.n_days - 1)
            if self.rng.random() < min(1.0, c.air_approval[o, d]):
                mean = c.air_delay_mean[o, d]
                wait = (
                    mean if c.air_delay_fixed[o, d] else self.rng.exponential(mean) if mean else 0
                )
                leave = min(c.n_days - 1, d + math.floor(wait + 0.5))
                yield from self._leave_at(leave)
                n = self._seats(o, min(self.people[o], want))
                self._remove_people(o, n)
                units = self._board(o, n, holds=False)
                n, units = self._under_fire(o, n, units)
                empty = np.zeros((len(c.site_ids), 2))
                days = max(1, int(c.travel[c.air_link[o], leave]))
                yield from self._travel(int(c.air_dest[o]), n, empty, empty, days, units)
                return
        self.backlog[o, 0] += c.mv_people[m]

    def _depart(self, m: int, o: int, link: int):
        c, rng = self.c, self.rng
        t = int(self.env.now)

        def carry(stock: float, planned: float, backlog: float, cap: float) -> float:
            return max(0.0, min(stock, planned + min(backlog, max(0.0, cap - planned))))

        # a load takes only packed cargo, and none of a closed base's own (left behind)
        behind = o if c.closure_work and self.guard_gone[o] else None
        packed_t = self.teu[o].sum() - (
            self.unpacked[o, 0] if behind is None else self.teu[o, o].sum()
        )
        packed_v = self.veh[o].sum() - (
            self.unpacked[o, 1] if behind is None else self.veh[o, o].sum()
        )
        # cargo left behind rides cargo movements, not those planned with people only
        freight = c.mv_people[m] == 0 or c.mv_teu[m] > 0 or c.mv_veh[m] > 0
        n_t = carry(packed_t, c.mv_teu[m], self.backlog[o, 1] if freight else 0.0, c.mv_cap[m, 1])
        n_v = carry(packed_v, c.mv_veh[m], self.backlog[o, 2] if freight else 0.0, c.mv_cap[m, 2])
        counts = [self._poisson(c.mv_rate[m, k]) for k in range(4)]
        keep = 1.0
        if counts[2]:
            keep = 1.0 - min(counts[2], c.mv_convoys[m]) / c.mv_convoys[m]
            n_t, n_v = n_t * keep, math.floor(n_v * keep)
        teu = self._load(self.teu, o, n_t, behind)
        veh = self._load(self.veh, o, n_v, behind)
        carries = teu.sum() + veh.sum() > 0
        again = self.loads_out[o] == 0 and self.release[o] >= 0 and c.mv_own[m]
        if c.closure_work and carries and not self.last_loads[m] and not c.mv_guard[m] and again:
            self._ask_handover(o)  # own cargo left behind went later: final steps again
        # people after the load: a unit's main body leaves with its last load
        holds = c.closure_work and not c.mv_guard[m]
        later = self.seats_left[o] - (c.mv_cap[m, 0] if c.mv_own[m] else 0.0)
        free = self.people[o] if c.mv_guard[m] else self._free(o, later, holds)
        n_p = carry(free, c.mv_people[m], self.backlog[o, 0], c.mv_cap[m, 0])
        if keep < 1.0:
            n_p = math.floor(n_p * keep)
        for j, (planned, took) in enumerate(
            ((c.mv_people[m], n_p), (c.mv_teu[m], n_t), (c.mv_veh[m], n_v))
        ):
            self.backlog[o, j] = max(0.0, self.backlog[o, j] + planned - took)
        self._remove_people(o, n_p)
        units = self._board(o, n_p, holds)
        delay = 0
        if sum(counts):
            self.out.incidents += sum(counts)
            means = [sum(counts[k] * c.mv_effects[m, k, e] for k in range(4)) for e in range(5)]
            dead, hurt, vl, cl, delay = (self._poisson(x) for x in means)
            self.out.killed += dead
            self.out.wounded += hurt
            lost = min(dead, n_p)
            if lost > 0:
                killed = units * (lost / n_p)
                units = units - killed
                self._units_leave(killed)
            n_p -= lost
            self.in_theatre -= lost
            if veh.sum() > 0:
                veh *= 1 - min(1.0, vl / veh.sum())
            if teu.sum() > 0:
                share = min(1.0, cl / teu.sum())
                self.fate["lost"] += teu.sum() * share
                teu *= 1 - share
        del rng
        self._gone(m, o)
        base = int(c.travel[link, t])
        days = max(0, int(c.mv_dur[m]) + base) + delay
        yield from self._travel(int(c.mv_dest[m]), n_p, teu, veh, days, units)

    def attacks(self, s: int):
        c, env = self.c, self.env
        yield env.timeout(ATTACK)
        count = 0
        days: list[int] = []  # days of the attacks on this base
        for t in range(c.horizon):
            if not self.closed_early[s] and self.people[s] > 0:
                factor = min(
                    100.0, (max(c.people0[s], 1) / self.people[s]) ** c.attack_elasticity[s]
                )
                for _ in range(self._poisson(c.attack_rate[s, t] * factor)):
                    eff = c.attack_effects[s]
                    dead = self._poisson(eff[0])
                    self.out.killed += dead
                    self.out.wounded += self._poisson(eff[1])
                    lost = min(dead, self.people[s])
                    if lost > 0:
                        killed = self.unit_at[s] * (lost / self.people[s])
                        self.unit_at[s] -= killed
                        self._units_leave(killed)
                        self._own_gone(s)
                    self._remove_people(s, lost)
                    self.in_theatre -= lost
                    for stock, mean in ((self.veh, eff[2]), (self.teu, eff[3])):
                        amount = self._poisson(mean)
                        have = stock[s].sum()
                        if have > 0 and amount > 0:
                            share = min(1.0, amount / have)
                            if stock is self.teu:
                                self.fate["lost"] += have * share
                            stock[s] *= 1 - share
                            self.unpacked[s, 0 if stock is self.teu else 1] *= 1 - share
                            self.pack_kept[s, 0 if stock is self.teu else 1] *= 1 - share
                    self.out.incidents += 1
                    count += 1
                    days.append(t)
                    if self.people[s] <= 0:
                        break
                    k, window = c.early_close_attacks, c.early_close_window_days
                    if 0 < k <= count and (window <= 0 or t - days[-k] < window):
                        self.closed_early[s] = True
                        if not 0 <= self.release[s] <= t:
                            self.handed[s] = False  # abandoned before the host took it over
                        self._dispose(s, keep=False, abandon=c.closure_work)
                        self.unpacked[s] = 0
                        if c.evac_link[s] >= 0:
                            env.process(self._evacuate(s, self.people[s], t + 1))
                        break
            yield env.timeout(1)

    def dated_event(self, k: int):
        c = self.c
        yield self.env.timeout(c.ev_day[k] + EVENT)
        s = int(c.ev_site[k])
        mine = c.unit_contingent == c.ev_contingent[k]  # the contingent's own people go
        n = self.unit_at[s, mine].sum()
        if n > 0 and c.evac_link[s] >= 0:
            yield from self._evacuate(s, n, int(c.ev_day[k]), only=mine)

    def ledger(self):
        """Count people in theatre, and TEU out of it (all shipped so far: at an exit for
        cargo, or across a corridor), at the end of every day."""
        yield self.env.timeout(0.99)
        for t in range(self.c.n_days):
            if t < self.c.horizon:
                self.remaining[t] = round(self.in_theatre)
                self.teu_out[t] = round(self.fate["shipped"])
            if self.in_theatre <= 0.5 and self.completion < 0:
                self.completion = t
            yield self.env.timeout(1)

    def _dispose(self, s: int, keep: bool, abandon: bool = False) -> None:
        c = self.c
        for cls in (GENERAL, SENSITIVE):
            for origin in range(len(c.site_ids)):
                amount = self.teu[s, origin, cls]
                if keep:
                    self.fate["remaining"] += amount
                    continue
                # sensitive cargo all, general cargo its owners' share (`destroy_share`)
                destroyed = 1.0 if cls == SENSITIVE else float(c.destroy_share[origin])
                self.fate["destroyed"] += destroyed * amount
                rest = "abandoned" if abandon else "handed_over"
                self.fate[rest] += (1.0 - destroyed) * amount
        self.teu[s] = 0
        self.veh[s] = 0

    def run(self) -> RunOutcome:
        c, env = self.c, self.env
        for m in range(c.n_movements):
            env.process(self.movement(m))
        for s in np.flatnonzero(c.attack_rate[:, : c.horizon].sum(axis=1) > 0):
            env.process(self.attacks(int(s)))
        for k in range(c.ev_day.size):
            env.process(self.dated_event(k))
        env.process(self.ledger())
        if c.closure_work:
            # in the teams' rounds, so that a closure team's earlier site packs first each day
            packs = np.flatnonzero(self.unpacked.sum(axis=1) > 0)
            for s in packs[np.argsort(c.pack_rank[packs], kind="stable")]:
                env.process(self.packing(int(s)))
            for s in np.flatnonzero(c.mv_guard):
                o = int(c.mv_origin[s])
                if self.loads_out[o] == 0:
                    self._ask_handover(o)
        for x, lift in enumerate(c.lift_ids):
            self.out.lift_people[lift] = 0.0
            self.out.lift_teu_crossed[lift] = 0.0
            env.process(self.corridor(x) if c.lift_kind[x] else self.charter(x))
        env.run(until=c.n_days)
        for s, site in enumerate(c.site_ids):
            # handed over only if its people were there on the day the host took it over
            handed = bool(self.handed[s])
            if c.site_kind[s] <= 1:
                if self.has_own[s]:
                    self.out.closure_day[site] = int(self.own_zero[s])
                else:
                    left = self.people[s] > 0.5
                    self.out.closure_day[site] = -1 if left else int(self.last_zero[s])
                self.out.packed_day.setdefault(site, -1)
                handed = handed and 0 <= self.release[s] <= self.out.closure_day[site]
                gone = handed and self.people[s] <= 0.5
                self.out.handover_day[site] = int(self.release[s]) if gone else -1
            if not c.exit_cargo[s]:
                refused = c.closure_work and self.release[s] >= 0 and not handed
                self._dispose(s, keep=self.people[s] > 0.5, abandon=refused)
        self.fate["remaining"] += self.pool_teu.sum()
        self.out.completion_day = self.completion
        self.out.early_closed = dict(zip(c.site_ids, self.closed_early.tolist(), strict=True))
        self.out.unit_out_day = dict(zip(c.unit_ids, self.unit_out.tolist(), strict=True))
        self.out.unit_people_out = dict(zip(c.unit_ids, self.unit_gone.tolist(), strict=True))
        self.out.teu_fate = dict(self.fate)
        return self.out


def simulate_reference(scenario: Scenario, plan: Plan, *, runs: int, seed: int) -> list[RunOutcome]:
    """`runs` reference runs, each with its own stream spawned from `seed`."""
    check_plan(scenario, plan)
    c = compile_inputs(scenario, plan)
    streams = np.random.SeedSequence(seed).spawn(runs)
    return [ReferenceRun(c, np.random.default_rng(s)).run() for s in streams]


if __name__ == "__main__":
    import time

    sys.path.insert(0, "tests/simulate")
    from plans import batch_plan  # type: ignore[import-not-found]

    import drawdown

    tiny = drawdown.load_scenario("tests/data/tiny")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    started = time.perf_counter()
    outs = simulate_reference(tiny, batch_plan(tiny), runs=n, seed=1)
    elapsed = time.perf_counter() - started
    print(f"{n / elapsed:,.0f} runs/s; mean killed {np.mean([o.killed for o in outs]):.2f}")
