"""Units of the identity family: check digits, anchored register numbers (T10), legal entities,
free-mail domains, the audit date of stale references, and the site's legal region.

The valid and invalid numbers below were generated for these tests and cross-checked once, by
hand, against the python-stdnum implementations of the same algorithms (not a dependency).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from auditor.crawl.folder import crawl_folder
from auditor.crawl.options import CrawlOptions
from checks._region import region
from checks.identity.consistency import free_mail_provider
from checks.identity.entities import entities_in, is_third_party, norm_name
from checks.identity.legal import numbers_in, stale_legal_references
from checks.identity.registers import VALIDATORS

VALID = {
    "de_vat": ["342366712", "676122202", "136695976"],
    "it_piva": ["22817180023", "34646270453"],
    "es_nif": ["A88346564", "A40544629", "12345678Z", "15247234M", "X1234567L"],
    "fr_siren": ["323911974", "204177984", "732829320"],
    "fr_siret": ["60255380284841", "29604795484811"],
    "fr_vat": ["47065898934", "95474740370"],
    "pt_nif": ["567147100", "591842653"],
    "be_vat": ["0973144679", "0811166359"],
    "at_vat": ["46249242", "21869761"],
    "nl_vat": ["453153689B01", "615944310B01"],
    "ch_uid": ["193987507", "616942709"],
}
INVALID = {
    "de_vat": ["526018159", "342366713", "012345678"],
    "it_piva": ["97299752882"],
    "es_nif": ["A57769152", "12345678A"],
    "fr_siren": ["042924875"],
    "fr_siret": ["11162893329762"],
    "fr_vat": ["87535158844"],
    "pt_nif": ["551198580"],
    "be_vat": ["0507146064"],
    "at_vat": ["47878285"],
    "nl_vat": ["150027768B01"],
    "ch_uid": ["776442793"],
}


@pytest.mark.parametrize(("name", "number"), [(k, v) for k, vs in VALID.items() for v in vs])
def test_valid_numbers_pass_their_check_digit(name: str, number: str) -> None:
    assert VALIDATORS[name](number) is True


@pytest.mark.parametrize(("name", "number"), [(k, v) for k, vs in INVALID.items() for v in vs])
def test_invalid_numbers_fail_their_check_digit(name: str, number: str) -> None:
    assert VALIDATORS[name](number) is False


@pytest.mark.parametrize(("text", "label", "value", "valid"), [
    ("Registergericht: Amtsgericht Köln, HRB 12345", "Handelsregister number", "12345", None),
    ("Firmenbuchnummer: FN 123456 a", "Firmenbuch number", "123456a", None),
    ("RCS Lyon 065 898 934", "SIREN", "065898934", True),
    ("SIRET : 602 553 802 84841", "SIRET", "60255380284841", True),
    ("CIF: B-12345678", "NIF / CIF", "B12345678", None),
    ("P.IVA 22817180023", "Partita IVA", "22817180023", True),
    ("REA MI-1234567", "REA number", "MI1234567", None),
    ("KvK 12345678", "KvK number", "12345678", None),
    ("NIPC: 567 147 100", "NIPC / NIF", "567147100", True),
    ("Company number 01234567, registered in England", "company number", "01234567", None),
    ("USt-IdNr.: DE 342 366 712", "VAT ID", "DE342366712", True),
    ("UID: ATU46249242", "VAT ID", "ATU46249242", True),
    ("N° TVA intracommunautaire : FR 47 065 898 934", "VAT ID", "FR47065898934", True),
    ("BTW-nummer NL453153689B01", "VAT ID", "NL453153689B01", True),
    ("VAT Reg No: GB 123 4567 89", "VAT ID", "GB123456789", None),
    ("Umsatzsteuer-Identifikationsnummer gemäß § 27 a Umsatzsteuergesetz:\nDE136695976",
     "VAT ID", "DE136695976", True),
    ("Registernummer:\nHRB 123456", "Handelsregister number", "123456", None),
    ("Registernummer:\n12345", "register number", "12345", None),
])
def test_register_and_vat_numbers_are_read_with_their_anchor(
        text: str, label: str, value: str, valid: bool | None) -> None:
    found = {(n.label, n.value.replace("-", "")): n.valid for n in numbers_in(text, "u")}
    if label == "NIF / CIF":
        value = value.replace("-", "")
    assert (label, value) in found, found
    if valid is not None:
        assert found[(label, value)] is valid


@pytest.mark.parametrize("text", [
    "Bestellnummer 12345678 vom 12.03.2024",  # an order number, no register word (T10)
    "Tel. 0341 1234567 · Fax 0341 1234568",
    "Artikelnummer DE123456789",  # looks like a VAT ID, but no VAT word before it
    "Lieferung in 3-5 Tagen, 12345 Leipzig",
    "NIF: siehe Rechnung · Tel. 952 000 000",  # the first number after the keyword is a phone
])
def test_numbers_without_a_keyword_anchor_are_ignored(text: str) -> None:
    assert numbers_in(text, "u") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("© 2025 Alder Ceramics Ltd. All rights reserved.", "Alder Ceramics Ltd."),
    ("Lindner Keramik GmbH & Co. KG, Leipzig", "Lindner Keramik GmbH & Co. KG"),
    ("Atelier Morel SAS au capital de 10 000 €", "Atelier Morel SAS"),
    ("Cerámica Ruiz, S.L. — CIF B12345678", "Cerámica Ruiz, S.L."),
    ("Studio Rossi S.r.l. — P.IVA 22817180023", "Studio Rossi S.r.l."),
    ("Keramiek Jansen B.V.", "Keramiek Jansen B.V."),
    ("Cerâmica Lisboa, Lda.", "Cerâmica Lisboa, Lda."),
])
def test_legal_entities_in_seven_languages(text: str, expected: str) -> None:
    assert [e[0] for e in entities_in(text)] == [expected]


@pytest.mark.parametrize("text", [
    "© 2025 PVB.LLC — Terms | Privacy",  # a domain, not a legal form
    "Payments by PayPal (Europe) S.à r.l. et Cie, S.C.A.",  # a supplier
    "Hosted by Netlify, Inc.",  # a credit
    "Limited edition mugs in stock",
    "Trockenfutter 15 KG im Angebot",
])
def test_no_first_party_entity(text: str) -> None:
    assert list(entities_in(text)) == []


def test_names_are_normalised_without_their_legal_form() -> None:
    assert norm_name("ACME Handels GmbH & Co. KG") == "acme handels"
    assert is_third_party("Google Ireland Limited")
    assert not is_third_party("Lindner Keramik GmbH")


@pytest.mark.parametrize(("email", "provider"), [
    ("shop@gmail.com", "gmail.com"),
    ("info@yahoo.co.uk", "yahoo.co.uk"),
    ("max@web.de", "web.de"),
    ("contact@orange.fr", "orange.fr"),
    ("hello@mail.acme.de", ""),  # a business's mail subdomain
    ("info@live-music-events.com", ""),
    ("team@acme.io", ""),
])
def test_free_mail_providers(email: str, provider: str) -> None:
    assert free_mail_provider(email) == provider


def _fixture(name: str) -> Path:
    return Path(__file__).parent / "fixtures" / "stale-legal-references" / name


def test_stale_references_depend_on_the_audit_date() -> None:
    snapshot = crawl_folder(_fixture("fail-german-tmg-imprint"), CrawlOptions())
    before = replace(snapshot, date="2024-05-13", cache={})
    after = replace(snapshot, date="2024-05-14", cache={})
    assert stale_legal_references(before).status == "pass"
    assert stale_legal_references(before).found is False
    outcome = stale_legal_references(after)
    assert outcome.status == "fail" and outcome.found is True
    assert any("DDG" in e.locator for e in outcome.evidence)


def test_odr_link_is_stale_only_after_the_platform_closed() -> None:
    snapshot = crawl_folder(_fixture("fail-odr-platform-link"), CrawlOptions())
    assert stale_legal_references(replace(snapshot, date="2025-07-19", cache={})).status == "pass"
    assert stale_legal_references(replace(snapshot, date="2025-07-20", cache={})).status == "fail"


def test_unknown_without_an_audit_date() -> None:
    snapshot = crawl_folder(_fixture("fail-german-tmg-imprint"), CrawlOptions())
    assert stale_legal_references(replace(snapshot, date="", cache={})).status == "unknown"


@pytest.mark.parametrize(("site_url", "eu"), [
    ("https://lindner-keramik.de", True),
    ("https://keramik.ch", False),  # German-speaking, but Swiss
    ("https://acme.us", False),
    ("https://acme.ie", True),
])
def test_region_from_the_domain(tmp_path: Path, site_url: str, eu: bool) -> None:
    (tmp_path / "index.html").write_text(
        '<html lang="de"><body><main><p>Keramik aus der Werkstatt.</p></main></body></html>',
        "utf-8")
    snapshot = crawl_folder(tmp_path, CrawlOptions(site_url=site_url))
    assert region(snapshot).eu is eu


@pytest.mark.parametrize(("text", "stale"), [
    ("Haftung für Inhalte nach §§ 7 bis 10 TMG", True),
    ("Cookies gemäß § 15 Abs. 3 TMG", True),
    ("Informationen nach dem Telemediengesetz", True),
    ("Angaben gemäß § 5 DDG (bis Mai 2024: § 5 TMG)", False),
    ("Plataforma de resolución de litigios en línea de la UE: ec.europa.eu/consumers/odr", True),
    ("La piattaforma ODR dell'UE è stata chiusa il 20 luglio 2025.", False),
    ("We rely on the EU-US Data Privacy Framework (formerly Privacy Shield).", False),
    ("Nous participons au Privacy Shield UE-États-Unis.", True),
])
def test_stale_reference_wording(tmp_path: Path, text: str, stale: bool) -> None:
    (tmp_path / "index.html").write_text(
        f'<html lang="de"><body><main><h1>Rechtliches</h1><p>{text}</p>'
        '<p>Weitere Hinweise zu unseren Leistungen und Preisen finden Sie auf den übrigen '
        'Seiten dieser Website.</p></main></body></html>', "utf-8")
    snapshot = replace(crawl_folder(tmp_path, CrawlOptions()), date="2026-01-01", cache={})
    assert stale_legal_references(snapshot).found is stale


@pytest.mark.parametrize(("url", "platform"), [
    ("https://www.instagram.com/lindenhof.tea/", "instagram.com"),
    ("https://m.facebook.com/lindenhoftea", "facebook.com"),
    ("https://de.linkedin.com/company/lindenhof-tea", "linkedin.com"),
    ("https://github.com/acme", "github.com"),
    ("https://docs.github.com/en/site-policy/privacy-policies/github-privacy-statement", None),
    ("https://www.facebook.com/policy.php", None),
    ("https://twitter.com/privacy", None),
    ("https://vimeo.com/help", None),
    ("https://www.facebook.com/sharer/sharer.php?u=x", None),
])
def test_social_profile_links(url: str, platform: str | None) -> None:
    from checks.identity import social_platform

    assert social_platform(url) == platform
