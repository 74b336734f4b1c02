"""Parameter overrides: one registry of names shared by compare, sensitivity and uncertainties.

A name says which rows of which table change and which field: `<table>.<selector>.<field>`,
e.g. `clearance.road.approval` (every road clearance row), `clearance.road:north.approval`
(those of the north region), `threat.ied.rate` (every roadside bomb row),
`escort.north.convoys_per_day`, `trucks.*.count` (`trucks.count` for short). The
selector is a mode, kind, id, corridor, site or contingent depending on the table, or `*`
for every row. Manifest settings have plain names: `deadline`, `policy.max_retries`,
`calendar.rainy_months` (`6-9` or `7;8`), `calendar.rainy_months.first`.

A value is absolute (`=0.5`, `=2023-12-31`, `=yes` for an owner's rule such as
`contingents.chad.handover_allowed`) or a multiplier of each row's own value (`=*1.5`). A
declared uncertainty's range is one or the other by its `scale`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from drawdown.errors import InputError, Problem
from drawdown.scenario.model import Calendar, ClosureWork, Manifest, Scenario, Uncertainty

SOURCE = "--set"


@dataclass(frozen=True)
class Family:
    """One table of the scenario whose rows can be overridden field by field."""

    prefix: str  # first part of the name
    attribute: str  # Scenario attribute holding the rows
    fields: tuple[str, ...]
    selectors: Callable[[Any], tuple[str, ...]]  # what a row answers to (besides *)
    what: str  # what the selector names, for help


def _by(*names: str) -> Callable[[Any], tuple[str, ...]]:
    return lambda row: tuple(str(getattr(row, n)) for n in names)


def _mode_region(row: Any) -> tuple[str, ...]:
    """A clearance row answers to its mode, its region, and both as `mode:region`."""
    return (str(row.mode), str(row.region), f"{row.mode}:{row.region}")


FAMILIES: tuple[Family, ...] = (
    Family(
        "clearance",
        "clearances",
        ("approval", "delay_mean_days"),
        _mode_region,
        "mode, region, or mode:region",
    ),
    Family(
        "threat",
        "threats",
        (
            "rate",
            "garrison_elasticity",
            "killed_mean",
            "wounded_mean",
            "vehicles_lost_mean",
            "cargo_lost_teu_mean",
            "delay_days_mean",
        ),
        _by("kind", "target"),
        "incident kind or target link/site",
    ),
    Family(
        "link",
        "links",
        ("km", "dry_km_per_day", "wet_km_per_day"),
        _by("mode", "id", "corridor"),
        "mode, link id or corridor",
    ),
    Family(
        "trucks",
        "trucks",
        ("count", "teu_each", "people_each"),
        _by("id"),
        "truck pool id",
    ),
    Family(
        "escort",
        "escorts",
        ("convoys_per_day", "trucks_per_convoy", "vehicles_per_convoy"),
        _by("corridor", "id"),
        "corridor or escort id",
    ),
    Family(
        "aircraft",
        "aircraft",
        ("count", "sorties_per_day", "people_each", "teu_each", "vehicles_each"),
        _by("id"),
        "aircraft type id",
    ),
    Family(
        "holdings",
        "holdings",
        ("containers_teu", "vehicles", "value_usd"),
        _by("site", "contingent", "cargo_class", "unit", "owner"),
        "site, contingent, cargo class, unit or owner",
    ),
    Family(
        "units",
        "units",
        ("people",),
        _by("id", "site", "contingent", "kind", "category"),
        "unit id, site, contingent, kind or category",
    ),
    Family(
        "event",
        "events",
        ("date", "end_date"),
        _by("id", "kind"),
        "event id or kind",
    ),
    Family(
        "contingents",
        "contingents",
        ("handover_allowed",),
        _by("id"),
        "contingent id; yes or no",
    ),
)
YES_NO = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
FAMILY = {f.prefix: f for f in FAMILIES}
ALIASES = {
    "speed.wet": "link.road.wet_km_per_day",
    "speed.dry": "link.road.dry_km_per_day",
}
MANIFEST_TOP = ("deadline", "protection_horizon", "running_cost_usd_per_day")
MANIFEST_GROUPS = {
    "policy": tuple(Manifest.model_fields["policy"].annotation.model_fields),  # type: ignore[union-attr]
    "objective": tuple(Manifest.model_fields["objective"].annotation.model_fields),  # type: ignore[union-attr]
    # closure work is optional (older folders have none): only a scenario with it resolves
    "closure": tuple(ClosureWork.model_fields),
}
RAINY = "calendar.rainy_months"
RAINY_PARTS = ("first", "last")


@dataclass(frozen=True)
class Override:
    """One change: set `name` to `value`, or multiply it by `value` when `relative`."""

    name: str
    value: float | str
    relative: bool = False

    def __str__(self) -> str:
        return f"{self.name}={'*' if self.relative else ''}{self.value}"


@dataclass(frozen=True)
class Target:
    """Where a canonical name points: a table family and selector, or a manifest setting."""

    name: str  # canonical
    family: Family | None
    selector: str
    field: str  # field of the row, or manifest path after the family prefix


def pattern_help(scenario: Scenario) -> list[str]:
    """The valid parameter names for `scenario`, as patterns with their choices."""
    lines = []
    for fam in FAMILIES:
        rows = getattr(scenario, fam.attribute)
        found = {s for row in rows for s in fam.selectors(row) if s and s != "*"}
        choices = sorted(found, key=lambda s: (":" in s, s))  # mode:region pairs last
        shown = "|".join(["*", *choices[:10]]) + ("|…" if len(choices) > 10 else "")
        lines.append(f"{fam.prefix}.<{shown}>.<{'|'.join(fam.fields)}>  ({fam.what})")
    for group, fields in MANIFEST_GROUPS.items():
        lines.append(f"{group}.<{'|'.join(fields)}>")
    lines.append(f"{RAINY} (e.g. 6-9), {RAINY}.first, {RAINY}.last")
    lines += [*MANIFEST_TOP, "speed.wet, speed.dry (road speeds)"]
    return lines


def _unknown(name: str, scenario: Scenario, why: str, source: str) -> InputError:
    valid = "; ".join(pattern_help(scenario))
    return InputError(
        Problem(source, name, f"unknown parameter: {why}", f"valid names: {valid}"),
        title=f"unknown parameter {name!r}",
    )


def resolve(name: str, scenario: Scenario, *, source: str = SOURCE) -> Target:
    """The target of a parameter name, refusing unknown ones with the list of valid names."""
    name = ALIASES.get(name.strip(), name.strip())
    parts = name.split(".")
    if parts[0] == "holdings" and parts[-1] == "people":  # people moved to units.csv
        parts[0] = "units"
        name = ".".join(parts)
    if name in MANIFEST_TOP or name == RAINY:
        return Target(name, None, "", name)
    if len(parts) == 3 and ".".join(parts[:2]) == RAINY and parts[2] in RAINY_PARTS:
        return Target(name, None, "", name)
    if len(parts) == 2 and parts[0] in MANIFEST_GROUPS:
        if parts[1] not in MANIFEST_GROUPS[parts[0]]:
            raise _unknown(name, scenario, f"{parts[0]} has no setting {parts[1]!r}", source)
        if getattr(scenario.manifest, parts[0]) is None:
            raise _unknown(
                name, scenario, f"the scenario has no `{parts[0]}:` section to change", source
            )
        return Target(name, None, "", name)
    fam = FAMILY.get(parts[0])
    if fam is None:
        raise _unknown(name, scenario, f"no table or setting {parts[0]!r}", source)
    if len(parts) == 2:
        parts = [parts[0], "*", parts[1]]
    if len(parts) != 3:
        raise _unknown(name, scenario, f"expected {fam.prefix}.<selector>.<field>", source)
    _, selector, field = parts
    if field not in fam.fields:
        raise _unknown(name, scenario, f"{fam.prefix} has no field {field!r}", source)
    rows = getattr(scenario, fam.attribute)
    if selector != "*" and not any(selector in fam.selectors(row) for row in rows):
        raise _unknown(
            name, scenario, f"no {fam.attribute} row matches {selector!r} ({fam.what})", source
        )
    if not rows:
        raise _unknown(name, scenario, f"the scenario has no {fam.attribute}", source)
    return Target(f"{fam.prefix}.{selector}.{field}", fam, selector, field)


def parse_override(text: str, scenario: Scenario, *, source: str = SOURCE) -> Override:
    """Parse `NAME=VALUE` or `NAME=*FACTOR` into an Override with a canonical name."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip() or not raw.strip():
        raise InputError(
            Problem(
                source, text, "expected NAME=VALUE or NAME=*FACTOR", "e.g. threat.ied.rate=*1.5"
            ),
            title="cannot read an override",
        )
    target = resolve(name, scenario, source=source)
    raw = raw.strip()
    relative = raw.startswith("*")
    raw = raw[1:].strip() if relative else raw
    value: float | str
    try:
        value = float(raw)
    except ValueError:
        if relative:
            raise InputError(
                Problem(source, text, f"factor {raw!r} is not a number", "e.g. *1.5"),
                title="cannot read an override",
            ) from None
        value = raw
    if isinstance(value, float) and not math.isfinite(value):  # float() reads inf and nan
        raise InputError(
            Problem(
                source,
                text,
                f"{raw!r} is not a finite number",
                "give a plain number such as 0.5, or a factor such as *2",
            ),
            title="cannot read an override",
        )
    if isinstance(value, float) and not relative:
        _refuse_fraction(target, value, text, scenario, source)
    return Override(target.name, value, relative)


def parse_overrides(texts: Iterable[str], scenario: Scenario) -> list[Override]:
    """Parse several `NAME=VALUE` texts (all problems reported together)."""
    out: list[Override] = []
    problems: list[Problem] = []
    for text in texts:
        try:
            out.append(parse_override(text, scenario))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems, title=f"{len(problems)} override(s) not understood")
    return out


def apply_overrides(
    scenario: Scenario, overrides: Sequence[Override | str], *, source: str = SOURCE
) -> Scenario:
    """A new scenario with every override applied in order (the original is unchanged).

    Manifest settings given one after another are checked together, once all are set: a
    pair that must agree (final_steps_days and its range, the packing factors) can be moved
    in two overrides without the first being refused for the second's old value.
    """
    settings: list[Override] = []
    for item in overrides:
        ov = parse_override(item, scenario, source=source) if isinstance(item, str) else item
        if resolve(ov.name, scenario, source=source).family is None:
            settings.append(ov)
            continue
        scenario = _apply_manifest(scenario, settings, source)
        settings = []
        scenario = _apply(scenario, ov, source)
    return _apply_manifest(scenario, settings, source)


def describe(overrides: Sequence[Override | str]) -> str:
    """A short label for a set of overrides, e.g. for a compare column."""
    return ", ".join(str(o) for o in overrides) or "baseline"


def is_relative(uncertainty: Uncertainty) -> bool:
    """Whether a declared uncertainty's range multiplies the table values (else absolute)."""
    return uncertainty.scale == "multiplier"


def uncertainty_override(uncertainty: Uncertainty, value: float, scenario: Scenario) -> Override:
    """The override that puts a declared uncertainty at `value` (in its own units)."""
    target = resolve(uncertainty.parameter, scenario, source="scenario.yaml")
    return Override(target.name, float(value), is_relative(uncertainty))


def check_uncertainties(scenario: Scenario) -> list[Problem]:
    """Problems with the scenario's declared uncertainties (unknown names, odd ranges)."""
    problems: list[Problem] = []
    for i, u in enumerate(scenario.manifest.uncertainties):
        where = f"uncertainties[{i}] {u.parameter}"
        try:
            resolve(u.parameter, scenario, source="scenario.yaml")
        except InputError as exc:
            problems += [Problem("scenario.yaml", where, p.message, p.hint) for p in exc.problems]
            continue
        if not u.low < u.high:
            problems.append(
                Problem(
                    "scenario.yaml",
                    where,
                    f"low {u.low:g} is not below high {u.high:g}",
                    "swap low and high" if u.high < u.low else "give a range: low below high",
                )
            )
    return problems


# --- applying -------------------------------------------------------------------------------


def _apply(scenario: Scenario, ov: Override, source: str) -> Scenario:
    """One override of table rows (manifest settings go through `_apply_manifest`)."""
    target = resolve(ov.name, scenario, source=source)
    fam = target.family
    assert fam is not None, "manifest settings are applied together by apply_overrides"
    rows = getattr(scenario, fam.attribute)
    new_rows = []
    for i, row in enumerate(rows):
        if target.selector != "*" and target.selector not in fam.selectors(row):
            new_rows.append(row)
            continue
        old = getattr(row, target.field)
        value = _new_value(old, ov, type(row), target.field, source)
        new_rows.append(_rebuild(row, {target.field: value}, ov, f"{fam.attribute} row {i + 1}"))
    return scenario.replace(**{fam.attribute: tuple(new_rows)})


def _new_value(old: Any, ov: Override, model: type[BaseModel], field: str, source: str) -> Any:
    annotation = str(model.model_fields[field].annotation)
    if annotation == str(bool):
        # an owner's yes or no (contingents.x.handover_allowed=yes), never a factor
        word = ov.value if isinstance(ov.value, str) else f"{ov.value:g}"
        if ov.relative or word.lower() not in YES_NO:
            raise InputError(
                Problem(
                    source, str(ov), f"{field} takes yes or no", f"e.g. ={'no' if old else 'yes'}"
                ),
                title="bad override value",
            )
        return YES_NO[word.lower()]
    if "date" in annotation:
        if ov.relative or not isinstance(ov.value, str):
            raise InputError(
                Problem(source, str(ov), "a date takes an ISO date", "e.g. =2023-09-01"),
                title="bad override value",
            )
        return _date(ov, source)
    if isinstance(ov.value, str):
        raise InputError(
            Problem(source, str(ov), f"{ov.value!r} is not a number", "give a number or *FACTOR"),
            title="bad override value",
        )
    value = (old or 0.0) * ov.value if ov.relative else ov.value
    if _is_count(model, field):
        return int(math.floor(value + 0.5))  # a factor, or a sampled value, rounds to a count
    return value


def _is_count(model: type[BaseModel], field: str) -> bool:
    annotation = str(model.model_fields[field].annotation)
    return "int" in annotation and "float" not in annotation


def _refuse_fraction(
    target: Target, value: float, text: str, scenario: Scenario, source: str
) -> None:
    """A count typed as a fraction (`trucks.x.count=40.5`) is refused, not rounded silently;
    a factor (`*1.5`) and a sampled design value still round."""
    rows = getattr(scenario, target.family.attribute) if target.family is not None else ()
    if not rows or value.is_integer() or not _is_count(type(rows[0]), target.field):
        return
    raise InputError(
        Problem(
            source,
            text,
            f"{target.field} is a whole count; {value:g} is not",
            f"give a whole number such as {math.floor(value)}, or a factor (*1.5: each "
            "row's count times 1.5, rounded)",
        ),
        title="cannot read an override",
    )


def _rebuild(row: BaseModel, changes: dict[str, Any], ov: Override, where: str) -> Any:
    data = {**row.model_dump(), **changes}
    try:
        return type(row).model_validate(data)
    except ValidationError as exc:
        msg = "; ".join(e["msg"] for e in exc.errors())
        raise InputError(
            Problem(SOURCE, str(ov), f"gives an invalid value in {where}: {msg}"),
            title="override gives an invalid scenario",
        ) from None


def _date(ov: Override, source: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(ov.value))
    except ValueError:
        raise InputError(
            Problem(source, str(ov), f"{ov.value!r} is not a date", "use YYYY-MM-DD"),
            title="bad override value",
        ) from None


def _months(ov: Override, source: str) -> tuple[int, ...]:
    months: list[int] = []
    try:
        for part in str(ov.value).replace(",", ";").split(";"):
            if not part.strip():
                continue
            lo, _, hi = part.partition("-")
            months += range(int(lo), int(hi or lo) + 1)
    except ValueError:
        raise InputError(
            Problem(source, str(ov), "months must be like 6-9 or 7;8", "e.g. 6-9"),
            title="bad override value",
        ) from None
    return tuple(sorted(set(months)))


def _apply_manifest(scenario: Scenario, settings: Sequence[Override], source: str) -> Scenario:
    """`scenario` with manifest settings changed, checked once all are set."""
    if not settings:
        return scenario
    data = scenario.manifest.model_dump()
    for ov in settings:
        _set_setting(data, resolve(ov.name, scenario, source=source).name, ov, source)
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        msg = "; ".join(e["msg"] for e in exc.errors())
        given = ", ".join(str(ov) for ov in settings)
        raise InputError(
            Problem(source, given, f"gives an invalid manifest: {msg}"),
            title="override gives an invalid scenario",
        ) from None
    return scenario.replace(manifest=manifest)


def _set_setting(data: dict[str, Any], name: str, ov: Override, source: str) -> None:
    """Put one manifest setting into `data` (the manifest's dump, changed in place)."""
    if name == RAINY:
        if ov.relative:
            raise InputError(Problem(source, str(ov), "months cannot be multiplied"))
        data["calendar"] = {"rainy_months": _months(ov, source)}
    elif name.startswith(RAINY + "."):
        months = sorted(data["calendar"]["rainy_months"]) or [Calendar().rainy_months[0]]
        if isinstance(ov.value, str):
            raise InputError(Problem(source, str(ov), "a month is a number 1-12"))
        value = ov.value * (months[0] if name.endswith("first") else months[-1])
        month = int(math.floor((value if ov.relative else ov.value) + 0.5))
        first, last = (month, months[-1]) if name.endswith("first") else (months[0], month)
        data["calendar"] = {"rainy_months": tuple(range(first, last + 1))}
    elif name in ("deadline", "protection_horizon"):
        data[name] = _date(ov, source)
    elif name == "running_cost_usd_per_day":
        data[name] = _number(ov, data[name], source)
    else:
        group, field = name.split(".")
        current = data[group][field]
        if current is None and field.startswith("final_steps_days_"):
            current = data[group]["final_steps_days"]  # an empty end of the range: the plan's
        value = _number(ov, current, source)
        if isinstance(current, bool):
            value = bool(value)
        elif isinstance(current, int):
            value = int(math.floor(value + 0.5))
        data[group] = {**data[group], field: value}


def _number(ov: Override, current: float, source: str) -> float:
    if isinstance(ov.value, str):
        raise InputError(Problem(source, str(ov), f"{ov.value!r} is not a number"))
    return current * ov.value if ov.relative else ov.value
