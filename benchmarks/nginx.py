"""A real static server for the crawl benchmark: Debian's nginx on 127.0.0.1, run as our child.

The harness writes a config into a temporary folder (no file of the system's nginx is read or
written), starts ``nginx -g 'daemon off;'`` in the foreground on a free port and stops it with
SIGQUIT (graceful) when done. :func:`ceiling` measures what the server can answer with ``wrk``
over the site's own URLs, so the table can show the server is not the bottleneck.

nginx is installed with ``apt-get install -y nginx-light`` when missing (the harness is run as
root on the benchmark machine; elsewhere the error says what to install).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/bin/nginx")
CONFIG = """\
{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    types {{
        text/html html htm; text/plain txt; application/xml xml; text/css css;
        application/javascript js; image/png png; image/jpeg jpg jpeg; image/svg+xml svg;
    }}
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    open_file_cache max=50000 inactive=120s;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {root};
        index index.html;
        absolute_redirect off;
        charset utf-8;
        charset_types text/html text/plain application/xml;
    }}
}}
"""


def nginx_binary(install: bool = True) -> str:
    """The nginx executable; installed from Debian's packages when missing and we are root."""
    for path in NGINX_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    found = shutil.which("nginx")
    if found:
        return found
    if install and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "nginx-light"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return nginx_binary(install=False)
    raise RuntimeError("nginx not found: install it (apt-get install -y nginx-light)")


def nginx_version() -> str:
    result = subprocess.run([nginx_binary(), "-v"], capture_output=True, text=True, check=False)
    match = re.search(r"nginx/(\S+)", result.stderr + result.stdout)
    return match.group(1) if match else "?"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Nginx:
    """``with Nginx(root) as server:`` serves ``root`` at ``server.origin`` until the block ends."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = nginx_binary()
        self._tmp = tempfile.TemporaryDirectory(prefix="trustaudit-nginx-")
        tmp = self._tmp.name
        for attempt in range(5):
            self.port = free_port()
            conf = Path(tmp) / "nginx.conf"
            # As root, nginx's workers would run as www-data, which cannot read a site cached
            # under /root: keep them as the user that generated the site.
            user = "user root;\n" if os.geteuid() == 0 else ""
            conf.write_text(CONFIG.format(user=user, tmp=tmp, port=self.port, root=self.root),
                            "utf-8")
            self.process = subprocess.Popen(
                [binary, "-p", tmp, "-e", f"{tmp}/error.log", "-c", str(conf),
                 "-g", "daemon off;"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if self._wait_ready():
                return
            self._kill()
            if attempt == 4:
                log = Path(tmp, "error.log")
                detail = log.read_text("utf-8", "replace")[-500:] if log.exists() else ""
                raise RuntimeError(f"nginx did not start: {detail}")

    def _wait_ready(self, seconds: float = 5.0) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return True
            except OSError:
                time.sleep(0.05)
        return False

    def _kill(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def stop(self) -> None:
        self._kill()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Nginx:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


WRK_SCRIPT = """\
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def ceiling(origin: str, paths: list[str], seconds: int = 5,
            connections: int = 16) -> float | None:
    """Requests per second nginx answers over the site's pages (``wrk``, one thread, keep-alive),
    or None when wrk is not installed (``apt-get install -y wrk``)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    with tempfile.TemporaryDirectory(prefix="trustaudit-wrk-") as tmp:
        listing = Path(tmp) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n", "utf-8")
        script = Path(tmp) / "rotate.lua"
        script.write_text(WRK_SCRIPT % listing, "utf-8")
        result = subprocess.run(
            [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), origin + "/"],
            capture_output=True, text=True, check=False)
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    return float(match.group(1)) if match else None
