"""The contact and policies wording (checks/commerce.toml), one case per language and key.

Sentences are written by hand the way shops, clinics and firms word them in each of the seven
languages; the negative cases are the traps the checks name (a delivery time is no return
window, § 14 BGB is no 14-day period, a year span is no opening hours).
"""

from __future__ import annotations

import pytest

from auditor.site import TextBlock
from checks._wording import folded, wording
from checks.contact import _hours_in_blocks

LANGS = ("en", "de", "fr", "es", "it", "nl", "pt")

HOURS = {
    "en": "Customer service: Mon–Fri 9am–5pm",
    "de": "Öffnungszeiten: Mo.–Fr. 9:00–18:00 Uhr",
    "fr": "Service client du lundi au vendredi de 9h à 18h",
    "es": "Horario: lunes a viernes de 9:00 a 14:00",
    "it": "Orari: lun-ven 9:00-13:00",
    "nl": "Klantenservice: ma t/m vr 9:00 - 17:00",
    "pt": "Horário de atendimento: segunda a sexta, 9h - 18h",
}
NOT_HOURS = [
    "Ausstellung 2019 – 2024 in Leipzig.",
    "Mugs from 12 - 18 € each.",
    "Do you ship abroad? 3-5 days.",
    "Sale: 10–20% off selected items",
]
RETURNS = {  # (window, cost, refund)
    "en": ("You can return items within 30 days.",
           "Return shipping costs are paid by the customer.",
           "We refund to the original payment method."),
    "de": ("Rückgabe innerhalb von 14 Tagen möglich.", "Die Rücksendekosten trägt der Käufer.",
           "Wir verwenden dasselbe Zahlungsmittel, das Sie bei der Bestellung eingesetzt haben."),
    "fr": ("Retour possible sous 30 jours.", "Les frais de retour sont à votre charge.",
           "Le remboursement est effectué avec le même moyen de paiement."),
    "es": ("Dispones de 30 días para la devolución.",
           "Los gastos de devolución corren a cargo del cliente.",
           "Reembolsaremos utilizando el mismo medio de pago."),
    "it": ("Hai 14 giorni per il reso.", "Le spese di reso sono a carico del cliente.",
           "Il rimborso avviene con lo stesso mezzo di pagamento."),
    "nl": ("Je kunt artikelen binnen 30 dagen retourneren.",
           "De retourkosten zijn voor eigen rekening.",
           "Wij betalen terug met hetzelfde betaalmiddel."),
    "pt": ("Tem 14 dias para a devolução.", "Os custos de devolução são a cargo do cliente.",
           "O reembolso é feito com o mesmo meio de pagamento."),
}
WITHDRAWAL = {
    "en": "You have the right to withdraw from this contract within 14 days without giving any "
          "reason.",
    "de": "Sie haben das Recht, binnen vierzehn Tagen ohne Angabe von Gründen diesen Vertrag zu "
          "widerrufen.",
    "fr": "Vous avez le droit de vous rétracter du présent contrat dans un délai de quatorze "
          "jours.",
    "es": "Tiene usted derecho a desistir del presente contrato en un plazo de 14 días naturales.",
    "it": "Ha il diritto di recedere dal contratto, senza indicarne le ragioni, entro 14 giorni.",
    "nl": "U hebt het recht om binnen een termijn van 14 dagen de overeenkomst te herroepen.",
    "pt": "Tem o direito de resolver o presente contrato no prazo de 14 dias (direito de livre "
          "resolução).",
}
FORMS = {
    "en": "Model withdrawal form", "de": "Muster-Widerrufsformular",
    "fr": "Formulaire de rétractation", "es": "Formulario de desistimiento",
    "it": "Modulo di recesso", "nl": "Modelformulier voor herroeping",
    "pt": "Formulário de livre resolução",
}
VAT = {
    "en": "All prices incl. VAT", "de": "Alle Preise inkl. gesetzl. MwSt.",
    "fr": "Prix TTC", "es": "Precios con IVA incluido", "it": "Prezzi IVA inclusa",
    "nl": "Alle prijzen zijn incl. btw", "pt": "Preços com IVA incluído",
}
SHIPPING = {
    "en": "plus shipping", "de": "zzgl. Versandkosten", "fr": "hors frais de port",
    "es": "gastos de envío no incluidos", "it": "spese di spedizione escluse",
    "nl": "excl. verzendkosten", "pt": "portes não incluídos",
}
COMPLAINTS = {
    "en": "If you have a complaint, please follow our complaints procedure.",
    "de": "Wir sind nicht bereit oder verpflichtet, an Streitbeilegungsverfahren vor einer "
          "Verbraucherschlichtungsstelle teilzunehmen.",
    "fr": "Le consommateur peut recourir gratuitement au médiateur de la consommation.",
    "es": "Existen hojas de reclamaciones a disposición del cliente.",
    "it": "Il consumatore può rivolgersi a un organismo ADR per la risoluzione alternativa delle "
          "controversie.",
    "nl": "U kunt uw klacht voorleggen aan De Geschillencommissie.",
    "pt": "Em caso de litígio, pode recorrer ao Livro de Reclamações Eletrónico.",
}
REVIEWS = {
    "en": "Only customers who purchased the product can leave a review.",
    "de": "Alle Bewertungen stammen aus verifizierten Käufen und werden vor der Veröffentlichung "
          "geprüft.",
    "fr": "Les avis sont vérifiés : seuls les clients ayant acheté le produit peuvent donner leur "
          "avis.",
    "es": "Compra verificada",
    "it": "Acquisto verificato",
    "nl": "Geverifieerde aankoop",
    "pt": "Todas as avaliações verificadas por compra.",
}


@pytest.mark.parametrize("lang", LANGS)
def test_hours(lang: str) -> None:
    assert _hours_in_blocks("u", [TextBlock(HOURS[lang], "main", "p")]), HOURS[lang]


@pytest.mark.parametrize("text", NOT_HOURS)
def test_ranges_that_are_not_hours(text: str) -> None:
    assert _hours_in_blocks("u", [TextBlock(text, "main", "p")]) == []


@pytest.mark.parametrize("lang", LANGS)
def test_returns_details(lang: str) -> None:
    window, cost, refund = RETURNS[lang]
    assert wording("returns", "window_re").search(folded(window)), window
    assert wording("returns", "context_re").search(folded(window)), window
    assert wording("returns", "cost_re").search(folded(cost)), cost
    assert wording("returns", "refund_re").search(folded(refund)), refund


@pytest.mark.parametrize("lang", LANGS)
def test_withdrawal_notice_and_form(lang: str) -> None:
    text = folded(WITHDRAWAL[lang])
    period = wording("withdrawal", "fourteen_re").search(text)
    assert period, text
    assert wording("withdrawal", "words_re").search(text), text
    assert wording("withdrawal", "form_re").search(folded(FORMS[lang])), FORMS[lang]


def test_paragraph_14_is_not_a_period() -> None:
    text = folded("Unternehmer im Sinne von § 14 BGB haben kein Widerrufsrecht.")
    assert not wording("withdrawal", "fourteen_re").search(text)


@pytest.mark.parametrize("lang", LANGS)
def test_vat_and_shipping_notes(lang: str) -> None:
    assert wording("prices", "vat_re").search(folded(VAT[lang])), VAT[lang]
    assert wording("prices", "shipping_re").search(folded(SHIPPING[lang])), SHIPPING[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_complaints_statements(lang: str) -> None:
    assert wording("complaints", "statement_re").search(folded(COMPLAINTS[lang])), lang


def test_odr_platform_alone_is_no_complaints_statement() -> None:
    text = folded("Die EU-Kommission stellt eine Plattform zur Online-Streitbeilegung bereit: "
                  "https://ec.europa.eu/consumers/odr")
    assert not wording("complaints", "statement_re").search(text)


@pytest.mark.parametrize("lang", LANGS)
def test_review_verification_statements(lang: str) -> None:
    assert wording("reviews", "statement_re").search(folded(REVIEWS[lang])), lang


@pytest.mark.parametrize("text", [
    "Our customers love our mugs.", "Lesen Sie die Bewertungen unserer Kunden.",
])
def test_review_sections_are_not_statements(text: str) -> None:
    assert not wording("reviews", "statement_re").search(folded(text))


@pytest.mark.parametrize("text", [
    "Orders are dispatched within 3 days.",  # a delivery time, no return context
    "Lieferzeit 2-3 Werktage",
])
def test_delivery_days_have_no_return_context(text: str) -> None:
    assert not wording("returns", "context_re").search(folded(text))
