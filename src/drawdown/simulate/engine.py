"""The engine: executes a plan for a block of runs, given every movement's drawn fate.

Chance is drawn beforehand for all runs at once (`disruptions`); what is left is what
interacts and must be resolved in time order: loads depend on what has arrived and been
packed, the last guard waits for the other movements and the handover, cancelled movements
divert people to the air, charters seat who is waiting, attacks depend on how thin the
garrison is. That resolution is compiled (numba) and walks, for each run, only the days on
which something happens to its movements: departures are bucketed by day in linked lists,
so the cost is in movements, not in days times movements.

A run is resolved day by day through phases, small functions over the named bundles of
`bundles` (inlined by numba, so they cost what one long function did). Their order within a
day is the model's order of events (the SimPy reference keeps it too):

1. `_arrivals`: movements due today unload where they arrive, wait for a seat at a charter
   airport, or queue at a corridor's border. First, so that what arrives today is at hand
   for today's departures.
2. `_packing`: the people present pack the site's cargo (closure work). After the arrivals,
   before the departures: what is packed today can leave today.
3. `_events`: a contingent leaving on its date takes its evacuation route today. After the
   arrivals (it leaves with whoever is there), before the departures (it joins today's).
4. `_departures`: planned movements in plan order, each cleared, refused (people then
   diverted to the air), held for a closed link, a residual task, a site still supported,
   the handover or the other movements of its base, a base's last load for the cargo still
   being packed, or loaded with plan plus backlog of
   packed cargo and sent with its drawn incidents; the base's last load but the guard
   starts the final steps and the handover request; air legs that arrive the same day
   unload at once, so a later departure that day can carry what they brought.
5. `_lift`: cargo through its border delay crosses its corridor up to the day's
   throughput; the day's cleared charters seat who is waiting. After the departures, so
   the same-day air arrivals can be seated.
6. `_attacks`: bases are attacked at a rate that rises as the garrison thins. After the
   departures, so the garrison attacked is the one the day's movements left; a base closed
   early under fire evacuates the next day and abandons what it cannot take.
7. `_count`: people still in theatre and TEU out of it at the end of the day, and whether
   the run is over.

`_start_run` resets a run's state; `_end_run` disposes of what is left where it stands.

Keeping it as fast as one long function (measured with `benchmarks/bench_simulate.py`):
phases are `inline` and `_resolve` is compiled by `inlining.PhaseCompiler`, so bundles are
never copied; phases return single values, not tuples; loops over the class and fate axes
have constant bounds (`N_CLASSES`, `N_FATES`) instead of slices; rows are indexed, not
taken as views. Each of these, broken, cost between 10% and a factor of 24.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba as nb
import numpy as np

from drawdown.scenario.kinds import THREAT_NAMES
from drawdown.simulate.bundles import Factors, chance_bundles, new_state, static_bundles
from drawdown.simulate.disruptions import MovementDraws, poisson_inv
from drawdown.simulate.inlining import PhaseCompiler
from drawdown.simulate.inputs import MODES, Compiled
from drawdown.simulate.policy import (
    LOST,
    N_FATES,
    REMAINING,
    SHIPPED,
    air_clearance,
    catch_up,
    dispose,
    lose_share,
    take_cargo,
)
from drawdown.simulate.withdrawal import border_delay, cleared_seats, cross, handover, pack_to

# --- the one place the engine names incident kinds and modes ------------------------------
# slots of the drawn counts (`MovementDraws.inc_count`, laid out by `inputs`): the per-convoy-km
# kinds on the link, then ground fire at the origin and at the destination airfield
DRAWN_IED, DRAWN_AMBUSH, DRAWN_GF_ORIGIN, DRAWN_GF_DEST = 0, 1, 2, 3
# columns of `ChunkOutcome.incidents` (the registry's order of threat kinds)
OUT_IED, OUT_AMBUSH, OUT_GROUND_FIRE, OUT_BASE_ATTACK = (
    THREAT_NAMES.index(name) for name in ("ied", "ambush", "ground_fire", "base_attack")
)
N_INCIDENT_KINDS = len(THREAT_NAMES)
# columns of `inc_link` (ied, ambush) and `inc_site` (ground fire, base attacks)
LINK_IED, LINK_AMBUSH = 0, 1
SITE_GROUND_FIRE, SITE_BASE_ATTACK = 0, 1
AIR = MODES["air"]
CORRIDOR = 1  # `Lift.kind` of a road corridor (0 is a charter)

# cargo arrays end in a class axis (general, sensitive) or a fate axis; loops over them use
# these constant bounds, not slices: with the sizes unknown at compile time, LLVM called
# memset or memcpy for every 16-byte row, which cost a tenth of the engine's time
N_CLASSES = 2

# indices of `State.tally`
PTR, N_USED, PENDING, IN_TRANSIT, EV_PTR, LATE, AT_BORDER = 0, 1, 2, 3, 4, 5, 6

# phase functions are inlined into `_resolve` (one compiled loop, no call per day or per
# movement); `PhaseCompiler` keeps the bundles they are given from being copied
inline = nb.njit(inline="always")


class ChunkOutcome(NamedTuple):
    """Raw per-run results of one block of runs (arrays, first axis the run)."""

    closure_day: np.ndarray  # int64 [R, S]; -1 not closed
    completion_day: np.ndarray  # int64 [R]; -1 people left in theatre
    remaining: np.ndarray  # int32 [R, H] people in theatre at the end of each day
    teu_out: np.ndarray  # int32 [R, H] TEU out of the theatre by the end of each day
    killed: np.ndarray  # float64 [R]
    wounded: np.ndarray
    people_out: np.ndarray
    people_lost: np.ndarray
    people_stranded: np.ndarray
    incidents: np.ndarray  # int64 [R, 4]
    teu_fate: np.ndarray  # float64 [R, S, 6] by origin site
    veh_fate: np.ndarray
    diverted: np.ndarray  # people sent by air after a refusal
    early_closed: np.ndarray  # bases closed early under attack
    short: np.ndarray  # bool: ran out of reserved uniforms
    inc_link: np.ndarray  # int64 [L, 2]: ied, ambush counts over the block
    inc_site: np.ndarray  # int64 [S, 2]: ground fire, base attacks
    killed_link: np.ndarray  # float64 [L]
    killed_site: np.ndarray  # float64 [S]
    # the withdrawal's bottlenecks (closure work, strategic lift, early closures)
    packed_day: np.ndarray  # int64 [R, S]: day all its plan ships was packed (-1 never/none)
    handover_day: np.ndarray  # int64 [R, S]: -1 no handover
    early_closed_site: np.ndarray  # int64 [R, S]: 1 if closed early under attack
    early_close_day: np.ndarray  # int64 [R, S]: -1 not closed early
    lift_people_by_day: np.ndarray  # float64 [X, H] people seated, summed over the block
    lift_seats_by_day: np.ndarray  # float64 [X, H] seats cleared, summed over the block
    lift_teu_crossed: np.ndarray  # float64 [R, X]
    lift_vehicles_crossed: np.ndarray  # float64 [R, X]
    # people by formed unit
    unit_out_day: np.ndarray  # int64 [R, U]: day the unit's last person left (-1 never)
    unit_people_out: np.ndarray  # float64 [R, U]
    unit_people_lost: np.ndarray  # float64 [R, U]
    early_close_people: np.ndarray  # float64 [S]: people at bases closed early, summed
    exit_people_by_day: np.ndarray  # float64 [S, H]: people out of the theatre by exit, summed
    # where each run's spare pointer ended: a run read no uniform of its block at or past it
    # (uniforms generated only so far give its outcomes when none reached their end)
    spare_end: np.ndarray  # int64 [R]


def run_block(
    c: Compiled,
    drawn: MovementDraws,
    u: np.ndarray,
    kernel_start: int,
    threat: np.ndarray,
    speed: np.ndarray,
    capacity: np.ndarray,
    approval: np.ndarray,
) -> ChunkOutcome:
    """Resolve every run of a block; all runs share the compiled plan."""
    n_runs = u.shape[0]
    n_sites, n_links = len(c.site_ids), len(c.link_ids)
    n_lift = len(c.lift_ids)
    n_units = len(c.unit_ids)
    out = ChunkOutcome(
        closure_day=np.full((n_runs, n_sites), -1, dtype=np.int64),
        completion_day=np.full(n_runs, -1, dtype=np.int64),
        remaining=np.zeros((n_runs, c.horizon), dtype=np.int32),
        teu_out=np.zeros((n_runs, c.horizon), dtype=np.int32),
        killed=np.zeros(n_runs),
        wounded=np.zeros(n_runs),
        people_out=np.zeros(n_runs),
        people_lost=np.zeros(n_runs),
        people_stranded=np.zeros(n_runs),
        incidents=np.zeros((n_runs, N_INCIDENT_KINDS), dtype=np.int64),
        teu_fate=np.zeros((n_runs, n_sites, N_FATES)),
        veh_fate=np.zeros((n_runs, n_sites, N_FATES)),
        diverted=np.zeros(n_runs),
        early_closed=np.zeros(n_runs, dtype=np.int64),
        short=drawn.short.copy(),
        inc_link=np.zeros((n_links, 2), dtype=np.int64),
        inc_site=np.zeros((n_sites, 2), dtype=np.int64),
        killed_link=np.zeros(n_links),
        killed_site=np.zeros(n_sites),
        packed_day=np.full((n_runs, n_sites), -1, dtype=np.int64),
        handover_day=np.full((n_runs, n_sites), -1, dtype=np.int64),
        early_closed_site=np.zeros((n_runs, n_sites), dtype=np.int64),
        early_close_day=np.full((n_runs, n_sites), -1, dtype=np.int64),
        lift_people_by_day=np.zeros((n_lift, c.horizon)),
        lift_seats_by_day=np.zeros((n_lift, c.horizon)),
        lift_teu_crossed=np.zeros((n_runs, n_lift)),
        lift_vehicles_crossed=np.zeros((n_runs, n_lift)),
        unit_out_day=np.full((n_runs, n_units), -1, dtype=np.int64),
        unit_people_out=np.zeros((n_runs, n_units)),
        unit_people_lost=np.zeros((n_runs, n_units)),
        early_close_people=np.zeros(n_sites),
        exit_people_by_day=np.zeros((n_sites, c.horizon)),
        spare_end=np.zeros(n_runs, dtype=np.int64),
    )
    sites, links, movements, events, rules, closure, lift, units = static_bundles(c)
    draws, factors = chance_bundles(
        drawn, u, kernel_start, Factors(threat, speed, capacity, approval)
    )
    state = new_state(sites, movements, events, lift, units, rules)
    _resolve(
        sites, links, movements, events, rules, closure, lift, units, draws, factors, state, out
    )
    return out


# nogil: threads sharing a what-if's runs (the workbench) resolve their blocks side by side,
# with no copy of the compiled plan to hand over as a process pool needs.
@nb.njit(cache=True, nogil=True, pipeline_class=PhaseCompiler)
def _resolve(sites, links, mv, ev, rules, closure, lift, units, draws, factors, st, out):
    """Every run of the block, day by day through the phases."""
    for r in range(draws.u.shape[0]):
        _start_run(r, sites, mv, rules, closure, units, draws, factors, st, out)
        for t in range(rules.n_days):
            _arrivals(t, r, sites, rules, lift, units, draws, factors, st, out)
            if closure.modelled:
                _packing(t, r, closure, st, out)
            _events(t, r, sites, rules, ev, units, draws, factors, st)
            _departures(
                t, r, sites, links, mv, rules, closure, lift, units, draws, factors, st, out
            )
            if lift.kind.size > 0:
                _lift(t, r, rules, lift, units, draws, factors, st, out)
            if t < rules.horizon:
                _attacks(t, r, sites, rules, closure, units, draws, factors, st, out)
            if _count(t, r, rules, st, out):
                break
        _end_run(r, sites, closure, lift, units, draws, st, out)


# --- small pieces shared by the phases ----------------------------------------------------


@inline
def _push(head, nxt, day, slot):
    nxt[slot] = head[day]
    head[day] = slot


@inline
def _spare_uniform(r, draws, st):
    """The next spare uniform of run `r` (0.5 once the reserve is spent)."""
    ptr = st.tally[PTR]
    st.tally[PTR] = ptr + 1
    return draws.u[r, ptr] if ptr < draws.u.shape[1] else 0.5


@inline
def _uniform(r, draws, st, out):
    """The next spare uniform, marking the run short once the reserve is spent."""
    if st.tally[PTR] >= draws.u.shape[1]:
        out.short[r] = True
    return _spare_uniform(r, draws, st)


@inline
def _new_slot(st, origin, dest, link, people):
    """An unplanned movement (evacuation or diversion) of `people` from `origin`."""
    e = st.tally[N_USED]
    st.tally[N_USED] = e + 1
    st.slot_origin[e] = origin
    st.slot_dest[e] = dest
    st.slot_link[e] = link
    st.slot_people[e] = people
    st.slot_air[e] = False
    st.slot_contingent[e] = -1
    return e


@inline
def _unload(a, t, r, sites, rules, lift, units, draws, factors, st, out):
    """Slot `a` arrives: people and cargo join its destination or head out of the theatre.

    People at a charter airport wait for a seat; cargo at a corridor's end waits its
    border delay, then queues to cross (`_lift`).
    """
    d = st.slot_dest[a]
    o = st.slot_origin[a]
    if a < st.mv_done.size:
        st.mv_done[a] = True  # a planned movement is there: its route's next leg may go
    # a slot holds only units that can be at its origin (`Units.reach`)
    first, stop = units.reach_ptr[o], units.reach_ptr[o + 1]
    if st.slot_people[a] <= 0.0:
        stop = first  # nobody aboard (most loads): `_board` left its units unset
    if sites.exit_people[d] and lift.site_charter[d]:
        st.waiting[d] += st.slot_people[a]
        for i in range(first, stop):
            u = units.reach[i]
            if st.slot_units[a, u] > 0.0:
                if st.unit_waiting[d, u] <= 1e-9:
                    st.waiting_since[d, u] = t
                st.unit_waiting[d, u] += st.slot_units[a, u]
    elif sites.exit_people[d]:
        out.people_out[r] += st.slot_people[a]
        st.in_theatre[0] -= st.slot_people[a]
        if t < rules.horizon:
            out.exit_people_by_day[d, t] += st.slot_people[a]
        for i in range(first, stop):
            u = units.reach[i]
            _unit_leaves(t, r, u, st.slot_units[a, u], False, st, out)
    else:
        st.people[d] += st.slot_people[a]
        for i in range(first, stop):
            u = units.reach[i]
            st.unit_at[d, u] += st.slot_units[a, u]
        if st.planned_left[d] == 0 and units.sweep:
            _sweep(t, r, d, sites, rules, draws, factors, st)
    if st.carries[a] and lift.site_corridor[d] >= 0:
        wait = border_delay(_spare_uniform(r, draws, st), lift.border_mean[lift.site_corridor[d]])
        _push(st.bord_head, st.bord_next, min(rules.n_days - 1, t + wait), a)
        st.tally[AT_BORDER] += 1
        st.carries[a] = False
    for o in range(sites.cargo_origins.size if st.carries[a] else 0):
        for cls in range(N_CLASSES):
            if sites.exit_cargo[d]:
                st.fate_teu[o, SHIPPED] += st.slot_teu[a, o, cls]
                st.fate_veh[o, SHIPPED] += st.slot_veh[a, o, cls]
                # an exit for cargo with no corridor: out of the theatre as it arrives, where
                # `teu_shipped` counts it (cargo at a corridor's end went to its border above)
                st.teu_out[0] += st.slot_teu[a, o, cls]
            else:
                st.teu[d, o, cls] += st.slot_teu[a, o, cls]
                st.veh[d, o, cls] += st.slot_veh[a, o, cls]


@inline
def _clear_load(a, i, j):
    """Zero `a[i, j, :]`, cargo by class (see `N_CLASSES`)."""
    for cls in range(N_CLASSES):
        a[i, j, cls] = 0.0


@inline
def _own(stock, site, origin):
    """Cargo at `site` of its own origin row `origin`, every class."""
    total = 0.0
    for cls in range(N_CLASSES):
        total += stock[site, origin, cls]
    return total


@inline
def _held(stock, site):
    """Cargo at `site`, summed in `ndarray.sum`'s order (without making a view per call)."""
    total = 0.0
    for j in range(stock.shape[1]):
        for cls in range(N_CLASSES):
            total += stock[site, j, cls]
    return total


@inline
def _take_people(t, site, n, st):
    """`n` people leave `site`; the day its last person left is kept for its closure."""
    if st.people[site] > 0 and st.people[site] - n <= 0:
        st.last_zero[site] = t
    st.people[site] -= n


@inline
def _unit_leaves(t, r, u, n, lost, st, out):
    """`n` people of unit `u` leave the theatre (or are killed, `lost`); the day its last
    person has gone is the unit's out day."""
    if n <= 0.0:
        return
    st.unit_in[u] -= n
    if lost:
        out.unit_people_lost[r, u] += n
    else:
        out.unit_people_out[r, u] += n
    if st.unit_in[u] <= 0.5 and out.unit_out_day[r, u] < 0:
        out.unit_out_day[r, u] = t


@inline
def _own_dispatched(o, units, st):
    """TEU and vehicles of site `o`'s own cargo dispatched (or lost) so far."""
    j = units.own_origin[o]
    if j < 0:
        return 0.0
    left = 0.0
    for cls in range(N_CLASSES):
        left += st.teu[o, j, cls] + st.veh[o, j, cls]
    return units.equipment0[o] - left


@inline
def _to_go(u, dispatched, units):
    """Unit `u`'s own equipment still to go once its site has dispatched `dispatched` of its
    own (the site ships unit by unit, least first: `inputs.unit_equipment`)."""
    return min(units.moved[u], max(0.0, units.moved_before[u] + units.moved[u] - dispatched))


@inline
def _unit_hold(t, o, u, dispatched, units, st):
    """People of unit `u` who must stay at `o` for now: its rear party, and the part of its
    main body whose equipment is behind the plan.

    Units leave with their work: the plan (its ledger, `drawdown.plan.ledger`) lets a main
    body go as its own equipment leaves, and this run holds it only as far as the site's own
    cargo has gone out more slowly than planned (`Units.planned_dispatched`). A run on plan
    therefore moves people as the plan does; one whose cargo is held up keeps the main bodies
    of the units still waiting for their equipment. What the plan hands over or destroys
    holds nobody."""
    if units.site[u] != o:
        return 0.0
    hold = units.rear[u]
    moved = units.moved[u]
    if moved > 1e-9:
        planned = units.planned_dispatched[o, t]
        behind = _to_go(u, dispatched, units) - _to_go(u, planned, units)
        if behind > 0.0:
            hold += (units.people[u] - units.rear[u]) * behind / moved
    return min(st.unit_at[o, u], hold)


@inline
def _free_people(t, o, later, unit_holds, sites, units, st):
    """People a planned movement other than the last guard may take from `o`: all but the
    last guard (while it is there) and, with `unit_holds` (closure work), the units' holds,
    but no more stay than the site's later planned movements have room for (`later` seats):
    a plan without room for rear parties is carried out, not stranded.

    Without closure work the guard kept back is the one the plan sized (taking whoever was
    there, movements planned for people held elsewhere had emptied the HQ before the sites
    it supports)."""
    held = 0.0
    if unit_holds:
        dispatched = _own_dispatched(o, units, st)
        for i in range(units.own_ptr[o], units.own_ptr[o + 1]):
            held += _unit_hold(t, o, units.own[i], dispatched, units, st)
    if not st.guard_gone[o]:
        guard = units.guard[o] if unit_holds else min(units.guard[o], sites.guard_planned[o])
        held = max(guard, held)
    stay = min(math.ceil(held - 1e-9), math.floor(later + 1e-9))
    return max(0.0, st.people[o] - max(0.0, stay))


@inline
def _board(t, o, slot, n, holds, k, units, st):
    """`n` people leave `o` aboard `slot`, by unit: people passing through first, then the
    site's own units in their order (with `holds`, only what the units' holds free). With
    `k` >= 0, only contingent `k`'s people board (a contingent leaving on its date)."""
    if n <= 0.0:
        return  # nobody boards: `_unload` reads no units of a slot without people
    first, stop = units.reach_ptr[o], units.reach_ptr[o + 1]
    for i in range(first, stop):
        st.slot_units[slot, units.reach[i]] = 0.0
    left = n
    dispatched = _own_dispatched(o, units, st) if holds else 0.0
    for step in range(3):  # passing through, own units, then anyone (rounding)
        for i in range(first, stop):
            u = units.reach[i]
            if left <= 0.0:
                break
            own = units.site[u] == o
            if (step == 0 and own) or (step == 1 and not own):
                continue
            if k >= 0 and units.contingent[u] != k:
                continue
            have = st.unit_at[o, u]
            if step == 1 and holds:
                have -= _unit_hold(t, o, u, dispatched, units, st)
            take = min(have, left)
            if take > 0.0:
                st.unit_at[o, u] -= take
                st.slot_units[slot, u] += take
                left -= take
    _own_gone(t, o, units, st)


@inline
def _contingent_at(o, k, units, st):
    """People of contingent `k`'s units at `o` (any of them, passing through or not)."""
    n = 0.0
    for i in range(units.reach_ptr[o], units.reach_ptr[o + 1]):
        u = units.reach[i]
        if units.contingent[u] == k:
            n += st.unit_at[o, u]
    return n


@inline
def _own_gone(t, o, units, st):
    """Keep the day the last of `o`'s own units' people left it: the site's closure. People
    of other sites passing through (a convoy's overnight stop at a base closed weeks ago on
    its road out) do not hold a site open."""
    if st.own_zero[o] >= 0 or units.own_ptr[o + 1] == units.own_ptr[o]:
        return
    own = 0.0
    for i in range(units.own_ptr[o], units.own_ptr[o + 1]):
        own += st.unit_at[o, units.own[i]]
    if own <= 0.5:
        st.own_zero[o] = t


@inline
def _units_lost(t, r, units, share, where, row, site, st, out):
    """A `share` of the people in `where[row]` (by unit, units that can be at `site`) is
    killed."""
    for i in range(units.reach_ptr[site], units.reach_ptr[site + 1]):
        u = units.reach[i]
        lost = where[row, u] * share
        if lost > 0.0:
            where[row, u] -= lost
            _unit_leaves(t, r, u, lost, True, st, out)


@inline
def _sweep(t, r, o, sites, rules, draws, factors, st):
    """No planned movement is left out of `o`: whoever is there (left behind by a full
    convoy, or arriving late from upstream) follows by the site's evacuation route
    tomorrow, as a mission sends its stragglers after the last convoy."""
    _evacuate(r, o, st.people[o], min(t + 1, rules.n_days - 1), sites, rules, draws, factors, st)


@inline
def _evacuate(r, o, n, day, sites, rules, draws, factors, st):
    """`n` people leave `o` by its evacuation route from `day`. By air they fly on the
    scenario's own aircraft (seats a day, `_leave_unplanned`) once an air clearance is
    given, without its delay when the policy expedites evacuations; refused at every
    attempt, they stay."""
    if sites.evac_link[o] < 0 or st.tally[N_USED] >= st.slot_origin.size:
        return -1
    leave = day
    if sites.evac_by_air[o]:
        delay_mean = sites.air_delay_mean[o]
        delay_fixed = sites.air_delay_fixed[o]
        if rules.evac_expedited:
            delay_mean = sites.no_delay
            delay_fixed = sites.fixed_delay
        leave = air_clearance(
            _spare_uniform(r, draws, st),
            sites.air_approval[o],
            delay_mean,
            delay_fixed,
            day,
            rules.retry_days,
            rules.max_retries,
            factors.approval[r],
        )
        if leave < 0:
            return -1
    e = _new_slot(st, o, sites.evac_dest[o], sites.evac_link[o], n)
    st.slot_air[e] = sites.evac_by_air[o]
    st.tally[PENDING] += 1
    _push(st.dep_head, st.dep_next, leave, e)
    return e


@inline
def _ask_handover(t, r, o, rules, closure, draws, factors, st):
    """The last load has left site `o` on day `t`: the final steps run (from the plan's
    day for them at the latest, so that a site held open is handed over as its guard
    leaves), then the handover is asked for; sets the day the guard may leave and whether
    it was handed.

    The site's one handover uniform is drawn at its first request and kept: a later load
    that restarts the final steps asks again with the same chance (the host's answer does
    not depend on how often the steps restart, and the reserve of uniforms stays bounded)."""
    if st.handover_u[o] < 0.0:
        st.handover_u[o] = _spare_uniform(r, draws, st)
    day, handed = handover(
        st.handover_u[o],
        closure.approval[o],
        closure.delay_mean[o],
        closure.delay_fixed[o],
        max(t, closure.steps_from[o]) + st.final_steps[o],
        rules.retry_days,
        rules.max_retries,
        factors.approval[r],
    )
    st.release[o] = day
    st.handed[o] = handed


@inline
def _draw_final_steps(r, sites, closure, draws, st):
    """This run's days of final steps at each guarded site, uniform in whole days over the
    precedents' range (a uniform is drawn only where the range is not one day)."""
    spread = closure.steps_high - closure.steps_low
    for s in range(sites.people0.size):
        st.final_steps[s] = closure.steps_low
        if spread > 0 and sites.has_guard[s]:
            u = _spare_uniform(r, draws, st)
            st.final_steps[s] += min(int(u * (spread + 1)), spread)


@inline
def _one_gone(t, r, m, o, sites, mv, rules, closure, draws, factors, st):
    """Movement `m` has left or been cancelled: one fewer for the base's last guard to wait
    for; once the last load has gone, the closure's final steps and handover start."""
    st.tally[PENDING] -= 1
    st.planned_left[o] -= 1
    if st.planned_left[o] == 0 and closure.modelled:
        _sweep(t, r, o, sites, rules, draws, factors, st)
    if mv.own[m]:  # seats left on the site's own movements
        st.seats_left[o] -= mv.cap[m, 0] * factors.capacity[r]
    if mv.guard[m]:
        st.guard_gone[o] = True
    if mv.guarded[m]:
        st.pending_out[o] -= 1
    if mv.freight[m]:
        st.freight_out[o] -= 1
    if mv.last_loads[m]:
        st.loads_out[o] -= 1
        if closure.modelled and st.loads_out[o] == 0 and st.release[o] < 0:
            _ask_handover(t, r, o, rules, closure, draws, factors, st)


@inline
def _supports_open(sites, site, st):
    """Whether a site that `site` supports still has people (is still open)."""
    if sites.supports.shape[0] == 0:
        return False
    open_ = False
    for other in range(st.people.size):
        open_ = open_ or (sites.supports[site, other] and st.people[other] > 0.5)
    return open_


@inline
def _lift_idle(st):
    """Nobody waits for a charter and no cargo waits at a corridor's end."""
    return (
        st.tally[AT_BORDER] == 0
        and st.waiting.sum() <= 0.0
        and st.pool_teu.sum() + st.pool_veh.sum() <= 0.0
    )


# --- a run's start and end ----------------------------------------------------------------


@inline
def _start_run(r, sites, mv, rules, closure, units, draws, factors, st, out):
    """Reset the run's state: holdings at the start, the plan's departures by day."""
    st.tally[PTR] = draws.kernel_start
    st.people[:] = sites.people0
    st.unit_at[:, :] = 0.0
    st.unit_waiting[:, :] = 0.0
    st.guard_gone[:] = False
    st.mv_done[:] = False
    st.evac_day[:] = -1
    st.planned_left[:] = units.planned_out
    for s in range(sites.people0.size):
        st.seats_left[s] = units.seats[s] * factors.capacity[r]
    for u in range(units.site.size):
        st.unit_at[units.site[u], u] = units.people[u]
        st.unit_in[u] = units.people[u]
        if units.people[u] <= 0.0:
            out.unit_out_day[r, u] = 0
    for s in range(sites.people0.size):
        for j in range(sites.cargo_origins.size):
            _clear_load(st.teu, s, j)
            _clear_load(st.veh, s, j)
        for k in range(3):
            st.backlog[s, k] = 0.0
    for j in range(sites.cargo_origins.size):
        for f in range(N_FATES):
            st.fate_teu[j, f] = 0.0
            st.fate_veh[j, f] = 0.0
        for cls in range(N_CLASSES):
            st.teu[sites.cargo_origins[j], j, cls] = sites.teu0[sites.cargo_origins[j], cls]
            st.veh[sites.cargo_origins[j], j, cls] = sites.veh0[sites.cargo_origins[j], cls]
    st.pending_out[:] = sites.guard_waits_for
    st.loads_out[:] = sites.handover_waits_for
    st.freight_out[:] = sites.freight_waits_for
    st.attacks[:] = 0
    st.closed_early[:] = False
    st.hazard[:] = 0.0
    st.factor_people[:] = -1.0
    st.carries[:] = False
    st.last_zero[:] = -1
    st.own_zero[:] = -1
    # each attacked base's first attack comes when its hazard passes an exponential draw
    for i in range(sites.attack_sites.size):
        s = sites.attack_sites[i]
        st.threshold[s] = -math.log1p(-_spare_uniform(r, draws, st))
    # closure work and lift queues; a site whose guard waits for nothing asks at once
    for s in range(sites.people0.size):
        st.unpacked[s, 0] = 0.0
        st.unpacked[s, 1] = 0.0
    st.release[:] = -1
    st.handed[:] = False
    st.waiting[:] = 0.0
    st.seat_bank[:] = 0.0
    st.handover_u[:] = -1.0
    st.pool_teu[:, :, :] = 0.0
    st.pool_veh[:, :, :] = 0.0
    st.bord_head[:] = -1
    st.tally[AT_BORDER] = 0
    st.pack_kept[:, :] = 1.0
    if closure.modelled:
        spread = closure.factor_high - closure.factor_low
        for i in range(closure.pack_sites.size):
            s = closure.pack_sites[i]
            st.unpacked[s, 0] = sites.teu0[s, 0] + sites.teu0[s, 1]
            st.unpacked[s, 1] = sites.veh0[s, 0] + sites.veh0[s, 1]
            st.pack_factor[s] = closure.factor_low
            if spread > 0.0:  # a uniform is drawn only where the rate is uncertain
                st.pack_factor[s] += spread * _spare_uniform(r, draws, st)
        _draw_final_steps(r, sites, closure, draws, st)
        for s in range(sites.people0.size):
            if sites.has_guard[s] and sites.handover_waits_for[s] == 0:
                _ask_handover(0, r, s, rules, closure, draws, factors, st)
    st.dep_head[:] = -1
    st.arr_head[:] = -1
    for k in range(draws.inc_ptr[r], draws.inc_ptr[r + 1]):
        st.inc_of[draws.inc_movement[k]] = k
    n_mv = mv.day.size
    for m in range(n_mv - 1, -1, -1):
        st.slot_origin[m] = mv.origin[m]
        st.slot_dest[m] = mv.dest[m]
        st.slot_link[m] = mv.link[m]
        ready = draws.ready_day[r, m]
        if mv.people[m] == 0 and mv.day[m] <= rules.cutoff_day < ready - 1:
            # cargo not cleared by the cut-off is given up then, not when the answer comes:
            # the final steps need not wait for it
            ready = rules.cutoff_day + 1
        _push(st.dep_head, st.dep_next, ready, m)
    st.tally[N_USED] = n_mv
    st.tally[PENDING] = n_mv
    st.tally[IN_TRANSIT] = 0
    st.tally[EV_PTR] = 0
    st.in_theatre[0] = sites.total_people
    st.teu_out[0] = 0.0


@inline
def _end_run(r, sites, closure, lift, units, draws, st, out):
    """What is left where it stands: closure days, cargo disposed of, people stranded."""
    for s in range(sites.people0.size):
        if sites.closes[s]:
            # closed when its own people have gone (without units of its own: everyone)
            if units.own_ptr[s + 1] > units.own_ptr[s]:
                out.closure_day[r, s] = st.own_zero[s]
            elif st.people[s] > 0.5:
                out.closure_day[r, s] = -1
            else:
                out.closure_day[r, s] = st.last_zero[s]
        if sites.exit_cargo[s]:
            continue
        # A site is handed over only if its people were still there on the day the host took
        # it over: one evacuated under attack, or whose guard left before the host's answer,
        # was abandoned (Gao: "handed over in 99% of runs" while 3% of runs closed it early).
        closed = out.closure_day[r, s]
        handed = st.handed[s] and (not sites.closes[s] or 0 <= st.release[s] <= closed)
        refused = closure.modelled and st.release[s] >= 0 and not handed
        dispose(
            st.teu,
            st.veh,
            s,
            sites.destroy_origin,
            st.fate_teu,
            st.fate_veh,
            st.people[s] > 0.5,
            refused,
        )
        if handed and st.people[s] <= 0.5:
            out.handover_day[r, s] = st.release[s]
    # cargo still queued at a corridor's end remains in theatre
    for x in range(lift.kind.size):
        for o in range(sites.cargo_origins.size):
            for cls in range(N_CLASSES):
                st.fate_teu[o, REMAINING] += st.pool_teu[x, o, cls]
                st.fate_veh[o, REMAINING] += st.pool_veh[x, o, cls]
    out.people_stranded[r] = st.in_theatre[0]
    for j in range(sites.cargo_origins.size):
        for f in range(N_FATES):
            out.teu_fate[r, sites.cargo_origins[j], f] = st.fate_teu[j, f]
            out.veh_fate[r, sites.cargo_origins[j], f] = st.fate_veh[j, f]
    for k in range(draws.inc_ptr[r], draws.inc_ptr[r + 1]):
        st.inc_of[draws.inc_movement[k]] = -1
    out.spare_end[r] = st.tally[PTR]


# --- 1. arrivals --------------------------------------------------------------------------


@inline
def _arrivals(t, r, sites, rules, lift, units, draws, factors, st, out):
    """Every slot due today unloads."""
    a = st.arr_head[t]
    while a >= 0:
        _unload(a, t, r, sites, rules, lift, units, draws, factors, st, out)
        st.tally[IN_TRANSIT] -= 1
        a = st.arr_next[a]
    st.arr_head[t] = -1


# --- 2. packing ---------------------------------------------------------------------------


@inline
def _packing(t, r, closure, st, out):
    """The day's packing by the people present; the day a site's last cargo is packed.

    A site packing its own camp packs to its movement plan, no further ahead of it than
    `closure.floor` allows, and is packed once all its plan ships is (`call_forward`). A
    closure team packs at the first site of its round (`scenario.closure_teams`) that
    still has cargo to pack, people there and loads to come, or that finished today. A site
    whose last guard has gone packs no more: people of another site's route waiting there
    are not its labour (Menaka's convoys at Ansongo finished packing Ansongo's camp on day
    98, ten weeks after it closed)."""
    for i in range(closure.pack_sites.size):
        s = closure.pack_sites[i]
        # the schedule shrinks with the unpacked cargo an attack burnt (`_attack`)
        done_t = closure.done[s, 0] * st.pack_kept[s, 0]
        done_v = closure.done[s, 1] * st.pack_kept[s, 1]
        left = st.unpacked[s, 0] > done_t + 1e-9 or st.unpacked[s, 1] > done_v + 1e-9
        busy = left and not st.guard_gone[s]
        if busy and closure.team[i] >= 0 and _team_elsewhere(t, r, i, closure, st, out):
            continue
        if busy and pack_to(
            st.unpacked,
            s,
            st.people[s],
            closure.per_person,
            closure.cap[s],
            st.pack_factor[s],
            closure.floor[s, t, 0] * st.pack_kept[s, 0],
            closure.floor[s, t, 1] * st.pack_kept[s, 1],
            done_t,
            done_v,
        ):
            out.packed_day[r, s] = t


@inline
def _team_elsewhere(t, r, i, closure, st, out):
    """Whether pack site `i`'s closure team is at a site before it in the round today."""
    for k in range(i):
        if closure.team[k] != closure.team[i]:
            continue
        s = closure.pack_sites[k]
        if out.packed_day[r, s] == t:
            return True
        busy = st.unpacked[s, 0] > 0.0 or st.unpacked[s, 1] > 0.0
        # the team stays until the site's last load has gone (it waits for the packing)
        if busy and st.people[s] > 0.0 and st.loads_out[s] > 0:
            return True
    return False


# --- 3. dated events ----------------------------------------------------------------------


@inline
def _events(t, r, sites, rules, ev, units, draws, factors, st):
    """A contingent leaving on its date goes by its site's evacuation route from today:
    its own people there (its units, also those passing through), not whoever is there."""
    while st.tally[EV_PTR] < ev.day.size and ev.day[st.tally[EV_PTR]] <= t:
        i = st.tally[EV_PTR]
        s = ev.site[i]
        n = _contingent_at(s, ev.contingent[i], units, st)
        if n > 0:
            e = _evacuate(r, s, n, t, sites, rules, draws, factors, st)
            if e >= 0:
                st.slot_contingent[e] = ev.contingent[i]
        st.tally[EV_PTR] = i + 1


# --- 4. departures ------------------------------------------------------------------------


@inline
def _departures(t, r, sites, links, mv, rules, closure, lift, units, draws, factors, st, out):
    """Today's departures in plan order; a guard that must wait is looked at again once the
    day's other departures are done (second pass), then put off to the next day."""
    st.tally[LATE] = -1
    for phase in range(2):
        slot = st.dep_head[t] if phase == 0 else st.tally[LATE]
        if phase == 0:
            st.dep_head[t] = -1
        while slot >= 0:
            following = st.dep_next[slot]
            if slot >= mv.day.size:
                _leave_unplanned(t, r, slot, sites, links, rules, units, draws, factors, st, out)
            else:
                following = _leave_planned(
                    t, r, slot, following, phase, sites, links, mv, rules, closure, lift,
                    units, draws, factors, st, out,
                )  # fmt: skip
            slot = following


@inline
def _leave_unplanned(t, r, slot, sites, links, rules, units, draws, factors, st, out):
    """An evacuation or diversion leaves with whoever is there; by air at most the seats the
    site's own aircraft fly a day (shared by the day's flights out of it): the rest follow
    the next day, already cleared. Its sorties meet the airfields' threats (`_evac_fire`);
    by road it is one convoy on the evacuation link, meeting the link's threats
    (`_evac_road`)."""
    speed = factors.speed[r]
    o = st.slot_origin[slot]
    k = st.slot_contingent[slot]
    here = st.people[o] if k < 0 else _contingent_at(o, k, units, st)
    n = min(here, st.slot_people[slot])
    if st.slot_air[slot] and sites.evac_seats[o] < np.inf:
        if st.evac_day[o] != t:
            st.evac_day[o] = t
            st.evac_used[o] = 0.0
        room = max(0.0, sites.evac_seats[o] - st.evac_used[o])
        if n > room and st.tally[N_USED] < st.slot_origin.size:
            e = _new_slot(st, o, st.slot_dest[slot], st.slot_link[slot], n - room)
            st.slot_air[e] = True
            st.slot_contingent[e] = k
            st.tally[PENDING] += 1
            _push(st.dep_head, st.dep_next, min(t + 1, rules.n_days - 1), e)
            n = room
        st.evac_used[o] += n
    st.slot_people[slot] = n
    for j in range(st.slot_teu.shape[1]):
        _clear_load(st.slot_teu, slot, j)
        _clear_load(st.slot_veh, slot, j)
    _take_people(t, o, n, st)
    _board(t, o, slot, n, False, k, units, st)
    if st.slot_air[slot] and n > 0.0:
        st.slot_people[slot] = _evac_fire(t, r, o, slot, n, sites, units, draws, factors, st, out)
    elif n > 0.0 and st.slot_link[slot] == sites.evac_link[o]:
        st.slot_people[slot] = _evac_road(t, r, o, slot, n, sites, units, draws, factors, st, out)
    dur = links.travel[st.slot_link[slot], t]
    arrive = min(rules.n_days - 1, t + int(math.ceil(dur / speed)))
    st.tally[PENDING] -= 1
    st.tally[IN_TRANSIT] += 1
    if arrive == t:
        arrive = t + 1 if t + 1 < rules.n_days else t
    _push(st.arr_head, st.arr_next, arrive, slot)


@inline
def _evac_fire(t, r, o, slot, n, sites, units, draws, factors, st, out):
    """An unplanned flight of `n` people out of `o` meets ground fire at its airfields as a
    planned sortie there would: Poisson incidents over its sorties, then Poisson killed and
    wounded an incident. Returns the people still aboard."""
    sorties = math.ceil(n * sites.evac_per_person[o] - 1e-9)
    lam = sites.evac_fire_rate[o, t] * sorties * factors.threat[r]
    if lam <= 0.0:
        return n
    count = poisson_inv(_uniform(r, draws, st, out), lam)
    if count == 0:
        return n
    dead = float(poisson_inv(_uniform(r, draws, st, out), count * sites.evac_fire_effects[o, 0]))
    hurt = float(poisson_inv(_uniform(r, draws, st, out), count * sites.evac_fire_effects[o, 1]))
    out.incidents[r, OUT_GROUND_FIRE] += count
    out.inc_site[o, SITE_GROUND_FIRE] += count
    out.killed_site[o] += dead
    return _hit_aboard(t, r, o, slot, n, dead, hurt, units, st, out)


@inline
def _hit_aboard(t, r, o, slot, n, dead, hurt, units, st, out):
    """An unplanned movement of `n` people out of `o` loses `dead` killed (and `hurt`
    wounded) to an incident: counted, and its units thinned. Returns the people aboard."""
    out.killed[r] += dead
    out.wounded[r] += hurt
    lost = min(dead, n)
    if lost > 0.0:
        _units_lost(t, r, units, lost / n, st.slot_units, slot, o, st, out)
        out.people_lost[r] += lost
        st.in_theatre[0] -= lost
    return n - lost


@inline
def _evac_road(t, r, o, slot, n, sites, units, draws, factors, st, out):
    """An evacuation convoy of `n` people out of `o` meets its link's roadside bombs and
    ambushes as a planned convoy there would: Poisson incidents of each kind, then Poisson
    killed and wounded an incident. Returns the people still aboard."""
    link = sites.evac_link[o]
    aboard = n
    for k in range(2):  # ied, ambush: the per-convoy-km kinds, in `inputs.ROAD_SLOTS` order
        lam = sites.evac_road_rate[o, k, t] * factors.threat[r]
        if lam <= 0.0:
            continue
        count = poisson_inv(_uniform(r, draws, st, out), lam)
        if count == 0:
            continue
        effects = sites.evac_road_effects[o, k]
        dead = float(poisson_inv(_uniform(r, draws, st, out), count * effects[0]))
        hurt = float(poisson_inv(_uniform(r, draws, st, out), count * effects[1]))
        out.incidents[r, OUT_IED if k == 0 else OUT_AMBUSH] += count
        out.inc_link[link, LINK_IED if k == 0 else LINK_AMBUSH] += count
        out.killed_link[link] += dead
        aboard = _hit_aboard(t, r, o, slot, aboard, dead, hurt, units, st, out)
    return aboard


@inline
def _guard_held_to(t, o, m, sites, mv, rules, st):
    """The day a base's last guard is put off to (-1: it may leave today).

    A residual task holds the site to its date; the HQ or a hub stays while a site it
    supports is open; the guard leaves after the final steps and the handover. It waits
    for the sites it supports and for the handover only up to the last day it can still be
    out by the deadline (`Sites.guard_latest`): then it goes, and a handover not done by
    then is not done (what stays is abandoned).
    """
    if not mv.guard[m] or t + 1 >= rules.n_days:
        return -1
    if t <= sites.hold_until[o]:
        return min(sites.hold_until[o] + 1, rules.n_days - 1)
    latest = sites.guard_latest[o]
    if t < latest and _supports_open(sites, o, st):
        return t + 1
    if st.pending_out[o] <= 0 and st.release[o] > t:
        if t < latest:
            return min(st.release[o], latest)
        st.handed[o] = False  # the mandate ends before the host takes the site over
    return -1


@inline
def _leave_planned(
    t, r, m, following, phase, sites, links, mv, rules, closure, lift, units, draws, factors,
    st, out,
):  # fmt: skip
    """Planned movement `m` on its ready day: cancelled, held, or sent.

    Returns the next slot to look at today. (Nothing here returns a tuple: numba clears a
    tuple with a call to memset each time one goes out of scope, per movement.)
    """
    o = mv.origin[m]
    link = mv.link[m]
    cancel = draws.refused[r, m]
    divert = cancel
    if not cancel and st.closed_early[o] and _left_empty(o, st):
        cancel = True  # an abandoned base left empty: no convoy drives out of it
    if not cancel and mv.people[m] == 0 and t > rules.cutoff_day and t > mv.day[m]:
        cancel = True  # cargo that slipped past the cut-off stays
    if not cancel and not links.open[link, t]:
        reopen = links.next_open[link, t]
        if reopen < 0:
            cancel = True
            divert = True
        else:
            _push(st.dep_head, st.dep_next, reopen, m)
            return following
    up = mv.upstream[m]
    if not cancel and up >= 0 and not st.mv_done[up] and t + 1 < rules.n_days:
        # the convoy going on through `o` has not reached it yet: its leg on waits for it
        _push(st.dep_head, st.dep_next, t + 1, m)
        return following
    if not cancel:
        held_to = _guard_held_to(t, o, m, sites, mv, rules, st)
        if held_to >= 0:
            _push(st.dep_head, st.dep_next, held_to, m)
            return following
    if (
        not cancel
        and closure.modelled
        and _waits_for_packing(t, r, o, m, mv, rules, closure, factors, st)
    ):
        _push(st.dep_head, st.dep_next, t + 1, m)
        return following
    if not cancel and mv.guard[m] and st.pending_out[o] > 0 and t + 1 < rules.n_days:
        if phase == 0:
            st.dep_next[m] = st.tally[LATE]  # held to the end of the day
            st.tally[LATE] = m
        else:
            _push(st.dep_head, st.dep_next, t + 1, m)
        return following
    if cancel:
        following = _cancel(
            t, r, m, o, divert, following, sites, mv, rules, closure, units, draws, factors,
            st, out,
        )  # fmt: skip
        return following
    _depart(
        t, r, m, o, link, sites, links, mv, rules, closure, lift, units, draws, factors, st, out
    )
    return following


@inline
def _waits_for_packing(t, r, o, m, mv, rules, closure, factors, st):
    """Whether `m`, base `o`'s last movement that may take cargo, waits a day for the cargo
    still being packed.

    A base packing more slowly than planned does not leave its cargo behind: its last
    freight movement (and so its guard) waits until what it was to take, with what earlier
    loads could not, is packed, while anyone is there to pack it, up to the cargo cut-off.
    Earlier loads go on their days with what is packed; the last one takes the rest."""
    if not mv.freight[m] or st.freight_out[o] > 1 or t >= rules.cutoff_day:
        return False
    if st.closed_early[o] or st.people[o] <= 0.0:
        return False
    cap = factors.capacity[r]
    waits = False
    # cargo left unpacked by the movement plan (`call_forward`: what it hands over or
    # destroys) is not waited for
    floor_t = closure.floor[o, t, 0] * st.pack_kept[o, 0]
    floor_v = closure.floor[o, t, 1] * st.pack_kept[o, 1]
    if st.unpacked[o, 0] > floor_t + 1e-9 and (mv.teu[m] > 0 or st.backlog[o, 1] > 0):
        need = min(mv.teu[m] + st.backlog[o, 1], mv.cap[m, 1] * cap)
        waits = _held(st.teu, o) - st.unpacked[o, 0] < need - 1e-9
    if not waits and st.unpacked[o, 1] > floor_v + 1e-9 and (mv.veh[m] > 0 or st.backlog[o, 2] > 0):
        need = min(mv.veh[m] + st.backlog[o, 2], mv.cap[m, 2] * cap)
        waits = _held(st.veh, o) - st.unpacked[o, 1] < need - 1e-9
    return waits


@inline
def _left_empty(o, st):
    """Nobody and nothing at `o` (checked only for a base closed early: cheap enough)."""
    return st.people[o] <= 0.0 and _held(st.teu, o) <= 0.0 and _held(st.veh, o) <= 0.0


@inline
def _cancel(
    t, r, m, o, divert, following, sites, mv, rules, closure, units, draws, factors, st, out
):
    """Movement `m` does not leave: its load joins the backlog, its people may fly out.

    Returns the next slot to look at today (a diversion cleared today goes next).
    """
    _one_gone(t, r, m, o, sites, mv, rules, closure, draws, factors, st)
    st.mv_done[m] = True
    st.backlog[o, 1] += mv.teu[m]
    st.backlog[o, 2] += mv.veh[m]
    if mv.people[m] > 0:
        if mv.guard[m]:
            want = st.people[o]
        else:  # with closure work, units leave with their work
            free = _free_people(t, o, st.seats_left[o], closure.modelled, sites, units, st)
            want = min(free, mv.people[m])
        day_out = -1
        if divert and rules.air_when_refused and sites.air_link[o] >= 0 and want > 0:
            day_out = air_clearance(
                _uniform(r, draws, st, out),
                sites.air_approval[o],
                sites.air_delay_mean[o],
                sites.air_delay_fixed[o],
                t,
                rules.retry_days,
                rules.max_retries,
                factors.approval[r],
            )
        if day_out >= 0:
            e = _new_slot(st, o, sites.air_dest[o], sites.air_link[o], want)
            st.slot_air[e] = True
            out.diverted[r] += want
            _push(st.dep_head, st.dep_next, day_out, e)
            st.tally[PENDING] += 1
            if day_out == t:
                # leaves today: put it right after this movement
                st.dep_head[day_out] = st.dep_next[e]
                st.dep_next[e] = following
                following = e
        else:
            st.backlog[o, 0] += mv.people[m]
    return following


@inline
def _depart(
    t, r, m, o, link, sites, links, mv, rules, closure, lift, units, draws, factors, st, out
):
    """Movement `m` leaves with plan plus backlog, up to capacity, from what is at hand.

    A load takes only packed cargo (nothing is unpacked without closure work). With closure
    work, people other than the last guard leave only as their units' holds allow, counted
    after this movement's own load (a main body leaves with its unit's last load).
    """
    cap = factors.capacity[r]
    n_t = 0.0
    n_v = 0.0
    # cargo left behind rides the plan's cargo movements, not those it fills with people
    # only: the guard's flights are not freighters
    freight = mv.people[m] == 0 or mv.teu[m] > 0 or mv.veh[m] > 0
    # Once a base's last guard has gone, what it left is settled at the run's end (handed
    # over, destroyed, abandoned): a leg of another site's route passing through later takes
    # only what passes through, not the closed camp's containers.
    behind = units.own_origin[o] if closure.modelled and st.guard_gone[o] else -1
    if mv.teu[m] > 0 or (freight and st.backlog[o, 1] > 0):
        packed = _held(st.teu, o) - (st.unpacked[o, 0] if behind < 0 else _own(st.teu, o, behind))
        n_t = catch_up(packed, mv.teu[m], st.backlog[o, 1], mv.cap[m, 1] * cap)
    if mv.veh[m] > 0 or (freight and st.backlog[o, 2] > 0):
        packed = _held(st.veh, o) - (st.unpacked[o, 1] if behind < 0 else _own(st.veh, o, behind))
        n_v = catch_up(packed, mv.veh[m], st.backlog[o, 2], mv.cap[m, 2] * cap)
    k = st.inc_of[m]
    delay = 0
    keep = 1.0
    if k >= 0:
        # sorties lost to ground fire at the origin do not fly
        aborted = min(draws.inc_count[k, DRAWN_GF_ORIGIN], mv.convoys[m])
        if aborted > 0:
            keep = 1.0 - aborted / mv.convoys[m]
            n_t *= keep
            n_v = np.floor(n_v * keep)
    st.backlog[o, 1] = max(0.0, st.backlog[o, 1] + mv.teu[m] - n_t)
    st.backlog[o, 2] = max(0.0, st.backlog[o, 2] + mv.veh[m] - n_v)
    got_t = 0.0
    got_v = 0.0
    for j in range(st.load_teu.shape[0]):
        for cls in range(N_CLASSES):
            st.load_teu[j, cls] = 0.0
            st.load_veh[j, cls] = 0.0
    if n_t > 0:
        got_t = take_cargo(st.teu, o, n_t, st.load_teu, behind)
    if n_v > 0:
        got_v = take_cargo(st.veh, o, n_v, st.load_veh, behind)
    st.carries[m] = got_t > 0 or got_v > 0
    if st.carries[m]:
        for j in range(st.load_teu.shape[0]):
            for cls in range(N_CLASSES):
                st.slot_teu[m, j, cls] = st.load_teu[j, cls]
                st.slot_veh[m, j, cls] = st.load_veh[j, cls]
    holds = closure.modelled and not mv.guard[m]
    later = st.seats_left[o] - (mv.cap[m, 0] * cap if mv.own[m] else 0.0)
    free = st.people[o] if mv.guard[m] else _free_people(t, o, later, holds, sites, units, st)
    n_p = catch_up(free, mv.people[m], st.backlog[o, 0], mv.cap[m, 0] * cap)
    if keep < 1.0:
        n_p = np.floor(n_p * keep)
    st.backlog[o, 0] = max(0.0, st.backlog[o, 0] + mv.people[m] - n_p)
    _take_people(t, o, n_p, st)
    _board(t, o, m, n_p, holds, -1, units, st)
    if k >= 0:
        n_p = _strike(t, r, m, o, k, link, n_p, got_t, got_v, mv, units, draws, st, out)
        delay = int(draws.inc_effects[k, 4])
    st.slot_people[m] = n_p
    _one_gone(t, r, m, o, sites, mv, rules, closure, draws, factors, st)
    again = st.loads_out[o] == 0 and st.release[o] >= 0 and mv.own[m]
    if closure.modelled and st.carries[m] and not mv.last_loads[m] and not mv.guard[m] and again:
        # a later movement of the site's own took cargo left behind: the final steps start
        # again after it. A leg of another site's route passing through does not: Timbuktu's
        # convoys through Douentza in November had Douentza, closed in August, "handed over"
        # in December.
        _ask_handover(t, r, o, rules, closure, draws, factors, st)
    base = links.travel[link, t]
    sp = factors.speed[r]
    dur = mv.dur[m] + (base if sp == 1.0 else int(math.ceil(base / sp)))
    arrive = min(rules.n_days - 1, t + max(0, dur) + delay)
    if arrive == t:
        # same-day arrival (air): available to later departures today
        _unload(m, t, r, sites, rules, lift, units, draws, factors, st, out)
    else:
        st.tally[IN_TRANSIT] += 1
        _push(st.arr_head, st.arr_next, arrive, m)


@inline
def _strike(t, r, m, o, k, link, n_p, got_t, got_v, mv, units, draws, st, out):
    """Movement `m` meets its drawn incidents (row `k`): counts, casualties, cargo lost.

    Returns the people still aboard.
    """
    count = draws.inc_count
    out.incidents[r, OUT_IED] += count[k, DRAWN_IED]
    out.inc_link[link, LINK_IED] += count[k, DRAWN_IED]
    out.incidents[r, OUT_AMBUSH] += count[k, DRAWN_AMBUSH]
    out.inc_link[link, LINK_AMBUSH] += count[k, DRAWN_AMBUSH]
    out.incidents[r, OUT_GROUND_FIRE] += count[k, DRAWN_GF_ORIGIN] + count[k, DRAWN_GF_DEST]
    out.inc_site[o, SITE_GROUND_FIRE] += count[k, DRAWN_GF_ORIGIN]
    out.inc_site[mv.dest[m], SITE_GROUND_FIRE] += count[k, DRAWN_GF_DEST]
    effects = draws.inc_effects
    dead = effects[k, 0]
    out.killed[r] += dead
    out.wounded[r] += effects[k, 1]
    if mv.mode[m] == AIR:
        out.killed_site[o] += dead
    else:
        out.killed_link[link] += dead
    lost_p = min(dead, n_p)
    if lost_p > 0:
        _units_lost(t, r, units, lost_p / n_p, st.slot_units, m, o, st, out)
    n_p -= lost_p
    out.people_lost[r] += lost_p
    st.in_theatre[0] -= lost_p
    if got_v > 0:
        lose_share(st.slot_veh, m, min(1.0, effects[k, 2] / got_v), st.fate_veh)
    if got_t > 0:
        lose_share(st.slot_teu, m, min(1.0, effects[k, 3] / got_t), st.fate_teu)
    return n_p


# --- 5. strategic lift --------------------------------------------------------------------


@inline
def _lift(t, r, rules, lift, units, draws, factors, st, out):
    """Loads through their border delay join the corridor's queue, which crosses up to its
    throughput; the day's cleared charters seat who is waiting at their airport."""
    b = st.bord_head[t]
    while b >= 0:
        x = lift.site_corridor[st.slot_dest[b]]
        for o in range(st.slot_teu.shape[1]):
            for cls in range(N_CLASSES):
                st.pool_teu[x, o, cls] += st.slot_teu[b, o, cls]
                st.pool_veh[x, o, cls] += st.slot_veh[b, o, cls]
        st.tally[AT_BORDER] -= 1
        b = st.bord_next[b]
    st.bord_head[t] = -1
    for x in range(lift.kind.size):
        if lift.kind[x] == CORRIDOR:
            crossed = cross(st.pool_teu[x], lift.per_day[x, 0], st.fate_teu, SHIPPED)
            out.lift_teu_crossed[r, x] += crossed
            st.teu_out[0] += crossed
            out.lift_vehicles_crossed[r, x] += cross(
                st.pool_veh[x], lift.per_day[x, 1], st.fate_veh, SHIPPED
            )
            continue
        s = lift.site[x]
        if t >= rules.horizon and st.waiting[s] <= 0.0:
            continue
        seats = _cleared_seats(t, r, x, lift, draws, factors, st, out)
        # a week's unflown seats may fly when people are there (`SEAT_BANK_DAYS`)
        st.seat_bank[x] = min(st.seat_bank[x] + seats, max(lift.bank_cap[x], seats))
        seated = min(st.waiting[s], st.seat_bank[x])
        st.seat_bank[x] -= seated
        st.waiting[s] -= seated
        _seat_units(t, r, s, seated, units, st, out)
        out.people_out[r] += seated
        st.in_theatre[0] -= seated
        if t < rules.horizon:
            out.exit_people_by_day[s, t] += seated
            out.lift_people_by_day[x, t] += seated
            out.lift_seats_by_day[x, t] += seats


@inline
def _seat_units(t, r, s, seated, units, st, out):
    """`seated` people leave charter airport `s`, units in the order they began to wait."""
    left = seated
    while left > 1e-9:
        first = -1
        for i in range(units.reach_ptr[s], units.reach_ptr[s + 1]):
            u = units.reach[i]
            if st.unit_waiting[s, u] > 0.0 and (
                first < 0 or st.waiting_since[s, u] < st.waiting_since[s, first]
            ):
                first = u
        if first < 0:
            break
        take = min(left, st.unit_waiting[s, first])
        st.unit_waiting[s, first] -= take
        left -= take
        _unit_leaves(t, r, first, take, False, st, out)


@inline
def _cleared_seats(t, r, x, lift, draws, factors, st, out):
    """Seats of charter `x`'s cleared flights today, one spare uniform a flight."""
    seats, ptr = cleared_seats(
        draws.u[r],
        st.tally[PTR],
        lift.flights[x, t],
        lift.seats_each[x],
        lift.approval[x, t] * factors.approval[r],
    )
    st.tally[PTR] = ptr
    if ptr > draws.u.shape[1]:
        out.short[r] = True
    return seats


# --- 6. attacks on bases ------------------------------------------------------------------


@inline
def _attacks(t, r, sites, rules, closure, units, draws, factors, st, out):
    """Bases are attacked more often as the garrison thins; enough attacks close one early."""
    for i in range(sites.attack_sites.size):  # by index: iterating an array costs a reference
        s = sites.attack_sites[i]
        if st.closed_early[s] or st.people[s] <= 0:
            continue
        if st.people[s] != st.factor_people[s]:  # the power is costly: only on change
            full = max(float(sites.people0[s]), 1.0)
            st.factor[s] = min(100.0, (full / st.people[s]) ** sites.attack_elasticity[s])
            st.factor_people[s] = st.people[s]
        st.hazard[s] += sites.attack_rate[s, t] * factors.threat[r] * st.factor[s]
        while st.hazard[s] >= st.threshold[s]:
            _attack(t, r, s, sites, units, draws, st, out)
            if st.people[s] <= 0:
                st.last_zero[s] = t
                break
            if _targeted(t, s, rules, st):
                _close_early(t, r, s, sites, rules, closure, draws, factors, st, out)
                break


@inline
def _targeted(t, s, rules, st):
    """The early-close rule, after an attack on base `s` today: `early_close_attacks` attacks
    within the last `early_close_window_days` days (a rate; 0 days: over the whole
    withdrawal, a count). The last K attack days of each base are kept in a ring."""
    k = rules.early_close_attacks
    if k <= 0:
        return False
    count = st.attacks[s]
    st.attack_days[s, (count - 1) % k] = t
    if count < k:
        return False
    window = rules.early_close_window_days
    return window <= 0 or t - st.attack_days[s, count % k] < window


@inline
def _attack(t, r, s, sites, units, draws, st, out):
    """One attack on base `s`: casualties, vehicles and containers lost, the next threshold."""
    draws5 = st.attack_draws
    for j in range(5):
        draws5[j] = _uniform(r, draws, st, out)
    st.threshold[s] += -math.log1p(-min(draws5[4], 1.0 - 1e-16))
    dead = float(poisson_inv(draws5[0], sites.attack_effects[s, 0]))
    out.killed[r] += dead
    out.killed_site[s] += dead
    out.wounded[r] += poisson_inv(draws5[1], sites.attack_effects[s, 1])
    lost_p = min(dead, st.people[s])
    if lost_p > 0:
        _units_lost(t, r, units, lost_p / st.people[s], st.unit_at, s, s, st, out)
        _own_gone(t, s, units, st)
    st.people[s] -= lost_p
    out.people_lost[r] += lost_p
    st.in_theatre[0] -= lost_p
    for which in range(2):
        stock = st.veh if which == 0 else st.teu
        fate = st.fate_veh if which == 0 else st.fate_teu
        mean = sites.attack_effects[s, 2 + which]
        amount = float(poisson_inv(draws5[2 + which], mean))
        total = _held(stock, s)
        if total > 0 and amount > 0:
            share = min(1.0, amount / total)
            for o in range(sites.cargo_origins.size):
                for cls in range(N_CLASSES):
                    lost = stock[s, o, cls] * share
                    stock[s, o, cls] -= lost
                    fate[o, LOST] += lost
            st.unpacked[s, 1 - which] *= 1.0 - share  # the unpacked share burns alike
            st.pack_kept[s, 1 - which] *= 1.0 - share  # and so does what stays unpacked
    out.incidents[r, OUT_BASE_ATTACK] += 1
    out.inc_site[s, SITE_BASE_ATTACK] += 1
    st.attacks[s] += 1


@inline
def _close_early(t, r, s, sites, rules, closure, draws, factors, st, out):
    """Base `s` closes under fire: what is left is abandoned (sensitive items destroyed),
    its people evacuate tomorrow. Without closure work (old folders) the rest is handed over,
    as it always was."""
    st.closed_early[s] = True
    if not 0 <= st.release[s] <= t:
        st.handed[s] = False  # abandoned: the host had not taken it over yet
    out.early_closed[r] += 1
    out.early_closed_site[r, s] = 1
    out.early_close_day[r, s] = t
    out.early_close_people[s] += st.people[s]  # why: how thin the garrison was
    dispose(
        st.teu, st.veh, s, sites.destroy_origin, st.fate_teu, st.fate_veh, False, closure.modelled
    )
    st.unpacked[s, 0] = 0.0
    st.unpacked[s, 1] = 0.0
    tomorrow = min(t + 1, rules.n_days - 1)
    _evacuate(r, s, st.people[s], tomorrow, sites, rules, draws, factors, st)


# --- 7. counting --------------------------------------------------------------------------


@inline
def _count(t, r, rules, st, out):
    """People in theatre and TEU out of it at the end of day `t`; True once nothing is left
    to happen.

    TEU count as out exactly when they are shipped (`SHIPPED`): on crossing a corridor's
    border or reaching its port (`_lift`), or, at an exit for cargo without a corridor, on
    arrival (`_unload`); so the last day's count is the run's `teu_shipped` if all had left
    by then. Both are rounded to whole units (a corridor crosses its queue pro rata)."""
    in_theatre = st.in_theatre[0]
    if t < rules.horizon:
        out.remaining[r, t] = int(round(in_theatre))
        out.teu_out[r, t] = int(round(st.teu_out[0]))
    if in_theatre <= 0.5 and out.completion_day[r] < 0:
        out.completion_day[r] = t
    moving = st.tally[PENDING] > 0 or st.tally[IN_TRANSIT] > 0
    return not moving and t >= rules.horizon - 1 and _lift_idle(st)
