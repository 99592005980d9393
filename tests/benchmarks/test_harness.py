"""The crawl benchmark's tables: ratios come from the same run, and a partial run (no peer, no
floors) shows no empty ratio lines and no targets it cannot judge."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

import benchmarks.__main__ as harness
from benchmarks.__main__ import Measure, markdown, ratios
from benchmarks.proctree import descendants

INFO = {"size": 100, "site_mb": 4.0, "max_link_depth": 3, "nginx_ceiling_rps": 1000.0}
DETAIL = {"crawl_s": 2.0, "judge_s": 6.0, "render_s": 0.5, "report_bytes": 1_000_000,
          "report_disk": 2_000_000, "report_files": 110}


def measure(tool: str, run: int, wall_s: float) -> Measure:
    detail = dict(DETAIL) if tool.startswith("trustaudit") else {}
    return Measure(tool, 100, run, wall_s, 100, 200_000, 250_000, 0.5, 0, detail)


@pytest.fixture(autouse=True)
def fixed_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(harness, "machine_facts", lambda: {"cores": "2"})


def full_run() -> list[Measure]:
    out = []
    for run, scrapy_s in ((0, 5.0), (1, 4.0)):
        out += [measure("trustaudit-url", run, 10.0), measure("trustaudit-folder", run, 9.0),
                measure("scrapy", run, scrapy_s), measure("fetch-floor", run, 1.0),
                measure("parse-floor", run, 0.5)]
    return out


def test_ratios_are_taken_within_each_run() -> None:
    assert ratios(full_run(), 100, "trustaudit-url", "scrapy") == [0.5, 0.4]
    # crawl only: the checks (6 s) and the report (0.5 s) taken out of the 10 s
    assert ratios(full_run(), 100, "trustaudit-url", "scrapy", crawl_only=True) == \
        pytest.approx([5.0 / 3.5, 4.0 / 3.5])


def test_full_run_has_ratios_and_judges_the_targets() -> None:
    text = markdown(full_run(), [INFO], 2, "python -m benchmarks")
    assert "- trustaudit URL mode / Scrapy, pages/s in the same run: 0.50, 0.40 (median 0.45)" \
        in text
    assert "folder mode time / lxml parse-only floor time, same run: 18.00, 18.00" in text
    assert "| URL mode pages/s ≥ Scrapy's at 100 pages (whole audit) | ratio 0.45 | " \
        "**not met** |" in text
    assert "| folder mode within 3× of the lxml parse floor at 100 pages | 18.00× | " \
        "**not met** |" in text
    assert "render ≤ 10% of wall time at 100 pages | 5.0% | met |" in text
    assert text.startswith("<!-- benchmark:begin -->") and text.endswith("<!-- benchmark:end -->\n")


def test_partial_run_leaves_out_what_it_cannot_measure() -> None:
    only_trustaudit = [m for m in full_run() if m.tool.startswith("trustaudit")]
    text = markdown(only_trustaudit, [INFO], 2, "python -m benchmarks", block="threads")
    assert "| trustaudit, URL mode | 100 |" in text
    assert "Scrapy, pages/s" not in text
    assert "(median —)" not in text
    assert "### Targets" not in text
    assert text.startswith("<!-- threads:begin -->")


def test_descendants_finds_children_and_grandchildren() -> None:
    # a child that starts a grandchild, then both wait
    code = ("import subprocess, sys, time; "
            "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)']); "
            "time.sleep(30)")
    child = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 20
        while len(found := descendants(child.pid)) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(found) == 1 and child.pid not in found  # the grandchild, not the root
        assert child.pid in descendants(os.getpid())
        assert found[0] in descendants(os.getpid())
    finally:
        for pid in descendants(child.pid):
            subprocess.run(["kill", "-9", str(pid)], check=False)
        child.kill()
        child.wait()


def test_profile_checks_prints_the_costliest_functions(tmp_path, capsys, monkeypatch) -> None:
    from benchmarks.profile_checks import main

    # main() keeps the checks in one process through the environment: restored after the test
    monkeypatch.setenv("TRUSTAUDIT_CHECK_PROCESSES", "1")

    (tmp_path / "index.html").write_text(
        "<html><head><title>Shop</title></head><body><a href='/about/'>About us</a>"
        "<p>Hello</p></body></html>", "utf-8")
    assert main([str(tmp_path), "--site-url", "https://shop.invalid/", "--top", "3"]) == 0
    out = capsys.readouterr()
    assert "crawled 1 pages" in out.err
    assert "ncalls" in out.out and "restriction <3>" in out.out
