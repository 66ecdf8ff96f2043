"""Helpers for the command-line tests: run the CLI with a clean AWS environment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner, Result

from conftest import AccountSeeder, delivery_policy
from trailwarden.cli import cli

NO_AWS_CONFIG = {
    "AWS_PROFILE": None,
    "AWS_DEFAULT_PROFILE": None,
    "AWS_ACCESS_KEY_ID": None,
    "AWS_SECRET_ACCESS_KEY": None,
    "AWS_SESSION_TOKEN": None,
    "AWS_ENDPOINT_URL": None,
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def run(args: list[str], env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(cli, args, env={**NO_AWS_CONFIG, **(env or {})})


def healthy_trail(seed: AccountSeeder, name: str = "org-events", *, multi: bool = True) -> str:
    group = seed.log_group(f"aws-cloudtrail-logs/{name}", "us-east-1", retention_days=365)
    role = seed.role(f"{name}-role", inline={"deliver": delivery_policy(group)})
    return seed.trail(
        name,
        "us-east-1",
        multi_region=multi,
        log_group_arn=group,
        role_arn=role,
        delivered_at=datetime.now(UTC) - timedelta(minutes=3),
    )
