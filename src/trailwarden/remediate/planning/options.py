"""What ``trailwarden fix`` may change: :class:`FixOptions`, checked when it is made."""

from __future__ import annotations

import re
from dataclasses import dataclass

from trailwarden.arns import parse_arn
from trailwarden.errors import UsageError
from trailwarden.remediate.policies import RETENTION_DAYS, log_group_name_problem

__all__ = ["FILTER_TEXTS", "FixOptions"]

FILTER_TEXTS = ("corrected", "cis-exact")


@dataclass(frozen=True)
class FixOptions:
    """What ``trailwarden fix`` may change; invalid values raise :class:`UsageError`."""

    log_group_name: str | None = None  # for the one trail that needs a log group
    retention_days: int = 365
    kms_key_id: str | None = None  # a KMS key ARN, for log groups trailwarden creates
    trails: frozenset[str] | None = None  # names or ARNs; None: every trail
    checks: frozenset[str] | None = None  # check ids; None: every check
    alarm_topic_arn: str | None = None  # SNS topic for the TW101–TW115 alarms, to reuse
    alarm_email: str | None = None  # address to subscribe to that topic
    # TW101–TW115 filters: "corrected" (CIS v2.0, parenthesised as CIS intends) or
    # "cis-exact" (the CIS text Security Hub's CloudWatch.1–14 compare, where it is correct).
    filter_text: str = "corrected"
    # fix --org: the accounts planned in the same run. What only one of them can change
    # (its organization trail, the filters on its log group) is left to its plan, and a
    # member's plan says so instead of sending the user to run fix there.
    accounts_in_run: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        _check_alarm_options(self.alarm_topic_arn, self.alarm_email)
        if self.filter_text not in FILTER_TEXTS:
            raise UsageError(
                f"--filter-text must be one of {', '.join(FILTER_TEXTS)}, not {self.filter_text!r}."
            )
        if self.retention_days not in RETENTION_DAYS:
            raise UsageError(
                f"--retention-days must be one of the values CloudWatch Logs accepts "
                f"({', '.join(map(str, RETENTION_DAYS))}), not {self.retention_days}."
            )
        if self.log_group_name is not None and (
            problem := log_group_name_problem(self.log_group_name)
        ):
            raise UsageError(f"--log-group-name: {problem}.")
        key = parse_arn(self.kms_key_id) if self.kms_key_id is not None else None
        if self.kms_key_id is not None and (
            key is None or key.service != "kms" or not key.resource.startswith("key/")
        ):
            # CreateLogGroup takes the key's ARN, not its id or an alias.
            # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
            raise UsageError(
                f"--kms-key-id must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), "
                f"not {self.kms_key_id!r}."
            )
        if self.checks is not None:
            from trailwarden.checks import get_check

            object.__setattr__(self, "checks", frozenset(get_check(c).id for c in self.checks))


def _check_alarm_options(topic: str | None, email: str | None) -> None:
    arn = parse_arn(topic) if topic is not None else None
    if topic is not None and (
        arn is None
        or arn.service != "sns"
        or not (arn.region and arn.account_id.isdigit() and len(arn.account_id) == 12)
        or not _TOPIC_NAME.fullmatch(arn.resource)
    ):
        # https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (topic names)
        raise UsageError(
            f"--alarm-topic-arn must be an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME), "
            f"not {topic!r}."
        )
    if email is not None and not _EMAIL.fullmatch(email):
        raise UsageError(
            f"--alarm-email must be an email address (name@example.com), not {email!r}."
        )


_TOPIC_NAME = re.compile(r"[A-Za-z0-9_-]{1,256}(\.fifo)?")
_EMAIL = re.compile(r"[^@\s,;]+@[^@\s,;.]+(\.[^@\s,;.]+)+")


def elsewhere(owner: str, options: FixOptions, done: str, todo: str = "") -> str:
    """Where a change that only account ``owner`` can make is made: by its plan in this
    run (``fix --org``: "the plan of account … in this run ``done``"), or by the user
    running fix there ("run trailwarden fix in that account``todo``")."""
    if owner in options.accounts_in_run:
        return f"the plan of account {owner} in this run {done}, once for every account"
    return f"run trailwarden fix in that account{todo}"
