"""End-to-end: the ``trustaudit`` command on the demo site (folder and HTTP), exit codes, output.

The demo site is served by a real HTTP server on 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest

from auditor.cli import main, redacted_argv
from auditor.results import load_schema
from tests.interrupt import default_sigint
from tests.test_registry import CORE_IDS

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-shop"
SITE_URL = "https://lindenhof-tea.example"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class SlowHandler(QuietHandler):
    """Answers every page after a pause, so an audit is still crawling when it is interrupted."""

    def do_GET(self) -> None:  # noqa: N802
        if not self.path.startswith("/robots.txt"):
            time.sleep(0.4)
        super().do_GET()


def serve(folder: Path, handler: type = QuietHandler) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    yield from serve(DEMO)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return int(exc.value.code), out, err


def load(folder: Path) -> dict:
    return json.loads((folder / "report.json").read_text("utf-8"))


# --------------------------------------------------------------------------- the demo site


def test_demo_folder_audit_writes_report_site(tmp_path: Path, capsys) -> None:
    out = tmp_path / "report"
    code, stdout, _ = run(["audit", str(DEMO), "--site-url", SITE_URL, "-o", str(out)], capsys)
    assert code == 0
    for name in ("index.html", "report.json", "run.json", "badge.svg"):
        assert (out / name).is_file(), name
    report = load(out)
    jsonschema.validate(report, load_schema())
    findings = {f["id"]: f for f in report["findings"]}
    assert findings.keys() >= CORE_IDS
    for check_id in CORE_IDS:
        assert findings[check_id]["found"] in (True, False, None)
    # The demo's deliberate signals (examples/README.md is the oracle).
    assert findings["privacy-policy"]["found"] is True
    assert findings["returns-policy"]["found"] is False
    assert findings["returns-policy"]["status"] == "fail"
    assert findings["broken-links"]["found"] is True
    assert any("gift-cards" in e["locator"] for e in findings["broken-links"]["evidence"])
    assert findings["https"]["status"] == "unknown"
    assert report["target"]["site_kind"] == "shop"
    assert "score" in stdout and "report:" in stdout
    # the failed checks' titles start in one column, whatever the length of their ids
    rows = [line for line in stdout.splitlines() if line.startswith("    ")]
    failed = [f for f in report["findings"] if f["status"] == "fail"]
    assert len(rows) == len(failed) >= 2
    starts = {len(row) - len(f["title"]) for row in rows for f in failed
              if row.endswith(f" {f['title']}") and f" {f['id']} " in row}
    assert len(starts) == 1


def test_demo_over_http_and_determinism(tmp_path: Path, demo_url: str, capsys) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        code, _, _ = run(["audit", demo_url, "-o", str(out), "--no-progress"], capsys)
        assert code == 0
    assert (first / "report.json").read_bytes() == (second / "report.json").read_bytes()
    report = load(first)
    jsonschema.validate(report, load_schema())
    findings = {f["id"]: f for f in report["findings"]}
    assert findings["https"]["status"] == "fail"  # served over plain http on loopback
    assert findings["privacy-policy"]["status"] == "pass"
    assert report["crawl"]["pages"] >= 8


def test_folder_and_url_mode_agree_on_signals(tmp_path: Path, demo_url: str, capsys) -> None:
    run(["audit", str(DEMO), "--site-url", SITE_URL, "-o", str(tmp_path / "f")], capsys)
    run(["audit", demo_url, "-o", str(tmp_path / "u"), "--no-progress"], capsys)
    # Checks that read HTTP responses (headers, redirects, the soft-404 probe) are unknown in
    # folder mode by design; every check that reads the pages must agree.
    from auditor.registry import load_specs

    http_only = {s.id for s in load_specs() if "http" in s.needs}
    folder = {f["id"]: f for f in load(tmp_path / "f")["findings"] if f["id"] not in http_only}
    url = {f["id"]: f for f in load(tmp_path / "u")["findings"] if f["id"] not in http_only}
    # Where one mode cannot look (a build folder without security.txt may get one from the
    # server), the verdict is unknown and found is null; all that both modes could judge must
    # agree.
    judged = [i for i in folder if "unknown" not in (folder[i]["status"], url[i]["status"])
              and None not in (folder[i]["found"], url[i]["found"])]
    assert len(judged) > 40
    assert {i: folder[i]["found"] for i in judged} == {i: url[i]["found"] for i in judged}


def test_render_rebuilds_the_site_from_report_json(tmp_path: Path, capsys) -> None:
    run(["audit", str(DEMO), "-o", str(tmp_path / "r")], capsys)
    code, out, _ = run(["render", str(tmp_path / "r" / "report.json"),
                        "-o", str(tmp_path / "again")], capsys)
    assert code == 0
    for name in ("index.html", "report.json"):
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "r" / name).read_bytes()


def test_json_and_quiet_output(tmp_path: Path, capsys) -> None:
    code, out, err = run(["audit", str(DEMO), "-o", str(tmp_path / "r"), "--json", "-q"], capsys)
    assert code == 0
    assert json.loads(out)["schema_version"] == 1
    assert err.count("\n") == 1 and "score" in err


# --------------------------------------------------------------------------- gates


def test_fail_on_severity_gate(tmp_path: Path, capsys) -> None:
    code, out, _ = run(["audit", str(DEMO), "--site-url", SITE_URL, "-o", str(tmp_path / "r"),
                        "--fail-on", "critical"], capsys)
    assert code == 1
    assert "gate failed" in out and "returns-policy" in out


def test_fail_under_gate(tmp_path: Path, capsys) -> None:
    code, out, _ = run(["audit", str(DEMO), "-o", str(tmp_path / "r"), "--fail-under", "100"],
                       capsys)
    assert code == 1 and "is under 100" in out
    code, _, _ = run(["audit", str(DEMO), "-o", str(tmp_path / "r"), "--fail-under", "0"], capsys)
    assert code == 0


# --------------------------------------------------------------------------- bad input


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("trustaudit: error: ")
    return lines[0]


def test_missing_folder_exits_3(tmp_path: Path, capsys) -> None:
    code, _, err = run(["audit", str(tmp_path / "nope") + "/", "-o", str(tmp_path / "r")], capsys)
    assert code == 3 and "folder not found" in one_error_line(err)


def test_folder_without_html_exits_3(tmp_path: Path, capsys) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "notes.txt").write_text("hello")
    code, _, err = run(["audit", str(tmp_path / "site"), "-o", str(tmp_path / "r")], capsys)
    assert code == 3 and "HTML" in one_error_line(err)


@pytest.mark.parametrize("url", ["http://", "https://exa mple.com/", "ftp://example.com/"])
def test_invalid_url_exits_3(url: str, tmp_path: Path, capsys) -> None:
    code, _, err = run(["audit", url, "-o", str(tmp_path / "r"), "--no-progress"], capsys)
    assert code == 3
    one_error_line(err)


def test_dns_failure_exits_3(tmp_path: Path, capsys) -> None:
    code, _, err = run(["audit", "https://does-not-exist.invalid/", "-o", str(tmp_path / "r"),
                        "--no-progress"], capsys)
    assert code == 3
    assert "does-not-exist.invalid" in one_error_line(err)


def test_unreachable_host_exits_3(tmp_path: Path, capsys) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = run(["audit", f"http://127.0.0.1:{port}/", "-o", str(tmp_path / "r"),
                        "--no-progress", "--timeout", "2"], capsys)
    assert code == 3
    one_error_line(err)


def test_start_page_blocked_by_robots_exits_3(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body><h1>Hi</h1></body></html>")
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
    for url in serve(site):
        code, _, err = run(["audit", url, "-o", str(tmp_path / "r"), "--no-progress"], capsys)
    assert code == 3 and "robots.txt" in one_error_line(err)


@pytest.mark.parametrize("argv", [
    ["audit"],
    ["audit", "x", "--max-pages", "many"],
    ["audit", "x", "--fail-on", "dreadful"],
    ["audit", "x", "--fail-under", "101"],
    ["audit", "x", "--header", "no-colon"],
    ["audit", "x", "--exclude", "("],
    ["frobnicate"],
])
def test_bad_options_exit_2(argv: list[str], tmp_path: Path, capsys) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2 and err.strip()


def test_output_folder_that_is_not_a_report_exits_5(tmp_path: Path, capsys) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.txt").write_text("do not delete")
    code, _, err = run(["audit", str(DEMO), "-o", str(out)], capsys)
    assert code == 5
    one_error_line(err)
    assert (out / "thesis.txt").read_text() == "do not delete"


def test_ctrl_c_writes_partial_report_and_exits_130(tmp_path: Path) -> None:
    out = tmp_path / "partial"
    for url in serve(DEMO, SlowHandler):
        proc = subprocess.Popen(
            [sys.executable, "-m", "auditor.cli", "audit", url, "-o", str(out),
             "--concurrency", "1", "--no-progress"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=default_sigint,
        )
        time.sleep(2.0)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    report = load(out)
    assert "interrupted" in report["crawl"]["limits_hit"]


# --------------------------------------------------------------------------- catalogue commands


def test_checks_lists_the_catalogue(capsys) -> None:
    code, out, _ = run(["checks"], capsys)
    assert code == 0
    for check_id in CORE_IDS:
        assert check_id in out


def test_checks_explain(capsys) -> None:
    code, out, _ = run(["checks", "explain", "returns-policy"], capsys)
    assert code == 0
    assert "Why it matters" in out and "How to fix" in out
    code, _, err = run(["checks", "explain", "nonexistent-check"], capsys)
    assert code == 2


def test_every_check_can_be_explained(capsys) -> None:
    from auditor.registry import load_specs

    for spec in load_specs():
        code, out, _ = run(["checks", "explain", spec.id], capsys)
        assert code == 0, spec.id
        for section in ("What it looks for", "Why it matters", "How to fix", "Traps", "Fix:"):
            assert section in out, (spec.id, section)
        for alias in spec.aliases:
            code, alias_out, _ = run(["checks", "explain", alias], capsys)
            assert code == 0 and alias_out == out


def test_version(capsys) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and "trustaudit" in out


# =========================================================================== CI (issue 4)
# Configuration, gates, baselines, CI-native outputs, deploy targets, secrets, determinism.
# They audit tests/fixtures/ci-site/ (a tiny candle shop whose only failing critical check is
# returns-policy; no high or medium check fails) as a folder or over HTTP on 127.0.0.1.

CI_SITE = ROOT / "tests" / "fixtures" / "ci-site"
CI_URL = "https://birchwood-candles.example"
HEADER_SECRET = "s3cr3t-header-value"
COOKIE_SECRET = "s3cr3t-cookie-value"


@pytest.fixture(autouse=True)
def _no_github_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests may run under GitHub Actions themselves: start from a plain environment."""
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)


def ci_audit(tmp_path: Path, capsys, *args: str, site: Path = CI_SITE,
             out: str = "r") -> tuple[int, str, str]:
    return run(["audit", str(site), "--site-url", CI_URL, "-o", str(tmp_path / out),
                "--no-progress", "--no-config", *args], capsys)


def test_fail_on_check_ids_repeatable_and_comma_separated(tmp_path: Path, capsys) -> None:
    code, out, _ = ci_audit(tmp_path, capsys, "--fail-on", "faq", "--fail-on", "contact-page")
    assert code == 1
    assert out.splitlines()[-1] == "gate failed: 1 failed check among contact-page, faq: faq"
    code, out, _ = ci_audit(tmp_path, capsys, "--fail-on", "contact-page,privacy-policy")
    assert code == 0
    assert out.splitlines()[-1] == ("gate passed: no failed check among contact-page, "
                                    "privacy-policy")
    code, out, _ = ci_audit(tmp_path, capsys, "--fail-on", "medium")
    assert code == 1 and "returns-policy" in out.splitlines()[-1]


@pytest.mark.parametrize(("args", "hint"), [
    (["--fail-on", "returns-polcy"], "--fail-on"),
    (["--select", "nothing-like-this"], "--select"),
    (["--ignore", "polices"], "--ignore"),
    (["--select", "faq", "--ignore", "contact"], "--select/--ignore"),
    (["--cookie", "no-equals-sign"], "--cookie"),
    (["--header", "Bad Name: x"], "--header"),
    (["--baseline", "missing/report.json"], "--baseline"),
])
def test_bad_ci_options_exit_2_with_one_line(args: list[str], hint: str, tmp_path: Path,
                                              capsys) -> None:
    code, _, err = ci_audit(tmp_path, capsys, *args)
    assert code == 2
    assert hint in one_error_line(err)
    assert not (tmp_path / "r").exists()  # refused before crawling


def test_select_and_ignore_run_only_the_chosen_checks(tmp_path: Path, capsys) -> None:
    code, _, _ = ci_audit(tmp_path, capsys, "--select", "policies,privacy",
                          "--ignore", "shipping-info")
    assert code == 0
    report = load(tmp_path / "r")
    jsonschema.validate(report, load_schema())
    ids = {f["id"] for f in report["findings"]}
    assert {"returns-policy", "terms-of-service", "privacy-policy"} <= ids
    assert "shipping-info" not in ids
    assert {f["category"] for f in report["findings"]} == {"policies", "privacy"}
    assert {c["id"] for c in report["categories"]} == {"policies", "privacy"}


def test_config_file_sets_gates_and_overrides_and_flags_override_it(tmp_path: Path, capsys,
                                                                      monkeypatch) -> None:
    project = tmp_path / "project"
    shutil.copytree(CI_SITE, project / "public")
    (project / "trustaudit.toml").write_text(
        f'target = "."\nsite-url = "{CI_URL}"\nout = "report"\nprogress = false\n'
        'fail-on = ["high"]\nselect = ["returns-policy", "privacy-policy", "contact-page", "faq"]\n'
        '[checks.returns-policy]\nseverity = "medium"\nweight = 4\n', encoding="utf-8")
    monkeypatch.chdir(project)
    code, out, err = run(["audit"], capsys)  # target, site URL and gate from the file
    assert code == 0, out + err
    assert "auditing the build folder" in err and "public" in err
    report = load(project / "report")
    returns = next(f for f in report["findings"] if f["id"] == "returns-policy")
    assert (returns["severity"], returns["weight"], returns["status"]) == ("medium", 4, "fail")
    assert report["score"]["capped_by"] == []  # no failed critical check any more
    assert report["target"]["input"] == "public"  # relative: the same on every machine
    assert out.splitlines()[-1] == "gate passed: no failed check at or above high"
    code, out, _ = run(["audit", "--fail-on", "medium"], capsys)  # the flag wins
    assert code == 1 and out.splitlines()[-1].startswith("gate failed: 1 failed check at or "
                                                         "above medium: returns-policy")
    code, _, _ = run(["audit", "--no-config", "."], capsys)
    assert code == 0  # no gate without the file


def test_baseline_regression_and_progress(tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(CI_SITE, broken)
    (broken / "privacy.html").unlink()  # the footer link now answers 404
    assert ci_audit(tmp_path, capsys, out="good")[0] == 0
    assert ci_audit(tmp_path, capsys, site=broken, out="bad")[0] == 0
    code, out, _ = ci_audit(tmp_path, capsys, "--baseline", str(tmp_path / "good"),
                            site=broken, out="now")
    assert code == 1
    line = out.splitlines()[-1]
    assert line.startswith("gate failed: baseline: ") and "privacy-policy" in line
    # The same failures against a baseline that had them: accepted.
    code, out, _ = ci_audit(tmp_path, capsys, "--baseline",
                            str(tmp_path / "bad" / "report.json"), site=broken, out="now")
    assert code == 0
    assert out.splitlines()[-1].startswith("gate passed: baseline: no new failures")
    # Fixed since the baseline: progress. (Checks of the policy's content can fail anew once
    # there is a policy to read again, so the gate looks at privacy-policy alone.)
    code, out, _ = ci_audit(tmp_path, capsys, "--baseline", str(tmp_path / "bad"),
                            "--fail-on", "privacy-policy", out="now")
    assert code == 0
    line = out.splitlines()[-1]
    assert line.startswith("gate passed: baseline (new failures among privacy-policy): ")
    assert "; progress: " in line and "privacy-policy" in line.split("; progress: ")[1]
    # diff says the same.
    code, out, _ = run(["diff", str(tmp_path / "good"), str(tmp_path / "bad")], capsys)
    assert code == 1 and "privacy-policy" in out.splitlines()[-1]


def test_junit_markdown_and_github_outputs(tmp_path: Path, capsys, monkeypatch) -> None:
    step = tmp_path / "step-summary.md"
    step.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step))
    monkeypatch.chdir(ROOT)
    code, out, _ = run(["audit", "tests/fixtures/ci-site", "--site-url", CI_URL, "-o",
                        str(tmp_path / "r"), "--no-progress", "--no-config", "--fail-on", "high",
                        "--junit", str(tmp_path / "ci" / "junit.xml"),
                        "--markdown", str(tmp_path / "ci" / "summary.md")], capsys)
    assert code == 1
    report = load(tmp_path / "r")
    root = ET.parse(tmp_path / "ci" / "junit.xml").getroot()
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == len(report["findings"])
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    assert failed == {f["id"] for f in report["findings"] if f["status"] == "fail"}
    md = (tmp_path / "ci" / "summary.md").read_text("utf-8")
    assert md.startswith("### trustaudit: ❌ gate failed\n")
    assert step.read_text("utf-8") == "earlier step\n" + md
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    # returns-policy looked everywhere ("searched" evidence): no single file to point at.
    assert annotations[0].startswith("::error title=trustaudit critical%3A returns-policy::")
    assert annotations[-1].startswith("::error title=trustaudit gate::gate failed: ")
    broken = [f for f in report["findings"] if f["status"] in ("fail", "error")]
    assert len(annotations) == len(broken) + 1


def test_json_stdout_stays_pure_under_github_actions(tmp_path: Path, capsys,
                                                     monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, err = ci_audit(tmp_path, capsys, "--json", "--quiet", "--fail-on", "critical")
    assert code == 1
    assert json.loads(out) == load(tmp_path / "r")
    lines = err.splitlines()
    assert lines[-1].startswith("trustaudit: score ") and "gate failed: " in lines[-1]
    assert all(line.startswith("::") for line in lines[:-1]) and len(lines) > 1


def test_quiet_prints_one_line_with_the_verdict(tmp_path: Path, capsys) -> None:
    code, out, err = ci_audit(tmp_path, capsys, "-q", "--fail-under", "10")
    assert code == 0 and err == ""
    assert out.count("\n") == 1
    assert out.startswith("trustaudit: score ") and "; gate passed: score " in out


def test_project_folder_with_several_build_folders_exits_3(tmp_path: Path, capsys) -> None:
    for name in ("dist", "build"):
        shutil.copytree(CI_SITE, tmp_path / "project" / name)
    code, _, err = run(["audit", str(tmp_path / "project"), "-o", str(tmp_path / "r"),
                        "--no-config"], capsys)
    assert code == 3
    assert "several build folders (dist, build)" in one_error_line(err)


def test_redacted_argv() -> None:
    argv = ["trustaudit", "audit", "x", "--header", "Authorization: Bearer abc",
            "--header=X-Token:def", "--cookie", "session=ghi", "--cookie=pref=jkl", "--quiet"]
    assert redacted_argv(argv) == [
        "trustaudit", "audit", "x", "--header", "Authorization: ***", "--header=X-Token: ***",
        "--cookie", "session=***", "--cookie=pref=***", "--quiet"]


class ProtectedHandler(QuietHandler):
    """A preview deploy behind a token header and a session cookie (401 without them)."""

    def do_GET(self) -> None:  # noqa: N802
        if (self.headers.get("X-Preview-Token") != HEADER_SECRET
                or f"preview={COOKIE_SECRET}" not in (self.headers.get("Cookie") or "")):
            self.send_response(401)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"unauthorised")
            return
        super().do_GET()


def test_header_and_cookie_reach_the_site_and_never_any_output(tmp_path: Path, capsys,
                                                              monkeypatch) -> None:
    step = tmp_path / "step.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step))
    for url in serve(CI_SITE, ProtectedHandler):
        code, _, err = run(["audit", url, "-o", str(tmp_path / "denied"), "--no-progress",
                            "--no-config"], capsys)
        assert code == 3 and "401" in err
        code, out, err = run(["audit", url, "-o", str(tmp_path / "r"), "--no-progress",
                              "--no-config", "--header", f"X-Preview-Token: {HEADER_SECRET}",
                              "--cookie", f"preview={COOKIE_SECRET}", "--fail-on", "critical",
                              "--junit", str(tmp_path / "r" / "junit.xml"),
                              "--markdown", str(tmp_path / "summary.md")], capsys)
    assert code == 1
    report = load(tmp_path / "r")
    assert report["crawl"]["pages"] >= 8  # the secrets were sent: every page answered
    run_json = json.loads((tmp_path / "r" / "run.json").read_text())
    assert "X-Preview-Token: ***" in run_json["argv"] and "preview=***" in run_json["argv"]
    texts = [out, err, step.read_text("utf-8"), (tmp_path / "summary.md").read_text("utf-8")]
    texts += [p.read_text("utf-8", errors="replace") for p in (tmp_path / "r").rglob("*")
              if p.is_file()]
    for secret in (HEADER_SECRET, COOKIE_SECRET):
        assert not any(secret in text for text in texts), secret


def test_wait_retries_until_the_preview_answers(tmp_path: Path, capsys) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    holder: dict[str, ThreadingHTTPServer] = {}

    def start_later() -> None:
        time.sleep(1.5)
        server = ThreadingHTTPServer(("127.0.0.1", port),
                                     partial(QuietHandler, directory=str(CI_SITE)))
        holder["server"] = server
        server.serve_forever()

    thread = threading.Thread(target=start_later, daemon=True)
    thread.start()
    try:
        code, _, err = run(["audit", f"http://127.0.0.1:{port}/", "-o", str(tmp_path / "r"),
                            "--no-progress", "--no-config", "--wait", "30"], capsys)
    finally:
        thread.join(5)
        if "server" in holder:
            holder["server"].shutdown()
            holder["server"].server_close()
    assert code == 0, err
    assert "waiting up to 30 s" in err
    assert load(tmp_path / "r")["crawl"]["pages"] >= 8


def test_wait_gives_up_with_exit_3(tmp_path: Path, capsys) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    code, _, err = run(["audit", f"http://127.0.0.1:{port}/", "-o", str(tmp_path / "r"),
                        "--no-progress", "--no-config", "--wait", "1.5", "-q"], capsys)
    assert code == 3 and time.monotonic() - started < 15
    assert "did not answer within 1.5 s" in one_error_line(err)


# --------------------------------------------------------------------------- determinism


def _subprocess_audit(target: str, out: Path, env: dict[str, str], *args: str) -> bytes:
    proc = subprocess.run(
        [sys.executable, "-m", "auditor.cli", "audit", target, "-o", str(out), "--no-progress",
         "--no-config", "-q", *args],
        cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return (out / "report.json").read_bytes()


def test_report_bytes_do_not_depend_on_locale_timezone_or_hash_seed(tmp_path: Path) -> None:
    first = _subprocess_audit(str(CI_SITE), tmp_path / "a",
                              {"LC_ALL": "C", "LANG": "C", "TZ": "UTC", "PYTHONHASHSEED": "0"},
                              "--site-url", CI_URL)
    second = _subprocess_audit(str(CI_SITE), tmp_path / "b",
                               {"LC_ALL": "de_DE.UTF-8", "LANG": "de_DE.UTF-8",
                                "TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "4242"},
                               "--site-url", CI_URL)
    assert first == second
    assert "zimt-%C3%A4pfel" in first.decode("utf-8")  # the non-ASCII page was audited


def test_report_bytes_do_not_depend_on_concurrency(tmp_path: Path) -> None:
    for url in serve(CI_SITE):
        one = _subprocess_audit(url, tmp_path / "one", {"PYTHONHASHSEED": "1"},
                                "--concurrency", "1")
        eight = _subprocess_audit(url, tmp_path / "eight", {"PYTHONHASHSEED": "2"},
                                  "--concurrency", "8")
    assert one == eight
    assert json.loads(one)["crawl"]["pages"] >= 8
