"""Profile the checks phase alone: crawl a folder (or URL) first, then run every check under
cProfile in one process and print the functions that cost the most.

    python -m benchmarks.profile_checks SITE_FOLDER --site-url http://127.0.0.1:8080/ [--top 30]

The crawl is not profiled (py-spy on the real command is the tool for that: parsing runs in
worker processes). The checks run in this process only (TRUSTAUDIT_CHECK_PROCESSES=1), so the
profile sees all of them. docs/benchmarks.md quotes its output for the 2,000-page site.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_checks",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("target", help="a site folder or URL")
    parser.add_argument("--site-url", default="", help="folder mode: the site's production URL")
    parser.add_argument("--max-pages", type=int, default=20000)
    parser.add_argument("--top", type=int, default=30, help="how many functions to print")
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    args = parser.parse_args(argv)
    os.environ["TRUSTAUDIT_CHECK_PROCESSES"] = "1"
    from auditor import audit
    from auditor.crawl.options import CrawlOptions

    started = time.perf_counter()
    snapshot = audit.crawl(args.target, CrawlOptions(max_pages=args.max_pages,
                                                     site_url=args.site_url), None)
    print(f"crawled {len(snapshot.html_pages)} pages in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    audit.judge(snapshot)
    profile.disable()
    print(f"checks under the profiler: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    pstats.Stats(profile, stream=sys.stdout).sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
