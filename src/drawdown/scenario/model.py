"""Frozen domain types of a scenario: the input world of a drawdown.

The schema of every table and of the manifest lives here, once: the loader validates files
against these types, `drawdown schema` derives the JSON Schema from them, and the reference
docs are generated from their field descriptions. Units are in field names.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SiteKind = Literal["base", "hub", "exit", "waypoint"]
SiteRole = Literal["", "hq", "hub", "team"]
UnitKind = Literal["battalion", "company", "fpu", "enabling", "staff", "civilian"]
Owner = Literal["coe", "un"]
LiftKind = Literal["charter", "corridor"]
ExitFor = Literal["", "people", "cargo", "all"]
AirfieldClass = Literal["none", "helipad", "airstrip", "airport"]
RunwaySurface = Literal["none", "paved", "unpaved"]
Category = Literal["troops", "police", "civilian"]
Mode = Literal["road", "air", "river"]
# A clearance also governs the host authority's acceptance of a site handover.
ClearanceMode = Literal["road", "air", "river", "handover", "*"]
# The kinds are registered in `scenario.kinds` (units, targets, effects); these Literals
# repeat the names for the JSON Schema and the reference docs, and a test keeps them equal.
AssetKind = Literal["truck", "escort", "aircraft"]
IncidentKind = Literal["ied", "ambush", "ground_fire", "base_attack"]
EventKind = Literal[
    "link_closed",  # a link cannot be used from `date` until `end_date` (inclusive)
    "corridor_closed",  # every link of an escort corridor is closed (e.g. a border)
    "contingent_departs",  # a contingent's people must be out by `date`
    "clearance_suspended",  # approval 0 for `target` mode (* all) from `date` to `end_date`
]
DelayDistribution = Literal["fixed", "exponential"]

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
# Quantities above a trillion (km, days, USD of one row...) are typos, and overflow the
# planner's and engine's 64-bit arithmetic; a count above a billion likewise.
MAX_QUANTITY = 1e12
MAX_COUNT = 10**9
NonNegFloat = Annotated[float, Field(ge=0.0, le=MAX_QUANTITY)]
NonNegInt = Annotated[int, Field(ge=0, le=MAX_COUNT)]
PackingFactor = Annotated[float, Field(gt=0.0, le=10.0)]
Month = Annotated[int, Field(ge=1, le=12)]


class Record(BaseModel):
    """Base of every scenario type: immutable, no unknown fields."""

    # inf and nan pass pydantic's range checks (inf >= 0) and break every stage downstream
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Sourced(Record):
    """A row that may cite its source and carry an uncertainty range on its main quantity."""

    source: str = Field(
        "",
        description="Citation, or '[E] <basis>' for an estimate. Empty gives a warning.",
    )
    low: float | None = Field(None, description="Low end of the main quantity's range.")
    high: float | None = Field(None, description="High end of the main quantity's range.")

    @model_validator(mode="after")
    def _range_ordered(self) -> Sourced:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high}); swap them")
        return self


class Site(Sourced):
    """A place: a base to close, a hub that closes last, an exit, or a waypoint."""

    id: str = Field(min_length=1, description="Short unique identifier used in other tables.")
    name: str = Field(description="Readable name.")
    kind: SiteKind
    lat: float = Field(ge=-90, le=90, description="Latitude, WGS84 degrees.")
    lon: float = Field(ge=-180, le=180, description="Longitude, WGS84 degrees.")
    region: str = Field("", description="Administrative region; clearances match on it.")
    exit_for: ExitFor = Field(
        "", description="For exits: what may leave the theatre here (people, cargo, all)."
    )
    airfield_class: AirfieldClass = "none"
    runway_m: NonNegFloat = Field(0.0, description="Longest usable runway, metres (0: none).")
    runway_surface: RunwaySurface = "none"
    air_slots_per_day: NonNegInt = Field(
        0, description="Aircraft movements the airfield can take a day (0: no fixed-wing)."
    )
    coverage_radius_km: NonNegFloat = Field(
        0.0, description="Radius within which the base protects civilians."
    )
    population_covered: NonNegInt = Field(
        0, description="People living within the coverage radius."
    )
    role: SiteRole = Field(
        "",
        description="hq (mission headquarters), hub (logistics hub) or team (team site); "
        "blank: hub for kind hub, team for kind base, none for exits and waypoints.",
    )
    supported_by: str = Field(
        "",
        description="Id of the hub or HQ that supports this site and stays open while it is "
        "open (blank: none).",
    )
    closure_team: str = Field(
        "",
        description="Sites naming the same closure team are dismantled one at a time, "
        "shortest first and a hub or the HQ after the sites it supports: the next starts "
        "packing once the one before has packed everything (blank: the site's own people "
        "pack their camp as its planned loads call it forward).",
    )

    @model_validator(mode="before")
    @classmethod
    def _default_role(cls, data: object) -> object:
        # The role follows the kind unless the file says otherwise, so old folders get roles.
        if isinstance(data, dict) and not data.get("role"):
            role = {"hub": "hub", "base": "team"}.get(str(data.get("kind", "")), "")
            data = {**data, "role": role}
        return data


class Unit(Sourced):
    """A formed body at one site: a battalion, company, police unit, enabling unit or staff."""

    id: str = Field(min_length=1, description="Unique unit id, named by holdings.csv `unit`.")
    site: str = Field(description="Site where the unit is at the start.")
    contingent: str = Field(description="Contributing country, or the mission for civilians.")
    kind: UnitKind = Field(
        description="battalion, company, fpu (formed police unit), enabling (engineers, "
        "transport, aviation, hospital), staff, or civilian (civilian staff)."
    )
    category: Category
    people: NonNegInt = Field(description="People in the unit at the start.")
    rear_party_people: NonNegInt | None = Field(
        None,
        description="People who stay after the main body leaves, until the unit's last load "
        "(blank: policy rear_party_share and rear_party_min_people).",
    )


class Holding(Sourced):
    """One class of equipment a unit holds at a site at the start, and who owns it."""

    unit: str = Field(
        "",
        description="Id of the unit holding it (units.csv). Without units.csv the loader "
        "derives one unit per site, contingent and category and fills this in.",
    )
    owner: Literal["", "coe", "un"] = Field(
        "",
        description="coe (contingent-owned: its country decides) or un (UN-owned: Financial "
        "Regulation 5.14). Blank: coe for troops and police, un for civilian.",
    )
    site: str = Field("", description="Site of the holding (blank: the unit's).")
    contingent: str = Field("", description="Contingent (blank: the unit's).")
    category: Literal["", "troops", "police", "civilian"] = Field(
        "", description="troops, police or civilian (blank: the unit's)."
    )
    people: NonNegInt = Field(
        0, description="Only in folders without units.csv: people, moved to derived units."
    )
    containers_teu: NonNegFloat = 0.0
    vehicles: NonNegInt = 0
    cargo_class: str = Field("general", description="e.g. general, vehicles, armour, weapons.")
    value_usd: NonNegFloat = Field(0.0, description="Value of this row's containers and vehicles.")
    sensitive: bool = Field(
        False, description="Weapons, ammunition, armour: may never be handed over."
    )


class Link(Sourced):
    """A way between two sites by road, air or river, usable in some months."""

    id: str = Field(min_length=1)
    from_site: str = Field(alias="from")
    to_site: str = Field(alias="to")
    mode: Mode
    km: NonNegFloat
    surface: str = ""
    dry_km_per_day: NonNegFloat = Field(
        0.0, description="Convoy progress a day in the dry season (0 for air: same day)."
    )
    wet_km_per_day: NonNegFloat = Field(0.0, description="Convoy progress a day in the rains.")
    passable_months: tuple[Month, ...] = Field(
        tuple(range(1, 13)), description="Months the link can be used, e.g. '1-5;10-12'."
    )
    corridor: str = Field("", description="Escort corridor whose capacity this link uses.")
    region: str = Field("", description="Region for clearance rules (default: origin's).")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def travel_days(self, month: int, rainy_months: frozenset[int]) -> int:
        """Whole days a convoy takes on this link when leaving in `month` (air: 0)."""
        if self.mode == "air":
            return 0
        speed = self.wet_km_per_day if month in rainy_months else self.dry_km_per_day
        if speed <= 0:
            return 0
        return max(1, -(-int(round(self.km)) // max(1, int(round(speed)))))


class Truck(Sourced):
    """A pool of trucks available to convoys."""

    id: str
    count: NonNegInt
    teu_each: NonNegFloat = 0.0
    people_each: NonNegInt = 0


class Escort(Sourced):
    """Escort capacity on one corridor: convoys a day and their size."""

    id: str
    corridor: str
    convoys_per_day: NonNegFloat
    trucks_per_convoy: NonNegInt = Field(description="Largest convoy an escort can protect.")
    vehicles_per_convoy: NonNegInt = Field(
        0, description="Self-driven vehicles (the mission's own) that can join a convoy."
    )


class Aircraft(Sourced):
    """An aircraft type: how many, what one sortie carries, where it can land."""

    id: str
    count: NonNegInt
    people_each: NonNegInt = 0
    teu_each: NonNegFloat = 0.0
    vehicles_each: NonNegInt = 0
    sorties_per_day: NonNegFloat = Field(description="Sorties a day per aircraft.")
    min_runway_m: NonNegFloat = Field(0.0, description="0 means a helicopter (any helipad).")
    needs_paved: bool = False
    range_km: NonNegFloat = Field(
        0.0, description="Range with a typical load and no refuelling, km (0: not limited)."
    )

    def can_use(self, site: Site) -> bool:
        """Whether this type can land at `site`."""
        if self.min_runway_m <= 0:
            return site.airfield_class != "none"
        if site.runway_m < self.min_runway_m:
            return False
        return not (self.needs_paved and site.runway_surface != "paved")


class Clearance(Sourced):
    """Host-nation approval behaviour for movements by mode and region in a period."""

    mode: ClearanceMode = Field(
        description="road, air, river, handover (the receiving host authority's acceptance "
        "of a site handover) or * for all."
    )
    region: str = Field("*", description="Region of the movement's origin, or * for all.")
    start: dt.date
    end: dt.date
    approval: Probability = Field(description="Probability a request is approved.")
    delay_mean_days: NonNegFloat = Field(0.0, description="Mean wait for an approval.")
    delay_distribution: DelayDistribution = "exponential"


class Threat(Sourced):
    """Incident rate on a link (per convoy-km), at an airfield (per sortie) or a base (per day)."""

    target: str = Field(description="Link id for ied/ambush; site id for ground_fire/base_attack.")
    kind: IncidentKind
    start: dt.date
    end: dt.date
    rate: NonNegFloat = Field(
        description="Incidents per convoy-km (road), per sortie (airfield) or per day (base)."
    )
    # an exponent: beyond 10 the rate of a thinned base overflows
    garrison_elasticity: Annotated[float, Field(ge=0.0, le=10.0)] = Field(
        0.0,
        description="Base attacks: rate x (full garrison / garrison now) ** elasticity.",
    )
    killed_mean: NonNegFloat = 0.0
    wounded_mean: NonNegFloat = 0.0
    vehicles_lost_mean: NonNegFloat = 0.0
    cargo_lost_teu_mean: NonNegFloat = 0.0
    delay_days_mean: NonNegFloat = 0.0


class Event(Sourced):
    """A dated shock: a link or corridor closes, a contingent leaves early."""

    id: str
    kind: EventKind
    target: str = Field(description="Link id, corridor, contingent, or mode, by kind.")
    date: dt.date
    end_date: dt.date | None = None
    description: str = ""


class ResidualTask(Sourced):
    """A task the mandate keeps for a while, holding a site open until a date."""

    site: str = Field(description="Site the task holds open.")
    task: str = Field(min_length=1, description="What the mandate keeps, in a few words.")
    until: dt.date = Field(description="Last day of the task (inclusive).")


class Lift(Sourced):
    """Strategic lift out of the theatre: troop charters at an airport, or a road corridor's end.

    `low`/`high` are the range of `flights_per_week` (charter) or `teu_per_day` (corridor).
    """

    id: str = Field(min_length=1)
    kind: LiftKind = Field(
        description="charter (seats on troop charters from an international airport) or "
        "corridor (the end of a road corridor at a sea port or border post)."
    )
    site: str = Field(description="Exit where people board (charter) or cargo crosses (corridor).")
    seats_each: NonNegInt = Field(0, description="Charter: seats on one flight (about 270).")
    flights_per_week: NonNegFloat = Field(0.0, description="Charter: flights a week.")
    teu_per_day: NonNegFloat = Field(0.0, description="Corridor: containers (TEU) crossing a day.")
    vehicles_per_day: NonNegFloat = Field(0.0, description="Corridor: vehicles crossing a day.")
    border_delay_days_mean: NonNegFloat = Field(
        0.0, description="Corridor: mean border and customs wait on arrival, days."
    )


class ContingentPolicy(Sourced):
    """What a contributing country allows for its contingent-owned equipment."""

    id: str = Field(min_length=1, description="Contingent, as in units.csv and holdings.csv.")
    handover_allowed: bool = Field(
        False,
        description="Whether non-sensitive COE may be handed over, gifted or sold in theatre "
        "(no: repatriated). Sensitive items are never handed over.",
    )


class Calendar(Record):
    """Season of the theatre."""

    rainy_months: tuple[Month, ...] = Field(
        (6, 7, 8, 9), description="Months when links run at their wet speed."
    )


class ObjectiveWeights(Record):
    """Weights that turn each objective term into one comparable figure (USD-equivalent)."""

    per_expected_death: NonNegFloat = Field(
        10_000_000.0, description="Weight of one expected death from convoy exposure."
    )
    per_usd_cargo_lost: NonNegFloat = Field(
        1.0, description="Weight of one USD of cargo destroyed or handed over."
    )
    per_person_day_unprotected: NonNegFloat = Field(
        1.0, description="Weight of one person-day of civilians uncovered before the horizon."
    )
    per_usd_running_cost: NonNegFloat = Field(1.0, description="Weight of one USD of cost.")


class Policy(Record):
    """Adaptive rules the simulation applies when reality departs from the plan."""

    retry_delay_days: NonNegInt = Field(3, description="Wait before asking again after a refusal.")
    max_retries: NonNegInt = Field(6, description="Requests after the first before giving up.")
    people_by_air_when_refused: bool = Field(
        True, description="Move people by air when their road movement is refused."
    )
    cutoff_days_before_deadline: NonNegInt = Field(
        10, description="Days before the deadline when cargo still in place is disposed of."
    )
    reserve_days_before_deadline: NonNegInt = Field(
        0,
        description="Days before the deadline by which the plan has everyone out: a reserve "
        "for refusals and delays (the stress test still counts against the deadline).",
    )
    early_close_attacks: NonNegInt = Field(
        3, description="Close a base early after this many attacks on it (0: never)."
    )
    early_close_window_days: NonNegInt = Field(
        0,
        description="Count the early-close attacks over the last this many days at the base, "
        "a rate (0: over the whole withdrawal).",
    )
    min_guard_people: NonNegInt = Field(
        50, description="People who stay at a base until its last movement."
    )
    rear_party_share: Probability = Field(
        0.1,
        description="Share of a unit that stays after its main body leaves, until its last "
        "load (unless units.csv sets rear_party_people).",
    )
    rear_party_min_people: NonNegInt = Field(
        40, description="Smallest rear party a unit leaves behind."
    )
    guard_people_per_attack_per_month: NonNegFloat = Field(
        1200.0,
        description="Last guard at a base: max(min_guard_people, rear parties, this x "
        "expected attacks a month on the base).",
    )
    support_sites_close_first: bool = Field(
        True, description="The HQ and hubs stay open while a site they support is open."
    )
    expedited_evacuation_clearance: bool = Field(
        True,
        description="Evacuation flights are approved at the air clearance's rate but without "
        "its delay.",
    )
    evacuation_uses_own_aircraft: bool = Field(
        True,
        description="Evacuations fly on the scenario's own aircraft (sorties, seats) and meet "
        "the same ground-fire threat.",
    )


class ClosureWork(Record):
    """What closing a site takes: packing by the people there, then the final steps."""

    teu_packed_per_person_day: NonNegFloat = Field(
        0.033,
        description="Containers (TEU) dismantled and packed a day per person at the site.",
    )
    vehicles_prepared_per_person_day: NonNegFloat = Field(
        0.033, description="Vehicles prepared for the road a day per person at the site."
    )
    max_teu_packed_per_day: NonNegFloat = Field(
        60.0, description="Most TEU one site can pack and load a day, however many are there."
    )
    max_vehicles_prepared_per_day: NonNegFloat = Field(
        50.0, description="Most vehicles one site can prepare and load a day."
    )
    min_packing_days: NonNegFloat = Field(
        0.0,
        description="Fewest days a site's own containers take to pack, however many people "
        "pack them: a camp comes down over weeks (living areas, defences, the ground "
        "levelled), and its containers go as it does. Each day a site packs at most its "
        "starting TEU over these days; vehicles are driven out and keep their cap. 0: no "
        "such floor.",
    )
    final_steps_days: NonNegInt = Field(
        7,
        description="Days from the last load leaving to the handover: final inventory, "
        "environmental clearance, signature by the receiving host authority.",
    )
    final_steps_days_low: NonNegInt | None = Field(
        None,
        description="Fewest days the final steps take in a stress-test run: each run draws "
        "each site's final steps uniformly in whole days between low and high (the plan "
        "keeps `final_steps_days`, which must lie between them). Empty: `final_steps_days`.",
    )
    final_steps_days_high: NonNegInt | None = Field(
        None,
        description="Most days the final steps take in a run (empty: `final_steps_days`).",
    )
    packing_factor_low: PackingFactor = Field(
        1.0,
        description="Slowest a site packs in a stress-test run, as a factor of the rates "
        "above: each run draws each site's factor uniformly between low and high (a base "
        "packs faster or slower than the precedent). The plan packs a hub at this pace, so "
        "that no run falls behind its last loads. 1 and 1: every site at the rates.",
    )
    packing_factor_high: PackingFactor = Field(
        1.0, description="Fastest a site packs in a run, as a factor of the rates above."
    )

    @model_validator(mode="after")
    def _factors_ordered(self) -> ClosureWork:
        if self.packing_factor_low > self.packing_factor_high:
            raise ValueError(
                f"packing_factor_low {self.packing_factor_low} is above packing_factor_high "
                f"{self.packing_factor_high}; give the slowest factor first"
            )
        low, high = self.final_steps_range
        if not low <= self.final_steps_days <= high:
            raise ValueError(
                f"final_steps_days {self.final_steps_days} is outside final_steps_days_low "
                f"{low} to final_steps_days_high {high}; the plan's days must lie in the "
                "range a run draws from: change final_steps_days_low or _high with it"
            )
        return self

    def pack_caps(self, teu: float, vehicles: float) -> tuple[float, float]:
        """Most TEU and vehicles a day a site packs when it holds `teu` and `vehicles` of its
        own at the start: the per-site caps, and its cargo over `min_packing_days`. The one
        rule the planner's model, its daily dispatcher and the stress test all use."""
        teu_cap, veh_cap = self.max_teu_packed_per_day, self.max_vehicles_prepared_per_day
        if self.min_packing_days > 0 and teu > 0:
            teu_cap = min(teu_cap, teu / self.min_packing_days)
        return teu_cap, veh_cap

    @property
    def final_steps_range(self) -> tuple[int, int]:
        """Fewest and most days of final steps a stress-test run draws from."""
        low, high = self.final_steps_days_low, self.final_steps_days_high
        nominal = self.final_steps_days
        return (nominal if low is None else low, nominal if high is None else high)


class Uncertainty(Record):
    """A declared uncertain parameter, for sensitivity analysis."""

    parameter: str = Field(description="Override path, e.g. clearance.road.approval.")
    low: float = Field(description="Low end of the range.")
    high: float = Field(description="High end of the range.")
    scale: Literal["absolute", "multiplier"] = Field(
        "absolute",
        description="absolute: low/high are values of the field; multiplier: factors applied "
        "to each matching row's own value.",
    )
    distribution: Literal["uniform"] = "uniform"
    source: str = Field("", description="Citation or estimate basis of the range.")


class Manifest(Record):
    """The YAML manifest (`scenario.yaml`) of a scenario folder."""

    name: str = Field(description="Short name, used in file names and reports.")
    description: str = Field("", description="What the scenario represents.")
    start_date: dt.date = Field(description="Day 0 of the withdrawal.")
    deadline: dt.date = Field(description="Last day by which all people must have left.")
    protection_horizon: dt.date | None = Field(
        None, description="End of the protection-gap count (default: the deadline)."
    )
    running_cost_usd_per_day: NonNegFloat = Field(
        0.0, description="Mission running cost a day while people remain in theatre."
    )
    calendar: Calendar = Calendar()
    objective: ObjectiveWeights = ObjectiveWeights()
    policy: Policy = Policy()
    closure: ClosureWork | None = Field(
        None,
        description="Rates of packing and closing a site (precedent defaults for what is "
        "left out). Absent: closing a site takes no work (the world of older folders).",
    )
    uncertainties: tuple[Uncertainty, ...] = Field(
        (), description="Declared uncertain parameters for sensitivity analysis."
    )
    sources: dict[str, str] = Field(
        default_factory=dict, description="Source or estimate basis of each manifest figure."
    )

    @property
    def models_closure_work(self) -> bool:
        """Whether closing a site takes work (packing, final steps, handover), in the plan
        and the stress test alike: when the manifest has a `closure:` section. Older folders
        keep the older world: cargo loadable from day 0, a site closed when its last guard
        leaves."""
        return self.closure is not None

    @model_validator(mode="after")
    def _dates_ordered(self) -> Manifest:
        if self.deadline < self.start_date:
            raise ValueError(
                f"deadline {self.deadline} is before start_date {self.start_date}; "
                "the deadline must be on or after the start"
            )
        return self


class Scenario(Record):
    """The immutable input world: a manifest and its tables."""

    manifest: Manifest
    sites: tuple[Site, ...]
    holdings: tuple[Holding, ...]
    links: tuple[Link, ...]
    trucks: tuple[Truck, ...]
    escorts: tuple[Escort, ...]
    aircraft: tuple[Aircraft, ...]
    clearances: tuple[Clearance, ...] = ()
    threats: tuple[Threat, ...] = ()
    events: tuple[Event, ...] = ()
    units: tuple[Unit, ...] = ()
    residual_tasks: tuple[ResidualTask, ...] = ()
    lift: tuple[Lift, ...] = ()
    contingents: tuple[ContingentPolicy, ...] = ()

    model_config = ConfigDict(frozen=True, extra="forbid", ignored_types=(cached_property,))

    @model_validator(mode="before")
    @classmethod
    def _with_units(cls, data: object) -> object:
        # Every scenario, loaded or built in code, has units and every holding a unit and an
        # owner, so no stage branches on old folders.
        if not isinstance(data, dict):
            return data
        from drawdown.scenario.units import attach_units

        return attach_units(data)

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def horizon_days(self) -> int:
        """Days from start to deadline, both included (MINUSMA: 184)."""
        return (self.manifest.deadline - self.manifest.start_date).days + 1

    @property
    def rainy_months(self) -> frozenset[int]:
        return frozenset(self.manifest.calendar.rainy_months)

    def date_of(self, day: int) -> dt.date:
        """Calendar date of day index `day` (day 0 is the start date)."""
        return self.manifest.start_date + dt.timedelta(days=day)

    def day_of(self, date: dt.date) -> int:
        """Day index of `date` (negative before the start)."""
        return (date - self.manifest.start_date).days

    def site(self, site_id: str) -> Site:
        for s in self.sites:
            if s.id == site_id:
                return s
        raise KeyError(site_id)

    def link(self, link_id: str) -> Link:
        for link in self.links:
            if link.id == link_id:
                return link
        raise KeyError(link_id)

    def replace(self, **changes: object) -> Scenario:
        """A copy with some fields replaced (the scenario itself never changes)."""
        return self.model_copy(update=changes)

    def unit(self, unit_id: str) -> Unit:
        for u in self.units:
            if u.id == unit_id:
                return u
        raise KeyError(unit_id)

    def people_by(self, *fields: str) -> dict[tuple[str, ...], int]:
        """People at the start summed over units, by unit fields (e.g. "site", "contingent").

        The one place stages read people from: units hold them, holdings only equipment.
        """
        out: dict[tuple[str, ...], int] = {}
        for u in self.units:
            key = tuple(str(getattr(u, f)) for f in fields)
            out[key] = out.get(key, 0) + u.people
        return out

    def may_hand_over(self, holding: Holding) -> bool:
        """Whether `holding` may be handed over in theatre: UN-owned may (Financial Regulation
        5.14), contingent-owned only if its contingent allows (contingents.csv); sensitive
        never (destroyed only if it cannot leave)."""
        if holding.sensitive:
            return False
        if (holding.owner or "coe") == "un":
            return True
        return any(c.id == holding.contingent and c.handover_allowed for c in self.contingents)

    def people_at(self, site_id: str) -> int:
        """People at `site_id` at the start."""
        return sum(u.people for u in self.units if u.site == site_id)

    @property
    def total_people(self) -> int:
        return sum(u.people for u in self.units)

    @property
    def total_containers_teu(self) -> float:
        return sum(h.containers_teu for h in self.holdings)

    @property
    def total_vehicles(self) -> int:
        return sum(h.vehicles for h in self.holdings)

    def content_hash(self) -> str:
        """SHA-256 of the scenario's canonical JSON: identifies it in saved results."""
        import hashlib

        canonical = self.model_dump_json(by_alias=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]
