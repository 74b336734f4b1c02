"""The report's figures, in one registry: adding a figure is one module and one line here.

Each entry names a figure's key (section id and PNG file name), its title, its navigation
label, its caption, its data function (from `drawdown.report.select`: the report's inputs to
what the figure draws) and its plot function (`plot_x(data, *, ax=None)`, one per module in
`drawdown.report.figures`). An entry with a `section` is drawn inside that analysis section
instead of a section of its own; its data function returns None when the analysis is absent.
A data function returns `NotAvailable` when the results folder lacks what its figure draws
(a folder made before the plan or the stress test recorded it): the figure then says so.
The page shows the entries in this order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from drawdown.report import select, withdrawal_select
from drawdown.report._style import not_available
from drawdown.report.figure_data import Figure, NotAvailable, Panels
from drawdown.report.figures.calibration import plot_calibration
from drawdown.report.figures.cargo_outcome import plot_cargo_outcome
from drawdown.report.figures.check import plot_check
from drawdown.report.figures.closure_work import plot_closure_work
from drawdown.report.figures.compare_fan import plot_compare_fan
from drawdown.report.figures.compare_gantt import plot_compare_gantt
from drawdown.report.figures.corridors import plot_corridors
from drawdown.report.figures.disposal import plot_disposal
from drawdown.report.figures.early_closures import plot_early_closures
from drawdown.report.figures.exit_lift import plot_exit_lift
from drawdown.report.figures.fan import plot_fan
from drawdown.report.figures.gantt import plot_gantt
from drawdown.report.figures.incidents import plot_incidents
from drawdown.report.figures.map import plot_map
from drawdown.report.figures.protection import plot_protection
from drawdown.report.figures.sweep_ranking import plot_sweep_ranking
from drawdown.report.figures.tornado import plot_tornado
from drawdown.report.figures.units_out import plot_units_out
from drawdown.report.select import ReportInputs

DataFunction = Callable[[ReportInputs], object]
PlotFunction = Callable[..., object]


@dataclass(frozen=True)
class FigureEntry:
    """One figure of the report: where it goes, what it is called, its data and its plot."""

    key: str
    title: str
    nav: str  # navigation label of its own section ("" when drawn inside `section`)
    caption: str
    data: DataFunction
    plot: PlotFunction
    section: str | None = None  # the analysis section it is drawn in (None: its own)

    def __post_init__(self) -> None:
        if (self.section is None) == (not self.nav):
            raise ValueError(f"figure {self.key!r}: a navigation label or a section, not both")

    def figures(self, inputs: ReportInputs) -> tuple[Figure, ...]:
        """The figures this entry draws for `inputs`: none, one, or one per panel."""
        data = self.data(inputs)
        if data is None:
            return ()
        if isinstance(data, NotAvailable):  # an older results folder: say what it lacks
            draw = partial(not_available, title=self.title)
            return (Figure(self.key, self.title, data.sentence(), draw, data, self.nav),)
        if isinstance(data, Panels):
            return tuple(
                Figure(
                    p.key,
                    p.title,
                    p.caption,
                    partial(self.plot, **p.options) if p.options else self.plot,
                    p.data,
                )
                for p in data.panels
            )
        return (Figure(self.key, self.title, self.caption, self.plot, data, self.nav),)


FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry(
        "map",
        "Map",
        "Map",
        "Sites sized by people at the start; hubs (squares) and exits (triangles) marked; "
        "roads coloured by expected incidents per convoy and thicker the more convoys the plan "
        "sends; numbers give the plan's closure order.",
        select.site_map,
        plot_map,
    ),
    FigureEntry(
        "gantt",
        "Closures: plan and simulation",
        "Closures",
        "Blue: each base is open until the plan closes it. Orange: the days between which 80% "
        "of simulated runs closed it (P10–P90); black tick: the median.",
        select.closures,
        plot_gantt,
    ),
    FigureEntry(
        "closure-work",
        "Closure work per site",
        "Closure work",
        "Each site's closure in the plan: packing, the last loads leaving, the final steps "
        "(inventory, environmental clearance) and the handover, after which the guard leaves. "
        "Diamonds: simulated handover (filled: median, open: P90); ticks: simulated closure "
        "(black: median, grey: P90). Team sites first, then the hubs and the HQ, which stay "
        "open while the sites they support are open. Right: the resource that binds each "
        "site's closure in the plan.",
        withdrawal_select.closure_work,
        plot_closure_work,
    ),
    FigureEntry(
        "fan",
        "People remaining",
        "People out",
        "People still in theatre at the end of each day: median and bands over runs; dashed: "
        "the plan if every movement went as planned.",
        select.people_remaining,
        plot_fan,
    ),
    FigureEntry(
        "exit-lift",
        "Seats used against seats available, by charter airport",
        "Seats",
        "People leave the theatre only when seated on a charter. Each week at each charter "
        "airport: the seats left after host air clearance (light) and the people seated "
        "(orange), mean per simulated run; blue lines: what the plan counts on and uses. "
        "Where the orange fills the light bar, seats bind the people-out curve.",
        withdrawal_select.exit_lift,
        plot_exit_lift,
    ),
    FigureEntry(
        "units-out",
        "When each unit is out",
        "Units",
        "The day each unit's last person left the theatre: simulated P10–P90 (bar) and median "
        "(tick), the plan's day (diamond). Sorted by date, earliest first; HQ and hub units in "
        "bold blue. A unit's main body leaves once its equipment is packed and dispatched, its "
        "rear party with the last load.",
        withdrawal_select.units_out,
        plot_units_out,
    ),
    FigureEntry(
        "corridors",
        "Equipment out by corridor",
        "Corridors",
        "Containers and vehicles that crossed each corridor's border or reached its port "
        "(equipment counts as out only then): the plan's total (blue) against the simulated "
        "P10–P90 (orange) and median (tick); the outline is what the corridor's throughput "
        "allows over the withdrawal.",
        withdrawal_select.corridors,
        plot_corridors,
    ),
    FigureEntry(
        "teu-out",
        "Containers out of the theatre",
        "Containers out",
        "Containers (TEU) out of the theatre by the end of each day: median and bands over "
        "runs. Equipment counts as out when it crosses a corridor's border or reaches its "
        "port (or, at an exit without a corridor, when it arrives there).",
        select.teu_out,
        plot_fan,
    ),
    FigureEntry(
        "cargo-outcome",
        "Cargo outcome by site",
        "Cargo outcome",
        "Containers (TEU) of each site by what became of them, averaged over runs.",
        select.cargo_outcome,
        plot_cargo_outcome,
    ),
    FigureEntry(
        "disposal",
        "Handed over against abandoned",
        "Handed over",
        "Equipment each site did not bring out, mean over runs: handed over to the host with "
        "an inventory, abandoned without a handover (an early closure or a cut-off), and "
        "destroyed, shown apart (sensitive items are never handed over). Tick: the handover "
        "the plan intends.",
        withdrawal_select.disposal,
        plot_disposal,
    ),
    FigureEntry(
        "early-closures",
        "Early closures under attack",
        "Early closures",
        "How often each site closed early because it was attacked too often, and the median "
        "day it did; below, the policy threshold that closes a base and its source.",
        withdrawal_select.early_closures,
        plot_early_closures,
    ),
    FigureEntry(
        "incidents",
        "Incidents by route and site",
        "Incidents",
        "Mean number of incidents per run on each road and at each site, by kind.",
        select.incidents,
        plot_incidents,
    ),
    FigureEntry(
        "protection",
        "Protection gap over time",
        "Protection gap",
        "Civilians living within a closed base's coverage radius, day by day: the area under "
        "the curve is the protection gap in person-days.",
        select.protection,
        plot_protection,
    ),
    FigureEntry(
        "compare-fan",
        "People remaining by option",
        "",
        "People in theatre by day for each option: median line and 25–75% band; dashed red: "
        "the deadline.",
        select.comparison,
        plot_compare_fan,
        section="compare",
    ),
    FigureEntry(
        "compare-gantt",
        "Closures by option",
        "",
        "Each base and hub by option: bar from the start to the median closure day, line from "
        "the 5th to the 95th percentile of the runs.",
        select.comparison,
        plot_compare_gantt,
        section="compare",
    ),
    FigureEntry(
        "sensitivity",  # one panel per output: sensitivity-<output>
        "What drives an output",
        "",
        "Parameters ranked by their effect on one output.",
        select.sensitivity,
        plot_tornado,
        section="sensitivity",
    ),
    FigureEntry(
        "calibration",
        "Calibrated incident rates",
        "",
        "Posterior mean rate (dot) and credible interval (line) of the targets with the most "
        "events, on a log scale; the number is the target's own events. Targets with no "
        "events of their own rest on the prior and on the events they pool with.",
        select.calibration,
        plot_calibration,
        section="calibration",
    ),
    FigureEntry(
        "check",
        "Observed against simulated",
        "",
        "Where each observation fell in its simulated distribution (share of runs below it); "
        "bands: the 50% and 80% intervals; red: outside the 80% interval.",
        select.check,
        plot_check,
        section="check",
    ),
    FigureEntry(
        "sweep-ranking",
        "Variants ranked",
        "",
        "The best variants by the sweep's ranking figure: mean (dot) and 95% interval (line) "
        "over each variant's runs, best at the top.",
        select.sweep,
        plot_sweep_ranking,
        section="sweep",
    ),
)


def own_section_keys(registry: tuple[FigureEntry, ...] = FIGURES) -> tuple[str, ...]:
    """Keys of the figures that have a section of their own (always drawn), in page order."""
    return tuple(e.key for e in registry if e.section is None)
