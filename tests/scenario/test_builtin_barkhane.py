"""The built-in barkhane-mali-2022 hindcast is clean, knows nothing after 17 Feb 2022, and ships
its record beside it in the actuals format, never read as an input."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import drawdown
from drawdown.analyse.check import read_actuals
from drawdown.scenario.io import BUILTIN_DIR, RECORD, builtin_names, builtin_record, read_scenario
from drawdown.scenario.model import Scenario
from drawdown.scenario.tables import TABLES
from drawdown.scenario.validate import check_scenario

NAME = "barkhane-mali-2022"
START = dt.date(2022, 2, 17)  # the decision: what the scenario may know
DEADLINE = dt.date(2022, 8, 17)  # 17 Feb + the 6 months of Macron's 4-6 month estimate
HANDOVERS = {
    "gossi": dt.date(2022, 4, 19),
    "menaka": dt.date(2022, 6, 13),
    "gao": dt.date(2022, 8, 15),
}
# Outlets whose articles on the withdrawal appeared after 17 Feb 2022: a row citing one may
# only take from it the state at the start (tag [P]), never how the withdrawal went.
LATER_OUTLETS = (
    "Operationnels",
    "Libre Info",
    "RTBF",
    "Bamada/Afrik.com",
    "PressAfrik",
    "Nouvelle Afrique Magazine",
    "Nouvelle d'Afrique",
    "Le Figaro",
    "Altusintel",
    "Africanews",
    "Ministry of the Armies",
    "Raids",
)
TABLE_ROWS = (
    "sites",
    "units",
    "holdings",
    "links",
    "trucks",
    "escorts",
    "aircraft",
    "clearances",
    "threats",
    "events",
    "residual_tasks",
    "lift",
    "contingents",
)


@pytest.fixture(scope="module")
def barkhane() -> Scenario:
    return drawdown.load_scenario(NAME)


def test_listed_and_loads_without_errors_or_warnings() -> None:
    """It is a discovered built-in, and reading plus every check reports nothing at all."""
    assert NAME in builtin_names()
    scenario, problems = read_scenario(NAME)
    assert scenario is not None
    problems += check_scenario(scenario)
    assert [str(p) for p in problems] == []


def test_nothing_dated_after_the_start_but_period_ends(barkhane: Scenario) -> None:
    """Only period ends and the deadline lie after 17 Feb 2022; no event happens later."""
    m = barkhane.manifest
    assert (m.start_date, m.deadline) == (START, DEADLINE)
    for row in (*barkhane.clearances, *barkhane.threats):
        assert row.start <= START and row.end <= DEADLINE
    for event in barkhane.events:
        assert event.date <= START
    for task in barkhane.residual_tasks:
        assert task.until <= DEADLINE


def test_later_sources_give_only_the_starting_state(barkhane: Scenario) -> None:
    """Every row citing an article published after the start is tagged [P]."""
    untagged = [
        (attribute, outlet, row.source[:60])
        for attribute in TABLE_ROWS
        for row in getattr(barkhane, attribute)
        for outlet in LATER_OUTLETS
        if outlet in row.source and "[P]" not in row.source
    ]
    assert untagged == []


def test_sites_roles_and_totals_match_the_precedents(barkhane: Scenario) -> None:
    """Gao is the HQ hub supporting Gossi and Menaka; ~2,500 people, 5,700 TEU, 1,000 vehicles."""
    closable = {s.id: s for s in barkhane.sites if s.kind in ("base", "hub")}
    assert set(closable) == set(HANDOVERS)
    assert closable["gao"].role == "hq" and closable["gao"].kind == "hub"
    assert {closable[s].supported_by for s in ("gossi", "menaka")} == {"gao"}
    assert barkhane.site("niamey").exit_for == "all"
    assert 2_400 <= barkhane.total_people <= 2_500
    assert barkhane.people_at("gossi") == 300
    assert barkhane.total_containers_teu == pytest.approx(5_700)
    assert barkhane.total_vehicles == 1_000
    gossi_teu = sum(h.containers_teu for h in barkhane.holdings if h.site == "gossi")
    assert gossi_teu == pytest.approx(400)
    assert all(h.sensitive for h in barkhane.holdings if h.cargo_class in ("weapons", "armour"))


def test_generic_closure_rates_and_policy_are_minusma_values(barkhane: Scenario) -> None:
    """The closure block and the policy are the generic defaults, copied exactly, but for
    the planning reserve: a mission's own choice (UN practice for MINUSMA, none stated for
    Barkhane), not a generic rate."""
    minusma = drawdown.load_scenario("minusma-2023").manifest
    assert barkhane.manifest.closure == minusma.closure
    own = {"reserve_days_before_deadline": 0}
    assert barkhane.manifest.policy.model_copy(update=own) == minusma.policy.model_copy(update=own)


def test_record_parses_and_names_only_sites_of_the_scenario(barkhane: Scenario) -> None:
    """record.csv reads in the actuals format: the three handovers and two dated TEU counts."""
    record = builtin_record(NAME)
    assert record == BUILTIN_DIR / NAME / RECORD
    observations = read_actuals(record, barkhane)
    site_ids = {s.id for s in barkhane.sites}
    assert {o.site for o in observations if o.site} <= site_ids
    closures = {o.site: o.date for o in observations if o.kind == "closure"}
    assert closures == HANDOVERS
    teu = {o.date: o.value for o in observations if o.kind == "teu_departed"}
    assert teu == {dt.date(2022, 7, 5): 3_300, dt.date(2022, 8, 15): 5_700}
    assert all(o.source for o in observations)


def test_record_is_never_read_as_an_input(barkhane: Scenario, tmp_path: Path) -> None:
    """The scenario loads to the same content without its record; no table file is named so."""
    assert RECORD not in {t.file for t in TABLES}
    copy = tmp_path / NAME
    shutil.copytree(BUILTIN_DIR / NAME, copy)
    (copy / RECORD).unlink()
    assert drawdown.load_scenario(copy).content_hash() == barkhane.content_hash()


def test_builtin_record_only_for_built_ins_that_ship_one() -> None:
    """A built-in without a record, or an unknown name, has none."""
    assert builtin_record("minusma-2023") is None
    assert builtin_record("no-such-scenario") is None
