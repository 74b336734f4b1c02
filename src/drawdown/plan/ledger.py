"""Who is in each load: the daily dispatcher's people and equipment, by unit.

The dispatcher moves amounts by commodity (people by deadline, TEU, vehicles); the ledger
says which units they belong to, so that the plan's movements carry `unit` and every unit's
people and equipment can be followed from its site to an exit. People leave in this order:
units with no equipment left at the site (their main bodies) and units without equipment
(civilians, staff) first, then the main bodies of units still packing, their rear parties
last. Equipment leaves unit by unit, the unit with least left first, so that main bodies can
follow their work out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from drawdown.plan.build import PlanData

EPS = 1e-6
Part = tuple[str, float, float, float]  # unit, people, TEU, vehicles


@dataclass
class Ledger:
    """Amounts per unit and node; `people[u, j]`, `teu[u, j]`, `veh[u, j]`."""

    units: tuple[str, ...]
    commodity: np.ndarray  # (units,) index of the unit's people commodity
    rear: np.ndarray  # (units,) rear party
    people: np.ndarray
    teu: np.ndarray
    veh: np.ndarray
    own_cargo: np.ndarray  # (units,) TEU + vehicles the unit must move itself
    # main_body_needed by (node, TEU out, vehicles out) since the node's last take or land:
    # the dispatcher asks the same question for every lane and day a site's loads wait
    # (greedy MINUSMA: 28,538 questions, 1,814 different ones).
    _needed: dict[tuple[int, float, float], float] = field(default_factory=dict, repr=False)

    @classmethod
    def start(cls, data: PlanData, left_share: np.ndarray) -> Ledger:
        sc = data.scenario
        policy = sc.manifest.policy
        nodes = {n: j for j, n in enumerate(data.nodes)}
        units = tuple(u.id for u in sc.units)
        upos = {u: i for i, u in enumerate(units)}
        last = sc.horizon_days - 1
        deadlines = {
            ev.target: sc.day_of(ev.date) for ev in sc.events if ev.kind == "contingent_departs"
        }
        people = np.zeros((len(units), len(nodes)))
        teu = np.zeros_like(people)
        veh = np.zeros_like(people)
        commodity = np.zeros(len(units), dtype=np.int64)
        rear = np.zeros(len(units))
        keys = data.commodities
        for i, u in enumerate(sc.units):
            d = min(deadlines.get(u.contingent, last), last)
            key = next(k for k in data.people if data.deadline_day[k] == d)
            commodity[i] = keys.index(key)
            r = (
                float(u.rear_party_people)
                if u.rear_party_people is not None
                else max(policy.rear_party_share * u.people, float(policy.rear_party_min_people))
            )
            rear[i] = min(r, float(u.people))
            if u.site in nodes:
                people[i, nodes[u.site]] = u.people
        share = dict(zip(_group_keys(data), np.clip(left_share, 0.0, 1.0), strict=True))
        allowed = {c.id: c.handover_allowed for c in sc.contingents}
        for h in sc.holdings:
            if h.site not in nodes or h.unit not in upos:
                continue
            owner = h.owner or "coe"
            may_leave = not h.sensitive and (owner == "un" or allowed.get(h.contingent, False))
            s = share.get((h.site, h.cargo_class, h.sensitive, owner, may_leave), 0.0)
            teu[upos[h.unit], nodes[h.site]] += h.containers_teu * (1 - s)
            veh[upos[h.unit], nodes[h.site]] += h.vehicles * (1 - s)
        own = (teu + veh).sum(axis=1)
        return cls(units, commodity, rear, people, teu, veh, own)

    def main_body_needed(self, j: int, teu_out: float, veh_out: float) -> float:
        """People the main bodies at node `j` must keep there once `teu_out` TEU and
        `veh_out` vehicles have left it (each unit in proportion to its equipment left)."""
        key = (j, float(teu_out), float(veh_out))
        if key not in self._needed:
            self._needed[key] = self._main_body_needed(j, teu_out, veh_out)
        return self._needed[key]

    def _main_body_needed(self, j: int, teu_out: float, veh_out: float) -> float:
        teu, veh = self._cargo_after(j, teu_out, veh_out)
        share = np.where(self.own_cargo > EPS, (teu + veh) / np.maximum(self.own_cargo, EPS), 0.0)
        main = np.maximum(self.people[:, j] - self.rear, 0.0)
        return float((main * np.minimum(share, 1.0)).sum())

    def take(
        self, j: int, shipped: np.ndarray, people_idx: list[int], ti: int, vi: int
    ) -> list[Part]:
        """Remove `shipped` (by commodity) from node `j` and say whose it is."""
        self._forget(j)
        parts: dict[str, list[float]] = {}
        cargo_left = self.teu[:, j] + self.veh[:, j]
        for q in people_idx:
            amount = float(shipped[q])
            mine = np.flatnonzero((self.commodity == q) & (self.people[:, j] > EPS))
            # Units done with their equipment first, then those with least left; rear
            # parties (the last `rear` people of each unit) only after every main body.
            order = sorted(mine, key=lambda i: (cargo_left[i] > EPS, cargo_left[i], i))
            for rear_pass in (False, True):
                for i in order:
                    if amount <= EPS:
                        break
                    floor = 0.0 if rear_pass else min(self.rear[i], self.people[i, j])
                    take = min(amount, self.people[i, j] - floor)
                    if take <= EPS:
                        continue
                    self.people[i, j] -= take
                    amount -= take
                    parts.setdefault(self.units[i], [0.0, 0.0, 0.0])[0] += take
        for col, store in ((1, self.teu), (2, self.veh)):
            amount = float(shipped[ti if col == 1 else vi])
            for i in sorted(np.flatnonzero(store[:, j] > EPS), key=lambda i: (store[i, j], i)):
                if amount <= EPS:
                    break
                take = min(amount, store[i, j])
                store[i, j] -= take
                amount -= take
                parts.setdefault(self.units[i], [0.0, 0.0, 0.0])[col] += take
            if amount > EPS:  # cargo that is nobody's own (rounding): the mixed load's
                parts.setdefault("", [0.0, 0.0, 0.0])[col] += amount
        return [(u, p, t, v) for u, (p, t, v) in parts.items()]

    def land(self, j: int, parts: list[Part]) -> None:
        """Parts of a load arriving at node `j` (a hub forwards them later)."""
        self._forget(j)
        index = {u: i for i, u in enumerate(self.units)}
        for u, p, t, v in parts:
            if u in index:
                i = index[u]
                self.people[i, j] += p
                self.teu[i, j] += t
                self.veh[i, j] += v

    def _forget(self, j: int) -> None:
        """Node `j`'s holdings change: its main-body answers no longer hold."""
        for key in [k for k in self._needed if k[0] == j]:
            del self._needed[key]

    def _cargo_after(self, j: int, teu_out: float, veh_out: float) -> tuple[np.ndarray, np.ndarray]:
        teu, veh = self.teu[:, j].copy(), self.veh[:, j].copy()
        for store, amount in ((teu, teu_out), (veh, veh_out)):
            for i in sorted(np.flatnonzero(store > EPS), key=lambda i: (store[i], i)):
                if amount <= EPS:
                    break
                take = min(amount, store[i])
                store[i] -= take
                amount -= take
        return teu, veh


def added(values: Sequence[float], idx: Sequence[int]) -> float:
    """`values[idx]` added up as numpy adds them, so that the dispatcher's Python floats give
    the bits its numpy arrays gave: left to right from 0.0 below 8 terms (above, numpy adds
    in pairwise blocks). Not `sum`: from Python 3.12 it compensates float rounding."""
    if len(idx) >= 8:
        return float(np.array([values[i] for i in idx]).sum())
    total = 0.0
    for i in idx:
        total += values[i]
    return total


def _group_keys(data: PlanData) -> list[tuple[str, str, bool, str, bool]]:
    n = len(data.group_site)
    owners = data.group_owner or ("coe",) * n
    may = data.group_may_leave or (True,) * n
    return list(
        zip(data.group_site, data.group_class, data.group_sensitive, owners, may, strict=True)
    )


def split_whole(parts: list[Part]) -> list[tuple[str, int, float, int]]:
    """Parts with whole people and vehicles (largest remainders), summing to the load's."""
    out = []
    for col in (1, 3):
        values = np.array([p[col] for p in parts])
        total = int(round(values.sum()))
        base = np.floor(values + EPS).astype(int)
        rest = total - int(base.sum())
        if rest > 0:
            for i in np.argsort(-(values - base), kind="stable")[:rest]:
                base[i] += 1
        out.append(base)
    return [(u, int(out[0][i]), float(t), int(out[1][i])) for i, (u, _p, t, _v) in enumerate(parts)]
