"""The social-proof family's detectors in seven languages: testimonial attribution, review
profiles, affiliate disclosure, press and client-logo labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.detect.text import fold
from checks.social_proof import host_and_path, social_data
from checks.social_proof.attribution import classify_name
from tests.checks.harness import audit_html

FILLER = ("<p>We are a small family business. We answer every message within one working day and "
          "explain our prices, delivery times and conditions before you order anything from us. "
          "Our team has worked in this trade for many years.</p>")


@pytest.mark.parametrize(("text", "score"), [
    ("Maria López", 2),
    ("James O'Brien", 2),
    ("Dr. Hans-Peter Müller", 2),
    ("J. Smith", 2),
    ("Willie J. Brown", 2),
    ("J Juan Manuel Pereira", 2),  # an avatar letter before the name
    ("Anna K.", 1),
    ("Sarah", 1),
    ("J.D.", 0),
    ("A happy customer", 0),
    ("Kundin aus München", 0),
    ("Un client satisfait", 0),
    ("Cliente satisfecho", 0),
    ("Cliente soddisfatto", 0),
    ("Tevreden klant", 0),
    ("Cliente satisfeito", 0),
    ("Great Service", None),  # a review title
    ("Read More", None),  # a button
    ("Local Guide", None),
    ("the best bakery in town", None),
])
def test_attribution_names(text: str, score: int | None) -> None:
    assert classify_name(text) == score


def _testimonials(tmp_path: Path, lang: str, heading: str, quote: str, who: str) -> dict:
    page = (f"<html lang='{lang}'><head><title>Home</title></head><body><main><h1>Home</h1>"
            f"<h2>{heading}</h2><blockquote>{quote}</blockquote><p>— {who}</p>{FILLER}</main>"
            "</body></html>")
    return audit_html(tmp_path, {"index.html": page})["testimonials-attributed"]


@pytest.mark.parametrize(("lang", "heading", "quote", "who", "status"), [
    ("en", "What our clients say", "They answered within the hour and fixed everything fast.",
     "Priya Raman, Operations Director at Hollis Ltd", "pass"),
    ("de", "Kundenstimmen", "Schnell, freundlich und zuverlässig, wir sind sehr zufrieden damit.",
     "Jürgen Weiß, Geschäftsführer, Weiß Logistik GmbH", "pass"),
    ("fr", "Témoignages", "Une équipe réactive et des conseils clairs, je recommande vivement.",
     "Claire D.", "fail"),
    ("es", "Testimonios", "Un trato excelente y muy profesional, volveremos sin ninguna duda.",
     "Cliente satisfecho", "fail"),
    ("it", "Testimonianze", "Servizio rapido e cortese, lo consiglio a tutti senza esitazione.",
     "Giulia Bianchi", "pass"),
    ("nl", "Ervaringen van klanten", "Snelle levering en goede service, echt een aanrader hoor.",
     "Tevreden klant", "fail"),
    ("pt", "Depoimentos", "Atendimento excelente e muito rápido, recomendo a todos os amigos.",
     "João Pedro Santos", "pass"),
])
def test_testimonial_attribution_in_each_language(tmp_path: Path, lang: str, heading: str,
                                                  quote: str, who: str, status: str) -> None:
    finding = _testimonials(tmp_path, lang, heading, quote, who)
    assert finding["status"] == status, (finding["message"], finding["evidence"])


def _profile(url: str, site_url: str = "https://www.acme-bakery.de") -> tuple[bool, str]:
    data = social_data()
    host, path = host_and_path(url)
    for profile in data.profiles:
        if profile.host.search(host) and (m := profile.path.search(path)):
            return True, (m.group(1) if m.groups() else "") or ""
    return False, ""


@pytest.mark.parametrize(("url", "match", "slug"), [
    ("https://www.trustpilot.com/review/acme-bakery.de", True, "acme-bakery.de"),
    ("https://de.trustpilot.com/review/www.acme-bakery.de?page=2", True, "www.acme-bakery.de"),
    ("https://www.trustpilot.com/categories/bakery", False, ""),
    ("https://www.yelp.de/biz/acme-bakery-berlin", True, "acme-bakery-berlin"),
    ("https://www.tripadvisor.co.uk/Restaurant_Review-g187323-d1234-Reviews-Acme_Bakery-Berlin.html",
     True, "Acme_Bakery-Berlin"),
    ("https://g.page/r/CaBcD123/review", True, ""),
    ("https://www.google.com/maps/place/Acme+Bakery/@52.5,13.4,17z", True, "Acme+Bakery"),
    ("https://www.google.com/maps?cid=1234567890", True, ""),
    ("https://www.google.com/maps/dir/Berlin/Acme", False, ""),
    ("https://www.provenexpert.com/acme-bakery/", True, "acme-bakery"),
    ("https://www.provenexpert.com/de-de/", False, ""),
    ("https://www.kununu.com/de/acme-bakery", True, "acme-bakery"),
    ("https://www.kiyoh.com/reviews/1043210/acme_bakery", True, "acme_bakery"),
])
def test_review_profile_urls(url: str, match: bool, slug: str) -> None:
    assert _profile(url) == (match, slug)


DISCLOSURES = {
    "en": "This post contains affiliate links.",
    "de": "Anzeige: Dieser Beitrag enthält Werbelinks.",
    "fr": "Cet article contient des liens affiliés.",
    "es": "Este artículo contiene enlaces de afiliados.",
    "it": "Questo articolo contiene link affiliati.",
    "nl": "Dit artikel bevat affiliatelinks.",
    "pt": "Este artigo contém links de afiliados.",
}


@pytest.mark.parametrize("lang", sorted(DISCLOSURES))
def test_affiliate_disclosure_in_each_language(tmp_path: Path, lang: str) -> None:
    link = "<p><a href='https://www.amazon.de/dp/B01?tag=blog-21'>Mixer</a></p>"
    for disclosed, status in ((f"<p>{DISCLOSURES[lang]}</p>", "pass"), ("", "fail")):
        page = (f"<html lang='{lang}'><head><title>Test</title></head><body><main><h1>Test</h1>"
                f"{link}{disclosed}{FILLER}</main></body></html>")
        folder = tmp_path / status
        finding = audit_html(folder, {"index.html": page})["endorsement-disclosure"]
        assert finding["status"] == status, (lang, finding["message"])


@pytest.mark.parametrize("label", [
    "As seen in", "Bekannt aus", "Vu dans", "Visto en", "Visto su", "Bekend van", "Visto em",
])
def test_press_labels_in_each_language(label: str) -> None:
    pattern = social_data().press_phrases
    assert pattern is not None and pattern.search(fold(label))


@pytest.mark.parametrize("label", [
    "Trusted by", "Unsere Kunden", "Ils nous font confiance", "Nuestros clientes",
    "I nostri clienti", "Onze klanten", "Nossos clientes",
])
def test_client_logo_labels_in_each_language(label: str) -> None:
    data = social_data()
    assert data.logo_headings is not None and data.logo_headings.search(fold(label))
    assert not (data.partner_headings and data.partner_headings.fullmatch(fold(label)))


def test_sponsored_theme_credit_in_the_footer_is_not_an_endorsement(tmp_path: Path) -> None:
    page = ("<html lang='en'><head><title>Blog</title></head><body><main><h1>Blog</h1>"
            f"{FILLER}</main><footer><a rel='sponsored nofollow' href='https://themes.example/'>"
            "Theme by Example</a></footer></body></html>")
    finding = audit_html(tmp_path, {"index.html": page})["endorsement-disclosure"]
    assert finding["status"] == "not-applicable"
