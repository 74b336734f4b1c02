"""Small typed inputs of the report's figures: what each figure draws, already computed.

Figures take these and draw; the data functions of `drawdown.report.select` make them from
the report's inputs (`ReportInputs`). Days are indices from the scenario start (day 0), as in
the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# Cargo outcome, what the simulation says became of equipment: shipped out of theatre,
# handed over to the host, destroyed on site, lost to incidents, or still in theatre when
# the simulation ends. (Not the plan's disposition, which is what the plan intends.)
CARGO_OUTCOMES = ("repatriated", "handed_over", "destroyed", "lost", "remaining")


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
    """People still in theatre at the end of each day: quantiles over runs, and the plan."""

    day: np.ndarray
    quantiles: dict[float, np.ndarray]  # e.g. {0.1: ..., 0.25: ..., 0.5: ..., ...}
    start_date: dt.date
    deadline_day: int
    runs: int
    plan: np.ndarray | None = None


@dataclass(frozen=True)
class CargoOutcomeData:
    """Mean TEU per site by cargo outcome (columns: CARGO_OUTCOMES), over runs."""

    teu: pd.DataFrame
    runs: int


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

    def drawn(self) -> tuple[Figure, ...]:
        """Every figure of the page in page order: own sections first, then the analyses'."""
        return (*self.figures, *(f for a in self.analyses for f in a.figures))
