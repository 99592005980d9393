"""Run checks over a snapshot: a raising check becomes ``error`` and the audit goes on.

The runner owns what is the same for every check: stamping metadata onto the finding, marking
HTTP-only checks ``unknown`` in folder mode, and applying the site-kind scope. Scope turns the
status into ``not-applicable`` but keeps ``found``, because "is there a returns policy" has an
answer even on a site that need not have one.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from auditor.check_api import CheckSpec, Evidence, Outcome, Status, clip
from auditor.site import SiteSnapshot


@dataclass(frozen=True, slots=True)
class Finding:
    spec: CheckSpec
    outcome: Outcome
    detail: str = ""  # the traceback of an error, for --debug; never in report.json

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def status(self) -> Status:
        return self.outcome.status

    @property
    def title(self) -> str:
        return self.spec.failure_title if self.status is Status.FAIL else self.spec.title


def run_one(spec: CheckSpec, site: SiteSnapshot, site_kind: str) -> Finding:
    if "http" in spec.needs and site.mode != "url":
        outcome = Outcome.unknown(
            "Not observable in folder mode: this check reads HTTP responses. "
            "Audit the deployed URL to judge it.",
            [Evidence(site.start_url, "searched", locator="folder mode: no HTTP headers")],
        )
        return Finding(spec, outcome)
    try:
        outcome = spec.func(site)
        if not isinstance(outcome, Outcome):
            raise TypeError(f"check returned {type(outcome).__name__}, not Outcome")
        if outcome.status in (Status.PASS, Status.FAIL) and not outcome.evidence:
            raise ValueError(f"check returned {outcome.status} without evidence")
    except Exception as exc:  # a broken check must never lose the rest of the audit
        message = f"The check failed to run ({type(exc).__name__}: {clip(str(exc), 150)})."
        return Finding(spec, Outcome(Status.ERROR, message), traceback.format_exc())
    if not spec.applies_to(site_kind) and outcome.status is not Status.ERROR:
        outcome = Outcome(
            Status.NOT_APPLICABLE,
            f"Not applicable to a {site_kind} site. {outcome.message}".strip(),
            outcome.evidence,
            outcome.found,
        )
    return Finding(spec, outcome)


#: Below this many pages the checks take well under a second: not worth a second process.
PARALLEL_MIN_PAGES = 150


def check_processes(site: SiteSnapshot) -> int:
    """How many processes run the checks: 2 on Linux with two cores or more, for a site large
    enough to repay the fork, when no other thread is running (a forked child inherits only
    the calling thread, and a lock another thread held at the fork would never be released
    in the child), and when the machine has memory for a second copy of this process (the
    child copies the snapshot it reads: docs/benchmarks.md); else 1."""
    if os.environ.get("TRUSTAUDIT_CHECK_PROCESSES", "").isdigit():
        return max(1, int(os.environ["TRUSTAUDIT_CHECK_PROCESSES"]))
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        return 1
    if threading.active_count() > 1 or len(site.html_pages) < PARALLEL_MIN_PAGES:
        return 1
    if _available_kib() < 2 * _resident_kib():  # room for the copy, and as much again to spare
        return 1
    return 2


def _resident_kib() -> int:
    """This process's resident memory (0 when /proc cannot tell)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, ValueError, IndexError):
        return 0


#: (limit, usage, stat, reclaimable-cache key) of the memory cgroup, v2 then v1: a container's
#: limit (docker run --memory, CI runners) is lower than what /proc/meminfo shows.
CGROUP_MEMORY = (
    ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current", "/sys/fs/cgroup/memory.stat",
     "inactive_file"),
    ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes",
     "/sys/fs/cgroup/memory/memory.stat", "total_inactive_file"),
)


def _available_kib() -> int:
    """Memory this process can still get without swapping or meeting its container's limit:
    the smaller of MemAvailable and the cgroup's headroom (very large when neither is known)."""
    available = sys.maxsize
    try:
        with open("/proc/meminfo", "rb") as handle:
            for line in handle:
                if line.startswith(b"MemAvailable:"):
                    available = int(line.split()[1])
                    break
    except (OSError, ValueError, IndexError):
        pass
    headroom = _cgroup_headroom_kib()
    return available if headroom is None else min(available, headroom)


def _cgroup_headroom_kib() -> int | None:
    """The memory cgroup's limit minus what it uses (cache that can be dropped not counted), or
    None when there is no limit or no cgroup to read."""
    for limit_path, usage_path, stat_path, cache_key in CGROUP_MEMORY:
        try:
            with open(limit_path, encoding="ascii") as handle:
                limit_text = handle.read().strip()
            if limit_text == "max" or int(limit_text) >= 1 << 60:  # no limit set
                return None
            with open(usage_path, encoding="ascii") as handle:
                usage = int(handle.read().strip())
            cache = 0
            with contextlib.suppress(OSError), open(stat_path, encoding="ascii") as handle:
                for line in handle:
                    key, _, value = line.partition(" ")
                    if key == cache_key:
                        cache = int(value)
                        break
        except (OSError, ValueError):
            continue
        return max(0, int(limit_text) - usage + cache) // 1024
    return None


def run_checks(
    site: SiteSnapshot, specs: Iterable[CheckSpec], site_kind: str, processes: int | None = None
) -> tuple[Finding, ...]:
    """Every check once; findings in id order whatever ran where (deterministic).

    The checks are pure functions of the snapshot, CPU-bound Python, and at thousands of pages
    they are most of an audit's time (docs/benchmarks.md). With ``processes`` 2 (default: see
    :func:`check_processes`) a forked child shares the snapshot copy-on-write and takes checks
    from the same queue as this process, so both cores work until the queue is empty.
    """
    ordered = sorted(specs, key=lambda s: s.id)
    count = check_processes(site) if processes is None else processes
    if count < 2 or len(ordered) < 2 or not hasattr(os, "fork"):
        return tuple(run_one(spec, site, site_kind) for spec in ordered)
    return _run_forked(site, ordered, site_kind)


def _take(queue_fd: int) -> int | None:
    """The next check's index from the shared queue (2 bytes each), or None when it is empty.
    Reads of a few bytes from a pipe are atomic, so two processes never get the same one."""
    data = os.read(queue_fd, 2)
    return int.from_bytes(data, "little") if len(data) == 2 else None


def _run_forked(site: SiteSnapshot, ordered: Sequence[CheckSpec], site_kind: str
                ) -> tuple[Finding, ...]:
    from auditor.detect.shared import warm_shared_detectors

    # Once here, not once in each process; a detector's bug surfaces as its checks' error.
    with contextlib.suppress(Exception):
        warm_shared_detectors(site)
    queue_read, queue_write = os.pipe()
    os.write(queue_write, b"".join(i.to_bytes(2, "little") for i in range(len(ordered))))
    os.close(queue_write)  # the queue is full: readers see its end once it is drained
    result_read, result_write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: run checks from the queue, send (index, outcome, detail) back
        code = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
            os.close(result_read)
            done = []
            while (index := _take(queue_read)) is not None:
                finding = run_one(ordered[index], site, site_kind)
                done.append((index, finding.outcome, finding.detail))
            with os.fdopen(result_write, "wb") as out:
                pickle.dump(done, out, protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)  # never return into the caller's code (no atexit, no buffers)
    os.close(result_write)
    findings: dict[int, Finding] = {}
    try:
        while (index := _take(queue_read)) is not None:
            findings[index] = run_one(ordered[index], site, site_kind)
        with os.fdopen(result_read, "rb") as answers:
            result_read = -1
            try:
                done = pickle.load(answers)
            except (EOFError, pickle.UnpicklingError):
                done = []  # the child died: its checks run again below
        _, status = os.waitpid(pid, 0)
        pid = 0
        if status == 0:
            for index, outcome, detail in done:
                findings[index] = Finding(ordered[index], outcome, detail)
    finally:
        os.close(queue_read)
        if result_read >= 0:
            os.close(result_read)
        if pid:  # interrupted: the child's work is not wanted
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    for index, spec in enumerate(ordered):
        if index not in findings:
            findings[index] = run_one(spec, site, site_kind)
    return tuple(findings[i] for i in range(len(ordered)))
