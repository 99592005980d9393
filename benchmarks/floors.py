"""The two floors of the crawl benchmark: what no crawler of the same site can beat.

    python -m benchmarks.floors fetch http://127.0.0.1:8080 PATHS.txt --threads 16
    python -m benchmarks.floors parse SITE_FOLDER

``fetch`` GETs every listed path once with a pooled ``requests.Session`` (the client trustaudit
uses) from a thread pool, reads each body to its end and parses nothing: the cost of the network
part alone. ``parse`` reads every ``.html`` file of a folder and parses it with lxml's HTML parser
into a tree, fetching nothing: the cost of the parsing part alone. Each prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def fetch_floor(origin: str, paths: list[str], threads: int) -> dict[str, float | int]:
    import requests
    from requests.adapters import HTTPAdapter

    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=threads)
    session.mount("http://", adapter)
    origin = origin.rstrip("/")

    def get(path: str) -> tuple[int, int]:
        response = session.get(origin + path, timeout=30)
        return response.status_code, len(response.content)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(get, paths))
    elapsed = time.perf_counter() - started
    ok = sum(1 for status, _ in results if status == 200)
    return {"pages": ok, "requests": len(results), "bytes": sum(n for _, n in results),
            "seconds": elapsed}


def parse_floor(root: Path) -> dict[str, float | int]:
    from lxml import html

    files: list[str] = []
    for folder, _, names in os.walk(root):
        files += [os.path.join(folder, n) for n in names if n.endswith(".html")]
    files.sort()
    started = time.perf_counter()
    total = 0
    for path in files:
        with open(path, "rb") as handle:
            data = handle.read()
        total += len(data)
        html.document_fromstring(data)
    elapsed = time.perf_counter() - started
    return {"pages": len(files), "bytes": total, "seconds": elapsed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="floor", required=True)
    fetch = sub.add_parser("fetch")
    fetch.add_argument("origin")
    fetch.add_argument("paths", type=Path, help="one path per line (/products/p000001/)")
    fetch.add_argument("--threads", type=int, default=16)
    parse = sub.add_parser("parse")
    parse.add_argument("root", type=Path)
    args = parser.parse_args(argv)
    if args.floor == "fetch":
        paths = [line for line in args.paths.read_text("utf-8").splitlines() if line]
        result = fetch_floor(args.origin, paths, args.threads)
    else:
        result = parse_floor(args.root)
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
