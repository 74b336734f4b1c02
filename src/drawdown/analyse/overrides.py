"""Parameter overrides moved to `drawdown.scenario.overrides` (what-if edits of a scenario,
which the stress test reads too); these names stay importable from here."""

from drawdown.scenario.overrides import (
    FAMILIES,
    FAMILY,
    Family,
    Override,
    Target,
    apply_overrides,
    check_uncertainties,
    describe,
    is_relative,
    parse_override,
    parse_overrides,
    pattern_help,
    resolve,
    uncertainty_override,
)

__all__ = [
    "FAMILIES",
    "FAMILY",
    "Family",
    "Override",
    "Target",
    "apply_overrides",
    "check_uncertainties",
    "describe",
    "is_relative",
    "parse_override",
    "parse_overrides",
    "pattern_help",
    "resolve",
    "uncertainty_override",
]
