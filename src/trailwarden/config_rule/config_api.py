"""The AWS Config calls of the rule: PutEvaluations (batched) and StartConfigRulesEvaluation.

Both go through the run's :class:`~trailwarden.collect.clients.ClientFactory`, so they are
counted, bounded in time and retried like the scan's reads: botocore's adaptive retry
mode already backs off on ``LimitExceededException``, which is also how AWS Config says
"an evaluation of this rule is still running"
(https://docs.aws.amazon.com/config/latest/APIReference/API_StartConfigRulesEvaluation.html).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING

from trailwarden.collect.calls import AwsCallError, api_error, error_code
from trailwarden.config_rule.evaluations import Evaluation, batches
from trailwarden.errors import Error

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["ReportError", "Started", "put_evaluations", "start_rule_evaluation"]


class ReportError(Error):
    """AWS Config did not take the rule's evaluations, or its re-evaluation request."""


class Started(enum.Enum):
    """What became of a request to re-evaluate the rule."""

    STARTED = "started"
    # An evaluation of the rule is still running (LimitExceededException after botocore's
    # retries): it reads the account as it is now, so nothing is lost; the next periodic
    # run is the backstop.
    ALREADY_RUNNING = "already running"


def put_evaluations(
    factory: ClientFactory,
    region: str,
    result_token: str,
    evaluations: Sequence[Evaluation],
    *,
    test_mode: bool,
) -> int:
    """Report ``evaluations`` with the event's result token, 100 per call; the number of
    calls made. Raises :class:`ReportError` when AWS Config refuses any of them."""
    calls = 0
    for batch in batches(evaluations):
        try:
            response = factory.client("config", region).put_evaluations(
                Evaluations=[e.to_api() for e in batch],
                ResultToken=result_token,
                TestMode=test_mode,
            )
        except AwsCallError as exc:
            what = api_error(exc, "config:PutEvaluations", region).describe().rstrip(".")
            raise ReportError(
                f"AWS Config did not take the evaluations: {what}; check that the function's "
                "role may call config:PutEvaluations."
            ) from exc
        calls += 1
        failed = response.get("FailedEvaluations") or []
        if failed:
            ids = ", ".join(str(f.get("ComplianceResourceId")) for f in failed[:3])
            raise ReportError(
                f"AWS Config rejected {len(failed)} of {len(batch)} evaluations ({ids}); "
                "see the function's log for the evaluations sent."
            )
    return calls


def start_rule_evaluation(factory: ClientFactory, region: str, rule_name: str) -> Started:
    """Ask AWS Config to evaluate ``rule_name`` now (StartConfigRulesEvaluation)."""
    try:
        factory.client("config", region).start_config_rules_evaluation(ConfigRuleNames=[rule_name])
    except AwsCallError as exc:
        if error_code(exc) == "LimitExceededException":
            return Started.ALREADY_RUNNING
        what = api_error(exc, "config:StartConfigRulesEvaluation", region).describe()
        raise ReportError(
            f"Could not start an evaluation of the Config rule {rule_name!r}: "
            f"{what.rstrip('.')}; check the rule's name in TRAILWARDEN_CONFIG_RULE_NAME and "
            "the function's permissions."
        ) from exc
    return Started.STARTED
