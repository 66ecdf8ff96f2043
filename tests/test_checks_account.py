"""TW010, the per-account check, and the event-selector reasoning behind it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from factories import (
    ACCOUNT,
    MEMBER_ACCOUNT,
    ORG_ID,
    denied,
    make_inventory,
    make_log_group,
    make_role,
    make_trail,
)
from trailwarden.checks import evaluate
from trailwarden.checks.account import Coverage, management_coverage, prerequisite_met
from trailwarden.findings import Finding, Status
from trailwarden.inventory import EventSelectors, Inventory, TrailConfig

UNREADABLE = "NotReadableFromMemberAccount"


def tw010(inventory: Inventory) -> Finding:
    (result,) = [f for f in evaluate(inventory) if f.check_id == "TW010"]
    json.dumps(result.evidence)
    return result


def basic(*selectors: dict[str, Any]) -> EventSelectors:
    return EventSelectors(basic=selectors)


def advanced(*field_lists: list[dict[str, Any]]) -> EventSelectors:
    return EventSelectors(
        advanced=tuple({"Name": f"s{i}", "FieldSelectors": f} for i, f in enumerate(field_lists))
    )


MANAGEMENT = {"Field": "eventCategory", "Equals": ["Management"]}


def org_trail_seen_by_member(**trail: Any) -> tuple[Any, ...]:
    """What a member account's inventory holds for the organization's trail."""
    return (
        make_trail("org", organization=True, **trail),
        make_log_group(error=denied("logs:DescribeLogGroups", UNREADABLE)),
        make_role(error=denied("iam:GetRole", UNREADABLE)),
    )


ORG_TRAIL, ORG_GROUP, ORG_ROLE = org_trail_seen_by_member()

CASES = [
    pytest.param(make_inventory(), Status.PASS, "Trail main is multi-region, logging", id="pass"),
    pytest.param(
        make_inventory((make_trail(has_custom_event_selectors=True, event_selectors=basic({})),)),
        Status.PASS,
        "Trail main",
        id="pass-basic-defaults",
    ),
    pytest.param(
        make_inventory(()),
        Status.FAIL,
        "The account has no trail, so its activity is not recorded.",
        id="no-trail",
    ),
    pytest.param(
        make_inventory((make_trail(multi_region=False),)),
        Status.FAIL,
        "No multi-region trail: the trails that apply (main) are single-region.",
        id="single-region",
    ),
    pytest.param(
        make_inventory((make_trail(is_logging=False),)),
        Status.FAIL,
        "No trail qualifies: trail main is multi-region but is not logging.",
        id="not-logging",
    ),
    pytest.param(
        make_inventory(
            (
                make_trail(
                    has_custom_event_selectors=True,
                    event_selectors=basic({"ReadWriteType": "ReadOnly"}),
                ),
            )
        ),
        Status.FAIL,
        "trail main is multi-region but misses write management events.",
        id="read-only-events",
    ),
    pytest.param(
        make_inventory(roles=(make_role(policies=()),)),
        Status.FAIL,
        "trail main is multi-region but fails TW003.",
        id="fails-tw003",
    ),
    pytest.param(
        make_inventory(
            (make_trail("a", is_logging=False, role_arn=None), make_trail("b", is_logging=False))
        ),
        Status.FAIL,
        "trail b is multi-region but is not logging.",  # the closest candidate
        id="best-candidate",
    ),
    pytest.param(
        make_inventory((), errors=(denied("cloudtrail:ListTrails"),)),
        Status.ERROR,
        "AccessDeniedException on cloudtrail:ListTrails",
        id="listtrails-denied",
    ),
    pytest.param(
        make_inventory(
            (
                make_trail(
                    has_custom_event_selectors=True,
                    event_selectors_error=denied("cloudtrail:GetEventSelectors"),
                ),
            )
        ),
        Status.ERROR,
        "trail main: AccessDeniedException on cloudtrail:GetEventSelectors",
        id="selectors-denied",
    ),
    pytest.param(
        make_inventory((make_trail(status_error=denied()),)),
        Status.ERROR,
        "trail main: AccessDeniedException on cloudtrail:GetTrailStatus",
        id="status-denied",
    ),
    pytest.param(
        make_inventory((make_trail(multi_region=False, status_error=denied()),)),
        Status.FAIL,
        "No multi-region trail",  # a known disqualifier outweighs an unknown
        id="unknown-but-disqualified",
    ),
    pytest.param(
        make_inventory(
            (ORG_TRAIL,), account_id=MEMBER_ACCOUNT, log_groups=(ORG_GROUP,), roles=(ORG_ROLE,)
        ),
        Status.ERROR,
        "organization trail managed by account 111111111111",
        id="member-sees-only-org-trail",
    ),
    pytest.param(
        make_inventory(
            (ORG_TRAIL, make_trail(account_id=MEMBER_ACCOUNT)),
            account_id=MEMBER_ACCOUNT,
            log_groups=(ORG_GROUP, make_log_group(account_id=MEMBER_ACCOUNT)),
            roles=(ORG_ROLE, make_role(account_id=MEMBER_ACCOUNT)),
            organization_id=ORG_ID,
        ),
        Status.PASS,
        "Trail main",
        id="member-with-own-trail",
    ),
    pytest.param(
        make_inventory((make_trail(event_selectors_error=denied("cloudtrail:GetEventSelectors")),)),
        Status.PASS,
        "Trail main",  # HasCustomEventSelectors false: AWS's defaults apply
        id="defaults-need-no-selectors",
    ),
]


@pytest.mark.parametrize(("inventory", "status", "message"), CASES)
def test_tw010(inventory: Inventory, status: Status, message: str) -> None:
    result = tw010(inventory)
    assert (result.status, message in result.message) == (status, True), result.message


def test_foreign_trail_that_is_not_an_organization_trail_is_no_candidate() -> None:
    inventory = make_inventory((make_trail(),), account_id=MEMBER_ACCOUNT)
    assert tw010(inventory).message.startswith("The account has no trail")


def test_member_is_told_to_scan_from_the_owner() -> None:
    inventory = make_inventory(
        (ORG_TRAIL,), account_id=MEMBER_ACCOUNT, log_groups=(ORG_GROUP,), roles=(ORG_ROLE,)
    )
    assert tw010(inventory).remediation == (
        "Scan from account 111111111111, which owns this organization trail."
    )


def test_tw010_finding_fields() -> None:
    result = tw010(make_inventory())
    assert (result.account_id, result.region, result.resource_type, result.resource_id) == (
        ACCOUNT,
        "global",
        "AWS::::Account",
        f"AWS::::Account:{ACCOUNT}",
    )
    assert result.evidence["qualifying"] == [make_trail().arn]


def test_tw010_fix_names_the_commands_for_the_best_candidate() -> None:
    result = tw010(make_inventory((make_trail(is_logging=False, home_region="eu-west-1"),)))
    assert result.remediation == "aws cloudtrail start-logging --name main --region eu-west-1"


@pytest.mark.parametrize("status", list(Status))
def test_prerequisite_met_covers_every_status(status: Status) -> None:
    expected = {
        Status.PASS: True,
        Status.FAIL: False,
        Status.NOT_APPLICABLE: False,
        Status.ERROR: None,
    }
    assert prerequisite_met(status) is expected[status]


CONFIG = TrailConfig(
    is_multi_region=True, is_organization_trail=False, log_group_arn=None, role_arn=None
)
CUSTOM = TrailConfig(
    is_multi_region=True,
    is_organization_trail=False,
    log_group_arn=None,
    role_arn=None,
    has_custom_event_selectors=True,
)


@pytest.mark.parametrize(
    ("config", "selectors", "read", "write"),
    [
        pytest.param(CONFIG, None, True, True, id="defaults"),
        pytest.param(CUSTOM, EventSelectors(), False, False, id="custom-but-empty"),
        pytest.param(CUSTOM, basic({"ReadWriteType": "All"}), True, True, id="basic-all"),
        pytest.param(CUSTOM, basic({"ReadWriteType": "WriteOnly"}), False, True, id="basic-write"),
        pytest.param(
            CUSTOM,
            basic({"ReadWriteType": "ReadOnly"}, {"ReadWriteType": "WriteOnly"}),
            True,
            True,
            id="basic-read-plus-write",
        ),
        pytest.param(
            CUSTOM,
            basic({"ReadWriteType": "All", "IncludeManagementEvents": False}),
            False,
            False,
            id="basic-data-only",
        ),
        pytest.param(CUSTOM, advanced([MANAGEMENT]), True, True, id="advanced-management"),
        pytest.param(
            CUSTOM,
            advanced([MANAGEMENT, {"Field": "readOnly", "Equals": ["true"]}]),
            True,
            False,
            id="advanced-read-only",
        ),
        pytest.param(
            CUSTOM,
            advanced(
                [MANAGEMENT, {"Field": "readOnly", "Equals": ["true"]}],
                [MANAGEMENT, {"Field": "readOnly", "Equals": ["false"]}],
            ),
            True,
            True,
            id="advanced-read-and-write-selectors",
        ),
        pytest.param(
            CUSTOM,
            advanced([MANAGEMENT, {"Field": "readOnly", "NotEquals": ["true"]}]),
            False,
            True,
            id="advanced-not-read-only",
        ),
        pytest.param(
            CUSTOM,
            advanced([MANAGEMENT, {"Field": "eventSource", "Equals": ["s3.amazonaws.com"]}]),
            False,
            False,
            id="advanced-limited-to-one-source",
        ),
        pytest.param(
            CUSTOM,
            advanced([{"Field": "eventCategory", "Equals": ["Data"]}]),
            False,
            False,
            id="advanced-data-only",
        ),
        pytest.param(
            CUSTOM,
            EventSelectors(
                basic=({"ReadWriteType": "All"},),
                advanced=({"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]},),
            ),
            False,
            False,
            id="advanced-replace-basic",
        ),
    ],
)
def test_management_coverage(
    config: TrailConfig, selectors: EventSelectors | None, read: bool, write: bool
) -> None:
    coverage = management_coverage(config, selectors)
    assert coverage is not None
    assert (coverage.read, coverage.write) == (read, write)


def test_coverage_unknown_when_custom_selectors_were_not_read() -> None:
    assert management_coverage(CUSTOM, None) is None


def test_excluded_event_sources_still_count_and_are_noted() -> None:
    selectors = advanced([MANAGEMENT, {"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"]}])
    assert management_coverage(CUSTOM, selectors) == Coverage(
        True, True, ("excludes kms.amazonaws.com",)
    )
