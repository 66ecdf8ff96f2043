"""The command line: parse, call the library, render, choose the exit code.

One module per command; what they share (error handling and exit codes, options, where
output goes) is in :mod:`trailwarden.cli.common`.

Exit codes: 0 every evaluated check passes; 1 at least one FAIL or ERROR;
2 trailwarden could not run (bad arguments, no credentials, unreadable inventory, a silent
endpoint, a bug); 130 interrupted.
"""

from __future__ import annotations

import click

from trailwarden.cli.backtest import backtest
from trailwarden.cli.demo import demo
from trailwarden.cli.explain import explain
from trailwarden.cli.fix import fix
from trailwarden.cli.iac import iac
from trailwarden.cli.lambda_cmd import lambda_group
from trailwarden.cli.rollback import rollback
from trailwarden.cli.scan import scan
from trailwarden.cli.test_pattern import test_pattern
from trailwarden.version import __version__

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="trailwarden")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def cli(debug: bool) -> None:
    """Check that every CloudTrail trail really delivers to CloudWatch Logs."""


for _command in (scan, explain, demo, fix, rollback, backtest, test_pattern, iac, lambda_group):
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="trailwarden")
