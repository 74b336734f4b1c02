"""Checks of the withdrawal tables: units, site roles, residual tasks, strategic lift, owners.

Like `validate`, each check returns located `Problem`s (file, row and column, fix hint) so
that every mistake is reported in one pass. Rows are numbered as in the file (row 1 is the
header); holdings rows that held only people in an old folder have moved to derived units.
"""

from __future__ import annotations

from collections import Counter

from drawdown.errors import Problem
from drawdown.scenario.days import planned_exit_day
from drawdown.scenario.model import Scenario

PEOPLE_EXITS = ("people", "all")
CARGO_EXITS = ("cargo", "all")


def _label(number: int, key: str) -> str:
    return f"row {number} (id={key})" if key else f"row {number}"


def _duplicates(file: str, ids: list[str]) -> list[Problem]:
    return [
        Problem(file, f"id={i}", f"id '{i}' appears {n} times", "give each row its own id")
        for i, n in Counter(ids).items()
        if n > 1
    ]


def _some(ids: list[str]) -> str:
    shown = sorted(ids)[:12]
    return ", ".join(shown) + (", ..." if len(ids) > 12 else "")


def check_units(scenario: Scenario) -> list[Problem]:
    """Every unit is at a base or hub and has a contingent; every holding names its unit."""
    problems = _duplicates("units.csv", [u.id for u in scenario.units])
    kinds = {s.id: s.kind for s in scenario.sites}
    for i, u in enumerate(scenario.units, start=2):
        where = _label(i, u.id)
        if not u.site:
            problems.append(
                Problem("units.csv", f"{where}, column site", "unit without a site", "add its site")
            )
        elif u.site not in kinds:
            problems.append(
                Problem(
                    "units.csv",
                    f"{where}, column site",
                    f"unknown site '{u.site}'",
                    f"use a site id from sites.csv: {_some(list(kinds))}",
                )
            )
        elif kinds[u.site] not in ("base", "hub"):
            problems.append(
                Problem(
                    "units.csv",
                    f"{where}, column site",
                    f"a unit at a {kinds[u.site]} ('{u.site}') is never moved",
                    "put units at bases or hubs",
                )
            )
        if not u.contingent.strip():
            problems.append(
                Problem(
                    "units.csv",
                    f"{where}, column contingent",
                    "unit without a contingent, so its equipment has no owner",
                    "name the contributing country, or the mission for civilian staff",
                )
            )
        if u.rear_party_people is not None and u.rear_party_people > u.people:
            problems.append(
                Problem(
                    "units.csv",
                    f"{where}, column rear_party_people",
                    f"rear party of {u.rear_party_people} is larger than the unit "
                    f"({u.people} people)",
                    "give at most the unit's people, or leave it blank for the policy default",
                )
            )
    return problems + _check_holdings_units(scenario)


def _check_holdings_units(scenario: Scenario) -> list[Problem]:
    problems: list[Problem] = []
    units = {u.id: u for u in scenario.units}
    for i, h in enumerate(scenario.holdings, start=2):
        where = f"row {i}"
        if h.people:
            problems.append(
                Problem(
                    "holdings.csv",
                    f"{where}, column people",
                    f"{h.people} people in a holding: people belong to units.csv",
                    "move them to their unit in units.csv and write 0 here",
                )
            )
        unit = units.get(h.unit)
        if unit is None:
            problems.append(
                Problem(
                    "holdings.csv",
                    f"{where}, column unit",
                    f"unknown unit '{h.unit}'" if h.unit else "holding without a unit",
                    f"use a unit id from units.csv: {_some(list(units))}",
                )
            )
            continue
        for column in ("site", "contingent", "category"):
            mine, theirs = getattr(h, column), getattr(unit, column)
            if mine != theirs:
                problems.append(
                    Problem(
                        "holdings.csv",
                        f"{where}, column {column}",
                        f"{column} '{mine}' differs from its unit's '{theirs}' ({unit.id})",
                        "leave the cell blank to take the unit's, or name another unit",
                    )
                )
    return problems


def check_roles(scenario: Scenario) -> list[Problem]:
    """One HQ; every supporter is a known hub or HQ, never the site itself, and no cycles;
    closure teams only at bases and hubs."""
    problems: list[Problem] = []
    by_id = {s.id: s for s in scenario.sites}
    rows = {s.id: i for i, s in enumerate(scenario.sites, start=2)}
    for s in scenario.sites:
        if s.role and s.kind not in ("base", "hub"):
            problems.append(
                Problem(
                    "sites.csv",
                    f"{_label(rows[s.id], s.id)}, column role",
                    f"only bases and hubs take a role (this is a {s.kind})",
                    "leave role blank for exits and waypoints",
                )
            )
    hqs = [s.id for s in scenario.sites if s.role == "hq"]
    if len(hqs) > 1:
        problems.append(
            Problem(
                "sites.csv",
                "column role",
                f"{len(hqs)} sites are the mission HQ ({', '.join(hqs)})",
                "make one site hq and the others hub or team",
            )
        )
    elif not hqs and any(s.role for s in scenario.sites):
        problems.append(
            Problem(
                "sites.csv",
                "column role",
                "no site is the mission HQ, so nothing is kept open for the others",
                "write hq in the role of the mission headquarters",
                "warning",
            )
        )
    for s in scenario.sites:
        if not s.supported_by:
            continue
        where = f"{_label(rows[s.id], s.id)}, column supported_by"
        supporter = by_id.get(s.supported_by)
        supporters = [x.id for x in scenario.sites if x.role in ("hq", "hub")]
        if supporter is None:
            problems.append(
                Problem(
                    "sites.csv",
                    where,
                    f"unknown site '{s.supported_by}'",
                    f"use the id of a hub or the HQ: {_some(supporters)}",
                )
            )
        elif supporter.id == s.id:
            problems.append(
                Problem("sites.csv", where, "a site cannot support itself", "name its hub or HQ")
            )
        elif supporter.role not in ("hq", "hub"):
            what = f"a {supporter.role} site" if supporter.role else f"a {supporter.kind}"
            problems.append(
                Problem(
                    "sites.csv",
                    where,
                    f"'{supporter.id}' is {what}; only the HQ and hubs support other sites",
                    f"name a hub or the HQ: {_some(supporters)}",
                )
            )
    for s in scenario.sites:
        if s.closure_team and s.kind not in ("base", "hub"):
            problems.append(
                Problem(
                    "sites.csv",
                    f"{_label(rows[s.id], s.id)}, column closure_team",
                    f"'{s.id}' is a {s.kind}: only bases and hubs are dismantled",
                    "leave closure_team blank for exits and waypoints",
                )
            )
    return problems + _support_cycles(scenario, rows)


def _support_cycles(scenario: Scenario, rows: dict[str, int]) -> list[Problem]:
    parent = {s.id: s.supported_by for s in scenario.sites if s.supported_by}
    reported: set[frozenset[str]] = set()
    problems = []
    for start in parent:
        path, seen = [start], {start}
        node = parent.get(start)
        while node and node in parent and node not in seen:
            path.append(node)
            seen.add(node)
            node = parent[node]
        if node in seen and node != start and node is not None:
            continue  # the cycle does not pass through start; reported from a site on it
        if node == start and len(path) > 1:
            cycle = frozenset(path)
            if cycle not in reported:
                reported.add(cycle)
                problems.append(
                    Problem(
                        "sites.csv",
                        f"{_label(rows[start], start)}, column supported_by",
                        f"support goes round in a circle: {' -> '.join([*path, start])}",
                        "the HQ supports no one's supporter; break the loop at one site",
                    )
                )
    return problems


def check_residual_tasks(scenario: Scenario) -> list[Problem]:
    """Each residual task holds a known base or hub open to a date inside the withdrawal."""
    problems = []
    kinds = {s.id: s.kind for s in scenario.sites}
    start, deadline = scenario.manifest.start_date, scenario.manifest.deadline
    reserve = scenario.manifest.policy.reserve_days_before_deadline
    planned_exit = scenario.date_of(planned_exit_day(scenario))
    if reserve >= scenario.horizon_days:
        problems.append(
            Problem(
                "scenario.yaml",
                "policy.reserve_days_before_deadline",
                f"a reserve of {reserve} days leaves no time to withdraw "
                f"({scenario.horizon_days} days from start_date to deadline)",
                "give fewer days than the withdrawal lasts (a week or two is usual)",
            )
        )
    for i, t in enumerate(scenario.residual_tasks, start=2):
        if t.site not in kinds:
            problems.append(
                Problem(
                    "residual_tasks.csv",
                    f"row {i}, column site",
                    f"unknown site '{t.site}'",
                    f"use a site id from sites.csv: {_some(list(kinds))}",
                )
            )
        elif kinds[t.site] not in ("base", "hub"):
            problems.append(
                Problem(
                    "residual_tasks.csv",
                    f"row {i}, column site",
                    f"'{t.site}' is a {kinds[t.site]}: a residual task holds a base or hub open",
                    "name the base or hub where the task is done",
                )
            )
        if t.until > deadline:
            problems.append(
                Problem(
                    "residual_tasks.csv",
                    f"row {i}, column until",
                    f"until {t.until} is after the deadline {deadline}",
                    "end the task on or before the deadline (scenario.yaml)",
                )
            )
        elif reserve and t.until > planned_exit:
            problems.append(
                Problem(
                    "residual_tasks.csv",
                    f"row {i}, column until",
                    f"until {t.until} falls in the plan's reserve: everyone is to be out by "
                    f"{planned_exit} (policy.reserve_days_before_deadline {reserve})",
                    "end the task by then, or shorten the reserve in scenario.yaml",
                )
            )
        elif t.until < start:
            problems.append(
                Problem(
                    "residual_tasks.csv",
                    f"row {i}, column until",
                    f"until {t.until} is before the start {start}",
                    "give a date on or after start_date, or remove the row",
                )
            )
    return problems


def check_lift(scenario: Scenario) -> list[Problem]:
    """Charters fly from airports where people exit; corridors end at ports or borders."""
    problems = _duplicates("lift.csv", [row.id for row in scenario.lift])
    by_id = {s.id: s for s in scenario.sites}
    exits = [s.id for s in scenario.sites if s.kind == "exit"]
    for i, row in enumerate(scenario.lift, start=2):
        where = f"{_label(i, row.id)}, column site"
        site = by_id.get(row.site)
        if site is None:
            problems.append(
                Problem(
                    "lift.csv", where, f"unknown site '{row.site}'", f"use an exit: {_some(exits)}"
                )
            )
            continue
        if row.kind == "charter":
            if site.kind != "exit" or site.exit_for not in PEOPLE_EXITS:
                problems.append(
                    Problem(
                        "lift.csv",
                        where,
                        f"'{site.id}' is not an exit for people; charters fly people out of "
                        "the theatre from an international airport",
                        "use an exit whose exit_for is people or all",
                    )
                )
            elif site.airfield_class != "airport":
                problems.append(
                    Problem(
                        "lift.csv",
                        where,
                        f"'{site.id}' has no airport (airfield_class {site.airfield_class})",
                        "put charters at an exit with airfield_class airport",
                    )
                )
            if row.seats_each * row.flights_per_week <= 0:
                problems.append(
                    Problem(
                        "lift.csv",
                        _label(i, row.id),
                        "a charter with no seats or no flights takes nobody out",
                        "give seats_each (about 270) and flights_per_week",
                        "warning",
                    )
                )
        else:
            if site.kind != "exit" or site.exit_for not in CARGO_EXITS:
                problems.append(
                    Problem(
                        "lift.csv",
                        where,
                        f"'{site.id}' is not an exit for cargo: corridors must end at a "
                        "border post or a sea port",
                        "use an exit whose exit_for is cargo or all",
                    )
                )
            if row.teu_per_day <= 0 and row.vehicles_per_day <= 0:
                problems.append(
                    Problem(
                        "lift.csv",
                        _label(i, row.id),
                        "a corridor with no throughput takes no equipment out",
                        "give teu_per_day and vehicles_per_day",
                        "warning",
                    )
                )
    return problems + _unlimited_exits(scenario)


def _unlimited_exits(scenario: Scenario) -> list[Problem]:
    # An exit without lift keeps the old behaviour (no limit); say so, it flatters a plan.
    charters = {row.site for row in scenario.lift if row.kind == "charter"}
    corridors = {row.site for row in scenario.lift if row.kind == "corridor"}
    problems = []
    for s in scenario.sites:
        if s.kind != "exit":
            continue
        if s.exit_for in PEOPLE_EXITS and s.id not in charters:
            problems.append(
                Problem(
                    "lift.csv",
                    f"site {s.id}",
                    f"people exit '{s.id}' has no charter row: its seats are unlimited",
                    "add a charter row (seats_each, flights_per_week) in lift.csv",
                    "warning",
                )
            )
        if s.exit_for in CARGO_EXITS and s.id not in corridors:
            problems.append(
                Problem(
                    "lift.csv",
                    f"site {s.id}",
                    f"cargo exit '{s.id}' has no corridor row: its throughput is unlimited",
                    "add a corridor row (teu_per_day, vehicles_per_day) in lift.csv",
                    "warning",
                )
            )
    return problems


def check_contingents(scenario: Scenario) -> list[Problem]:
    """Each contingents.csv row names a contingent the scenario holds."""
    problems = _duplicates("contingents.csv", [c.id for c in scenario.contingents])
    known = {u.contingent for u in scenario.units} | {h.contingent for h in scenario.holdings}
    for i, c in enumerate(scenario.contingents, start=2):
        if c.id not in known:
            problems.append(
                Problem(
                    "contingents.csv",
                    f"{_label(i, c.id)}, column id",
                    f"unknown contingent '{c.id}'",
                    f"use a contingent from units.csv: {_some(list(known))}",
                )
            )
    return problems


def check_withdrawal(scenario: Scenario) -> list[Problem]:
    """Every check of this module, errors and warnings together."""
    return (
        check_units(scenario)
        + check_roles(scenario)
        + check_residual_tasks(scenario)
        + check_lift(scenario)
        + check_contingents(scenario)
    )
