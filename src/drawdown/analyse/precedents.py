"""The generic withdrawal rates, derived from past withdrawals: the calibration procedure.

The closure-work rates, the final steps, rear parties, the threat-sized guard, charter
seats, corridor throughput and convoy speed on desert tracks are not tuned per site. Each is
a rate per unit of size (per person, per TEU, per site, per km) worked out from dated,
sourced facts of withdrawals that were over by 30 June 2023 (`data/precedent-facts.csv`,
from `precedents.md` of the data sources). This module is that arithmetic, written once:
`derive()` recomputes every rate from the facts, `compare()` sets them beside a scenario's
own values, and `drawdown precedents SCENARIO` prints both. The built-in scenarios use
exactly these values; the tests check that they do, so a changed fact or a hand-edited rate
cannot drift apart unnoticed.

Each derived value is rounded the way its basis is precise (a rate from one base is good to
two figures at best); the rounding is part of the rule.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drawdown.scenario.model import Scenario

FACTS_FILE = "precedent-facts.csv"
# The MINUSMA forecast is made on 30 June 2023: no fact dated later may feed a rate.
KNOWN_BY = dt.date(2023, 6, 30)
DAYS_PER_MONTH = 30.4
# What a link's source says when its dry speed is the precedents' desert-track rate.
DESERT_TRACK = "desert-track convoy rate"


@dataclass(frozen=True)
class Fact:
    """One dated, sourced figure of a past withdrawal."""

    id: str
    precedent: str
    quantity: str
    value: str  # a number or an ISO date
    unit: str
    date: dt.date  # when it happened (and so was known)
    source: str

    @property
    def number(self) -> float:
        return float(self.value)

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.value)


@dataclass(frozen=True)
class Derived:
    """A generic rate, the facts it comes from and how."""

    parameter: str  # the scenario parameter it sets (manifest path or lift.csv field)
    value: float
    basis: str  # the arithmetic, in words and numbers
    facts: tuple[str, ...]  # fact ids


def load_facts() -> dict[str, Fact]:
    """The precedent facts shipped with drawdown, by id."""
    text = resources.files("drawdown.analyse").joinpath("data", FACTS_FILE).read_text("utf-8")
    facts = {}
    for row in csv.DictReader(text.splitlines()):
        facts[row["id"]] = Fact(
            row["id"],
            row["precedent"],
            row["quantity"],
            row["value"],
            row["unit"],
            dt.date.fromisoformat(row["date"]),
            row["source"],
        )
    return facts


def _round_to(x: float, step: float) -> float:
    """`x` to the nearest multiple of `step` (halves up), free of float noise."""
    digits = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return round(math.floor(x / step + 0.5) * step, digits + 2)


def _figures(x: float, n: int) -> float:
    """`x` to `n` significant figures."""
    if x == 0:
        return 0.0
    return round(x, n - 1 - math.floor(math.log10(abs(x))))


def derive(facts: dict[str, Fact] | None = None) -> dict[str, Derived]:
    """Every generic rate from the facts (see the module docstring), by parameter."""
    f = facts or load_facts()
    out: list[Derived] = []

    def n(key: str) -> float:
        return f[key].number

    # Packing labour: Gossi's containers over its people and its packing days. Its vehicles
    # were readied in those days too, which is why the model does not take labour from the
    # containers for the vehicles (simulate.withdrawal.pack, plan.build.define_packing).
    teu_rate = n("gossi-teu") / (n("gossi-people") * n("gossi-packing-days"))
    out.append(
        Derived(
            "closure.teu_packed_per_person_day",
            _figures(teu_rate, 2),
            f"Gossi: {n('gossi-teu'):.0f} TEU / ({n('gossi-people'):.0f} people x "
            f"{n('gossi-packing-days'):.0f} days) = {teu_rate:.4f}, to 2 figures",
            ("gossi-teu", "gossi-people", "gossi-packing-days"),
        )
    )
    out.append(
        Derived(
            "closure.vehicles_prepared_per_person_day",
            _figures(teu_rate, 2),
            "no precedent times vehicle preparation: a vehicle takes the labour of a TEU "
            "(Gossi's rate), readied by the same people alongside the containers",
            ("gossi-teu", "gossi-people", "gossi-packing-days"),
        )
    )
    # The most one site packs a day: Barkhane's final weeks, nearly all from Gao.
    late_days = (f["barkhane-last-crossing"].day - f["barkhane-teu-out-early"].date).days
    late = (n("barkhane-teu-total") - n("barkhane-teu-out-early")) / late_days
    out.append(
        Derived(
            "closure.max_teu_packed_per_day",
            _round_to(late, 10),
            f"Barkhane's last {late_days} days: ({n('barkhane-teu-total'):.0f} - "
            f"{n('barkhane-teu-out-early'):.0f}) TEU / {late_days} days = {late:.1f} a day, "
            "nearly all from Gao, to the nearest 10",
            ("barkhane-teu-total", "barkhane-teu-out-early", "barkhane-last-crossing"),
        )
    )
    vehicles = n("tessalit-convoy-vehicles") / n("tessalit-loading-days")
    out.append(
        Derived(
            "closure.max_vehicles_prepared_per_day",
            _round_to(vehicles, 10),
            f"Tessalit 2021: {n('tessalit-convoy-vehicles'):.0f} vehicles loaded in "
            f"{n('tessalit-loading-days'):.0f} days = {vehicles:.0f} a day",
            ("tessalit-convoy-vehicles", "tessalit-loading-days"),
        )
    )
    # The final steps: three Barkhane bases, from the start of the formal transfer (or the
    # last logistic convoy) to the handover. The plan takes the middle one; each stress-test
    # run draws each site's days between the fewest and the most.
    steps = {
        "Timbuktu 2021": (f["timbuktu-handover"].day - f["timbuktu-transfer-start"].day).days,
        "Menaka 2022": (f["menaka-handover"].day - f["menaka-inventory"].day).days,
        "Kidal 2021": int(n("kidal-formalities-days")),
    }
    steps_facts = (
        "timbuktu-transfer-start",
        "timbuktu-handover",
        "menaka-inventory",
        "menaka-handover",
        "kidal-formalities-days",
    )
    listed = ", ".join(f"{k} {v}" for k, v in steps.items())
    final = sorted(steps.values())[len(steps) // 2]
    for name, value, how in (
        ("closure.final_steps_days", final, "the middle"),
        ("closure.final_steps_days_low", min(steps.values()), "the fewest"),
        ("closure.final_steps_days_high", max(steps.values()), "the most"),
    ):
        out.append(
            Derived(
                name,
                float(value),
                f"days from the formal transfer's start to the handover: {listed}; {how} = {value}",
                steps_facts,
            )
        )
    # How much faster or slower a base packs than Gossi did: a small base takes 6-8 weeks
    # from dismantling to handover, of which the final steps take their days; Gossi packed
    # in its days, so the packing days of the range, against Gossi's, bound the factor.
    basis = n("gossi-packing-days")
    for bound, weeks_key in (("low", "small-base-weeks-most"), ("high", "small-base-weeks-fewest")):
        days = n(weeks_key) * 7 - final
        out.append(
            Derived(
                f"closure.packing_factor_{bound}",
                _figures(basis / days, 2),
                f"a small base {n(weeks_key):.0f} weeks from dismantling to handover, less "
                f"{final} days of final steps = {days:.0f} packing days; Gossi packed in "
                f"{basis:.0f}: {basis:.0f} / {days:.0f} = {basis / days:.3f}, to 2 figures",
                (weeks_key, "gossi-packing-days", *steps_facts),
            )
        )
    # However many pack it, a camp comes down over weeks: the fewest weeks a small base took
    # from dismantling to handover, less the final steps, is the floor on its packing days.
    floor = n("small-base-weeks-fewest") * 7 - final
    out.append(
        Derived(
            "closure.min_packing_days",
            float(floor),
            f"a small base {n('small-base-weeks-fewest'):.0f} weeks at the fewest from "
            f"dismantling to handover, less {final} days of final steps = {floor:.0f} days, "
            "whatever its people: the camp (living areas, defences, the ground levelled) "
            "comes down with its cargo",
            ("small-base-weeks-fewest", *steps_facts),
        )
    )
    # Rear parties: the last guards of Barkhane's bases, weighted by the bases' people.
    guards = n("gao-last-guard") + n("gossi-last-guard")
    people = n("gao-people") + n("gossi-people")
    out.append(
        Derived(
            "policy.rear_party_share",
            _round_to(guards / people, 0.05),
            f"Barkhane's last guards: ({n('gao-last-guard'):.0f} at Gao + "
            f"{n('gossi-last-guard'):.0f} at Gossi) / ({n('gao-people'):.0f} + "
            f"{n('gossi-people'):.0f} people) = {guards / people:.3f}, to the nearest 5%",
            ("gao-last-guard", "gossi-last-guard", "gao-people", "gossi-people"),
        )
    )
    out.append(
        Derived(
            "policy.rear_party_min_people",
            _round_to(n("uruguay-rear-party"), 10),
            f"MINUSTAH 2017: Uruguay's {n('uruguay-rear-party'):.0f}-person rear party "
            "loading the ship, to the nearest 10 (about a platoon)",
            ("uruguay-rear-party",),
        )
    )
    per_month = n("gao-camp-attacks") * DAYS_PER_MONTH
    per_attack = n("gao-last-guard") / per_month
    out.append(
        Derived(
            "policy.guard_people_per_attack_per_month",
            _round_to(per_attack, 100),
            f"Barkhane's last guard at Gao ({n('gao-last-guard'):.0f}) over the camp-attack "
            f"rate at Gao ({n('gao-camp-attacks')} a day = {per_month:.3f} a month) = "
            f"{per_attack:.0f}, to the nearest 100",
            ("gao-last-guard", "gao-camp-attacks"),
        )
    )
    out.append(
        Derived(
            "lift.charter.seats_each",
            n("charter-seats"),
            f"a wide-body troop charter: {n('charter-seats'):.0f} seats (272 at most)",
            ("charter-seats",),
        )
    )
    early_days = (f["barkhane-teu-out-early"].date - f["barkhane-start"].day).days
    sustained = n("barkhane-teu-out-early") / early_days
    out.append(
        Derived(
            "lift.corridor.teu_per_day",
            _round_to(sustained, 5),
            f"Barkhane sustained: {n('barkhane-teu-out-early'):.0f} TEU out of Mali in "
            f"{early_days} days = {sustained:.1f} a day, to the nearest 5, for a main "
            "corridor out of a landlocked Sahel theatre",
            ("barkhane-teu-out-early", "barkhane-start"),
        )
    )
    # Transit: the only dated convoys over the north's desert tracks before 30 June 2023 are
    # Barkhane's to Kidal and Tessalit in October 2021, in the dry season. Each round trip's
    # driving days are its days less those spent at the base: Kidal's outbound days plus its
    # return (last convoy out to arrival at Gao), Tessalit's whole cycle less its loading.
    left = f["north-convoys-left-gao"].day
    kidal_days = (
        n("kidal-outbound-days")
        + (f["kidal-convoy-back"].day - f["kidal-last-convoy-left"].day).days
    )
    tessalit_days = (f["tessalit-convoy-back"].day - left).days - n("tessalit-loading-days")
    km = 2 * (n("kidal-convoy-km") + n("tessalit-convoy-km"))
    speed = km / (kidal_days + tessalit_days)
    out.append(
        Derived(
            "links.desert_track.dry_km_per_day",
            _round_to(speed, 10),
            f"Barkhane's October 2021 round trips: Gao-Kidal 2 x {n('kidal-convoy-km'):.0f} km "
            f"in {kidal_days:.0f} days of driving ({n('kidal-outbound-days'):.0f} out, "
            f"{kidal_days - n('kidal-outbound-days'):.0f} back), Gao-Tessalit 2 x "
            f"{n('tessalit-convoy-km'):.0f} km in {tessalit_days:.0f} ({left:%d %b} to "
            f"{f['tessalit-convoy-back'].day:%d %b} less {n('tessalit-loading-days'):.0f} of "
            f"loading): {km:.0f} km / {kidal_days + tessalit_days:.0f} days = {speed:.1f} km a "
            "day, to the nearest 10, for an escorted convoy's round trip on a desert track in "
            "the dry season (out and back, so laden one way)",
            (
                "north-convoys-left-gao",
                "kidal-convoy-km",
                "kidal-outbound-days",
                "kidal-last-convoy-left",
                "kidal-convoy-back",
                "tessalit-convoy-km",
                "tessalit-convoy-back",
                "tessalit-loading-days",
            ),
        )
    )
    return {d.parameter: d for d in out}


@dataclass(frozen=True)
class Comparison:
    """A derived rate beside what a scenario uses."""

    parameter: str
    derived: float
    used: tuple[float, ...]  # the scenario's values (one per lift row it applies to)
    where: str  # which rows or section
    basis: str

    @property
    def matches(self) -> bool:
        return bool(self.used) and all(math.isclose(u, self.derived) for u in self.used)


def compare(scenario: Scenario, derived: dict[str, Derived] | None = None) -> list[Comparison]:
    """Each derived rate beside `scenario`'s value where the scenario uses one.

    Manifest rates compare directly. Charter seats compare with every charter row. Corridor
    throughput compares with the main corridors: those a lift row's source
    ties to Barkhane's sustained rate (`derived from` in its source); corridors scaled from
    it (half of a main corridor) or estimated otherwise are the scenario's own estimate. The
    desert-track speed compares with every link whose source names it (`DESERT_TRACK`).
    """
    d = derived or derive()
    m = scenario.manifest
    rows: list[Comparison] = []
    for name, item in d.items():
        group, _, field = name.partition(".")
        if group in ("closure", "policy"):
            section = getattr(m, group)
            if section is None:
                continue
            used = getattr(section, field)
            if used is None:  # an empty end of the final steps' range is the plan's days
                used = section.final_steps_days
            rows.append(Comparison(name, item.value, (float(used),), group, item.basis))
        elif group == "links":
            column = field.partition(".")[2]
            links = [x for x in scenario.links if _desert_track(x.source)]
            if not links:
                continue
            used = tuple(float(getattr(x, column)) for x in links)
            where = "links.csv: " + ", ".join(x.id for x in links)
            rows.append(Comparison(name, item.value, used, where, item.basis))
        elif group == "lift":
            kind, _, column = field.partition(".")
            lifts = [x for x in scenario.lift if x.kind == kind]
            if kind == "corridor":
                lifts = [x for x in lifts if _main_corridor(x.source)]
            if not lifts:
                continue
            used = tuple(float(getattr(x, column)) for x in lifts)
            where = "lift.csv: " + ", ".join(x.id for x in lifts)
            rows.append(Comparison(name, item.value, used, where, item.basis))
    return rows


def _desert_track(source: str) -> bool:
    """A road link whose source takes its dry speed from the precedents' desert tracks."""
    return DESERT_TRACK in source


def _main_corridor(source: str) -> bool:
    """A corridor whose throughput its source takes from Barkhane's sustained rate."""
    text = source.lower()
    return "sustained" in text and "half of" not in text
