"""The rule for tests marked ``browser``: they need Debian's Chromium and Playwright.

Where either is missing they are skipped with a reason that says how to get them, so the
README's plain test command works on any machine; with ``TRUSTAUDIT_REQUIRE_BROWSER=1`` (set by
``.ci/run``) they fail instead, so CI can never pass by skipping them.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SKIP_REASON = (
    "Chromium not found at /usr/bin/chromium (apt-get install chromium) or playwright not "
    "installed"
)


def browser_available() -> bool:
    return (
        CHROMIUM.is_file()
        and os.access(CHROMIUM, os.X_OK)
        and importlib.util.find_spec("playwright") is not None
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("browser") is None or browser_available():
        return
    if os.environ.get("TRUSTAUDIT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{SKIP_REASON}, and TRUSTAUDIT_REQUIRE_BROWSER=1 requires them",
                    pytrace=False)
    pytest.skip(SKIP_REASON)
