"""Mistakes in units, roles, residual tasks, lift and contingents are located, all at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import drawdown
from drawdown.errors import InputError
from drawdown.scenario.io import read_scenario
from drawdown.scenario.validate import check_scenario

Edit = Callable[[Path, str, str, str], None]

UNITS = (
    "id,site,contingent,kind,category,people,rear_party_people,source,low,high\n"
    "north-bn,north,alpha,battalion,troops,200,,[E] test,,\n"
    "east-coy,east,bravo,company,troops,150,20,[E] test,,\n"
    "hub-bn,hub,charlie,battalion,troops,300,,[E] test,,\n"
    "hub-civ,hub,mission,civilian,civilian,50,,[E] test,,\n"
)
HOLDINGS = (
    "unit,owner,site,contingent,category,people,containers_teu,vehicles,cargo_class,"
    "value_usd,sensitive,source,low,high\n"
    "north-bn,coe,,,,0,40,20,general,4000000,no,[E] test,,\n"
    "north-bn,coe,,,,0,10,0,weapons,2000000,yes,[E] test,,\n"
    "east-coy,coe,,,,0,30,15,general,3000000,no,[E] test,,\n"
    "hub-bn,,,,,0,60,30,general,6000000,no,[E] test,,\n"
)
LIFT = (
    "id,kind,site,seats_each,flights_per_week,teu_per_day,vehicles_per_day,"
    "border_delay_days_mean,source,low,high\n"
    "port-charters,charter,port,270,3,,,,[E] test,,\n"
    "port-corridor,corridor,port,,,20,10,2,[E] test,,\n"
)
TASKS = "site,task,until,source,low,high\neast,poc,2023-07-20,[E] test,,\n"
CONTINGENTS = "id,handover_allowed,source\nalpha,no,[E] test\nbravo,yes,[E] test\n"


@pytest.fixture
def full_copy(tiny_copy: Path) -> Path:
    """The tiny scenario with units, lift, residual tasks, contingents and an HQ."""
    (tiny_copy / "units.csv").write_text(UNITS)
    (tiny_copy / "holdings.csv").write_text(HOLDINGS)
    (tiny_copy / "lift.csv").write_text(LIFT)
    (tiny_copy / "residual_tasks.csv").write_text(TASKS)
    (tiny_copy / "contingents.csv").write_text(CONTINGENTS)
    sites = (tiny_copy / "sites.csv").read_text().splitlines()
    header = sites[0].replace(",source,low,high", ",role,supported_by,source,low,high")
    out = [header]
    for line in sites[1:]:
        site = line.split(",")[0]
        role, sup = {"hub": ("hq", ""), "north": ("", "hub"), "east": ("", "hub")}.get(
            site, ("", "")
        )
        out.append(line.replace(",[E] test fixture", f",{role},{sup},[E] test fixture", 1))
    (tiny_copy / "sites.csv").write_text("\n".join(out) + "\n")
    return tiny_copy


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        drawdown.load_scenario(folder)
    return [str(p) for p in info.value.errors]


def test_full_folder_loads_clean(full_copy: Path) -> None:
    """A folder with every new table loads with no error and no warning, holdings filled."""
    scenario, problems = read_scenario(full_copy)
    assert scenario is not None
    problems += check_scenario(scenario)
    assert [str(p) for p in problems] == []
    assert scenario.total_people == 700 and scenario.people_at("hub") == 350
    assert {h.site for h in scenario.holdings if h.unit == "north-bn"} == {"north"}
    assert scenario.holdings[-1].owner == "coe" and scenario.holdings[-1].category == "troops"
    assert scenario.site("hub").role == "hq" and scenario.site("north").supported_by == "hub"
    assert scenario.unit("east-coy").rear_party_people == 20
    assert [c.handover_allowed for c in scenario.contingents] == [False, True]


def test_full_folder_round_trips(full_copy: Path, tmp_path: Path) -> None:
    """Saving and loading a folder with every new table gives the same scenario."""
    scenario = drawdown.load_scenario(full_copy)
    again = drawdown.load_scenario(drawdown.save_scenario(scenario, tmp_path / "again"))
    assert again == scenario and again.content_hash() == scenario.content_hash()


@pytest.mark.parametrize(
    ("file", "old", "new", "expect"),
    [
        ("units.csv", "north-bn,north,alpha", "north-bn,,alpha", "column site: Field required"),
        ("units.csv", "north-bn,north,alpha", "north-bn,nowhere,alpha", "unknown site 'nowhere'"),
        ("units.csv", "north-bn,north,alpha", "north-bn,port,alpha", "never moved"),
        ("units.csv", "north-bn,north,alpha", "north-bn,north,", "contingent: Field required"),
        ("units.csv", "150,20,", "150,200,", "rear party of 200"),
        ("units.csv", "east-coy,east", "north-bn,east", "'north-bn' appears 2 times"),
        ("holdings.csv", "east-coy,coe", "zulu-coy,coe", "unknown unit 'zulu-coy'"),
        ("holdings.csv", "east-coy,coe,,,,0", "east-coy,coe,,,,5", "people belong to units.csv"),
        ("holdings.csv", "east-coy,coe,,", "east-coy,coe,north,", "differs from its unit"),
        ("sites.csv", ",hq,,", ",hq,nowhere,", "unknown site 'nowhere'"),
        ("sites.csv", ",hq,,", ",hq,hub,", "cannot support itself"),
        ("sites.csv", "3000,,hub,", "3000,,north,", "only the HQ and hubs support"),
        ("sites.csv", "0,,,[E] test fixture", "0,team,,[E] test fixture", "only bases and hubs"),
        ("lift.csv", "charter,port,270,3", "charter,port,270,-3", "flights_per_week"),
        ("lift.csv", "charter,port", "charter,hub", "not an exit for people"),
        ("lift.csv", "corridor,port", "corridor,east", "must end at a border post or a sea port"),
        ("lift.csv", "corridor,port", "corridor,mars", "unknown site 'mars'"),
        ("residual_tasks.csv", "2023-07-20", "2023-08-15", "after the deadline"),
        ("residual_tasks.csv", "2023-07-20", "2023-06-15", "before the start"),
        ("residual_tasks.csv", "east,poc", "port,poc", "residual task holds a base or hub"),
        ("contingents.csv", "bravo,yes", "zulu,yes", "unknown contingent 'zulu'"),
    ],
)
def test_bad_withdrawal_input_is_located(
    full_copy: Path, edit: Edit, file: str, old: str, new: str, expect: str
) -> None:
    """Each bad input names its file, a row or id, the column where it applies, and a fix."""
    edit(full_copy, file, old, new)
    found = problems_of(full_copy)
    assert any(file in p and expect in p and "fix:" in p for p in found), found


def test_support_cycle_is_an_error(full_copy: Path, edit: Edit) -> None:
    """Two hubs that support each other are a loop, reported once with its path."""
    edit(full_copy, "sites.csv", ",hq,,", ",hq,east,")
    edit(full_copy, "sites.csv", "East Camp,base", "East Camp,hub")
    found = problems_of(full_copy)
    loops = [p for p in found if "circle" in p]
    assert len(loops) == 1 and "hub" in loops[0] and "east" in loops[0], found


def _with_teams(folder: Path, teams: dict[str, str]) -> None:
    sites = (folder / "sites.csv").read_text().splitlines()
    had = "closure_team" in sites[0]
    out = [sites[0] if had else sites[0].replace(",supported_by,", ",supported_by,closure_team,")]
    at = out[0].split(",").index("closure_team")
    for line in sites[1:]:
        cells = line.split(",")
        out.append(",".join([*cells[:at], teams.get(cells[0], ""), *cells[at + had :]]))
    (folder / "sites.csv").write_text("\n".join(out) + "\n")


def test_closure_team_rounds_and_errors(full_copy: Path) -> None:
    """Bases in one closure team are taken shortest first, the hub they need after them;
    a team at an exit is a located error."""
    from drawdown.scenario import closure_teams

    _with_teams(full_copy, {"north": "engineers", "east": "engineers", "hub": "engineers"})
    scenario = drawdown.load_scenario(full_copy)
    # packing days at the default rates: east 45 TEU / 150 people, north 70 TEU / 200
    assert closure_teams.rounds(scenario) == {"engineers": ("east", "north", "hub")}
    start = closure_teams.planned_pack_start(scenario)
    assert start["east"] == 0 < start["north"] < start["hub"]
    _with_teams(full_copy, {"port": "engineers"})
    found = problems_of(full_copy)
    assert any("column closure_team" in p and "only bases and hubs" in p for p in found), found


def test_charter_needs_an_airport(full_copy: Path, edit: Edit) -> None:
    """A charter at a people exit without an airport is refused with the airfield class."""
    edit(full_copy, "sites.csv", "all,airport,3000", "all,airstrip,3000")
    found = problems_of(full_copy)
    assert any("lift.csv" in p and "has no airport" in p for p in found), found


def test_all_withdrawal_problems_in_one_pass(full_copy: Path, edit: Edit) -> None:
    """Mistakes in units, holdings, lift and residual tasks come back together."""
    edit(full_copy, "units.csv", "north-bn,north,alpha", "north-bn,mars,alpha")
    edit(full_copy, "holdings.csv", "east-coy,coe", "zulu-coy,coe")
    edit(full_copy, "lift.csv", "corridor,port", "corridor,east")
    edit(full_copy, "residual_tasks.csv", "2023-07-20", "2023-08-15")
    found = problems_of(full_copy)
    files = {f for f in ("units.csv", "holdings.csv", "lift.csv", "residual_tasks.csv")}
    assert {f for f in files if any(f in p for p in found)} == files


def test_two_hqs_are_an_error(full_copy: Path, edit: Edit) -> None:
    """Only one site may be the mission HQ."""
    edit(full_copy, "sites.csv", "3000,,hub,", "3000,hq,,")
    found = problems_of(full_copy)
    assert any("2 sites are the mission HQ" in p for p in found), found


def test_old_folder_warns_about_unlimited_lift_and_no_hq(tiny: drawdown.Scenario) -> None:
    """Without lift.csv and an HQ the old behaviour stays, and validation says so."""
    warnings = [str(p) for p in check_scenario(tiny) if p.severity == "warning"]
    assert any("no charter row" in w for w in warnings)
    assert any("no corridor row" in w for w in warnings)
    assert any("mission HQ" in w for w in warnings)


def test_a_reserve_longer_than_the_withdrawal_is_an_error(full_copy: Path, edit: Edit) -> None:
    """policy.reserve_days_before_deadline must leave days to withdraw; a residual task may
    not run into the reserve. Both are located in one pass."""
    edit(
        full_copy,
        "scenario.yaml",
        "  min_guard_people:",
        "  reserve_days_before_deadline: 400\n  min_guard_people:",
    )
    found = problems_of(full_copy)
    assert any(
        "scenario.yaml" in p and "policy.reserve_days_before_deadline" in p and "fix:" in p
        for p in found
    ), found
    assert any("residual_tasks.csv" in p and "reserve" in p for p in found), found


def test_packing_factors_out_of_order_are_located(full_copy: Path, edit: Edit) -> None:
    """The slowest packing factor above the fastest is an error at closure in scenario.yaml,
    saying which comes first."""
    text = (full_copy / "scenario.yaml").read_text()
    closure = "closure:\n  packing_factor_low: 1.2\n  packing_factor_high: 0.9\n"
    (full_copy / "scenario.yaml").write_text(text.rstrip("\n") + "\n" + closure)
    found = problems_of(full_copy)
    assert any(
        "scenario.yaml" in p and "closure" in p and "slowest factor first" in p for p in found
    ), found


def test_final_steps_outside_their_range_are_located(full_copy: Path, edit: Edit) -> None:
    """The plan's final steps outside the range a run draws from is an error at closure in
    scenario.yaml, naming both ends."""
    text = (full_copy / "scenario.yaml").read_text()
    closure = (
        "closure:\n  final_steps_days: 12\n  final_steps_days_low: 5\n  final_steps_days_high: 10\n"
    )
    (full_copy / "scenario.yaml").write_text(text.rstrip("\n") + "\n" + closure)
    found = problems_of(full_copy)
    assert any(
        "scenario.yaml" in p and "closure" in p and "final_steps_days_low 5" in p for p in found
    ), found
