"""Errors a user can cause, each with a one-sentence explanation of what to do.

The tree::

    Error                        base; the CLI prints ``str(err)`` and exits 2
    ├── CredentialsError         no, invalid or expired AWS credentials
    ├── EndpointError            an AWS endpoint that does not answer, or answers as no AWS API does
    ├── UnknownRegionError       a --regions name AWS does not know
    ├── InventoryFileError       an inventory file that cannot be read or parsed
    ├── UnknownCheckError        a check id that does not exist
    ├── FilterPatternError       a CloudWatch Logs filter pattern that cannot be compiled
    │   └── FilterPatternSyntaxError  (trailwarden.filterpattern): position + what was expected
    ├── JournalError             an apply journal that cannot be written, read or parsed
    ├── SecurityHubError         findings that Security Hub did not take (scan --security-hub)
    ├── CodeInputError           a `trailwarden iac` PATH that is not readable Terraform or CFN
    ├── UsageError               any other bad argument
    └── defined beside what they guard:
        BacktestInputError       (backtest.reader) no event read from any input
        SuppressionsFileError    (suppressions) a bad suppressions file, at file:line
        PlanFormatError          (remediate.render.json) a plan file that is not a trailwarden plan
        PackageError             (config_rule.package) the Lambda zip cannot be built
        RuleParameterError, EventError, ReportError  (config_rule) a misconfigured rule, an
                                 event that is not AWS Config's, PutEvaluations refused

Failures to *evaluate* a check (AccessDenied on one API call, say) are not errors:
they are findings with status ERROR (see :mod:`trailwarden.findings`).
"""

from __future__ import annotations

__all__ = [
    "CodeInputError",
    "CredentialsError",
    "EndpointError",
    "Error",
    "FilterPatternError",
    "InventoryFileError",
    "JournalError",
    "SecurityHubError",
    "UnknownCheckError",
    "UnknownRegionError",
    "UsageError",
]


class Error(Exception):
    """Base of every error a user can cause; ``str()`` is a human sentence."""


class CredentialsError(Error):
    """No usable AWS credentials."""


class EndpointError(Error):
    """An endpoint that stays silent, or whose answer is not an AWS API response."""


class UnknownRegionError(Error):
    """A region name that is not an AWS region."""


class InventoryFileError(Error):
    """An inventory file that is missing, unreadable or malformed."""


class UnknownCheckError(Error):
    """A check id that trailwarden does not have."""


class JournalError(Error):
    """An apply journal that cannot be created, read, appended to or parsed."""


class SecurityHubError(Error):
    """Findings that could not be imported into (or archived in) Security Hub."""


class CodeInputError(Error):
    """Infrastructure code that cannot be read: a PATH of no known kind, a syntax error, a
    file too large."""


class FilterPatternError(Error):
    """A CloudWatch Logs filter pattern that cannot be compiled."""


class UsageError(Error):
    """Another argument that cannot be used."""
