"""``trustaudit serve DIR``: preview a report folder on http://127.0.0.1, nowhere else.

The report opens from ``file://`` already; serving it shows what a static host will show (and
lets a colleague on the same machine open a link). The server binds to the loopback address
only, serves the folder read-only with the standard library's handler, and stops cleanly on
Ctrl-C.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from auditor.errors import OutputError, TargetError

HOST = "127.0.0.1"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """The standard static handler with the report's own safety headers, and quiet logs."""

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


def make_server(folder: Path, port: int = 8000) -> http.server.ThreadingHTTPServer:
    """A server for ``folder`` on 127.0.0.1:``port`` (0 picks a free port), not yet running.

    Raises :class:`~auditor.errors.TargetError` (exit 3) when ``folder`` is not a folder and
    :class:`~auditor.errors.OutputError` (exit 5) when the port cannot be bound.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise TargetError(f"{folder} is not a folder: pass a report folder (it holds index.html)")
    if not (folder / "index.html").is_file():
        raise TargetError(f"{folder} has no index.html: is it a trustaudit report folder?")
    handler = functools.partial(_Handler, directory=str(folder.resolve()))
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise OutputError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from exc
    server.daemon_threads = True
    return server


def url_of(server: http.server.ThreadingHTTPServer) -> str:
    port = server.server_address[1]
    return f"http://{HOST}:{port}/"


def serve(
    folder: Path,
    port: int = 8000,
    *,
    say: Callable[[str], None] = print,
    stop: threading.Event | None = None,
) -> None:
    """Serve ``folder`` until Ctrl-C (or until ``stop`` is set), then close the socket."""
    server = make_server(folder, port)
    say(f"Serving {folder} at {url_of(server)} (Ctrl-C to stop)")
    if stop is not None:

        def stopper() -> None:
            stop.wait()
            server.shutdown()

        threading.Thread(target=stopper, daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        say("Stopped.")
    finally:
        server.server_close()
