"""Terraform plans in JSON (`terraform show -json plan.out`) through the checks.

The fixture follows the documented format (format_version 1.2): a local module creates the
trail, its log group and role, whose ARNs are known only after apply; the root module creates
CIS filters and alarms with for_each, and the alarms' topic. Variants are made from it.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from iac_helpers import DATA, finding, label, scan, unverifiable
from trailwarden.errors import CodeInputError
from trailwarden.findings import SourceLocation, Status

PLAN = "terraform/plan/plan.json"
TRAIL = "module.audit.aws_cloudtrail.this"


def plan() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / PLAN).read_text())
    return loaded


def variant(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    return path


def change(data: dict[str, Any], address: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in data["resource_changes"] if c["address"] == address)
    return found


def planned(data: dict[str, Any], address: str) -> dict[str, Any]:
    modules = [
        data["planned_values"]["root_module"],
        *data["planned_values"]["root_module"]["child_modules"],
    ]
    found: dict[str, Any] = next(
        r for m in modules for r in m["resources"] if r["address"] == address
    )
    return found


def test_arns_known_only_after_apply_are_linked_through_the_configuration() -> None:
    report = scan(PLAN, region=None)
    for check in ("TW001", "TW002", "TW003", "TW006", "TW007"):
        f = finding(report, TRAIL, check)
        assert f.status is Status.PASS, (check, f.message)
    assert "log-group:/aws/cloudtrail/audit:*" in finding(report, TRAIL, "TW001").message


def test_the_caller_identity_names_the_account() -> None:
    f = finding(scan(PLAN, region=None), TRAIL, "TW001")
    assert "arn:aws:iam::123456789012:role/audit-cloudtrail-to-cwl" in f.message


def test_a_plan_has_no_lines() -> None:
    f = finding(scan(PLAN, region=None), TRAIL, "TW001")
    assert f.location == SourceLocation(label(PLAN), None)


def test_for_each_filters_are_judged_and_their_alarms_linked_to_the_topic() -> None:
    report = scan(PLAN, region=None)
    for class_id in ("TW101", "TW103", "TW104"):  # filters cis["4.1"], ["4.3"], ["4.4"]
        f = finding(report, label(PLAN), class_id)
        assert f.status is Status.PASS and "cis-alarms" in f.message, f.message
    assert finding(report, label(PLAN), "TW105").status is Status.FAIL  # no filter for 4.5


def test_a_policy_known_only_after_apply_cannot_be_verified(tmp_path: Path) -> None:
    data = plan()
    address = "module.audit.aws_iam_role_policy.this"
    del planned(data, address)["values"]["policy"]
    change(data, address)["change"]["after_unknown"]["policy"] = True
    f = finding(scan(variant(tmp_path, data), region=None), TRAIL, "TW003")
    assert unverifiable(f) and "policy is known only after apply" in f.message


def test_a_trail_the_plan_deletes_is_not_there(tmp_path: Path) -> None:
    data = plan()
    children = data["planned_values"]["root_module"]["child_modules"][0]["resources"]
    data["planned_values"]["root_module"]["child_modules"][0]["resources"] = [
        r for r in children if r["address"] != TRAIL
    ]
    change(data, TRAIL)["change"]["actions"] = ["delete"]
    report = scan(variant(tmp_path, data), region=None)
    assert not [f for f in report.findings if f.resource_id == TRAIL]
    assert finding(report, label_of(tmp_path), "TW010").status is Status.FAIL


def label_of(tmp_path: Path) -> str:
    from trailwarden.collect.iac.files import shown

    return shown(tmp_path / "plan.json")


def test_a_known_log_group_arn_of_another_region_fails(tmp_path: Path) -> None:
    data = plan()
    values = planned(data, TRAIL)["values"]
    values["cloud_watch_logs_group_arn"] = "arn:aws:logs:us-east-1:123456789012:log-group:x:*"
    del change(data, TRAIL)["change"]["after_unknown"]["cloud_watch_logs_group_arn"]
    f = finding(scan(variant(tmp_path, data), region=None), TRAIL, "TW002")
    assert f.status is Status.FAIL and "us-east-1" in f.message


def test_the_region_comes_from_the_provider_variable(tmp_path: Path) -> None:
    data = plan()
    data["variables"]["region"]["value"] = "ap-northeast-1"
    f = finding(scan(variant(tmp_path, data), region="eu-west-1"), TRAIL, "TW002")
    assert f.region == "ap-northeast-1"


def test_a_provider_without_region_takes_the_one_given(tmp_path: Path) -> None:
    data = plan()
    data["configuration"]["provider_config"]["aws"]["expressions"] = {}
    with pytest.raises(CodeInputError, match="give --region"):
        scan(variant(tmp_path, data), region=None)
    assert finding(scan(variant(tmp_path, data), region="sa-east-1"), TRAIL, "TW002").region == (
        "sa-east-1"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"format_version": "2.0"}, "format_version '2.0'; trailwarden reads version 1.x"),
        ({"planned_values": None, "resource_changes": None, "values": {}}, "not of a plan"),
    ],
)
def test_what_is_not_a_version_1_plan_is_refused(
    tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    data = copy.deepcopy(plan())
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    with pytest.raises(CodeInputError, match=message):
        scan(variant(tmp_path, data), region=None)


def test_attributes_of_the_wrong_type_are_not_a_crash(tmp_path: Path) -> None:
    data = plan()
    values = planned(data, TRAIL)["values"]
    values.update({"event_selector": 5, "is_multi_region_trail": "yes", "name": ["x"]})
    data["planned_values"]["root_module"]["resources"].append(
        {
            "address": "aws_cloudwatch_log_group.odd",
            "mode": "managed",
            "type": "aws_cloudwatch_log_group",
            "name": "odd",
            "values": "not an object",
        }
    )
    report = scan(variant(tmp_path, data), region=None)
    assert finding(report, TRAIL, "TW001").status is Status.PASS
