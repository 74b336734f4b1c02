"""Save and load plans: tables as CSV and Parquet, a JSON summary, GeoJSON of used routes.

A plan folder holds `movements`, `closures`, `dispositions`, `closure_work` (packing, last
load, final steps and handover of each site) and `lift_use` (seats and corridor crossings by
exit and day), each `.csv` and `.parquet`,
`summary.json` (scenario name and hash, objective terms, solver information, figures) and,
when the scenario is given, `routes.geojson` (the links used, with what went over them).
`load_plan` refuses a folder that is incomplete, or made for another scenario; folders written
before `closure_work` and `lift_use` existed load with those tables empty.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import typing
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import pandas as pd

from drawdown.atomic import atomic_dir
from drawdown.errors import InputError, Problem
from drawdown.hxl import read_csv, write_csv
from drawdown.jsonout import dumps_strict
from drawdown.plan.model import ClosureWorkRow, Disposition, LiftUseRow, Movement, Plan
from drawdown.plan.record import SolverRecord
from drawdown.scenario.model import Scenario

FORMAT_VERSION = 1
TABLES = ("movements", "closures", "dispositions")
MOVEMENT_COLUMNS = [f.name for f in fields(Movement)]
DISPOSITION_COLUMNS = [f.name for f in fields(Disposition)]
CLOSURE_WORK_COLUMNS = [f.name for f in fields(ClosureWorkRow)]
LIFT_USE_COLUMNS = [f.name for f in fields(LiftUseRow)]
OPTIONAL_TABLES = ("closure_work", "lift_use")


def _tables(plan: Plan, scenario: Scenario | None) -> dict[str, pd.DataFrame]:
    movements = pd.DataFrame([asdict(m) for m in plan.movements], columns=MOVEMENT_COLUMNS)
    closures = pd.DataFrame(
        [{"site": s, "closure_day": d} for s, d in plan.closure_order()],
        columns=["site", "closure_day"],
    )
    if scenario is not None:
        movements["date"] = [str(scenario.date_of(d)) for d in movements["day"]]
        closures["date"] = [str(scenario.date_of(d)) for d in closures["closure_day"]]
    dispositions = pd.DataFrame([asdict(d) for d in plan.dispositions], columns=DISPOSITION_COLUMNS)
    closure_work = pd.DataFrame(
        [asdict(r) for r in plan.closure_work], columns=CLOSURE_WORK_COLUMNS
    )
    lift_use = pd.DataFrame([asdict(r) for r in plan.lift_use], columns=LIFT_USE_COLUMNS)
    return {
        "movements": movements,
        "closures": closures,
        "dispositions": dispositions,
        "closure_work": closure_work,
        "lift_use": lift_use,
    }


def _json_safe(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _json_safe(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def routes_geojson(plan: Plan, scenario: Scenario) -> dict[str, Any]:
    """A FeatureCollection with one LineString per link used, and its totals."""
    totals: dict[str, dict[str, float]] = {}
    for m in plan.movements:
        t = totals.setdefault(
            m.link, {"convoys": 0, "people": 0, "containers_teu": 0.0, "vehicles": 0}
        )
        t["convoys"] += m.convoys
        t["people"] += m.people
        t["containers_teu"] += m.containers_teu
        t["vehicles"] += m.vehicles
    features = []
    for link_id, t in sorted(totals.items()):
        link = scenario.link(link_id)
        a, b = scenario.site(link.from_site), scenario.site(link.to_site)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[a.lon, a.lat], [b.lon, b.lat]]},
                "properties": {
                    "link": link_id,
                    "mode": link.mode,
                    "km": link.km,
                    **{k: round(v, 3) for k, v in t.items()},
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def save_plan(
    plan: Plan, folder: str | os.PathLike[str], *, scenario: Scenario | None = None
) -> Path:
    """Write `plan` into `folder` atomically (files there it does not write are kept)."""
    with atomic_dir(folder) as staging:
        _write(plan, staging, scenario)
    return Path(folder)


def _write(plan: Plan, folder: Path, scenario: Scenario | None) -> None:
    for name, table in _tables(plan, scenario).items():
        write_csv(table, folder / f"{name}.csv")  # with HXL hashtags under `hxl.tagging`
        table.to_parquet(folder / f"{name}.parquet", index=False)
    summary = {
        "format_version": FORMAT_VERSION,
        "scenario_name": plan.scenario_name,
        "scenario_hash": plan.scenario_hash,
        "horizon_days": plan.horizon_days,
        "method": plan.method,
        "objective": plan.objective,
        "figures": plan.figures,
        "plan_hash": plan.content_hash(),
        # No seconds: the same question gives the same file on any machine.
        "solver": plan.solver.to_dict(timings=False),
        "closure_day": plan.closure_day,
        "totals": plan.totals(),
    }
    (folder / "summary.json").write_text(
        dumps_strict(_json_safe(summary), indent=2) + "\n", encoding="utf-8"
    )
    if scenario is not None:
        (folder / "routes.geojson").write_text(
            dumps_strict(routes_geojson(plan, scenario)) + "\n", encoding="utf-8"
        )


def _read(folder: Path, name: str) -> pd.DataFrame:
    parquet, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
    if parquet.exists():
        return pd.read_parquet(parquet)
    return read_csv(csv, keep_default_na=False)


def load_plan(folder: str | os.PathLike[str], *, scenario: Scenario | None = None) -> Plan:
    """Read a plan folder written by `save_plan`; check it matches `scenario` if given."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            Problem(
                str(folder),
                "",
                "no such plan folder",
                "give a folder written by `drawdown plan -o DIR`",
            )
        )
    missing = [
        f"{n}.csv/.parquet"
        for n in TABLES
        if not (folder / f"{n}.parquet").exists() and not (folder / f"{n}.csv").exists()
    ]
    if not (folder / "summary.json").exists():
        missing.append("summary.json")
    if missing:
        raise InputError(
            Problem(
                str(folder),
                "",
                f"incomplete plan folder: missing {', '.join(missing)}",
                "write the plan again with `drawdown plan SCENARIO -o DIR`",
            )
        )
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        _check_format(folder, summary)
        movements = _read(folder, "movements")
        closures = _read(folder, "closures")
        dispositions = _read(folder, "dispositions")
        plan = Plan(
            scenario_name=str(summary["scenario_name"]),
            scenario_hash=str(summary["scenario_hash"]),
            horizon_days=int(summary["horizon_days"]),
            closure_day={
                str(s): int(d)
                for s, d in zip(closures["site"], closures["closure_day"], strict=True)
            },
            movements=tuple(
                Movement(**{c: _cast(Movement, c, r[c]) for c in MOVEMENT_COLUMNS if c in r})
                for r in movements.to_dict("records")
            ),
            dispositions=tuple(
                Disposition(
                    **{c: _cast(Disposition, c, r[c]) for c in DISPOSITION_COLUMNS if c in r}
                )
                for r in dispositions.to_dict("records")
            ),
            closure_work=tuple(
                ClosureWorkRow(**{c: _cast(ClosureWorkRow, c, r[c]) for c in CLOSURE_WORK_COLUMNS})
                for r in _optional(folder, "closure_work")
            ),
            lift_use=tuple(
                LiftUseRow(**{c: _cast(LiftUseRow, c, r[c]) for c in LIFT_USE_COLUMNS})
                for r in _optional(folder, "lift_use")
            ),
            objective={k: _number(v) for k, v in summary.get("objective", {}).items()},
            solver=SolverRecord.from_dict(dict(summary.get("solver", {}))),
            method=str(summary.get("method", "optimised")),
            figures={k: _number(v) for k, v in summary.get("figures", {}).items()},
        )
    except (KeyError, ValueError, TypeError, json.JSONDecodeError) as exc:
        raise InputError(
            Problem(
                str(folder),
                "",
                f"unreadable plan folder: {exc}",
                "write the plan again with `drawdown plan`",
            )
        ) from None
    if scenario is not None:
        check_plan_scenario(plan, scenario, folder)
    return plan


def check_plan_scenario(plan: Plan, scenario: Scenario, folder: str | os.PathLike[str]) -> None:
    """Refuse a plan (read from `folder`) made for another scenario, or another version of
    it: its name and content hash must be the scenario's."""
    if plan.scenario_hash != scenario.content_hash():
        raise InputError(
            Problem(
                str(Path(folder) / "summary.json"),
                "scenario_hash",
                f"plan was made for scenario '{plan.scenario_name}' ({plan.scenario_hash}), not "
                f"'{scenario.name}' ({scenario.content_hash()})",
                "plan this scenario again with `drawdown plan`",
            )
        )


def _check_format(folder: Path, summary: Any) -> None:
    """Refuse a plan written in another format: its columns could mean something else."""
    version = summary.get("format_version") if isinstance(summary, dict) else None
    if version != FORMAT_VERSION:
        raise InputError(
            Problem(
                str(folder / "summary.json"),
                "format_version",
                f"plan format {version!r}; this drawdown reads format {FORMAT_VERSION}",
                "write the plan again with this drawdown: `drawdown plan SCENARIO -o DIR`",
            ),
            title="plan in another format",
        )


def _solver_record(raw: dict[str, Any]) -> Any:
    """`Plan.solver` from its JSON: a plain dict, or the typed record `Plan` declares.

    Generic on purpose: a record type with more (or fewer) fields round-trips without an edit
    here; keys the type does not know are dropped, fields the file lacks take their defaults.
    """
    kind = typing.get_type_hints(Plan).get("solver")
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        known = {f.name for f in fields(kind)}
        return kind(**{k: v for k, v in raw.items() if k in known})
    return dict(raw)


def _number(value: Any) -> float:
    """A figure of summary.json: `null` stands for a number that is not finite (NaN)."""
    return math.nan if value is None else float(value)


def _optional(folder: Path, name: str) -> list[dict[str, Any]]:
    """Rows of a table that older plan folders lack (none then)."""
    if not (folder / f"{name}.parquet").exists() and not (folder / f"{name}.csv").exists():
        return []
    return list(_read(folder, name).to_dict("records"))


_INT = {
    "day",
    "arrival_day",
    "convoys",
    "people",
    "vehicles",
    "pack_start_day",
    "packed_by_day",
    "final_steps_start_day",
    "handover_day",
    "closure_day",
    "seats_used",
    "vehicles_crossed",
}
_FLOAT = {"containers_teu", "value_usd", "seats_available", "teu_crossed"}


def _cast(kind: type, column: str, value: Any) -> Any:
    if column in _INT:
        return int(value)
    if column in _FLOAT:
        return float(value)
    if column == "sensitive":
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")
    return str(value)
