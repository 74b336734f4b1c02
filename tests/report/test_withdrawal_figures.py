"""The withdrawal figures: drawn from a results folder with issue 12's fields, said to be
not available without them, and each data function only selecting what the inputs hold."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from drawdown.plan.model import Plan
from drawdown.report import rebuild_report
from drawdown.report import withdrawal_select as ws
from drawdown.report.content import figures
from drawdown.report.data import SimulationViews, views_from_result
from drawdown.report.figure_data import NOT_AVAILABLE, NotAvailable
from drawdown.report.registry import FIGURES
from drawdown.report.render import draw
from drawdown.report.select import ReportInputs
from drawdown.scenario.model import Scenario

NEW = (
    "closure-work",
    "exit-lift",
    "units-out",
    "corridors",
    "teu-out",
    "disposal",
    "early-closures",
)


@pytest.fixture(scope="module")
def inputs(withdrawal_run) -> ReportInputs:  # type: ignore[no-untyped-def]
    """The report's inputs of the withdrawal run."""
    run = withdrawal_run
    return ReportInputs(
        run.scenario, run.plan, views_from_result(run.scenario, run.plan, run.result)
    )


def _section(html: str, key: str) -> str:
    start = html.index(f'<section id="{key}">')
    return html[start : html.index("</section>", start)]


def test_the_new_figures_are_registered_once_each() -> None:
    """Each withdrawal figure is one registry entry with a section of its own."""
    keys = [e.key for e in FIGURES]
    assert all(keys.count(k) == 1 for k in NEW)
    assert all(next(e for e in FIGURES if e.key == k).section is None for k in NEW)


def test_each_figure_draws_from_a_results_folder_with_the_new_fields(
    withdrawal_folder: Path,
) -> None:
    """In a folder built from a plan and result with the contract's fields, each withdrawal
    figure is drawn (SVG and PNG), none says it is not available."""
    html = (withdrawal_folder / "report.html").read_text(encoding="utf-8")
    for key in NEW:
        section = _section(html, key)
        assert f'data-figure="{key}"' in section, key
        assert NOT_AVAILABLE not in section.lower(), key
        assert (withdrawal_folder / "figures" / f"{key}.png").stat().st_size > 0, key
    assert "Equipment abandoned" in html and NOT_AVAILABLE not in _section(html, "headline")


def test_a_rebuilt_folder_draws_every_withdrawal_figure(
    withdrawal_folder: Path, tmp_path: Path
) -> None:
    """Rebuilt from its saved files (the plan keeps its closure-work, lift-use and unit
    columns; the results keep the cargo outcomes and early closures), the report draws every
    withdrawal figure and the plan section says what binds each closure."""
    import shutil

    folder = tmp_path / "results"
    shutil.copytree(withdrawal_folder, folder)
    html = rebuild_report(folder).read_text(encoding="utf-8")
    for key in NEW:
        section = _section(html, key)
        assert f'data-figure="{key}"' in section, key
        assert "Not available in this results folder" not in section, key
    card = re.search(r"Equipment abandoned</div><div class=\"value\">([^<]*)<", html)
    assert card and card.group(1) != "n/a"
    assert "its plan has no closure-work table" not in _section(html, "constraints")


def test_older_views_give_not_available_for_every_new_figure(
    tiny: Scenario, tiny_plan: Plan, tiny_views: SimulationViews
) -> None:
    """Views and a plan without the new fields: each new entry gives one figure whose data
    says what is missing, and it draws as that sentence on the caller's axis."""
    drawn = {f.key: f for f in figures(ReportInputs(tiny, tiny_plan, tiny_views))}
    for key in NEW:
        fig = drawn[key]
        assert isinstance(fig.data, NotAvailable), key
        assert fig.caption.startswith("Not available in this results folder: "), key
        ax = Figure().add_subplot()
        assert fig.plot(fig.data, ax=ax) is ax  # type: ignore[operator]
        assert any(NOT_AVAILABLE in t.get_text().lower() for t in ax.texts), key


def test_seats_by_week_are_the_sums_of_the_days(inputs: ReportInputs, withdrawal_run) -> None:  # type: ignore[no-untyped-def]
    """Seats available and people seated per week add up to the result's daily sums over
    runs divided by the runs; the plan's to its lift-use rows."""
    data = ws.exit_lift(inputs)
    assert not isinstance(data, NotAvailable) and not data.missing
    (charter,) = data.exits
    result, runs = withdrawal_run.result, withdrawal_run.result.runs
    x = result.lift_ids.index("charters")
    assert charter.seats_available.sum() == pytest.approx(result.lift_seats_by_day[x].sum() / runs)
    assert charter.seats_used.sum() == pytest.approx(result.lift_people_by_day[x].sum() / runs)
    rows = [r for r in withdrawal_run.plan.lift_use if r.lift_id == "charters"]
    assert charter.plan_seats_used.sum() == pytest.approx(sum(r.seats_used for r in rows))
    assert charter.week_days.sum() == result.horizon  # the last week is as short as it is
    assert charter.name == "Port (charters)"


def test_units_are_sorted_by_their_simulated_median(inputs: ReportInputs, withdrawal_run) -> None:  # type: ignore[no-untyped-def]
    """Each unit's P50 is the order statistic of its last-out days, units sorted by it; the
    plan's day is its last people movement reaching an exit; HQ units keep their role."""
    data = ws.units_out(inputs)
    assert not isinstance(data, NotAvailable) and data.simulated and data.planned
    medians = [u.p50 for u in data.units]
    assert medians == sorted(medians)
    result = withdrawal_run.result
    for u in data.units:
        days = result.unit_out_day[:, result.unit_ids.index(u.id)].astype(float)
        days[days < 0] = np.inf
        assert u.p50 == np.quantile(days, 0.5, method="inverted_cdf"), u.id
        assert u.never == pytest.approx(np.mean(np.isinf(days))), u.id
        arrivals = [
            m.arrival_day
            for m in withdrawal_run.plan.movements
            if m.unit == u.id and m.people and m.destination == "port"
        ]
        assert u.plan_day == (max(arrivals) if arrivals else u.plan_day), u.id
    assert {u.role for u in data.units if u.site == "hub"} == {"hq"}


def test_closure_work_puts_the_hq_last(inputs: ReportInputs, withdrawal_run) -> None:  # type: ignore[no-untyped-def]
    """Team sites come first in the plan's closing order, the HQ last; each row holds the
    plan's phases and the simulated handover median."""
    data = ws.closure_work(inputs)
    assert not isinstance(data, NotAvailable) and data.planned and data.simulated
    assert [r.role for r in data.sites][-1] == "hq"
    order = [s for s, _day in withdrawal_run.plan.closure_order()]
    assert [r.site for r in data.sites] == [inputs.scenario.site(s).name for s in order]
    rows = {r.site: r for r in withdrawal_run.plan.closure_work}
    hub = data.sites[-1]
    assert (hub.pack_start, hub.packed_by, hub.final_steps_start, hub.handover, hub.closure) == (
        rows["hub"].pack_start_day,
        rows["hub"].packed_by_day,
        rows["hub"].final_steps_start_day,
        rows["hub"].handover_day,
        rows["hub"].closure_day,
    )
    assert hub.binding == "support"
    result = withdrawal_run.result
    days = result.handover_day[:, result.data.site_ids.index("hub")]
    assert hub.handover_p50 == np.quantile(days, 0.5, method="inverted_cdf")


def test_corridors_plan_total_and_simulated_interval(inputs: ReportInputs, withdrawal_run) -> None:  # type: ignore[no-untyped-def]
    """The plan's TEU on a corridor is the sum of its lift-use rows; the simulated P10/P50/P90
    are order statistics of the crossings; the outline is throughput x days."""
    data = ws.corridors(inputs)
    assert not isinstance(data, NotAvailable)
    (teu,) = data.teu
    rows = [r for r in withdrawal_run.plan.lift_use if r.lift_id == "road"]
    assert teu.plan == pytest.approx(sum(r.teu_crossed for r in rows))
    crossed = withdrawal_run.result.lift_teu_crossed[:, 1]
    assert (teu.p10, teu.p50, teu.p90) == tuple(
        np.quantile(crossed, (0.1, 0.5, 0.9), method="inverted_cdf")
    )
    assert teu.capacity == 20 * withdrawal_run.scenario.horizon_days
    assert data.vehicles[0].capacity == 10 * withdrawal_run.scenario.horizon_days


def test_abandoned_against_handed_over_per_site(inputs: ReportInputs, withdrawal_run) -> None:  # type: ignore[no-untyped-def]
    """Abandoned TEU per site is the mean over runs; handed over and destroyed come from the
    cargo outcomes; the plan's handover from its dispositions."""
    data = ws.disposal(inputs)
    assert not isinstance(data, NotAvailable)
    result = withdrawal_run.result
    north = result.data.site_ids.index("north")
    assert data.teu.loc["North Camp", "abandoned"] == pytest.approx(
        result.teu_abandoned[:, north].mean()
    )
    assert list(data.teu.columns) == ["handed_over", "abandoned", "destroyed"]
    assert data.vehicles is not None and "abandoned" in data.vehicles.columns
    handed = sum(
        d.containers_teu for d in withdrawal_run.plan.dispositions if d.fate == "hand_over"
    )
    planned = 0.0 if data.plan_handover_teu is None else data.plan_handover_teu.sum()
    assert planned == pytest.approx(handed)


def test_early_closures_say_how_often_and_why(inputs: ReportInputs, withdrawal_run) -> None:  # type: ignore[no-untyped-def]
    """Share of runs closed early per site, most often first, with the policy threshold and
    the source the scenario gives for it."""
    data = ws.early_closures(inputs)
    assert not isinstance(data, NotAvailable)
    result = withdrawal_run.result
    shares = result.early_closed_site.mean(axis=0)
    expected = sorted(
        ((s, shares[i]) for i, s in enumerate(result.data.site_ids) if shares[i] > 0),
        key=lambda kv: -kv[1],
    )
    names = {"north": "North Camp", "east": "East Camp"}
    assert list(data.sites) == [names[s] for s, _ in expected]
    assert list(data.share) == pytest.approx([v for _, v in expected])
    assert data.threshold == 3 and data.source == "[E] test threshold"
    ax = Figure().add_subplot()
    ws_ax = FIGURES[[e.key for e in FIGURES].index("early-closures")].plot(data, ax=ax)
    text = " ".join(t.get_text() for t in ws_ax.texts)
    assert "after 3 attacks" in text and "[E] test threshold" in text


def test_containers_out_are_the_results_fan_drawn_as_the_people_fan(
    inputs: ReportInputs, withdrawal_run
) -> None:  # type: ignore[no-untyped-def]
    """The containers-out figure is the people fan's drawing (one plot function) of the
    result's TEU-out quantiles by day, titled and labelled for containers, next to the
    other figures of equipment."""
    from drawdown.report.data import FAN_LEVELS
    from drawdown.report.figures.fan import plot_fan

    entry = next(e for e in FIGURES if e.key == "teu-out")
    assert entry.plot is plot_fan is next(e for e in FIGURES if e.key == "fan").plot
    keys = [e.key for e in FIGURES]
    assert keys.index("corridors") < keys.index("teu-out") < keys.index("cargo-outcome")
    (fig,) = entry.figures(inputs)
    fan = withdrawal_run.result.teu_out_fan(FAN_LEVELS)
    assert set(fig.data.quantiles) == set(FAN_LEVELS) and fig.data.plan is None  # type: ignore[union-attr]
    for level in FAN_LEVELS:
        expected = fan[f"q{round(level * 100):02d}"].to_numpy()
        assert np.array_equal(fig.data.quantiles[level], expected), level  # type: ignore[union-attr]
    assert fig.data.quantiles[0.5][-1] > fig.data.quantiles[0.5][0]  # type: ignore[union-attr]
    ax = fig.plot(fig.data, ax=Figure().add_subplot())  # type: ignore[operator]
    assert ax.get_title() == "Containers out of the theatre (200 runs)"
    assert ax.get_ylabel() == "TEU out of the theatre"


@pytest.mark.parametrize(
    "key", [*(k for k in NEW if k not in ("early-closures", "teu-out")), "gantt"]
)
def test_legends_never_cover_what_a_figure_draws(inputs: ReportInputs, key: str) -> None:
    """Drawn at the report's size, each figure's legend lies outside every panel (the
    closure Gantt's too, whose legend used to sit on the last rows' bars)."""
    entry = next(e for e in FIGURES if e.key == key)
    (fig,) = entry.figures(inputs)
    drawn = draw(fig.plot, fig.data)  # type: ignore[arg-type]
    canvas = FigureCanvasAgg(drawn)
    canvas.draw()  # lays out the figure as the report's SVG and PNG do
    renderer = canvas.get_renderer()
    legends = [*drawn.legends, *(a.get_legend() for a in drawn.axes if a.get_legend())]
    assert legends, key
    for legend in legends:
        box = legend.get_window_extent(renderer)
        for ax in drawn.axes:
            assert not box.overlaps(ax.get_window_extent(renderer)), key
