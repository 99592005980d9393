"""Run the real ``trustaudit`` command with phase timings, for the benchmark.

    python -m benchmarks.run_trustaudit TIMINGS.json [--parse-processes N] audit URL ...

Everything after the timings path is the ``trustaudit`` command line, run through
:func:`auditor.cli.main` exactly as the console script runs it. ``--parse-processes N`` (0:
parse in the crawl's threads) replaces the default number of parsing processes, to measure
threads against processes. Three functions on its path are
wrapped with a clock: the crawl (:func:`auditor.audit.crawl`), the checks and report.json
(:func:`auditor.audit.judge`) and the report site (:func:`auditor.cli.write_report`). The
seconds each took, the pages audited and the exit code are written to TIMINGS.json.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _timed(name: str, func: Callable[..., Any], into: dict[str, Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            into[name] = into.get(name, 0.0) + time.perf_counter() - started

    return wrapper


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    out = Path(argv[0])
    timings: dict[str, Any] = {}
    from auditor import audit, cli

    timings["import_s"] = time.perf_counter() - started
    args = argv[1:]
    if args[:1] == ["--parse-processes"]:
        from auditor.crawl import parsing

        processes = int(args[1])
        parsing.default_processes = lambda: processes
        timings["parse_processes"] = processes
        args = args[2:]
    audit.crawl = _timed("crawl_s", audit.crawl, timings)
    audit.judge = _timed("judge_s", audit.judge, timings)
    cli.write_report = _timed("render_s", cli.write_report, timings)
    original_judge = audit.judge

    def judge(snapshot: Any, **kwargs: Any) -> Any:
        timings["pages"] = len(snapshot.html_pages)
        timings["fetched"] = len(snapshot.pages)
        return original_judge(snapshot, **kwargs)

    audit.judge = judge
    code = 0
    try:
        cli.main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    timings["exit"] = code
    timings["total_s"] = time.perf_counter() - started
    out.write_text(json.dumps(timings, sort_keys=True) + "\n", "utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
