"""`trailwarden test-pattern`: the local `aws logs test-metric-filter`."""

from __future__ import annotations

import sys

import click

from trailwarden.cli.common import deliver, handle_errors, render_for_people

__all__ = ["test_pattern"]


def _pattern_may_start_with_a_dash(args: list[str], valued: set[str], flags: set[str]) -> list[str]:
    """``args`` with every positional argument after a ``--``.

    The documented term pattern ``-ERROR`` (exclude ERROR) is an argument, not an option:
    anything that starts with a single '-' and is not an option of the command is a
    positional argument. Options keep their meaning wherever they stand; a ``--`` still ends
    them; an unknown ``--long`` option is left for click to report.
    """
    options: list[str] = []
    positionals: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            positionals += args[i + 1 :]
            break
        name = arg.split("=", 1)[0]
        if name in valued:
            options.append(arg)
            if "=" not in arg and i + 1 < len(args):
                i += 1
                options.append(args[i])
        elif arg in flags or arg.startswith("--"):
            options.append(arg)
        else:
            positionals.append(arg)
        i += 1
    return [*options, "--", *positionals] if positionals else options


class _PatternCommand(click.Command):
    """A command whose PATTERN may begin with '-' (see _pattern_may_start_with_a_dash)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        valued: set[str] = set()
        flags: set[str] = set(ctx.help_option_names)
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                names = {*param.opts, *param.secondary_opts}
                (flags if param.is_flag or param.count else valued).update(names)
        return super().parse_args(ctx, _pattern_may_start_with_a_dash(args, valued, flags))


@click.command("test-pattern", cls=_PatternCommand)
@click.argument("pattern")
@click.argument("event_file", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@handle_errors
def test_pattern(pattern: str, event_file: str | None, fmt: str) -> None:
    """Match a filter pattern against log events, like `aws logs test-metric-filter`.

    EVENT_FILE (default, or '-': standard input) holds one raw log message per line; bytes
    that are not UTF-8 become U+FFFD, as in CloudWatch Logs. PATTERN may start with '-'
    (the term pattern -ERROR matches events without ERROR).
    """

    from trailwarden.backtest.testpattern import (
        match_messages,
        read_event_file,
        read_stream,
        render_json,
        render_table,
    )

    if event_file is None or event_file == "-":
        messages = read_stream(sys.stdin.buffer)
    else:
        messages = read_event_file(event_file)
    result = match_messages(pattern, messages)
    if fmt == "json":
        deliver(render_json(result), None)
    else:
        render_for_people(lambda console: render_table(result, console), None)
