"""Start-up benchmark: CPU time of light commands against a bare Python start (run by hand).

Target (issue 10, 2-core machine): `drawdown --help` within 0.4 s of CPU time. Each command
runs in a fresh interpreter, several times; the CPU time (user + system) of the children is
read with `resource.getrusage(RUSAGE_CHILDREN)`, so the load other processes put on the
machine does not count. A bare `python -c pass` measured in the same run is the reference.

    .venv/bin/python benchmarks/bench_startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
from pathlib import Path

# The installed console script, as a user types it (python -m drawdown where there is none).
SCRIPT = Path(sys.executable).with_name("drawdown")
DRAWDOWN = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "drawdown"]
COMMANDS: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import drawdown": [sys.executable, "-c", "import drawdown"],
    "drawdown --help": [*DRAWDOWN, "--help"],
    "drawdown scenarios": [*DRAWDOWN, "scenarios"],
    "drawdown validate minusma-2023": [*DRAWDOWN, "validate", "minusma-2023"],
    "drawdown show minusma-2023": [*DRAWDOWN, "show", "minusma-2023"],
}
TARGET_HELP_CPU_S = 0.4


def cpu_seconds(command: list[str]) -> float:
    """CPU time (user + system) one run of `command` took, as seen by this parent."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each command")
    args = parser.parse_args()
    best: dict[str, float] = {}
    for name, command in COMMANDS.items():
        cpu_seconds(command)  # warm the file cache and the .pyc files
        best[name] = min(cpu_seconds(command) for _ in range(args.repeat))
    bare = best["python -c pass"]
    print(f"{'command':<34}{'CPU s (best)':>14}{'x bare python':>16}")
    for name, seconds in best.items():
        print(f"{name:<34}{seconds:>14.3f}{seconds / max(bare, 1e-6):>16.1f}")
    verdict = "within" if best["drawdown --help"] <= TARGET_HELP_CPU_S else "ABOVE"
    print(f"drawdown --help: {verdict} the {TARGET_HELP_CPU_S} s target")


if __name__ == "__main__":
    main()
