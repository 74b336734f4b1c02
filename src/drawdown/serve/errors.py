"""Problems as the page shows them: the same lines the command line prints."""

from __future__ import annotations

from typing import Any

from drawdown.errors import InputError


class Busy(InputError):
    """A request the workbench cannot take now (a re-plan is running): HTTP 409."""


class UnknownVariant(InputError):
    """A variant id the workbench does not hold (never held, or evicted): HTTP 404."""


def error_json(exc: InputError) -> dict[str, Any]:
    """An InputError as JSON: its title and each problem, with the CLI's one-line text."""
    return {
        "error": exc.title,
        "problems": [
            {
                "file": p.file,
                "where": p.where,
                "message": p.message,
                "hint": p.hint,
                "severity": p.severity,
                "text": str(p),
            }
            for p in exc.problems
        ],
    }


def simple_error(message: str, hint: str = "") -> dict[str, Any]:
    """A refusal that is not about an input's content (size, origin, busy)."""
    text = f"{message} (fix: {hint})" if hint else message
    return {
        "error": message,
        "problems": [
            {
                "file": "request",
                "where": "",
                "message": message,
                "hint": hint,
                "severity": "error",
                "text": text,
            }
        ],
    }
