"""The checks on facts read from code (CheckOptions(source=FactSource.CODE)): what code cannot
give is "cannot be verified from code" (NOT_APPLICABLE), never a PASS or a FAIL on a guess.

Inventories are the factories' with the account unknown, as ``trailwarden iac`` builds them.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from factories import (
    ACCOUNT,
    LOG_GROUP_NAME,
    REGION,
    inline,
    log_group_arn,
    make_inventory,
    make_log_group,
    make_role,
    make_trail,
    role_arn,
    role_policy,
    trust_policy,
)
from monitoring_factories import TOPIC_ARN, make_alarm, make_filter, make_topic, monitored
from trailwarden.checks import CheckOptions, FactSource, evaluate
from trailwarden.checks.code_facts import UNVERIFIABLE
from trailwarden.errors import UsageError
from trailwarden.findings import Finding, Status
from trailwarden.inventory import NOT_IN_CODE, ApiError, Inventory, LogGroupFilters, Unknown

CODE = CheckOptions(source=FactSource.CODE)
ACCOUNT_UNKNOWN = Unknown(ACCOUNT, "the code does not say which account it deploys to")
OTHER_ACCOUNT = "123456789012"


def not_in_code(reason: str) -> ApiError:
    return ApiError(action="iac", code=NOT_IN_CODE, message=reason)


def code_inventory(**trail: object) -> Inventory:
    """The default (compliant) inventory, its account unknown as on code."""
    made = make_trail(account_id=ACCOUNT_UNKNOWN, **trail)  # type: ignore[arg-type]
    return make_inventory((made,), account_id=ACCOUNT_UNKNOWN)


def findings(inventory: Inventory, options: CheckOptions = CODE) -> dict[str, Finding]:
    return {f.check_id: f for f in evaluate(inventory, options)}


def is_unverifiable(f: Finding, *words: str) -> bool:
    reason = f.evidence.get(UNVERIFIABLE, "")
    text = f"{f.message} {reason}"
    return (
        f.status is Status.NOT_APPLICABLE
        and f.message.startswith("Cannot be verified from code")
        and all(w in text for w in words)
    )


def test_runtime_checks_are_not_evaluated_on_code_and_tw010_needs_tw001_to_tw003() -> None:
    got = findings(code_inventory(delivered_at=None, delivery_error="AccessDenied"))
    assert "TW004" not in got and "TW005" not in got
    assert got["TW010"].status is Status.PASS
    assert "TW001–TW003" in got["TW010"].message


def test_scan_still_evaluates_the_runtime_checks() -> None:
    got = findings(code_inventory(delivered_at=None), CheckOptions(monitoring=False))
    assert got["TW004"].status is Status.FAIL


@pytest.mark.parametrize("only", [{"TW004"}, {"TW001", "TW005"}])
def test_asking_for_a_runtime_check_on_code_is_a_usage_error(only: set[str]) -> None:
    with pytest.raises(UsageError, match="TW00[45].*infrastructure code cannot say"):
        CheckOptions(source=FactSource.CODE, only=frozenset(only))


def test_log_group_outside_the_code_cannot_be_verified() -> None:
    reason = "log group x is not defined in this configuration"
    group = make_log_group(error=not_in_code(reason))
    inventory = replace(code_inventory(), log_groups=(group,))
    got = findings(inventory)
    assert got["TW001"].status is Status.PASS
    assert is_unverifiable(got["TW002"], reason)
    assert is_unverifiable(got["TW007"], reason)
    assert is_unverifiable(got["TW010"], "TW002", reason)
    assert is_unverifiable(got["TW103"], "TW010")
    assert got["TW002"].remediation == "Verify it on the account once deployed: trailwarden scan."


def test_the_same_fact_unread_on_aws_is_still_an_error() -> None:
    group = make_log_group(error=ApiError("logs:DescribeLogGroups", "AccessDeniedException"))
    inventory = replace(make_inventory(), log_groups=(group,))
    assert findings(inventory, CheckOptions())["TW002"].status is Status.ERROR


def test_log_group_defined_in_code_with_unknown_retention_exists_but_its_retention_is_unknown():
    reason = "retention_in_days is var.days, which has no value"
    group = make_log_group(exists=True, retention_in_days=None, error=not_in_code(reason))
    got = findings(replace(code_inventory(), log_groups=(group,)))
    assert got["TW002"].status is Status.PASS
    assert is_unverifiable(got["TW007"], reason)


def test_absent_retention_in_code_never_expires_and_fails_as_in_scan() -> None:
    group = make_log_group(retention_in_days=None)
    got = findings(replace(code_inventory(), log_groups=(group,)))
    assert got["TW007"].status is Status.FAIL


def test_log_group_arn_without_the_stream_wildcard_fails_on_code_only() -> None:
    arn = log_group_arn(account=ACCOUNT).removesuffix(":*")
    got = findings(code_inventory(log_group_arn=arn))
    assert got["TW002"].status is Status.FAIL
    assert "':*'" in got["TW002"].message and "InvalidCloudWatchLogsLogGroupArnException" in (
        got["TW002"].message
    )
    scanned = findings(make_inventory((make_trail(log_group_arn=arn),)), CheckOptions())
    assert scanned["TW002"].status is Status.PASS


def test_log_group_in_another_region_fails_on_code_too() -> None:
    arn = log_group_arn(region="eu-west-1")
    got = findings(code_inventory(log_group_arn=arn))
    assert got["TW002"].status is Status.FAIL
    assert "eu-west-1" in got["TW002"].message


def test_arns_written_out_with_an_account_cannot_be_compared_with_an_unknown_account() -> None:
    lg, role = log_group_arn(account=OTHER_ACCOUNT), role_arn(account=OTHER_ACCOUNT)
    got = findings(code_inventory(log_group_arn=lg, role_arn=role))
    assert is_unverifiable(got["TW002"], OTHER_ACCOUNT, "which account it deploys to")
    assert is_unverifiable(got["TW003"], OTHER_ACCOUNT)
    assert is_unverifiable(got["TW007"], OTHER_ACCOUNT)


def test_arns_of_another_account_still_fail_when_the_account_is_known() -> None:
    lg = log_group_arn(account=OTHER_ACCOUNT)
    got = findings(make_inventory((make_trail(log_group_arn=lg),)), CODE)
    assert got["TW002"].status is Status.FAIL


def test_unknown_log_group_and_role_values_pass_tw001_and_cannot_be_verified_beyond() -> None:
    lg = Unknown(log_group_arn(name="unknown"), "it is data.aws_cloudwatch_log_group.x.arn")
    role = Unknown(role_arn(name="unknown"), "it is var.role_arn, which has no value")
    got = findings(code_inventory(log_group_arn=lg, role_arn=role))
    assert got["TW001"].status is Status.PASS
    assert is_unverifiable(got["TW002"], "data.aws_cloudwatch_log_group.x")
    assert is_unverifiable(got["TW003"], "var.role_arn")
    assert is_unverifiable(got["TW007"], "data.aws_cloudwatch_log_group.x")


def test_logging_unknown_in_code() -> None:
    inventory = code_inventory(status_error=not_in_code("enable_logging is var.on"))
    got = findings(inventory)
    assert is_unverifiable(got["TW006"], "var.on")
    assert is_unverifiable(got["TW010"], "var.on")


def test_a_trail_whose_existence_is_unknown_keeps_tw010_from_failing() -> None:
    single = code_inventory(multi_region=False)
    unresolved = replace(single, errors=(not_in_code("aws_cloudtrail.org has count = var.n"),))
    assert findings(single)["TW010"].status is Status.FAIL
    assert is_unverifiable(findings(unresolved)["TW010"], "count = var.n")


ROLE = role_arn()


def role_inventory(**role: object) -> Inventory:
    made = make_role(account_id=ACCOUNT_UNKNOWN, **role)  # type: ignore[arg-type]
    return replace(code_inventory(), roles=(made,))


def test_role_with_policies_outside_the_code_cannot_be_verified_but_wrong_trust_fails() -> None:
    reason = "policy arn:aws:iam::aws:policy/X is attached but not defined in the code"
    incomplete = not_in_code(reason)
    assert is_unverifiable(findings(role_inventory(exists=True, error=incomplete))["TW003"], reason)
    ec2 = trust_policy(Principal={"Service": "ec2.amazonaws.com"})
    wrong = findings(role_inventory(exists=True, error=incomplete, trust=ec2))["TW003"]
    assert wrong.status is Status.FAIL and "ec2.amazonaws.com" in wrong.message


def test_policy_values_the_code_does_not_give_cannot_be_verified() -> None:
    document = role_policy(group="${var.log_group_name}")
    got = findings(role_inventory(policies=(inline(document),)))
    assert is_unverifiable(got["TW003"], "${var.log_group_name}")
    scanned = replace(make_inventory(), roles=(make_role(policies=(inline(document),)),))
    assert findings(scanned, CheckOptions())["TW003"].status is Status.FAIL


def test_policy_naming_an_account_passes_only_if_the_code_deploys_there() -> None:
    document = role_policy(account=OTHER_ACCOUNT)
    got = findings(role_inventory(policies=(inline(document),)))
    assert is_unverifiable(got["TW003"], f"deploys to account {OTHER_ACCOUNT}")


def test_trust_condition_naming_an_account_passes_only_if_the_code_deploys_there() -> None:
    trust = trust_policy(Condition={"StringEquals": {"aws:SourceAccount": OTHER_ACCOUNT}})
    assert is_unverifiable(findings(role_inventory(trust=trust))["TW003"], OTHER_ACCOUNT)


def test_policy_that_denies_on_known_values_fails_on_code() -> None:
    document = role_policy(group="some-other-group")
    got = findings(role_inventory(policies=(inline(document),)))
    assert got["TW003"].status is Status.FAIL


def test_role_permissions_on_a_log_group_of_unknown_name_cannot_be_verified() -> None:
    name = Unknown(LOG_GROUP_NAME, "name_prefix leaves the name to AWS")
    group = replace(make_log_group(), name=name)
    document = role_policy(group="aws-cloudtrail-logs/elsewhere")
    inventory = replace(role_inventory(policies=(inline(document),)), log_groups=(group,))
    assert is_unverifiable(findings(inventory)["TW003"], "name_prefix")


# Monitoring on code: the same chain, judged on what the code declares.


def monitored_code(**changes: object) -> Inventory:
    return monitored(base=code_inventory(), **changes)  # type: ignore[arg-type]


def test_declared_subscription_passes_with_a_note_on_code() -> None:
    topic = make_topic(confirmed_subscriptions=0, pending_subscriptions=1)
    got = findings(monitored_code(topic=topic))["TW103"]
    assert got.status is Status.PASS
    assert "1 subscription(s) in the code" in got.message and "trailwarden scan" in got.message
    scanned = findings(monitored(topic=topic), CheckOptions())["TW103"]
    assert scanned.status is Status.FAIL


def test_topic_without_subscription_fails_on_code() -> None:
    topic = make_topic(confirmed_subscriptions=0, pending_subscriptions=0)
    got = findings(monitored_code(topic=topic))["TW103"]
    assert got.status is Status.FAIL and "has no subscription" in got.message


def test_topic_outside_the_code_cannot_be_verified() -> None:
    topic = make_topic(exists=None, error=not_in_code("topic x is not defined in the code"))
    got = findings(monitored_code(topic=topic))["TW103"]
    assert is_unverifiable(got, "topic x is not defined")


def test_filter_pattern_the_code_does_not_give_cannot_be_verified() -> None:
    unknown = Unknown("${var.root_pattern}", "pattern is var.root_pattern, which has no value")
    inventory = monitored_code(patterns={"TW103": unknown})
    got = findings(inventory)["TW103"]
    assert is_unverifiable(got, "var.root_pattern")


def test_known_filters_still_pass_next_to_an_unknown_one() -> None:
    base = monitored_code()
    unknown = replace(make_filter("TW103"), name="extra", pattern=Unknown("${x}", "x unknown"))
    filters = base.metric_filters[0]
    extra = LogGroupFilters(filters.log_group_key, REGION, (*filters.filters, unknown))
    assert findings(replace(base, metric_filters=(extra,)))["TW103"].status is Status.PASS


def test_alarm_on_a_metric_the_code_does_not_give_cannot_be_verified() -> None:
    alarm = make_alarm("TW103", metric_name=Unknown("${local.m}", "metric_name is local.m"))
    got = findings(monitored_code(alarms={"TW103": alarm}))["TW103"]
    assert is_unverifiable(got, "local.m")


def test_missing_filter_still_fails_on_code() -> None:
    got = findings(monitored_code(patterns={"TW103": '{ $.eventName = "Nothing" }'}))["TW103"]
    assert got.status is Status.FAIL
    assert TOPIC_ARN  # the same topic serves the other classes


def test_alarm_action_the_code_does_not_give_cannot_be_verified() -> None:
    action = Unknown("${var.topic_arn}", "var.topic_arn has no value")
    alarm = make_alarm("TW103", alarm_actions=(action,))
    got = findings(monitored_code(alarms={"TW103": alarm}))["TW103"]
    assert is_unverifiable(got, "var.topic_arn")
    assert got.remediation == "Verify it on the account once deployed: trailwarden scan."
