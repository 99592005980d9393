"""Ctrl-C for commands the tests start and then interrupt."""

from __future__ import annotations

import signal


def default_sigint() -> None:
    """``preexec_fn`` for a child the test will send SIGINT: restore the default action.

    A shell starts background jobs with SIGINT ignored and children inherit that, so a test run
    started in the background (``.ci/run &``, nohup) would give a child that never sees Ctrl-C;
    with the default action back, Python installs its KeyboardInterrupt handler as usual.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
