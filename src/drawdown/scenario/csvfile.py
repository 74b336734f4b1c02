"""Read an input file as text, and a CSV as rows, refusing what a reader would misread.

One reader for every CSV a user gives (scenario tables, actuals, incident exports), so each
refuses the same things with the same located message: an unreadable or missing file, a
dangling link, a folder where a file should be, text that is not UTF-8 or holds control
characters, a blank or duplicated header, and rows with more or fewer cells than the header
(the standard `csv` module would silently fill in or pile up the difference).

Rows are numbered as a spreadsheet shows them: the header is row 1, every record (blank
ones included) is one row, whatever line breaks its quoted cells hold.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from drawdown.errors import InputError, Problem

# Characters no spreadsheet or editor puts in text on purpose; tab and line breaks are fine.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
UTF8_HINT = "save it as UTF-8 (in a spreadsheet: Save As > CSV UTF-8)"


@dataclass(frozen=True)
class CsvRows:
    """The header and the non-blank rows of a CSV file, each with its spreadsheet row number."""

    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def read_text(path: Path, file: str) -> str:
    """The UTF-8 text of an input file (a leading BOM dropped), or an InputError naming
    what stops it being read: missing, a dangling link, a folder, no permission, not UTF-8,
    a control character."""
    if path.is_symlink() and not path.exists():
        target = os.readlink(path)
        raise InputError(
            Problem(
                file,
                "",
                f"is a link to {target}, which does not exist",
                "point the link at an existing file, or replace it with the file",
            )
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Problem(file, "", "file not found", "check the path")) from None
    except IsADirectoryError:
        raise InputError(
            Problem(file, "", "is a folder, not a file", "give the path of the file itself")
        ) from None
    except PermissionError:
        raise InputError(
            Problem(
                file,
                "",
                "cannot be read: permission denied",
                f"make it readable (e.g. chmod u+r {path}) or copy it somewhere readable",
            )
        ) from None
    except OSError as exc:
        raise InputError(
            Problem(file, "", f"cannot be read: {exc.strerror or exc}", "check the file")
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            Problem(
                file, f"line {line}", f"is not UTF-8 text (byte {data[exc.start]:#04x})", UTF8_HINT
            )
        ) from None
    found = CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise InputError(
            Problem(
                file,
                f"line {line}, character {column}",
                f"holds the control character {found.group()!r}",
                "delete it (it is invisible in most editors; retype the cell)",
            )
        )
    return text


def parse_csv(
    text: str, file: str, *, known: Iterable[str] | None = None, lower: bool = False
) -> CsvRows:
    """The header and rows of CSV `text`; raises InputError with every structural problem.

    `known`: the columns the file may have (others are refused, listing these); `lower`:
    compare header names without case (incident exports vary).
    """
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(
            Problem(file, "", f"is not a readable CSV: {exc}", "save it again as CSV")
        ) from None
    if not records or not any(c.strip() for c in records[0]):
        where = "row 1"
        if any(any(c.strip() for c in r) for r in records):
            raise InputError(
                Problem(
                    file,
                    where,
                    "is blank where the header (the column names) should be",
                    "delete the blank line(s) above the column names",
                )
            )
        return CsvRows(file, (), ())
    header = [h.strip().lower() if lower else h.strip() for h in records[0]]
    while header and not header[-1]:  # trailing empty names: a spreadsheet's spare commas
        header.pop()
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        if not name:
            problems.append(
                Problem(file, f"header, column {i}", "has no name", "name the column or delete it")
            )
        elif name in seen:
            problems.append(
                Problem(
                    file,
                    f"header, column {i}",
                    f"{name!r} is already column {seen[name]}; a copy would overwrite it",
                    "delete or rename one of the two columns",
                )
            )
        else:
            seen[name] = i
    if known is not None:
        allowed = set(known)
        unknown = [h for h in header if h and h not in allowed]
        if unknown:
            problems.append(
                Problem(
                    file,
                    "header",
                    f"unknown column(s) {', '.join(unknown)}",
                    f"rename to one of: {', '.join(sorted(allowed))}",
                )
            )
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # a blank row: spreadsheets leave them, nothing is lost
        extra = cells[len(header) :]
        if len(cells) < len(header):
            problems.append(
                Problem(
                    file,
                    f"row {number}",
                    f"has {len(cells)} cells but the header has {len(header)} columns",
                    "add the missing cells (an empty cell is two commas) or find the missing comma",
                )
            )
            continue
        if any(c.strip() for c in extra):
            problems.append(
                Problem(
                    file,
                    f"row {number}",
                    f"has {len(cells)} cells but the header has {len(header)} columns "
                    f"(extra: {', '.join(repr(c) for c in extra if c.strip())[:80]})",
                    "delete the extra cells, quote a cell holding a comma, or name the "
                    "column in the header",
                )
            )
            continue
        rows.append((number, dict(zip(header, cells, strict=False))))
    if problems:
        raise InputError(problems, f"{file} has {len(problems)} problem(s)")
    return CsvRows(file, tuple(header), tuple(rows))


def read_csv(
    path: Path,
    file: str | None = None,
    *,
    known: Iterable[str] | None = None,
    lower: bool = False,
) -> CsvRows:
    """`read_text` then `parse_csv`: a CSV file's rows, or an InputError locating its flaws."""
    label = file or str(path)
    return parse_csv(read_text(path, label), label, known=known, lower=lower)
