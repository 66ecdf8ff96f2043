"""AWS Config and EventBridge as AWS documents them, where moto (5.x) falls short.

- PutEvaluations: moto accepts it only with ``TestMode`` (it has no result tokens). Here
  it validates what AWS validates (1–100 evaluations, a token) and records every call, so
  that a test or the benchmark can read what the rule reported.
  https://docs.aws.amazon.com/config/latest/APIReference/API_PutEvaluations.html
- StartConfigRulesEvaluation: not in moto. Here it records the rule names; while
  :func:`set_evaluation_running` is on it answers ``LimitExceededException``, as AWS does
  when an evaluation of the rule started earlier has not finished.
  https://docs.aws.amazon.com/config/latest/APIReference/API_StartConfigRulesEvaluation.html
- TestEventPattern: moto answers nothing. Here it matches with moto's own EventBridge
  pattern engine (the one its rules use).
  https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ReportedEvaluations",
    "clear_config",
    "put_evaluations",
    "reported_evaluations",
    "set_evaluation_running",
    "start_config_rules_evaluation",
    "started_evaluations",
    "test_event_pattern",
]


@dataclass(frozen=True)
class ReportedEvaluations:
    """One PutEvaluations call as the simulated AWS Config received it."""

    account_id: str
    region: str
    result_token: str
    test_mode: bool
    evaluations: tuple[dict[str, Any], ...]


_lock = threading.Lock()
_reported: list[ReportedEvaluations] = []
_started: list[str] = []
_running = [False]


def clear_config() -> None:
    with _lock:
        _reported.clear()
        _started.clear()
        _running[0] = False


def reported_evaluations() -> list[ReportedEvaluations]:
    """Every PutEvaluations call so far, oldest first."""
    with _lock:
        return list(_reported)


def started_evaluations() -> list[str]:
    """The rule names of every StartConfigRulesEvaluation call that started one."""
    with _lock:
        return list(_started)


def set_evaluation_running(running: bool) -> None:
    """Make StartConfigRulesEvaluation answer LimitExceededException (or stop)."""
    with _lock:
        _running[0] = running


def put_evaluations(self: Any) -> str:
    """``ConfigResponse.put_evaluations``: validate, record, accept every evaluation."""
    from moto.config.exceptions import InvalidParameterValueException, InvalidResultTokenException

    evaluations = self._get_param("Evaluations") or []
    token = self._get_param("ResultToken")
    if not token:
        raise InvalidResultTokenException()
    if not 1 <= len(evaluations) <= 100:
        raise InvalidParameterValueException(
            f"Evaluations must hold 1 to 100 evaluations, not {len(evaluations)}."
        )
    record = ReportedEvaluations(
        self.current_account,
        self.region,
        token,
        bool(self._get_param("TestMode")),
        tuple(evaluations),
    )
    with _lock:
        _reported.append(record)
    return json.dumps({"FailedEvaluations": []})


def start_config_rules_evaluation(self: Any) -> str:
    """``ConfigResponse.start_config_rules_evaluation``: record, or refuse while running."""
    from moto.core.exceptions import JsonRESTError

    names = self._get_param("ConfigRuleNames") or []
    with _lock:
        if _running[0]:
            raise JsonRESTError(
                "LimitExceededException",
                "An evaluation of this rule is already in progress; try again later.",
            )
        _started.extend(names)
    return json.dumps({})


def test_event_pattern(self: Any) -> str:
    """``EventsHandler.test_event_pattern`` with moto's pattern engine."""
    from moto.events.models import EventPattern

    pattern = EventPattern.load(self._get_param("EventPattern"))
    event = json.loads(self._get_param("Event"))
    return json.dumps({"Result": pattern.matches_event(event)})
