"""What kind of site this is (shop, saas, local, content), from facts; ``--site-kind`` overrides.

The kind decides which checks apply: a returns policy matters for a shop, not for a dentist.
Each kind collects points from independent indicators and the strongest wins; a site with no
commerce, software or local-business indicators is treated as ``content``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.detect import memo
from auditor.detect.contacts import channels_of, types_of, walk_json
from auditor.detect.text import fold, path_segments
from auditor.detect.vendors import hits_of_kind
from auditor.site import SiteSnapshot

ADD_TO_CART = re.compile(
    r"\b(add to (cart|basket|bag)|buy now|in den warenkorb|jetzt kaufen|ajouter au panier|"
    r"anadir al carrito|agregar al carrito|aggiungi al carrello|in winkelwagen|"
    r"toevoegen aan winkelwagen|adicionar ao carrinho|comprar agora|acheter)\b"
)
CART_SLUGS = {"cart", "basket", "warenkorb", "panier", "carrito", "carrello", "winkelwagen",
              "carrinho", "checkout", "kasse", "shop", "store", "boutique", "tienda", "negozio",
              "winkel", "loja", "products", "produkte", "produits", "productos", "prodotti"}
SAAS_WORDS = re.compile(
    r"\b(sign up|log in|login|start free|free trial|get started|pricing|book a demo|"
    r"request a demo|registrieren|kostenlos testen|preise|essai gratuit|tarifs|prueba gratis|"
    r"precios|prova gratuita|prezzi|gratis proberen|prijzen|teste gratis|precos|dashboard|api)\b"
)
LOCAL_TYPES = {"LocalBusiness", "Dentist", "Restaurant", "Store", "MedicalBusiness", "Physician",
               "LegalService", "Attorney", "HomeAndConstructionBusiness", "AutomotiveBusiness",
               "FoodEstablishment", "HealthAndBeautyBusiness", "LodgingBusiness",
               "ProfessionalService", "CleaningService" }
LOCAL_WORDS = re.compile(
    r"\b(opening hours|book an appointment|appointment|offnungszeiten|termin vereinbaren|"
    r"horaires|prendre rendez vous|rendez vous|horario|pedir cita|cita previa|orari|"
    r"appuntamento|openingstijden|afspraak|horario de funcionamento|marcacao|directions|"
    r"anfahrt|acces|como llegar|come raggiungerci|route)\b"
)
PRICE_RE = re.compile(
    r"(?:[€$£]\s?\d{1,5}(?:[.,]\d{2})?|\d{1,5}(?:[.,]\d{2})?\s?(?:€|eur|usd|\$|£|chf))",
                      re.I)


@dataclass(frozen=True, slots=True)
class SiteKind:
    kind: str
    points: tuple[tuple[str, int], ...]  # kind → points, for the explanation
    reasons: tuple[str, ...]


def infer_site_kind(site: SiteSnapshot) -> SiteKind:
    return memo(site, "site-kind", lambda: _infer(site))


def _infer(site: SiteSnapshot) -> SiteKind:
    points = {"shop": 0, "saas": 0, "local": 0, "content": 0}
    reasons: list[str] = []

    def add(kind: str, n: int, why: str) -> None:
        points[kind] += n
        reasons.append(f"{kind} +{n}: {why}")

    product_pages = cart_links = price_blocks = 0
    saas_hits = local_hits = articles = 0
    local_types: set[str] = set()
    for page in site.html_pages:
        facts = page.facts
        assert facts is not None
        types: set[str] = set()
        for item in (*facts.jsonld, *facts.microdata):
            for node in walk_json(item):
                types |= types_of(node)
        if types & {"Product", "Offer", "AggregateOffer", "ItemList"} and "Product" in types:
            product_pages += 1
        local_types |= types & LOCAL_TYPES
        if types & {"Article", "BlogPosting", "NewsArticle"}:
            articles += 1
        for link in facts.links:
            label = fold(link.text or link.aria_label)
            segs = path_segments(link.url) if link.url else ()
            if segs and segs[-1] in CART_SLUGS or ADD_TO_CART.search(label):
                cart_links += 1
            if SAAS_WORDS.search(label):
                saas_hits += 1
        for form in facts.forms:
            for field in form.fields:
                if ((field.tag == "button" or field.type in ("submit", "button"))
                        and ADD_TO_CART.search(fold(field.label or field.value))):
                    cart_links += 2
        text = facts.text
        price_blocks += len(PRICE_RE.findall(text[:20000]))
        local_hits += len(LOCAL_WORDS.findall(fold(text[:20000])))
    if product_pages:
        add("shop", 4 + min(product_pages, 4), f"Product markup on {product_pages} page(s)")
    if cart_links:
        add("shop", min(cart_links, 6), f"{cart_links} cart or buy links/buttons")
    if price_blocks >= 3:
        add("shop", 2, f"{price_blocks} prices shown")
    if hits_of_kind(site, "payment", "review-app"):
        add("shop", 2, "payment provider or shop review app")
    if saas_hits:
        add("saas", min(saas_hits, 6), f"{saas_hits} sign-up, log-in or pricing links")
    if local_types:
        add("local", 5, "LocalBusiness markup: " + ", ".join(sorted(local_types)))
    if local_hits:
        add("local", min(local_hits, 4), f"{local_hits} appointment/opening-hours mentions")
    if channels_of(site, "address"):
        add("local", 2, "a postal address")
    if channels_of(site, "maps"):
        add("local", 2, "a map link")
    if articles:
        add("content", min(articles, 6), f"article markup on {articles} page(s)")
    order = ("shop", "saas", "local", "content")
    best = max(order, key=lambda k: (points[k], -order.index(k)))
    if points[best] < 3:
        best = "content" if points["content"] >= points["local"] else "local"
        reasons.append("weak indicators: defaulting to " + best)
    return SiteKind(best, tuple(points.items()), tuple(reasons))
