"""The page-type finder: link-then-confirm, one-page sites, headings that name the page."""

from __future__ import annotations

from pathlib import Path

from auditor.crawl.folder import crawl_folder
from auditor.crawl.options import CrawlOptions
from auditor.detect.pagetypes import find_page_type, is_page_link
from auditor.site import Link

FOOTER = '<footer><a href="/impressum.html">Impressum</a></footer>'


def site(tmp_path: Path, pages: dict[str, str]):
    for name, body in pages.items():
        (tmp_path / name).write_text(
            f'<html lang="de"><head><title>{name}</title></head><body>{body}</body></html>',
            "utf-8")
    return crawl_folder(tmp_path, CrawlOptions(probes=False))


def test_anchors_into_the_home_page_are_sections_not_pages() -> None:
    def link(href: str) -> Link:
        return Link(url="https://x.example/", href=href, text="Kontakt")

    for href in ("#kontakt", "/#kontakt", "./#kontakt", "index.html#kontakt"):
        assert not is_page_link(link(href)), href
    assert is_page_link(Link(url="https://x.example/contact.html", href="contact.html#form",
                             text="Kontakt"))


def test_a_one_page_site_has_no_contact_page(tmp_path: Path) -> None:
    snap = site(tmp_path, {
        "index.html": '<nav><a href="/#kontakt">Kontakt</a></nav><main><h1>Autopflege</h1>'
                      '<section id="kontakt"><h2>Kontakt</h2><p>Telefon 0431 123 987</p>'
                      f'</section></main>{FOOTER}',
        "impressum.html": '<header><h1>Impressum</h1></header><main><h2>Kontakt</h2>'
                          '<p>Telefon: 0431 123 987, E-Mail: info@yilmaz.example</p></main>',
    })
    assert not find_page_type(snap, "contact").found
    assert find_page_type(snap, "imprint").found


def test_a_hero_h1_inside_header_names_the_page(tmp_path: Path) -> None:
    snap = site(tmp_path, {
        "index.html": '<main><p>Willkommen</p></main><footer><a href="/legal.html">'
                      'Rechtliches</a></footer>',
        "legal.html": '<header><h1>Datenschutzerklärung</h1></header><main><p>Wir verarbeiten '
                      'personenbezogene Daten nach der DSGVO. Verantwortlicher ist ...</p></main>',
    })
    result = find_page_type(snap, "privacy")
    assert result.found and result.best is not None
    assert result.best.head_text == "Datenschutzerklärung"


def test_a_menu_anchor_to_a_section_id_names_the_section(tmp_path: Path) -> None:
    snap = site(tmp_path, {
        "index.html": '<nav><a href="#faq">FAQ</a></nav><main><h1>Wash &amp; fold</h1>'
                      '<section id="faq"><h2>Before your first wash</h2><p>How long does it '
                      'take? Two days.</p></section></main>',
    })
    sections = find_page_type(snap, "faq").sections
    assert [(s.heading, s.level) for s in sections] == [("FAQ", 0)]


def test_a_menu_link_does_not_hide_a_section_label_in_the_content(tmp_path: Path) -> None:
    snap = site(tmp_path, {
        "index.html": '<nav><a href="/faq-old.html">FAQ</a></nav><main>'
                      '<p class="eyebrow">FAQ</p><h2>Good to know</h2><p>Answers.</p></main>',
    })
    assert any(s.heading == "FAQ" for s in find_page_type(snap, "faq").sections)
