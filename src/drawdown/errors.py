"""User-facing problems: what is wrong, where, and how to fix it.

Every mistake in a user's input becomes a `Problem`; a stage that finds any raises one
`InputError` carrying all of them, so the user sees every problem at once. The CLI prints
them and exits with status 2 — never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in an input, located precisely."""

    file: str
    where: str
    message: str
    hint: str = ""
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        place = f"{self.file}, {self.where}" if self.where else self.file
        text = f"{place}: {self.message}"
        return f"{text} (fix: {self.hint})" if self.hint else text


class InputError(Exception):
    """Raised when an input cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem, title: str = "") -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        self.title = title or f"{len(self.errors)} problem(s) in the input"
        super().__init__(self.title + "\n" + "\n".join(f"  - {p}" for p in self.errors))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]
