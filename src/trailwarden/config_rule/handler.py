"""The Lambda entry point of the AWS Config custom rule (entry point ``config-rule`` of the
group ``trailwarden.lambda``): ``trailwarden.config_rule.handler.handler``.

Invoked by AWS Config, it evaluates the account and region it runs in with the same
collection and checks as ``trailwarden scan`` (monitoring included unless the rule says
``Monitoring=false``) and reports with ``PutEvaluations``:

- periodic: every trail homed in this region and owned by this account, and the account;
- a trail's configuration change: that trail (NOT_APPLICABLE once deleted, unrecorded or
  out of scope) and the account, whose TW010 and TW101–TW115 follow its trails.

Organization trails are evaluated only where they are homed and owned: a member account
reports no evaluation for the management account's trail (as ``scan`` does, its TW010
says what it could not read of it). Invoked by EventBridge with one of the API calls of
:mod:`.drift`, it asks AWS Config to re-evaluate the rule instead.

The function reads with its own execution role (the read-only policy of ``trailwarden
scan`` plus the two Config calls), not with AWS Config's role.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from trailwarden.config_rule.config_api import put_evaluations, start_rule_evaluation
from trailwarden.config_rule.drift import DETAIL_TYPE, is_drift_event
from trailwarden.config_rule.evaluations import (
    ACCOUNT_RESOURCE_TYPE,
    TRAIL_RESOURCE_TYPE,
    Evaluation,
    account_evaluation,
    not_applicable,
    trail_evaluation,
    unevaluated,
)
from trailwarden.config_rule.parameters import RuleParameterError, parse_rule_parameters
from trailwarden.config_rule.triggers import (
    ChangedItem,
    ConfigEvent,
    EventError,
    parse_config_event,
)
from trailwarden.errors import Error
from trailwarden.inventory import Inventory, Trail

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.findings import Finding

__all__ = ["RULE_NAME_ENV", "handle", "handler"]

# The Config rule a drift event re-evaluates (set by the CloudFormation template).
RULE_NAME_ENV = "TRAILWARDEN_CONFIG_RULE_NAME"
log = logging.getLogger("trailwarden.config_rule")


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """The Lambda entry point: credentials and region from the function's environment."""
    from trailwarden.collect.clients import open_factory

    # AWS_ENDPOINT_URL is honoured by botocore (a test or a simulated AWS); unset in Lambda.
    return handle(event, open_factory())


def handle(event: Mapping[str, Any], factory: ClientFactory) -> dict[str, Any]:
    """Handle one invocation with the clients of ``factory``; a summary for the logs."""
    if "invokingEvent" in event:
        return _evaluate(parse_config_event(event, factory.region_name), factory)
    if event.get("detail-type") == DETAIL_TYPE:
        return _on_drift(event, factory)
    raise EventError(
        "The function was invoked with an event that is neither from AWS Config nor an "
        "EventBridge API-call event; invoke it only from the rule and the drift rule."
    )


def _evaluate(config: ConfigEvent, factory: ClientFactory) -> dict[str, Any]:
    started = time.perf_counter()
    evaluations = _evaluations(config, factory)
    calls = put_evaluations(
        factory, config.region, config.result_token, evaluations, test_mode=config.test_mode
    )
    summary = {
        "messageType": config.message_type.value,
        "testMode": config.test_mode,
        "evaluations": [
            {**e.to_api(), "OrderingTimestamp": e.ordering_timestamp.isoformat()}
            for e in evaluations
        ],
        "putEvaluationsCalls": calls,
        "apiCalls": sum(factory.call_counts().values()),
        "durationSeconds": round(time.perf_counter() - started, 3),
    }
    counts: dict[str, int] = {}
    for e in evaluations:
        counts[e.compliance.value] = counts.get(e.compliance.value, 0) + 1
    log.info(
        "%s in %s: %s in %.2f s (%d API calls)",
        config.message_type.value,
        config.region,
        ", ".join(f"{n} {c}" for c, n in sorted(counts.items())) or "no evaluation",
        summary["durationSeconds"],
        summary["apiCalls"],
    )
    return summary


def _evaluations(config: ConfigEvent, factory: ClientFactory) -> list[Evaluation]:
    at, item = config.ordering_time, config.item
    if item is not None and (not item.present or item.resource_type != TRAIL_RESOURCE_TYPE):
        why = (
            f"{item.resource_type} is not a trail"
            if item.resource_type != TRAIL_RESOURCE_TYPE
            else "the trail left the rule's scope"
            if item.left_scope
            else f"the trail is {item.status}"
        )
        return [not_applicable(item.resource_type, item.resource_id, why, at)]
    try:
        options = parse_rule_parameters(config.rule_parameters).check_options()
    except RuleParameterError as exc:
        return _unevaluated(config, f"the rule is misconfigured: {exc}")
    from trailwarden.scan import scan_account

    try:
        scan = scan_account(factory, regions=[config.region], options=options)
    except Error as exc:  # no credentials, a silent endpoint: nothing could be judged
        log.error("could not scan: %s", exc)
        return _unevaluated(config, str(exc))
    inventory, findings = scan.inventory, scan.report.findings
    if inventory.account_id != config.account_id:
        raise EventError(
            f"AWS Config invoked the function for account {config.account_id}, but it runs "
            f"in account {inventory.account_id}; deploy it in every account it evaluates "
            "(`trailwarden lambda template --organization`)."
        )
    account = account_evaluation(config.account_id, findings, at)
    if item is not None:
        return [_changed_trail(item, inventory, findings, config), account]
    own = [t for t in inventory.trails if _evaluated_here(t, inventory, config.region)]
    return [trail_evaluation(t.arn, findings, at) for t in own] + [account]


def _evaluated_here(trail: Trail, inventory: Inventory, region: str) -> bool:
    """A trail is evaluated once: in its home region, by the account that owns it."""
    return trail.home_region == region and trail.account_id == inventory.account_id


def _changed_trail(
    item: ChangedItem, inventory: Inventory, findings: tuple[Finding, ...], config: ConfigEvent
) -> Evaluation:
    at = config.ordering_time
    names = {item.arn, item.resource_name, item.resource_id} - {None}
    trail = next((t for t in inventory.trails if t.arn in names), None) or next(
        (t for t in inventory.trails if t.name in names and t.home_region == config.region),
        None,
    )
    if trail is None:
        if inventory.errors:  # the trail may exist but could not be listed: fail closed
            why = inventory.errors[0].describe()
            return unevaluated(TRAIL_RESOURCE_TYPE, item.resource_id, why, at)
        why = "the trail no longer exists"
        return not_applicable(TRAIL_RESOURCE_TYPE, item.resource_id, why, at)
    if trail.account_id != inventory.account_id:
        why = f"organization trail of account {trail.account_id}, evaluated there"
        return not_applicable(TRAIL_RESOURCE_TYPE, item.resource_id, why, at)
    if trail.home_region != config.region:
        why = f"evaluated in its home region {trail.home_region}"
        return not_applicable(TRAIL_RESOURCE_TYPE, item.resource_id, why, at)
    return trail_evaluation(trail.arn, findings, at, resource_id=item.resource_id)


def _unevaluated(config: ConfigEvent, why: str) -> list[Evaluation]:
    """Fail closed: the account (and the changed trail) NON_COMPLIANT, saying why."""
    at = config.ordering_time
    out = [unevaluated(ACCOUNT_RESOURCE_TYPE, config.account_id, why, at)]
    if config.item is not None:
        out.insert(0, unevaluated(config.item.resource_type, config.item.resource_id, why, at))
    return out


def _on_drift(event: Mapping[str, Any], factory: ClientFactory) -> dict[str, Any]:
    detail = event.get("detail")
    name = str(detail.get("eventName")) if isinstance(detail, Mapping) else ""
    if not is_drift_event(event):
        log.info("ignored %s %s: not a call that breaks the chain", event.get("source"), name)
        return {"drift": False, "eventName": name}
    rule = os.environ.get(RULE_NAME_ENV, "")
    region = factory.region_name or str(event.get("region") or "")
    if not rule or not region:
        raise EventError(
            f"{RULE_NAME_ENV} and AWS_REGION must name the Config rule and its region; "
            "deploy the function with `trailwarden lambda template`."
        )
    outcome = start_rule_evaluation(factory, region, rule)
    log.info("%s by %s: re-evaluation of %s %s", name, event.get("source"), rule, outcome.value)
    return {"drift": True, "eventName": name, "rule": rule, "evaluation": outcome.value}
