"""The parameters of the single-account template (:mod:`.templates`), with their defaults
and what they accept; the rule parameters among them keep the handler's defaults."""

from __future__ import annotations

from typing import Any

from trailwarden.config_rule.parameters import PARAMETER_DEFAULTS

__all__ = ["PARAMETERS", "SCHEDULES"]

# Periodic runs: the frequencies AWS Config offers (SourceDetail.MaximumExecutionFrequency).
SCHEDULES = ["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"]

PARAMETERS: dict[str, Any] = {
    "CodeBucket": {
        "Type": "String",
        "Description": "S3 bucket holding the zip of `trailwarden lambda package`, in this "
        "region (or, with CodeBucketPerRegion, the prefix of <prefix>-<region> buckets).",
    },
    "CodeKey": {
        "Type": "String",
        "Default": "trailwarden-config-rule.zip",
        "Description": "S3 key of the zip.",
    },
    "CodeBucketPerRegion": {
        "Type": "String",
        "AllowedValues": ["false", "true"],
        "Default": "false",
        "Description": "true: the bucket is <CodeBucket>-<region> (Lambda reads code only "
        "from a bucket in its own region; used by the organization template).",
    },
    "Architecture": {
        "Type": "String",
        "AllowedValues": ["x86_64", "arm64"],
        "Default": "x86_64",
        "Description": "The architecture the zip was built for (--architecture).",
    },
    "MemorySize": {
        "Type": "Number",
        "AllowedValues": [256, 512, 1024],
        "Default": 256,
        "Description": "Memory of the function in MB (its CPU share grows with it).",
    },
    "Schedule": {
        "Type": "String",
        "AllowedValues": SCHEDULES,
        "Default": "TwentyFour_Hours",
        "Description": "How often AWS Config runs the periodic evaluation of every trail.",
    },
    "MinRetentionDays": {
        "Type": "Number",
        "MinValue": 1,
        "MaxValue": 3653,
        "Default": int(PARAMETER_DEFAULTS["MinRetentionDays"]),
        "Description": "TW007: the least retention of a trail's log group, in days.",
    },
    "MaxDeliveryAge": {
        "Type": "String",
        "Default": PARAMETER_DEFAULTS["MaxDeliveryAge"],
        "AllowedPattern": "^([0-9]+[smhdw]?)+$",
        "Description": "TW004: the oldest a trail's last delivery may be (24h, 90m, 2d).",
    },
    "Monitoring": {
        "Type": "String",
        "AllowedValues": ["true", "false"],
        "Default": PARAMETER_DEFAULTS["Monitoring"],
        "Description": "Judge the CIS monitoring checks TW101-TW115 too.",
    },
    "ConfigRuleName": {
        "Type": "String",
        "Default": "trailwarden-cloudtrail-cloudwatch-logs",
        "AllowedPattern": "^[A-Za-z0-9_-]{1,64}$",
        "Description": "Name of the AWS Config rule and of its function.",
    },
    "DriftDetection": {
        "Type": "String",
        "AllowedValues": ["true", "false"],
        "Default": "true",
        "Description": "Re-evaluate within minutes of an API call that breaks the chain.",
    },
}
