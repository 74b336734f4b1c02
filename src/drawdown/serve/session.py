"""The server's session: the workbench in use, and opening another built-in scenario.

The browser may name a built-in scenario (never a path): it is loaded here, planned in the
re-plan worker (progress, cancellable, as a re-plan), and its workbench replaces the one in
use when ready. The variants of the previous scenario go with it; the exports stay on disk.
"""

from __future__ import annotations

import threading
from typing import Any

from drawdown.errors import InputError, Problem
from drawdown.plan.model import Plan
from drawdown.serve.replan import Job, Replanner
from drawdown.serve.workbench import Workbench


class Session:
    """Holds the workbench in use; every request reads it through `bench`."""

    def __init__(self, bench: Workbench):
        self._bench = bench
        self._lock = threading.Lock()
        self.replanner: Replanner = bench.replanner

    @property
    def bench(self) -> Workbench:
        with self._lock:
            return self._bench

    def open_builtin(self, payload: Any) -> Job:
        """Plan the built-in scenario named in `payload` ({"scenario": NAME}) and switch to it."""
        from drawdown.scenario.io import builtin_names, load_scenario

        names = builtin_names()
        name = payload.get("scenario") if isinstance(payload, dict) else None
        if not isinstance(name, str) or name not in names:
            raise InputError(
                Problem(
                    "request",
                    "scenario",
                    f"not a built-in scenario: {str(name)[:60]!r}",
                    f"use one of: {', '.join(names)} (other scenarios: `drawdown serve FOLDER`)",
                ),
                title="cannot open that scenario",
            )
        scenario = load_scenario(name)
        current = self.bench

        def then(job: Job, plan: Plan, note: str) -> str:
            job.stage = "stress-testing the baseline and drawing its figures"
            fresh = Workbench(
                scenario,
                plan,
                current.settings,
                source=name,
                replanner=self.replanner,
                drawer=current.drawer,
            )
            if job.state == "cancelled":
                return ""
            with self._lock:
                self._bench = fresh
            return "baseline"

        return self.replanner.start(
            f"open {name}",
            scenario,
            greedy=current.settings.greedy,
            warm_start=None,
            then=then,
            kind="open",
        )

    def close(self) -> None:
        """Stop the planner worker and the drawing workers (shared by every workbench)."""
        self.bench.close()
