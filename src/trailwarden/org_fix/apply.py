"""Applying an organization's plan: each planned account's plan, as ``fix --apply`` applies
it in that account, with its own journal ``<account-id>.jsonl`` in one directory.

Accounts are applied at most ``max_workers`` at once; within an account, the steps run in
order, paced as a single-account apply paces them (CloudTrail's write limits are per
account and region). An account whose role cannot be assumed, or whose apply stops on an
AWS error (an AccessDenied of a role without write permissions), is reported as such; the
other accounts go on. Each journal is a single-account journal: signed, locked, of its
own account, undone by ``trailwarden rollback`` — the file, or the whole directory.
"""

from __future__ import annotations

import os
import shlex
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trailwarden.errors import EndpointError, Error, UsageError
from trailwarden.inventory import ApiError
from trailwarden.textsafe import printable
from trailwarden.words import count

if TYPE_CHECKING:
    from trailwarden.collect.account_sessions import AccountSessions
    from trailwarden.remediate import ApplyResult, JournalKey
    from trailwarden.remediate.render.org import AccountPlan, OrgPlan

__all__ = [
    "AccountApply",
    "OrgApplyResult",
    "apply_organization",
    "default_journal_dir",
    "directory_rollback_command",
    "journal_path",
    "prepare_journal_dir",
]


def default_journal_dir(now: datetime | None = None) -> Path:
    """``./trailwarden-journals-<UTC YYYYmmddTHHMMSSZ>``."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(f"trailwarden-journals-{stamp}")


def journal_path(directory: Path, account_id: str) -> Path:
    """Where an account's journal goes: ``<directory>/<account-id>.jsonl``."""
    return directory / f"{account_id}.jsonl"


def prepare_journal_dir(directory: Path, accounts: list[str]) -> None:
    """Create ``directory`` (mode 0700) unless it exists; refuse it when it is not a
    directory or already holds a journal of one of ``accounts`` (before any change)."""
    try:
        directory.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        if not directory.is_dir() or directory.is_symlink():
            raise UsageError(
                f"--journal-dir {directory} exists and is not a directory; pass a new "
                "directory name."
            ) from None
    except OSError as exc:
        raise UsageError(
            f"Cannot create the journal directory {directory}: {exc.strerror or exc}; choose "
            "a writable path with --journal-dir."
        ) from exc
    taken = [a for a in accounts if os.path.lexists(journal_path(directory, a))]
    if taken:
        raise UsageError(
            f"{directory} already holds the journal of account {taken[0]}; pass a new "
            "--journal-dir, so that no earlier apply's journal is lost."
        )


def directory_rollback_command(
    directory: Path,
    key: Path | None = None,
    role_name: str | None = None,
    external_id: str | None = None,
) -> str:
    """The command that undoes every account's apply journalled in ``directory``."""
    from trailwarden.collect.assume import DEFAULT_ROLE_NAME
    from trailwarden.remediate import key_path

    command = f"trailwarden rollback {shlex.quote(str(directory))}"
    if key is not None and key != key_path():
        command += f" --journal-key {shlex.quote(str(key))}"
    if role_name is not None and role_name != DEFAULT_ROLE_NAME:
        command += f" --role-name {shlex.quote(role_name)}"
    if external_id is not None:
        command += f" --external-id {shlex.quote(external_id)}"
    return command


@dataclass(frozen=True)
class AccountApply:
    """One account's apply: its result, or why it could not start."""

    account: AccountPlan
    result: ApplyResult | None = None
    problem: str | None = None  # the account's role could not be assumed, …

    @property
    def ok(self) -> bool:
        return self.result is not None and self.result.ok

    def summary(self) -> str:
        """Its lines of the summary (outside text escaped)."""
        head = printable(self.account.heading)
        if self.result is None:
            return f"{head}: failed, nothing changed: {printable(self.problem or '')}"
        if self.result.ok:
            return f"{head}: applied {count(len(self.result.done), 'change')}."
        lines = self.result.summary().splitlines()
        return "\n".join([f"{head}: failed.", *(f"  {line}" for line in lines)])


@dataclass(frozen=True)
class OrgApplyResult:
    """Every planned account's apply, in the plan's order of accounts."""

    directory: Path
    applies: tuple[AccountApply, ...]
    rollback_command: str
    nothing_to_do: tuple[AccountPlan, ...] = ()
    not_planned: tuple[AccountPlan, ...] = ()  # could not be scanned or reached: failed

    @property
    def ok(self) -> bool:
        return all(a.ok for a in self.applies) and not self.not_planned

    def summary(self) -> str:
        """Per account: applied N / failed (why) / nothing to do; then how to undo."""
        lines = [a.summary() for a in self.applies]
        lines += [f"{printable(a.heading)}: nothing to do." for a in self.nothing_to_do]
        lines += [
            printable(f"{a.heading}: failed, not planned: {a.problem}") for a in self.not_planned
        ]
        failed = sum(not a.ok for a in self.applies) + len(self.not_planned)
        applied = sum(len(a.result.done) for a in self.applies if a.result is not None)
        done = len(self.applies) - sum(not a.ok for a in self.applies)
        head = f"Applied {count(applied, 'change')} in {count(done, 'account')}"
        head += f"; {count(failed, 'account')} failed." if failed else "."
        journals = sorted(p.name for p in self.directory.glob("*.jsonl"))
        undo = f"Journals in {self.directory} ({', '.join(journals) or 'none'})."
        undo += f" To undo every account's changes: {self.rollback_command}"
        return "\n".join([*lines, printable(head), printable(undo)])


def apply_organization(
    plan: OrgPlan,
    sessions: AccountSessions,
    directory: Path,
    key: JournalKey,
    *,
    max_workers: int,
    rollback_command: str,
) -> OrgApplyResult:
    """Apply every planned account's plan (see the module docstring); ``directory`` must
    be ready (:func:`prepare_journal_dir`). Only an endpoint that is silent or not AWS,
    and Ctrl-C, end the run early (accounts not begun are not begun)."""
    planned = plan.planned
    pool = ThreadPoolExecutor(max_workers, thread_name_prefix="trailwarden-apply")
    try:
        futures: dict[Future[AccountApply], int] = {
            pool.submit(_apply_account, a, sessions, directory, key): i
            for i, a in enumerate(planned)
        }
        done: dict[int, AccountApply] = {}
        for future in as_completed(futures):
            done[futures[future]] = future.result()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    quiet = tuple(a for a in plan.accounts if a.plan is not None and not a.plan.steps)
    applies = tuple(done[i] for i in range(len(planned)))
    return OrgApplyResult(directory, applies, rollback_command, quiet, plan.failed)


def _apply_account(
    account: AccountPlan, sessions: AccountSessions, directory: Path, key: JournalKey
) -> AccountApply:
    from trailwarden.remediate import apply_plan

    assert account.plan is not None
    factory = sessions.factory(account.account_id, account.role_arn, account.external_id)
    if isinstance(factory, ApiError):
        return AccountApply(account, problem=factory.describe())
    try:
        result = apply_plan(
            account.plan, factory, journal_path(directory, account.account_id), key=key
        )
    except EndpointError:
        raise  # the endpoint, not this account: the whole run stops (as a scan does)
    except Error as exc:
        # A user error in this account (its credentials are another account's, its
        # journal cannot be created): that account's failure, the others go on.
        return AccountApply(account, problem=str(exc))
    return AccountApply(account, result)
