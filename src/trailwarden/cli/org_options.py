"""The options of an organization scan (``--org``, ``--accounts-file`` and their narrowing),
and how they become an :class:`~trailwarden.collect.org_collect.OrgRequest`.

Shared by ``scan`` and (next) ``fix``: an organization is chosen the same way for both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from trailwarden.cli.options import apply_options, split_items
from trailwarden.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from trailwarden.collect.org_collect import OrgRequest

__all__ = ["org_options", "org_request"]

F = TypeVar("F", bound="Callable[..., Any]")


def org_options(func: F) -> F:
    """``--org`` and the options that say which accounts, and how to reach them."""
    return apply_options(
        func,
        [
            click.option(
                "--org",
                is_flag=True,
                help="Every account of the AWS Organization (run as its management account "
                "or a delegated administrator).",
            ),
            click.option(
                "--ou",
                "ous",
                multiple=True,
                metavar="OU_ID",
                help="With --org: only the accounts under this OU or root, recursively "
                "(repeatable).",
            ),
            click.option(
                "--accounts",
                "accounts",
                multiple=True,
                metavar="ID[,ID]",
                help="With --org or --accounts-file: only these accounts.",
            ),
            click.option(
                "--exclude-accounts",
                multiple=True,
                metavar="ID[,ID]",
                help="With --org or --accounts-file: not these accounts.",
            ),
            click.option(
                "--accounts-file",
                type=click.Path(dir_okay=False, path_type=Path),
                help="The accounts to scan, in c7n-org's accounts.yml format (no "
                "Organizations access needed).",
            ),
            click.option(
                "--role-name",
                metavar="NAME",
                help="The role to assume in each member account "
                "(default: OrganizationAccountAccessRole).",
            ),
            click.option(
                "--external-id", metavar="ID", help="The external id the member roles require."
            ),
            click.option(
                "--max-workers",
                type=click.IntRange(min=1, max=256),
                metavar="N",
                help="Accounts scanned at once (default: 32).",
            ),
        ],
    )


_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")


def _account_ids(option: str, values: Iterable[str]) -> frozenset[str]:
    ids = split_items(option, values, "account id")
    bad = [i for i in ids if not _ACCOUNT_ID.match(i)]
    if bad:
        raise UsageError(f"{option} {bad[0]!r} is not a 12-digit AWS account id.")
    return frozenset(ids)


def org_request(
    org: bool,
    ous: tuple[str, ...],
    accounts: tuple[str, ...],
    exclude_accounts: tuple[str, ...],
    accounts_file: Path | None,
    role_name: str | None,
    external_id: str | None,
    max_workers: int | None,
    regions: list[str] | None,
) -> OrgRequest | None:
    """The organization scan the options ask for; None for a single-account scan."""
    from trailwarden.collect.accounts_file import load_accounts_file
    from trailwarden.collect.assume import DEFAULT_ROLE_NAME, EXTERNAL_ID, ROLE_NAME
    from trailwarden.collect.org_collect import DEFAULT_MAX_WORKERS, OrgRequest
    from trailwarden.collect.organization import validate_ou_id

    org = org or bool(ous)  # --ou can only mean the organization
    if org and accounts_file is not None:
        raise UsageError(
            "--org reads the accounts from AWS Organizations and --accounts-file from a file; "
            "give one of them."
        )
    if not org and accounts_file is None:
        given = [
            name
            for name, value in (
                ("--accounts", accounts),
                ("--exclude-accounts", exclude_accounts),
                ("--role-name", role_name),
                ("--external-id", external_id),
                ("--max-workers", max_workers),
            )
            if value
        ]
        if given:
            raise UsageError(
                f"{given[0]} chooses accounts of an organization scan; add --org or "
                "--accounts-file, or drop it."
            )
        return None
    if role_name is not None and not ROLE_NAME.match(role_name):
        raise UsageError(
            f"--role-name {role_name!r} is not an IAM role name (letters, digits and "
            "+=,.@_- , optionally after a path like audit/); give the name, not the ARN."
        )
    if external_id is not None and not EXTERNAL_ID.match(external_id):
        raise UsageError("--external-id must be 2–1224 characters of letters, digits and +=,.@:/-.")
    return OrgRequest(
        accounts_file=load_accounts_file(accounts_file) if accounts_file is not None else None,
        ous=tuple(dict.fromkeys(validate_ou_id(o) for o in split_items("--ou", ous, "OU id"))),
        include=_account_ids("--accounts", accounts) if accounts else None,
        exclude=_account_ids("--exclude-accounts", exclude_accounts),
        role_name=role_name or DEFAULT_ROLE_NAME,
        external_id=external_id,
        regions=tuple(regions) if regions is not None else None,
        max_workers=max_workers or DEFAULT_MAX_WORKERS,
    )
