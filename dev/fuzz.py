"""Seeded fuzzing of drawdown's input readers: mutated scenario folders, actuals and
incident files must end in a clean `InputError` or be accepted, never in another exception.

    python dev/fuzz.py --cases 3000 --seed 1            # counts by target and outcome
    python dev/fuzz.py --cases 500 --save-crashes DIR   # keep each distinct crash as a case

Each case starts from a valid input (the tiny test scenario; a valid actuals file for it;
the shipped ACLED sample) and applies one to three mutations: CSV cells, rows and headers
(ragged rows, duplicated or renamed columns, odd values, blank lines, bad bytes, truncation),
YAML keys and values (removed, retyped, duplicated, control characters), and the files
themselves (missing, empty, a folder, a dangling link). The same seed gives the same cases.
`tests/hardening/test_fuzz.py` runs a bounded number; crashes it once found are kept in
`tests/hardening/corpus/` as regression cases.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import shutil
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny"
ACLED_SAMPLE = ROOT / "src" / "drawdown" / "analyse" / "data" / "minusma-incidents-2022-2023.csv"
TARGETS = ("scenario", "actuals", "incidents")
ACTUALS = (
    "kind,site,date,value,source\n"
    "closure,north,2023-07-12,,[E] fuzz\n"
    "closure,east,2023-07-20,,[E] fuzz\n"
    "killed,,2023-07-30,1,[E] fuzz\n"
    "people_departed,,2023-07-15,300,[E] fuzz\n"
    "incidents,,2023-07-30,2,[E] fuzz\n"
)
# Cell values a user (or a spreadsheet) might type, or a broken export might hold.
ODD_CELLS = (
    "",
    " ",
    "-1",
    "0",
    "1.5",
    "40.0",
    "1e309",
    "-1e309",
    "1e12",
    "999999999",
    "1e300",
    "1e-300",
    "nan",
    "inf",
    "abc",
    "yes",
    "maybe",
    "2023-02-30",
    "2023-13-01",
    "07/10/2023",
    "99999999999999999999",
    "1-13",
    "3-1",
    "all",
    "none",
    "*",
    "北",
    "é",
    '"',
    "a,b",
    "line\nbreak",
    "\x07",
    "\x00",
    "#hashtag",
    "  padded  ",
    "north",
    "hub",
    "port",
    "east",
    "road",
    "air",
    "ied",
    "base",
    "exit",
    "hq",
    "-0",
    "0x10",
)
ODD_YAML: tuple[Any, ...] = (
    None,
    -1,
    0,
    1.5,
    1e309,
    1e300,
    float("nan"),
    "abc",
    "",
    True,
    [],
    {},
    [1, 2],
    {"x": 1},
    "2023-02-30",
    "2023-07-01",
    10**30,
    "\x07",
    "yes",
)


@dataclass
class Case:
    """One fuzz case: where it was written and what was done to it."""

    target: str
    path: Path
    mutations: list[str] = field(default_factory=list)


# --- CSV mutations ------------------------------------------------------------------------


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _mutate_csv(rng: random.Random, text: str) -> tuple[str, str]:
    """One mutation of CSV text; returns the new text and what was done."""
    rows = _rows(text) or [[""]]
    header = rows[0]
    body = rows[1:]
    r = rng.random
    kind = rng.choice(
        (
            "cell",
            "cell",
            "cell",
            "cell",
            "drop_cell",
            "add_cell",
            "dup_row",
            "drop_row",
            "rename_col",
            "dup_col",
            "drop_col",
            "swap_cols",
            "blank_first",
            "blank_line",
            "truncate",
            "bad_bytes",
            "bom",
            "crlf",
            "empty",
            "header_only",
            "quote",
        )
    )
    if kind == "cell" and body:
        row = rng.choice(body)
        if row:
            i = rng.randrange(len(row))
            row[i] = rng.choice(ODD_CELLS)
            return _text(rows), f"cell {i} of a row set to {row[i]!r}"
    if kind == "drop_cell" and body:
        row = rng.choice(body)
        if row:
            row.pop(rng.randrange(len(row)))
            return _text(rows), "a cell dropped (row shorter than the header)"
    if kind == "add_cell" and body:
        rng.choice(body).append(rng.choice(ODD_CELLS[1:]))
        return _text(rows), "a cell added (row longer than the header)"
    if kind == "dup_row" and body:
        body.insert(rng.randrange(len(body) + 1), list(rng.choice(body)))
        return _text([header, *body]), "a row duplicated"
    if kind == "drop_row" and body:
        body.pop(rng.randrange(len(body)))
        return _text([header, *body]), "a row deleted"
    if kind == "rename_col" and header:
        i = rng.randrange(len(header))
        header[i] = rng.choice(("", header[i] + "_x", header[i].upper(), "id", "kind", " "))
        return _text(rows), f"column {i} renamed to {header[i]!r}"
    if kind == "dup_col" and header:
        i = rng.randrange(len(header))
        for row in rows:
            if i < len(row):
                row.append(row[i])
        return _text(rows), f"column {i} duplicated"
    if kind == "drop_col" and header:
        i = rng.randrange(len(header))
        for row in rows:
            if i < len(row):
                row.pop(i)
        return _text(rows), f"column {i} deleted"
    if kind == "swap_cols" and len(header) > 1:
        i, j = rng.sample(range(len(header)), 2)
        header[i], header[j] = header[j], header[i]
        return _text(rows), f"header names {i} and {j} swapped"
    if kind == "blank_first":
        return "\n" + text, "a blank first line"
    if kind == "blank_line":
        lines = text.split("\n")
        lines.insert(rng.randrange(len(lines) + 1), "")
        return "\n".join(lines), "a blank line inserted"
    if kind == "truncate" and text:
        cut = rng.randrange(len(text))
        return text[:cut], f"truncated at character {cut}"
    if kind == "bad_bytes":
        return text + "\udcff", "a byte that is not UTF-8 appended"
    if kind == "bom":
        return "\ufeff" + text, "a byte-order mark"
    if kind == "crlf":
        return text.replace("\n", "\r\n"), "Windows line ends"
    if kind == "empty":
        return "", "emptied"
    if kind == "header_only":
        return _text([header]), "only the header left"
    if kind == "quote" and text:
        at = rng.randrange(len(text))
        return text[:at] + '"' + text[at:], f"a stray quote at {at}"
    del r
    return text.replace(",", ";", 1), "first comma made a semicolon"


def _write(path: Path, text: str) -> None:
    # lone surrogates stand for raw bytes that are not UTF-8
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))


def _mutate_file(rng: random.Random, path: Path) -> str:
    """Replace a file by something that is not a readable file."""
    choice = rng.choice(("missing", "folder", "dangling", "empty"))
    path.unlink()
    if choice == "folder":
        path.mkdir()
    elif choice == "dangling":
        path.symlink_to(path.parent / "no-such-file")
    elif choice == "empty":
        path.write_bytes(b"")
    return f"{path.name} {choice}"


# --- YAML mutations -----------------------------------------------------------------------


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _mutate_yaml(rng: random.Random, text: str) -> tuple[str, str]:
    kind = rng.choice(
        (
            "value",
            "value",
            "value",
            "delete",
            "unknown",
            "dup",
            "control",
            "truncate",
            "tab",
            "not_mapping",
            "alias",
        )
    )
    if kind in ("value", "delete", "unknown"):
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict):
            path = rng.choice(_paths(data))
            parent: Any = data
            for part in path[:-1]:
                parent = parent[part]
            if kind == "value":
                parent[path[-1]] = rng.choice(ODD_YAML)
                what = f"{'.'.join(map(str, path))} set to {parent[path[-1]]!r}"
            elif kind == "delete":
                del parent[path[-1]]
                what = f"{'.'.join(map(str, path))} deleted"
            else:
                target = parent if isinstance(parent, dict) else data
                target["bogus_key"] = 1
                what = "an unknown key added"
            return yaml.safe_dump(data, sort_keys=False, allow_unicode=True), what
    if kind == "dup":
        line = rng.choice([ln for ln in text.splitlines() if ln and not ln[0].isspace()])
        return text + line + "\n", f"top-level line repeated: {line[:40]!r}"
    if kind == "control":
        at = rng.randrange(len(text))
        char = rng.choice(("\x07", "\x00", "\x1b", "\x7f"))
        return text[:at] + char + text[at:], f"control character {char!r} at {at}"
    if kind == "truncate":
        cut = rng.randrange(len(text))
        return text[:cut], f"truncated at {cut}"
    if kind == "tab":
        return text.replace("  ", "\t", 1), "an indent made a tab"
    if kind == "not_mapping":
        return rng.choice(("- a\n- b\n", "just text\n", "", "42\n")), "not a mapping"
    return "a: &x [1]\nb: *x\n" + text, "an alias added"


# --- targets --------------------------------------------------------------------------------


def make_case(rng: random.Random, target: str, workdir: Path) -> Case:
    """A mutated copy of a valid input of `target`, written under `workdir`."""
    n = rng.choice((1, 1, 2, 3))
    if target == "scenario":
        folder = workdir / "scenario"
        shutil.copytree(TINY, folder)
        case = Case(target, folder)
        files = sorted(p.name for p in folder.iterdir())
        for _ in range(n):
            name = rng.choice(files)
            path = folder / name
            if not path.is_file() or path.is_symlink():
                continue
            if rng.random() < 0.06:
                case.mutations.append(_mutate_file(rng, path))
                continue
            text = path.read_bytes().decode("utf-8", errors="surrogateescape")
            mutate = _mutate_yaml if name.endswith(".yaml") else _mutate_csv
            text, what = mutate(rng, text)
            _write(path, text)
            case.mutations.append(f"{name}: {what}")
        return case
    name = "actuals.csv" if target == "actuals" else "events.csv"
    path = workdir / name
    base = ACTUALS if target == "actuals" else ACLED_SAMPLE.read_text(encoding="utf-8")
    case = Case(target, path)
    text = base
    for _ in range(n):
        text, what = _mutate_csv(rng, text)
        case.mutations.append(what)
    _write(path, text)
    if rng.random() < 0.04:
        case.mutations.append(_mutate_file(rng, path))
    return case


def run_case(case: Case, *, deep: bool = False) -> str:
    """'clean' (an InputError), 'accepted', or raises the unexpected exception.

    `deep`: an accepted scenario is also planned (greedy baseline) and simulated (a few
    runs), so a value the loader lets through cannot crash a later stage either.
    """
    import drawdown
    from drawdown.analyse.check import read_actuals
    from drawdown.analyse.incidents import read_incidents
    from drawdown.errors import InputError

    try:
        if case.target == "scenario":
            scenario = drawdown.load_scenario(case.path)
            if deep:
                from drawdown.plan import greedy_plan

                drawdown.simulate(scenario, greedy_plan(scenario), runs=4, seed=1)
        elif case.target == "actuals":
            read_actuals(case.path, _tiny())
        else:
            read_incidents(case.path)
    except InputError as exc:
        if not exc.errors or not all(p.file and p.message for p in exc.errors):
            raise AssertionError(f"InputError without a located problem: {exc}") from exc
        return "clean"
    return "accepted"


_TINY: list[Any] = []


def _tiny() -> Any:
    if not _TINY:
        import drawdown

        _TINY.append(drawdown.load_scenario(TINY))
    return _TINY[0]


@dataclass
class Tally:
    """Outcome counts of a fuzz run, and the crashes found."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    crashes: list[tuple[Case, str]] = field(default_factory=list)

    def total(self, outcome: str) -> int:
        return sum(n for (_, o), n in self.counts.items() if o == outcome)


def fuzz(
    cases: int,
    seed: int,
    *,
    targets: tuple[str, ...] = TARGETS,
    deep: bool = False,
    on_crash: Callable[[Case, str], None] | None = None,
) -> Tally:
    """Run `cases` seeded cases spread over `targets`; the tally of outcomes."""
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="drawdown-fuzz-") as tmp:
        for number in range(cases):
            rng = random.Random(f"{seed}-{number}")  # each case on its own: reproducible alone
            target = targets[number % len(targets)]
            workdir = Path(tmp) / f"case-{number}"
            workdir.mkdir()
            case = make_case(rng, target, workdir)
            try:
                outcome = run_case(case, deep=deep)
            except Exception:  # the point: anything but InputError is a crash
                outcome = "crash"
                text = traceback.format_exc()
                tally.crashes.append((case, text))
                if on_crash is not None:
                    on_crash(case, text)
            tally.counts[(target, outcome)] += 1
            shutil.rmtree(workdir, ignore_errors=True)
    return tally


def save_crash(case: Case, text: str, corpus: Path, seen: set[str]) -> None:
    """Keep a crash as a corpus case (one per distinct exception and place)."""
    last = text.strip().splitlines()
    error = next((ln for ln in reversed(last) if ln and not ln[0].isspace()), last[-1])
    where = next((ln for ln in reversed(last) if ln.strip().startswith("File ")), "")
    signature = f"{case.target}|{error.split(':')[0]}|{where.strip()}"
    if signature in seen:
        return
    seen.add(signature)
    target = corpus / f"{case.target}-{len(seen):02d}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    if case.path.is_dir() and not case.path.is_symlink():
        shutil.copytree(case.path, target / case.path.name, symlinks=True)
    elif case.path.is_symlink() or case.path.exists():
        if case.path.is_symlink():
            (target / case.path.name).symlink_to("no-such-file")
        else:
            shutil.copy(case.path, target / case.path.name)
    (target / "case.json").write_text(
        json.dumps(
            {
                "target": case.target,
                "input": case.path.name,
                "mutations": case.mutations,
                "crashed_with": error,
                "raised_at": where.strip(),
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--target", choices=TARGETS, action="append")
    parser.add_argument("--deep", action="store_true", help="also plan and simulate accepted")
    parser.add_argument("--save-crashes", type=Path, help="corpus folder for distinct crashes")
    args = parser.parse_args(argv)
    seen: set[str] = set()
    saver = None
    if args.save_crashes is not None:
        saver = lambda case, text: save_crash(case, text, args.save_crashes, seen)  # noqa: E731
    tally = fuzz(
        args.cases,
        args.seed,
        targets=tuple(args.target or TARGETS),
        deep=args.deep,
        on_crash=saver,
    )
    print(f"{'target':<10} {'cases':>6} {'clean':>6} {'accepted':>9} {'crashes':>8}")
    for target in args.target or TARGETS:
        row = {o: tally.counts[(target, o)] for o in ("clean", "accepted", "crash")}
        print(
            f"{target:<10} {sum(row.values()):>6} {row['clean']:>6} {row['accepted']:>9} "
            f"{row['crash']:>8}"
        )
    totals = {o: tally.total(o) for o in ("clean", "accepted", "crash")}
    print(
        f"{'all':<10} {sum(totals.values()):>6} {totals['clean']:>6} {totals['accepted']:>9} "
        f"{totals['crash']:>8}"
    )
    for case, text in tally.crashes[:10]:
        print(f"\ncrash in {case.target} after {case.mutations}:\n{text.strip().splitlines()[-1]}")
    return 1 if tally.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
