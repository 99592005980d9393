"""Per-host politeness: a minimum interval between request starts to one host.

The crawler runs several workers; without this they would hit a small shop's server in bursts.
Each host gets the next free start slot under a lock, and the worker sleeps until its slot, so
the interval holds whatever the thread timing. robots.txt ``Crawl-delay`` raises the interval
(capped), and a 429/503 ``Retry-After`` pauses the host for every worker, not just the one that
saw it. :meth:`Throttle.close` wakes every sleeper when the crawl stops (Ctrl-C).
"""

from __future__ import annotations

import threading
import time

PUBLIC_DEFAULT_DELAY = 0.1  # seconds between request starts to a public host
LOCAL_DEFAULT_DELAY = 0.0
MAX_CRAWL_DELAY = 10.0  # robots.txt may ask for more; we cap it (and say so in the report)


class Throttle:
    """Thread-safe start-time scheduler per host (``host[:port]``)."""

    def __init__(self, delay: float | None = None, *, local: bool = False) -> None:
        default = LOCAL_DEFAULT_DELAY if local else PUBLIC_DEFAULT_DELAY
        self.base_delay = max(0.0, delay if delay is not None else default)
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._delays: dict[str, float] = {}
        self._stopped = threading.Event()

    def interval(self, host: str) -> float:
        with self._lock:
            return self._delays.get(host, self.base_delay)

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """Raise the interval for ``host`` to robots.txt's Crawl-delay (capped at 10 s)."""
        if seconds is None or seconds <= 0:
            return
        with self._lock:
            self._delays[host] = max(self.base_delay, min(float(seconds), MAX_CRAWL_DELAY))

    def pause(self, host: str, seconds: float) -> None:
        """Let no request start to ``host`` for ``seconds`` (a Retry-After from the server)."""
        with self._lock:
            until = time.monotonic() + max(0.0, seconds)
            self._next[host] = max(self._next.get(host, 0.0), until)

    def wait(self, host: str) -> bool:
        """Sleep until this worker may start a request to ``host``; False when stopped."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, 0.0))
            self._next[host] = start + self._delays.get(host, self.base_delay)
        if start > now:
            return not self._stopped.wait(start - now)
        return not self._stopped.is_set()

    def sleep(self, seconds: float) -> bool:
        """An interruptible sleep (retry backoff); False when stopped."""
        return not self._stopped.wait(max(0.0, seconds)) if seconds > 0 else True

    def close(self) -> None:
        self._stopped.set()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()
