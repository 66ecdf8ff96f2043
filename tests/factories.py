"""Factories for inventories: realistic, fully compliant defaults; change one thing per test.

The default inventory is account 111111111111 with one multi-region trail ``main`` homed in
us-east-1, integrated with log group ``aws-cloudtrail-logs/main`` (retention 365 days) through
role ``CloudTrail_CloudWatchLogs_Role`` (AWS's documented trust and inline policy), logging,
last delivered 5 minutes before the inventory was collected.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from trailwarden.arns import parse_log_group_arn, parse_role_arn
from trailwarden.inventory import (
    ApiError,
    EventSelectors,
    Inventory,
    LogGroup,
    PolicyDocument,
    Role,
    Trail,
    TrailConfig,
    TrailStatus,
)

ACCOUNT = "111111111111"
MEMBER_ACCOUNT = "222222222222"
ORG_ID = "o-exampleorgid"
REGION = "us-east-1"
COLLECTED_AT = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
LOG_GROUP_NAME = "aws-cloudtrail-logs/main"
ROLE_NAME = "CloudTrail_CloudWatchLogs_Role"

# Marks "use the realistic default" where None means "missing".
DEFAULT: Any = object()


def trail_arn(name: str = "main", region: str = REGION, account: str = ACCOUNT) -> str:
    return f"arn:aws:cloudtrail:{region}:{account}:trail/{name}"


def log_group_arn(name: str = LOG_GROUP_NAME, region: str = REGION, account: str = ACCOUNT) -> str:
    """As CloudTrail stores it, with the ``:*`` suffix."""
    return f"arn:aws:logs:{region}:{account}:log-group:{name}:*"


def role_arn(name: str = ROLE_NAME, account: str = ACCOUNT) -> str:
    return f"arn:aws:iam::{account}:role/{name}"


def trust_policy(**statement: Any) -> dict[str, Any]:
    """AWS's documented trust policy; keyword arguments replace or add statement elements."""
    base = {
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    return {"Version": "2012-10-17", "Statement": [{**base, **statement}]}


def role_policy(
    region: str = REGION,
    account: str = ACCOUNT,
    group: str = LOG_GROUP_NAME,
    org_id: str | None = None,
) -> dict[str, Any]:
    """AWS's documented CloudTrail_CloudWatchLogs_Role policy (with ``o-ORGID_*`` if org_id)."""
    streams = f"arn:aws:logs:{region}:{account}:log-group:{group}:log-stream:"
    resources = [f"{streams}{account}_CloudTrail_{region}*"]
    if org_id:
        resources.append(f"{streams}{org_id}_*")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AWSCloudTrailCreateLogStream2014110",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream"],
                "Resource": resources,
            },
            {
                "Sid": "AWSCloudTrailPutLogEvents20141101",
                "Effect": "Allow",
                "Action": ["logs:PutLogEvents"],
                "Resource": resources,
            },
        ],
    }


def inline(document: dict[str, Any], name: str = "CloudTrailToCloudWatchLogs") -> PolicyDocument:
    return PolicyDocument(name=name, kind="inline", document=document)


def managed(document: dict[str, Any], name: str = "arn:aws:iam::111111111111:policy/Guard"):
    return PolicyDocument(name=name, kind="managed", document=document)


def denied(action: str = "cloudtrail:GetTrailStatus", code: str = "AccessDeniedException"):
    return ApiError(action=action, code=code, message="not authorized", region=REGION)


def make_trail(
    name: str = "main",
    *,
    home_region: str = REGION,
    account_id: str = ACCOUNT,
    multi_region: bool = True,
    organization: bool = False,
    log_group_arn: str | None = DEFAULT,
    role_arn: str | None = DEFAULT,
    has_custom_event_selectors: bool = False,
    event_selectors: EventSelectors | None = None,
    event_selectors_error: ApiError | None = None,
    is_logging: bool = True,
    delivered_at: datetime | None = DEFAULT,
    delivery_error: str | None = None,
    config_error: ApiError | None = None,
    status_error: ApiError | None = None,
) -> Trail:
    """A trail; ``config_error``/``status_error`` leave config/status unread (None)."""
    if log_group_arn is DEFAULT:
        log_group_arn = globals()["log_group_arn"](LOG_GROUP_NAME, home_region, account_id)
    if role_arn is DEFAULT:
        role_arn = globals()["role_arn"](ROLE_NAME, account_id)
    if delivered_at is DEFAULT:
        delivered_at = COLLECTED_AT - timedelta(minutes=5)
    config = TrailConfig(
        is_multi_region=multi_region,
        is_organization_trail=organization,
        log_group_arn=log_group_arn,
        role_arn=role_arn,
        has_custom_event_selectors=has_custom_event_selectors,
        s3_bucket_name=f"aws-cloudtrail-logs-{account_id}",
    )
    status = TrailStatus(
        is_logging=is_logging,
        latest_cloudwatch_logs_delivery_time=delivered_at,
        latest_cloudwatch_logs_delivery_error=delivery_error,
    )
    return Trail(
        arn=trail_arn(name, home_region, account_id),
        name=name,
        home_region=home_region,
        account_id=account_id,
        config=None if config_error else config,
        config_error=config_error,
        status=None if status_error else status,
        status_error=status_error,
        event_selectors=event_selectors,
        event_selectors_error=event_selectors_error,
    )


def make_log_group(
    name: str = LOG_GROUP_NAME,
    *,
    region: str = REGION,
    account_id: str = ACCOUNT,
    exists: bool | None = DEFAULT,
    retention_in_days: int | None = 365,
    error: ApiError | None = None,
) -> LogGroup:
    """A log group record; with ``error`` it is unread (exists=None) unless told otherwise."""
    return LogGroup(
        key=log_group_arn(name, region, account_id).removesuffix(":*"),
        name=name,
        region=region,
        account_id=account_id,
        exists=(None if error else True) if exists is DEFAULT else exists,
        retention_in_days=retention_in_days,
        error=error,
    )


def make_role(
    name: str = ROLE_NAME,
    *,
    account_id: str = ACCOUNT,
    trust: dict[str, Any] | None = DEFAULT,
    policies: tuple[PolicyDocument, ...] = DEFAULT,
    boundary: PolicyDocument | None = None,
    exists: bool | None = DEFAULT,
    error: ApiError | None = None,
) -> Role:
    """A delivery role record; with ``error`` it is unread (exists=None)."""
    return Role(
        arn=role_arn(name, account_id),
        name=name,
        account_id=account_id,
        exists=(None if error else True) if exists is DEFAULT else exists,
        trust_policy=trust_policy() if trust is DEFAULT else trust,
        policies=(inline(role_policy(account=account_id)),) if policies is DEFAULT else policies,
        permissions_boundary=boundary,
        error=error,
    )


def make_inventory(
    trails: tuple[Trail, ...] = DEFAULT,
    *,
    account_id: str = ACCOUNT,
    log_groups: tuple[LogGroup, ...] = DEFAULT,
    roles: tuple[Role, ...] = DEFAULT,
    organization_id: str | None = None,
    errors: tuple[ApiError, ...] = (),
    collected_at: datetime = COLLECTED_AT,
) -> Inventory:
    """An inventory; by default the log groups and roles the trails name exist and are
    compliant (each role with AWS's documented policy for every trail that uses it)."""
    trails = (make_trail(),) if trails is DEFAULT else trails
    return Inventory(
        account_id=account_id,
        partition="aws",
        collected_at=collected_at,
        organization_id=organization_id,
        trails=trails,
        log_groups=_groups_for(trails) if log_groups is DEFAULT else log_groups,
        roles=_roles_for(trails, organization_id) if roles is DEFAULT else roles,
        errors=errors,
    )


def _groups_for(trails: tuple[Trail, ...]) -> tuple[LogGroup, ...]:
    refs = {parse_log_group_arn(t.config.log_group_arn or "") for t in trails if t.config}
    return tuple(
        make_log_group(r.name, region=r.region, account_id=r.account_id)
        for r in sorted(refs - {None}, key=str)  # type: ignore[arg-type]
    )


def _roles_for(trails: tuple[Trail, ...], org_id: str | None) -> tuple[Role, ...]:
    policies: dict[str, list[PolicyDocument]] = {}
    for t in trails:
        ref = parse_log_group_arn(t.config.log_group_arn or "") if t.config else None
        if t.config and t.config.role_arn and parse_role_arn(t.config.role_arn) and ref:
            document = role_policy(ref.region, ref.account_id, ref.name, org_id)
            docs = policies.setdefault(t.config.role_arn, [])
            docs.append(inline(document, f"CloudTrailToCloudWatchLogs-{t.name}"))
    out = []
    for arn, docs in sorted(policies.items()):
        _, account, name = parse_role_arn(arn)  # type: ignore[misc]
        out.append(make_role(name, account_id=account, policies=tuple(docs)))
    return tuple(out)
