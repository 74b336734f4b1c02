"""The plan: a decision, immutable and serialisable.

A plan says when each base and hub closes, which movements happen on which day (one row per
leg on one link), and what becomes of the cargo that does not leave (disposition). It is made
by the optimiser or the greedy baseline and read by the simulation and the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Fate = Literal["repatriate", "hand_over", "destroy"]


@dataclass(frozen=True)
class Movement:
    """One leg: `convoys` convoys (road/river) or sorties (air) over one link on one day.

    `day` is the departure day index (0 = scenario start), `arrival_day` the day the load is
    available at `destination` (same day for air). Multi-leg routes are chained movements.
    """

    day: int
    arrival_day: int
    origin: str
    destination: str
    link: str
    mode: Literal["road", "air", "river"]
    asset: str  # truck pool id for road/river, aircraft type id for air
    convoys: int  # convoys (road/river) or sorties (air)
    people: int
    containers_teu: float
    vehicles: int


@dataclass(frozen=True)
class Disposition:
    """What becomes of one site's holdings of one cargo class."""

    site: str
    cargo_class: str
    sensitive: bool
    fate: Fate
    containers_teu: float
    vehicles: int
    value_usd: float


@dataclass(frozen=True)
class Plan:
    """A withdrawal plan for one scenario.

    `closure_day` maps every base and hub to the day index on which it closes (its last
    people leave); `objective` holds each weighted term of the objective and `total`.
    `solver` records how the plan was made (method, status, gap, bound, times).
    """

    scenario_name: str
    scenario_hash: str
    horizon_days: int
    closure_day: dict[str, int]
    movements: tuple[Movement, ...]
    dispositions: tuple[Disposition, ...]
    objective: dict[str, float] = field(default_factory=dict)
    solver: dict[str, object] = field(default_factory=dict)
    method: str = "optimised"  # or "greedy"
