"""Threat calibration: geometry, rate recovery, reporting of far events, output and CLI."""

from __future__ import annotations

import datetime as dt
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

import drawdown
from drawdown.analyse.calibrate import (
    SAMPLE,
    Exposure,
    calibrate_builtin,
    calibrate_threats,
    composite_links,
    merge_threats,
    segment_distance_km,
    threats_csv,
    write_threats_csv,
)
from drawdown.analyse.incidents import incidents_from_arrays, read_acled
from drawdown.commands.calibrate import register
from drawdown.errors import InputError
from drawdown.scenario.model import Link, Scenario, Site

START, END = dt.date(2023, 1, 1), dt.date(2023, 12, 30)  # 364 days = 52 weeks
KM_PER_DEG = 6371.0088 * math.pi / 180


def along(scenario: Scenario, link_id: str, n: int, rng: np.random.Generator):
    """n points spread uniformly along a link, 1 km of sideways noise, uniform dates."""
    link = scenario.link(link_id)
    a, b = scenario.site(link.from_site), scenario.site(link.to_site)
    t = rng.uniform(0, 1, n)
    lat = a.lat + t * (b.lat - a.lat) + rng.normal(0, 1 / KM_PER_DEG, n)
    lon = a.lon + t * (b.lon - a.lon) + rng.normal(0, 1 / KM_PER_DEG, n)
    days = rng.integers(0, (END - START).days + 1, n)
    dates = np.datetime64(START) + days.astype("timedelta64[D]")
    return dates, lat, lon


@pytest.fixture(scope="module")
def mali() -> Scenario:
    """A few real Malian sites and roads, enough to place the shipped sample."""
    tiny = drawdown.load_scenario(Path(__file__).parents[1] / "data" / "tiny")
    sites = [
        Site(id=i, name=i, kind=k, lat=la, lon=lo, coverage_radius_km=r, airfield_class=af)
        for i, k, la, lo, r, af in (
            ("sevare", "hub", 14.513, -4.080, 25, "airport"),
            ("douentza", "base", 15.003, -2.950, 25, "helipad"),
            ("ogossagou", "base", 14.10, -3.62, 15, "helipad"),
            ("timbuktu", "hub", 16.730, -3.008, 25, "airport"),
            ("ber", "base", 16.70, -2.49, 25, "helipad"),
            ("gao", "hub", 16.248, -0.005, 25, "airport"),
            ("kidal", "base", 18.441, 1.407, 25, "airstrip"),
            ("aguelhok", "base", 19.465, 0.856, 25, "airstrip"),
            ("tessalit", "base", 20.243, 0.977, 25, "airstrip"),
        )
    ]
    links = [
        Link(
            id=f"{a}-{b}",
            from_site=a,
            to_site=b,
            mode="road",
            km=km,
            dry_km_per_day=200,
            corridor=c,
        )
        for a, b, km, c in (
            ("sevare", "douentza", 178, "centre"),
            ("douentza", "gao", 395, "centre"),
            ("sevare", "gao", 573, "centre"),
            ("douentza", "timbuktu", 205, "west"),
            ("ber", "timbuktu", 55, "west"),
            ("sevare", "ogossagou", 125, "centre"),
            ("gao", "kidal", 350, "north"),
            ("gao", "aguelhok", 430, "north"),
            ("aguelhok", "tessalit", 80, "north"),
            ("kidal", "aguelhok", 145, "north"),
        )
    ]
    return tiny.replace(sites=tuple(sites), links=tuple(links), threats=())


def test_segment_distance_matches_a_loop() -> None:
    """The vectorised point-to-segment distance equals a plain per-point computation."""
    rng = np.random.default_rng(1)
    lat, lon = rng.uniform(10, 20, 50), rng.uniform(-5, 5, 50)
    seg = rng.uniform([10, -5, 10, -5], [20, 5, 20, 5], (7, 4))
    d = segment_distance_km(lat, lon, seg[:, 0], seg[:, 1], seg[:, 2], seg[:, 3])
    for i in range(50):
        for j in range(7):
            a_lat, a_lon, b_lat, b_lon = seg[j]
            c = math.cos(math.radians((a_lat + b_lat) / 2)) * KM_PER_DEG
            bx, by = (b_lon - a_lon) * c, (b_lat - a_lat) * KM_PER_DEG
            px, py = (lon[i] - a_lon) * c, (lat[i] - a_lat) * KM_PER_DEG
            t = min(1.0, max(0.0, (px * bx + py * by) / (bx * bx + by * by)))
            assert d[i, j] == pytest.approx(math.hypot(px - t * bx, py - t * by), rel=1e-9)
    # A point on a segment is 0 km from it; one degree of latitude off its end is ~111 km.
    on = segment_distance_km(
        np.array([15.0, 17.0]),
        np.array([0.0, 0.0]),
        np.array([14.0]),
        np.array([0.0]),
        np.array([16.0]),
        np.array([0.0]),
    )
    assert on[0, 0] == pytest.approx(0.0, abs=1e-9) and on[1, 0] == pytest.approx(111.2, abs=0.1)


def test_recovers_known_rates(tiny: Scenario) -> None:
    """Synthetic IEDs drawn at known rates on two links give posteriors that cover them."""
    rng = np.random.default_rng(20230630)
    exposure = Exposure(convoys_per_week=5.0)
    true = {"hub-port": 2e-3, "north-hub": 5e-3}
    parts = []
    for link_id, rate in true.items():
        expected = rate * 5.0 * tiny.link(link_id).km * 52
        parts.append(along(tiny, link_id, rng.poisson(expected), rng))
    dates, lat, lon = (np.concatenate(x) for x in zip(*parts, strict=True))
    events = incidents_from_arrays(dates, lat, lon, "ied")
    result = calibrate_threats(tiny, events, start=START, end=END, buffer_km=20, exposure=exposure)
    rows = {t.target: t for t in result.threats if t.kind == "ied"}
    for link_id, rate in true.items():
        row = rows[link_id]
        assert row.low is not None and row.high is not None
        assert row.low <= rate <= row.high
        assert row.rate == pytest.approx(rate, rel=0.2)
    # east-hub had none: only the few events drawn right by the shared hub end (where
    # the links meet, nearest wins) fall to it, so its rate stays small.
    assert 0 < rows["east-hub"].rate < 0.05 * true["north-hub"]
    assert len(result.unmatched) == 0 and "ied" in result.summary()


def test_far_events_are_reported(tiny: Scenario) -> None:
    """Events far from every link or base are listed with the nearest candidate, not lost."""
    dates = np.array(["2023-03-01"] * 4, dtype="datetime64[D]")
    lat = np.array([15.5, 25.0, 15.0, 30.0])
    lon = np.array([0.0, 10.0, 0.05, 0.0])
    kind = np.array(["ied", "ambush", "base_attack", "base_attack"], dtype=object)
    result = calibrate_threats(
        tiny, incidents_from_arrays(dates, lat, lon, kind), start=START, end=END
    )
    assert len(result.matched) == 2 and len(result.unmatched) == 2
    far = result.unmatched.set_index("row")
    assert "nearest road link" in far.loc[3, "reason"] and "buffer" in far.loc[3, "reason"]
    assert "nearest base" in far.loc[5, "reason"]
    assert "unmatched row 3" in result.summary()
    assert {t.target for t in result.threats if t.kind == "base_attack"} == {"north", "east", "hub"}


def test_no_events_in_area_or_window(tiny: Scenario) -> None:
    """A file that misses the scenario's area, or its dates, is refused with the file named."""
    sample = read_acled(SAMPLE)
    with pytest.raises(InputError) as info:
        calibrate_threats(tiny, sample, start=dt.date(2022, 1, 1), end=dt.date(2023, 6, 30))
    problem = info.value.errors[0]
    assert problem.file == str(SAMPLE) and "no event falls within" in problem.message
    with pytest.raises(InputError, match="no usable events between 2010-01-01"):
        calibrate_threats(tiny, sample, start=dt.date(2010, 1, 1), end=dt.date(2010, 12, 31))


def test_sample_calibrates_on_mali(mali: Scenario, tmp_path: Path) -> None:
    """The shipped sample snaps to the right Malian roads and writes a loadable table."""
    result = calibrate_threats(
        mali, read_acled(SAMPLE), start=dt.date(2022, 1, 1), end=dt.date(2023, 6, 30)
    )
    assert len(result.unmatched) == 0 and len(result.matched) == 12
    where = dict(zip(result.matched["location"], result.matched["target"], strict=True))
    assert where["Ber-Timbuktu road"] == "ber-timbuktu"
    assert where["Tessalit"] == "aguelhok-tessalit"
    assert where["Songobia"] == "sevare-ogossagou"
    assert where["Sevare"] == "sevare"  # the April 2023 complex attack, a base attack
    # sevare-gao runs over sevare-douentza + douentza-gao: it takes no event itself and
    # gets the pooled rate of its legs.
    assert composite_links(mali) == {"sevare-gao": ("sevare-douentza", "douentza-gao")}
    pooled = result.pooled().set_index(["target", "kind"])
    legs = pooled.loc[[("sevare-douentza", "ied"), ("douentza-gao", "ied")]]
    assert pooled.loc[("sevare-gao", "ied"), "events"] == 0
    assert pooled.loc[("sevare-gao", "ied"), "pooled_events"] == legs["events"].sum()
    assert set(result.estimates["period"]) == {"all"}
    path = write_threats_csv(result.threats, tmp_path / "threats.csv")
    assert path.read_text() == threats_csv(result.threats)
    assert pd.read_csv(path).columns.tolist()[:5] == ["target", "kind", "start", "end", "rate"]


def test_pooling_periods_and_reporting(mali: Scenario) -> None:
    """Shrinkage pulls empty links towards their corridor; halving reporting doubles rates."""
    sample = read_acled(SAMPLE)
    window = {"start": dt.date(2022, 1, 1), "end": dt.date(2023, 6, 30)}
    link = calibrate_threats(mali, sample, **window).pooled().set_index(["target", "kind"])
    shrink = calibrate_threats(mali, sample, pool="shrink", **window).pooled()
    shrink = shrink.set_index(["target", "kind"])
    empty = ("ber-timbuktu", "ambush")
    assert shrink.loc[empty, "mean"] < link.loc[empty, "mean"]
    half = calibrate_threats(mali, sample, reporting_fraction=0.5, **window).pooled()
    assert np.allclose(half["mean"], 2 * link["mean"].to_numpy())
    by_period = calibrate_threats(mali, sample, period_days=182, **window).estimates
    per = by_period[(by_period["target"] == "sevare-douentza") & (by_period["kind"] == "ied")]
    assert len(per) == 4 and per.iloc[1:]["events"].sum() == per.iloc[0]["events"]


def test_merge_keeps_untouched_rows(tiny: Scenario) -> None:
    """Merging replaces calibrated (target, kind) rows and keeps the others in place."""
    rng = np.random.default_rng(7)
    dates, lat, lon = along(tiny, "north-hub", 5, rng)
    result = calibrate_threats(
        tiny, incidents_from_arrays(dates, lat, lon, "ied"), start=START, end=END
    )
    merged = merge_threats(tiny.threats, result.threats)
    keys = [(t.target, t.kind) for t in merged]
    assert len(keys) == len(set(keys))
    assert ("east", "ground_fire") in keys and ("north", "base_attack") in keys
    north = next(t for t in merged if (t.target, t.kind) == ("north-hub", "ied"))
    assert north.source.startswith("drawdown calibrate") and north.vehicles_lost_mean == 1


def test_written_table_loads_in_the_scenario(tiny_copy: Path) -> None:
    """A calibrated threats.csv drops into a scenario folder and loads."""
    tiny = drawdown.load_scenario(tiny_copy)
    rng = np.random.default_rng(3)
    dates, lat, lon = along(tiny, "hub-port", 20, rng)
    result = calibrate_threats(
        tiny, incidents_from_arrays(dates, lat, lon, "ied"), start=START, end=END
    )
    write_threats_csv(merge_threats(tiny.threats, result.threats), tiny_copy / "threats.csv")
    loaded = drawdown.load_scenario(tiny_copy)
    assert {t.target for t in loaded.threats if t.kind == "ied"} == {
        "north-hub",
        "east-hub",
        "hub-port",
    }


@pytest.mark.skipif("minusma-2023" not in drawdown.builtin_names(), reason="not built yet")
def test_calibrate_builtin(tmp_path: Path) -> None:
    """The built-in scenario's IED threats regenerate from the sample and still load."""
    folder = tmp_path / "minusma"
    shutil.copytree(
        Path(drawdown.__file__).parent / "scenario" / "builtin" / "minusma-2023", folder
    )
    before = drawdown.load_scenario(folder)
    result = calibrate_builtin(before, output=folder / "threats.csv")
    assert len(result.unmatched) == 0 and result.matched["kind"].eq("ied").all()
    after = drawdown.load_scenario(folder)
    ied = [t for t in after.threats if t.kind == "ied"]
    assert ied and all(t.source.startswith("drawdown calibrate") for t in ied)
    kept = [t for t in after.threats if t.kind != "ied"]
    assert kept == [t for t in before.threats if t.kind != "ied"]


def test_cli_writes_table_and_lets_input_errors_through(tmp_path: Path) -> None:
    """`drawdown calibrate` prints rates and writes the CSV; bad input raises InputError."""
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    tiny = Path(__file__).parents[1] / "data" / "tiny"
    events = tmp_path / "events.csv"
    rows = pd.DataFrame(
        {
            "event_date": ["2023-03-01", "2023-04-01", "2023-05-01"],
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Remote explosive/landmine/IED",
            "latitude": [15.5, 14.5, 40.0],
            "longitude": [0.0, -0.5, 0.0],
            "inter1": ["3", "3", "3"],
            "notes": "IED on a convoy",
        }
    )
    rows.to_csv(events, index=False)
    out = tmp_path / "threats.csv"
    args = [
        "calibrate",
        str(events),
        "--scenario",
        str(tiny),
        "-o",
        str(out),
        "--start",
        "2023-01-01",
        "--end",
        "2023-06-30",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "north-hub" in result.output and "Events near no link" in result.output
    written = pd.read_csv(out)
    assert {"north-hub", "hub-port"} <= set(written[written["kind"] == "ied"]["target"])
    assert "ground_fire" in set(written["kind"])  # merged: the scenario's other rows stay
    bad = CliRunner().invoke(app, [*args[:-4], "--start", "1 March"])
    assert isinstance(bad.exception, InputError)
    missing = CliRunner().invoke(
        app, ["calibrate", str(tmp_path / "none.csv"), "--scenario", str(tiny), "-o", str(out)]
    )
    assert isinstance(missing.exception, InputError)
