"""The kinds of the model in one registry: threats, events, assets and cargo outcomes.

Adding a kind starts here: one entry, then its own code where it acts. Every table, check,
override, calibration step, engine slot and figure colour that depends on a kind reads this
registry instead of spelling the names out. The `Literal`s of `scenario.model` keep the same
names for the JSON Schema and the reference docs; a test checks that they match.

This module imports nothing from the package, so anything may read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Exposure = Literal["convoy-km", "sortie", "base-day"]
TargetTable = Literal["link", "site"]


@dataclass(frozen=True)
class ThreatKind:
    """A kind of incident: what its rate is counted per, what it strikes, how figures draw it.

    `exposure` is the unit of the rate: per convoy-km on a link (each convoy on each km of
    the link), per sortie at an airfield (counted at both ends of a flight), or per base-day
    (each day a base is held, scaled by how thin its garrison is).
    """

    name: str
    exposure: Exposure
    target: TargetTable
    label: str
    colour: str  # hex colour of the kind in every figure


#: Threat kinds, in the order of the simulation's incident counts.
THREAT_KINDS: tuple[ThreatKind, ...] = (
    ThreatKind("ied", "convoy-km", "link", "roadside bomb", "#c62828"),
    ThreatKind("ambush", "convoy-km", "link", "ambush", "#8e24aa"),
    ThreatKind("ground_fire", "sortie", "site", "ground fire at an airfield", "#1f77b4"),
    ThreatKind("base_attack", "base-day", "site", "attack on a base", "#e0a526"),
)
THREAT = {k.name: k for k in THREAT_KINDS}
THREAT_NAMES: tuple[str, ...] = tuple(k.name for k in THREAT_KINDS)
#: Kinds whose target is a link (in registry order), and those whose target is a site.
LINK_KINDS: tuple[str, ...] = tuple(k.name for k in THREAT_KINDS if k.target == "link")
SITE_KINDS: tuple[str, ...] = tuple(k.name for k in THREAT_KINDS if k.target == "site")
#: Kinds whose rate is per convoy-km on a link (they strike road and river movements).
CONVOY_KINDS: tuple[str, ...] = tuple(k.name for k in THREAT_KINDS if k.exposure == "convoy-km")
#: Kinds whose rate is per sortie at an airfield (they strike flights at both ends).
SORTIE_KINDS: tuple[str, ...] = tuple(k.name for k in THREAT_KINDS if k.exposure == "sortie")
#: Kinds whose rate is per day a base is held.
BASE_DAY_KINDS: tuple[str, ...] = tuple(k.name for k in THREAT_KINDS if k.exposure == "base-day")

#: Effects of one incident, in the order of the engine's effect arrays; a threat row gives
#: each as `<effect>_mean`.
EFFECTS: tuple[str, ...] = ("killed", "wounded", "vehicles_lost", "cargo_lost_teu", "delay_days")
EFFECT_FIELDS: tuple[str, ...] = tuple(f"{e}_mean" for e in EFFECTS)


EventTarget = Literal["link", "corridor", "contingent", "mode"]


@dataclass(frozen=True)
class EventKind:
    """A kind of dated shock and what its `target` column names."""

    name: str
    target: EventTarget
    effect: str


EVENT_KINDS: tuple[EventKind, ...] = (
    EventKind("link_closed", "link", "the link cannot be used from date to end_date"),
    EventKind("corridor_closed", "corridor", "every link of the escort corridor is closed"),
    EventKind("contingent_departs", "contingent", "the contingent's people must be out by date"),
    EventKind(
        "clearance_suspended",
        "mode",
        "no request by the mode (or * for every mode) is approved from date to end_date",
    ),
)
EVENT = {k.name: k for k in EVENT_KINDS}
EVENT_NAMES: tuple[str, ...] = tuple(k.name for k in EVENT_KINDS)
#: The one wildcard an event's mode target accepts: every mode.
ANY_MODE = "*"


@dataclass(frozen=True)
class AssetKind:
    """A kind of row of assets.csv and the scenario table it fills."""

    name: str
    attribute: str  # Scenario attribute holding the rows
    label: str


ASSET_KINDS: tuple[AssetKind, ...] = (
    AssetKind("truck", "trucks", "truck pool"),
    AssetKind("escort", "escorts", "escort capacity on a corridor"),
    AssetKind("aircraft", "aircraft", "aircraft type"),
)
ASSET = {k.name: k for k in ASSET_KINDS}
ASSET_NAMES: tuple[str, ...] = tuple(k.name for k in ASSET_KINDS)

#: What became of cargo in a simulated run, in the order of the outcome arrays: shipped out
#: of the theatre, handed over to a host authority, destroyed, lost to an attack, or still
#: in place at the end, or abandoned (left at a site closed without a handover: after an
#: early closure under attack or a refused handover).
CARGO_OUTCOMES: tuple[str, ...] = (
    "shipped",
    "handed_over",
    "destroyed",
    "lost",
    "remaining",
    "abandoned",
)
