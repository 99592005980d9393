"""The privacy family's detectors in seven languages: policy dates against a pinned audit date,
GDPR topics, who a site addresses, pre-ticked consent boxes and US opt-out links."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from auditor.crawl.folder import crawl_folder
from auditor.crawl.options import CrawlOptions
from auditor.extract import extract_facts
from auditor.site import Page
from checks.privacy import find_topics, topic_data
from checks.privacy.audience import site_audience
from tests.checks.harness import audit_html

FILLER = ("<p>We are a small family business. We answer every message within one working day and "
          "explain our prices, delivery times and conditions before you order anything from us. "
          "Our team has worked in this trade for many years.</p>")


def _at(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    stamp = datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(stamp)))


def _policy_site(lang: str, policy: str, head: str = "") -> dict[str, str]:
    footer = '<footer><a href="/privacy.html">Privacy</a></footer>'
    return {
        "index.html": f"<html lang='{lang}'><head><title>Home</title>{head}</head><body><main>"
                      f"<h1>Home</h1>{FILLER}</main>{footer}</body></html>",
        "privacy.html": f"<html lang='{lang}'><head><title>Privacy Policy</title></head><body>"
                        f"<main><h1>Privacy Policy</h1><p>We process personal data as the data "
                        f"controller; you have the right of access.</p>{policy}</main>{footer}"
                        "</body></html>",
    }


# --------------------------------------------------------------------------- freshness

DATES = [
    ("<p>Last updated: March 3, 2024</p>", "2024-03"),
    ("<p>Effective date: 2024-07-01</p>", "2024-07"),
    ("<p>This policy was last updated on the 5th of June 2025.</p>", "2025-06"),
    ("<p>Stand: 01.05.2024</p>", "2024-05"),
    ("<p>Stand: Mai 2024</p>", "2024-05"),
    ("<p>Zuletzt aktualisiert am 3. März 2025</p>", "2025-03"),
    ("<p>Dernière mise à jour : 1er février 2023</p>", "2023-02"),
    ("<p>Última actualización: 15 de enero de 2025</p>", "2025-01"),
    ("<p>Ultimo aggiornamento: 3 giugno 2022</p>", "2022-06"),
    ("<p>Laatst bijgewerkt op 4 april 2024</p>", "2024-04"),
    ("<p>Última atualização: 10 de outubro de 2023</p>", "2023-10"),
    ("<p>Updated 03/04/2024</p>", "2024-04"),  # 3 April or 4 March: the more recent reading
    ("<p>Stand 2023</p>", "2023-12"),  # a year alone counts as its December
    ("<p>Revision history: updated 1 May 2019. Last updated: 2 May 2025.</p>", "2025-05"),
]


@pytest.mark.parametrize(("text", "dated"), DATES)
def test_policy_dates_in_seven_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         text: str, dated: str) -> None:
    _at(monkeypatch, "2025-06-15")
    finding = audit_html(tmp_path, _policy_site("en", text))["privacy-policy-freshness"]
    assert f"dated {dated}" in finding["evidence"][0]["locator"], finding


@pytest.mark.parametrize("text", [
    "<p>As of 25 May 2018 the GDPR applies to all processing.</p>",
    "<p>Wir schützen Ihre Daten nach dem Stand der Technik 2018.</p>",
    "<p>Our prices were updated 3 times in 2019.</p>",
    "<p>Seit dem 25. Mai 2018 gilt die DSGVO.</p>",
])
def test_dates_that_are_not_the_policys_are_ignored(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    text: str) -> None:
    _at(monkeypatch, "2025-06-15")
    finding = audit_html(tmp_path, _policy_site("en", text))["privacy-policy-freshness"]
    assert (finding["status"], finding["found"]) == ("fail", False)
    assert "no 'last updated' date" in finding["message"]


@pytest.mark.parametrize(("updated", "status"), [
    ("1 March 2024", "pass"),  # 22 months before the audit
    ("1 January 2024", "pass"),  # exactly 24 months
    ("1 December 2023", "fail"),  # 25 months
    ("1 June 2026", "pass"),  # an effective date ahead of the audit is current
])
def test_freshness_against_a_pinned_audit_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               updated: str, status: str) -> None:
    _at(monkeypatch, "2026-01-15")
    finding = audit_html(tmp_path, _policy_site("en", f"<p>Last updated: {updated}</p>"))
    assert finding["privacy-policy-freshness"]["status"] == status


# --------------------------------------------------------------------------- completeness

TOPICS = {
    "en": "The data controller is Acme Ltd. We use your data for the purposes of orders; the "
          "legal basis is Art. 6 GDPR. Recipients are our processors. We keep data for the "
          "retention period of six years. You have the right of access and may withdraw your "
          "consent and lodge a complaint with a supervisory authority.",
    "de": "Verantwortlicher ist die Acme GmbH. Zweck der Verarbeitung ist die Bestellung; "
          "Rechtsgrundlage ist Art. 6 DSGVO. Empfänger sind Auftragsverarbeiter. Die "
          "Speicherdauer beträgt sechs Jahre. Sie haben ein Recht auf Auskunft, können Ihre "
          "Einwilligung widerrufen und sich bei einer Aufsichtsbehörde beschweren.",
    "fr": "Le responsable du traitement est Acme SAS. Finalités : les commandes ; base légale : "
          "le contrat. Destinataires : nos sous-traitants. Durée de conservation : six ans. Vous "
          "disposez d'un droit d'accès, pouvez retirer votre consentement et introduire une "
          "réclamation auprès de la CNIL.",
    "es": "El responsable del tratamiento es Acme S.L. Finalidad: gestionar pedidos; base "
          "jurídica: el contrato. Destinatarios: encargados del tratamiento. Plazo de "
          "conservación: seis años. Tiene derecho de acceso, puede retirar su consentimiento y "
          "presentar una reclamación ante la AEPD.",
    "it": "Il titolare del trattamento è Acme S.r.l. Finalità: gestire gli ordini; base "
          "giuridica: il contratto. Destinatari: i responsabili del trattamento. Periodo di "
          "conservazione: sei anni. Ha il diritto di accesso, può revocare il consenso e proporre "
          "reclamo al Garante per la protezione dei dati personali.",
    "nl": "De verwerkingsverantwoordelijke is Acme B.V. Doeleinden: bestellingen; rechtsgrond: "
          "de overeenkomst. Ontvangers: onze verwerkers. Bewaartermijn: zes jaar. U heeft recht "
          "op inzage, kunt uw toestemming intrekken en een klacht indienen bij de Autoriteit "
          "Persoonsgegevens.",
    "pt": "O responsável pelo tratamento é a Acme Lda. Finalidade: gerir encomendas; fundamento "
          "jurídico: o contrato. Destinatários: subcontratantes. Prazo de conservação: seis anos. "
          "Tem direito de acesso, pode retirar o consentimento e apresentar reclamação à CNPD.",
}


@pytest.mark.parametrize("lang", sorted(TOPICS))
def test_every_required_topic_is_recognised_in_each_language(lang: str) -> None:
    url = "https://example.invalid/privacy"
    facts = extract_facts(f"<html lang='{lang}'><body><main><p>{TOPICS[lang]}</p></main></body>"
                          "</html>", url)
    found = find_topics(Page(url, 200, facts=facts))
    required = {t.id for t in topic_data().topics if not t.optional}
    assert required <= set(found), required - set(found)


# --------------------------------------------------------------------------- audience


def _audience(tmp_path: Path, html: str, site_url: str = "") -> tuple[bool, bool]:
    (tmp_path / "index.html").write_text(html, "utf-8")
    snapshot = crawl_folder(tmp_path, CrawlOptions(site_url=site_url))
    audience = site_audience(snapshot)
    return audience.europe, audience.us


@pytest.mark.parametrize(("html", "site_url", "europe", "us"), [
    ("<html lang='de'><body><p>Hallo</p></body></html>", "", True, False),
    ("<html lang='es'><body><p>Hola</p></body></html>", "https://tienda.example.mx", False, False),
    ("<html lang='pt-BR'><body><p>Olá</p></body></html>", "", False, False),
    ("<html lang='en-US'><body><p>Hi</p></body></html>", "", False, True),
    ("<html lang='en-US'><body><p>Hi</p></body></html>", "https://shop.example.co.uk", True,
     False),
    ("<html lang='en'><body><p>Widgets from €12.</p></body></html>", "", True, False),
    ("<html lang='en'><body><address>1 Main Street, Austin, TX 78701</address></body></html>",
     "", False, True),
    # the web host's US address in a French legal notice says nothing about the audience
    ("<html lang='fr'><body><p>Hébergeur : Netlify, Inc., 2325 3rd Street, Suite 296, San "
     "Francisco, CA 94107</p></body></html>", "", True, False),
])
def test_who_a_site_addresses(tmp_path: Path, html: str, site_url: str, europe: bool,
                              us: bool) -> None:
    assert _audience(tmp_path, html, site_url) == (europe, us)


# --------------------------------------------------------------------------- pre-ticked boxes

LABELS = {
    "en": "Yes, send me the newsletter",
    "de": "Ja, ich möchte den Newsletter mit Angeboten erhalten",
    "fr": "Je souhaite recevoir les offres de nos partenaires",
    "es": "Deseo recibir ofertas y promociones",
    "it": "Acconsento a ricevere comunicazioni commerciali",
    "nl": "Ja, ik wil de nieuwsbrief ontvangen",
    "pt": "Aceito receber comunicações de marketing",
}


@pytest.mark.parametrize("lang", sorted(LABELS))
def test_prechecked_marketing_box_in_each_language(tmp_path: Path, lang: str) -> None:
    form = (f"<form action='/join' method='post'><input type='email' name='email'>"
            f"<label><input type='checkbox' name='x' checked> {LABELS[lang]}</label></form>")
    page = f"<html lang='{lang}'><head><title>Join</title></head><body><main><h1>Join</h1>" \
           f"{form}{FILLER}</main></body></html>"
    finding = audit_html(tmp_path, {"index.html": page})["prechecked-consent"]
    assert (finding["status"], finding["found"]) == ("fail", True), finding["message"]


def test_an_unticked_box_is_fine(tmp_path: Path) -> None:
    form = ("<form action='/join'><input type='email' name='email'>"
            f"<label><input type='checkbox' name='x'> {LABELS['en']}</label></form>")
    page = f"<html lang='en'><body><main><h1>Join</h1>{form}{FILLER}</main></body></html>"
    finding = audit_html(tmp_path, {"index.html": page})["prechecked-consent"]
    assert (finding["status"], finding["found"]) == ("pass", False)


# --------------------------------------------------------------------------- do not sell


@pytest.mark.parametrize("label", [
    "Do Not Sell or Share My Personal Information", "Your Privacy Choices",
    "Your California Privacy Rights", "No vender ni compartir mi información personal",
])
def test_us_opt_out_labels(tmp_path: Path, label: str) -> None:
    page = (f"<html lang='en-US'><body><main><h1>Shop</h1>{FILLER}</main><footer>"
            f"<a href='#'>{label}</a></footer></body></html>")
    finding = audit_html(tmp_path, {"index.html": page})["do-not-sell-link"]
    assert (finding["status"], finding["found"]) == ("pass", True)
