"""The vendor fingerprint table (checks/vendors.toml): its shape, one embed per vendor, and traps.

Every case is the HTML a site really carries for that vendor (the vendor's documented embed
code: script tag, widget div, badge image, profile link, inline loader). It goes through the
real extractor and the real matcher, and the test asserts the exact set of vendors found, so a
fingerprint that starts matching its neighbours' embeds fails here too.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from importlib import resources
from typing import Any

import pytest

from auditor.detect.vendors import VendorHit, load_vendors, vendor_hits
from auditor.extract import extract_facts
from auditor.site import Page, SiteSnapshot

URL = "https://shop.example/"

KINDS = frozenset({
    "review-platform", "review-app", "trustmark", "seal", "privacy-seal", "cmp", "tracker",
    "chat", "status-page", "survey", "returns-portal", "payment", "urgency",
})
FIELDS = frozenset({
    "id", "name", "kind", "hosts", "paths", "exclude", "markers", "globals", "links", "verified",
})
# Hosts shared by unrelated services: a vendor may only use them together with `paths`.
GENERIC_HOSTS = frozenset({
    "google.com", "facebook.com", "gstatic.com", "googleapis.com", "cloudfront.net",
    "amazonaws.com", "jsdelivr.net", "cdnjs.cloudflare.com", "unpkg.com",
    "www.google.com", "www.gstatic.com", "www.facebook.com", "apis.google.com",
    "docs.google.com", "ajax.googleapis.com", "fonts.googleapis.com", "fonts.gstatic.com",
    "s3.amazonaws.com", "cdn.jsdelivr.net",
})
SEAL_KINDS = frozenset({"seal", "trustmark", "privacy-seal"})
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MARKER = re.compile(r"^(?:#[^\s#.\[\]]+|\.[^\s#.\[\]]+|\[data-[a-z0-9_.:-]+\])$")
HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")


def raw_vendors() -> list[dict[str, Any]]:
    """The table as written, in file order (the loader sorts by id)."""
    text = resources.files("checks").joinpath("vendors.toml").read_text("utf-8")
    vendors = tomllib.loads(text)["vendor"]
    assert isinstance(vendors, list)
    return vendors


def hits_for(html: str, url: str = URL) -> tuple[VendorHit, ...]:
    """Run one page of HTML through the extractor and the vendor matcher."""
    facts = extract_facts(f"<!doctype html><html><head></head><body>{html}</body></html>", url)
    page = Page(url, 200, facts=facts)
    site = SiteSnapshot(mode="url", target=url, start_url=url, pages=(page,))
    return vendor_hits(site)


def ids_of(hits: Iterable[VendorHit]) -> set[str]:
    return {h.vendor.id for h in hits}


# ----------------------------------------------------------------------------- the table


def test_table_loads_and_matches_the_file() -> None:
    raw = raw_vendors()
    loaded = load_vendors()
    assert len(loaded) == len(raw) > 150
    assert [v.id for v in loaded] == sorted(v["id"] for v in raw)


def test_ids_unique_kebab_case_and_kinds_known() -> None:
    ids = [str(v["id"]) for v in raw_vendors()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert [i for i in ids if not KEBAB.match(i)] == []
    assert {str(v["kind"]) for v in raw_vendors()} == KINDS  # every kind used, no other


def test_fields_are_the_ones_the_loader_reads() -> None:
    for v in raw_vendors():
        assert set(v) <= FIELDS, (v["id"], set(v) - FIELDS)  # a typo would be ignored silently
        assert isinstance(v.get("name"), str) and v["name"], v["id"]
        assert isinstance(v.get("verified", True), bool), v["id"]
        for key in ("hosts", "paths", "exclude", "markers", "globals", "links"):
            value = v.get(key, [])
            assert isinstance(value, list), (v["id"], key)
            assert all(isinstance(x, str) and x and x == x.strip() for x in value), (v["id"], key)
            assert len(value) == len(set(value)), (v["id"], key)


def test_every_vendor_has_a_fingerprint() -> None:
    empty = [v["id"] for v in raw_vendors()
             if not any(v.get(k) for k in ("hosts", "markers", "globals", "links"))]
    assert empty == []


def test_hosts_links_and_markers_are_well_formed() -> None:
    for v in raw_vendors():
        for host in v.get("hosts", []):
            assert HOST.match(host), (v["id"], host)
        for link in v.get("links", []):
            # Compared with the link's host + path, "www." dropped; the loader lower-cases it.
            assert link == link.lower() and "/" in link, (v["id"], link)
            assert not link.startswith(("http", "www.", "/")), (v["id"], link)
        for marker in v.get("markers", []):
            assert MARKER.match(marker), (v["id"], marker)
        for name in v.get("globals", []):
            assert not re.search(r"\s", name), (v["id"], name)


def test_no_generic_host_without_paths() -> None:
    offenders = [(v["id"], h) for v in raw_vendors() for h in v.get("hosts", [])
                 if h in GENERIC_HOSTS and not v.get("paths")]
    assert offenders == []


def test_groups_by_kind_sorted_by_id() -> None:
    seen: list[str] = []
    groups: dict[str, list[str]] = {}
    for v in raw_vendors():
        kind = str(v["kind"])
        if not seen or seen[-1] != kind:
            assert kind not in seen, f"kind {kind} appears in two groups"
            seen.append(kind)
        groups.setdefault(kind, []).append(str(v["id"]))
    for kind, ids in groups.items():
        assert ids == sorted(ids), kind


def test_enough_consent_managers() -> None:
    cmps = {v.id for v in load_vendors() if v.kind == "cmp"}
    assert len(cmps) >= 15
    assert {"onetrust", "cookiebot", "usercentrics", "didomi", "iubenda", "cookieyes"} <= cmps


# ----------------------------------------------------------------------------- one embed per vendor
# (vendor id, HTML as the vendor documents or ships it, other vendors the same HTML shows)

CASES: list[tuple[str, str, frozenset[str]]] = []


def case(vendor: str, html: str, *also: str) -> None:
    CASES.append((vendor, html, frozenset(also)))


# --- review-platform
case("avis-verifies",
     '<a href="https://www.avis-verifies.com/avis-clients/shop.example">Nos avis clients</a>')
case("avis-verifies",
     '<iframe src="https://cl.avis-verifies.com/fr/cache/4/8/a/48a-widget.html" width="200">'
     "</iframe>")
case("avis-verifies", "<script>var avisVerifies = avisVerifies || {}; "
     'avisVerifies.idWebsite = "e4a1-77";</script>')
case("capterra",
     '<a href="https://www.capterra.com/p/123456/Acme/reviews/">'
     '<img src="https://assets.capterra.com/badge/3f0a.svg" alt="Capterra reviews"></a>')
case("ekomi",
     '<div id="widget-container" class="ekomi-widget-container ekomi-widget-sf1234"></div>'
     "<script>(function (w) { w['_ekomiWidgetsServerUrl'] = 'https://widgets.ekomi.com'; "
     "w['_customerId'] = 1234; if (typeof(ekomiWidgetJs) == 'undefined') { ekomiWidgetJs = true; "
     "var scr = document.createElement('script'); "
     "scr.src = 'https://sw-assets.ekomiapps.de/static_resources/widget.js'; "
     "document.getElementsByTagName('head')[0].appendChild(scr); } })(window);</script>")
case("ekomi", '<a href="https://www.ekomi.de/bewertungen-shopexample.html">eKomi</a>')
case("feefo",
     '<a href="https://www.feefo.com/en-GB/reviews/acme" target="_blank">'
     '<img alt="Feefo logo" src="https://api.feefo.com/api/logo?merchantidentifier=acme'
     '&amp;template=Service-Stars-White-175x44.png"></a>')
case("g2",
     '<a href="https://www.g2.com/products/acme/reviews"><img alt="G2 Leader" '
     'src="https://images.g2crowd.com/uploads/report_medal/image/123/medal.svg"></a>')
case("google-customer-reviews",
     '<script id="merchantWidgetScript" '
     'src="https://www.gstatic.com/shopping/merchant/merchantwidget.js" defer></script>'
     '<script>merchantWidgetScript.addEventListener("load", function () { '
     'merchantwidget.start({ merchant_id: 123456789, position: "RIGHT_BOTTOM" }); });</script>')
case("google-customer-reviews",
     '<script src="https://apis.google.com/js/platform.js?onload=renderBadge" async defer>'
     "</script><script>window.renderBadge = function() { var ratingBadgeContainer = "
     'document.createElement("div"); document.body.appendChild(ratingBadgeContainer); '
     "window.gapi.load('ratingbadge', function() { window.gapi.ratingbadge.render("
     'ratingBadgeContainer, {"merchant_id": 123456789, "position": "BOTTOM_RIGHT"}); }); }'
     "</script>")
case("google-customer-reviews",
     '<a href="https://customerreviews.google.com/v/merchant?q=shop.example&amp;c=DE&amp;v=19">'
     "Google Customer Reviews</a>")
case("kiyoh",
     '<iframe frameborder="0" allowtransparency="true" src="https://www.kiyoh.com/'
     'retrieve-widget.html?color=white&amp;button=true&amp;lang=nl&amp;tenantId=98&amp;'
     'locationId=1045436" width="210" height="175"></iframe>')
case("provenexpert",
     '<div id="pewl"></div><script type="text/javascript" src="https://www.provenexpert.com/'
     'widget/landing_acme.js?feedback=1&amp;avatar=0&amp;competence=1" async></script>')
case("reevoo",
     '<script id="reevoo-loader" defer src="https://widgets.reevoo.com/loader/ACM.js"></script>')
case("reviews-io",
     '<script src="https://widget.reviews.io/polaris/build.js"></script>'
     '<div id="ReviewsWidget"></div><script>new ReviewsWidget("#ReviewsWidget", '
     '{ store: "acme", widget: "polaris", options: { types: "product_review" } });</script>')
case("reviews-io",
     '<a href="https://www.reviews.co.uk/company-reviews/store/acme">Reviews.io</a>')
case("shopper-approved",
     '<script type="text/javascript">function saLoadScript(src) { var js = '
     'window.document.createElement("script"); js.src = src; js.type = "text/javascript"; '
     'document.getElementsByTagName("head")[0].appendChild(js); } '
     "if (typeof(shopper_first) == 'undefined') saLoadScript('//www.shopperapproved.com/widgets/"
     "testimonial/3.0/12345.js'); shopper_first = true; </script>"
     '<img src="https://www.shopperapproved.com/widgets/widgetfooter-darklogo.png" '
     'alt="Shopper Approved">')
case("sitejabber",
     '<a href="https://www.sitejabber.com/reviews/shop.example">Read our Sitejabber reviews</a>')
case("tripadvisor",
     '<div id="TA_excellent499" class="TA_excellent"><ul class="TA_links"><li>'
     '<a target="_blank" href="https://www.tripadvisor.com/Restaurant_Review-g187147-d1234-'
     'Reviews-Acme-Paris.html"><img src="https://static.tacdn.com/img2/widget/'
     'tripadvisor_logo_115x18.gif" alt="TripAdvisor"></a></li></ul></div>'
     '<script async src="https://www.jscache.com/wejs?wtype=excellent&amp;uniq=499&amp;'
     'locationId=1234&amp;lang=en_US"></script>')
case("trustpilot",
     '<script type="text/javascript" src="//widget.trustpilot.com/bootstrap/v5/'
     'tp.widget.bootstrap.min.js" async></script>'
     '<div class="trustpilot-widget" data-locale="en-GB" '
     'data-template-id="5419b6a8b0d04a076446a9ad" '
     'data-businessunit-id="5a1b2c3d4e5f6a7b8c9d0e1f" data-style-height="24px" '
     'data-style-width="100%" data-theme="light"><a href="https://uk.trustpilot.com/review/'
     'shop.example" target="_blank" rel="noopener">Trustpilot</a></div>')
case("trustpilot",
     '<a href="https://www.trustpilot.com/review/shop.example">See our reviews on Trustpilot</a>')
case("yelp",
     '<a href="https://www.yelp.com/biz/acme-bakery-san-francisco">Find us on Yelp</a>')

# --- review-app
case("bazaarvoice",
     '<script async src="https://apps.bazaarvoice.com/deployments/acme/main_site/production/'
     'en_US/bv.js"></script><div data-bv-show="rating_summary" data-bv-product-id="SKU123">'
     "</div>")
case("bazaarvoice", "<script>$BV.configure('global', { productId: 'SKU123' });</script>")
case("judge-me",
     "<script>jdgm = window.jdgm || {};jdgm.SHOP_DOMAIN = 'acme.myshopify.com';"
     "jdgm.PLATFORM = 'shopify';jdgm.PUBLIC_TOKEN = 'bpV91llnywtnr';</script>"
     "<script data-cfasync='false' type='text/javascript' async "
     "src='https://cdn.judge.me/widget_preloader.js'></script>")
case("judge-me",
     '<div style="clear:both"></div><div id="judgeme_product_reviews" '
     'class="jdgm-widget jdgm-review-widget" data-id="7012345"></div>')
case("junip",
     '<script type="text/javascript" async="true" src="https://scripts.juniphq.com/v1/'
     'junip_shopify.js"></script><span class="junip-store-key" data-store-key="ab12"></span>')
case("klaviyo-reviews",
     '<div class="klaviyo-star-rating-widget" data-id="7012345" data-product-title="Mug" '
     'data-product-type="Kitchen"></div>')
case("loox",
     '<script async src="//loox.io/widget/loox.js?shop=acme.myshopify.com"></script>'
     '<div id="looxReviews" data-product-id="7012345"></div>')
case("okendo",
     '<div data-oke-widget data-oke-reviews-product-id="shopify-7012345"></div>'
     '<script async src="https://cdn-static.okendo.io/reviews-widget-plus/js/okendo-reviews.js">'
     "</script>")
case("okendo",
     '<div class="okeReviews" data-oke-reviews-version="0.68.5" data-oke-container>'
     '<div class="okeReviews-reviewsSummary">4.8 (120)</div></div>')
case("powerreviews",
     '<script src="https://ui.powerreviews.com/stable/4.1/ui.js" async></script>'
     '<div id="pr-reviewsnippet"></div><div id="pr-reviewdisplay"></div>')
case("shopify-product-reviews",
     '<span class="shopify-product-reviews-badge" data-id="7012345"></span>'
     '<div id="shopify-product-reviews" data-id="7012345"><div class="spr-container">'
     '<div class="spr-header"><h2 class="spr-header-title">Customer Reviews</h2></div></div>'
     "</div>")
case("stamped",
     '<div id="stamped-main-widget" class="stamped-main-widget" data-product-id="7012345" '
     'data-name="Mug" data-widget-style="standard"></div>'
     '<script src="https://cdn1.stamped.io/files/widget.min.js"></script>'
     "<script>StampedFn.init({ apiKey: 'pubkey-abc', sId: '12345' });</script>")
case("trustindex",
     "<script defer async src='https://cdn.trustindex.io/loader.js?1dd1b977516e124fd756a079016'>"
     "</script>")
case("turnto",
     '<script>var turnToConfig = { locale: "en_US", pageId: "pdp-page", sku: "SKU123" }; '
     "window.TurnToCmd=window.TurnToCmd||function(){(TurnToCmd.q=TurnToCmd.q||[])"
     ".push(arguments)};</script>"
     '<script src="https://widgets.turnto.com/v5/widgets/AbCdEf/js/turnto.js" async></script>')
case("yotpo",
     '<script type="text/javascript" async src="//staticw2.yotpo.com/APPKEY123/widget.js">'
     '</script><div class="yotpo yotpo-main-widget" data-product-id="7012345" data-name="Mug" '
     'data-url="https://shop.example/products/mug"></div>')
case("yotpo",
     '<div class="yotpo-widget-instance" data-yotpo-instance-id="675301" '
     'data-yotpo-product-id="7012345"></div>')

# --- trustmark
case("becommerce",
     '<a href="https://www.becommerce.be/nl/consumenten/leden/acme"><img alt="BeCommerce" '
     'src="/img/becommerce.png"></a>')
case("confianza-online",
     '<a href="https://www.confianzaonline.es/empresas/acme.htm" target="_blank" '
     'title="Entidad adherida a Confianza Online"><img alt="Confianza Online" '
     'src="https://www.confianzaonline.es/sellopequeno.gif"></a>')
case("ecommerce-europe-trustmark",
     '<a href="https://ecommercetrustmark.eu/"><img src="/img/trustmark.png" '
     'alt="Ecommerce Europe Trustmark"></a>')
case("ehi-siegel",
     '<a href="https://www.ehi-siegel.de/verbraucher/shops-mit-siegel/zertifikate/?id=abc">'
     '<img src="https://www.ehi-siegel.de/fileadmin/ehi/templates/assets/img/ehi-logo.png" '
     'alt="EHI Geprüfter Online-Shop"></a>')
case("fevad", '<a href="https://www.fevad.com/"><img src="/img/fevad.png" alt="Membre Fevad"></a>')
case("fia-net",
     '<a href="https://www.fia-net.com/annuaire/acme.html"><img src="/img/sceau-fianet.png" '
     'alt="Sceau de confiance Fia-Net"></a>')
case("guetezeichen-at",
     '<a href="https://www.guetezeichen.at/zertifizierte-shops/acme/">'
     '<img src="/img/guetezeichen.png" alt="E-Commerce-Gütezeichen"></a>')
case("haendlerbund",
     '<a href="https://www.haendlerbund.de/mitglied/show.php?uuid=cba5f421-111a-11eb" '
     'target="_blank"><img src="https://www.haendlerbund.de/mitglied/logo.php?uuid='
     'cba5f421-111a-11eb&amp;size=120&amp;variant=1" title="Händlerbund Mitglied" '
     'alt="Mitglied im Händlerbund" border="0"></a>')
case("netcomm",
     '<a href="https://www.consorzionetcomm.it/sigillo/acme"><img src="/img/netcomm.png" '
     'alt="Sigillo Netcomm"></a>')
case("safebuy", '<a href="https://www.safebuy.org.uk/members/acme/">SafeBuy member</a>')
case("safer-shopping",
     '<a href="https://www.safer-shopping.de/zertifikat/acme"><img src="/img/tuev.png" '
     'alt="s@fer-shopping"></a>')
case("thuiswinkel-waarborg",
     '<a href="https://www.thuiswinkel.org/leden/shop-example/certificaat" rel="nofollow">'
     '<img src="/img/thuiswinkel.svg" alt="Thuiswinkel Waarborg"></a>')
case("trusted-shops",
     "<script type=\"text/javascript\">(function () { var _tsid = 'X1234567890ABCDEF1234567890AB"
     "CDEF'; _tsConfig = { 'yOffset': '0', 'variant': 'reviews', 'disableResponsive': 'false', "
     "'disableTrustbadge': 'false' }; var _ts = document.createElement('script'); "
     "_ts.type = 'text/javascript'; _ts.async = true; _ts.src = '//widgets.trustedshops.com/js/' "
     "+ _tsid + '.js'; var __ts = document.getElementsByTagName('script')[0]; "
     "__ts.parentNode.insertBefore(_ts, __ts); })();</script>")
case("trusted-shops",
     '<script src="https://integrations.etrusted.com/applications/widget.js/v2" defer async>'
     '</script><etrusted-widget data-etrusted-widget-id="wdg-52c2c4a1-1234-5678">'
     "</etrusted-widget>")
case("trusted-shops",
     '<a href="https://www.trustedshops.de/bewertung/info_X1234567890ABCDEF1234567890ABCDEF.html">'
     "Trusted Shops Zertifikat</a>")
case("trygg-ehandel",
     '<a href="https://www.tryggehandel.se/butik/1234" target="_blank">'
     '<img src="/img/trygg.png" alt="Trygg e-handel"></a>')
case("webshop-keurmerk",
     '<a href="https://www.keurmerk.info/nl/consumenten/webwinkel/?key=1234">Webshop Keurmerk</a>')
case("webwinkelkeur",
     "<script>(function() { _webwinkelkeur_id = 1234; var js = document.createElement('script'); "
     "js.src = 'https://dashboard.webwinkelkeur.nl/webshops/sidebar.js'; js.async = true; "
     "var s = document.getElementsByTagName('script')[0]; s.parentNode.insertBefore(js, s); "
     "})();</script>")

# --- seal
case("authorize-net-seal",
     '<div class="AuthorizeNetSeal"><script type="text/javascript" language="javascript">'
     'var ANS_customer_id="3740733f-eaf5-4c11-9bd5-13c056336024";</script>'
     '<script type="text/javascript" language="javascript" '
     'src="//verify.authorize.net:443/anetseal/seal.js"></script>'
     '<a href="http://www.authorize.net/" id="AuthorizeNetText" target="_blank">'
     "Online Payment Service</a></div>")
case("bbb",
     '<a href="https://www.bbb.org/us/ca/san-jose/profile/online-retailer/acme-1216-123456/'
     '#sealclick" target="_blank" rel="nofollow"><img src="https://seal-sanjose.bbb.org/seals/'
     'blue-seal-200-42-bbb-123456.png" style="border: 0;" alt="Acme BBB Business Review"></a>')
case("digicert",
     '<div id="DigiCertClickID_abc123"></div><script type="text/javascript">'
     'var __dcid = __dcid || [];__dcid.push({"cid":"DigiCertClickID_abc123","tag":"abc123"});'
     '(function(){var cid=document.createElement("script");cid.async=true;'
     'cid.src="//seal.digicert.com/seals/cascade/seal.min.js";'
     'var s = document.getElementsByTagName("script");var ls = s[(s.length - 1)];'
     "ls.parentNode.insertBefore(cid, ls.nextSibling);}());</script>")
case("digicert",
     '<img src="https://seal.digicert.com/seals/cascade/?s=abc123,12,m,shop.example" '
     'alt="DigiCert Seal">')
case("geotrust",
     '<script type="text/javascript" src="https://smarticon.geotrust.com/si.js"></script>')
case("godaddy-site-seal",
     '<span id="siteseal"><script async type="text/javascript" '
     'src="https://seal.godaddy.com/getSeal?sealID=x7eHjdCZtSpL6KrQEwexxKT6ibm10WLC"></script>'
     "</span>")
case("network-solutions-seal",
     '<a href="#"><img src="https://seal.networksolutions.com/images/basicsqgreen.gif" '
     'alt="Network Solutions Secure Site"></a>')
case("norton-secured",
     '<script type="text/javascript" src="https://seal.websecurity.norton.com/getseal?'
     'host_name=www.shop.example&amp;size=L&amp;use_flash=NO&amp;lang=en"></script>')
case("norton-shopping-guarantee",
     '<script src="//nsg.symantec.com/Web/Seal/gjs.aspx?SN=123456789"></script>')
case("norton-shopping-guarantee",
     '<span id="buySAFE_Kicker" name="buySAFE_Kicker" type="Kicker Guaranteed Ribbon 200x90">'
     '</span><script src="https://seal.buysafe.com/private/rollover/rollover.js"></script>'
     "<script>buySAFE.Hash = ''; WriteBuySafeKickers();</script>")
case("sectigo-trustlogo",
     '<script type="text/javascript"> //<![CDATA[\nvar tlJsHost = ((window.location.protocol == '
     '"https:") ? "https://secure.trust-provider.com/" : "http://www.trustlogo.com/");\n'
     'document.write(unescape("%3Cscript src=\'" + tlJsHost + "trustlogo/javascript/'
     'trustlogo.js\' type=\'text/javascript\'%3E%3C/script%3E"));\n//]]></script>'
     '<script language="JavaScript" type="text/javascript">TrustLogo("https://www.positivessl.com'
     '/images/seals/positivessl_trust_seal_md_167x42.png", "POSDV", "none");</script>')
case("securitymetrics",
     '<a href="https://www.securitymetrics.com/site_certificate?id=123&amp;tk=abc" target="_blank">'
     '<img src="https://www.securitymetrics.com/portal/app/ngsm/assets/img/'
     'GreyContent_Credit_Card_Safe_White_Rec.png" alt="SecurityMetrics card safe"></a>')
case("sitelock",
     "<a href=\"#\" onclick=\"window.open('https://www.sitelock.com/verify.php?site=shop.example',"
     "'SiteLock','width=600,height=600');\"><img alt=\"SiteLock\" title=\"SiteLock\" "
     'src="//shield.sitelock.com/shield/shop.example"></a>')
case("trustedsite",
     '<script type="text/javascript" src="https://cdn.ywxi.net/js/1.js" async></script>'
     '<div class="trustedsite-trustmark" data-type="202" data-width="120" data-height="50"></div>')
case("trustwave",
     '<script type="text/javascript" src="https://sealserver.trustwave.com/seal.js?code='
     '6cd20bda9dab41bb8a21c6b155314c3f"></script>')

# --- privacy-seal
case("eprivacyseal",
     '<a href="https://www.eprivacy.eu/en/customers/awarded-seals/company/acme/">'
     '<img src="/img/eprivacyseal.png" alt="ePrivacyseal"></a>')
case("europrise",
     '<a href="https://www.european-privacy-seal.eu/EPS-en/awarded-seals">EuroPriSe</a>')
case("kidsafe",
     '<a href="//www.kidsafeseal.com/certifiedproducts/acme.html" target="_blank"><img border="0"'
     ' alt="Acme is certified by the kidSAFE Seal Program." src="https://www.kidsafeseal.com/'
     'sealimage/1234/acme_small_whitetm.png"></a>')
case("truste",
     '<a href="//privacy.truste.com/privacy-seal/validation?rid=d6cbd88e-e7c6-4238" '
     'target="_blank"><img style="border: none" src="//privacy-policy.truste.com/privacy-seal/'
     'seal?rid=d6cbd88e-e7c6-4238" alt="TRUSTe"></a>')

# --- cmp
case("axeptio",
     '<script>window.axeptioSettings = { clientId: "6240919396d9bf5662489695", '
     'cookiesVersion: "acme-fr" }; (function(d, s) { var t = d.getElementsByTagName(s)[0], '
     'e = d.createElement(s); e.async = true; e.src = "//static.axept.io/sdk.js"; '
     't.parentNode.insertBefore(e, t); })(document, "script");</script>')
case("borlabs-cookie",
     '<div id="BorlabsCookieBox" class="BorlabsCookie" role="dialog" '
     'aria-labelledby="CookieBoxTextHeadline"><p>Wir nutzen Cookies.</p></div>')
case("borlabs-cookie",
     '<script>var borlabsCookieConfig = {"ajaxURL":"https:\\/\\/shop.example\\/wp-admin\\/'
     'admin-ajax.php","language":"de"};</script>')
case("ccm19",
     '<script src="https://cloud.ccm19.de/app.js?apiKey=736577814ab107c7&amp;domain=698f88c0" '
     'referrerpolicy="origin"></script>')
case("civic-cookie-control",
     '<script src="https://cc.cdn.civiccomputing.com/9/cookieControl-9.x.min.js"></script>'
     "<script>var config = { apiKey: 'abc', product: 'COMMUNITY', optionalCookies: [] }; "
     "CookieControl.load( config );</script>")
case("complianz",
     '<div id="cmplz-cookiebanner-container"><div class="cmplz-cookiebanner cmplz-hidden '
     'banner-1 optin cmplz-bottom-right" role="dialog"><button class="cmplz-btn cmplz-accept">'
     "Accept</button></div></div>"
     '<script id="cmplz-cookiebanner-js-extra">var complianz = {"prefix":"cmplz_",'
     '"user_banner_id":"1","set_cookies":[]};</script>')
case("consentmanager",
     '<script type="text/javascript" data-cmp-ab="1" src="https://cdn.consentmanager.net/'
     'delivery/autoblocking/5add6cdca2e35.js" data-cmp-host="b.delivery.consentmanager.net" '
     'data-cmp-cdn="cdn.consentmanager.net" data-cmp-codesrc="1"></script>')
case("cookie-information",
     '<script id="CookieConsent" src="https://policy.app.cookieinformation.com/uc.js" '
     'data-culture="EN" type="text/javascript"></script>')
case("cookie-notice",
     '<script>var cnArgs = {"ajaxUrl":"https:\\/\\/shop.example\\/wp-admin\\/admin-ajax.php",'
     '"nonce":"c59a0b8e08","hideEffect":"fade","position":"bottom"};</script>'
     '<div id="cookie-notice" role="dialog" class="cookie-notice-hidden cn-position-bottom">'
     '<div class="cookie-notice-container"><span id="cn-notice-text" class="cn-text-container">'
     'We use cookies.</span><a href="#" id="cn-accept-cookie" data-cookie-set="accept" '
     'class="cn-set-cookie cn-button">Ok</a></div></div>')
case("cookie-script",
     '<script type="text/javascript" charset="UTF-8" src="//cdn.cookie-script.com/s/'
     '9fced4c10cbfbd52782b9a352f8dfab5.js"></script>')
case("cookiebot",
     '<script id="Cookiebot" src="https://consent.cookiebot.com/uc.js" '
     'data-cbid="00000000-0000-0000-0000-000000000000" data-blockingmode="auto" '
     'type="text/javascript"></script>')
case("cookiebot",
     '<script id="CookieDeclaration" src="https://consent.cookiebot.com/'
     '00000000-0000-0000-0000-000000000000/cd.js" type="text/javascript" async></script>')
case("cookieconsent-osano",
     '<script src="https://cdn.jsdelivr.net/npm/cookieconsent@3/build/cookieconsent.min.js">'
     '</script><script>window.cookieconsent.initialise({ "palette": { "popup": '
     '{ "background": "#000" } }, "type": "opt-in" });</script>')
case("cookiefirst",
     '<script src="https://consent.cookiefirst.com/sites/shop.example-ceffdf58-94e1-4947-b6b0-'
     '65b7a14e5174/consent.js"></script>')
case("cookiefirst",
     '<script src="https://consent.cookiefirst.com/banner.js" '
     'data-cookiefirst-key="32dc3080-1fd3-4c62-b58d-c0575164da94"></script>')
case("cookiehub",
     '<script type="text/javascript">var cpm = {};(function(h,u,b){var d=h.getElementsByTagName('
     '"script")[0],e=h.createElement("script");e.async=true;e.src="https://cookiehub.net/c2/'
     'c7e96adf.js";e.onload=function(){u.cookiehub.load(b);};d.parentNode.insertBefore(e,d);})'
     "(document,window,cpm);</script>")
case("cookieyes",
     '<script id="cookieyes" type="text/javascript" src="https://cdn-cookieyes.com/client_data/'
     '0123456789abcdef01234567/script.js"></script>')
case("cookieyes",
     '<div id="cookie-law-info-bar" data-nosnippet="true"><span>This website uses cookies. '
     '<a role="button" data-cli_action="accept" id="cookie_action_close_header" '
     'class="cli_action_button">ACCEPT</a></span></div>')
case("didomi",
     '<script type="text/javascript">window.gdprAppliesGlobally=true;(function(){var e='
     'document.createElement("script");e.id="spcloader";e.type="text/javascript";e.async=true;'
     'e.src="https://sdk.privacy-center.org/"+"9a8e2159-3781-4da1"+"/loader.js?target="+'
     'document.location.hostname;e.charset="utf-8";var t=document.getElementsByTagName("script")'
     "[0];t.parentNode.insertBefore(e,t)})();</script>")
case("didomi",
     "<script>window.didomiConfig = { app: { privacyPolicyURL: '/privacy' } }; "
     "window.didomiOnReady = window.didomiOnReady || [];</script>")
case("google-funding-choices",
     '<script async src="https://fundingchoicesmessages.google.com/i/pub-1350480293009797?ers=1">'
     "</script><script>(function() {function signalGooglefcPresent() {if (!window.frames["
     "'googlefcPresent']) {if (document.body) {const iframe = document.createElement('iframe'); "
     "iframe.style.display = 'none'; iframe.name = 'googlefcPresent'; "
     "document.body.appendChild(iframe);} else {setTimeout(signalGooglefcPresent, 0);}}}"
     "signalGooglefcPresent();})();</script>")
case("inmobi-choice",
     "<script type=\"text/javascript\" async=true>(function() { var host = "
     "window.location.hostname; var element = document.createElement('script'); "
     "var firstScript = document.getElementsByTagName('script')[0]; var url = "
     "'https://cmp.inmobi.com'.concat('/choice/', '6Fv0cGNfc_bw8', '/', host, "
     "'/choice.js?tag_version=V3'); element.async = true; element.type = 'text/javascript'; "
     "element.src = url; firstScript.parentNode.insertBefore(element, firstScript); })();"
     "</script>")
case("iubenda",
     '<script type="text/javascript">var _iub = _iub || []; _iub.csConfiguration = '
     '{"siteId":123456,"cookiePolicyId":7890123,"lang":"en"};</script>'
     '<script type="text/javascript" src="//cdn.iubenda.com/cs/iubenda_cs.js" charset="UTF-8" '
     "async></script>")
case("iubenda",
     '<script type="text/javascript" src="https://cs.iubenda.com/autoblocking/123456.js">'
     "</script>")
case("ketch",
     '<script>!function(){window.semaphore=window.semaphore||[],window.ketch=function(){'
     'window.semaphore.push(arguments)};var e=document.createElement("script");'
     'e.type="text/javascript",e.src="https://global.ketchcdn.com/web/v3/config/acme/website/'
     'boot.js",e.defer=e.async=!0,document.getElementsByTagName("head")[0].appendChild(e)}();'
     "</script>")
case("klaro",
     '<script defer data-config="klaroConfig" type="application/javascript" '
     'src="https://cdn.kiprotect.com/klaro/v0.7/klaro.js"></script>')
case("onetrust",
     '<script src="https://cdn.cookielaw.org/scripttemplates/otSDKStub.js" type="text/javascript"'
     ' charset="UTF-8" data-domain-script="0190a1b2-c3d4-e5f6"></script>'
     '<script type="text/javascript">function OptanonWrapper() { }</script>')
case("onetrust",
     '<button id="ot-sdk-btn" class="ot-sdk-show-settings">Cookie Settings</button>')
case("osano",
     '<script src="https://cmp.osano.com/AzZdRbSQn/0f1e2d3c-4b5a/osano.js"></script>')
case("shopify-privacy-banner",
     '<script src="https://cdn.shopify.com/shopifycloud/privacy-banner/storefront-banner.js">'
     "</script>", "shopify")
case("sourcepoint",
     "<script>window._sp_queue = []; window._sp_ = { config: { accountId: 1234, "
     "baseEndpoint: 'https://cdn.privacy-mgmt.com', gdpr: { } } }</script>"
     '<script src="https://cdn.privacy-mgmt.com/unified/wrapperMessagingWithoutDetection.js" '
     "async></script>")
case("termly",
     '<script type="text/javascript" src="https://app.termly.io/resource-blocker/'
     '0b3f5c1e-uuid?autoBlock=on"></script>')
case("termly",
     '<script type="text/javascript" src="https://app.termly.io/embed.min.js" '
     'data-auto-block="on" data-website-uuid="0b3f5c1e-uuid"></script>')
case("trustarc-consent",
     '<div id="consent_blackbar"></div><div id="teconsent"></div>'
     '<script async="async" src="https://consent.trustarc.com/notice?domain=shop.example&amp;'
     'c=teconsent&amp;js=nj&amp;noticeType=bb&amp;gtm=1" crossorigin=""></script>')
case("usercentrics",
     '<script id="usercentrics-cmp" src="https://web.cmp.usercentrics.eu/ui/loader.js" '
     'data-settings-id="AbCdEf123" async></script>')
case("usercentrics",
     '<script id="usercentrics-cmp" data-settings-id="AbCdEf123" '
     'src="https://app.usercentrics.eu/browser-ui/latest/loader.js" async></script>')
case("vanilla-cookieconsent",
     '<script type="module" src="https://cdn.jsdelivr.net/gh/orestbida/cookieconsent@3.0.1/dist/'
     'cookieconsent.umd.js"></script><script>CookieConsent.run({ categories: { necessary: '
     "{ enabled: true, readOnly: true } } });</script>")
case("vanilla-cookieconsent",
     '<script defer src="https://cdn.jsdelivr.net/npm/vanilla-cookieconsent@2.9.2/dist/'
     'cookieconsent.js"></script>')

# --- tracker
case("adobe-experience-cloud",
     '<script src="https://assets.adobedtm.com/launch-EN1234567890abcdef.min.js" async></script>')
case("crazy-egg",
     '<script type="text/javascript" src="//script.crazyegg.com/pages/scripts/0012/3456.js" '
     'async="async"></script>')
case("criteo",
     '<script type="text/javascript" src="//dynamic.criteo.com/js/ld/ld.js?a=12345" async="true">'
     '</script><script type="text/javascript">window.criteo_q = window.criteo_q || []; '
     'window.criteo_q.push({ event: "setAccount", account: 12345 });</script>')
case("fullstory",
     "<script>window['_fs_host'] = 'fullstory.com'; window['_fs_script'] = "
     "'edge.fullstory.com/s/fs.js'; window['_fs_org'] = 'o-1ABC2D'; "
     "window['_fs_namespace'] = 'FS';</script>")
case("google-ads",
     '<script type="text/javascript">var google_conversion_id = 123456789; '
     'var google_conversion_label = "AbC"; var google_remarketing_only = false;</script>'
     '<script type="text/javascript" src="//www.googleadservices.com/pagead/conversion.js">'
     '</script><noscript><div style="display:inline;"><img height="1" width="1" alt="" '
     'src="//googleads.g.doubleclick.net/pagead/viewthroughconversion/123456789/?guid=ON"/>'
     "</div></noscript>")
case("google-analytics",
     '<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCDEF1234"></script>'
     "<script>window.dataLayer = window.dataLayer || []; "
     "function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); "
     "gtag('config', 'G-ABCDEF1234');</script>")
case("google-analytics",
     "<script>(function(i,s,o,g,r,a,m){i['GoogleAnalyticsObject']=r;i[r]=i[r]||function(){"
     "(i[r].q=i[r].q||[]).push(arguments)},i[r].l=1*new Date();a=s.createElement(o),"
     "m=s.getElementsByTagName(o)[0];a.async=1;a.src=g;m.parentNode.insertBefore(a,m)})"
     "(window,document,'script','https://www.google-analytics.com/analytics.js','ga');"
     "ga('create', 'UA-12345-1', 'auto'); ga('send', 'pageview');</script>")
case("google-tag-manager",
     "<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start': new Date().getTime(),"
     "event:'gtm.js'});var f=d.getElementsByTagName(s)[0],j=d.createElement(s),dl=l!='dataLayer'"
     "?'&l='+l:'';j.async=true;j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;"
     "f.parentNode.insertBefore(j,f);})(window,document,'script','dataLayer','GTM-ABC1234');"
     "</script>")
case("google-tag-manager",
     '<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-ABC1234" height="0" '
     'width="0" style="display:none;visibility:hidden"></iframe></noscript>')
case("heap",
     '<script type="text/javascript">window.heap=window.heap||[],heap.load=function(e,t){'
     "window.heap.appid=e,window.heap.config=t=t||{};var r=document.createElement(\"script\");"
     'r.type="text/javascript",r.async=!0,r.src="https://cdn.heapanalytics.com/js/heap-"+e+".js";'
     'var a=document.getElementsByTagName("script")[0];a.parentNode.insertBefore(r,a)};'
     'heap.load("1234567890");</script>')
case("hotjar",
     "<script>(function(h,o,t,j,a,r){h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push(arguments)};"
     "h._hjSettings={hjid:1234567,hjsv:6};a=o.getElementsByTagName('head')[0];"
     "r=o.createElement('script');r.async=1;r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;"
     "a.appendChild(r);})(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');"
     "</script>")
case("hubspot-analytics",
     '<script type="text/javascript" id="hs-script-loader" async defer '
     'src="//js.hs-scripts.com/1234567.js"></script>')
case("klaviyo-onsite",
     '<script async type="text/javascript" src="https://static.klaviyo.com/onsite/js/klaviyo.js?'
     'company_id=AbC123"></script>')
case("linkedin-insight",
     '<script type="text/javascript">_linkedin_partner_id = "1234567"; '
     "window._linkedin_data_partner_ids = window._linkedin_data_partner_ids || []; "
     "window._linkedin_data_partner_ids.push(_linkedin_partner_id);</script>"
     '<script type="text/javascript">(function(l) { var s = document.getElementsByTagName('
     '"script")[0]; var b = document.createElement("script"); b.type = "text/javascript";'
     'b.async = true; b.src = "https://snap.licdn.com/li.lms-analytics/insight.min.js"; '
     "s.parentNode.insertBefore(b, s);})(window.lintrk);</script>"
     '<noscript><img height="1" width="1" style="display:none;" alt="" '
     'src="https://px.ads.linkedin.com/collect/?pid=1234567&amp;fmt=gif"></noscript>')
case("matomo-cloud",
     "<script>var _paq = window._paq = window._paq || []; _paq.push(['trackPageView']); "
     "(function() { var u=\"https://acme.matomo.cloud/\"; _paq.push(['setTrackerUrl', "
     "u+'matomo.php']); _paq.push(['setSiteId', '1']); var d=document, g=d.createElement('script'),"
     " s=d.getElementsByTagName('script')[0]; g.async=true; g.src='https://cdn.matomo.cloud/"
     "acme.matomo.cloud/matomo.js'; s.parentNode.insertBefore(g,s); })();</script>")
case("meta-pixel",
     "<script>!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?"
     "n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;n.push=n;"
     "n.loaded=!0;n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;t.src=v;"
     "s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}(window, document,'script',"
     "'https://connect.facebook.net/en_US/fbevents.js');fbq('init', '123456789012345');"
     "fbq('track', 'PageView');</script><noscript><img height=\"1\" width=\"1\" "
     'style="display:none" src="https://www.facebook.com/tr?id=123456789012345&amp;ev=PageView'
     '&amp;noscript=1"/></noscript>')
case("meta-pixel",
     '<script async src="https://connect.facebook.net/signals/config/123456789012345?v=2.9.1">'
     "</script>")
case("microsoft-clarity",
     '<script type="text/javascript">(function(c,l,a,r,i,t,y){c[a]=c[a]||function(){'
     "(c[a].q=c[a].q||[]).push(arguments)};t=l.createElement(r);t.async=1;"
     't.src="https://www.clarity.ms/tag/"+i;y=l.getElementsByTagName(r)[0];'
     'y.parentNode.insertBefore(t,y);})(window, document, "clarity", "script", "abcd1234");'
     "</script>")
case("microsoft-uet",
     '<script>(function(w,d,t,r,u){var f,n,i;w[u]=w[u]||[],f=function(){var o={ti:"12345678"};'
     'o.q=w[u],w[u]=new UET(o),w[u].push("pageLoad")},n=d.createElement(t),n.src=r,n.async=1,'
     "n.onload=n.onreadystatechange=function(){},i=d.getElementsByTagName(t)[0],"
     'i.parentNode.insertBefore(n,i)})(window,document,"script","//bat.bing.com/bat.js","uetq");'
     "</script>")
case("mixpanel",
     '<script src="https://cdn.mxpnl.com/libs/mixpanel-2-latest.min.js"></script>'
     '<script>mixpanel.init("YOUR_TOKEN", {track_pageview: true});</script>')
case("mouseflow",
     '<script type="text/javascript">window._mfq = window._mfq || []; (function() { var mf = '
     'document.createElement("script"); mf.type = "text/javascript"; mf.defer = true; '
     'mf.src = "//cdn.mouseflow.com/projects/0a1b2c3d.js"; '
     'document.getElementsByTagName("head")[0].appendChild(mf); })();</script>')
case("pinterest-tag",
     '<script type="text/javascript">!function(e){if(!window.pintrk){window.pintrk = function () '
     "{ window.pintrk.queue.push(Array.prototype.slice.call(arguments))};var n=window.pintrk;"
     'n.queue=[],n.version="3.0";var t=document.createElement("script");t.async=!0,t.src=e;'
     'var r=document.getElementsByTagName("script")[0]; r.parentNode.insertBefore(t,r)}}('
     "\"https://s.pinimg.com/ct/core.js\"); pintrk('load', '2612345678901'); pintrk('page');"
     '</script><noscript><img height="1" width="1" style="display:none;" alt="" '
     'src="https://ct.pinterest.com/v3/?event=init&amp;tid=2612345678901&amp;noscript=1">'
     "</noscript>")
case("quantcast-measure",
     '<script type="text/javascript">var _qevents = _qevents || []; (function() { '
     "var elem = document.createElement('script'); elem.src = (document.location.protocol == "
     '"https:" ? "https://secure" : "http://edge") + ".quantserve.com/quant.js"; '
     "elem.async = true; var scpt = document.getElementsByTagName('script')[0]; "
     'scpt.parentNode.insertBefore(elem, scpt); })(); _qevents.push({ qacct:"p-AbC" });</script>'
     '<noscript><div style="display:none;"><img src="//pixel.quantserve.com/pixel/p-AbC.gif" '
     'border="0" height="1" width="1" alt="Quantcast"/></div></noscript>')
case("reddit-pixel",
     "<script>!function(w,d){if(!w.rdt){var p=w.rdt=function(){p.sendEvent?p.sendEvent.apply(p,"
     "arguments):p.callQueue.push(arguments)};p.callQueue=[];var t=d.createElement(\"script\");"
     't.src="https://www.redditstatic.com/ads/pixel.js",t.async=!0;var s=d.getElementsByTagName('
     '"script")[0];s.parentNode.insertBefore(t,s)}}(window,document);rdt("init","t2_abc123");'
     'rdt("track", "PageVisit");</script>')
case("segment",
     "<script>!function(){var analytics=window.analytics=window.analytics||[];if(!analytics."
     "initialize){analytics.load=function(key,e){var t=document.createElement(\"script\");"
     't.type="text/javascript";t.async=!0;t.src="https://cdn.segment.com/analytics.js/v1/" + key '
     '+ "/analytics.min.js";var n=document.getElementsByTagName("script")[0];'
     'n.parentNode.insertBefore(t,n)};analytics.SNIPPET_VERSION="4.15.3";'
     'analytics.load("WriteKey123");analytics.page();}}();</script>')
case("snap-pixel",
     "<script type='text/javascript'>(function(e,t,n){if(e.snaptr)return;var a=e.snaptr="
     "function(){a.handleRequest?a.handleRequest.apply(a,arguments):a.queue.push(arguments)};"
     "a.queue=[];var s='script';r=t.createElement(s);r.async=!0;r.src=n;var u="
     "t.getElementsByTagName(s)[0];u.parentNode.insertBefore(r,u);})(window,document,"
     "'https://sc-static.net/scevent.min.js'); snaptr('init', 'abc-123', {}); "
     "snaptr('track', 'PAGE_VIEW');</script>")
case("tiktok-pixel",
     "<script>!function (w, d, t) { w.TiktokAnalyticsObject=t;var ttq=w[t]=w[t]||[];"
     "ttq.methods=[\"page\",\"track\",\"identify\"];ttq.load=function(e,n){var i="
     "\"https://analytics.tiktok.com/i18n/pixel/events.js\";ttq._i=ttq._i||{};};"
     "ttq.load('C1ABCDEF'); ttq.page(); }(window, document, 'ttq');</script>")
case("x-pixel",
     "<script>!function(e,t,n,s,u,a){e.twq||(s=e.twq=function(){s.exe?s.exe.apply(s,arguments):"
     "s.queue.push(arguments);},s.version='1.1',s.queue=[],u=t.createElement(n),u.async=!0,"
     "u.src='https://static.ads-twitter.com/uwt.js',a=t.getElementsByTagName(n)[0],"
     "a.parentNode.insertBefore(u,a))}(window,document,'script');twq('config','o1abc');</script>")
case("x-pixel",
     '<img height="1" width="1" style="display:none;" alt="" '
     'src="https://t.co/i/adsct?txn_id=o1abc&amp;p_id=Twitter&amp;tw_sale_amount=0">')
case("yandex-metrica",
     '<script type="text/javascript">(function(m,e,t,r,i,k,a){m[i]=m[i]||function(){'
     "(m[i].a=m[i].a||[]).push(arguments)};m[i].l=1*new Date();k=e.createElement(t),"
     "a=e.getElementsByTagName(t)[0],k.async=1,k.src=r,a.parentNode.insertBefore(k,a)})"
     '(window, document, "script", "https://mc.yandex.ru/metrika/tag.js", "ym"); '
     'ym(12345678, "init", { clickmap:true, trackLinks:true });</script>'
     '<noscript><div><img src="https://mc.yandex.ru/watch/12345678" '
     'style="position:absolute; left:-9999px;" alt=""></div></noscript>')

# --- chat
case("chatra",
     "<script>(function(d, w, c) { w.ChatraID = 'AbC123dEf'; var s = d.createElement('script'); "
     "w[c] = w[c] || function() { (w[c].q = w[c].q || []).push(arguments); }; s.async = true; "
     "s.src = 'https://call.chatra.io/chatra.js'; if (d.head) d.head.appendChild(s); })"
     "(document, window, 'Chatra');</script>")
case("crisp",
     '<script type="text/javascript">window.$crisp=[];window.CRISP_WEBSITE_ID="0a1b2c3d-4e5f";'
     '(function(){d=document;s=d.createElement("script");s.src="https://client.crisp.chat/l.js";'
     's.async=1;d.getElementsByTagName("head")[0].appendChild(s);})();</script>')
case("drift",
     '<script>"use strict"; !function() { var t = window.driftt = window.drift = window.driftt '
     "|| []; if (!t.init) { t.load = function(t) { var e = 3e5, n = Math.ceil(new Date() / e) * e,"
     ' o = document.createElement("script"); o.type = "text/javascript", o.async = !0, '
     'o.src = "https://js.driftt.com/include/" + n + "/" + t + ".js"; var i = '
     'document.getElementsByTagName("script")[0]; i.parentNode.insertBefore(o, i); }; } }(); '
     "drift.SNIPPET_VERSION = '0.3.1'; drift.load('abc123xyz');</script>")
case("facebook-messenger", '<a href="https://m.me/acmeshop">Message us on Messenger</a>')
case("freshchat",
     '<script src="https://wchat.freshchat.com/js/widget.js"></script>'
     '<script>window.fcWidget.init({ token: "abc-123", host: "https://wchat.freshchat.com" });'
     "</script>")
case("freshdesk",
     "<script>window.fwSettings={ 'widget_id':77000003511 }; !function(){if(\"function\"!="
     "typeof window.FreshworksWidget){var n=function(){n.q.push(arguments)};n.q=[],"
     "window.FreshworksWidget=n}}()</script>"
     "<script type='text/javascript' src='https://euc-widget.freshworks.com/widgets/"
     "77000003511.js' async defer></script>")
case("freshdesk", '<a href="https://acme.freshdesk.com/support/home">Help centre</a>')
case("gorgias",
     '<script id="gorgias-chat-widget-install-v3" src="https://config.gorgias.chat/bundle-loader/'
     '01HKTCXXVCJSJGNZNH55W29XD4"></script>')
case("help-scout-beacon",
     '<script type="text/javascript">!function(e,t,n){function a(){var e=t.getElementsByTagName('
     '"script")[0],n=t.createElement("script");n.type="text/javascript",n.async=!0,'
     'n.src="https://beacon-v2.helpscout.net",e.parentNode.insertBefore(n,e)}if(e.Beacon=n='
     "function(t,n,a){e.Beacon.readyQueue.push({method:t,options:n,data:a})},n.readyQueue=[],"
     '"complete"===t.readyState)return a();e.attachEvent?e.attachEvent("onload",a):'
     'e.addEventListener("load",a,!1)}(window,document,window.Beacon||function(){});</script>'
     "<script type=\"text/javascript\">window.Beacon('init', '0a1b2c3d-4e5f')</script>")
case("hubspot-chat",
     '<script src="https://js.usemessages.com/conversations-embed.js" type="text/javascript" '
     'id="hubspot-messages-loader" data-loader="hs-scriptloader" data-hsjs-portal="8667013">'
     "</script>")
case("hubspot-chat",
     "<script>window.hsConversationsSettings = { loadImmediately: false };</script>")
case("intercom",
     "<script>window.intercomSettings = { api_base: \"https://api-iam.intercom.io\", "
     'app_id: "abc123" };</script><script>(function(){var w=window;var ic=w.Intercom;'
     "if(typeof ic===\"function\"){ic('update',w.intercomSettings);}else{var d=document;"
     "var l=function(){var s=d.createElement('script');s.type='text/javascript';s.async=true;"
     "s.src='https://widget.intercom.io/widget/abc123';var x=d.getElementsByTagName('script')[0];"
     "x.parentNode.insertBefore(s,x);};l();}})();</script>")
case("jivochat", '<script src="//code.jivosite.com/widget/JJGwOKAgJw" async></script>')
case("kustomer",
     '<script src="https://cdn.kustomerapp.com/chat-web/widget.js" data-kustomer-api-key="abc">'
     "</script><script>window.addEventListener('kustomerLoaded', function() { "
     "Kustomer.start({ brandId: 'xyz' }); });</script>")
case("livechat",
     "<script>window.__lc = window.__lc || {}; window.__lc.license = 12345678; "
     "(function(n,t,c){function i(n){return e._h?e._h.apply(null,n):e._q.push(n)}var e={_q:[],"
     "_h:null,_v:\"2.0\"};var n=t.createElement(\"script\");n.async=!0,n.type="
     '"text/javascript",n.src="https://cdn.livechatinc.com/tracking.js",'
     "t.head.appendChild(n);window.LiveChatWidget=window.LiveChatWidget||e}(window,document,"
     "[].slice))</script>")
case("liveperson",
     "<script>window.lpTag = window.lpTag || {}; lpTag.site = '12345678'; lpTag.section = "
     "lpTag.section || '';</script>"
     '<script src="https://lptag.liveperson.net/tag/tag.js?site=12345678" async></script>')
case("olark",
     '<script type="text/javascript" async> ;(function(o,l,a,r,k,y){if(o.olark)return; '
     'r="script";y=l.createElement(r);r=l.getElementsByTagName(r)[0]; y.async=1;y.src="//"+a;'
     "r.parentNode.insertBefore(y,r); y=o.olark=function(){k.s.push(arguments);"
     "k.t.push(+new Date)}; k=y._={s:[],t:[+new Date],c:{},l:a}; })(window,document,"
     "\"static.olark.com/jsclient/loader.js\"); olark.identify('1234-567-89-0123');</script>")
case("reamaze",
     '<script type="text/javascript" async src="https://cdn.reamaze.com/assets/reamaze.js">'
     "</script><script type=\"text/javascript\">var _support = _support || { 'ui': {}, "
     "'user': {} }; _support['account'] = 'acme'; _support['ui']['contactMode'] = 'default';"
     "</script>")
case("salesforce-embedded-service",
     "<script type='text/javascript' src='https://service.force.com/embeddedservice/5.0/"
     "esw.min.js'></script><script type='text/javascript'>var initESW = function(gslbBaseURL) "
     "{ embedded_svc.settings.displayHelpButton = true; embedded_svc.init("
     "'https://acme.my.salesforce.com', 'https://acme.my.site.com/', gslbBaseURL, "
     "'00D000000000000', 'Chat_Team', {}); };</script>")
case("smartsupp",
     "<script type=\"text/javascript\">var _smartsupp = _smartsupp || {}; _smartsupp.key = "
     "'0a1b2c3d4e5f'; window.smartsupp||(function(d) { var s,c,o=smartsupp=function(){ "
     "o._.push(arguments)};o._=[]; s=d.getElementsByTagName('script')[0];"
     "c=d.createElement('script'); c.type='text/javascript';c.charset='utf-8';c.async=true; "
     "c.src='https://www.smartsuppchat.com/loader.js?';s.parentNode.insertBefore(c,s); })"
     "(document);</script>")
case("tawk-to",
     '<script type="text/javascript">var Tawk_API=Tawk_API||{}, Tawk_LoadStart=new Date();'
     '(function(){var s1=document.createElement("script"),s0=document.getElementsByTagName('
     '"script")[0];s1.async=true;s1.src="https://embed.tawk.to/5f1a2b3c4d5e6f/default";'
     "s1.charset='UTF-8';s1.setAttribute('crossorigin','*');s0.parentNode.insertBefore(s1,s0);"
     "})();</script>")
case("telegram", '<a href="https://t.me/acmeshop">Telegram</a>')
case("tidio", '<script src="//code.tidio.co/abcdefghijklmnopqrstuvwxyz012345.js" async></script>')
case("userlike",
     '<script async type="text/javascript" src="https://widget.userlike.com/0a1b2c3d4e.js">'
     "</script>")
case("whatsapp", '<a href="https://wa.me/491701234567?text=Hallo">WhatsApp</a>')
case("whatsapp",
     '<a href="https://api.whatsapp.com/send?phone=34600123456" class="whatsapp-float">Chat</a>')
case("zendesk",
     '<script id="ze-snippet" src="https://static.zdassets.com/ekr/snippet.js?key='
     '0a1b2c3d-4e5f-6a7b"></script>')
case("zendesk", '<a href="https://acme.zendesk.com/hc/en-us">Help Center</a>')
case("zoho-salesiq",
     "<script>window.$zoho=window.$zoho || {};$zoho.salesiq=$zoho.salesiq||{ready:function(){}}"
     '</script><script id="zsiqscript" src="https://salesiq.zohopublic.com/widget?wc=siq123abc" '
     "defer></script>")

# --- status-page
case("atlassian-statuspage",
     '<a href="https://acme.statuspage.io/">System status</a>'
     '<script src="https://acme.statuspage.io/embed/script.js"></script>')
case("better-stack", '<a href="https://acme.betteruptime.com/">Status</a>')
case("better-stack",
     '<iframe src="https://uptime.betterstack.com/status-badges/v1/monitor/abc.svg" width="250" '
     'height="30" frameborder="0" scrolling="no"></iframe>')
case("instatus", '<a href="https://acme.instatus.com">Status</a>')
case("status-io", '<a href="https://acme.status.io/">Service status</a>')
case("statuspal", '<a href="https://statuspal.io/acme">Status</a>')
case("uptimerobot", '<a href="https://stats.uptimerobot.com/7kgEVtzlV1">Status</a>')

# --- survey
case("asknicely",
     "<script>window.asknicelySettings = { domain_id: 1234, domain_key: 'acme', email: '', "
     "name: '', created: 0 };</script>")
case("delighted",
     '<script type="text/javascript">!function(e,t,r,n){if(!e[n]){for(var a=e[n]=[],'
     'i=["survey","reset","trigger"],c=0;c<i.length;c++){var s=i[c];a[s]=a[s]||function(e){'
     "return function(){var t=Array.prototype.slice.call(arguments);a.push([e,t])}}(s)}"
     'a.SNIPPET_VERSION="1.0.1";var o=t.createElement("script");o.type="text/javascript",'
     'o.async=!0,o.src="https://d2yyd1h5u9mauk.cloudfront.net/integrations/web/v1/library/"+r+"/"'
     '+n+".js";var p=t.getElementsByTagName("script")[0];p.parentNode.insertBefore(o,p)}}'
     '(window,document,"AbCdEf123","delighted");</script>')
case("google-forms",
     '<a href="https://docs.google.com/forms/d/e/1FAIpQLSfAbC/viewform">Tell us what you think</a>')
case("google-forms", '<a href="https://forms.gle/AbC123xYz">Feedback survey</a>')
case("iterate", '<script src="https://platform.iteratehq.com/loader.js" async></script>')
case("medallia",
     '<script type="text/javascript" src="https://resources.digital-cloud.medallia.com/wdcus/'
     '123456/onsite/embed.js" async></script>')
case("qualaroo",
     '<script type="text/javascript">var _kiq = _kiq || []; (function(){ setTimeout(function(){ '
     "var d = document, f = d.getElementsByTagName('script')[0], s = d.createElement('script'); "
     "s.type = 'text/javascript'; s.async = true; s.src = '//s3.amazonaws.com/ki.js/12345/AbC.js';"
     " f.parentNode.insertBefore(s, f); }, 1); })();</script>")
case("qualtrics",
     "<script type='text/javascript'>(function(){var g=function(e,h,f,g){this.get=function(a){"
     "return null};this.check=function(){return true}};try{(new g(100,\"r\",\"QSI_S_ZN_abc\","
     "\"https://znabc-acme.siteintercept.qualtrics.com/SIE/?Q_ZID=ZN_abc\")).start()}catch(i){}"
     "})();</script><div id='ZN_abc'><!--DO NOT REMOVE-CONTENTS PLACED HERE--></div>")
case("qualtrics", '<a href="https://acme.qualtrics.com/jfe/form/SV_abc123">Take our survey</a>')
case("sprig",
     "<script>(function(l,e,a,p) { window.UserLeap = function(){U._queue.push(arguments)}; "
     "var U = window.UserLeap;U.appId = a;U._queue = []; a=l.createElement('script'); "
     "a.async=1;a.src=e+'?id='+U.appId; p=l.getElementsByTagName('script')[0]; "
     "p.parentNode.insertBefore(a, p); })(document, 'https://cdn.userleap.com/shim.js', "
     "'msgT5Gz9W');</script>")
case("surveymonkey", '<a href="https://www.surveymonkey.com/r/ABC1234">Customer survey</a>')
case("survicate",
     "<script>(function (w) { var s = document.createElement('script'); s.src = "
     "'https://survey.survicate.com/workspaces/83b651f6b3eca1ab4551d95760fe5deb/web_surveys.js'; "
     "s.async = true; var e = document.getElementsByTagName('script')[0]; "
     "e.parentNode.insertBefore(s, e); })(window);</script>")
case("typeform",
     '<div data-tf-widget="AbC123" data-tf-opacity="100" style="width:100%;height:500px;"></div>'
     '<script src="//embed.typeform.com/next/embed.js"></script>')
case("typeform", '<a href="https://acme.typeform.com/to/AbC123">Give feedback</a>')
case("uservoice",
     "<script>UserVoice=window.UserVoice||[];(function(){var uv=document.createElement('script');"
     "uv.type='text/javascript';uv.async=true;uv.src='//widget.uservoice.com/AbC123.js';"
     "var s=document.getElementsByTagName('script')[0];s.parentNode.insertBefore(uv,s)})();"
     "</script>")

# --- returns-portal
case("aftership-returns", '<a href="https://acme.returnscenter.com/">Returns &amp; exchanges</a>')
case("happy-returns", '<a href="https://acme.happyreturns.com/">Start a return</a>')
case("loop-returns", '<a href="https://acme.loopreturns.com/">Start a return</a>')
case("narvar", '<a href="https://acme.narvar.com/acme/returns">Returns</a>')
case("parcelpanel", '<a href="https://acme.parcelpanel.com/returns">Return portal</a>')
case("returngo", '<a href="https://acme.returngo.ai/">Returns portal</a>')
case("returnly", '<a href="https://acme.returnly.com/">Return an item</a>')

# --- payment
case("adyen",
     '<script src="https://checkoutshopper-live.adyen.com/checkoutshopper/sdk/5.59.0/adyen.js" '
     'integrity="sha384-AbC" crossorigin="anonymous"></script>')
case("adyen",
     '<script src="https://checkoutshopper-live.cdn.adyen.com/checkoutshopper/sdk/6.0.0/adyen.js">'
     "</script>")
case("affirm",
     '<script>_affirm_config = { public_api_key: "YFV3AOI9Q9ROPM3E", script: '
     '"https://cdn1.affirm.com/js/v2/affirm.js" };</script>')
case("afterpay",
     '<script src="https://js.afterpay.com/afterpay-1.x.js" data-analytics-enabled async>'
     "</script>")
case("amazon-pay",
     '<div id="AmazonPayButton"></div>'
     '<script src="https://static-eu.payments-amazon.com/checkout.js"></script>')
case("apple-pay",
     '<script src="https://applepay.cdn-apple.com/jsapi/1.latest/apple-pay-sdk.js"></script>')
case("apple-pay",
     '<div class="apple-pay-button apple-pay-button-black" hidden></div>'
     "<script>if (window.ApplePaySession && ApplePaySession.canMakePayments()) { "
     "document.querySelector('.apple-pay-button').hidden = false; }</script>")
case("braintree",
     '<script src="https://js.braintreegateway.com/web/dropin/1.40.2/js/dropin.min.js"></script>')
case("checkout-com", '<script src="https://cdn.checkout.com/js/framesv2.min.js"></script>')
case("google-pay",
     '<script async src="https://pay.google.com/gp/p/js/pay.js" onload="onGooglePayLoaded()">'
     "</script>")
case("klarna",
     '<script async src="https://eu-library.klarnaservices.com/lib.js" data-client-id="abc">'
     '</script><klarna-placement data-key="credit-promotion-badge" data-locale="de-DE" '
     'data-purchase-amount="4999"></klarna-placement>')
case("klarna",
     '<img src="https://x.klarnacdn.net/payment-method/assets/badges/generic/klarna.svg" '
     'alt="Klarna">')
case("mercado-pago", '<script src="https://sdk.mercadopago.com/js/v2"></script>')
case("mollie", '<script src="https://js.mollie.com/v1/mollie.js"></script>')
case("paypal",
     '<script src="https://www.paypal.com/sdk/js?client-id=AbC&amp;currency=EUR"></script>'
     '<div id="paypal-button-container"></div><script>paypal.Buttons({ createOrder: function('
     "data, actions) { return actions.order.create({ purchase_units: [{ amount: { value: "
     "'10.00' } }] }); } }).render('#paypal-button-container');</script>")
case("paypal",
     '<img src="https://www.paypalobjects.com/webstatic/mktg/logo/pp_cc_mark_37x23.jpg" '
     'alt="PayPal Logo">')
case("paypal",
     '<div data-pp-message data-pp-amount="120.00" data-pp-style-layout="text"></div>')
case("razorpay", '<script src="https://checkout.razorpay.com/v1/checkout.js"></script>')
case("shopify",
     '<script>var Shopify = Shopify || {}; Shopify.shop = "acme.myshopify.com"; '
     'Shopify.locale = "en"; Shopify.currency = {"active":"EUR","rate":"1.0"};</script>'
     '<div id="shopify-section-header" class="shopify-section"><img alt="Acme" '
     'src="https://cdn.shopify.com/s/files/1/0123/4567/files/logo.png"></div>')
case("square",
     '<script type="text/javascript" src="https://web.squarecdn.com/v1/square.js"></script>')
case("square", '<a href="https://square.link/u/AbCdEf12">Pay now</a>')
case("stripe", '<script src="https://js.stripe.com/v3/"></script>')
case("stripe", '<a href="https://buy.stripe.com/test_AbC123">Buy now</a>')

# --- urgency
case("beeketing", '<script src="https://sdk-cdn.beeketing.com/js/beeketing.js"></script>')
case("bizzy",
     '<script src="https://pxu-recent-sales-apps.s3.amazonaws.com/scripts/recent-sales.js">'
     "</script>")
case("bunting", '<script src="https://acme.bunting.com/call.js?wmID=4"></script>')
case("convertcart", '<script src="https://cdn.convertcart.com/12345.js" async></script>')
case("convertize", '<script src="https://app.convertize.io/script.js?id=AbC"></script>')
case("credibly", '<script src="https://cdn.credibly.io/widget.js" async></script>')
case("dynamic-yield",
     '<script type="text/javascript" src="//cdn.dynamicyield.com/api/8765432/api_dynamic.js">'
     '</script><script type="text/javascript" src="//cdn.dynamicyield.com/api/8765432/'
     'api_static.js"></script>')
case("exponea", '<script src="https://api.exponea.com/js/exponea.min.js"></script>')
case("fera", '<script src="https://cdn.fera.ai/js/fera.placeholder.js" async></script>')
case("fomo",
     '<script type="text/javascript" src="https://load.fomo.com/api/v1/krbP3iJK9wgkXsld0oDvAA/'
     'load.js" async></script>')
case("freshrelevance",
     '<script src="//dn1i8v75r669j.cloudfront.net/js/trigger/1234/abc.js" async></script>')
case("insider", '<script async src="//acme.api.useinsider.com/ins.js?id=10001234"></script>')
case("leanconvert", '<script src="https://cdn.lc-api.net/lc.js" async></script>')
case("nice-goldendev",
     '<script src="https://nice.goldendev.win/shopify/add-to-cart/shopify-sales-pop.js?'
     'shop=acme.myshopify.com"></script>')
case("notifia", '<script src="https://static.notifia.io/widget.js" data-site="abc"></script>')
case("nudgify", '<script src="https://pixel.nudgify.com/pixel/AbC123" async></script>')
case("proof", '<script src="https://cdn.useproof.com/proof.js?acc=AbC123" async></script>')
case("provely", '<script src="https://s3.amazonaws.com/provely-public/w/provely-2.0.js"></script>')
case("provesource",
     '<script>!function(o,i){window.provesrc&&window.console&&console.error&&console.error('
     '"ProveSource is included twice in this page."),provesrc=window.provesrc={dq:[],'
     "display:function(){this.dq.push(arguments)}},o._provesrcAsyncInit=function(){"
     'provesrc.init({apiKey:i,v:"0.0.4"})};var r=o.document.createElement("script");'
     'r.type="text/javascript",r.async=!0,r.src="https://cdn.provesrc.com/provesrc.js";'
     'var e=o.document.getElementsByTagName("script")[0];e.parentNode.insertBefore(r,e)}'
     '(window,"eyJhbGciOi");</script>')
case("qubit", '<script src="//static.goqubit.com/smartserve-1234.js" async defer></script>')
case("recently", '<script src="https://app.appifiny.io/recently/acme.js" async></script>')
case("taggstar", '<script src="https://cdn.taggstar.com/acme/taggstar.min.js" async></script>')
case("trustpulse",
     "<script type=\"text/javascript\">!function(w,d,s,n,r,a){(w._tpq=w._tpq||[]).push(['init',n]),"
     "(r=d.createElement(s)).type='text/javascript',r.src='https://a.trstplse.com/app/js/"
     "api.min.js',r.async=!0,(a=d.getElementsByTagName(s)[0]).parentNode.insertBefore(r,a)}"
     "(window,document,'script',1234);</script>")
case("vitals", '<script src="https://cdn.getvitals.io/vitals.js" async></script>')
case("yieldify", '<script src="https://td.yieldify.com/yieldify/code.js?yieldify_id=AbC"></script>')


@pytest.mark.parametrize(
    ("vendor", "html", "also"),
    [pytest.param(v, h, a, id=f"{v}-{n}") for n, (v, h, a) in enumerate(CASES)],
)
def test_vendor_embed_is_recognised(vendor: str, html: str, also: frozenset[str]) -> None:
    hits = hits_for(html)
    assert ids_of(hits) == {vendor} | also, [(h.vendor.id, h.kind, h.detail) for h in hits]
    for hit in hits:
        assert hit.page == URL and hit.detail


def test_every_vendor_has_a_case() -> None:
    known = {v.id for v in load_vendors()}
    with_case = {vendor for vendor, _, _ in CASES}
    assert known - with_case == set(), "vendors without a test case"
    assert with_case - known == set(), "cases for unknown vendors"
    assert {a for _, _, also in CASES for a in also} <= known


def test_hits_carry_the_evidence_kind() -> None:
    html = ('<script src="https://js.stripe.com/v3/"></script>'
            '<div class="trustpilot-widget" data-businessunit-id="5a1b"></div>'
            "<script>fbq('init', '123');</script>"
            '<a href="https://wa.me/491701234567">WhatsApp</a>'
            '<img src="https://seal-sanjose.bbb.org/seals/blue-seal-200-42-bbb-1.png" alt="BBB">')
    found = {(h.vendor.id, h.kind, h.detail) for h in hits_for(html)}
    assert found == {
        ("stripe", "script", "https://js.stripe.com/v3/"),
        ("trustpilot", "markup", ".trustpilot-widget"),
        ("trustpilot", "markup", "[data-businessunit-id]"),
        ("meta-pixel", "inline", "fbq"),
        ("whatsapp", "link", "https://wa.me/491701234567"),
        ("bbb", "image", "https://seal-sanjose.bbb.org/seals/blue-seal-200-42-bbb-1.png"),
    }


# ----------------------------------------------------------------------------- traps


def test_facebook_profile_link_is_not_the_pixel() -> None:
    html = ('<a href="https://www.facebook.com/acmeshop">Facebook</a>'
            '<a href="https://www.facebook.com/travelshop.acme">Our travel page</a>'
            '<a href="https://facebook.com/tr.acme">Other page</a>')
    assert hits_for(html) == ()


def test_facebook_social_plugin_sdk_is_not_the_pixel() -> None:
    html = ('<div id="fb-root"></div><script async defer crossorigin="anonymous" '
            'src="https://connect.facebook.net/en_US/sdk.js#xfbml=1&version=v18.0"></script>'
            '<div class="fb-page" data-href="https://www.facebook.com/acmeshop"></div>')
    assert hits_of(html, "tracker") == []


def test_map_links_are_no_vendor() -> None:
    html = ('<a href="https://www.google.com/maps/place/Acme+Bakery/@52.52,13.40,17z">Map</a>'
            '<a href="https://maps.google.com/?q=Acme+Bakery">Directions</a>'
            '<a href="https://goo.gl/maps/AbC123">Find us</a>'
            '<a href="https://g.page/acme-bakery?share">Google</a>'
            '<iframe src="https://www.google.com/maps/embed?pb=!1m18!1m12"></iframe>')
    assert hits_for(html) == ()


def test_theme_secure_checkout_badge_is_not_a_seal() -> None:
    html = ('<img src="https://shop.example/cdn/shop/files/secure-checkout-badge.png" '
            'alt="100% secure checkout - Norton Secured, McAfee SECURE">'
            '<img src="https://cdn.shopify.com/s/files/1/0123/4567/files/trust-badges.png" '
            'alt="Guaranteed safe checkout: Visa, PayPal, TRUSTe">'
            '<img src="/assets/images/ssl-secure-seal.svg" alt="SSL secured">')
    assert hits_of(html, *SEAL_KINDS) == []


def test_yotpo_loyalty_is_not_a_review_app() -> None:
    html = ('<script src="https://cdn-loyalty.yotpo.com/loader/AbC123.js" async></script>'
            '<script src="https://cdn-swell-assets.yotpo.com/app.js" async></script>'
            '<div id="swell-customer-identification" data-authenticated="false"></div>')
    assert hits_of(html, "review-app", "review-platform") == []


def test_okendo_surveys_are_not_reviews() -> None:
    html = '<script src="https://surveys.okendo.io/js/okendo-surveys.js" async></script>'
    assert hits_of(html, "review-app") == []


def test_vendor_legal_pages_linked_from_a_privacy_policy_are_no_hits() -> None:
    html = "".join(f'<a href="{url}">{url}</a>' for url in (
        "https://www.trustpilot.com/legal/privacy-policy-end-user",
        "https://legal.trustpilot.com/end-user-privacy-terms",
        "https://www.cookiebot.com/en/privacy-policy/",
        "https://www.onetrust.com/privacy/",
        "https://usercentrics.com/privacy-policy/",
        "https://www.hotjar.com/legal/policies/privacy/",
        "https://stripe.com/privacy",
        "https://www.paypal.com/de/webapps/mpp/ua/privacy-full",
        "https://www.klarna.com/international/privacy-policy/",
        "https://www.feefo.com/en-GB/privacy",
        "https://www.yotpo.com/privacy-policy/",
        "https://www.bazaarvoice.com/legal/privacy-policy/",
        "https://policies.google.com/privacy",
        "https://www.google.com/intl/en/policies/privacy/",
        "https://www.trustedshops.de/impressum/#datenschutz",
        "https://www.zendesk.com/company/agreements-and-terms/privacy-notice/",
        "https://www.haendlerbund.de/de/ueber-uns",
        "https://www.thuiswinkel.org/consumenten/",
        "https://www.bbb.org/get-accredited",
        "https://www.eprivacy.eu/en/home/",
    ))
    assert [(h.vendor.id, h.detail) for h in hits_for(html)] == []


def test_iubenda_and_termly_hosted_policies_are_not_consent_banners() -> None:
    html = ('<a href="https://www.iubenda.com/privacy-policy/7890123" class="iubenda-white '
            'iubenda-noiframe iubenda-embed" title="Privacy Policy">Privacy Policy</a>'
            '<script type="text/javascript">(function (w,d) {var loader = function () {var s = '
            'd.createElement("script"), tag = d.getElementsByTagName("script")[0]; '
            's.src="https://cdn.iubenda.com/iubenda.js"; tag.parentNode.insertBefore(s,tag);}; '
            'w.addEventListener("load", loader, false);})(window, document);</script>'
            '<script src="https://cdn.iubenda.com/iubenda.js"></script>'
            '<div name="termly-embed" data-id="0b3f5c1e-uuid"></div>'
            '<script src="https://app.termly.io/embed-policy.min.js"></script>'
            '<a href="https://app.termly.io/document/privacy-policy/0b3f5c1e-uuid">Privacy</a>')
    assert hits_of(html, "cmp") == []


def test_words_in_scripts_and_json_ld_are_not_vendor_globals() -> None:
    html = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":'
            '"Organization","name":"Beacon Stripe Trustpilot Shopify Intercom Cookiebot",'
            '"sameAs":["https://www.facebook.com/acme","https://www.trustpilot.com/legal"]}'
            "</script>"
            '<script>var copy = "For clarity, prices include VAT"; var heap = []; '
            "function returnToCmd() {} var sendBeacon = navigator.sendBeacon;</script>"
            '<script type="application/json" data-product-json>{"title":"Video Intercom with '
            'Beacon light","vendor":"Acme","tags":["Trustpilot rated","zE","rdt","ttq"],'
            '"description":"Stripe pattern, Klarna and PayPal accepted"}</script>'
            '<i class="ti-widget"></i><span class="yotpo-badge-placeholder"></span>')
    assert hits_for(html) == ()


def test_fraud_screening_host_is_not_a_trustmark() -> None:
    html = '<form action="https://secure.fia-net.com/pprod/engine/redirect.cgi"></form>' \
           '<a href="https://secure.fia-net.com/fscreener/">Fia-Net</a>'
    assert hits_of(html, *SEAL_KINDS) == []


def test_unverified_entries_are_flagged() -> None:
    flagged = {v.id for v in load_vendors() if not v.verified}
    # Entries from memory stay marked until someone confirms them against real embed code.
    assert {"capterra", "fia-net", "reddit-pixel", "qualaroo"} <= flagged
    assert {"trustpilot", "onetrust", "meta-pixel", "stripe"}.isdisjoint(flagged)


def hits_of(html: str, *kinds: str) -> list[tuple[str, str]]:
    return [(h.vendor.id, h.detail) for h in hits_for(html) if h.vendor.kind in kinds]
