"""``--accounts-file``: the accounts to scan, in c7n-org's ``accounts.yml`` format.

Users of Cloud Custodian's c7n-org keep their accounts in a YAML file; trailwarden reads
the same file, so it works without any Organizations access::

    accounts:
      - account_id: "123456789012"
        name: prod
        role: arn:aws:iam::123456789012:role/TrailwardenAudit   # or a role name
        regions: [us-east-1, eu-west-1]
        external_id: "…"
        tags: ["path:/Workloads/Prod", "env:prod"]               # or {env: prod}
        vars: {…}                                                # ignored

The file is outside input: read with ``yaml.safe_load`` only, bounded in size, and
validated strictly — the first problem is named by entry and field (exit 2). c7n-org's
informative keys ``email``, ``display_name`` and ``org_id`` are accepted and ignored; a
``path:`` tag (written by c7n-org's ``orgaccounts.py``) gives the account's OU path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trailwarden.arns import parse_arn
from trailwarden.collect.assume import EXTERNAL_ID, ROLE_NAME
from trailwarden.errors import Error, UsageError

__all__ = ["MAX_ACCOUNTS_FILE_BYTES", "AccountEntry", "load_accounts_file", "parse_accounts"]

MAX_ACCOUNTS_FILE_BYTES = 16 * 1024 * 1024
_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
_IGNORED = frozenset({"vars", "email", "display_name", "org_id"})
_KNOWN = frozenset({"account_id", "name", "role", "regions", "tags", "external_id"}) | _IGNORED


@dataclass(frozen=True)
class AccountEntry:
    """One account of the file, validated."""

    account_id: str
    name: str | None = None
    role: str | None = None  # a role ARN or a role name; None: --role-name
    regions: tuple[str, ...] | None = None  # None: --regions (or every region)
    tags: tuple[tuple[str, str], ...] = ()
    external_id: str | None = None
    ou_path: str | None = None  # from a "path:/Workloads/Prod" tag


class _Problem(Exception):
    """One problem in one place of the file."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")


def load_accounts_file(path: Path) -> tuple[AccountEntry, ...]:
    """The accounts of the file at ``path``, or :class:`UsageError` naming the problem."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_ACCOUNTS_FILE_BYTES + 1)
    except OSError as exc:
        raise UsageError(
            f"Cannot read the accounts file {path}: {exc.strerror or exc}; check the path."
        ) from exc
    if len(raw) > MAX_ACCOUNTS_FILE_BYTES:
        raise UsageError(
            f"{path} is larger than the {MAX_ACCOUNTS_FILE_BYTES // 2**20} MiB an accounts "
            "file can be; list fewer accounts per file."
        )
    return parse_accounts(raw, str(path))


def parse_accounts(raw: bytes | str, source: str = "<accounts file>") -> tuple[AccountEntry, ...]:
    """Parse and validate c7n-org-style YAML (see the module doc)."""
    import yaml

    try:
        data = yaml.safe_load(raw)
    except RecursionError:  # PyYAML builds nested collections recursively
        raise UsageError(
            f"{source} is nested too deeply to be an accounts file; write it like c7n-org's "
            "accounts.yml (a mapping with an 'accounts' list)."
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise UsageError(
            f"{source} is not valid YAML{where}; write it like c7n-org's accounts.yml "
            "(a mapping with an 'accounts' list)."
        ) from exc
    try:
        return _accounts(data)
    except _Problem as problem:
        raise UsageError(f"{source}: {problem}.") from None


def _accounts(data: Any) -> tuple[AccountEntry, ...]:
    if not isinstance(data, dict) or not isinstance(data.get("accounts"), list):
        keys = data if isinstance(data, dict) else {}
        other = sorted(str(k) for k in keys if k in ("subscriptions", "projects", "tenancies"))
        extra = f" ({other[0]} are c7n-org's Azure, GCP or OCI entries)" if other else ""
        raise _Problem(
            "the file", f"expected a mapping with an 'accounts' list, as in c7n-org{extra}"
        )
    unknown = sorted(str(k) for k in data if k not in ("accounts", "vars"))
    if unknown:
        raise _Problem(unknown[0], "not a key of an accounts file (accounts, vars)")
    if not data["accounts"]:
        raise _Problem("accounts", "the list is empty: name at least one account")
    entries: list[AccountEntry] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data["accounts"]):
        entry = _entry(f"accounts[{i}]", item)
        if entry.account_id in seen:
            raise _Problem(
                f"accounts[{i}].account_id",
                f"{entry.account_id} is listed twice (also accounts[{seen[entry.account_id]}])",
            )
        seen[entry.account_id] = i
        entries.append(entry)
    return tuple(entries)


def _entry(where: str, item: Any) -> AccountEntry:
    if not isinstance(item, dict):
        raise _Problem(where, f"expected a mapping with an account_id, got {_kind(item)}")
    account_id = item.get("account_id")
    if isinstance(account_id, int) and not isinstance(account_id, bool):
        raise _Problem(
            f"{where}.account_id",
            f"{account_id} must be quoted ('{account_id:012d}'?): YAML reads an unquoted "
            "number as an integer, and one with a leading zero as octal",
        )
    if not isinstance(account_id, str) or not _ACCOUNT_ID.match(account_id):
        raise _Problem(f"{where}.account_id", "expected a 12-digit account id in quotes")
    where = f"{where} (account {account_id})"
    unknown = sorted(str(k) for k in item if k not in _KNOWN)
    if "profile" in unknown:
        raise _Problem(
            f"{where}.profile", "profile entries are not supported; give a role to assume"
        )
    if unknown:
        raise _Problem(f"{where}.{unknown[0]}", "not a key of an account entry")
    tags = _tags(f"{where}.tags", item.get("tags"))
    paths = [v for k, v in tags if k == "path" and v]
    return AccountEntry(
        account_id=account_id,
        name=_text(f"{where}.name", item.get("name") or item.get("display_name")),
        role=_role(f"{where}.role", item.get("role"), account_id),
        regions=_regions(f"{where}.regions", item.get("regions")),
        tags=tags,
        external_id=_external_id(f"{where}.external_id", item.get("external_id")),
        # orgaccounts.py writes one "path:" tag per level; the longest is the account's.
        ou_path=max(paths, key=len) if paths else None,
    )


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "a string" if isinstance(value, str) else type(value).__name__


def _text(where: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 256:
        raise _Problem(where, f"expected a name of at most 256 characters, got {_kind(value)}")
    return value


def _role(where: str, value: Any, account_id: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        raise _Problem(where, "role chains (a list of roles) are not supported; give one role")
    if not isinstance(value, str):
        raise _Problem(where, f"expected a role ARN or name, got {_kind(value)}")
    if value.startswith("arn:"):
        arn = parse_arn(value)
        if arn is None or arn.service != "iam" or not arn.resource.startswith("role/"):
            raise _Problem(where, f"{value!r} is not an IAM role ARN")
        if arn.account_id != account_id:
            raise _Problem(
                where,
                f"{value} is a role of account {arn.account_id}, not of this entry's account "
                f"{account_id}: trailwarden would scan the role's account",
            )
        return value
    if not ROLE_NAME.match(value):
        raise _Problem(where, f"{value!r} is neither a role ARN nor a valid role name")
    return value


def _regions(where: str, value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(r, str) for r in value):
        raise _Problem(where, "expected a list of region names")
    if not value:
        raise _Problem(where, "the list is empty: name a region, or leave regions out")
    from trailwarden.collect.regions import validate_regions

    try:
        validate_regions(value)
    except Error as exc:
        raise _Problem(where, str(exc).rstrip(".")) from None
    return tuple(dict.fromkeys(value))


def _tags(where: str, value: Any) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if isinstance(value, dict):
        pairs = list(value.items())
        if not all(isinstance(k, str) and isinstance(v, str | int | float) for k, v in pairs):
            raise _Problem(where, "expected tag names mapped to text")
        return tuple((k, str(v)) for k, v in pairs)
    if isinstance(value, list) and all(isinstance(t, str) for t in value):
        return tuple((t.partition(":")[0], t.partition(":")[2]) for t in value)
    raise _Problem(where, 'expected a list of "key:value" strings or a mapping')


def _external_id(where: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not EXTERNAL_ID.match(value):
        raise _Problem(where, "expected 2–1224 characters of letters, digits and +=,.@:/-")
    return value
