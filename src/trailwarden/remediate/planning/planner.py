"""The planning pass behind :func:`.plan.make_plan` and :func:`.plan.wanted_resources`.

One pass over the selected trails, in inventory order, then the monitoring checks. Every
inventory lookup goes through :meth:`.PlanContext.group` / :meth:`.PlanContext.role`, which
remember what was missing: that list is what :func:`.plan.wanted_resources` returns.

Every failing finding ends up in the plan: fixed by steps, diagnosed, or skipped with the
reason — also those that ``--check`` or ``--trail`` leave out, so that a plan never reads
"nothing to do" while a check still fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from trailwarden.arns import parse_log_group_arn
from trailwarden.errors import UsageError
from trailwarden.findings import Finding, Status
from trailwarden.inventory import Trail
from trailwarden.monitoring import CLASSES_BY_ID
from trailwarden.remediate.changes.put_retention_policy import PutRetentionPolicy, deletes_older
from trailwarden.remediate.changes.start_logging import StartLogging
from trailwarden.remediate.model import Action, Plan, Skip, Step
from trailwarden.remediate.planning.context import PlanContext
from trailwarden.remediate.planning.integration import INTEGRATION, plan_integration
from trailwarden.remediate.planning.monitoring import MonitoringPlan, plan_monitoring
from trailwarden.remediate.planning.options import elsewhere

__all__ = ["ORDER", "Planner"]

# The contract's order within a trail: what a step needs exists before it runs.
ORDER = {action: i for i, action in enumerate(Action)}

_CAUSES = ("TW001", "TW002", "TW003", "TW006")  # what TW004/TW005 failures are explained by


def _account(account_id: str) -> str:
    """The resource id of the account's findings (TW010, TW101–TW115)."""
    return f"AWS::::Account:{account_id}"


class Planner(PlanContext):
    """Plans once (:meth:`run`); what the inventory lacked is left in the context."""

    # -- the pass --------------------------------------------------------------------------
    def run(self) -> Plan:
        seen: set[str] = set()
        for trail in self.inventory.trails:
            if trail.arn not in seen and self.selected(trail):
                seen.add(trail.arn)
                self._trail(trail)
        monitoring = self._monitoring()
        if len(self.named_group_for) > 1:
            raise UsageError(
                f"--log-group-name names one log group, but {len(self.named_group_for)} trails "
                "need one; choose one trail with --trail."
            )
        steps = tuple(replace(s, id=str(i)) for i, s in enumerate(self.steps, 1))
        skipped = (*self.skips, *monitoring.skips)
        # A failing TW004/TW005, and TW010 in scope, are always diagnosed (_diagnoses).
        diagnosed = {(t.arn, cid) for t, cid in self.explain} | set(monitoring.diagnosed)
        tw010 = self.findings.get(_account(self.inventory.account_id), {}).get("TW010")
        if tw010 is not None and tw010.status is Status.FAIL and self.in_scope("TW010"):
            diagnosed.add((tw010.resource_id, "TW010"))
        left = self._left_over(steps, skipped, diagnosed)
        return Plan(
            account_id=self.inventory.account_id,
            steps=steps,
            skipped=(*skipped, *left),
            diagnoses=(*self._diagnoses(steps), *monitoring.diagnoses),
        )

    def _left_over(
        self, steps: Sequence[Step], skipped: Sequence[Skip], diagnosed: set[tuple[str, str]]
    ) -> list[Skip]:
        """A skip, with the reason, for each failing finding no step, skip or diagnosis
        answers: left out by --check or --trail, or one no change of trailwarden's fixes."""
        account = _account(self.inventory.account_id)
        covered = {(s.trail_arn, c) for s in steps for c in s.fixes} | diagnosed
        covered |= {(s.trail_arn, s.check_id) for s in skipped}
        # The monitoring checks are the account's findings, whatever trail their steps name.
        answered = [*(c for s in steps for c in s.fixes), *(s.check_id for s in skipped)]
        covered |= {(account, c) for c in answered if c in CLASSES_BY_ID}
        left = []
        for resource, found in self.findings.items():
            for cid, f in sorted(found.items()):
                if f.status not in (Status.FAIL, Status.ERROR) or (resource, cid) in covered:
                    continue
                trail = next((t for t in self.inventory.trails if t.arn == resource), None)
                if not self.in_scope(cid):
                    checks = ", ".join(sorted(self.options.checks or ()))
                    why = (
                        f"not selected: this fix is for --check {checks} only; run it with "
                        "that check too, or without --check, to plan it."
                    )
                elif trail is not None and not self.selected(trail):
                    names = ", ".join(sorted(self.options.trails or ()))
                    why = (
                        f"not selected: this fix is for --trail {names} only; run it for "
                        f"trail {trail.name} too to plan it."
                    )
                elif f.status is Status.ERROR:
                    why = (
                        f"{cid} could not be evaluated ({f.message.rstrip('.')}), so "
                        "trailwarden plans no change for it."
                    )
                else:
                    why = f"no change of trailwarden's makes it pass (trailwarden explain {cid})."
                left.append(Skip(cid, resource, why))
        # Deterministic whatever the findings' order: trails, then the account.
        return sorted(left, key=lambda k: (k.trail_arn == account, k.trail_arn, k.check_id))

    def _monitoring(self) -> MonitoringPlan:
        """TW101–TW115, after every trail's steps: their filters go on TW010's log group."""
        account = {
            cid: f
            for found in self.findings.values()
            for cid, f in found.items()
            if cid == "TW010" or (cid in CLASSES_BY_ID and self.in_scope(cid))
        }
        planned = plan_monitoring(self.inventory, account, self.options, self.selected)
        self.steps += planned.steps
        self.missing_topics = planned.wanted_topics
        return planned

    def _trail(self, trail: Trail) -> None:
        found = self.findings.get(trail.arn, {})
        bad = {
            cid: f
            for cid, f in sorted(found.items())
            if self.in_scope(cid) and f.status in (Status.FAIL, Status.ERROR)
        }
        if trail.account_id != self.inventory.account_id:
            # https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
            self.skip(
                bad,
                trail,
                f"Organization trail {trail.name} belongs to account {trail.account_id}, the "
                "organization's management account: it can be changed only from there (or by "
                f"a delegated administrator), not from account {self.inventory.account_id}; "
                f"{elsewhere(trail.account_id, self.options, 'changes it')}.",
            )
            return
        failing = set()
        for cid, f in bad.items():
            if f.status is Status.ERROR:
                why = f"{cid} could not be evaluated ({f.message.rstrip('.')})"
                self.skip([cid], trail, f"{why}, so trailwarden plans no change for it.")
            else:
                failing.add(cid)
        pending: list[Step] = []
        if failing & INTEGRATION:
            pending += plan_integration(self, trail, failing)
        if "TW007" in failing:
            pending += self._tw007(trail, pending)
        if "TW006" in failing:
            reason = (
                f"Start logging on trail {trail.name} in {trail.home_region}, because "
                f"{self.because(trail, ['TW006'])}."
            )
            pending.append(StartLogging.build(trail, ("TW006",), reason))
        self.steps += sorted(pending, key=lambda s: ORDER[s.action])
        self.explain += [(trail, cid) for cid in ("TW004", "TW005") if cid in failing]

    def _tw007(self, trail: Trail, pending: Sequence[Step]) -> list[Step]:
        config = trail.config
        ref = parse_log_group_arn(config.log_group_arn or "") if config else None
        group = self.inventory.log_group(ref.key) if ref else None
        if ref is None or group is None:
            return []
        if self.has_step(Action.PUT_RETENTION_POLICY, ref.key, pending):
            return []  # another trail's step already sets it
        days, now = self.options.retention_days, group.retention_in_days
        if now is not None and now >= days:
            reason = (
                f"Log group {ref.name} keeps events {now} days; --retention-days {days} would "
                "shorten that, which trailwarden never does."
            )
            self.skip(["TW007"], trail, reason)
            return []
        reason = (
            f"Set the retention of log group {ref.name} to {days} days, because "
            f"{self.because(trail, ['TW007'])}{deletes_older(now, days)}."
        )
        return [PutRetentionPolicy.build(trail, ref, now, days, ("TW007",), reason)]

    def _diagnoses(self, steps: Sequence[Step]) -> tuple[str, ...]:
        out = []
        for trail, cid in self.explain:
            found = self.findings[trail.arn]
            head = f"Trail {trail.name}, {cid}: {found[cid].message.rstrip('.')}."
            causes = [c for c in _CAUSES if (f := found.get(c)) and f.status is Status.FAIL]
            if not causes:
                out.append(
                    f"{head} Its configuration shows no cause (TW002, TW003 and TW006 pass), so "
                    "this plan changes nothing for it: look for a service control policy or KMS "
                    "key policy that denies delivery, or wait for the next delivery."
                )
                continue
            believed = "; ".join(f"{c}: {found[c].message.rstrip('.')}" for c in causes)
            ids = [s.id for s in steps if s.trail_arn == trail.arn and set(s.fixes) & set(causes)]
            fix = (
                f"Addressed by step{'s' if len(ids) > 1 else ''} {', '.join(ids)}."
                if ids
                else "No step of this plan addresses it (see the skipped items and --check)."
            )
            out.append(f"{head} The plan believes the cause is {believed}. {fix}")
        account = [fs["TW010"] for fs in self.findings.values() if "TW010" in fs]
        if account and account[0].status is Status.FAIL and self.in_scope("TW010"):
            out.append(self._tw010(account[0], steps))
        return tuple(out)

    def _tw010(self, finding: Finding, steps: Sequence[Step]) -> str:
        head = f"Account {self.inventory.account_id}, TW010: {finding.message.rstrip('.')}."
        fixed = [
            t.name
            for t in self.inventory.trails
            if t.config and t.config.is_multi_region and any(s.trail_arn == t.arn for s in steps)
        ]
        if fixed:
            return f"{head} The steps for multi-region trail {', '.join(fixed)} may make it pass."
        return (
            f"{head} No step addresses it: trailwarden fix neither creates trails nor changes "
            "event selectors (trailwarden explain TW010)."
        )
