"""The organization-wide deployment (``trailwarden lambda template --organization``).

A service-managed StackSet, deployed from the management account (or a delegated
administrator), that puts the single-account template (:mod:`.templates`) into every
account of the given OUs and regions, and into every account that joins them later
(``AutoDeployment``). Each account gets its own function, reading with its own role:
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-stackset.html
Why not ``AWS::Config::OrganizationConfigRule``: README, "Deploy to an organization".
"""

from __future__ import annotations

import json
from typing import Any

from trailwarden.config_rule.templates import PARAMETERS, account_template
from trailwarden.version import __version__

__all__ = ["organization_template"]

# What the StackSet passes through to every stack (CodeBucketPerRegion is forced on:
# Lambda reads its code only from a bucket in its own region).
_PASSED = [name for name in PARAMETERS if name != "CodeBucketPerRegion"]


def organization_template() -> dict[str, Any]:
    """A template with one service-managed StackSet of :func:`account_template`."""
    parameters: dict[str, Any] = {
        "OrganizationalUnitIds": {
            "Type": "CommaDelimitedList",
            "Description": "The OUs (ou-xxxx-xxxxxxxx) or the root (r-xxxx) to deploy to.",
        },
        "Regions": {
            "Type": "CommaDelimitedList",
            "Description": "The regions to deploy to (each needs an AWS Config recorder and "
            "a <CodeBucket>-<region> bucket holding the zip).",
        },
        "CallAs": {
            "Type": "String",
            "AllowedValues": ["SELF", "DELEGATED_ADMIN"],
            "Default": "SELF",
            "Description": "SELF from the management account, DELEGATED_ADMIN from a "
            "delegated administrator of StackSets.",
        },
        **{name: PARAMETERS[name] for name in _PASSED},
    }
    parameters["CodeBucket"] = {
        **PARAMETERS["CodeBucket"],
        "Description": "Prefix of the code buckets: the zip is read from <CodeBucket>-<region> "
        "(each readable by the organization: aws:PrincipalOrgID in its bucket policy).",
    }
    passed = [{"ParameterKey": n, "ParameterValue": {"Ref": n}} for n in _PASSED]
    passed.append({"ParameterKey": "CodeBucketPerRegion", "ParameterValue": "true"})
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"trailwarden {__version__}: the AWS Config custom rule in every "
        "account of an organization (service-managed StackSet, new accounts included).",
        "Parameters": parameters,
        "Resources": {
            "ConfigRuleStackSet": {
                "Type": "AWS::CloudFormation::StackSet",
                "Properties": {
                    "StackSetName": {"Fn::Sub": "${ConfigRuleName}"},
                    "Description": "trailwarden's AWS Config rule, one stack per account and "
                    "region",
                    "PermissionModel": "SERVICE_MANAGED",
                    "CallAs": {"Ref": "CallAs"},
                    # New accounts of the OUs get the rule; leaving removes it.
                    "AutoDeployment": {"Enabled": True, "RetainStacksOnAccountRemoval": False},
                    # The stacks create an IAM role (not named).
                    "Capabilities": ["CAPABILITY_IAM"],
                    "ManagedExecution": {"Active": True},
                    "OperationPreferences": {
                        "RegionConcurrencyType": "PARALLEL",
                        "MaxConcurrentPercentage": 25,
                        "FailureTolerancePercentage": 10,
                    },
                    "Parameters": passed,
                    "StackInstancesGroup": [
                        {
                            "DeploymentTargets": {
                                "OrganizationalUnitIds": {"Ref": "OrganizationalUnitIds"}
                            },
                            "Regions": {"Ref": "Regions"},
                        }
                    ],
                    "TemplateBody": json.dumps(account_template(), separators=(",", ":")),
                },
            }
        },
        "Outputs": {"StackSetId": {"Value": {"Ref": "ConfigRuleStackSet"}}},
    }
