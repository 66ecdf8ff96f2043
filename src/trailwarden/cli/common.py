"""What every command shares: the one error handler and exit codes, where output goes.

Exit codes: 0 every evaluated check passes; 1 at least one FAIL or ERROR; 2 trailwarden
could not run (bad arguments, no credentials, an unreadable inventory, a silent endpoint,
or a bug: nothing escapes as 1, which would read as "a check failed"); 130 interrupted
(Ctrl-C). Options and their parsing are in :mod:`trailwarden.cli.options`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from trailwarden.collect.urls import mask_userinfo
from trailwarden.errors import Error, UsageError
from trailwarden.textsafe import printable

if TYPE_CHECKING:
    from rich.console import Console


__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_USAGE",
    "deliver",
    "handle_errors",
    "render_for_people",
    "require_yes_without_terminal",
    "say",
    "write",
]

F = TypeVar("F", bound=Callable[..., Any])

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for a Ctrl-C'd program
_MAX_INTERNAL_MESSAGE = 500


def handle_errors(func: F) -> F:
    """Run a command so that nothing escapes it unexplained.

    - :class:`Error` (the user's to fix): its one sentence, exit 2;
    - Ctrl-C (also at a confirmation prompt): exit 130 at once;
    - any other exception (a bug): ``internal error: <type>: <message>``, exit 2.

    Every sentence is printed with control characters escaped and URL passwords masked;
    ``--debug`` adds the (equally masked) traceback.
    """

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException):
            raise  # click's own: --help, usage errors (exit 2)
        except click.Abort as exc:
            # click.confirm turns Ctrl-C into Abort; a declined prompt stays click's Abort.
            if isinstance(exc.__context__, KeyboardInterrupt):
                interrupted()
            raise
        except KeyboardInterrupt:
            interrupted()
        except Error as exc:
            _fail(f"error: {exc}", exc)
        except Exception as exc:
            message = str(exc)
            if len(message) > _MAX_INTERNAL_MESSAGE:
                message = message[:_MAX_INTERNAL_MESSAGE] + "…"
            detail = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
            _fail(f"internal error: {detail}; please report it with --debug output", exc)

    return wrapper  # type: ignore[return-value]


def say(text: str) -> None:
    """One line for people on standard error, outside text made inert."""
    click.echo(printable(mask_userinfo(text)), err=True)


def interrupted() -> NoReturn:
    """End the process now with exit 130.

    ``os._exit``, not ``sys.exit``: worker threads blocked in a socket read would
    otherwise be joined at interpreter exit, holding Ctrl-C up for a read timeout. What
    must survive is already on disk (the apply journal fsyncs every record).
    """
    try:
        say("trailwarden: interrupted")
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(EXIT_INTERRUPTED)


def _fail(message: str, exc: BaseException) -> NoReturn:
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.find_root().params.get("debug"):
        import traceback

        for line in "".join(traceback.format_exception(exc)).splitlines():
            say(line)
    say(f"trailwarden: {message}")
    sys.exit(EXIT_USAGE)


def require_yes_without_terminal(yes: bool, what: str) -> None:
    """A job without a terminal (cron, CI) must say --yes before ``what`` changes AWS."""
    if not yes and not sys.stdin.isatty():
        raise UsageError(
            f"Standard input is not a terminal, so trailwarden cannot ask before it {what}; "
            "pass --yes to go ahead without asking."
        )


def deliver(data: bytes | Iterable[bytes], output: Path | None) -> None:
    """Machine output (bytes, or pieces written one after another): to standard output,
    or to ``output``."""
    if output is None:
        for piece in (data,) if isinstance(data, bytes) else data:
            sys.stdout.buffer.write(piece)
        sys.stdout.flush()
    else:
        write(output, data)


def render_for_people(render: Callable[[Console], None], output: Path | None) -> None:
    """rich output: coloured on the terminal, plain text (120 columns) into ``output``."""
    from rich.console import Console

    if output is None:
        render(Console())
        return
    import io

    console = Console(record=True, width=120, file=io.StringIO())
    render(console)
    write(output, console.export_text().encode())


def write(path: Path, data: bytes | Iterable[bytes]) -> None:
    """A report file, created readable by its owner only (0600), like inventories and
    journals: it names the account's trails, roles, log groups and their weaknesses. A file
    that exists keeps the mode its owner gave it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            for piece in (data,) if isinstance(data, bytes) else data:
                handle.write(piece)
    except OSError as exc:
        raise UsageError(
            f"Cannot write {path}: {exc.strerror or exc}; choose another --output."
        ) from exc
