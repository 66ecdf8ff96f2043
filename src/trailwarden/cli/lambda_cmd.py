"""`trailwarden lambda package|template`: deploy the checks as an AWS Config custom rule."""

from __future__ import annotations

import json
from pathlib import Path

import click

from trailwarden.cli.common import deliver, handle_errors, say

__all__ = ["lambda_group"]


@click.group(name="lambda")
def lambda_group() -> None:
    """Run the checks inside every account: an AWS Config custom rule on AWS Lambda."""


@lambda_group.command()
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the deployment zip.",
)
@click.option(
    "--runtime",
    type=click.Choice(["python3.12", "python3.13"]),
    default="python3.12",
    show_default=True,
    help="The Lambda runtime the function will use.",
)
@click.option(
    "--architecture",
    type=click.Choice(["x86_64", "arm64"]),
    default="x86_64",
    show_default=True,
    help="The Lambda architecture (the template's Architecture parameter must match).",
)
@handle_errors
def package(output: Path, runtime: str, architecture: str) -> None:
    """Build the deployment zip: trailwarden and what the Lambda runtime lacks, pinned.

    pip fetches the compiled dependencies (orjson, google-re2) for the Lambda platform
    from PyPI.
    """
    from trailwarden.config_rule.package import Target, build_zip

    built = build_zip(output, Target(runtime=runtime, architecture=architecture))
    pins = ", ".join(f"{name}=={version}" for name, version in sorted(built.pins.items()))
    say(
        f"Wrote {output} ({built.size / 1e6:.1f} MB) for {built.target.describe()}: "
        f"trailwarden, {pins}; upload it to S3 and deploy `trailwarden lambda template`."
    )


@lambda_group.command()
@click.option(
    "--organization",
    is_flag=True,
    help="Every account of an organization: a service-managed StackSet (new accounts too).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the template to FILE instead of standard output.",
)
@handle_errors
def template(organization: bool, output: Path | None) -> None:
    """Print the CloudFormation template (JSON) for one account and region, or with
    --organization for every account of the organization."""
    from trailwarden.config_rule.org_template import organization_template
    from trailwarden.config_rule.templates import account_template

    document = organization_template() if organization else account_template()
    deliver((json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode(), output)
