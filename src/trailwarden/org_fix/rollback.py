"""Rolling back a directory of journals (``trailwarden rollback DIR``), as ``fix --org
--apply --journal-dir DIR`` wrote it: one single-account rollback per journal.

Every ``*.jsonl`` file in the directory is a journal, and every one is read, verified and
validated (:func:`~trailwarden.remediate.read_journal`) before any account is touched: a
journal changed by anyone, anywhere in the directory, stops the whole rollback before any
AWS call. Other files (a saved plan, notes) are left alone. Each account is then rolled
back with its own credentials: the caller's for the caller's own account, else the role
assumed in the account the journal names (``--role-name``, ``--external-id``); and each
single-account rollback checks those credentials' account against its journal again.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trailwarden.collect.assume import role_arn
from trailwarden.errors import EndpointError, Error, JournalError, UsageError
from trailwarden.inventory import ApiError
from trailwarden.textsafe import printable
from trailwarden.words import count

if TYPE_CHECKING:
    from trailwarden.collect.account_sessions import AccountSessions
    from trailwarden.remediate import JournalKey, JournalState, RollbackResult

__all__ = ["AccountRollback", "OrgRollbackResult", "read_journal_dir", "rollback_directory"]


def read_journal_dir(directory: Path, key: JournalKey | None) -> tuple[JournalState, ...]:
    """Every journal of ``directory``, verified and validated, by account; raises
    :class:`~trailwarden.errors.JournalError` naming the first that cannot be trusted."""
    from trailwarden.remediate import read_journal

    try:
        names = sorted(p for p in directory.iterdir() if p.name.endswith(".jsonl"))
    except OSError as exc:
        raise UsageError(
            f"Cannot read the directory {directory}: {exc.strerror or exc}; check the path."
        ) from exc
    if not names:
        raise UsageError(
            f"{directory} holds no journal (*.jsonl file); pass the --journal-dir of a "
            "fix --org --apply, or one journal file."
        )
    states: dict[str, JournalState] = {}
    for path in names:
        if path.is_symlink() or not path.is_file():
            raise JournalError(
                f"{path} is not a regular file, so trailwarden refuses to roll back "
                f"{directory}; leave only the journals fix --apply wrote in it."
            )
        state = read_journal(path, key)
        if state.account_id in states:
            raise JournalError(
                f"{directory} holds two journals of account {state.account_id} "
                f"({states[state.account_id].path.name} and {path.name}); roll each back "
                "with trailwarden rollback FILE, the newest first."
            )
        states[state.account_id] = state
    return tuple(states.values())


@dataclass(frozen=True)
class AccountRollback:
    """One account's rollback: its result, or why it could not start."""

    state: JournalState
    result: RollbackResult | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.result is not None and self.result.ok

    def summary(self) -> str:
        head = f"Account {self.state.account_id}"
        if self.result is None:
            return printable(f"{head}: not rolled back: {self.problem}")
        lines = self.result.summary().splitlines()  # already escaped
        return "\n".join([f"{head}: {lines[0]}", *lines[1:]])


@dataclass(frozen=True)
class OrgRollbackResult:
    directory: Path
    rollbacks: tuple[AccountRollback, ...]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rollbacks)

    def summary(self) -> str:
        incomplete = [r.state.account_id for r in self.rollbacks if not r.ok]
        accounts = count(len(self.rollbacks), "account")
        if incomplete:
            tail = (
                f"Rollback incomplete in {', '.join(incomplete)}; fix the cause and run the "
                "same rollback again: it skips what is already undone."
            )
        else:
            tail = f"Rolled back {accounts} (journals in {self.directory})."
        return "\n".join([*(r.summary() for r in self.rollbacks), printable(tail)])


def rollback_directory(
    states: tuple[JournalState, ...],
    sessions: AccountSessions,
    partition: str,
    key: JournalKey,
    *,
    role_name: str,
    external_id: str | None,
    delete_used_log_groups: bool = False,
    max_workers: int = 8,
) -> OrgRollbackResult:
    """Roll back every journal of ``states`` (verified by :func:`read_journal_dir`), each
    account with its own credentials, ``max_workers`` accounts at once."""
    from trailwarden.remediate import rollback

    pool = ThreadPoolExecutor(max_workers, thread_name_prefix="trailwarden-rollback")

    def one(state: JournalState) -> AccountRollback:
        account = state.account_id
        arn = (
            None if account == sessions.caller_account else role_arn(partition, account, role_name)
        )
        factory = sessions.factory(account, arn, external_id)
        if isinstance(factory, ApiError):
            return AccountRollback(state, problem=factory.describe())
        try:
            result = rollback(
                state.path, factory, key=key, delete_used_log_groups=delete_used_log_groups
            )
        except EndpointError:
            raise
        except Error as exc:  # this account's journal or credentials: the others go on
            return AccountRollback(state, problem=str(exc))
        return AccountRollback(state, result)

    try:
        futures: dict[Future[AccountRollback], int] = {
            pool.submit(one, s): i for i, s in enumerate(states)
        }
        done = {futures[f]: f.result() for f in as_completed(futures)}
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    directory = states[0].path.parent
    return OrgRollbackResult(directory, tuple(done[i] for i in range(len(states))))
