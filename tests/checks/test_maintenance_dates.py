"""copyright-year against a fixed audit day (the harness's ``date``), so verdicts never age."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checks.harness import audit_html

FILLER = ("<p>We make small-batch ceramics in our workshop and ship them across Europe. Every "
          "piece is thrown, glazed and fired by hand.</p>")


def _finding(tmp_path: Path, footer: str, date: str) -> dict[str, object]:
    page = f"<html lang='en'><head><title>Alder</title></head><body><main><h1>Alder</h1>" \
           f"{FILLER}</main><footer>{footer}</footer></body></html>"
    return audit_html(tmp_path, {"index.html": page}, date=date)["copyright-year"]


@pytest.mark.parametrize(("footer", "status", "year"), [
    ("<p>© 2025 Alder Ltd.</p>", "pass", "2025"),
    ("<p>© 2024 Alder Ltd.</p>", "pass", "2024"),  # last year: the grace year
    ("<p>© 2023 Alder Ltd.</p>", "fail", "2023"),
    ("<p>Copyright © 2015–2025 Alder Ltd.</p>", "pass", "2025"),  # a range counts by its end
    ("<p>© 2015 - 2019 Alder Ltd.</p>", "fail", "2019"),
    ("<p>Theme © 2025 Vendor</p><p>© 2018 Alder Ltd.</p>", "fail", "2018"),  # credit skipped
    ("<p>(c) 2021 Alder · Photos © 2025 J. Doe</p>", "fail", "2021"),
    ("<p>Familienbetrieb seit 2001 · © 2025 Alder GmbH</p>", "pass", "2025"),
])
def test_copyright_year_against_the_audit_date(tmp_path: Path, footer: str, status: str,
                                               year: str) -> None:
    finding = _finding(tmp_path, footer, "2025-06-01")
    assert finding["status"] == status, finding["message"]
    assert finding["found"] is (status == "fail")
    assert year in str(finding["message"])


def test_the_same_footer_ages(tmp_path: Path) -> None:
    assert _finding(tmp_path, "<p>© 2024 Alder</p>", "2025-01-05")["status"] == "pass"
    assert _finding(tmp_path, "<p>© 2024 Alder</p>", "2026-01-05")["status"] == "fail"


def test_newest_year_across_pages_wins(tmp_path: Path) -> None:
    old = "<html><head><title>Old</title></head><body><main>" + FILLER + \
          "</main><footer>© 2016 Alder</footer></body></html>"
    new = "<html><head><title>New</title></head><body><main><a href='/old.html'>old</a>" + \
          FILLER + "</main><footer>© 2024 Alder</footer></body></html>"
    finding = audit_html(tmp_path, {"index.html": new, "old.html": old},
                         date="2025-01-05")["copyright-year"]
    assert (finding["status"], finding["found"]) == ("pass", False)
