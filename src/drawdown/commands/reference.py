"""The command-line reference, generated from the typer app (docs/reference/cli.md).

    python -m drawdown.commands.reference > docs/reference/cli.md

A test fails when the committed page differs from what the app generates, so a new command,
option or help text updates the page in the same change.
"""

from __future__ import annotations

import inspect
from typing import Any

HEADER = """# Command-line reference

<!-- Generated from the typer app; do not edit. Regenerate with
`python -m drawdown.commands.reference > docs/reference/cli.md` -->

Every command prints problems in your input with the file, the row or key, what is wrong and
how to fix it, and exits with status 2 (never a traceback). `drawdown COMMAND --help` prints
the same text as this page.
"""


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|").replace("<", "\\<")


def _usage(name: str, command: Any, ctx: Any) -> str:
    arguments = [
        p.name.upper() + ("..." if p.nargs == -1 else "")
        for p in command.get_params(ctx)
        if p.param_type_name == "argument"
    ]
    return " ".join(["drawdown", name, "[OPTIONS]", *arguments])


def cli_reference() -> str:
    """The Markdown reference of every `drawdown` command, in the order of `drawdown --help`."""
    import typer.main

    from drawdown.cli import app

    group: Any = typer.main.get_command(app)
    context_type: Any = group.context_class  # typer's own click Context
    root = context_type(group, info_name="drawdown")
    names = group.list_commands(root)
    lines = [HEADER, "| command | what it does |", "|---|---|"]
    commands = [(name, group.get_command(root, name)) for name in names]
    for name, command in commands:
        summary = inspect.cleandoc(command.help or "").split("\n")[0]
        lines.append(f"| [`{name}`](#drawdown-{name}) | {_cell(summary)} |")
    for name, command in commands:
        ctx = context_type(command, info_name=name, parent=root)
        lines += ["", f"## drawdown {name}", "", inspect.cleandoc(command.help or ""), ""]
        lines += ["```", _usage(name, command, ctx), "```"]
        rows = []
        for param in command.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None or param.name == "help":
                continue
            flag, text = record
            if param.param_type_name == "argument":
                flag = param.name.upper()
            rows.append(f"| `{flag}` | {_cell(text)} |")
        if rows:
            lines += ["", "| argument or option | meaning |", "|---|---|", *rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(cli_reference(), end="")
