"""The crawl benchmark: trustaudit beside Scrapy and two floors, on one served synthetic site.

    python -m benchmarks [--sizes 2000 10000] [--runs 3] [--out docs/benchmarks.md]

For each size N a deterministic company site of N pages is generated (cached, see
:mod:`benchmarks.sitegen`) and served by nginx on 127.0.0.1 (:mod:`benchmarks.nginx`), whose own
ceiling is measured with wrk. Each run then times, one after the other on the same served site:
trustaudit in URL mode (``--concurrency 16 --delay 0``, the explicit flags that turn politeness
off), trustaudit in folder mode on the same files, Scrapy's CrawlSpider
(:mod:`benchmarks.peer_scrapy`), fetching every URL with a pooled client and no parsing, and
parsing every file with lxml and no fetching (:mod:`benchmarks.floors`). Every command is a
subprocess under ``/usr/bin/time -v`` (max RSS); the process tree's RSS is also sampled, in case
a tool runs helper processes. The table holds the median of the runs, and the trustaudit/Scrapy
ratio of each run (this machine's absolute speed drifts with its load; a ratio from one run
does not). The load average is recorded before every command.

With ``--out`` the measured part of the Markdown file (between the ``benchmark:begin`` and
``benchmark:end`` markers) is replaced and the prose around it kept.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import nginx, sitegen
from benchmarks.proctree import descendants

TOOLS = ("trustaudit-url", "trustaudit-folder", "scrapy", "fetch-floor", "parse-floor")
#: Also measurable (--tools): trustaudit parsing in its crawl threads, no worker processes.
EXTRA_TOOLS = ("trustaudit-url-threads", "trustaudit-folder-threads")
LABELS = {
    "trustaudit-url": "trustaudit, URL mode",
    "trustaudit-folder": "trustaudit, folder mode",
    "trustaudit-url-threads": "trustaudit, URL mode, parsing in threads",
    "trustaudit-folder-threads": "trustaudit, folder mode, parsing in threads",
    "scrapy": "Scrapy CrawlSpider (peer)",
    "fetch-floor": "floor: fetch only (requests, 16 threads)",
    "parse-floor": "floor: lxml parse only",
}
CONCURRENCY = 16
REPO = Path(__file__).resolve().parents[1]
SAMPLE_EVERY = 0.2


@dataclass(slots=True)
class Measure:
    """One command of one run."""

    tool: str
    size: int
    run: int
    wall_s: float
    pages: int
    max_rss_kb: int  # /usr/bin/time -v: the largest single process
    tree_rss_kb: int  # sampled: all processes of the command at once (sum of PSS)
    load: float  # 1-minute load average just before the command
    exit: int
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall_s if self.wall_s else 0.0

    @property
    def rss_mb(self) -> float:
        return max(self.max_rss_kb, self.tree_rss_kb) / 1024


# ------------------------------------------------------------------------------ measuring


def _tree_rss_kb(root: int) -> int:
    """The memory of the command's processes together: the sum of their proportional set
    sizes (PSS), so pages a forked process still shares with its parent count once, not
    once per process (the sum of RSS would count them twice)."""
    total = 0
    for pid in descendants(root):  # the /usr/bin/time process itself is not counted
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            continue
    return total


def ensure_tools() -> None:
    """GNU time (peak RSS) and wrk (the server's ceiling) from Debian's packages when missing
    and we are root; nginx is handled by :mod:`benchmarks.nginx`."""
    missing = [pkg for binary, pkg in (("/usr/bin/time", "time"), ("wrk", "wrk"))
               if not (os.access(binary, os.X_OK) or shutil.which(binary))]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not os.access("/usr/bin/time", os.X_OK):
        raise SystemExit("benchmark: GNU time is needed at /usr/bin/time "
                         "(apt-get install -y time)")


def timed(cmd: Sequence[str], cwd: Path = REPO) -> tuple[float, int, int, int, str]:
    """Run ``cmd`` under /usr/bin/time -v: (wall s, max RSS kB, sampled tree RSS kB, exit code,
    stdout)."""
    time_bin = "/usr/bin/time"
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        time_file = tf.name
    peak = 0
    stop = threading.Event()
    started = time.perf_counter()
    process = subprocess.Popen([time_bin, "-v", "-o", time_file, *cmd], cwd=cwd,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sample() -> None:
        nonlocal peak
        while not stop.wait(SAMPLE_EVERY):
            peak = max(peak, _tree_rss_kb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    text = Path(time_file).read_text("utf-8", "replace")
    os.unlink(time_file)
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    status = re.search(r"Exit status: (\d+)", text)
    code = int(status.group(1)) if status else process.returncode
    if code not in (0, 1):
        sys.stderr.write(f"benchmark: {' '.join(cmd[:4])} ... exited {code}\n{stderr[-2000:]}\n")
    return wall, int(match.group(1)) if match else 0, peak, code, stdout


def folder_size(path: Path) -> tuple[int, int, int]:
    """(bytes, bytes on disk, files) of a folder (on disk: whole file-system blocks, as du)."""
    total = disk = files = 0
    for folder, _, names in os.walk(path):
        for name in names:
            info = os.stat(os.path.join(folder, name))
            total += info.st_size
            disk += info.st_blocks * 512
            files += 1
    return total, disk, files


def run_tool(tool: str, size: int, run: int, site: sitegen.GeneratedSite, origin: str,
             work: Path, paths_file: Path) -> Measure:
    py = sys.executable
    load = os.getloadavg()[0]
    max_pages = str(size + 100)
    detail: dict[str, Any] = {}
    pages = 0
    if tool.startswith("trustaudit"):
        timings = work / f"{tool}-{run}.json"
        out = work / f"{tool}-report"
        if out.exists():
            shutil.rmtree(out)
        target = [f"{origin}/", "--concurrency", str(CONCURRENCY), "--delay", "0"] \
            if tool.startswith("trustaudit-url") else [str(site.root), "--site-url", f"{origin}/"]
        threads = ["--parse-processes", "0"] if tool.endswith("-threads") else []
        cmd = [py, "-m", "benchmarks.run_trustaudit", str(timings), *threads, "audit", *target,
               "--max-pages", max_pages, "-o", str(out), "--no-progress", "-q", "--no-config"]
        wall, rss, tree, code, _ = timed(cmd)
        detail = json.loads(timings.read_text("utf-8")) if timings.exists() else {}
        pages = int(detail.get("pages", 0))
        detail["report_bytes"], detail["report_disk"], detail["report_files"] = folder_size(out)
    elif tool == "scrapy":
        stats = work / f"scrapy-{run}.json"
        cmd = [py, "-m", "benchmarks.peer_scrapy", f"{origin}/", "--stats", str(stats),
               "--concurrency", str(CONCURRENCY)]
        wall, rss, tree, code, _ = timed(cmd)
        data = json.loads(stats.read_text("utf-8")) if stats.exists() else {}
        pages = int(data.get("pages", 0))
        detail = {"requests": data.get("downloader/request_count", 0)}
    elif tool == "fetch-floor":
        cmd = [py, "-m", "benchmarks.floors", "fetch", origin, str(paths_file),
               "--threads", str(CONCURRENCY)]
        wall, rss, tree, code, stdout = timed(cmd)
        detail = json.loads(stdout.strip().splitlines()[-1]) if stdout.strip() else {}
        pages = int(detail.get("pages", 0))
    else:
        cmd = [py, "-m", "benchmarks.floors", "parse", str(site.root)]
        wall, rss, tree, code, stdout = timed(cmd)
        detail = json.loads(stdout.strip().splitlines()[-1]) if stdout.strip() else {}
        pages = int(detail.get("pages", 0))
    return Measure(tool, size, run, wall, pages, rss, tree, load, code, detail)


def bench_size(size: int, runs: int, seed: int, tools: Sequence[str],
               say: Any) -> tuple[list[Measure], dict[str, Any]]:
    say(f"[{size}] generating the site (cached after the first time) ...")
    site = sitegen.site_for(size, seed)
    measures: list[Measure] = []
    info: dict[str, Any] = {"size": size, "site_mb": site.total_bytes / 1e6,
                            "max_link_depth": site.max_depth}
    with tempfile.TemporaryDirectory(prefix="trustaudit-bench-") as tmp, \
            nginx.Nginx(site.root) as server:
        work = Path(tmp)
        sitegen.write_site_meta(site, server.origin)
        paths_file = work / "paths.txt"
        paths_file.write_text("\n".join(site.pages) + "\n", "utf-8")
        say(f"[{size}] nginx at {server.origin}; measuring its ceiling with wrk ...")
        info["load_before"] = os.getloadavg()[0]
        info["nginx_ceiling_rps"] = nginx.ceiling(server.origin, list(site.pages))
        for run in range(runs):
            order = list(tools[run % len(tools):]) + list(tools[: run % len(tools)])
            for tool in order:
                measure = run_tool(tool, size, run, site, server.origin, work, paths_file)
                measures.append(measure)
                say(f"[{size}] run {run + 1}/{runs} {tool:<18} {measure.wall_s:7.2f} s "
                    f"{measure.pages:6d} pages {measure.pages_per_s:8.1f} p/s "
                    f"{measure.rss_mb:7.1f} MB  load {measure.load:.2f}")
    return measures, info


# ------------------------------------------------------------------------------ reporting


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def summarise(measures: list[Measure], size: int, tool: str) -> dict[str, float]:
    rows = [m for m in measures if m.size == size and m.tool == tool]
    if not rows:
        return {}
    out = {
        "runs": len(rows),
        "pages": _median([m.pages for m in rows]),
        "wall_s": _median([m.wall_s for m in rows]),
        "pages_per_s": _median([m.pages_per_s for m in rows]),
        "rss_mb": _median([m.rss_mb for m in rows]),
        "load": _median([m.load for m in rows]),
    }
    if tool.startswith("trustaudit"):
        out["render_s"] = _median([m.detail.get("render_s", 0.0) for m in rows])
        out["crawl_s"] = _median([m.detail.get("crawl_s", 0.0) for m in rows])
        out["judge_s"] = _median([m.detail.get("judge_s", 0.0) for m in rows])
        out["report_mb"] = _median([m.detail.get("report_bytes", 0) / 1e6 for m in rows])
        out["report_disk_mb"] = _median([m.detail.get("report_disk", 0) / 1e6 for m in rows])
        out["report_files"] = _median([m.detail.get("report_files", 0) for m in rows])
        out["render_share"] = _median([m.detail.get("render_s", 0.0) / m.wall_s
                                       for m in rows if m.wall_s])
    return out


def crawl_pages_per_s(m: Measure) -> float:
    """trustaudit's pages/s without its checks and report: start-up and crawl only."""
    seconds = m.wall_s - m.detail.get("judge_s", 0.0) - m.detail.get("render_s", 0.0)
    return m.pages / seconds if seconds > 0 else 0.0


def ratios(measures: list[Measure], size: int, a: str, b: str,
           crawl_only: bool = False) -> list[float]:
    """pages/s of ``a`` over ``b`` in each run where both ran (``crawl_only``: ``a`` without
    its checks and report)."""
    out = []
    for run in sorted({m.run for m in measures if m.size == size}):
        ma = [m for m in measures if m.size == size and m.run == run and m.tool == a]
        mb = [m for m in measures if m.size == size and m.run == run and m.tool == b]
        if ma and mb and mb[0].pages_per_s:
            speed = crawl_pages_per_s(ma[0]) if crawl_only else ma[0].pages_per_s
            out.append(speed / mb[0].pages_per_s)
    return out


def machine_facts() -> dict[str, str]:
    cpu = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with open("/proc/meminfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    from importlib.metadata import version

    import lxml.etree

    def ver(name: str) -> str:
        try:
            return version(name)
        except Exception:  # noqa: BLE001 - a missing package is reported as such
            return "not installed"

    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": mem,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "trustaudit": ver("trustaudit"),
        "Scrapy": ver("scrapy"),
        "lxml": f"{ver('lxml')} (libxml2 {'.'.join(map(str, lxml.etree.LIBXML_VERSION))})",
        "requests": ver("requests"),
        "nginx": nginx.nginx_version(),
    }


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None or value != value:  # None or NaN
        return "—"
    return f"{value:,.{digits}f}"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**not met**")


def markdown(measures: list[Measure], infos: list[dict[str, Any]], runs: int,
             command: str, block: str = "benchmark") -> str:
    sizes = [i["size"] for i in infos]
    facts = machine_facts()
    lines = [f"<!-- {block}:begin -->", "", "### How it was run", "", "```", command, "```", ""]
    lines += ["| machine | |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in facts.items()]
    lines.append("")
    for info in infos:
        size = info["size"]
        lines += [f"### {size:,} pages", ""]
        ceiling = info.get("nginx_ceiling_rps")
        lines.append(
            f"Site: {info['site_mb']:.0f} MB of HTML, deepest page {info['max_link_depth']} "
            f"clicks from the home page. nginx's own ceiling on these pages (wrk, 16 "
            f"connections): {_fmt(ceiling, 0)} requests/s. Median of {runs} runs; 1-minute load "
            "average before each command in the last column.")
        lines += ["", "| command | pages | wall s | pages/s | peak RSS MB | crawl s | checks s "
                  "| render s | report MB (files) | load |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for tool in TOOLS + EXTRA_TOOLS:
            s = summarise(measures, size, tool)
            if not s:
                continue
            ta = tool.startswith("trustaudit")
            report = (f"{_fmt(s['report_mb'])} ({int(s['report_files']):,})" if ta else "—")
            lines.append(
                f"| {LABELS[tool]} | {int(s['pages']):,} | {_fmt(s['wall_s'], 2)} | "
                f"{_fmt(s['pages_per_s'])} | {_fmt(s['rss_mb'])} | "
                f"{_fmt(s.get('crawl_s'), 2) if ta else '—'} | "
                f"{_fmt(s.get('judge_s'), 2) if ta else '—'} | "
                f"{_fmt(s.get('render_s'), 2) if ta else '—'} | {report} | {_fmt(s['load'], 2)} |")
        url_ratio = ratios(measures, size, "trustaudit-url", "scrapy")
        crawl_ratio = ratios(measures, size, "trustaudit-url", "scrapy", crawl_only=True)
        folder_ratio = [1 / r for r in ratios(measures, size, "trustaudit-folder", "parse-floor")
                        if r]
        lines.append("")
        for label, values in (
                ("trustaudit URL mode / Scrapy, pages/s in the same run", url_ratio),
                ("the same without trustaudit's checks and report (start-up and crawl "
                 "against Scrapy's whole run)", crawl_ratio),
                ("trustaudit folder mode time / lxml parse-only floor time, same run",
                 folder_ratio)):
            if values:  # a run without the peer or the floor has no ratio to show
                lines.append(f"- {label}: {', '.join(_fmt(r, 2) for r in values)} "
                             f"(median {_fmt(_median(values), 2)})")
        lines.append("")
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        lines += [f"### Growth from {small:,} to {large:,} pages", "",
                  "| command | ms per page at "
                  f"{small:,} | at {large:,} | change | peak RSS MB at {small:,} | at {large:,} "
                  "| RSS ratio |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for tool in TOOLS + EXTRA_TOOLS:
            a, b = summarise(measures, small, tool), summarise(measures, large, tool)
            if not a or not b or not a["pages"] or not b["pages"]:
                continue
            per_a = 1000 * a["wall_s"] / a["pages"]
            per_b = 1000 * b["wall_s"] / b["pages"]
            lines.append(f"| {LABELS[tool]} | {_fmt(per_a, 2)} | {_fmt(per_b, 2)} | "
                         f"{(per_b / per_a - 1) * 100:+.0f}% | {_fmt(a['rss_mb'])} | "
                         f"{_fmt(b['rss_mb'])} | {_fmt(b['rss_mb'] / a['rss_mb'], 2)} |")
        lines.append("")
    if set(TOOLS) <= {m.tool for m in measures}:  # the targets need the peer and the floors
        lines += targets(measures, sizes)
    lines += ["", f"<!-- {block}:end -->"]
    return "\n".join(lines) + "\n"


def targets(measures: list[Measure], sizes: list[int]) -> list[str]:
    """The issue's targets, each met or not by these numbers."""
    lines = ["### Targets", "", "| target | measured | verdict |", "| --- | --- | --- |"]
    for size in sizes:
        r = _median(ratios(measures, size, "trustaudit-url", "scrapy"))
        c = _median(ratios(measures, size, "trustaudit-url", "scrapy", crawl_only=True))
        lines.append(f"| URL mode pages/s ≥ Scrapy's at {size:,} pages (whole audit) | ratio "
                     f"{_fmt(r, 2)} | {_verdict(None if r != r else r >= 1.0)} |")
        lines.append(f"| URL mode pages/s ≥ Scrapy's at {size:,} pages (crawl only) | ratio "
                     f"{_fmt(c, 2)} | {_verdict(None if c != c else c >= 1.0)} |")
    for size in sizes:
        f = [1 / x for x in ratios(measures, size, "trustaudit-folder", "parse-floor") if x]
        m = _median(f)
        lines.append(f"| folder mode within 3× of the lxml parse floor at {size:,} pages | "
                     f"{_fmt(m, 2)}× | {_verdict(None if m != m else m <= 3.0)} |")
    large, small = sizes[-1], sizes[0]
    for tool in ("trustaudit-url", "trustaudit-folder"):
        big = summarise(measures, large, tool)
        little = summarise(measures, small, tool)
        if not big:
            continue
        lines.append(f"| {LABELS[tool]}: peak RSS ≤ 300 MB at {large:,} pages | "
                     f"{_fmt(big['rss_mb'])} MB | {_verdict(big['rss_mb'] <= 300)} |")
        if little and large != small:
            grow = big["rss_mb"] / little["rss_mb"]
            lines.append(f"| {LABELS[tool]}: peak RSS at {large:,} ≤ 1.5× at {small:,} | "
                         f"{_fmt(grow, 2)}× | {_verdict(grow <= 1.5)} |")
        lines.append(f"| {LABELS[tool]}: render ≤ 10% of wall time at {large:,} pages | "
                     f"{_fmt(100 * big['render_share'])}% | "
                     f"{_verdict(big['render_share'] <= 0.10)} |")
        lines.append(f"| {LABELS[tool]}: report folder < 50 MB at {large:,} pages | "
                     f"{_fmt(big['report_mb'])} MB ({_fmt(big['report_disk_mb'])} MB on disk) | "
                     f"{_verdict(big['report_mb'] < 50)} |")
        if little and large != small and little["pages"] and big["pages"]:
            growth = (big["wall_s"] / big["pages"]) / (little["wall_s"] / little["pages"]) - 1
            lines.append(f"| {LABELS[tool]}: time per page grows ≤ 20% from {small:,} to "
                         f"{large:,} | {growth * 100:+.0f}% | {_verdict(growth <= 0.20)} |")
    return lines


def write_markdown(path: Path, text_block: str, block: str = "benchmark") -> None:
    """Replace the block ``block`` of ``path`` (or write a new file holding only it)."""
    begin, end = f"<!-- {block}:begin -->", f"<!-- {block}:end -->"
    if path.exists():
        text = path.read_text("utf-8")
        if begin in text and end in text:
            head, rest = text.split(begin, 1)
            tail = rest.split(end, 1)[1]
            path.write_text(head + text_block.rstrip("\n") + tail, "utf-8")
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Crawl benchmark\n\n" + text_block, "utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=sitegen.DEFAULT_SEED)
    parser.add_argument("--tools", nargs="+", choices=TOOLS + EXTRA_TOOLS, default=list(TOOLS))
    parser.add_argument("--out", type=Path, default=None,
                        help="Markdown file whose measured block is replaced")
    parser.add_argument("--json", type=Path, default=None, help="write every measurement here")
    parser.add_argument("--block", default="benchmark",
                        help="name of the block of --out to replace (<!-- NAME:begin -->)")
    args = parser.parse_args(argv)
    say = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    ensure_tools()
    measures: list[Measure] = []
    infos: list[dict[str, Any]] = []
    for size in args.sizes:
        found, info = bench_size(size, args.runs, args.seed, args.tools, say)
        measures += found
        infos.append(info)
    command = "python -m benchmarks --sizes " + " ".join(map(str, args.sizes)) + \
        f" --runs {args.runs}"
    if args.tools != list(TOOLS):
        command += " --tools " + " ".join(args.tools)
    if args.out:
        command += f" --out {args.out}" + (f" --block {args.block}"
                                           if args.block != "benchmark" else "")
    block = markdown(measures, infos, args.runs, command, args.block)
    if args.json is not None:
        args.json.write_text(json.dumps({"infos": infos, "measures": [
            {**asdict(m), "pages_per_s": m.pages_per_s} for m in measures]},
            indent=1, sort_keys=True) + "\n", "utf-8")
    if args.out is not None:
        write_markdown(args.out, block, args.block)
        say(f"wrote {args.out}")
    else:
        print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
