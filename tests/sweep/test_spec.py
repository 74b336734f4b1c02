"""A sweep spec is checked key by key and against the scenario before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from drawdown.errors import InputError
from drawdown.scenario.model import Scenario
from drawdown.sweep.spec import parse_spec, read_spec
from drawdown.sweep.variants import check_variants, expand

TINY = str(Path(__file__).parents[1] / "data" / "tiny")


def _problems(exc: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in exc.value.errors]


def test_unknown_keys_are_refused_with_the_valid_keys() -> None:
    """A misspelt key, at the top or inside sample, is named with the keys it could be."""
    with pytest.raises(InputError) as caught:
        parse_spec(
            {"scenario": "tiny", "grdi": {}, "sample": {"method": "lhs", "n": 4, "size": 3}},
            "spec.yaml",
        )
    texts = _problems(caught)
    assert any("spec.yaml, grdi: unknown key" in t and "grid" in t for t in texts), texts
    assert any("sample.size: unknown key" in t and "method, n, parameters" in t for t in texts)


def test_values_and_missing_keys_are_located() -> None:
    """A missing scenario, a bad rank figure and a Sobol size that is no power of two."""
    with pytest.raises(InputError) as caught:
        parse_spec({"runs": 0, "rank_by": "luck", "sample": {"method": "sobol", "n": 12}})
    texts = " | ".join(_problems(caught))
    assert "scenario: is required" in texts
    assert "runs:" in texts and "rank_by: unknown key figure 'luck'" in texts
    assert "sample.n: sobol needs a power of two, not 12" in texts


def test_a_spec_without_variants_is_refused() -> None:
    """Nothing to sweep is an error, not an empty result."""
    with pytest.raises(InputError, match="no variants"):
        parse_spec({"scenario": "tiny"})


def test_unknown_parameters_are_refused_with_the_valid_names(tiny: Scenario) -> None:
    """A grid parameter the scenario does not have is named once, with the valid names."""
    spec = parse_spec(
        {"scenario": TINY, "grid": {"clearance.raod.approval": [0.5, 0.9]}}, "spec.yaml"
    )
    with pytest.raises(InputError) as caught:
        check_variants(expand(spec, tiny, "spec.yaml"), tiny, "spec.yaml")
    [problem] = caught.value.errors  # two variants, one unknown name: one problem
    assert problem.file == "spec.yaml" and "clearance.raod.approval" in problem.where
    assert "unknown parameter" in problem.message and "clearance.<" in problem.hint


def test_a_bad_value_names_its_variant(tiny: Scenario) -> None:
    """A value the parameter cannot take is reported with the variant that gives it."""
    spec = parse_spec({"scenario": TINY, "options": {"odd": ["trucks.*.count=many"]}})
    with pytest.raises(InputError) as caught:
        check_variants(expand(spec, tiny), tiny)
    assert "'many' is not a number" in " ".join(_problems(caught))


def test_sample_parameters_must_be_declared(tiny: Scenario) -> None:
    """Sampling a parameter the scenario does not declare uncertain lists the declared ones."""
    spec = parse_spec(
        {"scenario": TINY, "sample": {"method": "lhs", "n": 4, "parameters": ["trucks.count"]}}
    )
    with pytest.raises(InputError) as caught:
        expand(spec, tiny)
    [problem] = caught.value.errors
    assert problem.where == "sample.parameters" and "clearance.road.approval" in problem.hint


def test_bad_spec_stops_the_command_with_status_2_before_any_work(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`drawdown sweep` prints the located problem, exits 2 and writes nothing."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"scenario: {TINY}\nruns: 10\ngrid:\n  threat.ied.rat: [1, 2]\n")
    code, text = cli("sweep", str(spec), "-o", str(tmp_path / "out"), "--workers", "0")
    assert code == 2
    assert "threat.ied.rat" in text and "unknown parameter" in text and "valid names" in text
    assert "Traceback" not in text
    assert not (tmp_path / "out").exists()
    spec.write_text("scenario: [unclosed\n")
    code, text = cli("sweep", str(spec))
    assert code == 2 and "not valid YAML" in text


def test_read_spec_names_a_missing_file(tmp_path: Path) -> None:
    """A spec path that does not exist is a located error, not a traceback."""
    with pytest.raises(InputError, match="cannot be read"):
        read_spec(tmp_path / "nope.yaml")
