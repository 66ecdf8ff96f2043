"""The organization tree as Organizations lists it: accounts, OU paths, states; answers
that are not AWS's are never guessed at."""

from __future__ import annotations

from typing import Any

import pytest

from trailwarden.collect.organization import discover, skip_reason, validate_ou_id
from trailwarden.errors import UsageError


class Tree:
    """A stub Organizations client: a root with one OU, pages of two."""

    def __init__(self, accounts: dict[str, list[dict[str, Any]]]) -> None:
        self.accounts = accounts

    def list_roots(self, **_: Any) -> dict[str, Any]:
        return {"Roots": [{"Id": "r-ab12", "Name": "Root"}]}

    def list_organizational_units_for_parent(self, ParentId: str, **_: Any) -> dict[str, Any]:
        units = [{"Id": "ou-ab12-cdefgh34", "Name": "Prod"}] if ParentId == "r-ab12" else []
        return {"OrganizationalUnits": units}

    def list_accounts_for_parent(
        self, ParentId: str, NextToken: str | None = None
    ) -> dict[str, Any]:
        start = int(NextToken or 0)
        page = self.accounts.get(ParentId, [])[start : start + 2]
        more = start + 2 < len(self.accounts.get(ParentId, []))
        return {"Accounts": page, **({"NextToken": str(start + 2)} if more else {})}


class Factory:
    def __init__(self, client: Tree) -> None:
        self._client = client

    def client(self, service: str, region: str) -> Tree:
        return self._client


def account(account_id: str, name: str, **fields: str) -> dict[str, Any]:
    return {"Id": account_id, "Name": name, **fields}


def test_every_account_is_found_with_its_path_and_state_across_pages():
    tree = Tree(
        {
            "r-ab12": [account("111111111111", "management", State="ACTIVE")],
            "ou-ab12-cdefgh34": [
                account("222222222222", "a", State="ACTIVE"),
                account("333333333333", "b", Status="SUSPENDED"),  # before State existed
                account("444444444444", "c", State="PENDING_CLOSURE", Status="ACTIVE"),
            ],
        }
    )
    found = discover(Factory(tree), "us-east-1", ("o-x", "111111111111"))  # type: ignore[arg-type]
    assert [(m.account_id, m.ou_path, m.state) for m in found.members] == [
        ("111111111111", "Root", "ACTIVE"),
        ("222222222222", "Root/Prod", "ACTIVE"),
        ("333333333333", "Root/Prod", "SUSPENDED"),
        ("444444444444", "Root/Prod", "PENDING_CLOSURE"),  # State wins over Status
    ]
    assert found.errors == ()


def test_an_account_id_that_is_not_twelve_digits_is_an_error_not_an_account():
    tree = Tree({"r-ab12": [account("12345", "odd", State="ACTIVE")]})
    found = discover(Factory(tree), "us-east-1", ("o-x", "111111111111"))  # type: ignore[arg-type]
    assert found.members == ()
    (error,) = found.errors
    assert (error.parent_id, error.error.code) == ("r-ab12", "InvalidAccountId")


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ("ACTIVE", None),
        ("SUSPENDED", "suspended"),
        ("PENDING_CLOSURE", "pending closure"),
        ("CLOSED", "closed"),
        ("PENDING_ACTIVATION", "pending activation"),
        ("", "unknown state"),
    ],
)
def test_only_active_accounts_are_scanned(state, reason):
    assert skip_reason(state) == reason


@pytest.mark.parametrize("value", ["r-ab12", "ou-ab12-cdefgh34"])
def test_root_and_ou_ids_are_accepted(value):
    assert validate_ou_id(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "Workloads",
        "ou-",
        "r-",
        "ou-AB12-cdefgh34",
        "arn:aws:organizations::1:ou/o-x/ou-ab12-cdefgh34",
    ],
)
def test_anything_else_is_not_an_ou(value):
    with pytest.raises(UsageError, match="is not an organizational unit id"):
        validate_ou_id(value)
