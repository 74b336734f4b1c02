"""The variants kept side by side: a bounded list, oldest evicted, safe across threads.

A variant's id is the only name of it the browser ever sends back (to show or export it),
so ids have one fixed shape (`VARIANT_ID`) and anything else is refused before a lookup.
"""

from __future__ import annotations

import itertools
import re
import secrets
import threading
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario
from drawdown.simulate.result import SimulationResult

VARIANT_ID = re.compile(r"^(baseline|v[0-9]{1,6}-[0-9a-f]{6})$")
#: key figures shown in the variants list
LIST_FIGURES = ("p_out_on_time", "completion_day", "casualties", "teu_destroyed")


@dataclass
class VariantRecord:
    """One variant: what changed, the plan it executed, its results and its drawn page."""

    id: str
    name: str
    changes: str
    kind: str  # "baseline", "simulate" (the baseline plan) or "replan" (its own plan)
    scenario: Scenario
    plan: Plan
    result: SimulationResult
    page: dict[str, Any]  # headline and figures (figures.draw_figures)
    key_figures: list[dict[str, Any]] = field(default_factory=list)
    plan_note: str = ""
    runs: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # where the answer's time went
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)  # drawing later
    # the page being drawn (`Drawer.later`), until `figures_of` takes it
    drawing: Future[tuple[dict[str, Any], float]] | None = field(default=None, repr=False)

    def summary(self) -> dict[str, Any]:
        """The row of the variants list: name, what changed and the key figures."""
        figures = {f["figure"]: f for f in self.key_figures}
        return {
            "id": self.id,
            "name": self.name,
            "changes": self.changes,
            "kind": self.kind,
            "runs": self.runs,
            "plan_note": self.plan_note,
            "figures": [figures[k] for k in LIST_FIGURES if k in figures],
        }

    def full(self) -> dict[str, Any]:
        """Everything the page shows of this variant."""
        return {
            **self.summary(),
            **self.page,
            "key_figures": self.key_figures,
            "seconds": self.seconds,
        }


class VariantStore:
    """At most `limit` variants besides the baseline; adding one evicts the oldest."""

    def __init__(self, baseline: VariantRecord, limit: int):
        self.baseline, self.limit = baseline, max(1, limit)
        self._items: OrderedDict[str, VariantRecord] = OrderedDict()
        self._lock = threading.Lock()
        self._counter = itertools.count(1)

    def new_id(self) -> str:
        with self._lock:
            return f"v{next(self._counter)}-{secrets.token_hex(3)}"

    def add(self, record: VariantRecord) -> list[str]:
        """Keep `record`; return the ids evicted to stay within the limit."""
        evicted = []
        with self._lock:
            self._items[record.id] = record
            while len(self._items) > self.limit:
                evicted.append(self._items.popitem(last=False)[0])
        return evicted

    def get(self, variant_id: str) -> VariantRecord | None:
        """The variant of that id (None for an unknown or malformed id)."""
        if not isinstance(variant_id, str) or not VARIANT_ID.match(variant_id):
            return None
        if variant_id == "baseline":
            return self.baseline
        with self._lock:
            return self._items.get(variant_id)

    def listing(self) -> list[dict[str, Any]]:
        """The baseline then every kept variant, oldest first."""
        with self._lock:
            items = list(self._items.values())
        return [self.baseline.summary(), *(v.summary() for v in items)]

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
