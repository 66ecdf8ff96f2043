"""UpdateTrail as CloudTrail validates it: the role and log group it names must be usable.

moto stores whatever UpdateTrail names. CloudTrail checks, on every UpdateTrail that names
them, that it can assume the role (it exists in the trail's account and trusts
cloudtrail.amazonaws.com) and that the log group exists in the trail's home region and
account; otherwise it refuses with InvalidCloudWatchLogsRoleArnException or
InvalidCloudWatchLogsLogGroupArnException and changes nothing:
https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_UpdateTrail.html#API_UpdateTrail_Errors
This is what makes a rollback that points a trail back at a role deleted since fail as it
does on AWS. The role's permissions are not simulated (AWS answers "Access denied. Verify
in IAM that the role has adequate permissions" for those). Empty values remove the
integration and are not checked.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["validating_update_trail"]


def validating_update_trail(original: Callable[..., Any]) -> Callable[..., Any]:
    """A replacement for ``CloudTrailBackend.update_trail`` that validates as CloudTrail."""

    def update_trail(self: Any, **kwargs: Any) -> Any:
        group, role = kwargs.get("cw_log_group_arn"), kwargs.get("cw_role_arn")
        if group:
            _check_log_group(self.account_id, self.region_name, group)
        if role:
            _check_role(self.account_id, role)
        return original(self, **kwargs)

    return update_trail


def _refused(code: str, message: str) -> Exception:
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError(code, message)


def _check_log_group(account: str, region: str, arn: str) -> None:
    from moto.logs.models import logs_backends

    from trailwarden.arns import parse_log_group_arn

    ref = parse_log_group_arn(arn)
    ok = ref is not None and (ref.account_id, ref.region) == (account, region)
    if not ok or ref is None or ref.name not in logs_backends[account][region].groups:
        raise _refused(
            "InvalidCloudWatchLogsLogGroupArnException",
            "Access denied. Verify in IAM that the log group exists and the role has adequate "
            "permissions.",
        )


def _check_role(account: str, arn: str) -> None:
    from moto.iam.models import iam_backends

    from trailwarden.arns import parse_role_arn
    from trailwarden.checks.iam_policy import allowed_principals

    parsed = parse_role_arn(arn)
    role = None
    if parsed is not None and parsed[1] == account:
        partition = iam_backends[account][parsed[0]]
        role = next((r for r in partition.roles.values() if r.arn == arn), None)
    trusted = False
    if role is not None:
        document = json.loads(role.assume_role_policy_document)
        trusted = "Service cloudtrail.amazonaws.com" in allowed_principals(
            document, "sts:AssumeRole"
        )
    if not trusted:
        raise _refused(
            "InvalidCloudWatchLogsRoleArnException",
            "Access denied. Check the trust relationships for your role.",
        )
