"""The kinds registry is the one list: the schema, tables, engine and figures all agree with it."""

from __future__ import annotations

from typing import get_args

from drawdown.analyse.calibrate import EXPOSURE_UNITS
from drawdown.analyse.incidents import KINDS
from drawdown.report._style import KIND_COLOURS
from drawdown.scenario import kinds
from drawdown.scenario.model import AssetKind, EventKind, IncidentKind, Scenario, Threat
from drawdown.scenario.tables import TABLES
from drawdown.simulate.engine import N_INCIDENT_KINDS
from drawdown.simulate.inputs import N_SLOTS
from drawdown.simulate.outcomes import RUN_COLUMNS
from drawdown.simulate.policy import DESTROYED, FATES, HANDED_OVER, LOST, REMAINING, SHIPPED


def test_model_literals_equal_the_registry() -> None:
    """The schema's kind Literals name exactly the registry's kinds, in its order."""
    assert get_args(IncidentKind) == kinds.THREAT_NAMES
    assert get_args(EventKind) == kinds.EVENT_NAMES
    assert get_args(AssetKind) == kinds.ASSET_NAMES


def test_json_schema_lists_the_registry() -> None:
    """`drawdown schema` (the JSON Schema of the model) offers the registry's threat kinds."""
    schema = Threat.model_json_schema()
    assert tuple(schema["properties"]["kind"]["enum"]) == kinds.THREAT_NAMES


def test_threat_kinds_are_complete() -> None:
    """Every threat kind has a valid unit, target, effects on the model, colour and unit label."""
    for k in kinds.THREAT_KINDS:
        assert k.exposure in get_args(kinds.Exposure) and k.target in ("link", "site")
        assert k.colour.startswith("#") and KIND_COLOURS[k.name] == k.colour
        assert k.name in EXPOSURE_UNITS and k.name in KINDS
    assert set(kinds.EFFECT_FIELDS) <= set(Threat.model_fields)
    assert set(kinds.LINK_KINDS) | set(kinds.SITE_KINDS) == set(kinds.THREAT_NAMES)
    # convoy-km kinds strike links; sortie and base-day kinds strike sites
    assert all(kinds.THREAT[n].target == "link" for n in kinds.CONVOY_KINDS)
    assert all(kinds.THREAT[n].target == "site" for n in kinds.SORTIE_KINDS + kinds.BASE_DAY_KINDS)


def test_engine_slots_follow_the_registry() -> None:
    """Incident counts have one slot per kind; a movement one per convoy kind and airfield end."""
    assert len(kinds.THREAT_KINDS) == N_INCIDENT_KINDS
    assert len(kinds.CONVOY_KINDS) + 2 * len(kinds.SORTIE_KINDS) == N_SLOTS
    assert [f"incidents_{n}" for n in kinds.THREAT_NAMES] == [
        c for c in RUN_COLUMNS if c.startswith("incidents_")
    ]


def test_cargo_outcomes_follow_the_registry() -> None:
    """The simulation's cargo outcomes are the registry's, at their registry positions."""
    assert FATES == kinds.CARGO_OUTCOMES
    names = [FATES[i] for i in (SHIPPED, HANDED_OVER, DESTROYED, LOST, REMAINING)]
    assert names == ["shipped", "handed_over", "destroyed", "lost", "remaining"]


def test_every_asset_kind_has_its_table() -> None:
    """Each asset kind fills a scenario table read from assets.csv by its kind column."""
    by_kind = {t.kind_filter: t for t in TABLES if t.kind_filter}
    assert set(by_kind) == set(kinds.ASSET_NAMES)
    for k in kinds.ASSET_KINDS:
        assert by_kind[k.name].attribute == k.attribute
        assert k.attribute in Scenario.model_fields


def test_event_kinds_name_their_targets() -> None:
    """Every event kind says what its target is, from the few things a target can be."""
    assert {k.target for k in kinds.EVENT_KINDS} <= set(get_args(kinds.EventTarget))
    assert kinds.EVENT["clearance_suspended"].target == "mode"
