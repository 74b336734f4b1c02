"""A what-if from the page, read and checked on the server before any work.

The page sends parameter changes as `--set` names and values, new dated events, a name and
a number of runs. Each change is read by `drawdown.scenario.overrides` exactly as
`drawdown compare --set NAME=VALUE` reads it and applied to the scenario, so an unknown
name, a wrong type or a value out of range gets the message the command line prints. A new
event is checked by the scenario's own model and reference checks. Sizes are bounded here
(changes, events, text lengths, runs) so no request can ask for unbounded work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from drawdown.errors import InputError, Problem
from drawdown.scenario.model import Event, Scenario
from drawdown.scenario.overrides import apply_overrides, parse_overrides
from drawdown.scenario.validate import check_references

MAX_CHANGES = 64
MAX_EVENTS = 8
MAX_TEXT = 200
SOURCE = "request"
KEYS = ("name", "changes", "events", "runs")
EVENT_KEYS = ("kind", "target", "date", "end_date")
EVENT_SOURCE = "[E] what-if on the drawdown workbench"


@dataclass(frozen=True)
class WhatIf:
    """A checked what-if: `--set` texts, new events, a label and the runs asked for."""

    name: str
    changes: tuple[str, ...]
    events: tuple[Event, ...]
    runs: int

    def describe(self) -> str:
        """What changed, in the `--set` language (new events as `+event kind target from..to`)."""
        parts = list(self.changes)
        for e in self.events:
            until = f"..{e.end_date}" if e.end_date else ""
            parts.append(f"+event {e.kind} {e.target} {e.date}{until}")
        return ", ".join(parts) or "no change"

    def scenario(self, base: Scenario) -> Scenario:
        """The changed scenario (the base is unchanged)."""
        changed = apply_overrides(base, list(self.changes))
        if self.events:
            changed = changed.replace(events=(*changed.events, *self.events))
        return changed

    def variant(self, base: Scenario) -> list[str] | Scenario:
        """What the stress test's variant front door takes: the overrides, or with new
        events (which no override names) the changed scenario itself."""
        return self.scenario(base) if self.events else list(self.changes)


def _problem(where: str, message: str, hint: str = "") -> Problem:
    return Problem(SOURCE, where, message, hint)


def _text(value: Any, where: str, problems: list[Problem]) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        problems.append(_problem(where, f"expected text or a number, not {type(value).__name__}"))
        return ""
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        problems.append(_problem(where, f"longer than {MAX_TEXT} characters"))
        return ""
    return text


def read_whatif(payload: Any, base: Scenario, *, default_runs: int, max_runs: int) -> WhatIf:
    """A checked what-if from the request's JSON; InputError naming every problem found."""
    if not isinstance(payload, dict):
        raise InputError(_problem("body", "expected a JSON object"), title="bad request")
    problems: list[Problem] = []
    unknown = sorted(set(payload) - set(KEYS))
    if unknown:
        problems.append(
            _problem(", ".join(map(str, unknown)), "unknown key", f"use {', '.join(KEYS)}")
        )
    name = _text(payload.get("name", ""), "name", problems)
    runs = _runs(payload.get("runs", default_runs), max_runs, problems)
    texts = _changes(payload.get("changes", []), problems)
    events = _events(payload.get("events", []), base, problems)
    if problems:
        raise InputError(problems, title=f"{len(problems)} problem(s) in the what-if")
    overrides = parse_overrides(texts, base)  # the messages of --set
    changes = tuple(str(o) for o in overrides)
    whatif = WhatIf(name or "", changes, events, runs)
    changed = whatif.scenario(base)  # an out-of-range value fails here, as with --set
    if events:
        new = {e.id for e in events}
        found = [p for p in check_references(changed) if any(f"id={i}" in p.where for i in new)]
        if found:
            raise InputError(found, title="the new event cannot be used")
    return WhatIf(name or whatif.describe(), changes, events, runs)


def _runs(value: Any, max_runs: int, problems: list[Problem]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= max_runs:
        problems.append(
            _problem("runs", f"must be a whole number from 1 to {max_runs:,}, not {value!r}")
        )
        return 0
    return value


def _changes(value: Any, problems: list[Problem]) -> list[str]:
    if not isinstance(value, list):
        problems.append(_problem("changes", "expected a list of {name, value}"))
        return []
    if len(value) > MAX_CHANGES:
        problems.append(_problem("changes", f"more than {MAX_CHANGES} changes"))
        return []
    texts = []
    for i, item in enumerate(value, start=1):
        where = f"change {i}"
        if not isinstance(item, dict) or set(item) - {"name", "value"}:
            problems.append(_problem(where, "expected {name, value}"))
            continue
        name = _text(item.get("name", ""), f"{where} name", problems)
        raw = _text(item.get("value", ""), f"{where} value", problems)
        texts.append(f"{name}={raw}")
    return texts


def _events(value: Any, base: Scenario, problems: list[Problem]) -> tuple[Event, ...]:
    if not isinstance(value, list):
        problems.append(_problem("events", "expected a list of {kind, target, date, end_date}"))
        return ()
    if len(value) > MAX_EVENTS:
        problems.append(_problem("events", f"more than {MAX_EVENTS} new events"))
        return ()
    taken = {e.id for e in base.events}
    events = []
    for i, item in enumerate(value, start=1):
        where = f"new event {i}"
        if not isinstance(item, dict) or set(item) - set(EVENT_KEYS):
            problems.append(_problem(where, f"expected {{{', '.join(EVENT_KEYS)}}}"))
            continue
        fields = {k: _text(item.get(k, ""), f"{where} {k}", problems) for k in EVENT_KEYS}
        event_id = next(
            f"what-if-{n}" for n in range(i, i + len(taken) + 2) if f"what-if-{n}" not in taken
        )
        taken.add(event_id)
        try:
            events.append(
                Event(
                    id=event_id,
                    kind=fields["kind"],
                    target=fields["target"],
                    date=_date(fields["date"]),
                    end_date=_date(fields["end_date"]) or None,
                    description=f"{fields['kind']} of {fields['target']} (what-if)",
                    source=EVENT_SOURCE,
                )
            )
        except ValidationError as exc:
            for e in exc.errors():
                column = ".".join(str(x) for x in e["loc"])
                problems.append(_problem(f"{where}, {column}", e["msg"]))
    return tuple(events)


def _date(text: str) -> dt.date | str | None:
    """An ISO date, None when empty, or the text itself for the model to refuse."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text
