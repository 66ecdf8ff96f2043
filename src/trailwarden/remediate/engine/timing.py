"""Making calls, and waiting, with the clock and sleep injected so that tests take no time.

- :class:`WritePacer`: CloudTrail allows 1 write transaction per second per region for its
  trail-management calls (UpdateTrail, StartLogging, StopLogging), so consecutive writes in
  one region are kept at least a second apart; botocore's retries handle any
  ThrottlingException left:
  https://docs.aws.amazon.com/general/latest/gr/ct.html#limits_cloudtrail
- :func:`backoff`: exponential delays within a deadline, for IAM's eventual consistency
  (a role created or changed a moment ago may not be usable yet):
  https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from trailwarden.remediate.changes.outcome import Call

__all__ = ["Clock", "Sleep", "WritePacer", "backoff", "perform"]

Sleep = Callable[[float], None]
Clock = Callable[[], float]


@dataclass
class WritePacer:
    """Keeps at least ``interval`` seconds between writes in the same region."""

    sleep: Sleep
    clock: Clock
    interval: float = 1.0
    _last: dict[str, float] = field(default_factory=dict)

    def wait(self, region: str) -> None:
        """Call just before a write in ``region``."""
        last = self._last.get(region)
        if last is not None:
            delay = last + self.interval - self.clock()
            if delay > 0:
                self.sleep(delay)

    def wrote(self, region: str) -> None:
        """Call when a write in ``region`` has returned (counting from its end is safe:
        the service saw it no later than that)."""
        self._last[region] = self.clock()


def backoff(
    sleep: Sleep, clock: Clock, timeout: float, *, first: float = 1.0, cap: float = 16.0
) -> Iterator[float]:
    """Sleep 1, 2, 4 … (at most ``cap``) seconds before each further attempt, while the
    attempt would still start within ``timeout`` of the first; yields the time slept."""
    start, delay = clock(), first
    while clock() - start + delay <= timeout:
        sleep(delay)
        yield delay
        delay = min(delay * 2, cap)


def perform(call: Call, pacer: WritePacer) -> Any:
    """Make ``call`` (paced, when it is a CloudTrail write) and return its answer; raises
    botocore's ClientError / BotoCoreError as the client does."""
    if call.paced:
        pacer.wait(call.region)
    try:
        return call.run()
    finally:
        if call.paced:
            pacer.wrote(call.region)
