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
ExitFor = Literal["", "people", "cargo", "all"]
AirfieldClass = Literal["none", "helipad", "airstrip", "airport"]
RunwaySurface = Literal["none", "paved", "unpaved"]
Category = Literal["troops", "police", "civilian"]
Mode = Literal["road", "air", "river"]
AssetKind = Literal["truck", "escort", "aircraft"]
IncidentKind = Literal["ied", "ambush", "ground_fire", "base_attack"]
EventKind = Literal[
    "link_closed",  # a link cannot be used from `date` until `end_date` (inclusive)
    "corridor_closed",  # every link of an escort corridor is closed (e.g. a border)
    "contingent_departs",  # a contingent's people must be out by `date`
    "clearance_suspended",  # no clearance for `target` mode from `date` to `end_date`
]
DelayDistribution = Literal["fixed", "exponential"]

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegFloat = Annotated[float, Field(ge=0.0)]
NonNegInt = Annotated[int, Field(ge=0)]
Month = Annotated[int, Field(ge=1, le=12)]


class Record(BaseModel):
    """Base of every scenario type: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


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


class Holding(Sourced):
    """What a contingent holds at a site at the start: people and one class of cargo."""

    site: str
    contingent: str
    category: Category
    people: NonNegInt = 0
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

    mode: Mode | Literal["*"]
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
    garrison_elasticity: NonNegFloat = Field(
        0.0, description="Base attacks: rate x (full garrison / garrison now) ** elasticity."
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
    early_close_attacks: NonNegInt = Field(
        3, description="Close a base early after this many attacks on it (0: never)."
    )
    min_guard_people: NonNegInt = Field(
        50, description="People who stay at a base until its last movement."
    )


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
    uncertainties: tuple[Uncertainty, ...] = Field(
        (), description="Declared uncertain parameters for sensitivity analysis."
    )
    sources: dict[str, str] = Field(
        default_factory=dict, description="Source or estimate basis of each manifest figure."
    )

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

    model_config = ConfigDict(frozen=True, extra="forbid", ignored_types=(cached_property,))

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

    @property
    def total_people(self) -> int:
        return sum(h.people for h in self.holdings)

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
