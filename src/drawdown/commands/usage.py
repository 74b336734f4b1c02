"""Command-line usage mistakes (a bad option value, an unknown option or command, a missing
argument) as located problems, printed like every other input error with exit status 2.

The parser (typer, on its own copy of click in recent versions, on click in older ones)
raises its own exceptions; `usage_problem` reads what they carry — the command, the option,
the value typed and why it was refused — and says how to fix it.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

import typer

from drawdown.errors import Problem


def usage_error_types() -> tuple[type[BaseException], ...]:
    """The parser's usage-error classes, whichever click the installed typer is built on."""
    types: list[type[BaseException]] = []
    vendored = getattr(typer, "TyperException", None)  # typer >= 0.20 vendors click
    if isinstance(vendored, type):
        types.append(vendored)
    try:
        import click

        types.append(click.ClickException)
    except ImportError:  # pragma: no cover - click is absent with a vendoring typer
        pass
    return tuple(types)


def abort_types() -> tuple[type[BaseException], ...]:
    """The parser's 'the user aborted' classes (Ctrl-D at a prompt)."""
    types: list[type[BaseException]] = [typer.Abort]
    try:
        import click

        types.append(click.exceptions.Abort)
    except ImportError:  # pragma: no cover
        pass
    return tuple(types)


def usage_problem(exc: BaseException, argv: Sequence[str] | None = None) -> Problem:
    """One located problem for a parser exception: the command, the option, what, how to fix."""
    argv = list(sys.argv[1:] if argv is None else argv)
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None and ctx.command_path else "drawdown"
    command = "drawdown" + command.partition(" ")[1] + command.partition(" ")[2]
    if ctx is None and argv and not argv[0].startswith("-"):  # raised before a context
        command = f"drawdown {argv[0]}"
    help_hint = f"`{command} --help` lists the arguments and options"
    name = type(exc).__name__
    text = _message(exc)
    if name == "NoSuchOption":
        option = str(getattr(exc, "option_name", "") or text.rpartition(" ")[2])
        possible = sorted(getattr(exc, "possibilities", None) or [])
        fix = f"did you mean {' or '.join(possible)}? " if possible else ""
        return Problem(
            command, f"option {option}", "is not an option of this command", f"{fix}{help_hint}"
        )
    if name == "MissingParameter":
        where = _param_label(getattr(exc, "param", None))
        return Problem(command, where, "is missing", f"give it; {help_hint}")
    if name == "BadOptionUsage":
        option = str(getattr(exc, "option_name", ""))
        where = f"option {option}" if option else ""
        if "requires an argument" in text:
            return Problem(command, where, "needs a value", f"write {option} VALUE; {help_hint}")
        if "does not take a value" in text:
            return Problem(
                command, where, "is a switch and takes no value", f"write {option} alone"
            )
        return Problem(command, where, _lower(text), help_hint)
    param = getattr(exc, "param", None)
    if param is not None:  # BadParameter: a value the option's type or range refuses
        where = _param_label(param)
        got, why, fix = _refused(exc, param, argv)
        shown = f"{got!r} is not accepted: " if got is not None else ""
        return Problem(command, where, shown + why, f"{fix}; {help_hint}" if fix else help_hint)
    if text.startswith("No such command"):
        found = re.match(r"No such command ['\"](.*?)['\"]", text)
        wanted = found.group(1) if found else text
        group = getattr(ctx, "command", None)
        names = sorted(getattr(group, "commands", {}) or {})
        close = [n for n in names if wanted and (n.startswith(wanted[:3]) or wanted in n)]
        fix = f"did you mean {' or '.join(close)}? " if close else ""
        listed = f"the commands are {', '.join(names)}" if names else "`drawdown --help`"
        return Problem(
            "drawdown", f"command {wanted!r}", "is not a drawdown command", f"{fix}{listed}"
        )
    return Problem(command, "", _lower(text), help_hint)


def _message(exc: BaseException) -> str:
    value = getattr(exc, "message", None)
    plain = type(exc).__name__ in ("NoSuchOption", "UsageError", "BadOptionUsage")
    if plain and isinstance(value, str) and value:
        return value  # without click's "(Possible options: ...)" tail, said in the hint
    formatter = getattr(exc, "format_message", None)
    return str(formatter() if callable(formatter) else exc)


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _param_label(param: Any) -> str:
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        return f"argument {str(param.name or '').upper()}"
    opts = [o for o in getattr(param, "opts", []) or [] if o.startswith("-")]
    flag = max(opts, key=len) if opts else f"--{str(param.name).replace('_', '-')}"
    return f"option {flag}"


def _refused(exc: BaseException, param: Any, argv: list[str]) -> tuple[Any, str, str]:
    """(value typed, why it was refused, how to fix) for a BadParameter."""
    why = _lower(str(getattr(exc, "message", "") or _message(exc)))
    why = why.replace("input should be", "should be")
    got: Any = None
    fix = ""
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):  # typer coerces through pydantic: its error says what and why
        first = (errors() or [{}])[0]
        got = first.get("input")
        fix = _fix_for(str(first.get("type", "")), first.get("ctx") or {})
    if got is None:
        got = _typed_value(param, argv)
    hint = getattr(exc, "fix", "")
    return got, why, hint or fix


def _fix_for(kind: str, ctx: dict[str, Any]) -> str:
    if kind == "int_parsing" or kind == "int_from_float":
        return "write a whole number, such as 1000"
    if kind == "float_parsing":
        return "write a plain number, such as 12 or 0.5"
    if kind == "bool_parsing":
        return "write yes or no"
    bounds = {
        "greater_than_equal": ("ge", "{} or more"),
        "greater_than": ("gt", "more than {}"),
        "less_than_equal": ("le", "{} or less"),
        "less_than": ("lt", "less than {}"),
    }
    if kind in bounds:
        key, form = bounds[kind]
        return "use " + form.format(ctx.get(key, "the limit"))
    if kind == "finite_number":
        return "write a finite number"
    return ""


def _typed_value(param: Any, argv: list[str]) -> str | None:
    """What the user typed for `param`, read back from the command line."""
    for i, token in enumerate(argv):
        for opt in getattr(param, "opts", []) or []:
            if not opt.startswith("-"):
                continue
            if token == opt and i + 1 < len(argv):
                return argv[i + 1]
            if token.startswith(opt + "="):
                return token.partition("=")[2]
    return None


class OptionValueError(typer.BadParameter):
    """A value the option's own check refuses; carries the fix to print."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


def number(
    *, minimum: float | None = None, above: float | None = None, maximum: float | None = None
) -> Callable[[Any], Any]:
    """An option callback refusing non-finite numbers and numbers out of range.

    typer's own `min=`/`max=` let `nan` and `inf` through (and cannot say "above 0").
    """

    def check(value: Any) -> Any:
        if value is None:
            return value
        if isinstance(value, float) and not math.isfinite(value):
            raise OptionValueError("must be a finite number", "write a plain number, such as 10")
        if minimum is not None and value < minimum:
            raise OptionValueError(f"must be at least {minimum:g}", f"use {minimum:g} or more")
        if above is not None and value <= above:
            raise OptionValueError(f"must be above {above:g}", f"use a number above {above:g}")
        if maximum is not None and value > maximum:
            raise OptionValueError(f"must be at most {maximum:g}", f"use {maximum:g} or less")
        return value

    return check
