"""Inventory files are outside input: strict types, every part present, bounded, mode 0600.

A mistyped or truncated inventory must be exit 2 naming the field, never an account
with fewer trails or a ``"false"`` read as true.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import stat
import typing
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clihelpers import healthy_account, run
from factories import make_inventory, make_log_group, make_trail
from trailwarden import inventory as inventory_module
from trailwarden import org_inventory as org_inventory_module
from trailwarden.collect.inventory_file import dump_inventory, parse_inventory, save_inventory
from trailwarden.collect.inventory_schema import MAX_DEPTH, schema
from trailwarden.errors import InventoryFileError


def saved() -> dict[str, Any]:
    """A valid inventory as saved: one trail, its log group, one role."""
    inventory = make_inventory(log_groups=(make_log_group(),))
    data: dict[str, Any] = orjson.loads(dump_inventory(inventory))
    return data


def problem(data: Any) -> str:
    with pytest.raises(InventoryFileError) as caught:
        parse_inventory(json.dumps(data).encode(), "inv.json")
    return str(caught.value)


def edited(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(saved())
    change(data)
    return data


CASES = [
    (
        lambda d: d["trails"][0]["status"].__setitem__("is_logging", "false"),
        'trails[0].status.is_logging: expected true or false, got "false"',
    ),
    (lambda d: d.pop("trails"), "trails: missing"),
    (lambda d: d["trails"][0]["status"].pop("is_logging"), "trails[0].status.is_logging: missing"),
    (
        lambda d: d["trails"][0].__setitem__("name", {"a": 1}),
        "trails[0].name: expected a string, got an object",
    ),
    (
        lambda d: d["trails"][0].__setitem__("arn", ["x"]),
        "trails[0].arn: expected a string, got a list",
    ),
    (lambda d: d.__setitem__("trails", {}), "trails: expected a list, got an object"),
    (
        lambda d: d["trails"][0]["config"].__setitem__("is_multi_region", 1),
        "trails[0].config.is_multi_region: expected true or false, got 1",
    ),
    (lambda d: d["trails"][0].__setitem__("colour", "red"), "trails[0].colour: not a field"),
    (
        lambda d: d.__setitem__("collected_at", "2026-11-24T10:00:00"),
        "collected_at: expected a date and time with a UTC offset",
    ),
    (
        lambda d: d.__setitem__("collected_at", "2026-13-45T10:00:00+00:00"),
        "collected_at: expected a date and time with a UTC offset",
    ),
    (
        lambda d: d["log_groups"][0].__setitem__("retention_in_days", 10**30),
        "log_groups[0].retention_in_days: 1e+30 is out of range",
    ),
    (
        lambda d: d["log_groups"][0].__setitem__("retention_in_days", -1),
        "log_groups[0].retention_in_days: -1 is out of range",
    ),
    (
        lambda d: d["trails"][0].__setitem__("name", "x" * 5000),
        "trails[0].name: 5000 characters, more than the 2048 allowed",
    ),
    (lambda d: d.__setitem__("regions", "us-east-1"), 'regions: expected a list or null, got "us-'),
    (
        lambda d: d["roles"][0]["policies"][0].__setitem__("kind", "sideways"),
        'roles[0].policies[0].kind: expected "inline" or "managed" or "boundary"',
    ),
]


@pytest.mark.parametrize(("change", "expected"), CASES)
def test_a_mistyped_or_incomplete_inventory_names_the_field(change, expected):
    message = problem(edited(change))
    assert expected in message, message
    assert message.startswith("inv.json is not a valid trailwarden inventory: ")


# Fields added within schema version 1: optional, so that older inventories still load.
ADDED_IN_V1 = {"Inventory": {"organization_trails"}}


def test_the_schema_matches_the_inventory_dataclasses():
    """Every dataclass field is in the schema, required (unless added later); nothing else is."""
    definitions = schema()["definitions"]
    classes = [
        c
        for module in (inventory_module, org_inventory_module)
        for c in vars(module).values()
        if dataclasses.is_dataclass(c) and c.__module__ == module.__name__
    ]
    assert {c.__name__ for c in classes} <= set(definitions)
    for cls in classes:
        spec = definitions[cls.__name__]
        fields = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
        optional = ADDED_IN_V1.get(cls.__name__, set())
        assert sorted(spec["properties"]) == sorted(fields), cls.__name__
        assert sorted(spec["required"]) == sorted(set(fields) - optional), cls.__name__
        assert spec["additionalProperties"] is False
    hints = typing.get_type_hints(inventory_module.Inventory)
    assert set(hints) == set(definitions["Inventory"]["properties"])


def test_a_saved_scan_round_trips_through_the_schema(seed, env, tmp_path: Path):
    healthy_account(seed)  # trails, roles, log groups, filters, alarms, topics
    path = tmp_path / "inventory.json"
    result = run(["scan", "--format", "json", "--save-inventory", str(path)], env)
    assert result.exit_code == 0, result.output
    offline = run(["scan", "--format", "json", "--inventory", str(path)])
    assert offline.exit_code == 0, offline.output
    assert json.loads(offline.stdout)["findings"] == json.loads(result.stdout)["findings"]


def test_the_cli_reports_a_bad_inventory_in_one_sentence_and_exits_2(tmp_path: Path):
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(edited(lambda d: d.pop("trails"))))
    result = run(["scan", "--inventory", str(path)])
    assert result.exit_code == 2
    assert "trails: missing" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_is_logging_false_as_a_string_is_not_a_pass(tmp_path: Path):
    path = tmp_path / "inventory.json"
    data = edited(lambda d: d["trails"][0]["status"].__setitem__("is_logging", "false"))
    path.write_text(json.dumps(data))
    result = run(["scan", "--check", "TW006", "--inventory", str(path)])
    assert result.exit_code == 2
    assert "is_logging" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[" * 5000 + b"]" * 5000, "not valid JSON"),  # orjson's own limit (1024)
        (None, f"nested deeper than {MAX_DEPTH} levels"),
        (b'{"schema_version": 1e400}', "not valid JSON"),
        (b'{"schema_version": true}', "schema_version True"),
    ],
)
def test_hostile_inventories_exit_2_quickly(tmp_path: Path, content, expected):
    if content is None:
        deep: Any = "x"
        for _ in range(200):
            deep = {"Statement": [deep]}
        content = json.dumps(edited(lambda d: d["roles"][0].__setitem__("trust_policy", deep)))
        content = content.encode()
    path = tmp_path / "inventory.json"
    path.write_bytes(content)
    result = run(["scan", "--inventory", str(path)])
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_an_enormous_string_is_refused_not_evaluated():
    pattern = "{ $.eventName = " + "x" * 2_000_000 + " }"
    data = edited(
        lambda d: d["metric_filters"].append(
            {
                "log_group_key": "k",
                "region": "us-east-1",
                "error": None,
                "filters": [
                    {
                        "log_group_key": "k",
                        "region": "us-east-1",
                        "name": "f",
                        "pattern": pattern,
                        "transformations": [],
                    }
                ],
            }
        )
    )
    assert "more than the 1024 allowed" in problem(data)


@settings(max_examples=60, deadline=None)
@given(
    path=st.sampled_from(
        [
            ("account_id",),
            ("trails", 0, "name"),
            ("trails", 0, "status", "is_logging"),
            ("trails", 0, "config", "log_group_arn"),
            ("log_groups", 0, "exists"),
            ("log_groups", 0, "retention_in_days"),
        ]
    ),
    value=st.one_of(
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=20),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    ),
)
def test_any_value_either_loads_with_its_type_or_is_refused(path, value):
    data = saved()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    try:
        loaded = parse_inventory(json.dumps(data).encode())
    except InventoryFileError as exc:
        assert str(exc).count("\n") == 0
        return
    got: Any = loaded
    for key in path:
        got = got[key] if isinstance(key, int) else getattr(got, key)
    # JSON Schema's "integer" is any number without a fraction: 3.0 loads as 3.
    same_type = type(got) is type(value) or (isinstance(value, float) and type(got) is int)
    assert got == value and same_type


def test_saved_inventories_are_readable_by_their_owner_only(tmp_path: Path):
    path = tmp_path / "inventory.json"
    path.write_text("old")
    path.chmod(0o644)
    save_inventory(make_inventory(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    fresh = tmp_path / "fresh.json"
    save_inventory(make_inventory((make_trail(),)), fresh)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
