"""CloudFormation templates (YAML with short-form intrinsics, and JSON) through the checks."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iac_helpers import finding, label, scan, unverifiable, verdicts
from trailwarden.collect.iac.cfn_intrinsics import Template
from trailwarden.collect.iac.specs import Unresolved
from trailwarden.errors import CodeInputError
from trailwarden.findings import SourceLocation, Status
from trailwarden.monitoring.catalog import CLASSES

P, F, NA = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE
HEALTHY = "cloudformation/healthy.yaml"
MISTAKES = "cloudformation/mistakes.json"
EXTERNAL = "cloudformation/external.yaml"


def test_healthy_yaml_template_passes_every_check_and_points_at_the_trail() -> None:
    report = scan(HEALTHY)
    got = verdicts(report)
    assert set(got.values()) == {P}, got
    assert {c for _, c in got} == {"TW001", "TW002", "TW003", "TW006", "TW007", "TW010"} | {
        c.id for c in CLASSES
    }
    trail = finding(report, "Trail", "TW001")
    assert trail.location == SourceLocation(label(HEALTHY), 46)
    assert trail.account_id == "" and report.accounts == ()
    assert report.exit_code == 0


def test_runtime_checks_are_not_reported_for_code() -> None:
    assert not {c for _, c in verdicts(scan(HEALTHY))} & {"TW004", "TW005"}


def test_filters_written_differently_from_cis_pass_by_meaning() -> None:
    # TW103's clauses are in another order, TW106's too: same meaning, other text.
    message = finding(scan(HEALTHY), label(HEALTHY), "TW103").message
    assert "RootAccountUsageFilter" in message


def test_declared_subscription_passes_with_a_note() -> None:
    message = finding(scan(HEALTHY), label(HEALTHY), "TW101").message
    assert "1 subscription(s) in the code" in message
    assert "known only once deployed" in message


@pytest.mark.parametrize(
    ("resource", "check", "status", "words"),
    [
        ("AppTrail", "TW001", P, "app-trail-logs"),
        ("AppTrail", "TW002", P, "exists in eu-west-1"),
        ("AppTrail", "TW003", F, "ec2.amazonaws.com"),
        ("AppTrail", "TW006", F, "not logging"),
        ("AppTrail", "TW007", F, "30 days"),
        ("HalfIntegratedTrail", "TW001", F, "no CloudWatch Logs role ARN"),
        ("HalfIntegratedTrail", "TW002", NA, "TW001"),
        ("HalfIntegratedTrail", "TW006", P, "is logging"),
        ("WrongRegionTrail", "TW002", F, "us-west-2"),
        ("NarrowTrail", "TW002", P, "elsewhere-logs"),
        ("NarrowTrail", "TW003", F, "logs:PutLogEvents"),
        ("NarrowTrail", "TW007", P, "365 days"),
    ],
)
def test_json_template_with_the_usual_mistakes(
    resource: str, check: str, status: Status, words: str
) -> None:
    f = finding(scan(MISTAKES), resource, check)
    assert (f.status, words in f.message) == (status, True), f.message


def test_json_template_has_no_qualifying_trail_so_monitoring_fails() -> None:
    report = scan(MISTAKES)
    tw010 = finding(report, label(MISTAKES), "TW010")
    assert tw010.status is F and tw010.message.startswith("No trail qualifies")
    assert finding(report, label(MISTAKES), "TW103").status is F
    assert report.exit_code == 1


def test_json_template_locations_are_the_resources_lines() -> None:
    assert finding(scan(MISTAKES), "NarrowTrail", "TW003").location == SourceLocation(
        label(MISTAKES), 111
    )


def test_values_from_other_stacks_cannot_be_verified() -> None:
    report = scan(EXTERNAL)
    assert finding(report, "OrgTrail", "TW001").status is P
    for check, words in (
        ("TW002", "baseline-TrailLogGroupArn"),
        ("TW003", "parameter DeliveryRoleArn has no default"),
        ("TW007", "baseline-TrailLogGroupArn"),
    ):
        f = finding(report, "OrgTrail", check)
        assert unverifiable(f) and words in f.message, f.message
    assert report.exit_code == 0  # nothing known to be wrong


def test_resources_under_a_condition_the_code_does_not_decide_may_not_exist() -> None:
    report = scan(EXTERNAL)
    assert not [f for f in report.findings if f.resource_id == "BackupTrail"]  # false
    prod = finding(report, "ProdTrail", "TW006")
    assert prod.status is P and "Note: ProdTrail may not exist" in prod.message
    tw010 = finding(report, label(EXTERNAL), "TW010")
    assert unverifiable(tw010)
    assert "ProdTrail may not exist" in tw010.message and "Environment" in tw010.message


def test_a_template_needs_a_region() -> None:
    with pytest.raises(CodeInputError, match="does not say its region: give --region"):
        scan(HEALTHY, region=None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Resources:\n  A: [unclosed\n", r"bad\.yaml:\d+ is not valid YAML or JSON"),
        ("Resources: 3\n", "no Resources mapping"),
        ("just: a yaml file\n", "not a CloudFormation template"),
        (
            "Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n"
            "      CloudWatchLogsRoleArn: !Ref Nowhere\n",
            "Ref 'Nowhere' names no parameter or resource",
        ),
        (
            "Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n"
            "      IsLogging: !If [OnlyTwo, true]\n",
            "Fn::If is given .* which CloudFormation would reject",
        ),
        (
            "Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Condition: Missing\n",
            "Condition 'Missing' is used but not defined",
        ),
    ],
)
def test_unreadable_templates_are_one_sentence_errors(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(CodeInputError, match=message):
        scan(path)


def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["Resources:", "  T:", "    Type: AWS::CloudTrail::Trail", "    Metadata:"]
    lines.append('      a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]')
    lines += [f"      a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    lines.append("    Properties:\n      EventSelectors: *a8")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    with pytest.raises(CodeInputError, match="alias"):  # cfn-lint's decoder refuses it
        scan(path)
    assert time.perf_counter() - started < 30


def test_deeply_nested_properties_are_refused(tmp_path: Path) -> None:
    nested = '"x"'
    for _ in range(150):
        nested = f"[{nested}]"
    text = '{"Resources": {"T": {"Type": "AWS::CloudTrail::Trail", "Properties": {"A": %s}}}}'
    path = tmp_path / "deep.json"
    path.write_text(text % nested)
    with pytest.raises(CodeInputError, match="nests or repeats values beyond"):
        scan(path)


def template(**sections: object) -> Template:
    return Template({"Resources": {}, **sections}, "eu-west-1", "ACCOUNT")


_LITERAL = st.text(st.characters(blacklist_characters="${}"), max_size=40)


@given(_LITERAL)
def test_sub_without_variables_is_the_text_itself(text: str) -> None:
    assert template().resolve({"Fn::Sub": text}) == text


@given(st.lists(_LITERAL, max_size=6), _LITERAL)
def test_join_is_the_delimiter_between_the_items(items: list[str], delimiter: str) -> None:
    assert template().resolve({"Fn::Join": [delimiter, items]}) == delimiter.join(items)


def test_sub_literal_escape_and_pseudo_parameters() -> None:
    text = "${!Literal}-${AWS::Region}-${AWS::AccountId}-${AWS::Partition}"
    assert template().resolve({"Fn::Sub": text}) == "${Literal}-eu-west-1-ACCOUNT-aws"


def test_if_is_decided_by_a_condition_on_a_parameter_default() -> None:
    t = template(
        Parameters={"Env": {"Type": "String", "Default": "prod"}},
        Conditions={"Prod": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
    )
    assert t.resolve({"Fn::If": ["Prod", 400, 30]}) == 400
    no_value = {"Fn::If": ["Prod", {"Ref": "AWS::NoValue"}, 1]}
    assert t.resolve({"Retention": no_value, "Name": "x"}) == {"Name": "x"}


def test_if_on_an_undecided_condition_is_unresolved_unless_both_branches_agree() -> None:
    t = template(
        Parameters={"Env": {"Type": "String"}},
        Conditions={"Prod": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
    )
    unknown = t.resolve({"Fn::If": ["Prod", 400, 30]})
    assert isinstance(unknown, Unresolved) and "parameter Env has no default" in unknown.reason
    assert t.resolve({"Fn::If": ["Prod", 365, 365]}) == 365


def test_find_in_map_with_the_region() -> None:
    t = template(Mappings={"Days": {"eu-west-1": {"Retention": 731}}})
    assert t.resolve({"Fn::FindInMap": ["Days", {"Ref": "AWS::Region"}, "Retention"]}) == 731


def test_properties_of_the_wrong_shape_are_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(
        "Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n"
        "      EventSelectors: 5\n      IsLogging: maybe\n      TrailName: [a, b]\n"
        "  L:\n    Type: AWS::Logs::LogGroup\n    Properties: [1, 2]\n"
    )
    report = scan(path)
    assert finding(report, "T", "TW006").status is Status.NOT_APPLICABLE  # 'maybe'
