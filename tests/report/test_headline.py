"""The headline: each number with its interval and runs, and the optimiser's gain in words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from drawdown.plan.model import Plan
from drawdown.report.data import SimulationViews
from drawdown.report.figure_data import CARGO_OUTCOMES, HeadlineFigure
from drawdown.report.headline import gain, headline, intervals_text, people_out_text
from drawdown.scenario.model import Scenario
from drawdown.scenario.overrides import apply_overrides, parse_overrides

RUNS = 10


def _views(**columns: object) -> SimulationViews:
    """Views of ten made-up runs: only the per-run outcomes matter to the headline."""
    outcomes = {
        "all_out": [True] * 9 + [False],
        "completion_day": [10.0, 11, 12, 13, 14, 15, 16, 17, 18, np.nan],
        "killed": [0.0] * 9 + [2.0],
        "wounded": [1.0] * RUNS,
        "cost_usd": [3.2e6] * RUNS,
        "protection_gap_person_days": [4.2e5] * RUNS,
        "teu_repatriated": [80.0] * RUNS,
        "teu_handed_over": [10.0] * RUNS,
        "teu_destroyed": [5.0] * RUNS,
        "teu_lost": [5.0] * RUNS,
        "teu_remaining": [0.0] * RUNS,
    } | columns
    empty = pd.DataFrame()
    return SimulationViews(
        runs=RUNS,
        seed=1,
        closure=empty,
        people=empty,
        cargo_outcome_teu=empty,
        incidents=empty,
        uncovered=empty,
        outcomes=pd.DataFrame(outcomes),
    )


def _by_label(figures: tuple[HeadlineFigure, ...]) -> dict[str, HeadlineFigure]:
    return {f.label: f for f in figures}


def test_every_number_carries_its_runs(tiny: Scenario, tiny_plan: Plan) -> None:
    """Each headline figure says how many runs are behind it and gives an interval."""
    figures = headline(tiny, tiny_plan, _views())
    assert len(figures) == 5 + len(CARGO_OUTCOMES)  # on time, last out, casualties, cost, gap
    for f in figures:
        assert f.runs == RUNS, f.label
        assert f.interval, f.label


def test_on_time_share_with_wilson_interval(tiny: Scenario, tiny_plan: Plan) -> None:
    """9 of 10 runs on time: 90% with the Wilson 95% interval 60%–98%, and the deadline."""
    f = _by_label(headline(tiny, tiny_plan, _views()))["All people out by the deadline"]
    assert (f.value, f.interval) == ("90%", "95% interval 60%–98%")
    assert f.note == "deadline 30 Jul 2023"
    every = _by_label(headline(tiny, tiny_plan, _views(all_out=[True] * RUNS)))
    assert every["All people out by the deadline"].interval == "95% interval 72%–100%"


def test_the_deadline_note_names_the_day_the_plan_aims_at(tiny: Scenario, tiny_plan: Plan) -> None:
    """With a reserve the note gives the day the plan aims at; without one, a plan at risk
    (under 90% of runs on time) is pointed to the reserve, as `drawdown run` does."""
    reserved = apply_overrides(
        tiny, parse_overrides(["policy.reserve_days_before_deadline=5"], tiny)
    )
    f = _by_label(headline(reserved, tiny_plan, _views()))["All people out by the deadline"]
    assert f.note == "deadline 30 Jul 2023; the plan aims at 25 Jul 2023 (5 days of reserve)"
    late = _views(all_out=[True] * 8 + [False] * 2)
    at_risk = _by_label(headline(tiny, tiny_plan, late))["All people out by the deadline"]
    assert at_risk.note == (
        "deadline 30 Jul 2023; the plan aims at the deadline itself: a reserve "
        "(policy.reserve_days_before_deadline) brings it forward"
    )
    # 9 of 10 on time is not at risk: the note is the deadline alone (the test above)


def test_last_person_out_counts_runs_that_never_finish(tiny: Scenario, tiny_plan: Plan) -> None:
    """Median and P10–P90 of the last day as dates; a run that never finished is 'never'."""
    f = _by_label(headline(tiny, tiny_plan, _views()))["Last person out (median)"]
    # Sorted days 10..18 and one never: P10 is the 1st run, the median the 5th, P90 the 9th.
    assert f.value == "15 Jul 2023"
    assert f.interval == "P10 11 Jul 2023 – P90 19 Jul 2023"
    assert f.note == "1 runs never finished"
    stuck = _by_label(headline(tiny, tiny_plan, _views(completion_day=[np.nan] * RUNS)))
    assert stuck["Last person out (median)"].value == "never"


def test_casualties_cost_and_protection(tiny: Scenario, tiny_plan: Plan) -> None:
    """Expected casualties with P90 and killed, cost in USD and the gap in M person-days."""
    figures = _by_label(headline(tiny, tiny_plan, _views()))
    casualties = figures["Casualties (killed + wounded), expected"]
    assert casualties.value == "1.2" and casualties.interval.startswith("P90 1 ")
    assert casualties.note == "of which killed: 0.2 expected, P90 0"
    assert figures["Cost"].value == "$3.2 M"
    gap = figures["Protection gap"]
    assert gap.value == "0.42 M person-days"
    assert gap.note.endswith(
        f"to {tiny.manifest.protection_horizon or tiny.manifest.deadline:%d %b %Y}"
    )


def test_cargo_outcome_shares_of_all_containers(tiny: Scenario, tiny_plan: Plan) -> None:
    """Each cargo outcome is a share of every container, the shares adding up to 100%."""
    figures = _by_label(headline(tiny, tiny_plan, _views()))
    shown = {
        "Equipment repatriated": ("80.0%", "80 TEU on average"),
        "Equipment handed over": ("10.0%", "10 TEU on average"),
        "Equipment destroyed": ("5.0%", "5 TEU on average"),
        "Equipment lost": ("5.0%", "5 TEU on average"),
        "Equipment left in theatre at the end": ("0.0%", "0 TEU on average"),
    }
    for label, (value, note) in shown.items():
        assert (figures[label].value, figures[label].note) == (value, note), label
    none = {f"teu_{o}": [0.0] * RUNS for o in CARGO_OUTCOMES}
    empty = _by_label(headline(tiny, tiny_plan, _views(**none)))
    assert empty["Equipment repatriated"].value == "0.0%"  # no containers: 0, not NaN


def test_gain_over_the_baseline(tiny_plan: Plan, tiny_baseline: Plan) -> None:
    """Gain is greedy minus optimised per term, with a verdict on the total."""
    frame, note = gain(tiny_plan, tiny_baseline)
    assert frame is not None
    assert frame.loc["total", "gain"] == pytest.approx(0.3 * 5.81e6)
    assert (frame["gain"] == frame["greedy"] - frame["optimised"]).all()
    assert "$1.7 M lower than the greedy baseline's (23.1% of the baseline)" in note


def test_gain_when_there_is_nothing_to_compare(tiny_plan: Plan, tiny_baseline: Plan) -> None:
    """No baseline, the same method, or a baseline that did better: each is said plainly."""
    assert gain(tiny_plan, None) == (None, "No greedy baseline was compared in this run.")
    same, note = gain(tiny_baseline, tiny_baseline)
    assert same is None and "no gain to show" in note
    better = Plan(
        **{
            **tiny_baseline.__dict__,
            "objective": {k: v * 0.5 for k, v in tiny_plan.objective.items()},
        }
    )
    _, worse = gain(tiny_plan, better)
    assert "HIGHER than the greedy baseline's" in worse


def _people(tiny: Scenario, remaining_at: dict[int, float]) -> tuple[Scenario, SimulationViews]:
    """Tiny with a deadline of 15 Sep and views whose median people in theatre pass through
    `remaining_at` (day: people), linearly between."""
    import datetime as dt

    manifest = tiny.manifest.model_copy(update={"deadline": dt.date(2023, 9, 15)})
    scenario = tiny.replace(manifest=manifest)
    days = np.arange(scenario.horizon_days)
    median = np.interp(days, list(remaining_at), list(remaining_at.values()))
    people = pd.DataFrame({0.1: median, 0.5: median, 0.9: median}, index=days)
    views = _views()
    return scenario, SimulationViews(**{**views.__dict__, "people": people})


def test_people_out_by_month_end(tiny: Scenario, tiny_plan: Plan) -> None:
    """The headline says the share of people out at each month end (and the deadline), for
    the median run and for the plan, stopping once everyone is out."""
    scenario, views = _people(tiny, {0: 700, 30: 420, 61: 140, 76: 0})
    (text,) = people_out_text(scenario, tiny_plan, views)
    assert text == (
        "People out of the theatre (median of 10 runs): 40% by 31 Jul, 80% by 31 Aug, "
        "100% by 15 Sep. In the plan: 100% by 31 Jul."
    )


def test_the_headline_says_what_its_intervals_are_over(tiny: Scenario) -> None:
    """The intervals are this plan's stress test; a scenario declaring uncertainties is told
    they are not drawn, and where they are; one declaring none is not."""
    views = _views()
    (text,) = intervals_text(tiny, views)
    assert text.startswith("Every interval is over the 10 runs of this one plan")
    declared = len(tiny.manifest.uncertainties)
    assert (f"{declared} declared uncertainties" in text) == (declared > 0)
    bare = tiny.model_copy(
        update={"manifest": tiny.manifest.model_copy(update={"uncertainties": ()})}
    )
    (text,) = intervals_text(bare, views)
    assert "declared" not in text


def test_people_out_is_rounded_down(tiny: Scenario, tiny_plan: Plan) -> None:
    """Three of 700 people still in theatre is 99% out, never a rounded-up 100%."""
    scenario, views = _people(tiny, {0: 700, 76: 3})
    (text,) = people_out_text(scenario, tiny_plan, views)
    assert "99% by 15 Sep" in text and "100% by 15 Sep" not in text.split(". In")[0]


def test_an_outcome_the_folder_lacks_is_shown_as_not_available(
    tiny: Scenario, tiny_plan: Plan
) -> None:
    """Results without an `abandoned` column keep the card, saying it is not available,
    while the other shares stay shares of every recorded container."""
    figures = _by_label(headline(tiny, tiny_plan, _views()))
    abandoned = figures["Equipment abandoned"]
    assert (abandoned.value, abandoned.interval) == ("n/a", "not available in this results folder")
    assert figures["Equipment repatriated"].value == "80.0%"
    with_it = _by_label(headline(tiny, tiny_plan, _views(teu_abandoned=[10.0] * RUNS)))
    assert with_it["Equipment abandoned"].value == "9.1%"  # 10 of 110 TEU
