"""`trailwarden iac`: the same checks on Terraform and CloudFormation, before anything is
deployed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from trailwarden.cli.common import handle_errors
from trailwarden.cli.options import check_options, evaluation_options, format_options
from trailwarden.cli.report_output import Output, framework_selection, output_options, publish
from trailwarden.errors import UsageError

__all__ = ["iac"]


@click.command()
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH..."
)
@click.option(
    "--region",
    envvar=["AWS_REGION", "AWS_DEFAULT_REGION"],
    metavar="REGION",
    help="Region of code that does not say its own: a CloudFormation stack, a Terraform "
    "provider without region (default: $AWS_REGION, else $AWS_DEFAULT_REGION).",
)
@click.option(
    "--var-file",
    "var_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Terraform: a .tfvars file, read after terraform.tfvars and *.auto.tfvars "
    "(repeatable, later wins).",
)
@format_options("table, json, ocsf, sarif, junit, csv, html (not asff: code has no account yet)")
@evaluation_options
@output_options
@handle_errors
def iac(
    paths: tuple[Path, ...],
    region: str | None,
    var_files: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    min_retention_days: int,
    checks: tuple[str, ...],
    monitoring: bool,
    output_dir: Path | None,
    suppressions_file: Path | None,
    framework: str | None,
) -> None:
    """Check Terraform and CloudFormation before they are deployed.

    Each PATH is a Terraform directory (*.tf; local modules are followed), a Terraform plan in
    JSON (terraform show -json plan.out), or a CloudFormation template (YAML or JSON). TW004
    and TW005 (deliveries) are runtime facts and are not reported; what the code does not say
    is NOT_APPLICABLE, "cannot be verified from code". No AWS call is made.
    """
    from trailwarden.collect.iac import CodeSettings
    from trailwarden.iac_scan import scan_code

    settings = CodeSettings(
        region=_known_region(region),
        var_files=var_files,
        # Terraform reads TF_VAR_name for variable `name`; so does trailwarden.
        env_vars={k[7:]: v for k, v in os.environ.items() if k.startswith("TF_VAR_")},
    )
    options = check_options("24h", min_retention_days, checks, monitoring)
    options, chosen = framework_selection(options, framework)
    # A bad --format, --output or suppressions file is exit 2 before any file is parsed.
    out = Output(fmt, output, output_dir, suppressions_file, chosen).prepared()
    if any(f.name == "asff" for f in out.chosen()):
        raise UsageError(
            "--format asff is for Security Hub, which takes findings of a deployed account "
            "(AwsAccountId); code has none yet: use sarif, json, ocsf, junit, csv or html."
        )
    report = scan_code(paths, options, settings)
    sys.exit(publish(report, out).exit_code)


def _known_region(region: str | None) -> str | None:
    """``--region`` as given, if AWS knows it (a typo would put every ARN in a wrong region)."""
    if not region or not region.strip():
        return None
    import difflib

    from trailwarden.collect.regions import known_regions

    name = region.strip()
    if name not in known_regions():
        close = difflib.get_close_matches(name, list(known_regions()), n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UsageError(f"--region {name!r} is not an AWS region.{hint}")
    return name
