"""The multilingual page-type vocabulary (checks/vocab/*.toml): complete, consistent, and scoring
realistic footer links, URL slugs and page bodies in each of the seven languages.

The cases below are written by hand per language, from how real shops, firms, clinics and SaaS
sites label these pages; they are not generated from the vocabulary files.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from itertools import combinations
from typing import Any

import pytest

from auditor.detect.pagetypes import score_link
from auditor.detect.text import fold, fold_slug
from auditor.detect.vocab import Vocabulary, load_vocabulary
from auditor.site import Link

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt")
CORE = ("privacy", "terms", "returns", "shipping", "contact", "imprint", "about", "cookies", "faq")
PAGE_TYPES = CORE + (
    "reviews", "testimonials", "certifications", "awards", "press", "payment", "complaints",
    "accessibility", "careers", "team", "sustainability", "charity", "security", "status", "help",
    "case-studies", "withdrawal", "do-not-sell",
)
KEYS = ("phrases", "exact", "slugs", "confirm")
# Types that may legitimately be empty outside the languages where they exist (US law).
MAY_BE_EMPTY = {"do-not-sell"}

# Labels that name one combined page, so they belong to two core types on purpose: a
# "Privacy & Cookies" page is both the privacy policy and the cookie policy. Folded forms.
SHARED_PHRASES: dict[tuple[str, str], set[str]] = {
    ("privacy", "cookies"): {
        "privacy cookies", "privacy and cookies", "datenschutz cookies", "datenschutz und cookies",
        "confidentialite cookies", "confidentialite et cookies", "privacy en cookies",
        "privacy en cookiebeleid",
    },
}
SHARED_SLUGS: dict[tuple[str, str], set[str]] = {
    ("privacy", "cookies"): {
        "privacy cookies", "privacy and cookies", "datenschutz und cookies",
        "confidentialite et cookies", "privacy en cookies", "privacy en cookiebeleid",
    },
}

# Words that must only ever count as a whole link text (signals.md §2.6 T3): inside a longer
# text or a heading they name something else ("Legal services", "Privacy screen", "Join our team").
AMBIGUOUS = {
    "help", "legal", "terms", "privacy", "jobs", "press", "status", "support", "team", "company",
    "about", "conditions", "security", "media", "delivery", "service", "cookies", "exchanges",
    "widerruf", "hilfe", "aide", "ayuda", "aiuto", "hulp", "ajuda", "presse", "stampa",
}
# Function words and generic tokens of the seven languages; a confirm word like these would hit
# on any page once the languages are merged ("ein" is German for "a", "avoir" French "to have").
GENERIC = {
    "a", "o", "e", "y", "de", "la", "le", "el", "il", "et", "en", "het", "een", "ein", "eine",
    "und", "der", "die", "das", "avoir", "data", "date", "ups", "per", "con", "para", "por", "van",
    "met", "the", "and", "days", "tage", "jours", "dias", "giorni", "dagen", "page", "home",
}


def _raw_files() -> dict[str, dict[str, Any]]:
    root = resources.files("checks").joinpath("vocab")
    return {
        lang: tomllib.loads(root.joinpath(f"{lang}.toml").read_text("utf-8"))
        for lang in LANGUAGES
    }


RAW = _raw_files()


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary()


def link(text: str, path: str = "/page") -> Link:
    return Link(url=f"https://x.example{path}", href=path, text=text, region="footer")


def scores(lnk: Link, vocab: Vocabulary, names: tuple[str, ...] = CORE) -> dict[str, int]:
    return {name: score_link(lnk, vocab[name], vocab) for name in names}


# --------------------------------------------------------------------------- the files


def test_all_languages_load(vocab: Vocabulary) -> None:
    assert set(LANGUAGES) <= set(vocab.languages)
    assert set(PAGE_TYPES) <= set(vocab.types)
    for name in PAGE_TYPES:
        vt = vocab[name]
        assert vt.phrase_re is not None and vt.confirm_re is not None, name
        assert vt.slugs, name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_file_has_every_page_type(lang: str) -> None:
    doc = RAW[lang]
    assert doc["language"] == lang
    tables = {k for k, v in doc.items() if isinstance(v, dict)}
    assert tables == set(PAGE_TYPES) | {"traps"}, tables ^ (set(PAGE_TYPES) | {"traps"})
    assert doc["traps"]["phrases"], "every language lists its traps"
    for name in PAGE_TYPES:
        table = doc[name]
        assert set(table) == set(KEYS), (name, set(table))
        for key in KEYS:
            assert isinstance(table[key], list), (name, key)
            assert all(isinstance(w, str) for w in table[key]), (name, key)
        if name not in MAY_BE_EMPTY:
            assert table["phrases"] or table["exact"], f"{lang}: {name} has no link texts"
            assert table["confirm"], f"{lang}: {name} has no confirm words"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_core_types_are_complete(lang: str) -> None:
    for name in CORE:
        table = RAW[lang][name]
        assert table["slugs"], f"{lang}: {name} has no slugs"
        assert len(table["confirm"]) >= 8, f"{lang}: {name} has {len(table['confirm'])} confirm"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_empty_entries(lang: str) -> None:
    doc = RAW[lang]
    for name in PAGE_TYPES:
        for key in KEYS:
            fn = fold_slug if key == "slugs" else fold
            empty = [w for w in doc[name][key] if not fn(w)]
            assert not empty, (lang, name, key, empty)
    assert all(fold(w) for w in doc["traps"]["phrases"])


def test_no_trap_is_a_type_phrase(vocab: Vocabulary) -> None:
    assert vocab.trap_re is not None
    for name, vt in vocab.types.items():
        words = vt.phrases | vt.exact
        assert not words & vocab.traps, (name, words & vocab.traps)
        # A trap inside a type's own label would veto that label everywhere.
        vetoed = sorted(w for w in words if vocab.trap_re.search(w))
        assert not vetoed, (name, vetoed)


def test_core_types_do_not_share_phrases(vocab: Vocabulary) -> None:
    for a, b in combinations(CORE, 2):
        shared = (vocab[a].phrases | vocab[a].exact) & (vocab[b].phrases | vocab[b].exact)
        allowed = SHARED_PHRASES.get((a, b), set())
        assert shared <= allowed, (a, b, sorted(shared - allowed))


def test_core_types_do_not_share_slugs(vocab: Vocabulary) -> None:
    for a, b in combinations(CORE, 2):
        shared = vocab[a].slugs & vocab[b].slugs
        allowed = SHARED_SLUGS.get((a, b), set())
        assert shared <= allowed, (a, b, sorted(shared - allowed))


def test_ambiguous_words_count_only_as_whole_link_text(vocab: Vocabulary) -> None:
    for name, vt in vocab.types.items():
        assert not vt.phrases & AMBIGUOUS, (name, sorted(vt.phrases & AMBIGUOUS))


def test_confirm_words_are_not_generic(vocab: Vocabulary) -> None:
    for name, vt in vocab.types.items():
        assert not vt.confirm & GENERIC, (name, sorted(vt.confirm & GENERIC))


# --------------------------------------------------------------------------- link texts

# Realistic footer and menu labels, per language, for each core type.
LINK_TEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "privacy": ("Privacy Policy", "Privacy notice", "Data protection", "Privacy"),
        "terms": ("Terms & Conditions", "Terms of Service", "Terms of use", "T&Cs"),
        "returns": ("Returns & Refunds", "Refund policy", "Returns", "Start a return"),
        "shipping": ("Shipping", "Delivery information", "Shipping policy", "Postage & Packing"),
        "contact": ("Contact us", "Get in touch", "Customer service", "Contact"),
        "imprint": ("Legal notice", "Imprint", "Company information"),
        "about": ("About us", "Our story", "Who we are", "About"),
        "cookies": ("Cookie policy", "Cookies", "How we use cookies"),
        "faq": ("FAQ", "Frequently asked questions", "Help centre", "FAQs"),
    },
    "de": {
        "privacy": ("Datenschutz", "Datenschutzerklärung", "Hinweise zum Datenschutz"),
        "terms": ("AGB", "Allgemeine Geschäftsbedingungen", "Nutzungsbedingungen"),
        "returns": ("Widerrufsbelehrung", "Rückgabe & Umtausch", "Widerrufsrecht",
                    "Retoure anmelden"),
        "shipping": ("Versand & Lieferung", "Versandkosten", "Lieferzeiten"),
        "contact": ("Kontakt", "Kontaktformular", "Kundenservice", "So erreichen Sie uns"),
        "imprint": ("Impressum", "Anbieterkennzeichnung", "Angaben gemäß § 5 DDG"),
        "about": ("Über uns", "Wir über uns", "Unternehmen", "Unsere Geschichte"),
        "cookies": ("Cookie-Richtlinie", "Cookie-Hinweise", "Hinweise zu Cookies"),
        "faq": ("Häufige Fragen", "FAQ", "Häufig gestellte Fragen", "Fragen & Antworten"),
    },
    "fr": {
        "privacy": ("Politique de confidentialité", "Données personnelles", "Confidentialité",
                    "Protection des données"),
        "terms": ("CGV", "Conditions générales de vente", "Conditions d'utilisation", "CGU"),
        "returns": ("Retours et remboursements", "Politique de retour", "Droit de rétractation",
                    "Retours"),
        "shipping": ("Livraison", "Frais de port", "Modes de livraison", "Délais de livraison"),
        "contact": ("Contactez-nous", "Nous contacter", "Service client", "Contact"),
        "imprint": ("Mentions légales", "Informations légales"),
        "about": ("Qui sommes-nous ?", "À propos", "Notre histoire", "À propos de nous"),
        "cookies": ("Politique de cookies", "Politique relative aux cookies", "Cookies"),
        "faq": ("Questions fréquentes", "FAQ", "Foire aux questions", "Centre d'aide"),
    },
    "es": {
        "privacy": ("Política de privacidad", "Privacidad", "Protección de datos",
                    "Aviso de privacidad"),
        "terms": ("Términos y condiciones", "Condiciones generales de contratación",
                  "Condiciones de uso"),
        "returns": ("Devoluciones", "Cambios y devoluciones", "Política de devoluciones",
                    "Derecho de desistimiento"),
        "shipping": ("Envíos", "Gastos de envío", "Plazos de entrega"),
        "contact": ("Contacto", "Contáctanos", "Atención al cliente"),
        "imprint": ("Aviso legal", "Información legal"),
        "about": ("Sobre nosotros", "¿Quiénes somos?", "Nuestra historia"),
        "cookies": ("Política de cookies", "Uso de cookies"),
        "faq": ("Preguntas frecuentes", "Centro de ayuda", "Ayuda"),
    },
    "it": {
        "privacy": ("Informativa privacy", "Informativa sulla privacy", "Privacy Policy",
                    "Trattamento dei dati personali"),
        "terms": ("Termini e condizioni", "Condizioni generali di vendita", "Condizioni d'uso"),
        "returns": ("Resi e rimborsi", "Diritto di recesso", "Resi", "Politica di reso"),
        "shipping": ("Spedizioni", "Costi di spedizione", "Tempi di consegna"),
        "contact": ("Contatti", "Contattaci", "Servizio clienti"),
        "imprint": ("Note legali", "Dati societari"),
        "about": ("Chi siamo", "La nostra storia", "L'azienda"),
        "cookies": ("Cookie Policy", "Informativa sui cookie", "Informativa cookie"),
        "faq": ("Domande frequenti", "FAQ", "Centro assistenza"),
    },
    "nl": {
        "privacy": ("Privacybeleid", "Privacyverklaring", "Privacy statement"),
        "terms": ("Algemene voorwaarden", "Voorwaarden", "Gebruiksvoorwaarden"),
        "returns": ("Retourneren", "Ruilen en retourneren", "Retourbeleid", "Herroepingsrecht"),
        "shipping": ("Verzending", "Verzendkosten", "Bezorging", "Levertijden"),
        "contact": ("Contact", "Klantenservice", "Neem contact op"),
        "imprint": ("Colofon", "Bedrijfsgegevens"),
        "about": ("Over ons", "Wie zijn wij", "Ons verhaal"),
        "cookies": ("Cookiebeleid", "Cookieverklaring"),
        "faq": ("Veelgestelde vragen", "FAQ", "Helpcentrum"),
    },
    "pt": {
        "privacy": ("Política de privacidade", "Privacidade", "Proteção de dados"),
        "terms": ("Termos e condições", "Termos de uso", "Condições gerais de venda"),
        "returns": ("Trocas e devoluções", "Devoluções", "Política de devolução",
                    "Direito de livre resolução"),
        "shipping": ("Envios", "Portes de envio", "Prazos de entrega", "Frete grátis"),
        "contact": ("Contactos", "Fale conosco", "Contacte-nos", "Apoio ao cliente"),
        "imprint": ("Informação legal", "Aviso legal", "Informações legais"),
        "about": ("Sobre nós", "Quem somos", "A nossa história"),
        "cookies": ("Política de cookies", "Uso de cookies"),
        "faq": ("Perguntas frequentes", "Dúvidas frequentes", "Central de ajuda"),
    },
}

# Link targets alone (an icon link without text), per language.
SLUGS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "privacy": ("/privacy-policy", "/policies/privacy-policy", "/privacy.html"),
        "terms": ("/policies/terms-of-service", "/terms-and-conditions/"),
        "returns": ("/policies/refund-policy", "/refund_returns/"),
        "shipping": ("/policies/shipping-policy", "/delivery-information"),
        "contact": ("/contact-us", "/pages/contact"),
        "imprint": ("/legal-notice", "/policies/legal-notice"),
        "about": ("/about-us", "/pages/our-story"),
        "cookies": ("/cookie-policy", "/cookies/"),
        "faq": ("/faq", "/pages/faqs"),
    },
    "de": {
        "privacy": ("/datenschutzerklaerung", "/datenschutz/",
                    "/datenschutzerkl%C3%A4rung"),
        "terms": ("/agb", "/allgemeine-geschaeftsbedingungen"),
        "returns": ("/widerrufsbelehrung", "/widerruf.html"),
        "shipping": ("/versandkosten", "/versand-und-lieferung"),
        "contact": ("/kontakt/", "/kundenservice"),
        "imprint": ("/impressum", "/Impressum.html"),
        "about": ("/ueber-uns", "/%C3%BCber-uns"),
        "cookies": ("/cookie-richtlinie", "/cookie-hinweise"),
        "faq": ("/haeufige-fragen", "/hilfe"),
    },
    "fr": {
        "privacy": ("/politique-de-confidentialite", "/donnees-personnelles"),
        "terms": ("/cgv", "/conditions-generales-de-vente"),
        "returns": ("/retours", "/droit-de-retractation"),
        "shipping": ("/livraison", "/frais-de-livraison"),
        "contact": ("/contactez-nous", "/nous-contacter"),
        "imprint": ("/mentions-legales", "/mentions-l%C3%A9gales"),
        "about": ("/qui-sommes-nous", "/a-propos"),
        "cookies": ("/politique-de-cookies", "/politique-cookies"),
        "faq": ("/questions-frequentes", "/faq"),
    },
    "es": {
        "privacy": ("/politica-de-privacidad", "/aviso-de-privacidad"),
        "terms": ("/terminos-y-condiciones", "/condiciones-generales"),
        "returns": ("/devoluciones", "/cambios-y-devoluciones"),
        "shipping": ("/envios", "/gastos-de-envio"),
        "contact": ("/contacto", "/atencion-al-cliente"),
        "imprint": ("/aviso-legal", "/informacion-legal"),
        "about": ("/quienes-somos", "/sobre-nosotros"),
        "cookies": ("/politica-de-cookies", "/uso-de-cookies"),
        "faq": ("/preguntas-frecuentes", "/ayuda"),
    },
    "it": {
        "privacy": ("/informativa-privacy", "/privacy-policy"),
        "terms": ("/termini-e-condizioni", "/condizioni-generali-di-vendita"),
        "returns": ("/resi-e-rimborsi", "/diritto-di-recesso"),
        "shipping": ("/spedizioni", "/costi-di-spedizione"),
        "contact": ("/contatti", "/contattaci"),
        "imprint": ("/note-legali", "/dati-societari"),
        "about": ("/chi-siamo", "/la-nostra-storia"),
        "cookies": ("/cookie-policy", "/informativa-cookie"),
        "faq": ("/domande-frequenti", "/aiuto"),
    },
    "nl": {
        "privacy": ("/privacybeleid", "/privacyverklaring"),
        "terms": ("/algemene-voorwaarden", "/voorwaarden"),
        "returns": ("/retourneren", "/retourbeleid"),
        "shipping": ("/verzending", "/verzendkosten"),
        "contact": ("/contact", "/klantenservice"),
        "imprint": ("/colofon", "/bedrijfsgegevens"),
        "about": ("/over-ons", "/wie-zijn-wij"),
        "cookies": ("/cookiebeleid", "/cookieverklaring"),
        "faq": ("/veelgestelde-vragen", "/faq"),
    },
    "pt": {
        "privacy": ("/politica-de-privacidade", "/privacidade"),
        "terms": ("/termos-e-condicoes", "/termos-de-uso"),
        "returns": ("/trocas-e-devolucoes", "/politica-de-devolucao"),
        "shipping": ("/envios", "/portes-de-envio"),
        "contact": ("/contactos", "/fale-conosco"),
        "imprint": ("/informacao-legal", "/aviso-legal"),
        "about": ("/sobre-nos", "/quem-somos"),
        "cookies": ("/politica-de-cookies", "/uso-de-cookies"),
        "faq": ("/perguntas-frequentes", "/duvidas-frequentes"),
    },
}

# Link texts that carry a type word but name no such page (T1, T3), with the type they must not
# score for.
TRAPS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("Privacy settings", "privacy"), ("Cookie settings", "cookies"),
           ("Return to top", "returns"), ("Return to shop", "returns"),
           ("Contact lenses", "contact"), ("About this item", "about"),
           ("Imprint your logo", "imprint"), ("Back to top", "returns"),
           ("Your privacy choices", "privacy")),
    "de": (("Datenschutz-Einstellungen", "privacy"), ("Privatsphäre-Einstellungen", "privacy"),
           ("Cookie-Einstellungen", "cookies"), ("Kontaktlinsen", "contact"),
           ("Zurück nach oben", "returns"), ("Widerruf der Einwilligung", "returns")),
    "fr": (("Paramètres de confidentialité", "privacy"), ("Gérer les cookies", "cookies"),
           ("Retour en haut", "returns"), ("Retour à la boutique", "returns"),
           ("Lentilles de contact", "contact"), ("À propos de cet article", "about")),
    "es": (("Configuración de privacidad", "privacy"), ("Configuración de cookies", "cookies"),
           ("Lentes de contacto", "contact"), ("Volver arriba", "returns"),
           ("Pago contra reembolso", "returns")),
    "it": (("Impostazioni privacy", "privacy"), ("Preferenze cookie", "cookies"),
           ("Lenti a contatto", "contact"), ("Torna su", "returns"),
           ("Stampa questa pagina", "press")),
    "nl": (("Privacy-instellingen", "privacy"), ("Cookie-instellingen", "cookies"),
           ("Contactlenzen", "contact"), ("Terug naar boven", "returns")),
    "pt": (("Definições de privacidade", "privacy"), ("Configurações de cookies", "cookies"),
           ("Lentes de contato", "contact"), ("Voltar ao topo", "returns")),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_link_texts_score_for_their_type_only(lang: str, vocab: Vocabulary) -> None:
    cases = LINK_TEXTS[lang]
    assert set(cases) == set(CORE)
    for name, texts in cases.items():
        assert len(texts) >= 2
        for text in texts:
            got = scores(link(text), vocab)
            assert got[name] > 0, (lang, name, text)
            wrong = {k: v for k, v in got.items() if k != name and v > 0}
            assert not wrong, (lang, name, text, wrong)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_link_text_with_its_slug_scores_higher(lang: str, vocab: Vocabulary) -> None:
    for name in CORE:
        text, path = LINK_TEXTS[lang][name][0], SLUGS[lang][name][0]
        assert scores(link(text, path), vocab)[name] > scores(link(text), vocab)[name], (lang, name)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_slugs_alone_score_for_their_type_only(lang: str, vocab: Vocabulary) -> None:
    cases = SLUGS[lang]
    assert set(cases) == set(CORE)
    for name, paths in cases.items():
        assert len(paths) >= 2
        for path in paths:
            got = scores(link("", path), vocab)
            assert got[name] > 0, (lang, name, path)
            wrong = {k: v for k, v in got.items() if k != name and v > 0}
            assert not wrong, (lang, name, path, wrong)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_traps_score_zero(lang: str, vocab: Vocabulary) -> None:
    for text, name in TRAPS[lang]:
        assert score_link(link(text, "/some-page"), vocab[name], vocab) == 0, (lang, text, name)


def test_unrelated_link_texts_score_zero(vocab: Vocabulary) -> None:
    texts = (
        "Home", "Shop", "Blog", "My account", "Warenkorb", "Mon compte", "Carrito", "Carrello",
        "Winkelwagen", "Carrinho", "Privacy screen protector", "Chocolate chip cookies",
        "Join our team", "Legal services", "Family law", "Tax returns", "Weiterlesen",
        "Lire la suite", "Leer más", "Scopri di più", "Lees meer", "Saiba mais",
        "Datenschutz-Einstellungen", "Sac à dos", "Portes et fenêtres", "Retour",
        "La empresa del año",
    )
    for text in texts:
        got = scores(link(text, "/some-page"), vocab)
        assert not any(got.values()), (text, got)


# --------------------------------------------------------------------------- confirmation

# One paragraph from the body of a privacy policy and of a returns policy, per language.
PRIVACY_TEXT = {
    "en": "We are the data controller of the personal data we collect when you place an order. "
    "We process your personal data on the legal basis of contract performance and our "
    "legitimate interests. You have the right of access, the right to rectification and the "
    "right to erasure. We keep your data only for the retention period required by law. You "
    "can contact our data protection officer at privacy@shop.example or lodge a complaint with "
    "the supervisory authority.",
    "de": "Verantwortlicher im Sinne der Datenschutz-Grundverordnung (DSGVO) ist die Muster GmbH. "
    "Wir verarbeiten personenbezogene Daten nur auf einer Rechtsgrundlage nach Art. 6 Abs. 1 "
    "DSGVO, etwa zur Vertragserfüllung oder aufgrund unseres berechtigten Interesses. Sie haben "
    "das Recht auf Auskunft, Berichtigung und das Recht auf Löschung Ihrer Daten sowie ein "
    "Beschwerderecht bei der zuständigen Aufsichtsbehörde. Unseren Datenschutzbeauftragten "
    "erreichen Sie unter datenschutz@muster.example.",
    "fr": "Le responsable du traitement de vos données personnelles est la société Exemple SAS. "
    "Vos données sont traitées sur la base légale de l'exécution du contrat et de notre intérêt "
    "légitime. Conformément au RGPD, vous disposez d'un droit d'accès, de rectification et d'un "
    "droit à l'effacement. La durée de conservation de vos données est de trois ans. Vous pouvez "
    "introduire une réclamation auprès de la CNIL.",
    "es": "El responsable del tratamiento de sus datos personales es Ejemplo S.L. La base "
    "jurídica del tratamiento es la ejecución del contrato y el interés legítimo. Puede ejercer "
    "su derecho de acceso, rectificación, supresión y oposición, y presentar una reclamación ante "
    "la Agencia Española de Protección de Datos (AEPD). Conservaremos sus datos durante el plazo "
    "de conservación legalmente exigido.",
    "it": "Titolare del trattamento dei dati personali è Esempio S.r.l. I dati sono trattati "
    "sulla base giuridica dell'esecuzione del contratto e del legittimo interesse del Titolare, "
    "nel rispetto del Regolamento UE 2016/679 (GDPR). L'interessato può esercitare il diritto di "
    "accesso, il diritto alla cancellazione e il diritto di opposizione, e proporre reclamo al "
    "Garante per la protezione dei dati personali.",
    "nl": "Wij zijn verwerkingsverantwoordelijke voor de persoonsgegevens die wij van u "
    "verwerken. De grondslag voor de verwerking is de uitvoering van de overeenkomst of ons "
    "gerechtvaardigd belang. U heeft recht op inzage, recht op rectificatie en recht op "
    "verwijdering van uw gegevens. Wij hanteren een bewaartermijn van zeven jaar. U kunt een "
    "klacht indienen bij de Autoriteit Persoonsgegevens.",
    "pt": "A Exemplo, Lda. é a entidade responsável pelo tratamento dos seus dados pessoais, nos "
    "termos do Regulamento Geral sobre a Proteção de Dados (RGPD). O fundamento jurídico do "
    "tratamento é a execução do contrato. Pode exercer o direito de acesso, o direito de "
    "retificação e o direito ao apagamento, bem como apresentar reclamação à CNPD. Os dados são "
    "conservados durante o prazo de conservação legalmente previsto.",
}

RETURNS_TEXT = {
    "en": "You can return any unused item in its original packaging within 30 days of delivery. "
    "Print the return label from your account and drop the parcel at any post office; return "
    "shipping is free within the UK. Once we receive the item we will issue a refund to your "
    "original payment method within 5 working days. Sale items can be exchanged for store "
    "credit.",
    "de": "Widerrufsrecht: Sie haben das Recht, binnen vierzehn Tagen ohne Angabe von Gründen "
    "diesen Vertrag zu widerrufen. Die Widerrufsfrist beträgt vierzehn Tage ab dem Tag, an dem "
    "Sie die Waren in Besitz genommen haben. Folgen des Widerrufs: Wenn Sie diesen Vertrag "
    "widerrufen, haben wir Ihnen alle Zahlungen unverzüglich zurückzuzahlen. Sie tragen die "
    "unmittelbaren Kosten der Rücksendung der Waren.",
    "fr": "Vous disposez d'un délai de rétractation de 14 jours à compter de la réception de "
    "votre commande. Le produit doit être retourné dans son emballage d'origine, complet et en "
    "parfait état. Les frais de retour sont à votre charge. Le remboursement est effectué sous "
    "14 jours par le même moyen de paiement.",
    "es": "Dispones de un plazo de 14 días naturales para ejercer tu derecho de desistimiento. "
    "El producto debe devolverse sin usar y en su embalaje original. Los gastos de devolución "
    "corren a cargo del cliente, salvo en caso de producto defectuoso. Realizaremos el reembolso "
    "en un plazo máximo de 14 días.",
    "it": "Hai diritto di recedere dal contratto entro 14 giorni dalla consegna (diritto di "
    "recesso). Il prodotto deve essere restituito integro, nella confezione originale. Le spese "
    "di restituzione sono a carico del cliente. Il rimborso verrà effettuato entro 14 giorni dal "
    "ricevimento del reso.",
    "nl": "Je hebt een bedenktijd van 14 dagen. Binnen deze termijn kun je het product "
    "retourneren, ongebruikt en in de originele verpakking. De retourkosten zijn voor eigen "
    "rekening. Na ontvangst van de retourzending ontvang je de terugbetaling binnen 14 dagen.",
    "pt": "Dispõe de um prazo de 14 dias para exercer o direito de livre resolução. Os artigos "
    "devem ser devolvidos na embalagem original, sem sinais de uso. Os custos de devolução são "
    "suportados pelo cliente. O reembolso será efetuado no prazo de 14 dias após a receção da "
    "devolução.",
}


def confirm_hits(vocab: Vocabulary, name: str, text: str) -> set[str]:
    pattern = vocab[name].confirm_re
    assert pattern is not None
    return set(pattern.findall(fold(text)))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_privacy_body_confirms_privacy_not_returns(lang: str, vocab: Vocabulary) -> None:
    text = PRIVACY_TEXT[lang]
    assert len(confirm_hits(vocab, "privacy", text)) >= 2, confirm_hits(vocab, "privacy", text)
    assert len(confirm_hits(vocab, "returns", text)) < 2, confirm_hits(vocab, "returns", text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_returns_body_confirms_returns_not_privacy(lang: str, vocab: Vocabulary) -> None:
    text = RETURNS_TEXT[lang]
    assert len(confirm_hits(vocab, "returns", text)) >= 2, confirm_hits(vocab, "returns", text)
    assert len(confirm_hits(vocab, "privacy", text)) < 2, confirm_hits(vocab, "privacy", text)


# Section headings of sole practitioners (therapists, coaches, freelancers) speak in the first
# person singular; seen on real sites ("Cosa dicono di me" above patient quotes).
TESTIMONIAL_HEADINGS_SINGULAR = {
    "en": "What my clients say", "de": "Das sagen meine Kunden", "fr": "Ce que disent mes clients",
    "es": "Lo que dicen mis pacientes", "it": "Cosa dicono di me",
    "nl": "Wat mijn klanten zeggen", "pt": "O que dizem meus pacientes",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_first_person_testimonial_headings_name_testimonials(lang: str, vocab: Vocabulary) -> None:
    heading = fold(TESTIMONIAL_HEADINGS_SINGULAR[lang])
    pattern = vocab["testimonials"].phrase_re
    assert pattern is not None and pattern.search(heading), (lang, heading)
    for name in CORE:
        other = vocab[name].phrase_re
        assert other is None or not other.search(heading), (lang, heading, name)
