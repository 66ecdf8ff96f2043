"""Shared fixtures: one simulated AWS (moto's server, over real HTTP) per test session.

- ``moto_server``: the session's :class:`SimulatedAws` (AWS semantics installed).
- ``aws``: the same server, reset before and after the test (resources, delivery
  results, organizations and denials all forgotten).
- ``factory`` / ``member_factory``: a counting :class:`ClientFactory` for
  ``MAIN_ACCOUNT`` / ``MEMBER_ACCOUNT``.
- ``seed`` / ``member_seed``: an :class:`AccountSeeder` that creates trails, log groups
  and roles in that account over HTTP, as a user would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from trailwarden.collect.clients import ClientFactory
from trailwarden.demo.simulated_aws import SimulatedAws

MAIN_ACCOUNT = "111111111111"
MEMBER_ACCOUNT = "222222222222"


@pytest.fixture(scope="session", autouse=True)
def journal_key_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Journal keys (``fix --apply`` creates one) go to a private folder of the test
    session, never to the user's ``~/.config``; child processes inherit it."""
    config = tmp_path_factory.mktemp("config")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_CONFIG_HOME", str(config))
        env.delenv("TRAILWARDEN_JOURNAL_KEY", raising=False)
        yield config / "trailwarden"


@pytest.fixture(scope="session")
def moto_server() -> Iterator[SimulatedAws]:
    with pytest.MonkeyPatch.context() as env:
        # MOTO_ACCOUNT_ID would put every request in one account; a missing profile
        # would make boto3.Session() fail; IMDS lookups would make a credential-less
        # session wait for timeouts.
        for name in ("MOTO_ACCOUNT_ID", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
            env.delenv(name, raising=False)
        env.setenv("AWS_EC2_METADATA_DISABLED", "true")
        with SimulatedAws() as server:
            yield server


@pytest.fixture
def aws(moto_server: SimulatedAws) -> Iterator[SimulatedAws]:
    moto_server.reset()
    yield moto_server
    moto_server.reset()


@pytest.fixture
def factory(aws: SimulatedAws) -> ClientFactory:
    return aws.factory(MAIN_ACCOUNT)


@pytest.fixture
def member_factory(aws: SimulatedAws) -> ClientFactory:
    return aws.factory(MEMBER_ACCOUNT)


@pytest.fixture
def seed(aws: SimulatedAws) -> AccountSeeder:
    return AccountSeeder(aws, MAIN_ACCOUNT)


@pytest.fixture
def member_seed(aws: SimulatedAws) -> AccountSeeder:
    return AccountSeeder(aws, MEMBER_ACCOUNT)


def cloudtrail_trust(account: str) -> dict[str, Any]:
    """The delivery role trust policy AWS documents (with confused-deputy conditions)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": account}},
            }
        ],
    }


def delivery_policy(log_group_arn: str, effect: str = "Allow") -> dict[str, Any]:
    """Allow (or deny) CreateLogStream + PutLogEvents on a log group's streams."""
    key = log_group_arn.removesuffix(":*")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": effect,
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": f"{key}:log-stream:*",
            }
        ],
    }


class AccountSeeder:
    """Creates resources in one account of the simulated AWS, over HTTP with boto3."""

    def __init__(self, aws: SimulatedAws, account: str) -> None:
        self.aws = aws
        self.account = account
        self._buckets: dict[str, str] = {}

    def client(self, service: str, region: str = "us-east-1") -> Any:
        return self.aws.client(self.account, service, region)

    def bucket(self, region: str) -> str:
        """An S3 bucket in ``region`` (moto's CreateTrail checks that the bucket exists)."""
        if region not in self._buckets:
            name = f"trails-{self.account}-{region}"
            extra = (
                {}
                if region == "us-east-1"
                else {"CreateBucketConfiguration": {"LocationConstraint": region}}
            )
            self.client("s3", region).create_bucket(Bucket=name, **extra)
            self._buckets[region] = name
        return self._buckets[region]

    def log_group_arn(self, name: str, region: str, account: str | None = None) -> str:
        """The ARN CloudTrail stores for a log group (with the ``:*`` suffix)."""
        return f"arn:aws:logs:{region}:{account or self.account}:log-group:{name}:*"

    def log_group(self, name: str, region: str, *, retention_days: int | None = None) -> str:
        logs = self.client("logs", region)
        logs.create_log_group(logGroupName=name)
        if retention_days is not None:
            logs.put_retention_policy(logGroupName=name, retentionInDays=retention_days)
        return self.log_group_arn(name, region)

    def role(
        self,
        name: str,
        *,
        trust: dict[str, Any] | None = None,
        inline: dict[str, dict[str, Any]] | None = None,
        managed: dict[str, dict[str, Any]] | None = None,
        attach: tuple[str, ...] = (),
        boundary: dict[str, Any] | None = None,
    ) -> str:
        """A role; ``managed`` policies are created and attached, ``attach`` are ARNs."""
        iam = self.client("iam")
        extra: dict[str, Any] = {}
        if boundary is not None:
            extra["PermissionsBoundary"] = self.managed_policy(f"{name}-boundary", boundary)
        arn: str = iam.create_role(
            RoleName=name,
            AssumeRolePolicyDocument=json.dumps(trust or cloudtrail_trust(self.account)),
            **extra,
        )["Role"]["Arn"]
        for policy_name, document in (inline or {}).items():
            iam.put_role_policy(
                RoleName=name, PolicyName=policy_name, PolicyDocument=json.dumps(document)
            )
        policy_arns = [self.managed_policy(n, d) for n, d in (managed or {}).items()]
        for policy_arn in [*policy_arns, *attach]:
            iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
        return arn

    def managed_policy(self, name: str, document: dict[str, Any]) -> str:
        arn: str = self.client("iam").create_policy(
            PolicyName=name, PolicyDocument=json.dumps(document)
        )["Policy"]["Arn"]
        return arn

    def trail(
        self,
        name: str,
        region: str,
        *,
        multi_region: bool = False,
        organization: bool = False,
        log_group_arn: str | None = None,
        role_arn: str | None = None,
        logging: bool = True,
        event_selectors: list[dict[str, Any]] | None = None,
        delivered_at: datetime | None = None,
        delivery_error: str | None = None,
    ) -> str:
        """A trail homed in ``region``; returns its ARN."""
        extra: dict[str, Any] = {}
        if log_group_arn is not None:
            extra["CloudWatchLogsLogGroupArn"] = log_group_arn
        if role_arn is not None:
            extra["CloudWatchLogsRoleArn"] = role_arn
        cloudtrail = self.client("cloudtrail", region)
        arn: str = cloudtrail.create_trail(
            Name=name,
            S3BucketName=self.bucket(region),
            IsMultiRegionTrail=multi_region,
            IsOrganizationTrail=organization,
            **extra,
        )["TrailARN"]
        if logging:
            cloudtrail.start_logging(Name=name)
        if event_selectors is not None:
            cloudtrail.put_event_selectors(TrailName=name, EventSelectors=event_selectors)
        if delivered_at is not None or delivery_error is not None:
            self.aws.set_delivery(arn, delivered_at, delivery_error)
        return arn


@pytest.fixture
def env(aws: SimulatedAws, tmp_path: Path) -> dict[str, str | None]:
    """Environment for a CLI run as MAIN_ACCOUNT against the server, with no AWS config."""
    return {
        **aws.environment(MAIN_ACCOUNT),
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
    }


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """Where an apply writes its journal."""
    return tmp_path / "journal.jsonl"


@pytest.fixture
def fake() -> Any:
    """A fake clock and sleep (remediation.FakeTime), so backoff and 1-TPS pacing cost no
    real time. Imported here, not at the top: remediation.py imports this module."""
    from remediation import FakeTime

    return FakeTime()
