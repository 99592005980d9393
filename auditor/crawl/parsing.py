"""Page parsing for the crawl: extraction in worker processes, and facts shared between pages.

Extraction is CPU-bound Python: lxml calls back into :mod:`auditor.extract` for every element,
so in the crawl's fetch threads it holds the GIL, pages are parsed one at a time and fetching
waits behind them (DESIGN.md §6: parsing must not serialize the crawl). :class:`PageParser`
sends bodies to a few worker processes instead, so the second core parses while the threads
fetch; the first pages of a crawl are parsed in the calling thread, so a small crawl never pays
for starting the workers. Measured on the benchmark's 2,000-page site: docs/benchmarks.md.

Facts come back identical either way (the same function runs), and :class:`Interner` then lets
pages share equal records: the header and footer links, images, headings and text blocks, and
the markup markers a theme repeats on every page are kept once, not once per page, so memory
grows with what is different on each page.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from dataclasses import replace
from typing import Any

from auditor.extract import extract_facts
from auditor.site import PageFacts, TextBlock

#: Pages parsed in the calling thread before the workers start (starting one costs ~0.3 s).
WARMUP_PAGES = 40
#: Text blocks up to this length are shared between pages (labels, prices, repeated lines);
#: blocks of the header, navigation and footer are shared whatever their length.
SHARED_BLOCK_CHARS = 80
BOILERPLATE_REGIONS = frozenset({"header", "nav", "footer"})


def default_processes() -> int:
    """Parsing processes when none are configured: 2 with two cores or more (one keeps the
    other busy while its result is sent back), none on one core."""
    cores = os.cpu_count() or 1
    return 0 if cores < 2 else 2


def _ignore_interrupts() -> None:
    """Worker start-up: Ctrl-C is the parent's to handle (it stops the crawl and keeps a
    partial report); a worker that died of it would only print a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Interner:
    """Shares equal records between the pages of one crawl. Thread-safe (``dict.setdefault``
    is atomic); records that rarely repeat (long body text, inline scripts) are left alone, so
    the table costs nothing for them."""

    def __init__(self) -> None:
        self._table: dict[Any, Any] = {}

    def _one(self, value: Any) -> Any:
        return self._table.setdefault(value, value)

    def _block(self, block: TextBlock) -> TextBlock:
        if block.region in BOILERPLATE_REGIONS or len(block.text) <= SHARED_BLOCK_CHARS:
            return self._one(block)  # type: ignore[no-any-return]
        return block

    def facts(self, facts: PageFacts) -> PageFacts:
        one = self._one
        return replace(
            facts,
            blocks=tuple(map(self._block, facts.blocks)),
            links=tuple(map(one, facts.links)),
            images=tuple(map(one, facts.images)),
            headings=tuple(map(one, facts.headings)),
            markers=one(tuple(map(one, facts.markers))),
            scripts=tuple(one(s) if not s.inline else s for s in facts.scripts),
            meta=tuple(map(one, facts.meta)),
        )


class _Worker:
    """One parsing process: a fresh interpreter running :func:`serve`, fed pickled requests
    over its stdin, answering on its stdout (length-prefixed). Not ``multiprocessing``: that
    re-imports the caller's ``__main__`` in every worker, and a script without a main guard
    would run again there."""

    def __init__(self) -> None:
        import auditor

        env = dict(os.environ)
        env["TRUSTAUDIT_PARSER_PATH"] = os.path.dirname(os.path.dirname(auditor.__file__))
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SERVE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env=env)

    def call(self, request: tuple[Any, ...]) -> Any:
        """Send one request, wait for its answer; OSError/EOFError when the worker is gone."""
        data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(len(data).to_bytes(8, "little") + data)
        stdin.flush()
        return pickle.loads(_read_exactly(stdout, int.from_bytes(_read_exactly(stdout, 8),
                                                                 "little")))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()  # the worker ends at end of input
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


_SERVE = ("import os, sys; sys.path.insert(0, os.environ['TRUSTAUDIT_PARSER_PATH']); "
          "from auditor.crawl.parsing import serve; serve()")


def _read_exactly(stream: Any, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError("parsing process ended")
        data += chunk
    return bytes(data)


def serve() -> None:
    """A parsing process's loop: requests (body, url, content type, encoding) in, facts (or the
    exception extraction raised) out, until its input ends."""
    _ignore_interrupts()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            size = int.from_bytes(_read_exactly(stdin, 8), "little")
            body, url, content_type, encoding = pickle.loads(_read_exactly(stdin, size))
        except EOFError:
            return
        try:
            answer: tuple[str, Any] = ("ok", extract_facts(body, url, content_type,
                                                           encoding=encoding))
        except Exception as exc:  # noqa: BLE001 - the caller's to_page decides what it means
            answer = ("error", exc)
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - an exception that cannot be pickled
            data = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}")))
        stdout.write(len(data).to_bytes(8, "little") + data)
        stdout.flush()


class PageParser:
    """``extract_facts`` for the crawl engine: in worker processes once the crawl is past its
    first pages, then interned. Thread-safe; call :meth:`close` (or use ``with``) when done.

    ``processes`` 0 parses in the calling thread; None picks :func:`default_processes`.
    """

    def __init__(self, processes: int | None = None, *, warmup: int = WARMUP_PAGES) -> None:
        self.processes = default_processes() if processes is None else max(0, processes)
        self.warmup = warmup
        self.interner = Interner()
        self._lock = threading.Lock()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: list[_Worker] = []
        self._calls = 0
        self._closed = False

    def __call__(self, body: bytes | str, url: str, content_type: str = "text/html", *,
                 encoding: str = "") -> PageFacts:
        worker = self._worker()
        if worker is None:
            facts = extract_facts(body, url, content_type, encoding=encoding)
            return self.interner.facts(facts)
        try:
            status, value = worker.call((body, url, content_type, encoding))
        except (OSError, EOFError, pickle.UnpicklingError):
            # The worker died (killed, out of memory): parse here, and use no worker again.
            with self._lock:
                self._closed = True
            facts = extract_facts(body, url, content_type, encoding=encoding)
            return self.interner.facts(facts)
        self._idle.put(worker)
        if status == "error":
            raise value
        return self.interner.facts(value)

    def _worker(self) -> _Worker | None:
        """An idle worker (waiting for one when all are busy), or None: parse here."""
        with self._lock:
            self._calls += 1
            if self.processes == 0 or self._closed or self._calls <= self.warmup:
                return None
            if not self._workers:
                try:
                    for _ in range(self.processes):
                        worker = _Worker()
                        self._workers.append(worker)
                        self._idle.put(worker)
                except OSError:
                    self._closed = True
                    return None
        while True:
            try:
                return self._idle.get(timeout=0.5)
            except queue.Empty:
                if self._closed:
                    return None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.close()

    def __enter__(self) -> PageParser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
