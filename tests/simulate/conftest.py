"""Fixtures of the simulation tests: tiny scenario variants and hand-made plans for them."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the plan builder beside these tests
from plans import batch_plan  # noqa: E402

from drawdown.plan.model import Plan
from drawdown.scenario.model import Aircraft, Clearance, Event, Link, Scenario


@pytest.fixture(scope="session")
def quiet(tiny: Scenario) -> Scenario:
    """The tiny scenario with every disruption switched off."""
    return tiny.replace(clearances=(), threats=(), events=())


@pytest.fixture(scope="session")
def tiny_plan(tiny: Scenario) -> Plan:
    return batch_plan(tiny)


@pytest.fixture(scope="session")
def quiet_plan(quiet: Scenario) -> Plan:
    return batch_plan(quiet)


def _all_year(tiny: Scenario) -> tuple[dt.date, dt.date]:
    return tiny.manifest.start_date, tiny.manifest.deadline + dt.timedelta(days=400)


@pytest.fixture(scope="session")
def roads_refused(quiet: Scenario) -> Scenario:
    """No road clearance is ever given; helicopters can reach the northern camp."""
    start, end = _all_year(quiet)
    helo = Aircraft(id="helo", count=4, people_each=20, sorties_per_day=3, min_runway_m=0)
    north_air = Link.model_validate(
        {"id": "north-hub-air", "from": "north", "to": "hub", "mode": "air", "km": 200}
    )
    return quiet.replace(
        clearances=(Clearance(mode="road", start=start, end=end, approval=0.0),),
        aircraft=(*quiet.aircraft, helo),
        links=(*quiet.links, north_air),
    )


@pytest.fixture(scope="session")
def stranded(quiet: Scenario) -> Scenario:
    """No aircraft, and every road closed from the first day."""
    start, _ = _all_year(quiet)
    closures = tuple(
        Event(id=f"cut-{link.id}", kind="link_closed", target=link.id, date=start)
        for link in quiet.links
        if link.mode == "road"
    )
    return quiet.replace(aircraft=(), events=closures)
