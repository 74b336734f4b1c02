"""The named bundles the engine's phase functions read and write.

Each bundle is a `NamedTuple` of arrays (and a few scalars), which numba passes and inlines
as cheaply as loose arguments. Seven bundles are read-only and shared by every run of a block:

- `Sites`: what each site holds and how it is attacked or evacuated;
- `Links`: when each link is open and how long it takes to travel;
- `Movements`: the plan, one row per movement in engine order;
- `Events`: dated departures of contingents;
- `Rules`: the calendar and the adaptive policy's settings;
- `Closure`: the work of closing a site (packing, final steps, the handover clearance);
- `Lift`: strategic lift out of the theatre (charters at airports, road corridors);
- `Units`: the formed units people belong to, and when each may leave its site.

Two describe a block's chance (`Draws`: the uniforms and every movement's drawn fate;
`Factors`: per-run multipliers), `State` is the mutable state of the run being resolved
(reset at the start of each run), and the engine's `ChunkOutcome` collects the outputs.
Everything here is derived from `Compiled` once per block, in Python.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from drawdown.scenario.days import SEAT_BANK_DAYS
from drawdown.simulate.disruptions import MovementDraws
from drawdown.simulate.inputs import Compiled
from drawdown.simulate.policy import N_FATES

# the site kinds whose closure day is an outcome (codes of `Compiled.site_kind`)
CLOSING_SITE_KINDS = (0, 1)  # base, hub


class Sites(NamedTuple):
    """Per-site facts: holdings, exits, evacuation and air routes, attack rates."""

    closes: np.ndarray  # bool [S]: a base or hub, whose closure day is counted
    exit_people: np.ndarray  # bool [S]
    exit_cargo: np.ndarray  # bool [S]
    people0: np.ndarray  # int64 [S]
    total_people: float
    teu0: np.ndarray  # float64 [S, 2]
    veh0: np.ndarray  # float64 [S, 2]
    cargo_origins: np.ndarray  # int64 [O]: sites holding cargo at the start
    destroy_origin: np.ndarray  # float64 [O]: share of the general cargo left destroyed
    air_link: np.ndarray  # int [S] (-1 none)
    air_dest: np.ndarray
    air_approval: np.ndarray  # float64 [S, n_days]
    air_delay_mean: np.ndarray
    air_delay_fixed: np.ndarray
    evac_dest: np.ndarray  # int [S] (-1 none)
    evac_link: np.ndarray
    attack_sites: np.ndarray  # int64: sites attacked at some point before the deadline
    attack_rate: np.ndarray  # float64 [S, n_days]
    attack_elasticity: np.ndarray  # float64 [S]
    attack_effects: np.ndarray  # float64 [S, 5]
    guard_waits_for: np.ndarray  # int64 [S]: planned movements the last guard waits for
    handover_waits_for: np.ndarray  # int64 [S]: of which carry cargo (the final steps wait)
    freight_waits_for: np.ndarray  # int64 [S]: of which may carry cargo (`Movements.freight`)
    guard_planned: np.ndarray  # float64 [S]: people the plan's last guard movements carry
    evac_by_air: np.ndarray  # bool [S]: the evacuation route is the site's air route
    evac_seats: np.ndarray  # float64 [S]: seats a day of own aircraft on it (inf: unlimited)
    evac_per_person: np.ndarray  # float64 [S]: sorties a person takes on it
    evac_fire_rate: np.ndarray  # float64 [S, D]: incidents a sortie at its airfields
    evac_fire_effects: np.ndarray  # float64 [S, E]: mean effects of one incident
    evac_road_rate: np.ndarray  # float64 [S, K, D]: incidents an evacuation convoy meets
    evac_road_effects: np.ndarray  # float64 [S, K, E]: mean effects of one, by road kind
    no_delay: np.ndarray  # float64 [n_days] zeros: an expedited clearance has no delay
    fixed_delay: np.ndarray  # bool [n_days] True
    has_guard: np.ndarray  # bool [S]: the plan has a last guard out of the site
    hold_until: np.ndarray  # int64 [S]: a residual task holds the site to this day (-1 none)
    supports: np.ndarray  # bool [S, S]: s supports t (the HQ or a hub stays while t is open)
    guard_latest: np.ndarray  # int64 [S] last day the guard may wait and still be out


class Links(NamedTuple):
    """Per-link, per-day openings and travel days."""

    open: np.ndarray  # bool [L, n_days]
    next_open: np.ndarray  # int [L, n_days]: first open day >= d (-1 none)
    travel: np.ndarray  # int [L, n_days]


class Movements(NamedTuple):
    """The plan's movements, sorted by day then upstream before downstream."""

    day: np.ndarray
    dur: np.ndarray
    origin: np.ndarray
    dest: np.ndarray
    link: np.ndarray
    mode: np.ndarray
    convoys: np.ndarray
    people: np.ndarray  # float64
    teu: np.ndarray
    veh: np.ndarray
    cap: np.ndarray  # float64 [M, 3] people, TEU, vehicles
    guard: np.ndarray  # bool: the last people movement out of a base
    guarded: np.ndarray  # bool: a movement the base's last guard waits for
    last_loads: np.ndarray  # bool: one that carries cargo (the final steps wait for it)
    freight: np.ndarray  # bool: guarded and may carry cargo (planned some, or people-free)
    own: np.ndarray  # bool: a leg of a route starting at its origin (`inputs.Compiled.mv_own`)
    upstream: np.ndarray  # int64: the same convoy's leg into a later leg's origin (-1 none)


class Events(NamedTuple):
    """Dated contingent departures, sorted by day."""

    day: np.ndarray
    site: np.ndarray
    contingent: np.ndarray  # int64: the leaving contingent (`Units.contingent` codes)


class Rules(NamedTuple):
    """The calendar and the adaptive policy's settings."""

    horizon: int
    n_days: int
    retry_days: int
    max_retries: int
    air_when_refused: bool
    cutoff_day: int
    early_close_attacks: int
    early_close_window_days: int  # 0: the attacks are counted over the whole withdrawal
    evac_expedited: bool  # evacuation clearances skip their delay


class Closure(NamedTuple):
    """Closure work: packing by the people present, final steps, then the handover."""

    modelled: bool  # old folders without closure rates keep the old semantics
    pack_sites: np.ndarray  # int64: bases and hubs holding cargo at the start, teams in round
    team: np.ndarray  # int64 per pack site: its closure team (-1: its own people)
    per_person: np.ndarray  # float64 [2] TEU, vehicles packed a person a day
    cap: np.ndarray  # float64 [S, 2] at most each site a day (`inputs.pack_caps`)
    # float64 [S, n_days, 2] least left unpacked each day, [S, 2] unpacked once all its plan
    # ships is packed: a site packs to its movement plan (`simulate.call_forward`)
    floor: np.ndarray
    done: np.ndarray
    factor_low: float  # each run draws each site's packing factor in [low, high]
    factor_high: float
    steps_low: int  # each run draws each site's final steps in whole days in [low, high]
    steps_high: int
    steps_from: np.ndarray  # int64 [S] the plan's first day of the final steps
    approval: np.ndarray  # float64 [S, n_days] handover clearance
    delay_mean: np.ndarray
    delay_fixed: np.ndarray


class Lift(NamedTuple):
    """Strategic lift: charters seat people at an airport, corridors cross cargo."""

    kind: np.ndarray  # int64 [X]: 0 charter, 1 corridor
    site: np.ndarray  # int64 [X]
    flights: np.ndarray  # int64 [X, n_days]
    seats_each: np.ndarray  # float64 [X]
    approval: np.ndarray  # float64 [X, n_days]
    per_day: np.ndarray  # float64 [X, 2] TEU, vehicles a corridor crosses a day
    border_mean: np.ndarray  # float64 [X] mean border delay (days)
    site_charter: np.ndarray  # bool [S]: people arriving here wait for a seat
    site_corridor: np.ndarray  # int64 [S]: corridor at the end of the site (-1 none)
    bank_cap: np.ndarray  # float64 [X]: seats a charter row may keep for later (a week's)


class Units(NamedTuple):
    """Formed units: people are tracked by unit from their site to the theatre's exit."""

    site: np.ndarray  # int64 [U] where the unit is at the start
    contingent: np.ndarray  # int64 [U] its contingent, coded (`inputs.compile_inputs`)
    people: np.ndarray  # float64 [U]
    rear: np.ndarray  # float64 [U] rear party: stays to the site's last load
    moved: np.ndarray  # float64 [U] own equipment the plan moves (`inputs.unit_equipment`)
    moved_before: np.ndarray  # float64 [U] the site's moved equipment shipped before it
    planned_dispatched: np.ndarray  # float64 [S, D] own equipment the plan has sent by day
    guard: np.ndarray  # float64 [S] the site's last guard (people who stay to the end)
    own_origin: np.ndarray  # int64 [S] the site's row in `Sites.cargo_origins` (-1 none)
    equipment0: np.ndarray  # float64 [S] the site's own TEU and vehicles at the start
    seats: np.ndarray  # float64 [S] people the plan's movements out of the site can carry
    planned_out: np.ndarray  # int64 [S] planned movements out of the site
    sweep: bool  # stragglers follow the last convoy (with closure work)
    # units that can be at each site (ascending), and those that start there: the engine
    # loops over these lists, not over every unit, for each movement
    reach_ptr: np.ndarray  # int64 [S + 1]
    reach: np.ndarray  # int64
    own_ptr: np.ndarray  # int64 [S + 1]
    own: np.ndarray  # int64


class Draws(NamedTuple):
    """The block's uniforms and what chance decided for every movement."""

    u: np.ndarray  # float64 [R, block]
    kernel_start: int  # first uniform of each run's spare region
    ready_day: np.ndarray
    refused: np.ndarray
    inc_ptr: np.ndarray
    inc_movement: np.ndarray
    inc_count: np.ndarray
    inc_effects: np.ndarray


class Factors(NamedTuple):
    """Per-run multipliers of the scenario's parameters."""

    threat: np.ndarray
    speed: np.ndarray
    capacity: np.ndarray
    approval: np.ndarray


class State(NamedTuple):
    """The state of one run while it is resolved (reset at the start of every run).

    A slot is a planned movement (slot = movement index) or an unplanned evacuation or
    diversion (slots from `n_movements` on); departures and arrivals are linked lists of
    slots by day. Scalar counters live in `tally` (indices in `engine`) and `in_theatre`.
    """

    slot_origin: np.ndarray  # int64 [slots]
    slot_dest: np.ndarray
    slot_link: np.ndarray
    slot_people: np.ndarray  # float64 [slots]
    slot_teu: np.ndarray  # float64 [slots, O, 2] by cargo origin and class
    slot_veh: np.ndarray
    carries: np.ndarray  # bool [slots]: the slot holds cargo
    dep_head: np.ndarray  # int64 [n_days + 1]: first slot leaving that day
    dep_next: np.ndarray  # int64 [slots]
    arr_head: np.ndarray
    arr_next: np.ndarray
    inc_of: np.ndarray  # int64 [M]: row of the movement's incidents in this run (-1 none)
    people: np.ndarray  # float64 [S] at each site
    teu: np.ndarray  # float64 [S, O, 2] at each site, by origin and class
    veh: np.ndarray
    backlog: np.ndarray  # float64 [S, 3] people, TEU, vehicles left behind by movements
    pending_out: np.ndarray  # int64 [S] movements the last guard still waits for
    loads_out: np.ndarray  # int64 [S] loads the final steps still wait for
    freight_out: np.ndarray  # int64 [S] guarded movements still to go that may take cargo
    attacks: np.ndarray  # int64 [S]
    closed_early: np.ndarray  # bool [S]
    hazard: np.ndarray  # float64 [S] attack hazard accumulated
    threshold: np.ndarray  # float64 [S] hazard at which the next attack happens
    factor: np.ndarray  # float64 [S] attack factor of the current garrison
    factor_people: np.ndarray  # float64 [S] garrison `factor` was computed for
    last_zero: np.ndarray  # int64 [S] day the site's last person left
    own_zero: np.ndarray  # int64 [S] day the last of the site's own units' people left
    fate_teu: np.ndarray  # float64 [O, 5] cargo by origin and fate
    fate_veh: np.ndarray
    load_teu: np.ndarray  # float64 [O, 2] scratch: what one movement loads
    load_veh: np.ndarray
    attack_draws: np.ndarray  # float64 [5] scratch: the uniforms of one attack
    attack_days: np.ndarray  # int64 [S, K] days of each base's last K attacks (K: threshold)
    tally: np.ndarray  # int64 [7]: spare-uniform pointer, slots used, pending, ...
    in_theatre: np.ndarray  # float64 [1]: people still in theatre
    teu_out: np.ndarray  # float64 [1]: TEU shipped out of the theatre so far
    # closure work and strategic lift
    unpacked: np.ndarray  # float64 [S, 2] TEU, vehicles not yet packed
    pack_factor: np.ndarray  # float64 [S] this run's packing rate factor of each site
    # float64 [S, 2] share of each site's unpacked cargo attacks have left: the call-forward
    # schedule's floor and `done` shrink with it
    pack_kept: np.ndarray
    final_steps: np.ndarray  # int64 [S] this run's days of final steps at each site
    release: np.ndarray  # int64 [S] day the guard may leave after the handover (-1 not asked)
    handed: np.ndarray  # bool [S] the handover was accepted
    waiting: np.ndarray  # float64 [S] people at a charter airport waiting for a seat
    seat_bank: np.ndarray  # float64 [X] cleared charter seats not flown yet (`_lift`)
    handover_u: np.ndarray  # float64 [S] the site's handover uniform (-1 not drawn yet)
    pool_teu: np.ndarray  # float64 [X, O, 2] cargo queued at a corridor's border
    pool_veh: np.ndarray
    bord_head: np.ndarray  # int64 [n_days + 1]: first slot through its border delay that day
    bord_next: np.ndarray  # int64 [slots]
    # people by formed unit (sums over units equal `people`, `slot_people`, `waiting`)
    unit_at: np.ndarray  # float64 [S, U] at each site
    slot_units: np.ndarray  # float64 [slots, U] aboard each slot
    unit_waiting: np.ndarray  # float64 [S, U] waiting for a seat at a charter airport
    waiting_since: np.ndarray  # int64 [S, U] day the first of them began to wait
    unit_in: np.ndarray  # float64 [U] people of the unit still in theatre
    seats_left: np.ndarray  # float64 [S] seats of the planned movements yet to leave a site
    guard_gone: np.ndarray  # bool [S] the site's last guard has left (or was cancelled)
    planned_left: np.ndarray  # int64 [S] planned movements out of the site still to go
    slot_air: np.ndarray  # bool [slots]: an unplanned slot flying on own aircraft
    slot_contingent: np.ndarray  # int64 [slots]: a departing contingent's slot (-1: anyone)
    evac_day: np.ndarray  # int64 [S] the day `evac_used` counts
    evac_used: np.ndarray  # float64 [S] seats of own aircraft used out of the site that day
    mv_done: np.ndarray  # bool [M] the planned movement arrived or was cancelled


def _bank_cap(c: Compiled) -> np.ndarray:
    """A week of each charter row's seats (`scenario.days.SEAT_BANK_DAYS`), at least one
    flight's: what its unflown seats may add up to."""
    if c.lift_flights.size == 0:
        return np.zeros(len(c.lift_ids))
    per_day = c.lift_flights.mean(axis=1) * c.lift_seats_each
    return np.maximum(SEAT_BANK_DAYS * per_day, c.lift_seats_each)


def static_bundles(
    c: Compiled,
) -> tuple[Sites, Links, Movements, Events, Rules, Closure, Lift, Units]:
    """The read-only bundles of a compiled scenario and plan."""
    holds_cargo = (c.teu0.sum(axis=1) + c.veh0.sum(axis=1)) > 0
    cargo_origins = np.flatnonzero(holds_cargo)
    # the last guard waits for the base's other own movements planned no later than itself;
    # movements are sorted by day, so the latest guard of a base is its last one
    guard_day = np.full(len(c.site_ids), -1, dtype=np.int64)
    np.maximum.at(guard_day, c.mv_origin[c.mv_guard], c.mv_day[c.mv_guard])
    guarded = ~c.mv_guard.astype(bool) & (c.mv_day <= guard_day[c.mv_origin]) & c.mv_own
    waits_for = np.bincount(c.mv_origin[guarded], minlength=len(c.site_ids)).astype(np.int64)
    # the final steps start once the last of those that carry cargo has gone (the planner's
    # rule, `plan.closing`): a main body still boarding does not delay them
    last_loads = guarded & ((c.mv_teu > 0) | (c.mv_veh > 0))
    loads_for = np.bincount(c.mv_origin[last_loads], minlength=len(c.site_ids)).astype(np.int64)
    # those that may take cargo left behind (`engine._depart`): the last of them waits for
    # the cargo still being packed
    freight = guarded & ((c.mv_people == 0) | (c.mv_teu > 0) | (c.mv_veh > 0))
    freight_for = np.bincount(c.mv_origin[freight], minlength=len(c.site_ids)).astype(np.int64)
    sites = Sites(
        closes=np.isin(c.site_kind, CLOSING_SITE_KINDS),
        exit_people=c.exit_people,
        exit_cargo=c.exit_cargo,
        people0=c.people0,
        total_people=float(c.people0.sum()),
        teu0=c.teu0,
        veh0=c.veh0,
        cargo_origins=cargo_origins,
        destroy_origin=c.destroy_share[cargo_origins],
        air_link=c.air_link,
        air_dest=c.air_dest,
        air_approval=c.air_approval,
        air_delay_mean=c.air_delay_mean,
        air_delay_fixed=c.air_delay_fixed,
        evac_dest=c.evac_dest,
        evac_link=c.evac_link,
        attack_sites=np.flatnonzero(c.attack_rate[:, : c.horizon].sum(axis=1) > 0),
        attack_rate=c.attack_rate,
        attack_elasticity=c.attack_elasticity,
        attack_effects=c.attack_effects,
        guard_waits_for=waits_for,
        handover_waits_for=loads_for,
        freight_waits_for=freight_for,
        guard_planned=np.bincount(
            c.mv_origin[c.mv_guard], weights=c.mv_people[c.mv_guard], minlength=len(c.site_ids)
        ).astype(np.float64),
        evac_by_air=(c.evac_link >= 0) & (c.evac_link == c.air_link),
        evac_seats=c.evac_seats if c.evac_seats.size else np.full(len(c.site_ids), np.inf),
        evac_per_person=c.evac_sorties_per_person,
        evac_fire_rate=c.evac_fire_rate,
        evac_fire_effects=c.evac_fire_effects,
        evac_road_rate=c.evac_road_rate,
        evac_road_effects=c.evac_road_effects,
        no_delay=np.zeros(c.n_days),
        fixed_delay=np.ones(c.n_days, dtype=np.bool_),
        has_guard=np.bincount(c.mv_origin[c.mv_guard], minlength=len(c.site_ids)) > 0,
        hold_until=c.hold_until,
        supports=c.supports,
        guard_latest=c.guard_latest_day,
    )
    links = Links(open=c.link_open, next_open=c.next_open, travel=c.travel)
    movements = Movements(
        day=c.mv_day,
        dur=c.mv_dur,
        origin=c.mv_origin,
        dest=c.mv_dest,
        link=c.mv_link,
        mode=c.mv_mode,
        convoys=c.mv_convoys,
        people=c.mv_people,
        teu=c.mv_teu,
        veh=c.mv_veh,
        cap=c.mv_cap,
        guard=c.mv_guard,
        guarded=guarded,
        last_loads=last_loads,
        freight=freight,
        own=c.mv_own,
        upstream=c.mv_upstream,
    )
    events = Events(day=c.ev_day, site=c.ev_site, contingent=c.ev_contingent)
    rules = Rules(
        horizon=c.horizon,
        n_days=c.n_days,
        retry_days=c.retry_days,
        max_retries=c.max_retries,
        air_when_refused=c.air_when_refused,
        cutoff_day=c.cutoff_day,
        early_close_attacks=c.early_close_attacks,
        early_close_window_days=c.early_close_window_days,
        evac_expedited=bool(c.evac_expedited),
    )
    pack_sites = np.flatnonzero(holds_cargo & np.isin(c.site_kind, CLOSING_SITE_KINDS))
    if c.pack_rank.size:  # a closure team takes its sites in its round
        pack_sites = pack_sites[np.argsort(c.pack_rank[pack_sites], kind="stable")]
    closure = Closure(
        modelled=bool(c.closure_work),
        pack_sites=pack_sites,
        team=c.pack_team[pack_sites] if c.pack_team.size else np.full(pack_sites.size, -1),
        per_person=c.pack_per_person,
        cap=c.pack_cap,
        floor=c.pack_floor,
        done=c.pack_done,
        factor_low=float(c.pack_factor_range[0]),
        factor_high=float(c.pack_factor_range[1]),
        steps_low=int(c.final_steps_range[0]),
        steps_high=int(c.final_steps_range[1]),
        steps_from=c.steps_from_day,
        approval=c.handover_approval,
        delay_mean=c.handover_delay_mean,
        delay_fixed=c.handover_delay_fixed,
    )
    lift = Lift(
        kind=c.lift_kind,
        site=c.lift_site,
        flights=c.lift_flights,
        seats_each=c.lift_seats_each,
        approval=c.lift_approval,
        per_day=c.lift_per_day,
        border_mean=c.lift_border_mean,
        site_charter=c.site_charter,
        site_corridor=c.site_corridor,
        bank_cap=_bank_cap(c),
    )
    own_origin = np.full(len(c.site_ids), -1, dtype=np.int64)
    own_origin[cargo_origins] = np.arange(cargo_origins.size)
    reach_ptr, reach = _csr(_reachable(c))
    own_ptr, own = _csr(c.unit_site[None, :] == np.arange(len(c.site_ids))[:, None])
    units = Units(
        site=c.unit_site,
        contingent=c.unit_contingent,
        people=c.unit_people,
        rear=c.unit_rear,
        moved=c.unit_moved,
        moved_before=c.unit_moved_before,
        planned_dispatched=c.planned_dispatched,
        guard=c.guard_people,
        own_origin=own_origin,
        equipment0=c.teu0.sum(axis=1) + c.veh0.sum(axis=1),
        # seats on the site's own movements: legs passing through carry others' people
        seats=np.bincount(
            c.mv_origin, weights=c.mv_cap[:, 0] * c.mv_own, minlength=len(c.site_ids)
        ),
        planned_out=np.bincount(c.mv_origin, minlength=len(c.site_ids)).astype(np.int64),
        sweep=bool(c.closure_work),
        reach_ptr=reach_ptr,
        reach=reach,
        own_ptr=own_ptr,
        own=own,
    )
    return sites, links, movements, events, rules, closure, lift, units


def _reachable(c: Compiled) -> np.ndarray:
    """bool [S, U]: units that can be at each site, by any planned movement, evacuation or
    diversion by air from where they start (a superset of where they will be)."""
    n_sites = len(c.site_ids)
    at = c.unit_site[None, :] == np.arange(n_sites)[:, None]
    edges = {(int(a), int(b)) for a, b in zip(c.mv_origin, c.mv_dest, strict=True)}
    for routes in ((c.evac_dest,), (c.air_dest,)):
        edges |= {(s, int(d)) for s, d in enumerate(routes[0]) if d >= 0}
    changed = True
    while changed:
        changed = False
        for a, b in edges:
            grown = at[b] | at[a]
            if (grown != at[b]).any():
                at[b] = grown
                changed = True
    return at


def _csr(member: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row pointers and column indices (ascending) of a boolean matrix's true cells."""
    rows, cols = np.nonzero(member)
    ptr = np.zeros(member.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=member.shape[0]), out=ptr[1:])
    return ptr, cols.astype(np.int64)


def chance_bundles(
    drawn: MovementDraws,
    u: np.ndarray,
    kernel_start: int,
    factors: Factors,
) -> tuple[Draws, Factors]:
    """The block's draws, with every per-run factor as float64."""
    draws = Draws(
        u=u,
        kernel_start=int(kernel_start),
        ready_day=drawn.ready_day,
        refused=drawn.refused,
        inc_ptr=drawn.inc_ptr,
        inc_movement=drawn.inc_movement,
        inc_count=drawn.inc_count,
        inc_effects=drawn.inc_effects,
    )
    as_float = Factors(*(np.asarray(f, dtype=np.float64) for f in factors))
    return draws, as_float


def new_state(
    sites: Sites,
    movements: Movements,
    events: Events,
    lift: Lift,
    units: Units,
    rules: Rules,
) -> State:
    """Room for one run's state; the engine resets what each run needs."""
    n_mv, n_sites = movements.day.size, sites.people0.size
    n_days = rules.n_days
    n_orig = sites.cargo_origins.size
    # every movement, one diversion each, one early evacuation per site, every event, and
    # room for stragglers following the last convoys (one per arrival, bounded)
    n_slots = 2 * n_mv + n_sites + events.day.size + 1 + (2 * n_mv + n_sites) * units.sweep
    n_slots += n_mv + 8 * n_sites  # evacuations by air that need more than a day's seats
    return State(
        slot_origin=np.zeros(n_slots, dtype=np.int64),
        slot_dest=np.zeros(n_slots, dtype=np.int64),
        slot_link=np.zeros(n_slots, dtype=np.int64),
        slot_people=np.zeros(n_slots),
        slot_teu=np.zeros((n_slots, n_orig, 2)),
        slot_veh=np.zeros((n_slots, n_orig, 2)),
        carries=np.zeros(n_slots, dtype=np.bool_),
        dep_head=np.full(n_days + 1, -1, dtype=np.int64),
        dep_next=np.full(n_slots, -1, dtype=np.int64),
        arr_head=np.full(n_days + 1, -1, dtype=np.int64),
        arr_next=np.full(n_slots, -1, dtype=np.int64),
        inc_of=np.full(n_mv, -1, dtype=np.int64),
        people=np.zeros(n_sites),
        teu=np.zeros((n_sites, n_orig, 2)),
        veh=np.zeros((n_sites, n_orig, 2)),
        backlog=np.zeros((n_sites, 3)),
        pending_out=np.zeros(n_sites, dtype=np.int64),
        loads_out=np.zeros(n_sites, dtype=np.int64),
        freight_out=np.zeros(n_sites, dtype=np.int64),
        attacks=np.zeros(n_sites, dtype=np.int64),
        closed_early=np.zeros(n_sites, dtype=np.bool_),
        hazard=np.zeros(n_sites),
        threshold=np.zeros(n_sites),
        factor=np.ones(n_sites),
        factor_people=np.full(n_sites, -1.0),
        last_zero=np.zeros(n_sites, dtype=np.int64),
        own_zero=np.zeros(n_sites, dtype=np.int64),
        fate_teu=np.zeros((n_orig, N_FATES)),
        fate_veh=np.zeros((n_orig, N_FATES)),
        load_teu=np.zeros((n_orig, 2)),
        load_veh=np.zeros((n_orig, 2)),
        attack_draws=np.zeros(5),
        attack_days=np.zeros((n_sites, max(1, rules.early_close_attacks)), dtype=np.int64),
        tally=np.zeros(7, dtype=np.int64),
        in_theatre=np.zeros(1),
        teu_out=np.zeros(1),
        unpacked=np.zeros((n_sites, 2)),
        pack_factor=np.ones(n_sites),
        pack_kept=np.ones((n_sites, 2)),
        final_steps=np.zeros(n_sites, dtype=np.int64),
        release=np.full(n_sites, -1, dtype=np.int64),
        handed=np.zeros(n_sites, dtype=np.bool_),
        waiting=np.zeros(n_sites),
        seat_bank=np.zeros(lift.kind.size),
        handover_u=np.full(n_sites, -1.0),
        pool_teu=np.zeros((lift.kind.size, n_orig, 2)),
        pool_veh=np.zeros((lift.kind.size, n_orig, 2)),
        bord_head=np.full(n_days + 1, -1, dtype=np.int64),
        bord_next=np.full(n_slots, -1, dtype=np.int64),
        unit_at=np.zeros((n_sites, units.site.size)),
        slot_units=np.zeros((n_slots, units.site.size)),
        unit_waiting=np.zeros((n_sites, units.site.size)),
        waiting_since=np.zeros((n_sites, units.site.size), dtype=np.int64),
        unit_in=np.zeros(units.site.size),
        seats_left=np.zeros(n_sites),
        guard_gone=np.zeros(n_sites, dtype=np.bool_),
        mv_done=np.zeros(n_mv, dtype=np.bool_),
        planned_left=np.zeros(n_sites, dtype=np.int64),
        slot_air=np.zeros(n_slots, dtype=np.bool_),
        slot_contingent=np.full(n_slots, -1, dtype=np.int64),
        evac_day=np.full(n_sites, -1, dtype=np.int64),
        evac_used=np.zeros(n_sites),
    )
