"""Read and write a scenario folder: `scenario.yaml` plus CSV tables.

Loading collects every problem in every file before giving up, so a planner fixes them all in
one pass. Saving writes to a temporary folder and renames it into place, so an interrupted
save never leaves a half-written scenario where a good one was.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from drawdown.atomic import atomic_dir
from drawdown.errors import InputError, Problem
from drawdown.scenario.csvfile import CsvRows, read_csv, read_text
from drawdown.scenario.kinds import ASSET_NAMES
from drawdown.scenario.model import Manifest, Scenario
from drawdown.scenario.tables import (
    ASSET_COLUMNS,
    OPTIONAL_FILES,
    TABLES,
    Table,
    record_to_row,
    row_to_fields,
)

MANIFEST = "scenario.yaml"
BUILTIN_DIR = Path(__file__).parent / "builtin"
# What actually happened in a built-in precedent, in the actuals format of `drawdown check`.
# It is the outcome the scenario is scored on, so the loader never reads it.
RECORD = "record.csv"


def builtin_names() -> list[str]:
    """Names of the scenarios shipped with drawdown."""
    return sorted(p.name for p in BUILTIN_DIR.iterdir() if (p / MANIFEST).is_file())


def builtin_record(name: str) -> Path | None:
    """The shipped record of what happened in built-in scenario `name`, if it has one."""
    path = BUILTIN_DIR / name / RECORD
    return path if name in builtin_names() and path.is_file() else None


def resolve(path_or_name: str | os.PathLike[str]) -> Path:
    """A scenario folder from a path or a built-in name."""
    path = Path(path_or_name)
    try:
        if (path / MANIFEST).is_file() or (path / MANIFEST).is_symlink():
            return path  # a dangling scenario.yaml link is reported when it is read
        if path.is_file() and path.name == MANIFEST:
            return path.parent
        is_dir = path.is_dir()
    except PermissionError:
        raise InputError(
            Problem(
                str(path),
                "",
                "cannot be opened: permission denied",
                f"make the folder readable (e.g. chmod u+rx {path}) or copy it somewhere",
            )
        ) from None
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte in it
        raise InputError(
            Problem(str(path), "", f"is not a usable path ({exc})", "check the path")
        ) from None
    if str(path_or_name) in builtin_names():
        return BUILTIN_DIR / str(path_or_name)
    if is_dir:
        raise InputError(
            Problem(str(path), "", f"no {MANIFEST} in this folder", "point to a scenario folder")
        )
    raise InputError(
        Problem(
            str(path_or_name),
            "",
            "is neither a scenario folder nor a built-in scenario",
            f"use a folder holding {MANIFEST}, or one of: {', '.join(builtin_names())}",
        )
    )


def _where(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _hint_for(error: Any) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "add this required value"
    if kind == "extra_forbidden":
        return "remove it or check its spelling"
    if kind.startswith("int"):
        return "write a whole number, such as 12"
    if kind.startswith("float"):
        return "write a plain number, such as 12 or 0.5"
    if kind.startswith("date"):
        return "write the date as YYYY-MM-DD"
    if kind.startswith("bool"):
        return "write yes or no"
    if kind == "finite_number":
        return "write a finite number (not inf or nan)"
    if kind == "literal_error":
        return "use one of the values listed"
    if kind.startswith(("greater_than", "less_than")):
        return "use a value inside the allowed range"
    return "correct the value"


def kind_of(error: Any) -> str:
    return str(error.get("type", ""))


def _validation_problems(file: str, where: str, exc: ValidationError) -> list[Problem]:
    problems = []
    for error in exc.errors():
        field = _where(error["loc"])
        place = f"{where}, column {field}" if where and field else where or field
        got = error.get("input")
        shown = f" (got {got!r})" if isinstance(got, str | int | float) else ""
        message = error["msg"].removeprefix("Value error, ") + shown
        hint = _hint_for(error)
        if field in ("lat", "lon") and kind_of(error).startswith(("greater_than", "less_than")):
            hint = (
                "latitude is -90 to 90 and longitude -180 to 180 (WGS84 degrees); check "
                "lat and lon are not swapped"
            )
        problems.append(Problem(file, place, message, hint))
    return problems


class _UniqueKeyLoader(yaml.SafeLoader):
    """yaml's safe loader, refusing a key given twice in one mapping (yaml keeps the last
    copy silently, so an edit lower down would undo one above without a word)."""


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, str | int | float | bool) and key in seen:
            first = seen[key].start_mark.line + 1
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {key!r} is given twice (first on line {first})",
                key_node.start_mark,
            )
        if isinstance(key, str | int | float | bool):
            seen[key] = key_node
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _unique_mapping,
)


def load_manifest(folder: Path) -> tuple[Manifest | None, list[Problem]]:
    """The manifest of `folder`, or None with the problems that stop it loading."""
    path = folder / MANIFEST
    try:
        data = yaml.load(read_text(path, MANIFEST), Loader=_UniqueKeyLoader)  # noqa: S506
    except InputError as exc:
        return None, exc.problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return None, [
            Problem(
                MANIFEST,
                where,
                f"not valid YAML: {exc.problem}",
                "check indentation and quoting around this place",
            )
        ]
    except yaml.YAMLError as exc:  # e.g. yaml's reader refusing a character
        return None, [Problem(MANIFEST, "", f"not valid YAML: {exc}", "check the file")]
    if not isinstance(data, dict):
        return None, [
            Problem(
                MANIFEST,
                "",
                "must be a mapping of keys to values",
                "start from `drawdown export minusma-2023 DIR`",
            )
        ]
    try:
        return Manifest.model_validate(data), []
    except ValidationError as exc:
        return None, _validation_problems(MANIFEST, "", exc)


def _read_csv(folder: Path, file: str, known: tuple[str, ...]) -> CsvRows | list[Problem]:
    path = folder / file
    if not _present(path):
        if file in OPTIONAL_FILES:
            return CsvRows(file, (), ())
        return [Problem(file, "", "is missing", f"add {file} to the scenario folder")]
    try:
        return read_csv(path, file, known=known)
    except InputError as exc:
        return exc.problems


def _present(path: Path) -> bool:
    """Whether `path` is there to be read: a dangling link or an unreadable entry counts (the
    reader then says what is wrong), only a truly absent file does not."""
    try:
        return path.exists() or path.is_symlink()
    except OSError:
        return True


def _row_label(table: Table, number: int, row: dict[str, str]) -> str:
    key = (row.get(table.key) or "").strip() if table.key else ""
    return f"row {number}" + (f" ({table.key}={key})" if key else "")


def load_tables(
    folder: Path, stand_ins: list[StandIn] | None = None
) -> tuple[dict[str, list[BaseModel]], list[Problem]]:
    """Every CSV table of `folder` as model instances, plus the problems found.

    `stand_ins`, when given, receives a stand-in for each row refused for its values.
    """
    problems: list[Problem] = []
    out: dict[str, list[BaseModel]] = {t.attribute: [] for t in TABLES}
    cache: dict[str, CsvRows] = {}
    for table in TABLES:
        if table.file not in cache:
            known = ASSET_COLUMNS if table.file == "assets.csv" else table.columns
            got = _read_csv(folder, table.file, known)
            if isinstance(got, list):
                problems.extend(got)
                cache[table.file] = CsvRows(table.file, (), ())
                continue
            cache[table.file] = got
            header, rows = got.header, got.rows
            needed = {c for t in TABLES if t.file == table.file for c in t.required}
            if table.kind_filter:  # in assets.csv only kind, id and count are always needed
                needed = {"id", "kind"}
            missing = [c for c in sorted(needed) if c not in header] if rows or header else []
            if missing:
                problems.append(
                    Problem(
                        table.file,
                        "header",
                        f"missing column(s) {missing}",
                        "add the column(s) to the first row",
                    )
                )
            if table.file == "assets.csv":
                for number, row in rows:
                    kind = (row.get("kind") or "").strip()
                    if kind not in ASSET_NAMES:
                        problems.append(
                            Problem(
                                table.file,
                                f"row {number}, column kind",
                                f"unknown asset kind {kind!r}",
                                f"use {', '.join(ASSET_NAMES[:-1])} or {ASSET_NAMES[-1]}",
                            )
                        )
        for number, row in cache[table.file].rows:  # numbered as a spreadsheet shows them
            if table.kind_filter and (row.get("kind") or "").strip() != table.kind_filter:
                continue
            label = _row_label(table, number, row)
            try:
                fields = row_to_fields(table, row)
            except ValueError as exc:
                problems.append(Problem(table.file, label, str(exc), "fix the month list"))
                continue
            try:
                out[table.attribute].append(table.model.model_validate(fields))
            except ValidationError as exc:
                problems.extend(_validation_problems(table.file, label, exc))
                stand_in = _stand_in(table.model, fields, exc)
                if stand_ins is not None and stand_in is not None:
                    stand_ins.append(StandIn(table, number, label, stand_in))
    return out, problems


@dataclass(frozen=True)
class StandIn:
    """A row refused for its values, rebuilt from its good cells (defaults or neutral values
    in place of the bad ones), so the cross-table checks of the same pass still see its id."""

    table: Table
    number: int
    label: str
    row: BaseModel


def _stand_in(model: type[BaseModel], fields: dict[str, Any], exc: ValidationError) -> Any:
    bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
    kept = {k: v for k, v in fields.items() if k not in bad}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if info.is_required() and key not in kept:
            kept[key] = _neutral(info.annotation)
    try:
        return model.model_validate(kept)
    except ValidationError:
        return None


def _neutral(annotation: Any) -> Any:
    """A value of `annotation`'s type that passes its checks, for a stand-in's bad cell."""
    if get_origin(annotation) is Literal:
        return get_args(annotation)[0]
    for kind, value in ((bool, False), (int, 0), (float, 0.0), (dt.date, dt.date(2000, 1, 1))):
        if annotation is kind:
            return value
    return "?"


def read_scenario(path_or_name: str | os.PathLike[str]) -> tuple[Scenario | None, list[Problem]]:
    """Parse a scenario folder; return it (if it parsed) and every problem found.

    When rows are refused for their values, the cross-table checks still run in the same
    pass (on stand-ins for those rows), so bad values and unknown references are reported
    together; only the network, which a refused row would distort, waits for a clean table.
    """
    folder = resolve(path_or_name)
    manifest, problems = load_manifest(folder)
    stand_ins: list[StandIn] = []
    tables, table_problems = load_tables(folder, stand_ins)
    problems += table_problems
    if manifest is None or any(p.severity == "error" for p in problems):
        if manifest is not None:
            problems += _partial_checks(manifest, tables, stand_ins)
        return None, problems
    try:  # rows valid alone can still make an invalid whole (units derived from holdings)
        scenario = Scenario.model_validate({"manifest": manifest, **tables})
    except ValidationError as exc:
        return None, problems + _validation_problems("scenario", "", exc)
    return scenario, problems


def _partial_checks(
    manifest: Manifest, tables: dict[str, list[BaseModel]], stand_ins: list[StandIn]
) -> list[Problem]:
    """Cross-table problems of a folder with refused rows, leaving out those of the stand-ins
    themselves (their own cells are already reported)."""
    from drawdown.scenario.validate import check_scenario

    rows = {name: list(values) for name, values in tables.items()}
    for stand_in in sorted(stand_ins, key=lambda s: s.number):
        rows[stand_in.table.attribute].append(stand_in.row)
    try:
        partial = Scenario.model_validate({"manifest": manifest, **rows})
        found = check_scenario(partial, whole=False)
    except (ValidationError, ValueError, KeyError):  # too broken to cross-check
        return []
    own = {(s.table.file, place) for s in stand_ins for place in _places(s)}
    return [
        p
        for p in found
        if p.severity == "error"
        and not any(p.file == file and p.where.startswith(place) for file, place in own)
    ]


def _places(stand_in: StandIn) -> list[str]:
    key = stand_in.table.key
    value = getattr(stand_in.row, key, None) if key else None
    places = [f"row {stand_in.number}"]
    return places + ([f"id={value}"] if value is not None else [])


def load_scenario(path_or_name: str | os.PathLike[str], *, strict: bool = True) -> Scenario:
    """Load and validate a scenario from a folder or a built-in name.

    Raises `InputError` with every problem if anything is wrong. Warnings (such as a figure
    without a source) do not stop loading; `validate_scenario` lists them.
    """
    return validate_scenario(path_or_name)[0]


def validate_scenario(path_or_name: str | os.PathLike[str]) -> tuple[Scenario, list[Problem]]:
    """Load a scenario and list every problem found in it, warnings included.

    Raises `InputError` with every problem when any is an error.
    """
    from drawdown.scenario.validate import check_scenario

    scenario, problems = read_scenario(path_or_name)
    if scenario is not None:
        problems += check_scenario(scenario)
    errors = [p for p in problems if p.severity == "error"]
    if errors or scenario is None:
        raise InputError(problems, f"scenario {path_or_name} has {len(errors)} problem(s)")
    return scenario, problems


def _write_csv(path: Path, columns: Iterable[str], rows: Iterable[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def manifest_to_yaml(manifest: Manifest) -> str:
    data = manifest.model_dump(mode="json")
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_scenario(scenario: Scenario, folder: str | os.PathLike[str]) -> Path:
    """Write `scenario` as an editable folder; replaces `folder` atomically."""
    target = Path(folder)
    with atomic_dir(target, replace=True) as staging:
        (staging / MANIFEST).write_text(manifest_to_yaml(scenario.manifest), encoding="utf-8")
        files: dict[str, tuple[tuple[str, ...], list[dict[str, str]]]] = {}
        for table in TABLES:
            columns = ASSET_COLUMNS if table.file == "assets.csv" else table.columns
            records = getattr(scenario, table.attribute)
            rows = files.setdefault(table.file, (columns, []))[1]
            for record in records:
                row = record_to_row(table, record)
                rows.append({c: row.get(c, "") for c in columns})
        for file, (columns, rows) in files.items():
            _write_csv(staging / file, columns, rows)
    return target
