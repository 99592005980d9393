"""Run a full audit in a subprocess and check what every hostile case must leave behind.

:func:`run_cli` starts :mod:`tests.hostile.driver` (the real ``trustaudit audit`` command, with
test name resolution), waits at most a hard deadline (a hung audit is killed and the test fails
saying so), and returns an :class:`Outcome`: exit code, wall time, peak memory of the audit
process, report.json, the crawler's page records and the report folder. :func:`assert_inert`
checks the report site holds nothing a page could make a browser run or load.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import html as lxml_html

from benchmarks.proctree import descendants

ROOT = Path(__file__).resolve().parents[2]
#: Flags every hostile audit gets: no politeness delay, short per-request timeout, quiet.
BASE_ARGS = ("--delay", "0", "--timeout", "3", "--no-progress", "--no-config")
#: Kill an audit that has not ended after this long (a generous multiple of any case's bound).
HARD_DEADLINE = 240.0
SAMPLE_INTERVAL = 0.025
_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
ASSET_SCRIPT = "app.js"
_URL_ATTRS = ("href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href",
              "background", "cite", "longdesc", "manifest", "ping")


@dataclass
class Outcome:
    """What one audit left: its exit code, time, memory, outputs, and the crawler's records."""

    args: list[str]
    exit_code: int
    elapsed: float
    stdout: str
    stderr: str
    out: Path
    result: dict[str, Any] = field(default_factory=dict)
    report: dict[str, Any] | None = None

    tree_peak_kib: int = 0  # sampled peak RSS of the audit's whole process tree

    @property
    def peak_mib(self) -> float:
        """Peak memory of the audit: its process tree's resident memory sampled every 25 ms,
        and never less than the main process's exact high-water mark (VmHWM)."""
        exact = int(self.result.get("self_peak_rss_kib", 0))
        return max(exact, self.tree_peak_kib) / 1024

    @property
    def pages(self) -> list[dict[str, Any]]:
        return list(self.result.get("pages", []))

    @property
    def limits_hit(self) -> list[str]:
        return list(self.result.get("limits_hit", []))

    def page(self, path: str, host: str | None = None) -> dict[str, Any]:
        """The crawler's record of the URL whose path (and query) is ``path``."""
        for record in self.pages:
            parts = urlsplit(record["url"])
            whole = parts.path + (f"?{parts.query}" if parts.query else "")
            if whole == path and (host is None or parts.hostname == host):
                return record
        raise AssertionError(f"{path} was not fetched; fetched: "
                             f"{sorted(urlsplit(p['url']).path for p in self.pages)}")

    def fetch_error(self, path: str) -> dict[str, Any]:
        """The report.json fetch error of ``path``."""
        assert self.report is not None, self.describe()
        for error in self.report["fetch_errors"]:
            if urlsplit(error["url"]).path == path:
                return error
        raise AssertionError(f"no fetch error for {path} in report.json: "
                             f"{[e['url'] for e in self.report['fetch_errors']]}")

    def audited(self, path: str) -> bool:
        """True when ``path`` is an audited HTML page in report.json (status 2xx, with facts)."""
        record = self.page(path)
        return record["facts"] and 200 <= record["status"] < 300

    def describe(self) -> str:
        return (f"exit {self.exit_code} after {self.elapsed:.1f} s, peak {self.peak_mib:.0f} MiB\n"
                f"args: {self.args}\nstderr: {self.stderr[-2000:]}")


def cli_command(args: list[str], *, out: Path, resolve: tuple[str, ...] = (),
                public: tuple[str, ...] = ()) -> tuple[list[str], dict[str, str], Path]:
    """(command, environment, result file) of ``trustaudit audit ARGS --out OUT`` run through
    the driver."""
    result_file = out.parent / f"{out.name}.result.json"
    command = [sys.executable, "-m", "tests.hostile.driver", "--result", str(result_file)]
    for pair in resolve:
        command += ["--resolve", pair]
    for address in public:
        command += ["--public", address]
    command += ["--", "audit", *args, "--out", str(out), *BASE_ARGS]
    env = dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH="1700000000",
               GITHUB_ACTIONS="", NO_COLOR="1")
    return command, env, result_file


def collect(command: list[str], proc: subprocess.CompletedProcess[str], elapsed: float,
            out: Path, result_file: Path) -> Outcome:
    full = command[command.index("--") + 1:]
    outcome = Outcome(full, proc.returncode, elapsed, proc.stdout, proc.stderr, out)
    if result_file.exists():
        outcome.result = json.loads(result_file.read_text("utf-8"))
    report_file = out / "report.json"
    if report_file.exists():
        outcome.report = json.loads(report_file.read_text("utf-8"))
    return outcome


def tree_rss_kib(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, in KiB (0 once it is gone)."""
    tree = [root, *descendants(root)]
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * _PAGE_KIB
        except (OSError, IndexError, ValueError):
            continue
    return total


class _Sampler(threading.Thread):
    """Samples a process tree's resident memory until stopped; keeps the maximum."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_INTERVAL):
            self.peak = max(self.peak, tree_rss_kib(self.pid))


def run_cli(args: list[str], *, out: Path, resolve: tuple[str, ...] = (),
            public: tuple[str, ...] = (), deadline: float = HARD_DEADLINE,
            env: dict[str, str] | None = None) -> Outcome:
    """``trustaudit audit ARGS --out OUT`` in a fresh interpreter; killed after ``deadline``."""
    command, base_env, result_file = cli_command(args, out=out, resolve=resolve, public=public)
    started = time.monotonic()
    proc = subprocess.Popen(command, cwd=str(out.parent), env=base_env | (env or {}),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = _Sampler(proc.pid)
    sampler.start()
    try:
        stdout, stderr = proc.communicate(timeout=deadline)
    except subprocess.TimeoutExpired as exc:
        proc.kill()
        proc.communicate()
        raise AssertionError(f"the audit did not end within {deadline:.0f} s: {command}") from exc
    finally:
        sampler.done.set()
        sampler.join()
    done = subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)
    outcome = collect(command, done, time.monotonic() - started, out, result_file)
    outcome.tree_peak_kib = sampler.peak
    return outcome


# ------------------------------------------------------------------------------ inertness


def _check_script(out: Path, page: Path, element: lxml_html.HtmlElement) -> None:
    """A script must be a file of the report folder, with nothing inline; a generated data file
    (pages/search-data.js) may only assign one JSON value."""
    where = page.relative_to(out)
    src = element.get("src", "").strip()
    assert src and not (element.text or "").strip(), f"{where}: an inline script"
    assert not urlsplit(src).scheme and not src.startswith("//"), f"{where}: script {src!r}"
    target = (page.parent / src).resolve()
    assert target.is_file() and target.is_relative_to(out.resolve()), f"{where}: script {src!r}"
    if target.name != ASSET_SCRIPT:
        text = target.read_text("utf-8")
        name, sep, value = text.partition(" = ")
        assert sep and name.startswith("window.") and name[7:].isidentifier(), text[:200]
        assert value.endswith(";\n"), text[-200:]
        json.loads(value[:-2])


def report_documents(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def assert_inert(out: Path, *, forbidden: tuple[str, ...] = ()) -> None:
    """Nothing in the report site can run or load: one script (the bundled asset), no event
    handler attributes, no javascript:/data:/vbscript: URLs, no <iframe>/<object>/<embed>/<base>/
    <meta refresh>, no absolute URL loaded as a resource; ``forbidden`` strings (raw markup from
    the hostile pages) never appear unescaped."""
    documents = report_documents(out)
    assert documents, f"no report pages in {out}"
    for path in documents:
        raw = path.read_text("utf-8")
        for needle in forbidden:
            assert needle not in raw, f"{path.relative_to(out)} contains raw {needle!r}"
        tree = lxml_html.fromstring(raw)
        where = path.relative_to(out)
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            tag = element.tag.lower()
            assert tag not in ("iframe", "object", "embed", "base", "frame", "frameset",
                               "applet"), f"{where}: <{tag}>"
            if tag == "script":
                _check_script(out, path, element)
            if tag == "meta":
                assert element.get("http-equiv", "").lower() != "refresh", f"{where}: refresh"
            for name, value in element.attrib.items():
                lowered = name.lower()
                assert not lowered.startswith("on"), f"{where}: event handler {name}={value!r}"
                if lowered in _URL_ATTRS or lowered == "style":
                    squashed = "".join(value.split()).lower()
                    for scheme in ("javascript:", "vbscript:", "data:text", "data:image/svg",
                                   "data:application"):
                        assert scheme not in squashed, f"{where}: {name}={value!r}"
                if lowered in ("src", "srcset", "data", "poster", "background") and tag != "a":
                    assert not urlsplit(value.strip()).scheme and not value.strip().startswith(
                        "//"), f"{where}: loads an outside resource {name}={value!r}"
                if tag == "link" and lowered == "href":
                    assert not urlsplit(value.strip()).scheme and not value.startswith("//"), \
                        f"{where}: <link href={value!r}>"
