"""End-to-end: the ``trustaudit`` command on the demo site (folder and HTTP), exit codes, output.

The demo site is served by a real HTTP server on 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest

from auditor.cli import main
from auditor.results import load_schema
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
    assert CORE_IDS <= findings.keys()
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
    folder = {f["id"]: f["found"] for f in load(tmp_path / "f")["findings"] if f["id"] != "https"}
    url = {f["id"]: f["found"] for f in load(tmp_path / "u")["findings"] if f["id"] != "https"}
    assert folder == url


def test_render_rebuilds_the_site_from_report_json(tmp_path: Path, capsys) -> None:
    run(["audit", str(DEMO), "-o", str(tmp_path / "r")], capsys)
    code, out, _ = run(["render", str(tmp_path / "r" / "report.json"), "-o", str(tmp_path / "again")],
                       capsys)
    assert code == 0
    assert (tmp_path / "again" / "index.html").read_bytes() == (tmp_path / "r" / "index.html").read_bytes()
    assert (tmp_path / "again" / "report.json").read_bytes() == (tmp_path / "r" / "report.json").read_bytes()


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
    code, out, _ = run(["audit", str(DEMO), "-o", str(tmp_path / "r"), "--fail-under", "100"], capsys)
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
            [sys.executable, "-m", "auditor.cli", "audit", url, "-o", str(out), "--concurrency", "1",
             "--no-progress"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
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


def test_version(capsys) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and "trustaudit" in out
