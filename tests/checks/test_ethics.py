"""Green claims, giving programmes and supply-chain statements in seven languages, with traps."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.detect.text import fold
from checks.ethics import ethics_data
from tests.checks.harness import audit_html

FILLER = {
    "en": "We are a small family business and answer every message within one working day. We "
          "explain prices, delivery times and conditions before you order anything from us.",
    "de": "Wir sind ein kleiner Familienbetrieb und beantworten jede Nachricht innerhalb eines "
          "Werktages. Wir erklären Preise, Lieferzeiten und Bedingungen vor jeder Bestellung.",
    "fr": "Nous sommes une petite entreprise familiale et répondons à chaque message en un jour "
          "ouvré. Nous expliquons prix, délais et conditions avant toute commande chez nous.",
    "es": "Somos una pequeña empresa familiar y respondemos a cada mensaje en un día laborable. "
          "Explicamos precios, plazos y condiciones antes de cualquier pedido con nosotros.",
    "it": "Siamo una piccola azienda familiare e rispondiamo a ogni messaggio entro un giorno "
          "lavorativo. Spieghiamo prezzi, tempi e condizioni prima di ogni ordine da noi.",
    "nl": "Wij zijn een klein familiebedrijf en beantwoorden elk bericht binnen een werkdag. Wij "
          "leggen prijzen, levertijden en voorwaarden uit voordat u iets bij ons bestelt.",
    "pt": "Somos uma pequena empresa familiar e respondemos a cada mensagem num dia útil. "
          "Explicamos preços, prazos e condições antes de qualquer encomenda connosco.",
}


def _finding(tmp_path: Path, lang: str, body: str, check_id: str) -> dict:
    tag = "en-GB" if lang == "en" else lang  # plain "en" addresses no region in particular
    page = (f"<html lang='{tag}'><head><title>Home</title></head><body><main><h1>Home</h1>"
            f"{body}<p>{FILLER[lang]}</p><p>{FILLER[lang]}</p></main></body></html>")
    return audit_html(tmp_path, {"index.html": page})[check_id]


CLAIMS = {
    "en": "Our climate-neutral shipping and eco-friendly packaging.",
    "de": "Klimaneutraler Versand in umweltfreundlicher Verpackung.",
    "fr": "Livraison neutre en carbone, emballage respectueux de l'environnement.",
    "es": "Envío neutro en carbono y embalaje respetuoso con el medio ambiente.",
    "it": "Spedizione a impatto zero e imballaggio ecosostenibile.",
    "nl": "Klimaatneutrale verzending en milieuvriendelijke verpakking.",
    "pt": "Envio neutro em carbono e embalagem amiga do ambiente.",
}
BACKING = {
    "en": "We offset all emissions through Gold Standard projects.",
    "de": "Alle Emissionen kompensieren wir über ClimatePartner.",
    "fr": "Nous compensons nos émissions via des projets Gold Standard.",
    "es": "Compensamos las emisiones con proyectos Gold Standard.",
    "it": "Compensiamo le emissioni con progetti Gold Standard.",
    "nl": "Wij compenseren de uitstoot via Gold Standard-projecten.",
    "pt": "Compensamos as emissões com projetos Gold Standard.",
}


@pytest.mark.parametrize("lang", sorted(CLAIMS))
def test_unbacked_green_claims_in_each_language(tmp_path: Path, lang: str) -> None:
    finding = _finding(tmp_path / "bare", lang, f"<p>{CLAIMS[lang]}</p>", "green-claims")
    assert (finding["status"], finding["found"]) == ("fail", True), finding["message"]
    backed = _finding(tmp_path / "backed", lang, f"<p>{CLAIMS[lang]}</p><p>{BACKING[lang]}</p>",
                      "green-claims")
    assert (backed["status"], backed["found"]) == ("pass", False), backed["message"]


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "We aim to become carbon neutral by 2030."),
    ("de", "Bis 2030 wollen wir klimaneutral werden."),
    ("fr", "Objectif : devenir neutre en carbone d'ici 2030."),
    ("en", "Is eco-friendly packaging worth it?"),
    ("de", "Unsere Verpackung ist nicht klimaneutral, aber recycelbar."),
    ("en", 'Why we never call a product "climate neutral".'),
    ("en", "Our green T-shirt in sustainable cotton."),  # bare "green"/"sustainable" are not read
    ("es", "Alimentos ecológicos de temporada."),  # regulated organic term, not read
])
def test_targets_questions_negations_and_vague_words_are_not_claims(
        tmp_path: Path, lang: str, text: str) -> None:
    finding = _finding(tmp_path, lang, f"<p>{text}</p>", "green-claims")
    assert (finding["status"], finding["found"]) == ("pass", False), finding["evidence"]


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "We donate 1% of every sale to WaterAid."),
    ("de", "Pro Bestellung spenden wir einen Euro an die Tafel."),
    ("fr", "Nous reversons 1 % de nos ventes à une association."),
    ("es", "Por cada compra donamos un euro a Cáritas."),
    ("it", "Per ogni acquisto doniamo un albero."),
    ("nl", "Voor elke bestelling doneren wij aan een goed doel."),
    ("pt", "Para cada compra doamos uma refeição."),
])
def test_giving_programmes_in_each_language(tmp_path: Path, lang: str, text: str) -> None:
    finding = _finding(tmp_path, lang, f"<p>{text}</p>", "charity-community")
    assert (finding["status"], finding["found"]) == ("pass", True), finding["message"]


@pytest.mark.parametrize("label", [
    "Modern Slavery Statement", "Grundsatzerklärung zum LkSG", "Plan de vigilance",
    "Código de conducta para proveedores", "Codice di condotta per i fornitori",
    "Gedragscode voor leveranciers", "Código de conduta para fornecedores",
    "Hinweisgebersystem", "Lanceur d'alerte", "Canal de denuncias", "Klokkenluidersregeling",
    "Whistleblowing",
])
def test_supply_chain_and_whistleblowing_labels(label: str) -> None:
    data = ethics_data()
    folded = fold(label)
    assert data.supply_chain.search(folded) or data.whistleblowing.search(folded)


@pytest.mark.parametrize(("text", "public"), [
    ("© 2025 Muster Maschinenbau AG", True),
    ("Acme Holdings plc, registered in England", True),
    ("Registergericht: AG München, HRB 12345", False),
    ("Amtsgericht Charlottenburg (AG Berlin)", False),
    ("Handelsregister AG Wesel HRB 1", False),
])
def test_public_company_forms(text: str, public: bool) -> None:
    assert bool(ethics_data().company_forms.search(text)) is public
