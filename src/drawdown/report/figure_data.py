"""Small typed inputs of the report's figures: what each figure draws, already computed.

Figures take these and draw; the data functions of `drawdown.report.select` make them from
the report's inputs (`ReportInputs`). Days are indices from the scenario start (day 0), as in
the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

# Cargo outcome, what the simulation says became of equipment: shipped out of theatre,
# handed over to the host, abandoned (left without a handover when a site closed early or
# was cut off), destroyed on site, lost to incidents, or still in theatre when the
# simulation ends. (Not the plan's disposition, which is what the plan intends.) These are
# the kinds registry's outcomes under the report's words, in reading order; an outcome a
# results folder does not record (abandoned, before the stress test told it apart) is shown
# as not available.
CARGO_OUTCOMES = ("repatriated", "handed_over", "abandoned", "destroyed", "lost", "remaining")
NOT_AVAILABLE = "not available in this results folder"


@dataclass(frozen=True)
class SitePoint:
    """A site on the map: where, what kind, how many people at the start, closure order."""

    id: str
    name: str
    kind: str
    lon: float
    lat: float
    people: int
    closure_rank: int | None = None  # 1 = first to close in the plan
    closure_day: int | None = None


@dataclass(frozen=True)
class RoutePath:
    """A link on the map with its threat (expected incidents per convoy over it)."""

    id: str
    mode: str
    lons: tuple[float, ...]
    lats: tuple[float, ...]
    incidents_per_convoy: float
    planned_convoys: int = 0


@dataclass(frozen=True)
class Outline:
    """One country: its name and rings of (lon, lat) points."""

    name: str
    rings: tuple[np.ndarray, ...]
    host: bool = False


@dataclass(frozen=True)
class MapData:
    """Everything the map draws; `extent` is (west, east, south, north) in degrees."""

    sites: tuple[SitePoint, ...]
    routes: tuple[RoutePath, ...]
    outlines: tuple[Outline, ...]
    extent: tuple[float, float, float, float]
    off_map: tuple[tuple[float, float, str], ...] = ()  # (lon, lat, text) at the map's edge
    attribution: str = "Borders: Natural Earth 1:50m (public domain)"


@dataclass(frozen=True)
class ClosureData:
    """Closure day per base and hub: the plan's and the simulated P10, P50 and P90."""

    sites: tuple[str, ...]
    plan_day: np.ndarray
    p10: np.ndarray
    p50: np.ndarray
    p90: np.ndarray
    start_date: dt.date
    deadline_day: int
    runs: int


@dataclass(frozen=True)
class FanData:
    """A count by day over runs, drawn as a fan: quantiles over runs, and the plan's curve.

    By default people still in theatre at the end of each day; `ylabel`, `title` and
    `legend_loc` name another count (TEU out of the theatre) and keep the legend off a
    rising curve.
    """

    day: np.ndarray
    quantiles: dict[float, np.ndarray]  # e.g. {0.1: ..., 0.25: ..., 0.5: ..., ...}
    start_date: dt.date
    deadline_day: int
    runs: int
    plan: np.ndarray | None = None
    ylabel: str = "people in theatre"
    title: str = "People remaining over time"
    legend_loc: Literal["upper right", "upper left"] = "upper right"


@dataclass(frozen=True)
class CargoOutcomeData:
    """Mean TEU (and vehicles, when known) per site by cargo outcome (columns:
    CARGO_OUTCOMES), over runs."""

    teu: pd.DataFrame
    runs: int
    vehicles: pd.DataFrame | None = None


@dataclass(frozen=True)
class IncidentData:
    """Mean incidents per run by place (link or site, index) and kind (columns)."""

    mean: pd.DataFrame
    runs: int


@dataclass(frozen=True)
class ProtectionData:
    """Civilians left without protection on each day: a central line and P10–P90 over runs."""

    day: np.ndarray
    p10: np.ndarray
    centre: np.ndarray
    p90: np.ndarray
    start_date: dt.date
    deadline_day: int
    horizon_day: int
    runs: int
    plan: np.ndarray | None = None
    centre_label: str = "mean"


@dataclass(frozen=True)
class NotAvailable:
    """What a data function returns when the results folder lacks what its figure draws.

    `missing` says what is absent in the user's terms (e.g. "the plan's closure-work table");
    the figure is drawn as that sentence, so an older results folder still gives a report.
    """

    missing: str

    def sentence(self) -> str:
        return f"{NOT_AVAILABLE[0].upper()}{NOT_AVAILABLE[1:]}: {self.missing}."


@dataclass(frozen=True)
class ExitLift:
    """Seats at one charter airport (or people reaching an exit without charters), by week.

    Arrays are per week from day 0 (`week_day`: first day of each week, `week_days`: its
    days, fewer for the last one); None when the plan or the simulation does not record it.
    Simulated values are means over runs.
    """

    name: str
    week_day: np.ndarray
    week_days: np.ndarray
    seats_available: np.ndarray | None = None  # simulated, after host air clearance
    seats_used: np.ndarray | None = None  # simulated: people seated
    plan_seats_available: np.ndarray | None = None
    plan_seats_used: np.ndarray | None = None  # with no charter: people the plan brings


@dataclass(frozen=True)
class LiftData:
    """People leaving the theatre by exit, with seats used against seats available."""

    exits: tuple[ExitLift, ...]
    start_date: dt.date
    deadline_day: int
    runs: int
    missing: str = ""  # what the folder lacks (shown on the figure), "" when complete


@dataclass(frozen=True)
class UnitOut:
    """One unit's last-out day: the plan's and the simulated P10/P50/P90 (NaN: none)."""

    id: str
    site: str
    role: str  # role of the unit's site: hq, hub, team or ""
    people: int
    plan_day: float
    p10: float = float("nan")
    p50: float = float("nan")
    p90: float = float("nan")
    never: float = 0.0  # share of runs in which some of its people never left


@dataclass(frozen=True)
class UnitOutData:
    """Every unit's last-out day, sorted by date (HQ and hub units marked)."""

    units: tuple[UnitOut, ...]
    start_date: dt.date
    deadline_day: int
    horizon_day: int  # days at or past this are "never" in the simulated quantiles
    runs: int
    simulated: bool  # the folder records units' last-out days in the stress test
    planned: bool  # the plan's movements carry units


@dataclass(frozen=True)
class SiteClosureWork:
    """One site's closure work: the plan's phases (days) and simulated markers (NaN: none)."""

    site: str
    role: str
    pack_start: float
    packed_by: float
    final_steps_start: float
    handover: float
    closure: float
    binding: str = ""
    handover_p50: float = float("nan")
    handover_p90: float = float("nan")
    closure_p50: float = float("nan")
    closure_p90: float = float("nan")


@dataclass(frozen=True)
class ClosureWorkData:
    """Packing, final steps and handover per site, HQ and hubs last."""

    sites: tuple[SiteClosureWork, ...]
    start_date: dt.date
    deadline_day: int
    runs: int
    planned: bool
    simulated: bool


@dataclass(frozen=True)
class CorridorOut:
    """Equipment crossed on one corridor over the withdrawal: plan and simulated interval."""

    name: str
    capacity: float  # throughput a day x days of the withdrawal
    plan: float  # NaN: the plan does not record it
    p10: float = float("nan")
    p50: float = float("nan")
    p90: float = float("nan")


@dataclass(frozen=True)
class CorridorData:
    """TEU and vehicles crossed per corridor, planned against the simulated P10–P90."""

    teu: tuple[CorridorOut, ...]
    vehicles: tuple[CorridorOut, ...]
    runs: int
    missing: str = ""


@dataclass(frozen=True)
class DisposalData:
    """Per site, mean over runs: handed over against abandoned, and destroyed apart.

    Frames: index site, columns handed_over, abandoned, destroyed (TEU, and vehicles);
    `plan_*`: the plan's handover per site (index site), None when it plans none.
    """

    teu: pd.DataFrame
    vehicles: pd.DataFrame | None
    plan_handover_teu: pd.Series | None
    plan_handover_vehicles: pd.Series | None
    runs: int


@dataclass(frozen=True)
class EarlyClosureData:
    """How often each site closed early under attack, and the rule that closed it."""

    sites: tuple[str, ...]
    share: np.ndarray  # share of runs in which the site closed early
    day_p50: np.ndarray  # median day of the early closure, over the runs it happened
    threshold: int  # attacks on a base before it closes (0: never)
    source: str
    start_date: dt.date
    runs: int


@dataclass(frozen=True)
class HeadlineFigure:
    """One headline number with its interval and the runs behind it."""

    label: str
    value: str
    interval: str = ""
    runs: int = 0
    note: str = ""


@dataclass(frozen=True)
class SourceRow:
    """One input and where it came from."""

    table: str
    item: str
    value: str
    source: str
    estimate: bool = field(default=False)


@dataclass(frozen=True)
class Figure:
    """One figure of the report, ready to draw: where it goes, its caption, and its data."""

    key: str  # figure id and PNG file name (and section id when it has a section of its own)
    title: str
    caption: str
    plot: object  # plot_x(data, *, ax=None)
    data: object
    nav: str = ""  # navigation label of its own section ("": drawn inside another section)


@dataclass(frozen=True)
class Panel:
    """One of several figures a registry entry draws (e.g. one tornado chart per output)."""

    key: str
    title: str
    caption: str
    data: object
    options: dict[str, object] = field(default_factory=dict)  # keyword arguments of the plot


@dataclass(frozen=True)
class Panels:
    """What a data function returns when its entry draws several figures."""

    panels: tuple[Panel, ...]


@dataclass(frozen=True)
class SectionTable:
    """A table of an analysis section; `formats` maps numeric columns to format specs."""

    caption: str
    frame: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AnalysisSection:
    """A section of the report shown only when an analysis was saved in the folder."""

    key: str  # section id: compare, sensitivity, calibration, check
    title: str
    paragraphs: tuple[str, ...]
    figures: tuple[Figure, ...] = ()
    tables: tuple[SectionTable, ...] = ()


@dataclass(frozen=True)
class ReportContent:
    """Everything the HTML shows, computed: the assembly only formats it."""

    title: str
    subtitle: str
    headline: tuple[HeadlineFigure, ...]
    figures: tuple[Figure, ...]
    movements: pd.DataFrame
    constraints: tuple[str, ...]
    gain: pd.DataFrame | None  # index: objective term; columns: optimised, greedy, gain
    gain_note: str
    sources: tuple[SourceRow, ...]
    manifest: dict[str, str]
    files: tuple[str, ...] = ()
    analyses: tuple[AnalysisSection, ...] = ()
    headline_text: tuple[str, ...] = ()  # sentences above the headline cards
    site_binding: pd.DataFrame | None = None  # what binds each site's closure (plan section)
    site_binding_note: str = ""

    def drawn(self) -> tuple[Figure, ...]:
        """Every figure of the page in page order: own sections first, then the analyses'."""
        return (*self.figures, *(f for a in self.analyses for f in a.figures))
