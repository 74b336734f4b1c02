"""The generic rates come from past withdrawals, and the model is held to their record."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from drawdown.analyse import forecast_record
from drawdown.analyse.precedents import KNOWN_BY, compare, derive, load_facts
from drawdown.scenario.io import load_scenario

TINY = Path(__file__).parents[1] / "data" / "tiny"
DOCS = Path(__file__).parents[2] / "docs" / "background" / "forecast-record.md"


def test_every_fact_is_sourced_dated_and_known_by_the_forecast() -> None:
    """No fact after 30 June 2023 (the MINUSMA forecast's date) feeds a rate; each has a
    source and a unit."""
    facts = load_facts()
    assert len(facts) >= 15
    for f in facts.values():
        assert f.date <= KNOWN_BY, f.id
        assert f.source.strip() and f.unit.strip(), f.id


def test_the_rates_are_the_arithmetic_of_the_facts() -> None:
    """Hand-checked: Gossi's 400 TEU by 300 people in 40 days; the final steps of Timbuktu
    (9 to 14 Dec 2021), Menaka (6 to 13 Jun 2022) and Kidal (about ten days), the middle
    one planned; Barkhane's 2,400 TEU in its last 41 days; 150 + 100
    last guards of 2,800 people."""
    d = derive()
    assert d["closure.teu_packed_per_person_day"].value == 0.033  # 400 / 12,000 = 0.0333
    assert d["closure.final_steps_days"].value == 7  # Timbuktu 5, Menaka 7, Kidal 10
    assert d["closure.final_steps_days_low"].value == 5
    assert d["closure.final_steps_days_high"].value == 10
    assert d["closure.max_teu_packed_per_day"].value == 60  # 58.5 to the nearest 10
    assert d["closure.min_packing_days"].value == 35  # 6 weeks less 7 days of final steps
    assert d["policy.rear_party_share"].value == 0.1  # 0.089 to the nearest 5%
    assert d["policy.guard_people_per_attack_per_month"].value == 1200  # 150 / 0.130
    assert d["lift.corridor.teu_per_day"].value == 25  # 3,300 / 138 = 23.9
    # Gao-Kidal 2 x 400 km in 6 + 3 days, Gao-Tessalit 2 x 600 km in 15 - 2: 2,000 / 22 = 90.9
    assert d["links.desert_track.dry_km_per_day"].value == 90
    for item in d.values():
        assert item.facts and item.basis, item.parameter
        assert set(item.facts) <= set(load_facts()), item.parameter


@pytest.mark.parametrize("name", ["minusma-2023", "barkhane-mali-2022"])
def test_the_built_ins_use_exactly_the_derived_rates(name: str) -> None:
    """Both built-ins carry every rate the precedents give, unchanged: the closure work, the
    rear parties and guard, the charter seats (and MINUSMA's main corridors)."""
    rows = compare(load_scenario(name))
    compared = {r.parameter for r in rows}
    assert {p for p in derive() if p.startswith(("closure.", "policy."))} <= compared
    assert "lift.charter.seats_each" in compared
    assert [r.parameter for r in rows if not r.matches] == []


def test_minusma_drives_the_tilemsi_tracks_at_the_convoys_rate() -> None:
    """The desert tracks Barkhane's Kidal and Tessalit convoys drove in October 2021 carry
    their rate in MINUSMA (Barkhane's 2022 withdrawal drove none of them)."""
    rows = {r.parameter: r for r in compare(load_scenario("minusma-2023"))}
    tracks = rows["links.desert_track.dry_km_per_day"]
    assert tracks.matches and len(tracks.used) == 8
    for link in ("gao-kidal", "gao-tessalit", "anefis-aguelhok"):
        assert link in tracks.where
    assert "links.desert_track.dry_km_per_day" not in {
        r.parameter for r in compare(load_scenario("barkhane-mali-2022"))
    }


def test_cli_precedents_prints_the_rates_and_flags_a_scenario_that_differs(cli) -> None:  # noqa: ANN001
    code, text = cli("precedents", "minusma-2023")
    assert code == 0, text
    assert "closure.teu_packed_per_person_day" in text and "Gossi" in text
    code, text = cli("precedents", str(TINY))  # tiny's hand-solved flat guard
    assert code == 1
    assert "differs on: policy.guard_people_per_attack_per_month" in " ".join(text.split())


@pytest.fixture(scope="module")
def barkhane() -> forecast_record.CaseScore:
    return forecast_record.score("barkhane-mali-2022")


@pytest.fixture(scope="module")
def barkhane_declared(barkhane: forecast_record.CaseScore) -> forecast_record.CaseScore:
    return forecast_record.with_declared(barkhane)


def test_the_forecast_record_page_is_what_the_scores_say(
    barkhane_declared: forecast_record.CaseScore,
) -> None:
    """docs/background/forecast-record.md is generated from these very scores."""
    assert forecast_record.cases() == ["barkhane-mali-2022"]
    assert DOCS.read_text(encoding="utf-8") == forecast_record.markdown([barkhane_declared]), (
        "regenerate: python -m drawdown.analyse.forecast_record > " + str(DOCS)
    )


def test_over_its_declared_uncertainties_every_barkhane_handover_is_inside(
    barkhane_declared: forecast_record.CaseScore,
) -> None:
    """With its declared ranges drawn too (20 sets, each planned afresh), every handover
    lies inside its 80% interval, none wider than six weeks (19, 37 and 28 days today): the
    default check's Gao miss is within what the scenario declares it does not know."""
    pooled = barkhane_declared.declared
    assert pooled is not None and pooled.declared_sets == forecast_record.DECLARED_SETS
    assert pooled.runs == barkhane_declared.check.runs
    closures = pooled.scores[pooled.scores["kind"] == "closure"]
    assert len(closures) == 3 and bool(closures["in_80"].all()), closures
    assert ((closures["q90"] - closures["q10"]) <= forecast_record.MAX_INTERVAL_DAYS).all()


def test_barkhane_keeps_its_record_within_the_drift_guards(
    barkhane: forecast_record.CaseScore,
) -> None:
    """What the model achieves beyond issue 13's bounds (`test_barkhane_meets_the_record_
    bounds`), held so a later change cannot drift it away from the record: the handovers
    come in the observed order, each median within 9 days of its date (Gossi -7, Menaka +8,
    Gao -9; -7, -7 and +1 until the plan stopped writing off 65 TEU of Menaka's stores)."""
    c = barkhane.closures
    assert len(c) == 3
    assert barkhane.check.closure_order_spearman == pytest.approx(1.0)
    assert (abs(c["median"] - c["observed"]) <= 9).all(), c


def test_barkhane_scores_its_container_counts(barkhane: forecast_record.CaseScore) -> None:
    """The record's two counts of containers out of Mali are scored, none set aside; each
    median is held within 1,600 TEU of its count (1,394 and 2 today; 1,264 and 348, within
    1,500, until a route came to be cleared once at its origin, as the plan reads it: asked
    again at Gao, Gossi's and Menaka's convoys on to Niamey had been refused twice as often
    as planned), and no run has more out than the plan repatriates: everything, now that
    the plan writes nothing off."""
    counts = barkhane.container_counts
    assert barkhane.check.unscored == ()
    assert list(counts["date"]) == ["2022-07-05", "2022-08-15"]
    assert list(counts["observed"]) == [3_300.0, 5_700.0]
    assert (abs(counts["median"] - counts["observed"]) <= 1_600).all(), counts
    repatriated, total = barkhane.repatriated_teu
    assert total == pytest.approx(5_700.0)
    assert (counts["q10"] <= counts["median"]).all()
    assert repatriated == pytest.approx(total)
    # TEU out are counted in whole TEU: the plan's repatriated TEU is rounded up
    assert (counts["q90"] <= math.ceil(repatriated)).all()
    assert counts["median"].is_monotonic_increasing  # more out by the later date


def test_barkhane_meets_the_record_bounds(barkhane: forecast_record.CaseScore) -> None:
    """Issue 13's bounds on the handovers' forecasts: intervals at most six weeks wide,
    median closure error at most 10 days (that every handover lies inside its interval,
    and the container counts' bound, are the next tests)."""
    assert barkhane.widest_interval_days <= forecast_record.MAX_INTERVAL_DAYS
    assert barkhane.median_error_days <= forecast_record.MAX_MEDIAN_ERROR_DAYS
    assert math.isfinite(barkhane.median_error_days)
    assert barkhane.inside_80 >= len(barkhane.closures) - 1  # Gossi and Menaka; Gao below


@pytest.mark.xfail(
    strict=True,
    reason="not met (see docs/background/forecast-record.md): Gao's handover, the night of "
    "14-15 August 2022 (day 179), is forecast on day 170 (80% interval 168-175): the plan "
    "ships everything by day 161 at ~35 TEU a day and closes Gao on day 172, where Barkhane "
    "took until the end of its 'end of summer' target. Gao was inside (176-181) only while "
    "the plan's whole convoys left 65 TEU of Menaka's stores behind, written off at ten "
    "times their value; the plan that ships them costs 7.8% less. Within the declared "
    "uncertainty it is: with half the estimated air fleet (aircraft.*.count x0.5) Gao's "
    "interval is 171-181; the stress test does not draw the declared ranges, so its "
    "interval is as narrow as the clearances, packing and final steps make it; drawn too, "
    "each set planned afresh (check --declared 20), it is 153-181",
)
def test_barkhane_handovers_are_inside_their_80_intervals(
    barkhane: forecast_record.CaseScore,
) -> None:
    """Issue 13's bound: every handover date inside its simulated 80% interval."""
    assert barkhane.inside_80 == len(barkhane.closures), barkhane.closures


@pytest.mark.xfail(
    strict=True,
    reason="not met (see docs/background/forecast-record.md): by 5 July 2022 the model has "
    "4,694 TEU out against the record's 3,300 (80% interval 4,642-4,704); by 15 August "
    "5,698 (5,664-5,700) against 5,700 is inside. The record's pace rose from ~24 TEU a day "
    "to ~60 in the last six weeks; the model's capacity is the same every day. Not fitted "
    "to the record it is scored on: the Gao-Niamey road's throughput at the record's own 24 "
    "a day gave 3,122 and 4,026 with Gossi and Menaka five weeks early; that rate rising to "
    "60 a day in the last six weeks (the precedents' own planning figure) gave 3,034 and "
    "4,588 with Menaka a month early; holding Gao's enabling units' cargo until Menaka "
    "closed gave 3,734 and 5,024 with Menaka five weeks early; a unit's kit leaving at most "
    "five weeks before its main body gave 4,704 and 5,528 with Gao a week early; half the "
    "estimated air fleet gives 4,562 by 5 July",
)
def test_barkhane_container_counts_are_inside_their_80_intervals(
    barkhane: forecast_record.CaseScore,
) -> None:
    """Issue 13's other bound: each dated count of containers out of Mali inside the
    simulated 80% interval of that date."""
    counts = barkhane.container_counts
    assert bool(counts["in_80"].all()), counts
