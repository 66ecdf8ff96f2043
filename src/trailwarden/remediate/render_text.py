"""The plan for people: per trail, numbered steps with before → after, the permissions they
need and why; then what was skipped, the diagnoses, and one closing line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, assert_never

from trailwarden.checks.iam_policy import allowed_principals
from trailwarden.remediate.model import Action, Plan, Step

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["closing_line", "describe_step", "render_plan"]

_NONE = "(none)"


def render_plan(plan: Plan, console: Console) -> None:
    from rich.padding import Padding
    from rich.text import Text

    def indented(text: Text | str, indent: int = 5, style: str = "") -> None:
        line = text if isinstance(text, Text) else Text(text, style=style)
        console.print(Padding(line, (0, 0, 0, indent), expand=False))  # wraps keep the indent

    trails = dict.fromkeys([s.trail_arn for s in plan.steps] + [k.trail_arn for k in plan.skipped])
    for arn in trails:
        account = arn.removeprefix("AWS::::Account:")  # account-wide skips (TW1xx)
        title = f"Account {account}" if account != arn else f"Trail {_name(arn)}  {arn}"
        console.print(Text(title, style="bold cyan"))
        for step in (s for s in plan.steps if s.trail_arn == arn):
            headline, changes = describe_step(step)
            indented(Text.assemble(f"{step.id}. ", (headline, "bold")), 2)
            for change in changes:
                indented(change)
            indented(f"needs: {', '.join(step.permissions)}", style="dim")
            indented(f"why: {step.reason}", style="dim")
        reasons: dict[str, list[str]] = {}  # one line per reason, naming its checks
        for skip in (s for s in plan.skipped if s.trail_arn == arn):
            reasons.setdefault(skip.reason, []).append(skip.check_id)
        for reason, checks in reasons.items():
            head = Text.assemble(("skipped ", "yellow"), (", ".join(checks), "bold yellow"))
            indented(head.append(f": {reason}"), 2)
        console.print()
    if plan.diagnoses:
        console.print(Text("Diagnoses", style="bold"))
        for line in plan.diagnoses:
            indented(f"- {line}", 2)
        console.print()
    console.print(Text(closing_line(plan), style="bold"))


def closing_line(plan: Plan) -> str:
    n = len(plan.steps)
    if n:
        plural = "s" if n != 1 else ""
        return f"{n} change{plural} planned; nothing changed. Run with --apply to make them."
    if plan.skipped:
        return (
            f"Nothing to do: no change can be planned ({len(plan.skipped)} finding"
            f"{'s' if len(plan.skipped) != 1 else ''} skipped, see above)."
        )
    return "Nothing to do: no selected check fails on the selected trails."


def describe_step(step: Step) -> tuple[str, list[str]]:
    """(headline, before → after lines) of one step."""
    before, after = step.before or {}, step.after
    match step.action:
        case Action.CREATE_LOG_GROUP:
            kms = after.get("kms_key_id")
            return f"create log group {after.get('log_group_name')} in {step.region}", [
                f"(does not exist) → exists, tagged {_tags(after)}"
                + (f", encrypted with KMS key {kms}" if kms else ""),
            ]
        case Action.PUT_RETENTION_POLICY:
            days = before.get("retention_in_days")
            was = "not set (never expire)" if days is None else f"{days} days"
            return (
                f"set the retention of log group {after.get('log_group_name')} in {step.region}",
                [f"retention: {was} → {after.get('retention_in_days')} days"],
            )
        case Action.CREATE_ROLE:
            return f"create IAM role {after.get('role_name')}", [
                f"(does not exist) → exists, tagged {_tags(after)}",
                f"trusted by: {_trust(after.get('assume_role_policy'))}",
            ]
        case Action.PUT_ROLE_POLICY:
            prior = before.get("policy_document")
            was = _grants(prior) if prior else _NONE
            return (
                f"put inline policy {after.get('policy_name')} on role {after.get('role_name')}",
                [f"policy: {was}", f"      → {_grants(after.get('policy_document'))}"],
            )
        case Action.UPDATE_ASSUME_ROLE_POLICY:
            return f"update the trust policy of role {after.get('role_name')}", [
                f"trusted by: {_trust(before.get('assume_role_policy'))}",
                f"         → {_trust(after.get('assume_role_policy'))}",
            ]
        case Action.UPDATE_TRAIL:
            return f"update trail {_name(step.target)} in {step.region}", [
                _change(label, before.get(key), after.get(key))
                for label, key in (
                    ("CloudWatchLogsLogGroupArn", "cloud_watch_logs_log_group_arn"),
                    ("CloudWatchLogsRoleArn", "cloud_watch_logs_role_arn"),
                )
            ]
        case Action.START_LOGGING:
            return f"start logging on trail {_name(step.target)} in {step.region}", [
                "IsLogging: false → true"
            ]
        case Action.PUT_METRIC_FILTER:
            pattern = "(does not exist)" if step.before is None else before.get("filter_pattern")
            where = f"log group {after.get('log_group_name')} in {step.region}"
            return f"put metric filter {after.get('filter_name')} on {where}", [
                f"pattern: {pattern} → {after.get('filter_pattern')}",
                f"publishes: {_metrics(after)}",
            ]
        case Action.CREATE_TOPIC:
            return f"create SNS topic {after.get('name')} in {step.region}", [
                f"(does not exist) → exists, tagged {_tags(after)}"
            ]
        case Action.SUBSCRIBE:
            return f"subscribe {after.get('endpoint')} to SNS topic {_name(step.target)}", [
                f"{after.get('protocol')} subscription: (none) → pending confirmation by its "
                "recipient"
            ]
        case Action.PUT_METRIC_ALARM:
            prior = "(does not exist)" if step.before is None else "replaced"
            return f"put alarm {after.get('alarm_name')} in {step.region}", [
                f"{prior} → {after.get('statistic')} of {after.get('namespace')}/"
                f"{after.get('metric_name')} >= {after.get('threshold')} in "
                f"{after.get('period')} s, notifying {', '.join(after.get('alarm_actions', []))}"
            ]
        case Action.ENABLE_ALARM_ACTIONS:
            return f"enable the actions of alarm {_name(step.target)} in {step.region}", [
                "ActionsEnabled: false → true"
            ]
        case _:
            assert_never(step.action)


def _metrics(after: dict[str, Any]) -> str:
    return ", ".join(
        f"{t.get('metric_namespace')}/{t.get('metric_name')} = {t.get('metric_value')}"
        for t in after.get("metric_transformations", [])
    )


def _change(label: str, was: Any, now: Any) -> str:
    if was == now:
        return f"{label}: {now or _NONE} (unchanged)"
    return f"{label}: {was or _NONE} → {now or _NONE}"


def _name(arn: str) -> str:
    """A trail's, topic's or alarm's name from its ARN."""
    if ":alarm:" in arn:
        return arn.split(":alarm:", 1)[1]
    return arn.rsplit("/", 1)[-1] if "/" in arn else arn.rsplit(":", 1)[-1]


def _tags(after: dict[str, Any]) -> str:
    tags = after.get("tags") or {}
    return ", ".join(f"{k}={v}" for k, v in tags.items()) or _NONE


def _trust(document: Any) -> str:
    """Who may assume the role, and under which conditions (by Sid or statement)."""
    principals = ", ".join(allowed_principals(document, "sts:AssumeRole")) or "nobody"
    arns = sorted({v for s in _statements(document) for v in _condition_values(s, "aws:sourcearn")})
    return principals + (f" (only for {', '.join(arns)})" if arns else "")


def _grants(document: Any) -> str:
    """'allows A, B on R1, R2; …': Allow statements, those on the same resources merged."""
    by_resources: dict[str, list[str]] = {}
    for s in _statements(document):
        if s.get("Effect") == "Allow":
            actions = by_resources.setdefault(", ".join(_list(s.get("Resource"))), [])
            actions += _list(s.get("Action"))
    pairs = [f"{', '.join(actions)} on {where}" for where, actions in by_resources.items()]
    return "allows " + "; ".join(pairs) if pairs else "allows nothing"


def _list(value: Any) -> list[str]:
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [str(v) for v in items]


def _statements(document: Any) -> list[dict[str, Any]]:
    raw = document.get("Statement", []) if isinstance(document, dict) else []
    return [s for s in ([raw] if isinstance(raw, dict) else raw) if isinstance(s, dict)]


def _condition_values(statement: dict[str, Any], key: str) -> list[str]:
    out: list[str] = []
    for clauses in (statement.get("Condition") or {}).values():
        for k, v in clauses.items() if isinstance(clauses, dict) else ():
            if k.lower() == key:
                out += [v] if isinstance(v, str) else [x for x in v if isinstance(x, str)]
    return out
