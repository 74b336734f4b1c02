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

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from drawdown.plan.build import PlanData

EPS = 1e-6
Part = tuple[str, float, float, float]  # unit, people, TEU, vehicles


@dataclass
class _Holdings:
    """One node's holdings as the main-body question reads them, kept until they change."""

    main: list[float]  # (units,) main bodies there: people above their unit's rear party
    teu: list[float]  # (units,)
    veh: list[float]  # (units,)
    kept: np.ndarray  # (units,) people each main body keeps there for its equipment there
    # units holding TEU (vehicles) there, least first, as (unit, amount): the order loads
    # take them in
    teu_order: list[tuple[int, float]]
    veh_order: list[tuple[int, float]]
    # main_body_needed by (TEU out, vehicles out): the dispatcher asks the same question for
    # every lane and day a site's loads with people wait (greedy MINUSMA: 6,989 questions,
    # 1,223 different ones)
    needed: dict[tuple[float, float], float] = field(default_factory=dict)


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
    # each node's holdings since its last take or land, as far as asked for
    _holdings: dict[int, _Holdings] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {u: i for i, u in enumerate(self.units)}
        self._rear_at: list[float] = self.rear.tolist()
        # each unit's own cargo, to share its main body by what is left of it
        self._own_at: list[float] = self.own_cargo.tolist()
        self._owns_cargo = self.own_cargo > EPS
        self._cargo_scale = np.maximum(self.own_cargo, EPS)
        # the units whose people are each commodity, in unit order
        self._units_of: dict[int, list[int]] = {}
        for i, q in enumerate(self.commodity.tolist()):
            self._units_of.setdefault(q, []).append(i)

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
        for h in sc.holdings:
            if h.site not in nodes or h.unit not in upos:
                continue
            group = (h.site, h.cargo_class, h.sensitive, h.owner or "coe", sc.may_hand_over(h))
            s = share.get(group, 0.0)
            teu[upos[h.unit], nodes[h.site]] += h.containers_teu * (1 - s)
            veh[upos[h.unit], nodes[h.site]] += h.vehicles * (1 - s)
        own = (teu + veh).sum(axis=1)
        return cls(units, commodity, rear, people, teu, veh, own)

    def main_body_needed(self, j: int, teu_out: float, veh_out: float) -> float:
        """People the main bodies at node `j` must keep there once `teu_out` TEU and
        `veh_out` vehicles have left it (each unit in proportion to its equipment left)."""
        held = self._holdings.get(j)
        if held is None:
            held = self._holdings[j] = self._holdings_at(j)
        key = (float(teu_out), float(veh_out))
        if key not in held.needed:
            held.needed[key] = self._main_body_needed(held, *key)
        return held.needed[key]

    def _holdings_at(self, j: int) -> _Holdings:
        main = np.maximum(self.people[:, j] - self.rear, 0.0)
        teu, veh = self.teu[:, j], self.veh[:, j]
        share = np.where(self._owns_cargo, (teu + veh) / self._cargo_scale, 0.0)
        teu_at, veh_at = teu.tolist(), veh.tolist()
        return _Holdings(
            main=main.tolist(),
            teu=teu_at,
            veh=veh_at,
            kept=main * np.minimum(share, 1.0),
            teu_order=_least_first(teu_at),
            veh_order=_least_first(veh_at),
        )

    def _main_body_needed(self, held: _Holdings, teu_out: float, veh_out: float) -> float:
        # Only the units a load takes equipment from keep fewer: the others' figures stand,
        # and the whole is added up by numpy as before (pairwise over the units).
        teu_after = _after(held.teu_order, teu_out)
        veh_after = _after(held.veh_order, veh_out)
        if not teu_after and not veh_after:
            return float(held.kept.sum())
        kept = held.kept.copy()
        for i in teu_after.keys() | veh_after.keys():
            cargo = teu_after.get(i, held.teu[i]) + veh_after.get(i, held.veh[i])
            own = self._own_at[i]
            # numpy's figures for one unit: share of its own cargo left, at most all of it
            share = cargo / own if own > EPS else 0.0
            kept[i] = held.main[i] * min(share, 1.0)
        return float(kept.sum())

    def take(
        self, j: int, shipped: np.ndarray, people_idx: list[int], ti: int, vi: int
    ) -> list[Part]:
        """Remove `shipped` (by commodity) from node `j` and say whose it is."""
        self._forget(j)
        parts: dict[str, list[float]] = {}
        # node j's column as Python floats: a load takes from a few units, one at a time
        people = self.people[:, j].tolist()
        cargo_left = (self.teu[:, j] + self.veh[:, j]).tolist()
        for q in people_idx:
            amount = float(shipped[q])
            if amount <= EPS:
                continue  # none of them in this load
            mine = [i for i in self._units_of.get(q, []) if people[i] > EPS]
            # Units done with their equipment first, then those with least left; rear
            # parties (the last `rear` people of each unit) only after every main body.
            order = sorted(mine, key=lambda i: (cargo_left[i] > EPS, cargo_left[i], i))
            for rear_pass in (False, True):
                for i in order:
                    if amount <= EPS:
                        break
                    floor = 0.0 if rear_pass else min(self._rear_at[i], people[i])
                    take = min(amount, people[i] - floor)
                    if take <= EPS:
                        continue
                    people[i] -= take
                    amount -= take
                    parts.setdefault(self.units[i], [0.0, 0.0, 0.0])[0] += take
        self.people[:, j] = people
        for col, store in ((1, self.teu), (2, self.veh)):
            amount = float(shipped[ti if col == 1 else vi])
            if amount <= EPS:
                continue  # none of it in this load
            held = store[:, j].tolist()
            for i, have in _least_first(held):
                if amount <= EPS:
                    break
                take = min(amount, have)
                held[i] = have - take
                amount -= take
                parts.setdefault(self.units[i], [0.0, 0.0, 0.0])[col] += take
            store[:, j] = held
            if amount > EPS:  # cargo that is nobody's own (rounding): the mixed load's
                parts.setdefault("", [0.0, 0.0, 0.0])[col] += amount
        return [(u, p, t, v) for u, (p, t, v) in parts.items()]

    def land(self, j: int, parts: list[Part]) -> None:
        """Parts of a load arriving at node `j` (a hub forwards them later)."""
        self._forget(j)
        for u, p, t, v in parts:
            if u in self._index:
                i = self._index[u]
                self.people[i, j] += p
                self.teu[i, j] += t
                self.veh[i, j] += v

    def _forget(self, j: int) -> None:
        """Node `j`'s holdings change: its main-body answers no longer hold."""
        self._holdings.pop(j, None)


def _least_first(held: list[float]) -> list[tuple[int, float]]:
    """The units holding some of `held` (by unit), least first (then by unit): (unit, amount)."""
    return sorted([(i, x) for i, x in enumerate(held) if x > EPS], key=lambda r: (r[1], r[0]))


def _after(order: list[tuple[int, float]], out: float) -> dict[int, float]:
    """What the units `out` is taken from hold after, taken from those in `order` in turn."""
    after = {}
    for i, have in order:
        if out <= EPS:
            break
        take = min(out, have)
        after[i] = have - take
        out -= take
    return after


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
        values = [float(p[col]) for p in parts]
        total = int(round(added(values, range(len(values)))))
        base = [math.floor(v + EPS) for v in values]
        rest = total - sum(base)
        if rest > 0:
            # largest remainders first, ties in the parts' order
            by_remainder = sorted(range(len(values)), key=lambda i: -(values[i] - base[i]))
            for i in by_remainder[:rest]:
                base[i] += 1
        out.append(base)
    return [(u, out[0][i], float(t), out[1][i]) for i, (u, _p, t, _v) in enumerate(parts)]
