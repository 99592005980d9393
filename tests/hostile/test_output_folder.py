"""The report folder under hostile conditions: refused folders, interrupted and killed runs.

trustaudit writes the report to a temporary sibling folder and renames it into place. It never
replaces a folder that is not an earlier trustaudit report (the ``.trustaudit-report`` marker
says so); a run killed while writing leaves the previous report exactly as it was; a run
interrupted while crawling (Ctrl-C) writes a complete partial report and exits 130.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

from auditor.report.render import MARKER
from tests.hostile.harness import HARD_DEADLINE, assert_inert, cli_command, collect, run_cli
from tests.hostile.server import HostileServer
from tests.hostile.site import (
    PUBLIC_ADDRESS,
    case_by_name,
    reset_state,
    resolve_args,
    start_url,
)
from tests.interrupt import default_sigint


def build_folder(root: Path, title: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(
        f"<!doctype html><title>{title}</title><h1>{title}</h1>"
        '<a href="privacy.html">Privacy policy</a>', "utf-8")
    (root / "privacy.html").write_text("<title>Privacy policy</title><p>Your data.</p>", "utf-8")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_refuses_a_folder_that_is_not_a_report(tmp_path: Path) -> None:
    site = build_folder(tmp_path / "site", "Shop")
    out = tmp_path / "report"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work", "utf-8")
    before = snapshot(out)
    outcome = run_cli([str(site)], out=out)
    assert outcome.exit_code == 5, outcome.describe()
    assert "refusing to overwrite" in outcome.stderr and MARKER in outcome.stderr
    assert outcome.stderr.strip().count("\n") == 0
    assert snapshot(out) == before
    assert outcome.result.get("pages") is None, "refused before crawling"


def test_refuses_a_file_and_a_symlink_to_a_foreign_folder(tmp_path: Path) -> None:
    site = build_folder(tmp_path / "site", "Shop")
    as_file = tmp_path / "report.txt"
    as_file.write_text("not a folder", "utf-8")
    assert run_cli([str(site)], out=as_file).exit_code == 5
    assert as_file.read_text("utf-8") == "not a folder"
    foreign = tmp_path / "home"
    foreign.mkdir()
    (foreign / ".bashrc").write_text("export X=1", "utf-8")
    link = tmp_path / "linked-report"
    link.symlink_to(foreign, target_is_directory=True)
    assert run_cli([str(site)], out=link).exit_code == 5
    assert (foreign / ".bashrc").read_text("utf-8") == "export X=1"
    assert sorted(p.name for p in foreign.iterdir()) == [".bashrc"]


def test_replaces_an_earlier_report(tmp_path: Path) -> None:
    out = tmp_path / "report"
    first = run_cli([str(build_folder(tmp_path / "one", "First shop"))], out=out)
    assert first.exit_code == 0 and (out / MARKER).is_file(), first.describe()
    second = run_cli([str(build_folder(tmp_path / "two", "Second shop"))], out=out)
    assert second.exit_code == 0, second.describe()
    assert "Second shop" in (out / "report.json").read_text("utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.")], \
        "no temporary or old folder is left behind"


def test_a_run_killed_while_writing_leaves_the_previous_report_intact(tmp_path: Path) -> None:
    out = tmp_path / "report"
    first = run_cli([str(build_folder(tmp_path / "one", "First shop"))], out=out)
    assert first.exit_code == 0, first.describe()
    before = snapshot(out)
    killed = run_cli([str(build_folder(tmp_path / "two", "Second shop"))], out=out,
                     env={"TRUSTAUDIT_TEST_KILL_AFTER_FILES": "3"})
    assert killed.exit_code == -signal.SIGKILL, killed.describe()
    assert snapshot(out) == before, "the previous report changed"
    assert_inert(out)
    again = run_cli([str(build_folder(tmp_path / "two", "Second shop"))], out=out)
    assert again.exit_code == 0, again.describe()
    assert "Second shop" in (out / "report.json").read_text("utf-8")


def test_ctrl_c_while_crawling_writes_a_complete_partial_report(
        tmp_path: Path, hostile_servers: tuple[HostileServer, HostileServer]) -> None:
    hostile, _ = hostile_servers
    out = tmp_path / "report"
    build = run_cli([str(build_folder(tmp_path / "one", "Earlier shop"))], out=out)
    assert build.exit_code == 0, build.describe()
    case = case_by_name("slow-bodies")  # pages that hang until the request deadline
    command, env, result_file = cli_command(
        [start_url(hostile, case), "--timeout", "20"], out=out, resolve=resolve_args(),
        public=(PUBLIC_ADDRESS,))
    reset_state(case.host)
    earlier = len(hostile.requests(case.host))
    started = time.monotonic()
    proc = subprocess.Popen(command, cwd=str(tmp_path), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint)
    try:
        while not any(e.path == "/silent" for e in hostile.requests(case.host)[earlier:]):
            assert proc.poll() is None and time.monotonic() - started < 60, "never got there"
            time.sleep(0.05)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=HARD_DEADLINE)
    finally:
        if proc.poll() is None:
            proc.kill()
    done = subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)
    outcome = collect(command, done, time.monotonic() - started, out, result_file)
    assert outcome.exit_code == 130, outcome.describe()
    assert outcome.elapsed < 20, "an interrupt must not wait for hung requests"
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert "interrupted" in report["crawl"]["limits_hit"]
    assert report["target"]["start_url"].startswith("http://slow-bodies.")
    assert (out / MARKER).is_file() and (out / "index.html").is_file()
    assert_inert(out)
