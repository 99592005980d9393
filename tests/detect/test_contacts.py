"""Contact channels from text: the formats real sites use, and the traps (T10)."""

from __future__ import annotations

import pytest

from auditor.detect.contacts import clean_email, decode_cfemail, find_addresses, page_channels
from auditor.site import Link, Page, PageFacts, TextBlock


def channels(blocks=(), links=(), jsonld=()):
    facts = PageFacts(blocks=tuple(TextBlock(t, "footer") for t in blocks), links=tuple(links),
                      jsonld=tuple(jsonld))
    return page_channels(Page("https://a.example/", 200, facts=facts))


@pytest.mark.parametrize("text", [
    "San Pedro, 24 bajo, 20304 Irún (Gipuzkoa)",
    "Tour Prisma, 6 avenue d'Alsace, 92400 Courbevoie",
    "Reicher-Leute-Stege 12, 46485 Wesel",
    "16601 N 75th Ave Unit 2059, Peoria, AZ, 85382",
    "Lindenstraße 12, 10969 Berlin, Germany",
    "Via Roma 10, 00184 Roma",
    "Keizersgracht 123, 1015 CJ Amsterdam",
    "Rua Augusta 100, 1100-053 Lisboa",
    "221B Baker Street, London NW1 6XE",
])
def test_addresses_found(text: str) -> None:
    assert list(find_addresses(text)), text


@pytest.mark.parametrize("text", [
    "© 2024 Kristall Reinigung",
    "Open 7 days, 10000 Happy customers",
    "Musterstraße 1, 12345 Musterstadt",
    "Order 12345 Shipped today",
    "Prices from 19.99 EUR incl. VAT",
])
def test_addresses_not_found(text: str) -> None:
    assert not list(find_addresses(text)), text


def test_phones_need_an_anchor() -> None:
    found = {c.value for c in channels(["Tél. 06 37 38 15 55", "Telefon: +49 176 471 560 17"])
             if c.kind == "phone"}
    assert found == {"0637381555", "+4917647156017"}
    assert not [c for c in channels(["Order 2024-01-02, invoice 12345678"]) if c.kind == "phone"]
    assert not [c for c in channels(["Fax: 030 123456"]) if c.kind == "phone"]


def test_tel_and_mailto_links() -> None:
    found = channels(links=[
        Link("", "tel:+34943638545", "943 63 85 45"),
        Link("", "mailto:info@shop.example?subject=Hi", "Write to us"),
        Link("https://a.example/cdn-cgi/l/email-protection#", "/cdn-cgi/l/email-protection#"
             "5a3334373f5a2932352a74", "[email protected]"),
    ])
    assert {(c.kind, c.value) for c in found} >= {("phone", "+34943638545"),
                                                    ("email", "info@shop.example")}


def test_emails_in_text_and_placeholders() -> None:
    found = {c.value for c in channels(["Write to hello [at] tea-shop [dot] de or x@example.com",
                                        "logo@2x.png"]) if c.kind == "email"}
    assert found == {"hello@tea-shop.de"}
    assert clean_email("Support@PVB.llc") == "support@pvb.llc"


def test_cloudflare_decoding() -> None:
    key = 0x5A
    encoded = bytes([key]) + bytes(b ^ key for b in b"me@shop.io")
    assert decode_cfemail(encoded.hex()) == "me@shop.io"


def test_jsonld_contact_points() -> None:
    found = channels(jsonld=[{"@type": "Organization", "email": "mailto:a@b.de", "telephone":
                              "+49 30 123456", "address": {"@type": "PostalAddress",
                                                           "streetAddress": "Hauptstr. 1",
                                                           "postalCode": "10115",
                                                           "addressLocality": "Berlin"}}])
    assert {c.kind for c in found} == {"email", "phone", "address"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Call us: (323) 458-5595", ["3234585595"]),  # anchored and US patterns overlap: one number
    ("Telefon (Büro): 030 123456", ["030123456"]),
    ("Tel 030 1234567 Fax 030 1234568", ["0301234567"]),  # the fax number is not a phone
])
def test_each_phone_number_is_found_once(text: str, expected: list[str]) -> None:
    assert [c.value for c in channels(blocks=[text]) if c.kind == "phone"] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Casa rural, Calle Mayor 3, 24148 Miñera de Luna", "Calle Mayor 3, 24148 Miñera de Luna"),
    ("Zeil 5, 60311 Frankfurt am Main", "Zeil 5, 60311 Frankfurt am Main"),
    ("Via Roma, 16 — Bergamo", "Via Roma, 16 — Bergamo"),  # street first, no postcode
])
def test_addresses_with_particles_and_without_postcode(text: str, expected: str) -> None:
    assert [text[a:b] for a, b in find_addresses(text)] == [expected]


@pytest.mark.parametrize("text", [
    "Hébergeur : Free SAS, 8 rue de la Ville l'Evêque, 75008 Paris",
    "Zuständige Aufsichtsbehörde: Landeszentrum für Datenschutz, Holstenstraße 98, 24103 Kiel",
    "Hosted by Netlify, Inc., 101 2nd Street, San Francisco, CA 94105",
])
def test_third_party_addresses_in_legal_texts_are_not_the_business(text: str) -> None:
    assert list(find_addresses(text)) == []


def test_localized_placeholders_are_not_contacts() -> None:
    found = channels(blocks=["Scrivici a info@dominio.it o chiama +39 000 000 0000",
                             "Écrivez à contact@exemple.fr"])
    assert [c for c in found if c.kind in ("email", "phone")] == []


def test_french_national_phone_format_needs_no_phone_word() -> None:
    found = channels(blocks=["Réservations : 06 28 04 64 27 ou 01.42.33.44.55"])
    assert sorted(c.value for c in found if c.kind == "phone") == ["0142334455", "0628046427"]
