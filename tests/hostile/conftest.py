"""Fixtures of the hostile suite: the hostile server, the internal server, the audit of every
hostile case (run once per session, a few at a time: most of their time is spent waiting on
hostile timeouts, and each measures its own process), and a record of the time and memory every
hostile audit took (written to ``$TRUSTAUDIT_HOSTILE_MEASUREMENTS`` when that variable names a
file, for docs/security.md)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.hostile.harness import Outcome, run_cli
from tests.hostile.server import Exchange, HostileServer
from tests.hostile.site import (
    CASES,
    INTERNAL_ADDRESS,
    PUBLIC_ADDRESS,
    Case,
    host_routes,
    reset_state,
    resolve_args,
    start_url,
)

PARALLEL = 3

MEASUREMENTS: dict[str, dict[str, float]] = {}


def _internal(ex: Exchange) -> None:
    ex.send(200, "<title>internal secret</title><p>AWS_SECRET_ACCESS_KEY=do-not-leak</p>")


@pytest.fixture(scope="session")
def hostile_servers() -> Iterator[tuple[HostileServer, HostileServer]]:
    """(hostile server on 127.0.0.1, internal server on 127.0.0.2 on the same port)."""
    hostile = HostileServer(PUBLIC_ADDRESS, hosts=host_routes()).start()
    internal = HostileServer(INTERNAL_ADDRESS, fallback={"*": _internal},
                              port_wanted=hostile.port)
    internal.start()
    try:
        yield hostile, internal
    finally:
        hostile.stop()
        internal.stop()


@pytest.fixture(scope="session")
def measurements() -> Iterator[dict[str, dict[str, float]]]:
    yield MEASUREMENTS
    target = os.environ.get("TRUSTAUDIT_HOSTILE_MEASUREMENTS", "")
    if target and MEASUREMENTS:
        with open(target, "w", encoding="utf-8") as handle:
            json.dump(MEASUREMENTS, handle, indent=2, sort_keys=True)
            handle.write("\n")


@pytest.fixture(scope="session")
def outcomes(hostile_servers: tuple[HostileServer, HostileServer],
             tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome | BaseException]:
    """Case name -> what its audit left (or the exception the harness raised, e.g. a hang)."""
    hostile, _ = hostile_servers

    def audit(case: Case) -> Outcome:
        reset_state(case.host)
        out = tmp_path_factory.mktemp(case.name) / "report"
        return run_cli([start_url(hostile, case), *case.args], out=out, resolve=resolve_args(),
                       public=(PUBLIC_ADDRESS,))

    # Slowest first, so the pool is not left with one long audit at the end.
    order = sorted(CASES, key=lambda c: -c.seconds)
    results: dict[str, Outcome | BaseException] = {}
    with ThreadPoolExecutor(PARALLEL) as pool:
        futures = {case.name: pool.submit(audit, case) for case in order}
        for name, future in futures.items():
            try:
                results[name] = future.result()
            except BaseException as exc:  # noqa: BLE001 - reported by the case's own test
                results[name] = exc
    return results
