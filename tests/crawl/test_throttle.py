"""Per-host politeness: intervals between request starts, crawl-delay cap, pauses, stopping."""

from __future__ import annotations

import threading
import time

import pytest

import auditor.crawl.fetcher as fetcher_module
from auditor.crawl.throttle import MAX_CRAWL_DELAY, Throttle
from tests.crawl.server import Request, Route, html, make_fetcher, serve


def starts(throttle: Throttle, host: str, workers: int) -> list[float]:
    times: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        throttle.wait(host)
        with lock:
            times.append(time.monotonic())

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(times)


def test_defaults() -> None:
    assert Throttle().base_delay == 0.1
    assert Throttle(local=True).base_delay == 0.0
    assert Throttle(0.5, local=True).base_delay == 0.5


def test_interval_between_starts_per_host() -> None:
    throttle = Throttle(0.05)
    times = starts(throttle, "shop.example", 5)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.045
    # Another host has its own schedule: no wait.
    started = time.monotonic()
    throttle.wait("other.example")
    assert time.monotonic() - started < 0.03


def test_crawl_delay_raises_interval_with_a_cap() -> None:
    throttle = Throttle(0.1)
    throttle.set_crawl_delay("a.example", 3)
    throttle.set_crawl_delay("b.example", 3600)
    throttle.set_crawl_delay("c.example", 0.01)  # never lowers the base delay
    throttle.set_crawl_delay("d.example", None)
    assert throttle.interval("a.example") == 3
    assert throttle.interval("b.example") == MAX_CRAWL_DELAY
    assert throttle.interval("c.example") == 0.1
    assert throttle.interval("d.example") == 0.1


def test_pause_and_close_wake_sleepers() -> None:
    throttle = Throttle(0.0)
    throttle.pause("shop.example", 0.2)
    started = time.monotonic()
    assert throttle.wait("shop.example")
    assert time.monotonic() - started >= 0.19
    throttle.pause("shop.example", 30)
    results: list[bool] = []
    sleeper = threading.Thread(target=lambda: results.append(throttle.wait("shop.example")))
    sleeper.start()
    time.sleep(0.1)
    throttle.close()
    sleeper.join(1)
    assert results == [False] and throttle.stopped
    assert throttle.sleep(5) is False


def test_retry_after_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetcher_module, "MAX_RETRY_AFTER", 0.3)

    def limited(request: Request) -> Route:
        if len(server.requests("/limited")) == 1:
            return Route(status=429, headers=(("Retry-After", "3600"),))
        return Route(body=html("Ok"))

    with serve({"/limited": limited}) as server:
        response = make_fetcher(server).fetch(server.url("/limited"), want_body=True)
        first, second = server.requests("/limited")
        assert response.status == 200
        assert 0.28 <= second.time - first.time < 2
