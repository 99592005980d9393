"""Run one ``trustaudit audit`` in this process, as a user would, and write what happened to a
JSON file: exit code, peak memory, and every fetched page as the crawler recorded it.

The hostile suite starts this module in a subprocess (``python -m tests.hostile.driver``), so
the peak resident memory it reports (``VmHWM``) is the audit's own, not the test runner's or the
hostile server's; the harness also samples the memory of the whole process tree (page-parsing
workers included). Two things are replaced for the test, both on the crawler's injection seams:
name resolution (``--resolve NAME=IP``, ``*.suffix`` wildcards allowed; every other name fails
like a DNS miss) and which address counts as public (``--public IP``: the test server's loopback
address stands in for a public host, every other private address stays private). With
``TRUSTAUDIT_TEST_KILL_AFTER_FILES=N`` in the environment the process kills itself (SIGKILL)
once the report writer has produced N files.

    python -m tests.hostile.driver --result out.json --resolve '*.hostile.test=127.0.0.1' \\
        --public 127.0.0.1 -- audit http://bomb.hostile.test:8080/ --out report
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import socket
import sys
from collections.abc import Callable
from typing import Any


def peak_rss_kib() -> int:
    """The process's peak resident set size (VmHWM) in KiB."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def children_peak_kib() -> int:
    """The largest peak RSS of the audit's child processes (page-parsing workers), in KiB."""
    return int(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def make_resolver(pairs: list[str]) -> Callable[[str, int], list[str]]:
    exact: dict[str, list[str]] = {}
    wildcard: list[tuple[str, list[str]]] = []
    for pair in pairs:
        name, _, addresses = pair.partition("=")
        found = [a for a in addresses.split(",") if a]
        if name.startswith("*."):
            wildcard.append((name[1:].lower(), found))
        else:
            exact[name.lower()] = found

    def resolve(host: str, port: int) -> list[str]:
        host = host.lower().rstrip(".")
        if host in exact:
            return list(exact[host])
        for suffix, found in wildcard:
            if host.endswith(suffix):
                return list(found)
        raise socket.gaierror(socket.EAI_NONAME, f"Name or service not known: {host}")

    return resolve


def page_record(page: Any) -> dict[str, Any]:
    facts = page.facts
    return {
        "url": page.url, "status": page.status, "final_url": page.final_url,
        "error": page.error, "truncated": page.truncated, "source": page.source,
        "depth": page.depth, "content_type": page.content_type,
        "redirects": [list(hop) for hop in page.redirects],
        "facts": facts is not None,
        "title": facts.title if facts is not None else "",
        "links": len(facts.links) if facts is not None else 0,
        "words": facts.word_count if facts is not None else 0,
    }


def _kill_during_render(after: int) -> None:
    """Die by SIGKILL after the report writer has produced ``after`` files: a power cut in
    the middle of writing the report."""
    import auditor.report.render as render

    real_site_files = render.site_files

    def site_files(*args: Any, **kwargs: Any) -> Any:
        for count, item in enumerate(real_site_files(*args, **kwargs), 1):
            yield item
            if count >= after:
                os.kill(os.getpid(), signal.SIGKILL)

    render.site_files = site_files  # type: ignore[assignment]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--result", required=True)
    parser.add_argument("--resolve", action="append", default=[])
    parser.add_argument("--public", action="append", default=[])
    parser.add_argument("cli", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    cli_args = args.cli[1:] if args.cli[:1] == ["--"] else args.cli

    import auditor.audit
    import auditor.crawl.http as http
    from auditor.crawl.netpolicy import is_private_address

    public = set(args.public)
    if args.resolve:
        http.system_resolver = make_resolver(args.resolve)  # type: ignore[assignment]
    if public:
        http.is_private_address = (  # type: ignore[assignment]
            lambda address: address not in public and is_private_address(address))

    captured: dict[str, Any] = {}
    real_run_audit = auditor.audit.run_audit

    def run_audit(*a: Any, **k: Any) -> Any:
        result = real_run_audit(*a, **k)
        snap = result.snapshot
        captured.update(
            pages=[page_record(p) for p in snap.pages],
            limits_hit=list(snap.limits_hit),
            robots_blocked=list(snap.robots_blocked),
            robots={"url": snap.robots.url, "status": snap.robots.status,
                    "error": snap.robots.error, "disallow_all": snap.robots.disallow_all},
        )
        return result

    auditor.audit.run_audit = run_audit  # type: ignore[assignment]
    kill_after = int(os.environ.get("TRUSTAUDIT_TEST_KILL_AFTER_FILES", "0") or 0)
    if kill_after:
        _kill_during_render(kill_after)
    from auditor.cli import main as cli_main

    code = 0
    try:
        cli_main(cli_args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    captured["exit_code"] = code
    captured["self_peak_rss_kib"] = peak_rss_kib()
    captured["children_peak_rss_kib"] = children_peak_kib()

    with open(args.result, "w", encoding="utf-8") as handle:
        json.dump(captured, handle)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
