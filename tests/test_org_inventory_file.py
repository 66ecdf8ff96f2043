"""An organization inventory file: written like an account inventory, read back as strictly
(every problem named by its place in the file), evaluated with the same findings."""

from __future__ import annotations

import json

import orjson
import pytest

from org_factories import failed, member, member_inventory, organization
from trailwarden.checks import CheckOptions
from trailwarden.checks.organization import evaluate_organization
from trailwarden.collect.inventory_file import dump_inventory, parse_any_inventory, parse_inventory
from trailwarden.errors import InventoryFileError


def saved() -> dict:
    org = organization(member(member_inventory()), failed("333333333333"))
    data: dict = orjson.loads(dump_inventory(org))
    return data


def test_an_organization_inventory_round_trips_with_the_same_findings():
    org = organization(member(member_inventory()), failed("333333333333"))
    again = parse_any_inventory(dump_inventory(org), "org.json")
    assert again == org
    assert evaluate_organization(again, CheckOptions()) == evaluate_organization(
        org, CheckOptions()
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["accounts"][1]["inventory"]["organization_trails"][0].__setitem__("arn", 1),
            "accounts[1].inventory.organization_trails[0].arn: expected a string, got 1",
        ),
        (
            lambda d: d["accounts"][2].__setitem__("status", "maybe"),
            'accounts[2].status: expected "scanned" or "skipped" or "failed", got "maybe"',
        ),
        (lambda d: d["accounts"][0].pop("in_scope"), "accounts[0].in_scope: missing"),
        (lambda d: d.__setitem__("kind", "org"), 'kind: expected "organization", got "org"'),
        (lambda d: d.__setitem__("extra", 1), "extra: not a field of a trailwarden inventory"),
    ],
)
def test_a_bad_organization_inventory_is_named_by_its_place(change, expected):
    data = saved()
    change(data)
    with pytest.raises(InventoryFileError) as caught:
        parse_any_inventory(json.dumps(data).encode(), "org.json")
    assert expected in str(caught.value), str(caught.value)


def test_commands_that_need_one_accounts_inventory_say_so():
    with pytest.raises(InventoryFileError, match="is an organization inventory"):
        parse_inventory(json.dumps(saved()).encode(), "org.json")
