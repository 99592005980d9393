"""The runner: errors are contained, folder mode makes HTTP checks unknown, scope keeps found."""

from __future__ import annotations

from auditor.check_api import CheckSpec, Evidence, Outcome, Status
from auditor.runner import run_checks, run_one
from auditor.site import SiteSnapshot

SITE = SiteSnapshot(mode="folder", target="x", start_url="https://site.invalid/")


def spec(func, **kw) -> CheckSpec:
    base = dict(id="c", category="policies", severity="high", weight=5, title="T",
                failure_title="F", fix="", func=func)
    base.update(kw)
    return CheckSpec(**base)


def test_raising_check_becomes_error_and_audit_continues() -> None:
    def boom(site):
        raise RuntimeError("bad")

    def ok(site):
        return Outcome.passed("fine", [Evidence(site.start_url, "page")])

    findings = run_checks(SITE, [spec(boom, id="a"), spec(ok, id="b")], "shop")
    assert [f.status for f in findings] == [Status.ERROR, Status.PASS]
    assert "RuntimeError" in findings[0].outcome.message and "bad" in findings[0].detail


def test_pass_without_evidence_is_an_error() -> None:
    finding = run_one(spec(lambda s: Outcome(Status.PASS, "no proof")), SITE, "shop")
    assert finding.status is Status.ERROR


def test_http_checks_unknown_in_folder_mode() -> None:
    finding = run_one(spec(lambda s: 1 / 0, needs=frozenset({"http"})), SITE, "shop")
    assert finding.status is Status.UNKNOWN and finding.outcome.evidence


def test_scope_gives_not_applicable_but_keeps_found() -> None:
    def absent(site):
        return Outcome.failed("none", [Evidence(site.start_url, "searched")])

    finding = run_one(spec(absent, scope=frozenset({"shop"})), SITE, "local")
    assert finding.status is Status.NOT_APPLICABLE and finding.outcome.found is False
    assert finding.title == "T"


# ------------------------------------------------------------------ checks in two processes

DEMO = __import__("pathlib").Path(__file__).resolve().parents[1] / "examples" / "demo-shop"


def _demo_snapshot() -> SiteSnapshot:
    from auditor.crawl.folder import crawl_folder
    from auditor.crawl.options import CrawlOptions

    return crawl_folder(DEMO, CrawlOptions(site_url="https://lindenhof-tea.example/"))


def test_two_processes_give_the_same_findings_as_one() -> None:
    from auditor.registry import load_specs

    site = _demo_snapshot()
    specs = load_specs()
    one = run_checks(site, specs, "shop", processes=1)
    two = run_checks(site, specs, "shop", processes=2)
    assert [f.id for f in two] == sorted(s.id for s in specs)
    assert [(f.id, f.outcome) for f in two] == [(f.id, f.outcome) for f in one]
    assert all(a.spec is b.spec for a, b in zip(one, two, strict=True))


def test_a_raising_check_in_the_child_is_still_an_error() -> None:
    def boom(site):
        raise RuntimeError("bad")

    def ok(site):
        return Outcome.passed("fine", [Evidence(site.start_url, "page")])

    specs = [spec(boom, id=f"a{i}") for i in range(5)] + [spec(ok, id=f"b{i}") for i in range(5)]
    findings = run_checks(SITE, specs, "shop", processes=2)
    assert [f.status for f in findings] == [Status.ERROR] * 5 + [Status.PASS] * 5
    assert all("bad" in f.detail for f in findings[:5])


def test_a_child_that_dies_loses_no_check() -> None:
    import os

    parent = os.getpid()

    def dies_in_child(site):
        if os.getpid() != parent:
            os._exit(9)  # the child vanishes mid-queue
        return Outcome.passed("ran in the parent", [Evidence(site.start_url, "page")])

    specs = [spec(dies_in_child, id=f"c{i:02d}") for i in range(20)]
    findings = run_checks(SITE, specs, "shop", processes=2)
    assert [f.id for f in findings] == [f"c{i:02d}" for i in range(20)]
    assert all(f.status is Status.PASS for f in findings)


def test_small_sites_and_threaded_callers_stay_in_one_process(monkeypatch) -> None:
    from auditor.runner import check_processes

    monkeypatch.delenv("TRUSTAUDIT_CHECK_PROCESSES", raising=False)
    assert check_processes(SITE) == 1  # no pages at all
    monkeypatch.setenv("TRUSTAUDIT_CHECK_PROCESSES", "2")
    assert check_processes(SITE) == 2


def test_a_second_process_only_with_memory_for_its_copy(monkeypatch) -> None:
    import auditor.runner as runner

    monkeypatch.delenv("TRUSTAUDIT_CHECK_PROCESSES", raising=False)
    monkeypatch.setattr(runner.sys, "platform", "linux")
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(runner.threading, "active_count", lambda: 1)
    big = SiteSnapshot(mode="folder", target="x", start_url="https://site.invalid/")
    monkeypatch.setattr(SiteSnapshot, "html_pages", property(lambda self: (None,) * 500))
    monkeypatch.setattr(runner, "_resident_kib", lambda: 1_000_000)  # 1 GB resident
    monkeypatch.setattr(runner, "_available_kib", lambda: 8_000_000)
    assert runner.check_processes(big) == 2
    monkeypatch.setattr(runner, "_available_kib", lambda: 1_500_000)  # a copy would not fit
    assert runner.check_processes(big) == 1


def test_memory_readers_answer_on_this_machine() -> None:
    from auditor.runner import _available_kib, _resident_kib

    assert _resident_kib() > 1000  # a Python interpreter with the checks loaded: MBs
    assert _available_kib() > 0


def test_a_container_limit_counts_as_available_memory(tmp_path, monkeypatch) -> None:
    import auditor.runner as runner

    limit, usage, stat = tmp_path / "memory.max", tmp_path / "memory.current", tmp_path / "stat"
    monkeypatch.setattr(runner, "CGROUP_MEMORY", ((str(limit), str(usage), str(stat),
                                                   "inactive_file"),))
    limit.write_text("2147483648\n")  # a 2 GiB container
    usage.write_text("1610612736\n")  # 1.5 GiB used, a third of it cache that can be dropped
    stat.write_text("anon 1073741824\ninactive_file 536870912\n")
    assert runner._cgroup_headroom_kib() == 1024 * 1024  # 1 GiB left
    assert runner._available_kib() <= 1024 * 1024
    limit.write_text("max\n")  # cgroup v2 without a limit
    assert runner._cgroup_headroom_kib() is None
    limit.write_text("9223372036854771712\n")  # cgroup v1 without a limit
    assert runner._cgroup_headroom_kib() is None
    monkeypatch.setattr(runner, "CGROUP_MEMORY", ((str(tmp_path / "none"), "", "", ""),))
    assert runner._cgroup_headroom_kib() is None  # no cgroup files: MemAvailable alone
