"""A progress bar by bytes, shown only when the console it is given is a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

__all__ = ["byte_progress"]

Callbacks = tuple[Callable[[int], None] | None, Callable[[int], None] | None]


@contextmanager
def byte_progress(console: Console, description: str = "Replaying") -> Iterator[Callbacks]:
    """``(on_start(total_bytes), on_file(bytes))`` callbacks; both None off a terminal."""
    if not console.is_terminal:
        yield None, None
        return
    columns = (BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
    with Progress(f"{description}…", *columns, console=console, transient=True) as progress:
        task = progress.add_task(description, total=None)

        def on_start(total: int) -> None:
            progress.update(task, total=total)

        def on_file(size: int) -> None:
            progress.advance(task, size)

        yield on_start, on_file
