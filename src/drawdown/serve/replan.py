"""Re-plans run in a worker process: the server stays responsive and a cancel is immediate.

The optimiser is one long call with no place to stop it, so it runs in its own process
(`spawn`: no server threads or sockets are inherited) and a cancel terminates that process.
The worker reports its stage through a pipe; the job records the stage and the seconds spent,
which is the progress the page shows. One re-plan runs at a time (2 cores are shared).

A spawned process first spends about 2.8 s of CPU importing the planner (linopy, xarray,
HiGHS). So once a re-plan has finished, the next worker is started at once and waits,
imported, for its scenario (`standby`): every re-plan after the first starts planning
immediately. It is terminated with the server.
"""

from __future__ import annotations

import multiprocessing as mp
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from drawdown.errors import InputError, Problem
from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario
from drawdown.serve.errors import Busy, error_json

JOB_ID = re.compile(r"^j[0-9a-f]{8}$")
STATES = ("planning", "simulating", "done", "failed", "cancelled")


def plan_in_worker(scenario: Scenario, greedy: bool, warm_start: Plan | None, conn: Any) -> None:
    """The worker: plan `scenario` and send ("plan", plan, note) or ("error", problems)."""
    try:
        conn.send(("stage", "loading the planner"))
        from drawdown.analyse.compare import plan_option
        from drawdown.plan import greedy_plan, optimise

        conn.send(("stage", "greedy baseline" if greedy else "optimising the plan (HiGHS)"))

        def planner(s: Scenario) -> Plan:
            if greedy:
                return greedy_plan(s)
            # the page shows no gain over greedy: its baseline would cost 2 s of a re-plan
            return optimise(s, warm_start=warm_start, with_greedy=False)

        plan, note = plan_option(planner, scenario)
        conn.send(("plan", plan, note))
    except InputError as exc:
        conn.send(("error", exc.title, exc.problems))
    except Exception as exc:  # the server must learn why, whatever went wrong
        conn.send(("error", "the planner failed", [Problem("re-plan", "", repr(exc))]))
    finally:
        conn.close()


def standby(conn: Any) -> None:
    """A spare worker: import the planner now, then plan the one job `conn` brings."""
    import numpy as np

    from drawdown.analyse.compare import plan_option  # noqa: F401  (the imports are the point)
    from drawdown.plan import greedy_plan, optimise  # noqa: F401
    from drawdown.simulate.withdrawal import pack

    # The dispatcher packs with the stress test's compiled rule: loading it from numba's
    # cache costs the first dispatch of a process ~0.1 s, spent here while the worker waits.
    pack(np.zeros((1, 2)), 0, 0.0, np.zeros(2), np.zeros(2))

    try:
        job = conn.recv()
    except (EOFError, OSError):
        return
    if job is not None:
        scenario, greedy, warm_start = job
        plan_in_worker(scenario, greedy, warm_start, conn)


@dataclass
class Job:
    """One re-plan: its state, stage and timing, then the variant it made or why it failed."""

    id: str
    name: str
    kind: str = "replan"  # or "open": planning another built-in scenario
    state: str = "planning"
    stage: str = "starting the planner process"
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    variant_id: str = ""
    error: dict[str, Any] | None = None
    process: Any = None
    # Every poll or join of `process` holds this lock: a child reaped by one thread's
    # waitpid reads as alive to another thread polling at that moment (ECHILD).
    reaping: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def alive(self) -> bool:
        with self.reaping:
            return self.process is not None and self.process.is_alive()

    def join(self, seconds: float) -> None:
        with self.reaping:
            if self.process is not None:
                self.process.join(timeout=seconds)

    def as_json(self) -> dict[str, Any]:
        end = self.finished if self.finished is not None else time.monotonic()
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "state": self.state,
            "stage": self.stage,
            "seconds": round(end - self.started, 1),
            "variant_id": self.variant_id,
            "error": self.error,
        }


class Replanner:
    """Starts, watches and cancels re-plan worker processes (one at a time)."""

    def __init__(self, keep: int = 16):
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._keep = keep
        self._context = mp.get_context("spawn")
        self._spare: tuple[Any, Any] | None = None  # (process, its end of the pipe)
        self._closed = False

    def running(self) -> Job | None:
        with self._lock:
            return next((j for j in self._jobs.values() if j.state in STATES[:2]), None)

    def get(self, job_id: str) -> Job | None:
        if not isinstance(job_id, str) or not JOB_ID.match(job_id):
            return None
        with self._lock:
            return self._jobs.get(job_id)

    def start(
        self,
        name: str,
        scenario: Scenario,
        *,
        greedy: bool,
        warm_start: Plan | None,
        then: Any,
        kind: str = "replan",
    ) -> Job:
        """Plan `scenario` in a worker; on success call `then(job, plan, note)` in a thread."""
        if self.running() is not None:
            raise Busy(
                Problem(
                    "re-plan",
                    "",
                    "a re-plan is already running",
                    "wait for it, or cancel it, then re-plan again",
                ),
                title="busy",
            )
        job = Job(f"j{secrets.token_hex(4)}", name, kind)
        job.process, parent = self._take_spare()
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self._keep:
                oldest = next(iter(self._jobs))
                if self._jobs[oldest].state in STATES[:2]:
                    break
                del self._jobs[oldest]
        try:
            parent.send((scenario, greedy, warm_start))
        except OSError:  # the waiting worker died meanwhile (BrokenPipeError): a fresh one
            job.process, parent = self._new_worker()
            parent.send((scenario, greedy, warm_start))
        threading.Thread(target=self._watch, args=(job, parent, then), daemon=True).start()
        return job

    def _take_spare(self) -> tuple[Any, Any]:
        """The waiting worker if there is a live one, else a new one (process, pipe)."""
        with self._lock:
            spare, self._spare = self._spare, None
        if spare is not None and spare[0].is_alive():
            return spare
        return self._new_worker()

    def _new_worker(self) -> tuple[Any, Any]:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(target=standby, args=(child,), daemon=True)
        process.start()
        child.close()
        return process, parent

    def _prestart(self) -> None:
        """Start the next re-plan's worker, unless one waits or the server is stopping."""
        with self._lock:
            if self._closed or self._spare is not None:
                return
            self._spare = self._new_worker()

    def _watch(self, job: Job, conn: Any, then: Any) -> None:
        outcome: tuple[Any, ...] | None = None
        while outcome is None:
            try:
                if conn.poll(0.2):
                    message = conn.recv()
                    if message[0] == "stage":
                        job.stage = message[1]
                    else:
                        outcome = message
                elif not job.alive() and not conn.poll(0):
                    break
            except (EOFError, OSError):
                break
        job.join(5)
        conn.close()
        self._prestart()  # the planner is free: the next re-plan's worker imports meanwhile
        if job.state == "cancelled":
            return
        if outcome is None:
            self._fail(job, "the planner process stopped", [])
        elif outcome[0] == "error":
            self._fail(job, outcome[1], outcome[2])
        else:
            job.state, job.stage = "simulating", "stress-testing the plan"
            try:
                job.variant_id = then(job, outcome[1], outcome[2])
            except InputError as exc:
                self._fail(job, exc.title, exc.problems)
                return
            except Exception as exc:
                self._fail(job, "the stress test failed", [Problem("re-plan", "", repr(exc))])
                return
            if job.state != "cancelled":
                job.state, job.stage, job.finished = "done", "done", time.monotonic()

    def _fail(self, job: Job, title: str, problems: list[Problem]) -> None:
        job.state, job.stage, job.finished = "failed", "failed", time.monotonic()
        job.error = error_json(InputError(problems or [Problem("re-plan", "", title)], title))

    def cancel(self, job: Job) -> None:
        """Stop the job: terminate its planner process (a stress test already begun is
        finished but not kept)."""
        if job.state not in STATES[:2]:
            return
        job.state, job.stage, job.finished = "cancelled", "cancelled", time.monotonic()
        with job.reaping:
            if job.process is not None and job.process.is_alive():
                job.process.terminate()
                job.process.join(timeout=5)

    def shutdown(self) -> None:
        with self._lock:
            jobs = list(self._jobs.values())
            self._closed = True
            spare, self._spare = self._spare, None
        for job in jobs:
            self.cancel(job)
        if spare is not None:
            process, conn = spare
            process.terminate()
            process.join(timeout=5)
            conn.close()
