"""The CSV tables of a scenario folder: which file holds which type, and in which columns.

Cells are text a planner can type in a spreadsheet; this module turns a row of text into the
keyword arguments of a model type and back, so that saving and loading round-trip exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from drawdown.scenario.model import (
    Aircraft,
    Clearance,
    ContingentPolicy,
    Escort,
    Event,
    Holding,
    Lift,
    Link,
    ResidualTask,
    Site,
    Threat,
    Truck,
    Unit,
)

TRUE_WORDS = {"yes", "true", "y", "1"}
FALSE_WORDS = {"no", "false", "n", "0"}


@dataclass(frozen=True)
class Table:
    """One CSV file of a scenario folder and the model type of its rows."""

    file: str
    attribute: str  # Scenario field holding the rows
    model: type[BaseModel]
    columns: tuple[str, ...]
    required: tuple[str, ...]
    key: str | None = "id"  # column whose values must be unique
    kind_filter: str | None = None  # for assets.csv: value of its `kind` column


SOURCE_COLUMNS = ("source", "low", "high")

TABLES: tuple[Table, ...] = (
    Table(
        "sites.csv",
        "sites",
        Site,
        (
            "id",
            "name",
            "kind",
            "lat",
            "lon",
            "region",
            "exit_for",
            "airfield_class",
            "runway_m",
            "runway_surface",
            "air_slots_per_day",
            "coverage_radius_km",
            "population_covered",
            "role",
            "supported_by",
            "closure_team",
        )
        + SOURCE_COLUMNS,
        ("id", "name", "kind", "lat", "lon"),
    ),
    Table(
        "units.csv",
        "units",
        Unit,
        (
            "id",
            "site",
            "contingent",
            "kind",
            "category",
            "people",
            "rear_party_people",
        )
        + SOURCE_COLUMNS,
        ("id", "site", "contingent", "kind", "category", "people"),
    ),
    Table(
        "holdings.csv",
        "holdings",
        Holding,
        (
            "unit",
            "owner",
            "site",
            "contingent",
            "category",
            "people",
            "containers_teu",
            "vehicles",
            "cargo_class",
            "value_usd",
            "sensitive",
        )
        + SOURCE_COLUMNS,
        (),  # with units.csv, `unit` alone places a row; without it, site and the rest
        key=None,
    ),
    Table(
        "links.csv",
        "links",
        Link,
        (
            "id",
            "from",
            "to",
            "mode",
            "km",
            "surface",
            "dry_km_per_day",
            "wet_km_per_day",
            "passable_months",
            "corridor",
            "region",
        )
        + SOURCE_COLUMNS,
        ("id", "from", "to", "mode", "km"),
    ),
    Table(
        "assets.csv",
        "trucks",
        Truck,
        ("id", "kind", "count", "teu_each", "people_each") + SOURCE_COLUMNS,
        ("id", "kind", "count"),
        kind_filter="truck",
    ),
    Table(
        "assets.csv",
        "escorts",
        Escort,
        ("id", "kind", "corridor", "convoys_per_day", "trucks_per_convoy", "vehicles_per_convoy")
        + SOURCE_COLUMNS,
        ("id", "kind", "corridor", "convoys_per_day", "trucks_per_convoy"),
        kind_filter="escort",
    ),
    Table(
        "assets.csv",
        "aircraft",
        Aircraft,
        (
            "id",
            "kind",
            "count",
            "people_each",
            "teu_each",
            "vehicles_each",
            "sorties_per_day",
            "min_runway_m",
            "needs_paved",
            "range_km",
        )
        + SOURCE_COLUMNS,
        ("id", "kind", "count", "sorties_per_day"),
        kind_filter="aircraft",
    ),
    Table(
        "clearances.csv",
        "clearances",
        Clearance,
        ("mode", "region", "start", "end", "approval", "delay_mean_days", "delay_distribution")
        + SOURCE_COLUMNS,
        ("mode", "start", "end", "approval"),
        key=None,
    ),
    Table(
        "threats.csv",
        "threats",
        Threat,
        (
            "target",
            "kind",
            "start",
            "end",
            "rate",
            "garrison_elasticity",
            "killed_mean",
            "wounded_mean",
            "vehicles_lost_mean",
            "cargo_lost_teu_mean",
            "delay_days_mean",
        )
        + SOURCE_COLUMNS,
        ("target", "kind", "start", "end", "rate"),
        key=None,
    ),
    Table(
        "events.csv",
        "events",
        Event,
        ("id", "kind", "target", "date", "end_date", "description") + SOURCE_COLUMNS,
        ("id", "kind", "target", "date"),
    ),
    Table(
        "residual_tasks.csv",
        "residual_tasks",
        ResidualTask,
        ("site", "task", "until") + SOURCE_COLUMNS,
        ("site", "task", "until"),
        key=None,
    ),
    Table(
        "lift.csv",
        "lift",
        Lift,
        (
            "id",
            "kind",
            "site",
            "seats_each",
            "flights_per_week",
            "teu_per_day",
            "vehicles_per_day",
            "border_delay_days_mean",
        )
        + SOURCE_COLUMNS,
        ("id", "kind", "site"),
    ),
    Table(
        "contingents.csv",
        "contingents",
        ContingentPolicy,
        ("id", "handover_allowed", "source"),
        ("id", "handover_allowed"),
    ),
)

# assets.csv holds three row types; its header is the union of their columns.
ASSET_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(c for t in TABLES if t.file == "assets.csv" for c in t.columns)
)

OPTIONAL_FILES = {
    "clearances.csv",
    "threats.csv",
    "events.csv",
    "units.csv",
    "residual_tasks.csv",
    "lift.csv",
    "contingents.csv",
}
BOOL_COLUMNS = {"sensitive", "needs_paved", "handover_allowed"}


def parse_months(text: str) -> tuple[int, ...]:
    """'1-5;10-12' -> (1, 2, 3, 4, 5, 10, 11, 12); 'all' and 'none' also accepted."""
    text = text.strip().lower()
    if text in ("all", "*"):
        return tuple(range(1, 13))
    if text in ("none", "-"):
        return ()
    months: list[int] = []
    for part in text.replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            lo, hi = (int(x) for x in part.split("-", 1))
            if not (1 <= lo <= hi <= 12):
                raise ValueError(f"month range '{part}' must be within 1-12, low first")
            months.extend(range(lo, hi + 1))
        else:
            months.append(int(part))
    return tuple(sorted(set(months)))


def format_months(months: tuple[int, ...]) -> str:
    """Inverse of parse_months, in compact ranges."""
    if not months:
        return "none"
    if tuple(months) == tuple(range(1, 13)):
        return "1-12"
    runs: list[str] = []
    start = prev = months[0]
    for m in (*months[1:], None):
        if m is not None and m == prev + 1:
            prev = m
            continue
        runs.append(f"{start}-{prev}" if prev != start else f"{start}")
        if m is not None:
            start = prev = m
    return ";".join(runs)


def row_to_fields(table: Table, row: dict[str, str]) -> dict[str, Any]:
    """Text cells -> keyword arguments; blank cells are left out so defaults apply."""
    fields: dict[str, Any] = {}
    for column in table.columns:
        if column == "kind" and table.kind_filter:
            continue
        text = (row.get(column) or "").strip()
        if text == "":
            continue
        if column == "passable_months":
            fields[column] = parse_months(text)
        elif column in BOOL_COLUMNS:
            word = text.lower()
            if word in TRUE_WORDS:
                fields[column] = True
            elif word in FALSE_WORDS:
                fields[column] = False
            else:
                fields[column] = text  # let the model report it
        else:
            fields[column] = text
    return fields


def format_cell(value: Any) -> str:
    """A field value as CSV text that parses back to the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return format_months(value)
    return str(value)


def record_to_row(table: Table, record: BaseModel) -> dict[str, str]:
    """A model instance -> text cells in the table's columns."""
    data = record.model_dump(by_alias=True)
    row = {c: format_cell(data.get(c)) for c in table.columns}
    if table.kind_filter:
        row["kind"] = table.kind_filter
    return row
