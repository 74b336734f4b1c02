"""Property tests: valid scenarios load; any corruption is an InputError, never a crash."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import drawdown
from drawdown.errors import InputError
from drawdown.scenario.model import (
    Aircraft,
    ContingentPolicy,
    Escort,
    Holding,
    Lift,
    Link,
    Manifest,
    ResidualTask,
    Scenario,
    Site,
    Truck,
    Unit,
)
from drawdown.scenario.validate import great_circle_km

TINY = Path(__file__).parents[1] / "data" / "tiny"
FILES = [
    "sites.csv",
    "holdings.csv",
    "links.csv",
    "assets.csv",
    "clearances.csv",
    "threats.csv",
    "events.csv",
]
NASTY = st.sampled_from(
    [
        "",
        "-1",
        "abc",
        "1e999",
        "nan",
        "2023-02-30",
        "yes",
        "∞",
        ",",
        '"',
        "999999999999999999999",
        "0",
        "-0.5",
        " ",
        "north",
        "1-13",
    ]
)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A random but valid star-shaped mission: bases linked by road to one hub and exit."""
    n_bases = draw(st.integers(1, 6))
    sites = [
        Site(id="hub", name="Hub", kind="hub", role="hq", lat=0.0, lon=0.0, source="[E] gen"),
        Site(
            id="exit",
            name="Exit",
            kind="exit",
            exit_for="all",
            airfield_class="airport",
            lat=1.0,
            lon=1.0,
            source="[E] gen",
        ),
    ]
    links = [
        Link(
            id="hub-exit",
            from_site="hub",
            to_site="exit",
            mode="road",
            km=500.0,
            dry_km_per_day=250.0,
            wet_km_per_day=100.0,
            corridor="c",
            source="[E] gen",
        )
    ]
    holdings = []
    units = []
    with_units = draw(st.booleans())  # a units.csv folder, or an old one whose units derive
    for i in range(n_bases):
        lat, lon = draw(st.floats(-30, 30)), draw(st.floats(-30, 30))
        # a road is no shorter than the straight line to the hub at (0, 0) (check_coordinates)
        km = max(draw(st.floats(1, 2000)), great_circle_km(lat, lon, 0.0, 0.0))
        sites.append(
            Site(
                id=f"b{i}",
                name=f"Base {i}",
                kind="base",
                lat=lat,
                lon=lon,
                population_covered=draw(st.integers(0, 10**6)),
                supported_by=draw(st.sampled_from(["", "hub"])),
                source="[E] gen",
            )
        )
        months = draw(st.sets(st.integers(1, 12), min_size=1))
        links.append(
            Link(
                id=f"b{i}-hub",
                from_site=f"b{i}",
                to_site="hub",
                mode="road",
                km=km,
                dry_km_per_day=200.0,
                wet_km_per_day=draw(st.floats(10, 200)),
                passable_months=tuple(sorted(months)),
                corridor="c",
                source="[E] gen",
            )
        )
        people = draw(st.integers(1, 5000))  # a unit has people (units derive from them)
        if with_units:
            units.append(
                Unit(
                    id=f"u{i}",
                    site=f"b{i}",
                    contingent=f"k{i}",
                    kind=draw(st.sampled_from(["battalion", "company", "enabling", "staff"])),
                    category="troops",
                    people=people,
                    rear_party_people=draw(st.none() | st.integers(0, people)),
                    source="[E] gen",
                )
            )
        holdings.append(
            Holding(
                unit=f"u{i}" if with_units else "",
                owner=draw(st.sampled_from(["", "coe", "un"])),
                site=f"b{i}",
                contingent=f"k{i}",
                category="troops",
                people=0 if with_units else people,
                containers_teu=draw(st.floats(0, 1000)),
                vehicles=draw(st.integers(0, 500)),
                sensitive=draw(st.booleans()),
                source="[E] gen",
            )
        )
    start = draw(st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)))
    manifest = Manifest(
        name="generated",
        start_date=start,
        deadline=start + dt.timedelta(days=draw(st.integers(0, 400))),
    )
    deadline = manifest.deadline
    tasks = tuple(
        ResidualTask(
            site=f"b{i}",
            task="poc",
            until=draw(st.dates(start, deadline)),
            source="[E] gen",
        )
        for i in range(draw(st.integers(0, n_bases)))
    )
    lift = (
        Lift(
            id="air",
            kind="charter",
            site="exit",
            seats_each=draw(st.integers(0, 400)),
            flights_per_week=draw(st.floats(0, 20)),
            source="[E] gen",
        ),
        Lift(
            id="road",
            kind="corridor",
            site="exit",
            teu_per_day=draw(st.floats(0, 100)),
            vehicles_per_day=draw(st.floats(0, 100)),
            border_delay_days_mean=draw(st.floats(0, 10)),
            source="[E] gen",
        ),
    )
    contingents = tuple(
        ContingentPolicy(id=f"k{i}", handover_allowed=draw(st.booleans()), source="[E] gen")
        for i in range(draw(st.integers(0, n_bases)))
    )
    return Scenario(
        manifest=manifest,
        sites=tuple(sites),
        holdings=tuple(holdings),
        units=tuple(units),
        residual_tasks=tasks,
        lift=lift,
        contingents=contingents,
        links=tuple(links),
        trucks=(Truck(id="t", count=draw(st.integers(0, 1000)), teu_each=2, source="[E] gen"),),
        escorts=(
            Escort(id="e", corridor="c", convoys_per_day=1, trucks_per_convoy=20, source="[E] gen"),
        ),
        aircraft=(Aircraft(id="h", count=1, people_each=20, sorties_per_day=2, source="[E] gen"),),
    )


@given(scenarios())
@settings(max_examples=30, deadline=None)
def test_any_valid_scenario_saves_loads_and_validates(scenario: Scenario) -> None:
    """A generated valid scenario passes validation and round-trips through its files."""
    assert scenario.units and all(h.unit and h.owner and not h.people for h in scenario.holdings)
    with tempfile.TemporaryDirectory() as folder:
        drawdown.save_scenario(scenario, Path(folder) / "s")
        assert drawdown.load_scenario(Path(folder) / "s") == scenario


@given(scenarios())
@settings(max_examples=30, deadline=None)
def test_people_are_conserved_by_units(scenario: Scenario) -> None:
    """Whether units come from units.csv or are derived, they hold every person, by site."""
    by_site = scenario.people_by("site")
    assert sum(by_site.values()) == scenario.total_people
    assert all(scenario.people_at(site) == n for (site,), n in by_site.items())
    assert {u.id for u in scenario.units} >= {h.unit for h in scenario.holdings}


@given(file=st.sampled_from(FILES), row=st.integers(0, 8), column=st.integers(0, 16), text=NASTY)
@settings(max_examples=120, deadline=None)
def test_any_corruption_is_an_input_error_not_a_crash(
    file: str, row: int, column: int, text: str
) -> None:
    """Overwriting any cell with bad text either still loads or raises InputError."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "tiny"
        shutil.copytree(TINY, target)
        path = target / file
        rows = list(csv.reader(io.StringIO(path.read_text())))
        r = rows[min(row, len(rows) - 1)]
        r[min(column, len(r) - 1)] = text
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue())
        try:
            drawdown.load_scenario(target)
        except InputError as exc:
            assert exc.errors and all(p.file and p.message for p in exc.errors)
