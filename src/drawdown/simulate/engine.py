"""The engine: executes a plan for a block of runs, given every movement's drawn fate.

Chance is drawn beforehand for all runs at once (`disruptions`); what is left is what
interacts and must be resolved in time order: loads depend on what has arrived, the last
guard waits for the other movements, cancelled movements divert people to the air, attacks
depend on how thin the garrison is. That resolution is compiled (numba) and walks, for each
run, only the days on which something happens to its movements: departures are bucketed by
day in linked lists, so the cost is in movements, not in days times movements.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba as nb
import numpy as np

from drawdown.scenario.kinds import THREAT_NAMES
from drawdown.simulate.disruptions import Fates, poisson_inv
from drawdown.simulate.inputs import Compiled
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
from drawdown.simulate.withdrawal import border_delay, cleared_seats, cross, handover, pack

N_INCIDENT_KINDS = len(THREAT_NAMES)  # outcome order: the registry of threat kinds


@dataclass
class ChunkOutcome:
    """Raw per-run results of one block of runs (arrays, first axis the run)."""

    closure_day: np.ndarray  # int64 [R, S]; -1 not closed
    completion_day: np.ndarray  # int64 [R]; -1 people left in theatre
    remaining: np.ndarray  # int32 [R, H] people in theatre at the end of each day
    killed: np.ndarray  # float64 [R]
    wounded: np.ndarray
    people_out: np.ndarray
    people_lost: np.ndarray
    people_stranded: np.ndarray
    incidents: np.ndarray  # int64 [R, 4]
    teu_fate: np.ndarray  # float64 [R, S, 5] by origin site
    veh_fate: np.ndarray
    diverted: np.ndarray  # people sent by air after a refusal
    early_closed: np.ndarray  # bases closed early under attack
    short: np.ndarray  # bool: ran out of reserved uniforms
    inc_link: np.ndarray  # int64 [L, 2]: ied, ambush counts over the block
    inc_site: np.ndarray  # int64 [S, 2]: ground fire, base attacks
    killed_link: np.ndarray  # float64 [L]
    killed_site: np.ndarray  # float64 [S]
    # the withdrawal's bottlenecks (closure work, strategic lift, early closures)
    packed_day: np.ndarray  # int64 [R, S]: day packing finished (-1 never or nothing to pack)
    handover_day: np.ndarray  # int64 [R, S]: -1 no handover
    early_closed_site: np.ndarray  # int64 [R, S]: 1 if closed early under attack
    early_close_day: np.ndarray  # int64 [R, S]: -1 not closed early
    lift_people_by_day: np.ndarray  # float64 [X, H] people seated, summed over the block
    lift_seats_by_day: np.ndarray  # float64 [X, H] seats cleared, summed over the block
    lift_teu_crossed: np.ndarray  # float64 [R, X]
    lift_vehicles_crossed: np.ndarray  # float64 [R, X]


def run_block(
    c: Compiled,
    fates: Fates,
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
    out = ChunkOutcome(
        closure_day=np.full((n_runs, n_sites), -1, dtype=np.int64),
        completion_day=np.full(n_runs, -1, dtype=np.int64),
        remaining=np.zeros((n_runs, c.horizon), dtype=np.int32),
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
        short=fates.short.copy(),
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
    )
    withdrawal = (
        c.closure_work,
        c.pack_per_person,
        c.pack_cap,
        c.final_steps_days,
        c.handover_approval,
        c.handover_delay_mean,
        c.handover_delay_fixed,
        c.lift_kind,
        c.lift_site,
        c.lift_flights,
        c.lift_seats_each,
        c.lift_approval,
        c.lift_per_day,
        c.lift_border_mean,
        c.site_charter,
        c.site_corridor,
        c.hold_until,
        c.supports,
    )
    withdrawal_out = (
        out.packed_day,
        out.handover_day,
        out.early_closed_site,
        out.early_close_day,
        out.lift_people_by_day,
        out.lift_seats_by_day,
        out.lift_teu_crossed,
        out.lift_vehicles_crossed,
    )
    static = (
        c.horizon,
        c.n_days,
        c.site_kind,
        c.exit_people,
        c.exit_cargo,
        c.people0,
        c.teu0,
        c.veh0,
        c.destroy_general,
        c.air_link,
        c.air_dest,
        c.air_approval,
        c.air_delay_mean,
        c.air_delay_fixed,
        c.evac_dest,
        c.evac_link,
        c.attack_rate,
        c.attack_elasticity,
        c.attack_effects,
        c.link_open,
        c.next_open,
        c.travel,
        c.mv_day,
        c.mv_dur,
        c.mv_origin,
        c.mv_dest,
        c.mv_link,
        c.mv_mode,
        c.mv_convoys,
        c.mv_people,
        c.mv_teu,
        c.mv_veh,
        c.mv_cap,
        c.mv_guard,
        c.ev_day,
        c.ev_site,
        c.ev_people,
        c.retry_days,
        c.max_retries,
        c.air_when_refused,
        c.cutoff_day,
        c.early_close_attacks,
    )
    outputs = (
        out.closure_day,
        out.completion_day,
        out.remaining,
        out.killed,
        out.wounded,
        out.people_out,
        out.people_lost,
        out.people_stranded,
        out.incidents,
        out.teu_fate,
        out.veh_fate,
        out.diverted,
        out.early_closed,
        out.short,
        out.inc_link,
        out.inc_site,
        out.killed_link,
        out.killed_site,
    )
    fate_arrays = (
        fates.ready_day,
        fates.refused,
        fates.inc_ptr,
        fates.inc_movement,
        fates.inc_count,
        fates.inc_effects,
    )
    _kernel(
        static,
        fate_arrays,
        u,
        kernel_start,
        threat,
        speed,
        capacity,
        approval,
        outputs,
        withdrawal,
        withdrawal_out,
    )
    return out


@nb.njit(cache=True)
def _ask_handover(
    o, t, u_run, ptr, release, handed, approval, delay_mean, delay_fixed, final_steps_days,
    retry_days, max_retries, factor,
):  # fmt: skip
    """The last load other than the guard has left site `o` on day `t`: the final steps run,
    then the handover is asked for; sets the day the guard may leave. Returns the next draw."""
    uu = u_run[ptr] if ptr < u_run.size else 0.5
    release[o], handed[o] = handover(
        uu,
        approval[o],
        delay_mean[o],
        delay_fixed[o],
        t + final_steps_days,
        retry_days,
        max_retries,
        factor,
    )
    return ptr + 1


@nb.njit(cache=True)
def _push(head: np.ndarray, nxt: np.ndarray, day: int, slot: int) -> None:
    nxt[slot] = head[day]
    head[day] = slot


@nb.njit(cache=True)
def _supports_open(supports: np.ndarray, site: int, people: np.ndarray) -> bool:
    """Whether a site that `site` supports still has people (is still open)."""
    if supports.shape[0] == 0:
        return False
    open_ = False
    for other in range(people.size):
        open_ = open_ or (supports[site, other] and people[other] > 0.5)
    return open_


@nb.njit(cache=True)
def _lift_idle(at_border: int, waiting: np.ndarray, pool_t: np.ndarray, pool_v: np.ndarray):
    """Nobody waits for a charter and no cargo waits at a corridor's end."""
    return at_border == 0 and waiting.sum() <= 0.0 and pool_t.sum() + pool_v.sum() <= 0.0


@nb.njit(cache=True)
def _kernel(  # noqa: C901
    static,
    fate_arrays,
    u,
    kernel_start,
    threat,
    speed,
    capacity,
    approval,
    outputs,
    withdrawal,
    withdrawal_out,
):
    (
        horizon,
        n_days,
        site_kind,
        exit_people,
        exit_cargo,
        people0,
        teu0,
        veh0,
        destroy_general,
        air_link,
        air_dest,
        air_approval,
        air_delay_mean,
        air_delay_fixed,
        evac_dest,
        evac_link,
        attack_rate,
        attack_elasticity,
        attack_effects,
        link_open,
        next_open,
        travel,
        mv_day,
        mv_dur,
        mv_origin,
        mv_dest,
        mv_link,
        mv_mode,
        mv_convoys,
        mv_people,
        mv_teu,
        mv_veh,
        mv_cap,
        mv_guard,
        ev_day,
        ev_site,
        ev_people,
        retry_days,
        max_retries,
        air_when_refused,
        cutoff_day,
        early_close_attacks,
    ) = static
    ready_day, refused, inc_ptr, inc_movement, inc_count, inc_effects = fate_arrays
    (
        closure_day,
        completion_day,
        remaining,
        killed,
        wounded,
        people_out,
        people_lost,
        people_stranded,
        incidents,
        teu_fate,
        veh_fate,
        diverted,
        early_closed,
        short,
        inc_link,
        inc_site,
        killed_link,
        killed_site,
    ) = outputs
    (
        closure_work,
        pack_per_person,
        pack_cap,
        final_steps_days,
        ho_approval,
        ho_delay_mean,
        ho_delay_fixed,
        lift_kind,
        lift_site,
        lift_flights,
        lift_seats_each,
        lift_approval,
        lift_per_day,
        lift_border_mean,
        site_charter,
        site_corridor,
        hold_until,
        supports,
    ) = withdrawal
    (
        packed_day,
        handover_day,
        early_closed_site,
        early_close_day,
        lift_people,
        lift_seats,
        lift_teu,
        lift_veh,
    ) = withdrawal_out

    n_runs = u.shape[0]
    n_mv = mv_day.size
    n_sites = people0.size
    block = u.shape[1]
    n_slots = 2 * n_mv + n_sites + ev_day.size + 1
    # slot state (a slot is a planned movement or an unplanned evacuation)
    s_origin = np.zeros(n_slots, dtype=np.int64)
    s_dest = np.zeros(n_slots, dtype=np.int64)
    s_link = np.zeros(n_slots, dtype=np.int64)
    s_people = np.zeros(n_slots)
    # cargo is tracked by the site it came from; only sites holding cargo are origins
    orig_sites = np.flatnonzero((teu0.sum(axis=1) + veh0.sum(axis=1)) > 0)
    n_orig = orig_sites.size
    destroy_orig = destroy_general[orig_sites]
    fate_t = np.zeros((n_orig, N_FATES))
    fate_v = np.zeros((n_orig, N_FATES))
    s_teu = np.zeros((n_slots, n_orig, 2))
    s_veh = np.zeros((n_slots, n_orig, 2))
    dep_head = np.full(n_days + 1, -1, dtype=np.int64)
    arr_head = np.full(n_days + 1, -1, dtype=np.int64)
    dep_next = np.full(n_slots, -1, dtype=np.int64)
    arr_next = np.full(n_slots, -1, dtype=np.int64)
    inc_of = np.full(n_mv, -1, dtype=np.int64)
    carries = np.zeros(n_slots, dtype=np.bool_)
    factor = np.ones(n_sites)
    factor_people = np.full(n_sites, -1.0)
    people = np.zeros(n_sites)
    teu = np.zeros((n_sites, n_orig, 2))
    veh = np.zeros((n_sites, n_orig, 2))
    backlog = np.zeros((n_sites, 3))
    # the last guard waits for the base's other movements planned no later than itself
    guard_day = np.full(n_sites, -1, dtype=np.int64)
    for m in range(n_mv):
        if mv_guard[m]:
            guard_day[mv_origin[m]] = mv_day[m]
    guarded = np.zeros(n_mv, dtype=np.bool_)
    pending_out0 = np.zeros(n_sites, dtype=np.int64)
    for m in range(n_mv):
        if not mv_guard[m] and mv_day[m] <= guard_day[mv_origin[m]]:
            guarded[m] = True
            pending_out0[mv_origin[m]] += 1
    pending_out = np.zeros(n_sites, dtype=np.int64)
    attacks = np.zeros(n_sites, dtype=np.int64)
    closed_early = np.zeros(n_sites, dtype=np.bool_)
    hazard = np.zeros(n_sites)
    threshold = np.zeros(n_sites)
    last_zero = np.zeros(n_sites, dtype=np.int64)
    attack_sites = np.flatnonzero(attack_rate[:, :horizon].sum(axis=1) > 0)
    total_people = people0.sum()
    load_teu = np.zeros((n_orig, 2))
    load_veh = np.zeros((n_orig, 2))
    # WITHDRAWAL state: cargo not yet packed [S, (TEU, vehicles)], the day each guard may
    # leave after the handover (-1 not asked yet), charter queues, corridor queues
    n_lift = lift_kind.size
    pack_sites = np.flatnonzero((teu0.sum(axis=1) + veh0.sum(axis=1) > 0) & (site_kind <= 1))
    unpacked = np.zeros((n_sites, 2))
    release = np.full(n_sites, -1, dtype=np.int64)
    handed = np.zeros(n_sites, dtype=np.bool_)
    waiting = np.zeros(n_sites)
    pool_t = np.zeros((n_lift, n_orig, 2))
    pool_v = np.zeros((n_lift, n_orig, 2))
    bord_head = np.full(n_days + 1, -1, dtype=np.int64)
    bord_next = np.full(n_slots, -1, dtype=np.int64)
    has_guard = np.zeros(n_sites, dtype=np.bool_)
    for m in range(n_mv):
        if mv_guard[m]:
            has_guard[mv_origin[m]] = True

    for r in range(n_runs):
        ptr = kernel_start

        # reset the run's state
        people[:] = people0
        teu[:, :, :] = 0.0
        veh[:, :, :] = 0.0
        fate_t[:, :] = 0.0
        fate_v[:, :] = 0.0
        for j in range(n_orig):
            teu[orig_sites[j], j, :] = teu0[orig_sites[j]]
            veh[orig_sites[j], j, :] = veh0[orig_sites[j]]
        backlog[:, :] = 0.0
        pending_out[:] = pending_out0
        attacks[:] = 0
        closed_early[:] = False
        hazard[:] = 0.0
        factor_people[:] = -1.0
        carries[:] = False
        last_zero[:] = -1
        for s in attack_sites:
            uu = u[r, ptr] if ptr < block else 0.5
            ptr += 1
            threshold[s] = -math.log1p(-uu)
        # WITHDRAWAL: reset packing, handovers and lift queues
        unpacked[:, :] = 0.0
        release[:] = -1
        handed[:] = False
        waiting[:] = 0.0
        pool_t[:, :, :] = 0.0
        pool_v[:, :, :] = 0.0
        bord_head[:] = -1
        at_border = 0
        if closure_work:
            for s in pack_sites:
                unpacked[s, 0] = teu0[s].sum()
                unpacked[s, 1] = veh0[s].sum()
            for s in range(n_sites):
                if has_guard[s] and pending_out0[s] == 0:
                    uu = u[r, ptr] if ptr < block else 0.5
                    ptr += 1
                    release[s], handed[s] = handover(
                        uu,
                        ho_approval[s],
                        ho_delay_mean[s],
                        ho_delay_fixed[s],
                        final_steps_days,
                        retry_days,
                        max_retries,
                        approval[r],
                    )
        dep_head[:] = -1
        arr_head[:] = -1
        for k in range(inc_ptr[r], inc_ptr[r + 1]):
            inc_of[inc_movement[k]] = k
        for m in range(n_mv - 1, -1, -1):
            s_origin[m] = mv_origin[m]
            s_dest[m] = mv_dest[m]
            s_link[m] = mv_link[m]
            _push(dep_head, dep_next, ready_day[r, m], m)
        n_used = n_mv
        pending = n_mv
        in_transit = 0
        in_theatre = float(total_people)
        ev_ptr = 0
        th = threat[r]
        sp = speed[r]

        for t in range(n_days):
            # 1. arrivals
            a = arr_head[t]
            while a >= 0:
                d = s_dest[a]
                if exit_people[d] and site_charter[d]:
                    waiting[d] += s_people[a]  # WITHDRAWAL: out only once seated
                elif exit_people[d]:
                    people_out[r] += s_people[a]
                    in_theatre -= s_people[a]
                else:
                    people[d] += s_people[a]
                if carries[a] and site_corridor[d] >= 0:
                    # WITHDRAWAL: cargo waits its border delay, then queues to cross
                    uu = u[r, ptr] if ptr < block else 0.5
                    ptr += 1
                    wait = border_delay(uu, lift_border_mean[site_corridor[d]])
                    _push(bord_head, bord_next, min(n_days - 1, t + wait), a)
                    at_border += 1
                    carries[a] = False
                for o in range(n_orig if carries[a] else 0):
                    for cls in range(2):
                        if exit_cargo[d]:
                            fate_t[o, SHIPPED] += s_teu[a, o, cls]
                            fate_v[o, SHIPPED] += s_veh[a, o, cls]
                        else:
                            teu[d, o, cls] += s_teu[a, o, cls]
                            veh[d, o, cls] += s_veh[a, o, cls]
                in_transit -= 1
                a = arr_next[a]
            arr_head[t] = -1

            # WITHDRAWAL: the day's packing by the people present
            if closure_work:
                for s in pack_sites:
                    busy = unpacked[s, 0] > 0.0 or unpacked[s, 1] > 0.0
                    if busy and pack(unpacked, s, people[s], pack_per_person, pack_cap):
                        packed_day[r, s] = t

            # 2. dated events: a contingent leaves by its evacuation route
            while ev_ptr < ev_day.size and ev_day[ev_ptr] <= t:
                s = ev_site[ev_ptr]
                n = min(people[s], ev_people[ev_ptr])
                if n > 0 and evac_link[s] >= 0:
                    e = n_used
                    n_used += 1
                    s_origin[e] = s
                    s_dest[e] = evac_dest[s]
                    s_link[e] = evac_link[s]
                    s_people[e] = n
                    _push(dep_head, dep_next, t, e)
                    pending += 1
                ev_ptr += 1

            # 3. departures, in plan order within the day; a guard that must wait is looked
            # at again once the day's other departures are done
            late = -1
            for phase in range(2):
                slot = dep_head[t] if phase == 0 else late
                if phase == 0:
                    dep_head[t] = -1
                while slot >= 0:
                    following = dep_next[slot]
                    o = s_origin[slot]
                    if slot >= n_mv:
                        # unplanned evacuation by air or road: no clearance, no incidents
                        n = min(people[o], s_people[slot])
                        s_people[slot] = n
                        s_teu[slot, :, :] = 0.0
                        s_veh[slot, :, :] = 0.0
                        if people[o] > 0 and people[o] - n <= 0:
                            last_zero[o] = t
                        people[o] -= n
                        dur = travel[s_link[slot], t]
                        arrive = min(n_days - 1, t + int(math.ceil(dur / sp)))
                        pending -= 1
                        in_transit += 1
                        if arrive == t:
                            arrive = t + 1 if t + 1 < n_days else t
                        _push(arr_head, arr_next, arrive, slot)
                        slot = following
                        continue
                    m = slot
                    link = mv_link[m]
                    cancel = refused[r, m]
                    divert = cancel
                    if not cancel and mv_people[m] == 0 and t > cutoff_day and t > mv_day[m]:
                        cancel = True  # cargo that slipped past the cut-off stays
                    if not cancel and not link_open[link, t]:
                        reopen = next_open[link, t]
                        if reopen < 0:
                            cancel = True
                            divert = True
                        else:
                            _push(dep_head, dep_next, reopen, m)
                            slot = following
                            continue
                    if not cancel and mv_guard[m] and t + 1 < n_days and t <= hold_until[o]:
                        # WITHDRAWAL: a residual task holds the site open to its date
                        _push(dep_head, dep_next, min(hold_until[o] + 1, n_days - 1), m)
                        slot = following
                        continue
                    if (
                        not cancel
                        and mv_guard[m]
                        and t + 1 < n_days
                        and _supports_open(supports, o, people)
                    ):
                        # WITHDRAWAL: the HQ or a hub stays while a site it supports is open
                        _push(dep_head, dep_next, t + 1, m)
                        slot = following
                        continue
                    if not cancel and mv_guard[m] and pending_out[o] <= 0 and release[o] > t:
                        # WITHDRAWAL: the guard leaves after the final steps and handover
                        _push(dep_head, dep_next, release[o], m)
                        slot = following
                        continue
                    if not cancel and mv_guard[m] and pending_out[o] > 0 and t + 1 < n_days:
                        if phase == 0:
                            dep_next[m] = late
                            late = m
                        else:
                            _push(dep_head, dep_next, t + 1, m)
                        slot = following
                        continue
                    if cancel:
                        pending -= 1
                        if guarded[m]:
                            pending_out[o] -= 1
                            if closure_work and pending_out[o] == 0 and release[o] < 0:
                                ptr = _ask_handover(
                                    o, t, u[r], ptr, release, handed, ho_approval, ho_delay_mean,
                                    ho_delay_fixed, final_steps_days, retry_days, max_retries,
                                    approval[r],
                                )  # fmt: skip
                        backlog[o, 1] += mv_teu[m]
                        backlog[o, 2] += mv_veh[m]
                        if mv_people[m] > 0:
                            want = people[o] if mv_guard[m] else min(people[o], mv_people[m])
                            day_out = -1
                            if divert and air_when_refused and air_link[o] >= 0 and want > 0:
                                uu = u[r, ptr] if ptr < block else 0.5
                                if ptr >= block:
                                    short[r] = True
                                ptr += 1
                                day_out = air_clearance(
                                    uu,
                                    air_approval[o],
                                    air_delay_mean[o],
                                    air_delay_fixed[o],
                                    t,
                                    retry_days,
                                    max_retries,
                                    approval[r],
                                )
                            if day_out >= 0:
                                e = n_used
                                n_used += 1
                                s_origin[e] = o
                                s_dest[e] = air_dest[o]
                                s_link[e] = air_link[o]
                                s_people[e] = want
                                diverted[r] += want
                                _push(dep_head, dep_next, day_out, e)
                                pending += 1
                                if day_out == t:
                                    # leaves today: put it right after this movement
                                    dep_head[day_out] = dep_next[e]
                                    dep_next[e] = following
                                    following = e
                            else:
                                backlog[o, 0] += mv_people[m]
                        slot = following
                        continue

                    # depart: plan plus backlog, up to capacity, from what is at hand
                    cap_p = mv_cap[m, 0] * capacity[r]
                    cap_t = mv_cap[m, 1] * capacity[r]
                    cap_v = mv_cap[m, 2] * capacity[r]
                    n_p = catch_up(people[o], mv_people[m], backlog[o, 0], cap_p)
                    n_t = 0.0
                    n_v = 0.0
                    # a load takes only packed cargo (WITHDRAWAL: unpacked is 0 without it)
                    if mv_teu[m] > 0 or backlog[o, 1] > 0:
                        n_t = catch_up(
                            teu[o].sum() - unpacked[o, 0], mv_teu[m], backlog[o, 1], cap_t
                        )
                    if mv_veh[m] > 0 or backlog[o, 2] > 0:
                        n_v = catch_up(
                            veh[o].sum() - unpacked[o, 1], mv_veh[m], backlog[o, 2], cap_v
                        )
                    k = inc_of[m]
                    delay = 0
                    if k >= 0:
                        # sorties lost to ground fire at the origin do not fly
                        aborted = min(inc_count[k, 2], mv_convoys[m])
                        if aborted > 0:
                            keep = 1.0 - aborted / mv_convoys[m]
                            n_p = np.floor(n_p * keep)
                            n_t *= keep
                            n_v = np.floor(n_v * keep)
                    backlog[o, 0] = max(0.0, backlog[o, 0] + mv_people[m] - n_p)
                    backlog[o, 1] = max(0.0, backlog[o, 1] + mv_teu[m] - n_t)
                    backlog[o, 2] = max(0.0, backlog[o, 2] + mv_veh[m] - n_v)
                    if people[o] > 0 and people[o] - n_p <= 0:
                        last_zero[o] = t
                    people[o] -= n_p
                    got_t = 0.0
                    got_v = 0.0
                    load_teu[:, :] = 0.0
                    load_veh[:, :] = 0.0
                    if n_t > 0:
                        got_t = take_cargo(teu, o, n_t, load_teu)
                    if n_v > 0:
                        got_v = take_cargo(veh, o, n_v, load_veh)
                    carries[m] = got_t > 0 or got_v > 0
                    if carries[m]:
                        s_teu[m] = load_teu
                        s_veh[m] = load_veh
                    if k >= 0:
                        for kind in range(2):
                            incidents[r, kind] += inc_count[k, kind]
                            inc_link[link, kind] += inc_count[k, kind]
                        n_gf = inc_count[k, 2] + inc_count[k, 3]
                        incidents[r, 2] += n_gf
                        inc_site[o, 0] += inc_count[k, 2]
                        inc_site[mv_dest[m], 0] += inc_count[k, 3]
                        dead = inc_effects[k, 0]
                        killed[r] += dead
                        wounded[r] += inc_effects[k, 1]
                        if mv_mode[m] == 1:
                            killed_site[o] += dead
                        else:
                            killed_link[link] += dead
                        lost_p = min(dead, n_p)
                        n_p -= lost_p
                        people_lost[r] += lost_p
                        in_theatre -= lost_p
                        if got_v > 0:
                            lose_share(s_veh[m], min(1.0, inc_effects[k, 2] / got_v), fate_v)
                        if got_t > 0:
                            lose_share(s_teu[m], min(1.0, inc_effects[k, 3] / got_t), fate_t)
                        delay = int(inc_effects[k, 4])
                    s_people[m] = n_p
                    pending -= 1
                    if guarded[m]:
                        pending_out[o] -= 1
                        if closure_work and pending_out[o] == 0 and release[o] < 0:
                            ptr = _ask_handover(
                                o, t, u[r], ptr, release, handed, ho_approval, ho_delay_mean,
                                ho_delay_fixed, final_steps_days, retry_days, max_retries,
                                approval[r],
                            )  # fmt: skip
                    base = travel[link, t]
                    dur = mv_dur[m] + (base if sp == 1.0 else int(math.ceil(base / sp)))
                    arrive = min(n_days - 1, t + max(0, dur) + delay)
                    if arrive == t:
                        # same-day arrival (air): available to later departures today
                        d = s_dest[m]
                        if exit_people[d] and site_charter[d]:
                            waiting[d] += n_p
                        elif exit_people[d]:
                            people_out[r] += n_p
                            in_theatre -= n_p
                        else:
                            people[d] += n_p
                        if carries[m] and site_corridor[d] >= 0:
                            uu = u[r, ptr] if ptr < block else 0.5
                            ptr += 1
                            wait = border_delay(uu, lift_border_mean[site_corridor[d]])
                            _push(bord_head, bord_next, min(n_days - 1, t + wait), m)
                            at_border += 1
                            carries[m] = False
                        for oo in range(n_orig if carries[m] else 0):
                            for cls in range(2):
                                if exit_cargo[d]:
                                    fate_t[oo, SHIPPED] += s_teu[m, oo, cls]
                                    fate_v[oo, SHIPPED] += s_veh[m, oo, cls]
                                else:
                                    teu[d, oo, cls] += s_teu[m, oo, cls]
                                    veh[d, oo, cls] += s_veh[m, oo, cls]
                    else:
                        in_transit += 1
                        _push(arr_head, arr_next, arrive, m)
                    slot = following

            # WITHDRAWAL: strategic lift: loads through their border delay join the corridor
            # queue, which crosses up to its throughput; charters seat who is waiting
            if n_lift > 0:
                b = bord_head[t]
                while b >= 0:
                    x = site_corridor[s_dest[b]]
                    pool_t[x] += s_teu[b]
                    pool_v[x] += s_veh[b]
                    at_border -= 1
                    b = bord_next[b]
                bord_head[t] = -1
                for x in range(n_lift):
                    if lift_kind[x] == 1:
                        lift_teu[r, x] += cross(pool_t[x], lift_per_day[x, 0], fate_t, SHIPPED)
                        lift_veh[r, x] += cross(pool_v[x], lift_per_day[x, 1], fate_v, SHIPPED)
                        continue
                    s = lift_site[x]
                    if t >= horizon and waiting[s] <= 0.0:
                        continue
                    seats, ptr = cleared_seats(
                        u[r],
                        ptr,
                        lift_flights[x, t],
                        lift_seats_each[x],
                        lift_approval[x, t] * approval[r],
                    )
                    if ptr > block:
                        short[r] = True
                    seated = min(waiting[s], seats)
                    waiting[s] -= seated
                    people_out[r] += seated
                    in_theatre -= seated
                    if t < horizon:
                        lift_people[x, t] += seated
                        lift_seats[x, t] += seats

            # 4. attacks on bases, more likely as the garrison thins
            if t < horizon:
                for s in attack_sites:
                    if closed_early[s] or people[s] <= 0:
                        continue
                    if people[s] != factor_people[s]:  # the power is costly: only on change
                        full = max(float(people0[s]), 1.0)
                        factor[s] = min(100.0, (full / people[s]) ** attack_elasticity[s])
                        factor_people[s] = people[s]
                    hazard[s] += attack_rate[s, t] * th * factor[s]
                    while hazard[s] >= threshold[s]:
                        draws = np.empty(5)
                        for j in range(5):
                            draws[j] = u[r, ptr] if ptr < block else 0.5
                            if ptr >= block:
                                short[r] = True
                            ptr += 1
                        threshold[s] += -math.log1p(-min(draws[4], 1.0 - 1e-16))
                        dead = float(poisson_inv(draws[0], attack_effects[s, 0]))
                        killed[r] += dead
                        killed_site[s] += dead
                        wounded[r] += poisson_inv(draws[1], attack_effects[s, 1])
                        lost_p = min(dead, people[s])
                        people[s] -= lost_p
                        people_lost[r] += lost_p
                        in_theatre -= lost_p
                        for which in range(2):
                            stock = veh if which == 0 else teu
                            fate = fate_v if which == 0 else fate_t
                            mean = attack_effects[s, 2 + which]
                            amount = float(poisson_inv(draws[2 + which], mean))
                            total = stock[s].sum()
                            if total > 0 and amount > 0:
                                share = min(1.0, amount / total)
                                for o in range(n_orig):
                                    for cls in range(2):
                                        lost = stock[s, o, cls] * share
                                        stock[s, o, cls] -= lost
                                        fate[o, LOST] += lost
                                unpacked[s, 1 - which] *= 1.0 - share
                        incidents[r, 3] += 1
                        inc_site[s, 1] += 1
                        attacks[s] += 1
                        if people[s] <= 0:
                            last_zero[s] = t
                            break
                        if early_close_attacks > 0 and attacks[s] >= early_close_attacks:
                            closed_early[s] = True
                            early_closed[r] += 1
                            early_closed_site[r, s] = 1
                            early_close_day[r, s] = t
                            # what is left is abandoned (sensitive items destroyed); without
                            # closure work (old folders) it is handed over, as it always was
                            dispose(teu, veh, s, destroy_orig, fate_t, fate_v, False, closure_work)
                            unpacked[s, :] = 0.0
                            if evac_link[s] >= 0:
                                e = n_used
                                n_used += 1
                                s_origin[e] = s
                                s_dest[e] = evac_dest[s]
                                s_link[e] = evac_link[s]
                                s_people[e] = people[s]
                                pending += 1
                                _push(dep_head, dep_next, min(t + 1, n_days - 1), e)
                            break

            if t < horizon:
                remaining[r, t] = int(round(in_theatre))
            if in_theatre <= 0.5 and completion_day[r] < 0:
                completion_day[r] = t
            moving = pending > 0 or in_transit > 0
            if not moving and t >= horizon - 1 and _lift_idle(at_border, waiting, pool_t, pool_v):
                break

        # what is left where it stands
        for s in range(n_sites):
            if site_kind[s] <= 1:
                if people[s] > 0.5:
                    closure_day[r, s] = -1
                else:
                    closure_day[r, s] = last_zero[s]
            if exit_cargo[s]:
                continue
            refused_handover = closure_work and release[s] >= 0 and not handed[s]
            dispose(teu, veh, s, destroy_orig, fate_t, fate_v, people[s] > 0.5, refused_handover)
            if handed[s] and people[s] <= 0.5:
                handover_day[r, s] = release[s]
        # WITHDRAWAL: cargo still queued at a corridor's end remains in theatre
        for x in range(n_lift):
            for o in range(n_orig):
                for cls in range(2):
                    fate_t[o, REMAINING] += pool_t[x, o, cls]
                    fate_v[o, REMAINING] += pool_v[x, o, cls]
        people_stranded[r] = in_theatre
        for j in range(n_orig):
            teu_fate[r, orig_sites[j]] = fate_t[j]
            veh_fate[r, orig_sites[j]] = fate_v[j]
        for k in range(inc_ptr[r], inc_ptr[r + 1]):
            inc_of[inc_movement[k]] = -1
