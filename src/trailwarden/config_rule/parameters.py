"""The Config rule's parameters (``ruleParameters``): parsed and validated, never guessed.

AWS Config hands a custom rule its parameters as one JSON string of names to values
(``InputParameters`` of the rule; the console and CloudFormation give every value as a
string): https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_lambda-functions.html
A misspelt name or a bad value is a :class:`RuleParameterError`, which the handler
reports as a NON_COMPLIANT evaluation saying the rule is misconfigured — a rule that
silently fell back to defaults would look healthy while judging something else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from trailwarden.checks import CheckOptions
from trailwarden.durations import format_duration, parse_duration
from trailwarden.errors import Error

__all__ = ["PARAMETER_DEFAULTS", "RuleParameterError", "RuleParameters", "parse_rule_parameters"]

# Name → default, as the templates declare them and the README documents them.
PARAMETER_DEFAULTS = {
    "MinRetentionDays": "365",  # TW007, like `scan --min-retention-days`
    "MaxDeliveryAge": "24h",  # TW004, like `scan --max-delivery-age`
    "Monitoring": "true",  # TW101–TW115, like `scan --no-monitoring` when "false"
}
_MAX_RETENTION_DAYS = 3653  # CloudWatch Logs keeps ten years at most
# A trail that delivered nothing for a year is not "delivering"; larger values are typos.
_MAX_DELIVERY_AGE = timedelta(days=365)


class RuleParameterError(Error):
    """A rule parameter that is unknown or has a value the rule cannot use."""


@dataclass(frozen=True)
class RuleParameters:
    """What the rule is asked to judge with (the defaults are `trailwarden scan`'s)."""

    min_retention_days: int = 365
    max_delivery_age: timedelta = timedelta(hours=24)
    monitoring: bool = True

    def check_options(self) -> CheckOptions:
        """The same options `trailwarden scan` would be given."""
        return CheckOptions(
            max_delivery_age=self.max_delivery_age,
            min_retention_days=self.min_retention_days,
            monitoring=self.monitoring,
        )

    def describe(self) -> str:
        """One line for the logs, e.g. ``MinRetentionDays=365, MaxDeliveryAge=1 day, …``."""
        return (
            f"MinRetentionDays={self.min_retention_days}, "
            f"MaxDeliveryAge={format_duration(self.max_delivery_age)}, "
            f"Monitoring={str(self.monitoring).lower()}"
        )


def parse_rule_parameters(text: object) -> RuleParameters:
    """The parameters in the event's ``ruleParameters`` (absent or ``"{}"``: the defaults).

    An empty value means the default (the console leaves cleared fields as ``""``).
    Raises :class:`RuleParameterError` naming the parameter and what it accepts.
    """
    if text is None or (isinstance(text, str) and not text.strip()):
        return RuleParameters()
    if not isinstance(text, str):  # AWS Config always sends a string; a hand-made event may not
        raise RuleParameterError(
            "The event's ruleParameters must be a JSON string, as AWS Config sends them."
        )
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleParameterError(
            f"The rule's parameters are not JSON ({exc.msg}); set them as "
            '{"MinRetentionDays": "365", "MaxDeliveryAge": "24h", "Monitoring": "true"}.'
        ) from exc
    if not isinstance(raw, dict):
        raise RuleParameterError(
            "The rule's parameters must be a JSON object of names to values; set them as "
            '{"MinRetentionDays": "365", "MaxDeliveryAge": "24h", "Monitoring": "true"}.'
        )
    unknown = sorted(str(k) for k in raw if k not in PARAMETER_DEFAULTS)
    if unknown:
        raise RuleParameterError(
            f"The rule has no parameter {', '.join(repr(u) for u in unknown)}; its "
            f"parameters are {', '.join(PARAMETER_DEFAULTS)} (names are case-sensitive)."
        )
    values = {name: _text(raw.get(name), name) or PARAMETER_DEFAULTS[name] for name in raw}
    merged = {**PARAMETER_DEFAULTS, **values}
    return RuleParameters(
        min_retention_days=_retention(merged["MinRetentionDays"]),
        max_delivery_age=_age(merged["MaxDeliveryAge"]),
        monitoring=_flag(merged["Monitoring"]),
    )


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RuleParameterError(
            f"The rule parameter {name} must be a string, not {json.dumps(value)[:40]}; "
            f"for example {PARAMETER_DEFAULTS[name]!r}."
        )
    return str(value).strip()


def _retention(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= _MAX_RETENTION_DAYS:
        raise RuleParameterError(
            f"The rule parameter MinRetentionDays must be a whole number of days from 1 to "
            f"{_MAX_RETENTION_DAYS}, not {text[:40]!r}; for example '365'."
        )
    return int(text)


def _age(text: str) -> timedelta:
    try:
        age = parse_duration(text)
    # parse_duration overflows on absurd numbers ("999999999999" hours) instead of saying so.
    except (Error, OverflowError) as exc:
        age = None
        cause: BaseException | None = exc
    else:
        cause = None
    if age is None or not timedelta(0) < age <= _MAX_DELIVERY_AGE:
        raise RuleParameterError(
            f"The rule parameter MaxDeliveryAge must be a duration from 1s to 365d such as "
            f"'24h', '90m' or '2d', not {text[:40]!r}."
        ) from cause
    return age


def _flag(text: str) -> bool:
    lowered = text.lower()
    if lowered not in ("true", "false"):
        raise RuleParameterError(
            f"The rule parameter Monitoring must be 'true' or 'false', not {text[:40]!r}."
        )
    return lowered == "true"
