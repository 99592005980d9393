"""``trustaudit serve``: a report folder on 127.0.0.1, stopped cleanly."""

from __future__ import annotations

import socket
import threading
import urllib.request
from pathlib import Path

import pytest

from auditor.errors import OutputError, TargetError
from auditor.report import serve
from auditor.report.render import render_site
from tests.interrupt import default_sigint
from tests.report.sample import sample_report


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serve") / "report"
    render_site(sample_report(), out, None)
    return out


def test_serves_the_folder_on_loopback_and_stops(report_dir: Path) -> None:
    lines: list[str] = []
    stop = threading.Event()
    ready = threading.Event()

    def say(line: str) -> None:
        lines.append(line)
        ready.set()

    thread = threading.Thread(target=serve.serve, args=(report_dir, 0),
                              kwargs={"say": say, "stop": stop})
    thread.start()
    try:
        assert ready.wait(10)
        url = lines[0].split(" at ")[1].split(" ")[0]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.read() == (report_dir / "index.html").read_bytes()
        with urllib.request.urlopen(url + "assets/style.css", timeout=10) as response:
            assert response.headers["Content-Type"].startswith("text/css")
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    port = int(url.rsplit(":", 1)[1].strip("/"))
    with socket.socket() as probe:  # nothing listens any more: the port can be bound again
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))


def test_make_server_binds_loopback_only(report_dir: Path) -> None:
    server = serve.make_server(report_dir, 0)
    try:
        assert server.server_address[0] == "127.0.0.1"
        assert serve.url_of(server) == f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.server_close()


def test_refuses_what_is_not_a_report_folder(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="is not a folder"):
        serve.make_server(tmp_path / "missing", 0)
    with pytest.raises(TargetError, match="has no index.html"):
        serve.make_server(tmp_path, 0)


def test_a_busy_port_is_an_output_error(report_dir: Path) -> None:
    first = serve.make_server(report_dir, 0)
    try:
        with pytest.raises(OutputError, match="cannot listen on 127.0.0.1"):
            serve.make_server(report_dir, first.server_address[1])
    finally:
        first.server_close()


def test_the_command_prints_the_url_and_stops_on_ctrl_c(report_dir: Path) -> None:
    import signal
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "auditor.cli", "serve", str(report_dir), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert line.startswith(f"Serving {report_dir} at http://127.0.0.1:"), line
        url = line.split(" at ")[1].split(" ")[0]
        with urllib.request.urlopen(url + "badge.svg", timeout=10) as response:
            assert response.read() == (report_dir / "badge.svg").read_bytes()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0 and out == "Stopped.\n" and err == ""
