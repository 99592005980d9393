"""The hostile suite, folder mode: a build folder is as untrusted as a website.

Each case runs the real ``trustaudit audit FOLDER`` in a subprocess and checks the same things as
URL mode: it ends within its bound, stays under its memory bound, reads nothing outside the
folder, records a clear reason for what it refused, audits the rest, and writes an inert report.
"""

from __future__ import annotations

import os
from pathlib import Path

import jsonschema
import pytest

from auditor.results import load_schema
from tests.hostile.harness import Outcome, assert_inert, run_cli

SECRET = "TOP-SECRET-OUTSIDE-THE-FOLDER"
GiB = 1024 * 1024 * 1024


def page(title: str, links: tuple[str, ...] = (), body: str = "") -> str:
    anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    return (f"<!doctype html><html lang=\"en\"><head><title>{title}</title></head><body>"
            f"<main><h1>{title}</h1>{body}<ul>{anchors}</ul></main><footer>"
            f'<a href="privacy.html">Privacy policy</a> <a href="contact.html">Contact us</a>'
            f"</footer></body></html>")


def shop(root: Path, links: tuple[str, ...]) -> Path:
    """A small build folder whose start page links to ``links``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(page("Folder shop", links), "utf-8")
    (root / "privacy.html").write_text(page("Privacy policy", body=(
        "<p>How we use your personal data, and your rights under the GDPR.</p>")), "utf-8")
    (root / "contact.html").write_text(page("Contact us", body=(
        "<p>Email help@shop.example or call +44 20 7946 0958.</p>")), "utf-8")
    return root


def audit(folder: Path, tmp_path: Path, *args: str) -> Outcome:
    return run_cli([str(folder), "--site-url", "https://shop.example/", *args],
                   out=tmp_path / "report")


def check_common(outcome: Outcome, *, seconds: float = 60.0, mib: float = 250.0) -> None:
    assert outcome.exit_code == 0, outcome.describe()
    assert outcome.elapsed < seconds and 0 < outcome.peak_mib < mib, outcome.describe()
    assert outcome.report is not None, outcome.describe()
    jsonschema.validate(outcome.report, load_schema())
    assert_inert(outcome.out)
    for path in ("/", "/privacy.html", "/contact.html"):
        assert outcome.audited(path), outcome.page(path)


def test_links_and_symlinks_out_of_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_text(page(SECRET, body=f"<p>{SECRET}</p>"), "utf-8")
    (outside / "index.html").write_text(page(SECRET), "utf-8")
    (outside / "sitemap.xml").write_text(
        f"<urlset><url><loc>https://shop.example/{SECRET}</loc></url></urlset>", "utf-8")
    links = ("../outside/secret.html", "../../outside/secret.html", "%2e%2e/outside/secret.html",
             "..%2foutside%2fsecret.html", "/../outside/secret.html", "file:///etc/passwd",
             "https://shop.example/../outside/secret.html", "leak.html", "leakdir/",
             "leakdir/secret.html", "zero.html", "loop.html", "fifo.html")
    site = shop(tmp_path / "site", links)
    (site / "leak.html").symlink_to(outside / "secret.html")
    (site / "leakdir").symlink_to(outside, target_is_directory=True)
    (site / "zero.html").symlink_to("/dev/zero")
    (site / "loop.html").symlink_to(site / "loop.html")  # a symlink loop
    (site / "sitemap.xml").symlink_to(outside / "sitemap.xml")
    (site / "robots.txt").symlink_to(outside / "secret.html")
    os.mkfifo(site / "fifo.html")  # reading it would block forever
    outcome = audit(site, tmp_path)
    check_common(outcome)
    for record in outcome.pages:
        assert SECRET not in record["title"] and SECRET not in record["url"], record
    shown = "".join(p.read_text("utf-8", "replace") for p in outcome.out.rglob("*")
                    if p.is_file())
    assert SECRET not in shown
    assert outcome.page("/leak.html")["error"].startswith("outside the folder")
    assert outcome.page("/leakdir/")["error"].startswith("outside the folder")
    assert outcome.page("/zero.html")["error"].startswith("outside the folder")
    assert outcome.page("/fifo.html")["status"] == 404  # not a regular file: never opened


def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    site = shop(tmp_path / "site", ("caf%E9.html", "%FF%FE.html", "d%E9j%E0/", "ok.html"))
    root = os.fsencode(site)
    for name in (b"caf\xe9.html", b"\xff\xfe.html"):
        with open(os.path.join(root, name), "wb") as handle:
            handle.write(page("Latin-1 name").encode())
    os.mkdir(os.path.join(root, b"d\xe9j\xe0"))
    with open(os.path.join(root, b"d\xe9j\xe0", b"index.html"), "wb") as handle:
        handle.write(page("Latin-1 folder").encode())
    (site / "ok.html").write_text(page("Ok"), "utf-8")
    outcome = audit(site, tmp_path)
    check_common(outcome)
    assert outcome.audited("/ok.html")
    # Escapes are the bytes of the name, as a static host serves them.
    assert outcome.page("/caf%E9.html")["title"] == "Latin-1 name"
    assert outcome.page("/%FF%FE.html")["title"] == "Latin-1 name"
    assert outcome.page("/d%E9j%E0/")["title"] == "Latin-1 folder"


def test_the_only_page_has_a_name_that_is_not_utf8(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with open(os.path.join(os.fsencode(site), b"caf\xe9.html"), "wb") as handle:
        handle.write(page("Only page", ("caf%E9.html",)).encode())
    outcome = audit(site, tmp_path)
    assert outcome.exit_code == 0, outcome.describe()
    assert outcome.page("/caf%E9.html")["title"] == "Only page"
    assert_inert(outcome.out)


def test_a_one_gigabyte_file(tmp_path: Path) -> None:
    site = shop(tmp_path / "site", ("big.html", "blob", "huge/"))
    for name in ("big.html", "blob", "sitemap.xml", "robots.txt"):
        with open(site / name, "wb") as handle:  # sparse: 1 GiB without using the disk
            handle.write(b"<!doctype html><title>Big</title><p>" if name != "sitemap.xml"
                         else b"<urlset><url><loc>https://shop.example/contact.html</loc></url>")
            handle.truncate(GiB)
    (site / "huge").mkdir()
    with open(site / "huge" / "index.html", "wb") as handle:
        handle.write(b"<title>Huge</title>" + b"<p>" + b"word " * 1000)
        handle.truncate(GiB)
    outcome = audit(site, tmp_path)
    check_common(outcome)
    big = outcome.page("/big.html")
    assert big["truncated"] and big["title"] == "Big", big
    assert outcome.page("/huge/")["truncated"]
    assert "max-body-size" in outcome.limits_hit


@pytest.mark.parametrize("files", [{}, {"style.css": "body{}", "notes.txt": "no pages here",
                                        "img/logo.png": "\x89PNG"}], ids=["empty", "no-html"])
def test_a_folder_without_pages_is_one_clear_line(tmp_path: Path, files: dict[str, str]) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, "utf-8")
    outcome = audit(site, tmp_path)
    assert outcome.exit_code == 3, outcome.describe()
    assert outcome.stderr.strip().count("\n") == 0 and "no HTML files" in outcome.stderr
    assert not outcome.out.exists()
