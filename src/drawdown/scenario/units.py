"""Formed units: who is where. Derives them for folders that have no units.csv.

People belong to units; holdings carry equipment. Old folders (and scenarios built in code)
give people in holdings.csv instead, so this module turns them into units once, when a
`Scenario` is made: one unit per site, contingent and category. It also fills the holding
cells that a units.csv lets the user leave blank (site, contingent, category from the unit;
owner from the category). Nothing else in drawdown knows that old folders exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from drawdown.scenario.model import Holding, Unit, UnitKind

M = TypeVar("M", bound=BaseModel)

KIND_OF_CATEGORY: dict[str, UnitKind] = {
    "troops": "battalion",
    "police": "fpu",
    "civilian": "civilian",
}


def default_owner(category: str) -> str:
    """Contingents own their equipment; the mission owns what its civilian staff hold."""
    return "un" if category == "civilian" else "coe"


def derived_unit_id(site: str, contingent: str, category: str) -> str:
    """Id of the unit derived for a site, contingent and category."""
    return f"{site}/{contingent}/{category}"


def _parsed(rows: Iterable[Any], model: type[M]) -> list[M] | None:
    out: list[M] = []
    for row in rows:
        if isinstance(row, model):
            out.append(row)
        elif isinstance(row, dict):
            try:
                out.append(model.model_validate(row))
            except ValidationError:
                return None
        else:
            return None
    return out


def derive_units(holdings: list[Holding]) -> tuple[list[Unit], list[Holding]]:
    """Units from the people in holdings; the holdings keep only their equipment.

    A row that held only people is dropped: all it said is now its unit's (with its range).
    """
    keys = [h.unit or derived_unit_id(h.site, h.contingent, h.category) for h in holdings]
    groups: dict[str, list[Holding]] = {}
    for key, h in zip(keys, holdings, strict=True):
        groups.setdefault(key, []).append(h)
    units: list[Unit] = []
    for unit_id, rows in groups.items():
        first = rows[0]
        staffed = [h for h in rows if h.people > 0]
        only = staffed[0] if len(staffed) == 1 else None
        category = first.category or "troops"
        units.append(
            Unit(
                id=unit_id,
                site=first.site,
                contingent=first.contingent,
                kind=KIND_OF_CATEGORY[category],
                category=category,
                people=sum(h.people for h in rows),
                source=(only or first).source,
                low=only.low if only else None,
                high=only.high if only else None,
            )
        )
    kept: list[Holding] = []
    for unit_id, h in zip(keys, holdings, strict=True):  # in file order, as before
        if h.people > 0 and not (h.containers_teu or h.vehicles):
            continue
        update: dict[str, Any] = {"unit": unit_id, "people": 0}
        if not h.owner:
            update["owner"] = default_owner(h.category)
        kept.append(h.model_copy(update=update))
    return units, kept


def fill_from_units(units: list[Unit], holdings: list[Holding]) -> list[Holding]:
    """Holdings with blank site, contingent, category and owner filled from their unit."""
    by_id = {u.id: u for u in units}
    out = []
    for h in holdings:
        update: dict[str, Any] = {}
        unit = by_id.get(h.unit)
        if unit is not None:
            for field in ("site", "contingent", "category"):
                if not getattr(h, field):
                    update[field] = getattr(unit, field)
        category = update.get("category", h.category)
        if not h.owner and category:
            update["owner"] = default_owner(category)
        out.append(h.model_copy(update=update) if update else h)
    return out


def attach_units(data: dict[str, Any]) -> dict[str, Any]:
    """Scenario input with units (derived if none are given) and holdings filled in.

    Rows that do not parse are left alone: the scenario's own validation reports them.
    """
    holdings = _parsed(data.get("holdings") or (), Holding)
    units = _parsed(data.get("units") or (), Unit)
    if holdings is None or units is None:
        return data
    if units:
        return {**data, "units": tuple(units), "holdings": tuple(fill_from_units(units, holdings))}
    derived, kept = derive_units(holdings)
    return {**data, "units": tuple(derived), "holdings": tuple(kept)}
