"""The dark-pattern text detectors (checks/darkpatterns.toml) per category and language.

Sentences are written by hand: how shops in each language word the pattern, and the traps —
ordinary shop text that must never count (precision first). They are not taken from the
benchmark sample.
"""

from __future__ import annotations

import re

import pytest

from checks.honesty.detectors import (
    TEXT_CATEGORIES,
    activity_vendor_ids,
    find,
    find_all,
    load_detectors,
    load_file,
    normalize,
    parse_detectors,
)

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt")

POSITIVE: dict[str, dict[str, tuple[str, ...]]] = {
    "low-stock": {
        "en": ("Only 3 left in stock - order soon!", "Hurry, only a few left!", "2 LEFT",
               "Almost sold out", "85% claimed", "Low stock", "Less than 5 items left",
               "This item is in high demand"),
        "de": ("Nur noch 2 Stück auf Lager", "Nur noch wenige verfügbar", "Fast ausverkauft!",
               "Geringer Lagerbestand"),
        "fr": ("Plus que 3 en stock !", "Il ne reste que 2 articles", "Bientôt épuisé",
               "Stock limité"),
        "es": ("¡Solo quedan 2 unidades!", "Últimas unidades", "Casi agotado",
               "Stock limitado"),
        "it": ("Solo 2 pezzi rimasti", "Ultimi pezzi!", "Quasi esaurito", "Scorte limitate"),
        "nl": ("Nog maar 2 op voorraad", "Bijna uitverkocht", "Beperkte voorraad"),
        "pt": ("Apenas 2 em estoque", "Restam apenas 3", "Últimas unidades",
               "Quase esgotado"),
    },
    "urgency": {
        "en": ("Sale ends in 02:14:33", "Offer ends tonight!", "Limited time only",
               "Hurry! Deal expires in 5h 12m", "Your cart is reserved for 09:56 minutes",
               "12 hours 4 minutes 33 seconds", "Days Hours Minutes Seconds",
               "Prices increase in 2 days"),
        "de": ("Angebot endet heute um Mitternacht", "Nur heute: 20 % Rabatt",
               "Zeitlich begrenztes Angebot", "Aktion endet in 3 Stunden",
               "Ihr Warenkorb ist 15 Minuten reserviert"),
        "fr": ("L'offre se termine dans 2 h", "Offre à durée limitée",
               "Aujourd'hui seulement : -20 %", "Plus que 3 heures !"),
        "es": ("La oferta termina en 5 h", "Oferta por tiempo limitado", "¡Solo hoy!",
               "Quedan solo 3 horas"),
        "it": ("L'offerta scade tra 3 ore", "Offerta a tempo limitato", "Solo oggi -20%",
               "Mancano 2 giorni"),
        "nl": ("De actie eindigt over 3 uur", "Tijdelijke aanbieding", "Alleen vandaag!",
               "Nog maar 2 uur"),
        "pt": ("A promoção termina em 5 horas", "Por tempo limitado", "Só hoje!",
               "Faltam 3 horas"),
    },
    "activity": {
        "en": ("12 people are viewing this right now", "24 sold in the last 24 hours",
               "Anna from Berlin just bought a teapot", "Someone in Leeds purchased a scarf",
               "5 customers have this in their basket", "This is in 3 other carts",
               "Tom in Oslo, Norway purchased Merino scarf 12 minutes ago"),
        "de": ("5 Personen sehen sich diesen Artikel gerade an",
               "Anna aus Berlin hat gerade eine Teekanne gekauft", "Bereits 500x verkauft",
               "12 verkauft in den letzten 24 Stunden"),
        "fr": ("12 personnes regardent ce produit", "Marie de Lyon vient d'acheter une théière",
               "30 vendus au cours des dernières 24 heures"),
        "es": ("8 personas están viendo este producto", "Lucía de Sevilla acaba de comprar",
               "15 vendidos en las últimas 24 horas"),
        "it": ("7 persone stanno guardando questo prodotto", "Marco da Roma ha appena acquistato",
               "20 venduti nelle ultime 24 ore"),
        "nl": ("14 mensen bekijken dit product", "Jan uit Utrecht kocht zojuist een theepot",
               "9 verkocht in de afgelopen 24 uur"),
        "pt": ("6 pessoas estão a ver este produto", "Ana de Lisboa acabou de comprar",
               "11 vendidos nas últimas 24 horas"),
    },
    "confirmshaming": {
        "en": ("No thanks, I'd rather pay full price", "No thanks, I don't like saving money",
               "No, I'd rather not win", "I don't want to look my best", "Nah, I'll pay more"),
        "de": ("Nein danke, ich zahle lieber den vollen Preis",
               "Nein, ich möchte kein Geld sparen", "Nein danke, ich verzichte auf 10 % Rabatt"),
        "fr": ("Non merci, je préfère payer le prix fort", "Non, je n'aime pas les réductions"),
        "es": ("No, gracias, prefiero pagar el precio completo", "No, no quiero ahorrar"),
        "it": ("No grazie, preferisco pagare il prezzo pieno", "No, non voglio risparmiare"),
        "nl": ("Nee bedankt, ik betaal liever de volle prijs", "Nee, ik wil geen korting"),
        "pt": ("Não, obrigado, prefiro pagar o preço cheio", "Não, não quero poupar"),
    },
    "fees": {
        "en": ("Service fee €2.50", "Handling fee: $4.99", "Care & Handling $2.99"),
        "de": ("Bearbeitungsgebühr 3,90 €", "Servicegebühr: 2,00 EUR"),
        "fr": ("Frais de dossier : 3,00 €",),
        "es": ("Gastos de gestión 2,95 €",),
        "it": ("Costi di gestione 1,50 €",),
        "nl": ("Administratiekosten € 1,95",),
        "pt": ("Taxa de serviço 2,00 €",),
    },
}

NEGATIVE: dict[str, dict[str, tuple[str, ...]]] = {
    "low-stock": {
        "en": ("23 in stock", "In stock - ships in 2 days", "Out of stock",
               "What happens if an item I ordered is low in stock and cannot be shipped?",
               "Due to high demand, orders ship within 5 days", "Only 3 days left to return",
               "Get low-stock alerts by e-mail", "Our best-selling fast charger",
               "Available in only 3 colours", "Turn left at the bakery",
               "Built for high-demand workloads"),
        "de": ("Auf Lager, Lieferzeit 2-3 Tage", "Aufgrund der hohen Nachfrage verzögert sich "
               "der Versand", "Noch 14 Tage Rückgaberecht"),
        "fr": ("En stock, livraison en 48 h", "Plus que 10 jours pour profiter du retour "
               "gratuit"),
        "es": ("Disponible, envío en 24 horas", "Quedan 14 días para devolver el pedido"),
        "it": ("Disponibile in magazzino", "A causa dell'alta domanda le spedizioni tardano"),
        "nl": ("Op voorraad, morgen in huis", "Door de grote vraag duurt levering langer"),
        "pt": ("Em estoque, envio em 2 dias", "Devido a grande procura, envios atrasam"),
    },
    "urgency": {
        "en": ("Our summer sale ends on 31 August", "Order within 02:13:45 for next-day "
               "delivery", "Your free trial ends in 14 days", "Your session will expire in 5 "
               "minutes", "Hurry in! We are open until 18:00", "Limited edition print",
               "Delivered in 2 days", "Returns window closes in 30 days",
               "Duration: 1h 23m 45s", "Displays hours, minutes, seconds and date",
               "Course length 12:30 min"),
        "de": ("Das Angebot gilt bis 31. März", "Ihre Testphase endet in 14 Tagen",
               "Lieferung morgen, wenn Sie bis 14 Uhr bestellen"),
        "fr": ("Offre valable jusqu'au 31 mars", "Votre essai se termine dans 14 jours"),
        "es": ("Oferta válida hasta el 31 de marzo", "Tu prueba termina en 14 días"),
        "it": ("Offerta valida fino al 31 marzo", "La prova scade tra 14 giorni"),
        "nl": ("Aanbieding geldig tot 31 maart", "Nog 14 dagen bedenktijd"),
        "pt": ("Promoção válida até 31 de março", "O seu teste termina em 14 dias"),
    },
    "activity": {
        "en": ("My son in London bought me this 2 hours ago", "12 people found this helpful",
               "If you ordered more than 2 hours ago, we cannot change the order",
               "If someone bought you a gift card, redeem it at checkout",
               "Customers in Germany bought 40% more tea in 2023",
               "I just bought this and love it", "Bought this 3 days ago, great quality",
               "Over 10 years we have served our customers"),
        "de": ("Ich habe ihn gerade gekauft und bin begeistert", "Mein Mann hat gerade einen "
               "bestellt"),
        "fr": ("Je viens d'acheter cette théière", "12 personnes ont trouvé cet avis utile"),
        "es": ("Mi marido acaba de comprar otra", "Acabo de comprar dos"),
        "it": ("Mio figlio ha appena acquistato la seconda", "Ho appena comprato questo"),
        "nl": ("Ik kocht zojuist de tweede", "Mijn vrouw heeft net een besteld"),
        "pt": ("Eu acabei de comprar dois", "A minha mãe acabou de comprar outro"),
    },
    "confirmshaming": {
        "en": ("No thanks", "Not now", "No thanks, I don't want the newsletter",
               "If you don't want to receive offers, unsubscribe any time.",
               "Members never pay full price", "I agree to the terms"),
        "de": ("Nein danke", "Nein danke, ich möchte keinen Newsletter",
               "Nein, ich möchte keine Angebote"),
        "fr": ("Non merci", "Non merci, je ne veux pas de newsletter"),
        "es": ("No, gracias", "No, gracias, no quiero ofertas por correo"),
        "it": ("No grazie", "No grazie, non voglio la newsletter"),
        "nl": ("Nee bedankt", "Nee, ik wil geen nieuwsbrief"),
        "pt": ("Não, obrigado", "Não quero receber a newsletter"),
    },
    "fees": {
        "en": ("Shipping €4.90", "Total €42.50", "No service fee, ever", "VAT €7.98"),
        "de": ("Versand 4,90 €", "keine Bearbeitungsgebühr"),
        "fr": ("Livraison 4,90 €",), "es": ("Envío 4,90 €",), "it": ("Spedizione 4,90 €",),
        "nl": ("Verzendkosten € 4,95",), "pt": ("Portes 4,90 €",),
    },
}


def _cases(table: dict[str, dict[str, tuple[str, ...]]]) -> list[tuple[str, str, str]]:
    return [(cat, lang, text) for cat, langs in table.items() for lang, texts in langs.items()
            for text in texts]


@pytest.mark.parametrize(("category", "lang", "text"), _cases(POSITIVE))
def test_pattern_found(category: str, lang: str, text: str) -> None:
    assert find(category, text), f"{category}/{lang}: {text!r} not found"


@pytest.mark.parametrize(("category", "lang", "text"), _cases(NEGATIVE))
def test_trap_not_found(category: str, lang: str, text: str) -> None:
    assert not find(category, text), (category, lang, text, find(category, text))


@pytest.mark.parametrize("category", TEXT_CATEGORIES)
def test_every_category_covers_seven_languages(category: str) -> None:
    langs = {r.lang for r in load_detectors()[category].rules}
    assert set(LANGUAGES) <= langs
    assert set(LANGUAGES) <= set(POSITIVE[category]) and set(LANGUAGES) <= set(NEGATIVE[category])


def test_patterns_are_written_in_normalised_form() -> None:
    """Patterns match normalised text, so an accent or capital in a pattern never matches."""
    data = load_file("darkpatterns.toml")
    for category, body in data.items():
        if not isinstance(body, dict) or "patterns" not in body:
            continue
        for table in ("patterns", "short", "exclude", "openers"):
            for lang, patterns in body.get(table, {}).items():
                for pattern in patterns:
                    plain = re.sub(r"\\[A-Za-z]|\{[a-z_]+\}|\(\?[<!=:#a-z]*", "", pattern)
                    assert not re.search(r"[A-ZÀ-ÿ]", plain.replace("€", "").replace("£", "")), (
                        category, lang, pattern)


def test_long_text_is_prose_not_a_message() -> None:
    sentence = "Only 2 left in stock. "
    assert find("low-stock", sentence)
    assert not find("low-stock", sentence + "word " * 80)


def test_confirmshaming_needs_a_short_refusal() -> None:
    assert find("confirmshaming", "No thanks, I'd rather pay full price")
    assert not find("confirmshaming", "Great deals: I'd rather pay full price than miss it")
    assert not find("confirmshaming", "No thanks, I'd rather pay full price " + "x" * 60)


def test_normalize_folds_case_accents_quotes_and_dashes() -> None:
    assert normalize("  Plus QUE 3 en stock – vite ! ") == "plus que 3 en stock - vite !"
    assert normalize("No thanks, I´d rather") == "no thanks, i'd rather"
    assert normalize("Straße Ünd Café") == "strasse und cafe"


def test_find_all_reports_each_category() -> None:
    found = find_all("HURRY! Only 2 left in stock - sale ends in 02:14:33")
    assert set(found) == {"low-stock", "urgency"}
    assert found["low-stock"][0].rule.startswith("low-stock/en#")


def test_unknown_fragment_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown fragment"):
        parse_detectors({"x": {"patterns": {"en": ["{nope} left"]}}})
    with pytest.raises(ValueError, match="x/en#0"):
        parse_detectors({"x": {"patterns": {"en": ["(unclosed"]}}})


def test_activity_vendors_exist_in_the_vendor_table() -> None:
    from auditor.detect.vendors import load_vendors

    urgency = {v.id for v in load_vendors() if v.kind == "urgency"}
    assert activity_vendor_ids() <= urgency
    assert "dynamic-yield" not in activity_vendor_ids()  # a suite, not a pop-up service


def test_trigger_index_never_hides_a_match() -> None:
    """The word index only skips rules that cannot match: every rule whose regex matches a
    sentence is among the candidates the index offers for it."""
    sentences = [t for table in (POSITIVE, NEGATIVE) for _, _, t in _cases(table)]
    sentences += ["Hurry! Sale ends in: 02:59:50", "00DAYS00HOURS14MINUTES21SECONDS",
                  "Someone in Leeds purchased a scarf 5 minutes ago", "Quedan 3", "Restam 2"]
    for detector in load_detectors().values():
        for sentence in sentences:
            norm = normalize(sentence)
            offered = {r.id for r in detector.candidates(norm)}
            matching = {r.id for r in detector.rules if r.regex.search(norm)}
            assert matching <= offered, (detector.category, sentence, matching - offered)
