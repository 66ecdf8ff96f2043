# Data module: what TW001–TW007 and TW010 are, and the text `trailwarden explain` prints.
"""The specs of the trail checks (TW001–TW007) and of TW010, registered in :mod:`.registry`."""

from __future__ import annotations

from trailwarden.checks.spec import CheckSpec
from trailwarden.findings import Severity

__all__ = ["TRAIL_SPECS"]

_CIS = (
    "CIS AWS Foundations Benchmark v1.2 2.4, v1.3–v2.0 3.4: "
    "Ensure CloudTrail trails are integrated with CloudWatch Logs",
    "AWS Security Hub control CloudTrail.5: "
    "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html",
    "AWS Config managed rule cloud-trail-cloud-watch-logs-enabled: "
    "https://docs.aws.amazon.com/config/latest/developerguide/cloud-trail-cloud-watch-logs-enabled.html",
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html",
)
_STATUS_API = (
    "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html"
)
_ROLE_DOC = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html"
_STREAMS_DOC = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-log-group-log-stream-naming-for-cloudtrail.html"

# Commands are fenced, one per line: `trailwarden explain` prints them unwrapped, so that
# they can be copied at any terminal width.
_UPDATE_TRAIL = (
    "```sh\naws cloudtrail update-trail --name TRAIL --region HOME_REGION "
    "--cloud-watch-logs-log-group-arn 'arn:aws:logs:HOME_REGION:ACCOUNT:log-group:NAME:*' "
    "--cloud-watch-logs-role-arn arn:aws:iam::ACCOUNT:role/CloudTrail_CloudWatchLogs_Role\n"
    """```
Run it in the trail's home region (`--region`; elsewhere it fails with
`InvalidHomeRegionException`), from the account that owns the trail (for an organization
trail: the management account). The CIS text prints invalid flag names
(`--cloudwatch-logs-…`); the flags above are the ones the AWS CLI accepts."""
)

_TRUST = """{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"Service": "cloudtrail.amazonaws.com"},
    "Action": "sts:AssumeRole"
  }]
}"""

_PERMISSIONS = """{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "AWSCloudTrailCreateLogStreamAndPutLogEvents",
    "Effect": "Allow",
    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
    "Resource": [
      "arn:aws:logs:REGION:ACCOUNT:log-group:NAME:log-stream:ACCOUNT_CloudTrail_REGION*",
      "arn:aws:logs:REGION:ACCOUNT:log-group:NAME:log-stream:o-ORGID_*"
    ]
  }]
}"""

_GET_STATUS = """```sh
aws cloudtrail get-trail-status --name TRAIL --region HOME_REGION
```"""

_START_LOGGING = """```sh
aws cloudtrail start-logging --name TRAIL --region HOME_REGION
```"""

_NOT_APPLICABLE = (
    "NOT_APPLICABLE when TW001 fails (there is no integration to examine); ERROR when TW001 "
    "is ERROR. "
)

TRAIL_SPECS: tuple[CheckSpec, ...] = (
    CheckSpec(
        id="TW001",
        title="Trail is integrated with CloudWatch Logs",
        severity=Severity.HIGH,
        scope="trail",
        rationale="Metric filters and alarms on API activity (root use, IAM and CloudTrail "
        "changes…) only see what CloudTrail sends to CloudWatch Logs. A trail without "
        "the integration writes to S3 only, where nobody is alerted in time.",
        how_evaluated="DescribeTrails, in the trail's home region: `CloudWatchLogsLogGroupArn` "
        'and `CloudWatchLogsRoleArn` must both be set (missing and `""` are the same). '
        "The message names the one that is missing. If DescribeTrails failed, ERROR "
        "with the API action and AWS error code.",
        remediation="Create the log group and the delivery role (see `trailwarden explain "
        "TW003`), then point the trail at both:\n\n" + _UPDATE_TRAIL,
        references=(
            *_CIS,
            "https://docs.aws.amazon.com/cli/latest/reference/cloudtrail/update-trail.html",
        ),
    ),
    CheckSpec(
        id="TW002",
        title="Log group exists in the trail's home region and account",
        severity=Severity.HIGH,
        scope="trail",
        rationale="CloudTrail delivers only to a log group in the trail's home region and "
        "account. A deleted log group, or an ARN naming another region or account, "
        "means the integration is configured but nothing arrives.",
        how_evaluated=_NOT_APPLICABLE + "The ARN must parse as a log group ARN, name the "
        "trail's home region and account, and DescribeLogGroups there must find the "
        "group. For an organization trail seen from a member account the group lives "
        "in the management account and cannot be read: ERROR, scan from that account.",
        remediation="Create the missing group in the home region:\n\n"
        "```sh\naws logs create-log-group --log-group-name NAME --region HOME_REGION\n```"
        "\n\nor point the trail at a group that exists there:\n\n" + _UPDATE_TRAIL,
        references=(
            *_CIS,
            "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html",
        ),
    ),
    CheckSpec(
        id="TW003",
        title="Delivery role can be assumed by CloudTrail and may write the trail's streams",
        severity=Severity.HIGH,
        scope="trail",
        rationale="CloudTrail assumes `CloudWatchLogsRoleArn` to create log streams and put "
        "events. A wrong trusted principal, a trust condition that excludes this trail, a "
        "policy scoped to another group or stream prefix, or a guardrail Deny each stop "
        "delivery silently; scanners that only check the ARN is set pass all of them.",
        how_evaluated=_NOT_APPLICABLE + "Then, in order (the first problem is the verdict):\n\n"
        "- The role ARN is valid, in the trail's account, and the role exists (GetRole).\n"
        "- **Trust policy**: an Allow lets `cloudtrail.amazonaws.com` call `sts:AssumeRole` "
        "with `aws:SourceArn` = the trail's ARN and `aws:SourceAccount` = its account, "
        "and no Deny applies.\n"
        "- **Permissions**: the inline and attached managed policies, and the permissions "
        "boundary if set, allow `logs:CreateLogStream` and `logs:PutLogEvents`, with no "
        "Deny, on the streams CloudTrail writes: `ACCOUNT_CloudTrail_HOMEREGION` and "
        "`ACCOUNT_CloudTrail_HOMEREGION_2` (named after the trail's home region, also for "
        "multi-region trails, and numbered when volume is high) and, for an organization "
        "trail, `o-ORGID_MEMBER_CloudTrail_HOMEREGION`. AWS documents that this policy "
        "does not support `aws:SourceArn`/`aws:SourceAccount`: they are absent here.\n"
        "- An Allow whose condition trailwarden cannot evaluate (an operator other than "
        "String… and Arn…, a key it was not given, a policy variable) does not count; such "
        "a Deny counts as a possible Deny. Both are named in the message.\n"
        "- Service control policies cannot be read from a member account and are not "
        "evaluated; a Deny there shows up in TW004 and TW005.",
        remediation="Trust policy (`trust.json`):\n\n```json\n" + _TRUST + "\n```\n\n"
        "Permissions (`permissions.json`; the `o-ORGID_*` line only for organization "
        "trails; REGION is the trail's home region, NAME the log group):\n\n```json\n"
        + _PERMISSIONS
        + "\n```\n\n```sh\n"
        "aws iam create-role --role-name CloudTrail_CloudWatchLogs_Role "
        "--assume-role-policy-document file://trust.json\n"
        "# or, for an existing role:\n"
        "aws iam update-assume-role-policy --role-name ROLE "
        "--policy-document file://trust.json\n"
        "aws iam put-role-policy --role-name ROLE --policy-name CloudTrailToCloudWatchLogs "
        "--policy-document file://permissions.json\n```\n\n"
        "Remove or narrow any Deny (in the role's policies or its permissions boundary) "
        "that matches these actions and streams. Then make sure the trail uses the role:\n\n"
        + _UPDATE_TRAIL,
        references=(
            *_CIS,
            _ROLE_DOC,
            _STREAMS_DOC,
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
        ),
    ),
    CheckSpec(
        id="TW004",
        title="Events were delivered to CloudWatch Logs recently",
        severity=Severity.HIGH,
        scope="trail",
        rationale="The only proof that the integration works is that events arrive. CIS "
        "and the Config rule (`expectedDeliveryWindowAge`) look for a delivery within "
        "about a day.",
        how_evaluated=_NOT_APPLICABLE + "GetTrailStatus in the home region: "
        "`LatestCloudWatchLogsDeliveryTime` must be set and no older than "
        "`--max-delivery-age` (default 24h), measured from the inventory's collection "
        "time so that a saved inventory gives the same verdict later.",
        remediation="Fix what TW002, TW003, TW005 and TW006 report for this trail, then "
        "confirm that events arrive:\n\n" + _GET_STATUS,
        references=(*_CIS, _STATUS_API),
    ),
    CheckSpec(
        id="TW005",
        title="No CloudWatch Logs delivery error",
        severity=Severity.MEDIUM,
        scope="trail",
        rationale="CloudTrail records why its last delivery to CloudWatch Logs failed "
        "(a role it cannot assume, a missing group, a denied call). The error names "
        "the cause more directly than any configuration check.",
        how_evaluated=_NOT_APPLICABLE + "GetTrailStatus in the home region: "
        "`LatestCloudWatchLogsDeliveryError` must be empty; the message quotes it.",
        remediation="Fix the cause the error names (usually TW002 or TW003); the error "
        "clears after the next successful delivery:\n\n" + _GET_STATUS,
        references=(*_CIS, _STATUS_API),
    ),
    CheckSpec(
        id="TW006",
        title="Trail is logging",
        severity=Severity.HIGH,
        scope="trail",
        rationale="A stopped trail records nothing, so nothing reaches CloudWatch Logs "
        "however well the integration is configured.",
        how_evaluated="GetTrailStatus in the home region: `IsLogging` must be true. "
        "Evaluated whatever TW001 says.",
        remediation="From the account that owns the trail:\n\n" + _START_LOGGING,
        references=(*_CIS, _STATUS_API),
    ),
    CheckSpec(
        id="TW007",
        title="Log group keeps events at least the minimum retention",
        severity=Severity.LOW,
        scope="trail",
        rationale="Investigations need history; a short retention deletes it. trailwarden "
        'also fails "never expire": the requirement is a retention policy set on '
        "purpose (at least `--min-retention-days`, default 365), not unbounded cost.",
        how_evaluated=_NOT_APPLICABLE + "Also NOT_APPLICABLE when the log group does not "
        "exist or its ARN is invalid (see TW002). DescribeLogGroups: `retentionInDays` "
        "must be set and at least the minimum.",
        remediation="```sh\naws logs put-retention-policy --log-group-name NAME "
        "--retention-in-days 365 --region REGION\n```\n\nCloudWatch Logs accepts only "
        "some values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, "
        "1827, 2192, 2557, 2922, 3288, 3653.",
        references=(
            *_CIS,
            "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
        ),
    ),
    CheckSpec(
        id="TW010",
        title="A multi-region trail captures management events and delivers them",
        severity=Severity.HIGH,
        scope="account",
        rationale="Per-trail checks can all pass while activity in most regions, or "
        "write events, is never recorded. The account needs one trail covering every "
        "region and all management events, delivered to CloudWatch Logs.",
        how_evaluated="Candidates are the account's own trails and organization trails "
        "applied to it. One must be multi-region, logging, capture read and write "
        "management events, and pass TW001–TW005. Default event selectors capture "
        "all management events; basic selectors must cover ReadOnly and WriteOnly with "
        "`IncludeManagementEvents`; advanced selectors must select "
        "`eventCategory = Management` without restricting `readOnly` to one value "
        "(excluding event sources such as KMS is allowed and reported). ERROR when no "
        "trail qualifies and a candidate or the trail list could not be read. With "
        "`scan --org`, an organization trail is judged once, in the management account "
        "that owns it, and a member that lists it is credited from that judgement.",
        remediation="Make one trail qualify: multi-region, logging, and event selectors "
        "that capture all management events (`put-event-selectors` replaces all "
        "selectors: include the existing ones in the JSON); then fix its TW001–TW005 "
        "findings.\n\n```sh\n"
        "aws cloudtrail update-trail --name TRAIL --is-multi-region-trail --region "
        "HOME_REGION\n"
        "aws cloudtrail start-logging --name TRAIL --region HOME_REGION\n"
        "aws cloudtrail put-event-selectors --trail-name TRAIL --region HOME_REGION "
        '--event-selectors \'[{"ReadWriteType": "All", "IncludeManagementEvents": '
        "true}]'\n```",
        references=(
            "CIS AWS Foundations Benchmark v1.2 2.1, v1.3–v2.0 3.1: "
            "Ensure CloudTrail is enabled in all regions",
            "AWS Security Hub control CloudTrail.1",
            "AWS Config managed rule multi-region-cloudtrail-enabled",
            "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html",
        ),
    ),
)
