"""Read and write a scenario folder: `scenario.yaml` plus CSV tables.

Loading collects every problem in every file before giving up, so a planner fixes them all in
one pass. Saving writes to a temporary folder and renames it into place, so an interrupted
save never leaves a half-written scenario where a good one was.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from drawdown.atomic import atomic_dir
from drawdown.errors import InputError, Problem
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
    if (path / MANIFEST).is_file():
        return path
    if path.is_file() and path.name == MANIFEST:
        return path.parent
    if str(path_or_name) in builtin_names():
        return BUILTIN_DIR / str(path_or_name)
    if path.is_dir():
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
    if kind.startswith(("float", "int")):
        return "write a plain number, such as 12 or 0.5"
    if kind.startswith("date"):
        return "write the date as YYYY-MM-DD"
    if kind.startswith("bool"):
        return "write yes or no"
    if kind == "literal_error":
        return "use one of the values listed"
    if kind.startswith(("greater_than", "less_than")):
        return "use a value inside the allowed range"
    return "correct the value"


def _validation_problems(file: str, where: str, exc: ValidationError) -> list[Problem]:
    problems = []
    for error in exc.errors():
        field = _where(error["loc"])
        place = f"{where}, column {field}" if where and field else where or field
        got = error.get("input")
        shown = f" (got {got!r})" if isinstance(got, str | int | float) else ""
        message = error["msg"].removeprefix("Value error, ") + shown
        problems.append(Problem(file, place, message, _hint_for(error)))
    return problems


def load_manifest(folder: Path) -> tuple[Manifest | None, list[Problem]]:
    """The manifest of `folder`, or None with the problems that stop it loading."""
    path = folder / MANIFEST
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
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
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(MANIFEST, "", f"cannot be read: {exc}", "check the file")]
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


def _read_csv(folder: Path, file: str) -> tuple[list[str], list[dict[str, str]]] | Problem:
    path = folder / file
    try:
        text = path.read_text(encoding="utf-8-sig")  # spreadsheets often add a BOM
    except FileNotFoundError:
        if file in OPTIONAL_FILES:
            return [], []
        return Problem(file, "", "is missing", f"add {file} to the scenario folder")
    except (OSError, UnicodeDecodeError) as exc:
        return Problem(file, "", f"cannot be read: {exc}", "save it as UTF-8 CSV")
    reader = csv.DictReader(io.StringIO(text))
    rows = [row for row in reader if any((v or "").strip() for v in row.values() if v)]
    return [h.strip() for h in (reader.fieldnames or [])], rows


def _row_label(table: Table, number: int, row: dict[str, str]) -> str:
    key = (row.get(table.key) or "").strip() if table.key else ""
    return f"row {number}" + (f" ({table.key}={key})" if key else "")


def load_tables(folder: Path) -> tuple[dict[str, list[BaseModel]], list[Problem]]:
    """Every CSV table of `folder` as model instances, plus the problems found."""
    problems: list[Problem] = []
    out: dict[str, list[BaseModel]] = {t.attribute: [] for t in TABLES}
    cache: dict[str, tuple[list[str], list[dict[str, str]]]] = {}
    for table in TABLES:
        if table.file not in cache:
            got = _read_csv(folder, table.file)
            if isinstance(got, Problem):
                problems.append(got)
                cache[table.file] = ([], [])
                continue
            cache[table.file] = got
            header, rows = got
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
            known = set(ASSET_COLUMNS if table.file == "assets.csv" else table.columns)
            unknown = [c for c in header if c and c not in known]
            if unknown:
                problems.append(
                    Problem(
                        table.file,
                        "header",
                        f"unknown column(s) {unknown}",
                        f"expected columns: {', '.join(sorted(known))}",
                        "warning",
                    )
                )
            if table.file == "assets.csv":
                for number, row in enumerate(rows, start=2):
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
        header, rows = cache[table.file]
        for number, row in enumerate(rows, start=2):  # row 1 is the header
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
    return out, problems


def read_scenario(path_or_name: str | os.PathLike[str]) -> tuple[Scenario | None, list[Problem]]:
    """Parse a scenario folder; return it (if it parsed) and every problem found."""
    folder = resolve(path_or_name)
    manifest, problems = load_manifest(folder)
    tables, table_problems = load_tables(folder)
    problems += table_problems
    if manifest is None or any(p.severity == "error" for p in problems):
        return None, problems
    scenario = Scenario.model_validate({"manifest": manifest, **tables})
    return scenario, problems


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
