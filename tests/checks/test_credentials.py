"""Awards and certificate verification in seven languages, and their traps."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.credentials import verification_data
from tests.checks.harness import audit_html

FILLER = ("<p>We are a small family business. We answer every message within one working day and "
          "explain our prices, delivery times and conditions before you order anything from us. "
          "Our team has worked in this trade for many years.</p>")


def _finding(tmp_path: Path, lang: str, body: str, check_id: str) -> dict:
    page = (f"<html lang='{lang}'><head><title>Home</title></head><body><main><h1>Home</h1>"
            f"{body}{FILLER}</main></body></html>")
    return audit_html(tmp_path, {"index.html": page})[check_id]


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Finalist, Retail Innovation Awards 2023"),
    ("de", "Ausgezeichnet mit dem Deutschen Gründerpreis 2022"),
    ("fr", "Lauréat du Trophée de l'Artisanat 2021"),
    ("fr", "Prix Galien 2020"),
    ("es", "Ganador del Premio Emprendedor XXI 2023"),
    ("it", "Vincitore del Premio Compasso d'Oro 2020"),
    ("nl", "Winnaar van de Webwinkel Awards 2024"),
    ("pt", "Vencedor do Prémio Cinco Estrelas 2024"),
])
def test_named_awards_in_each_language(tmp_path: Path, lang: str, text: str) -> None:
    finding = _finding(tmp_path, lang, f"<p>{text}</p>", "awards")
    assert (finding["status"], finding["found"]) == ("pass", True), finding["message"]


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Our award-winning bakery."),
    ("de", "Unsere preisgekrönte Bäckerei."),
    ("fr", "Notre boulangerie primée."),
    ("es", "Nuestra panadería premiada."),
    ("de", "Preis 2024: 19 Euro pro Stück."),  # Preis = price
    ("fr", "Prix : 25 € TTC, tarif 2024."),  # prix = price
    ("en", "© 2024 Award Software Ltd. All rights reserved."),
    ("de", "Ein ausgezeichneter Service seit 2010."),  # "excellent", not an award
])
def test_vague_or_false_award_mentions_fail(tmp_path: Path, lang: str, text: str) -> None:
    finding = _finding(tmp_path, lang, f"<p>{text}</p>", "awards")
    assert (finding["status"], finding["found"]) == ("fail", False), finding["evidence"]


@pytest.mark.parametrize("text", [
    "Certificate No. Q1 123456 0001",
    "Zertifikat-Nr.: 12 100 54321 TMS",
    "Certificat n° FR-2023-45821",
    "Certificado nº ES-0123/2024",
    "Certificato n. IT-9876-QM",
    "Certificaat nr. NL-2024-001",
    "Certificação n.º PT/2023/77",
])
def test_certificate_numbers_in_each_language(text: str) -> None:
    assert verification_data().certificate_number.search(text)


@pytest.mark.parametrize("text", ["Call us: 0800 123 4567", "Order no. 12345 shipped"])
def test_other_numbers_are_not_certificate_numbers(text: str) -> None:
    assert not verification_data().certificate_number.search(text)


def test_register_link_verifies_only_its_own_certification(tmp_path: Path) -> None:
    body = ("<p>We are ISO 9001 certified and a Certified B Corporation: "
            "<a href='https://www.bcorporation.net/en-us/find-a-b-corp/company/acme/'>profile</a>"
            "</p>")
    finding = _finding(tmp_path, "en", body, "certification-verifiable")
    assert finding["status"] == "pass"
    assert "1 of 2 named certifications" in finding["message"]
    assert all("ISO 9001" not in e["locator"] for e in finding["evidence"])


def test_a_prize_draw_is_not_an_award(tmp_path: Path) -> None:
    finding = _finding(tmp_path, "de", "<p>Gewinnspiel: Die Gewinner 2024 stehen fest!</p>",
                       "awards")
    assert (finding["status"], finding["found"]) == ("fail", False)
