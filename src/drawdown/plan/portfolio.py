"""A second HiGHS search on the second core: same model, another random seed.

HiGHS's branch-and-cut runs on one core, and on MINUSMA which root heuristic finds the good
incumbent, and how high the cut loop lifts the bound, depend on the random seed. Both runs
solve the *same* model, so the better incumbent of the two and the higher proven bound of
the two give an honest gap for it. The helper is a separate process (highspy holds the GIL
while it solves) that reads the model from an MPS file, so nothing is forked mid-solve.

    python .../drawdown/plan/portfolio.py MODEL.mps OPTIONS.json OUT_PREFIX

(run as a script, so the helper imports only highspy and numpy, not the whole package)
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class HelperResult:
    objective: float
    bound: float  # of the scaled objective, as HiGHS reports it
    values: np.ndarray  # by column


class Helper:
    """A helper solve started in the background; `result()` waits for it (bounded)."""

    def __init__(self, highs: object, options: dict[str, object]) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="drawdown-highs-")
        base = Path(self._dir.name)
        self._mps = base / "model.mps"
        self._out = base / "out"
        highs.writeModel(str(self._mps))  # type: ignore[attr-defined]
        self._limit = float(options.get("time_limit", 10.0))  # type: ignore[arg-type]
        self._started = time.perf_counter()
        # The helper's clock starts now, however long Python takes to start it.
        deadline = time.time() + self._limit
        (base / "options.json").write_text(json.dumps({**options, "deadline": deadline}))
        self._proc = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                str(self._mps),
                str(base / "options.json"),
                str(self._out),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def cancel(self) -> None:
        """Stop the helper (its result is not needed)."""
        try:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait()
        finally:
            self._dir.cleanup()

    def result(self, grace_s: float = 1.0) -> HelperResult | None:
        """The helper's solution, or None if it failed or overran its limit by `grace_s`."""
        try:
            left = self._limit + grace_s - (time.perf_counter() - self._started)
            try:
                self._proc.wait(timeout=max(left, 0.05))
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
                return None
            if self._proc.returncode != 0:
                return None
            meta = json.loads(Path(f"{self._out}.json").read_text())
            values = np.load(f"{self._out}.npy")
            if not (math.isfinite(meta["objective"]) and math.isfinite(meta["bound"])):
                return None
            return HelperResult(float(meta["objective"]), float(meta["bound"]), values)
        except (OSError, ValueError, KeyError):
            return None
        finally:
            self._dir.cleanup()


def main(argv: list[str]) -> int:
    import highspy

    mps, options_path, out = argv
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(mps)
    options = json.loads(Path(options_path).read_text())
    options["time_limit"] = max(
        float(options.pop("deadline", time.time() + options["time_limit"])) - time.time(), 0.2
    )
    for key, value in options.items():
        h.setOptionValue(key, value)
    h.run()
    info = h.getInfo()
    if info.primal_solution_status != 2:  # no feasible solution
        return 1
    np.save(f"{out}.npy", np.asarray(h.getSolution().col_value, dtype=float))
    Path(f"{out}.json").write_text(
        json.dumps({"objective": info.objective_function_value, "bound": info.mip_dual_bound})
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.exit(main(sys.argv[1:]))
