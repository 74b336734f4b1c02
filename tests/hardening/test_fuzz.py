"""Fuzzing the input readers (seeded, bounded): mutated scenario folders, actuals and incident
files end in a clean InputError or are accepted, never another exception; the crashes the
fuzzer once found (tests/hardening/corpus/) stay fixed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "dev"))  # the fuzzer is also a script
import fuzz  # noqa: E402

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p for p in CORPUS.iterdir() if (p / "case.json").is_file())


@pytest.mark.parametrize("folder", CASES, ids=[p.name for p in CASES])
def test_past_crash_is_now_a_clean_error_or_accepted(folder: Path) -> None:
    """Each kept crash case now ends cleanly (planned and simulated too when it was a
    later stage that crashed)."""
    info = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    case = fuzz.Case(info["target"], folder / info["input"], info["mutations"])
    assert fuzz.run_case(case, deep=bool(info.get("deep"))) in ("clean", "accepted")


def test_seeded_fuzz_never_crashes() -> None:
    """600 seeded mutations (about 20 s): accepted scenarios are also planned and simulated.
    Warnings are errors in the suite, so a numpy warning on a bad value counts as a crash."""
    tally = fuzz.fuzz(600, seed=2026, deep=True)
    crashes = [f"{c.target} {c.mutations}: {t.strip().splitlines()[-1]}" for c, t in tally.crashes]
    assert not crashes, "\n".join(crashes)
    assert tally.total("clean") > 300 and tally.total("accepted") > 50  # both paths exercised
