"""The `drawdown` command line: thin, it parses, calls the public API and prints.

Each stage's commands live in `drawdown.commands.<stage>` and register themselves on `app`.
A command module imports its library stage inside the command function, so registering
every command (and `drawdown --help`) loads no stage: no optimiser, engine or plotting.
Every user mistake surfaces as `InputError`; `main` prints it and exits with status 2.
"""

from __future__ import annotations

import importlib
import sys

import typer

from drawdown.commands.common import console, print_problems
from drawdown.errors import InputError

app = typer.Typer(
    name="drawdown",
    help="Plan and stress-test the withdrawal of a peacekeeping mission.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Stage modules, in the order the loop runs (the order of `drawdown --help`).
COMMAND_MODULES = ("scenario", "plan", "simulate", "run", "report", "analyse", "calibrate", "sweep")

for _name in COMMAND_MODULES:
    importlib.import_module(f"drawdown.commands.{_name}").register(app)


def main() -> None:
    """Entry point: run the app, turning input errors into a clear message and status 2."""
    try:
        # Without standalone mode click returns a command's `typer.Exit` code instead of
        # exiting with it.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except InputError as exc:
        print_problems(exc)
        sys.exit(2)
    except KeyboardInterrupt:
        console.print("[red]interrupted[/red]: nothing half-written was left in place")
        sys.exit(130)
    except (typer.Exit, SystemExit) as exc:
        code = exc.exit_code if isinstance(exc, typer.Exit) else exc.code
        sys.exit(code if isinstance(code, int) else 0)
    except Exception as exc:  # click usage errors arrive here with standalone_mode=False
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(2)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(1)
        raise
