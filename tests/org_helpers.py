"""A simulated AWS Organization on moto's server, created over HTTP as a user would.

The management account is ``MAIN_ACCOUNT``; members are created with CreateAccount
(moto gives them random ids and the OrganizationAccountAccessRole trusting the management
account), moved into OUs, and one is closed (SUSPENDED). The management account owns the
Control Tower-like organization trail, with the 15 CIS filters and alarms on its log group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clihelpers import cis_monitoring, healthy_trail
from conftest import MAIN_ACCOUNT, AccountSeeder, delivery_policy
from trailwarden.demo.simulated_aws import SimulatedAws

ORG_TRAIL = "aws-controltower-BaselineCloudTrail"
ORG_GROUP = "aws-controltower/CloudTrailLogs"
ROLE = "OrganizationAccountAccessRole"


@dataclass
class SimulatedOrg:
    aws: SimulatedAws
    id: str
    root: str
    ous: dict[str, str] = field(default_factory=dict)  # path below the root -> OU id
    accounts: dict[str, str] = field(default_factory=dict)  # name -> account id
    management: str = MAIN_ACCOUNT
    trail_arn: str | None = None  # the organization trail

    def seed(self, name: str) -> AccountSeeder:
        return AccountSeeder(self.aws, self.accounts.get(name, name))

    def role_arn(self, name: str) -> str:
        return f"arn:aws:iam::{self.accounts[name]}:role/{ROLE}"


def make_organization(
    aws: SimulatedAws,
    layout: dict[str, str] | None = None,
    *,
    closed: tuple[str, ...] = ("old",),
    org_trail: bool = True,
    monitoring: bool = True,
) -> SimulatedOrg:
    """Accounts by name -> OU path below Root ("" is the root); ``closed`` are closed."""
    layout = layout or {
        "prod": "Workloads/Prod",
        "dev": "Workloads",
        "sandbox": "Sandbox",
        "old": "",
    }
    client = aws.client(MAIN_ACCOUNT, "organizations")
    org_id = client.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    root = client.list_roots()["Roots"][0]["Id"]
    org = SimulatedOrg(aws, org_id, root)
    for path in sorted({p for p in layout.values() if p}):
        parent = root
        for depth in range(1, path.count("/") + 2):
            prefix = "/".join(path.split("/")[:depth])
            if prefix not in org.ous:
                unit = client.create_organizational_unit(
                    ParentId=parent, Name=prefix.split("/")[-1]
                )
                org.ous[prefix] = unit["OrganizationalUnit"]["Id"]
            parent = org.ous[prefix]
    for name, path in layout.items():
        status = client.create_account(AccountName=name, Email=f"{name}@example.com")
        account = status["CreateAccountStatus"]["AccountId"]
        org.accounts[name] = account
        if path:
            client.move_account(
                AccountId=account, SourceParentId=root, DestinationParentId=org.ous[path]
            )
    for name in closed:
        client.close_account(AccountId=org.accounts[name])
    # AWS shows the management account's organization trails to every member.
    aws.register_organization(MAIN_ACCOUNT, list(org.accounts.values()))
    if org_trail:
        seed = AccountSeeder(aws, MAIN_ACCOUNT)
        org.trail_arn = organization_trail(seed)
        if monitoring:
            cis_monitoring(seed, ORG_GROUP)
    return org


def organization_trail(seed: AccountSeeder) -> str:
    """The Control Tower-like organization trail, healthy, delivering to ORG_GROUP."""
    from datetime import UTC, datetime, timedelta

    group = seed.log_group(ORG_GROUP, "us-east-1", retention_days=365)
    role = seed.role(
        "aws-controltower-CloudWatchLogsRole", inline={"deliver": delivery_policy(group)}
    )
    return seed.trail(
        ORG_TRAIL,
        "us-east-1",
        multi_region=True,
        organization=True,
        log_group_arn=group,
        role_arn=role,
        delivered_at=datetime.now(UTC) - timedelta(minutes=2),
    )


def own_trail(seed: AccountSeeder, name: str = "own-events", **changes: Any) -> str:
    """A healthy multi-region trail of the member's own."""
    return healthy_trail(seed, name, **changes)
