"""Security as a visitor's browser meets it, graded the way the MDN HTTP Observatory grades it.

Transport (HTTPS, the http:// redirect, HSTS), response headers (CSP, nosniff, framing,
Referrer-Policy, Permissions-Policy, software versions), cookies, mixed content, insecure forms,
third-party scripts without integrity hashes and RFC 9116 security.txt.

Each check is a thin wrapper: the judging lives in the submodules (transport, headers,
cookies, content, securitytxt), which compute a ``grading.Graded`` once per snapshot: the
Outcome the check reports and the Observatory result key (``csp-not-implemented`` ...) that sets
its modifier. The category scorer registered at the bottom turns the judged findings into those
modifiers, and the engine (``auditor.scoring``) does the Observatory arithmetic: baseline 100,
bonuses only from 90 up, letters A+ … F.

Sources. What each test looks at: mdn/mdn-http-observatory ``src/analyzer/tests/*.js``
(redirection, strict-transport-security, content-security-policy with ``cspParser.js``,
x-content-type-options, x-frame-options, referrer-policy, cookies, subresource-integrity); the
modifier of each result: its ``src/grader/charts.js`` SCORE_TABLE (MPL-2.0; the numbers are
facts, the descriptions in grading.py are our own words); RFC 9116 for security.txt; the OWASP
Secure Headers Project for Permissions-Policy and version disclosure.

Deviations from the Observatory: the HSTS preload list is not consulted (no +5 for preloaded
hosts); the CORS and CORP tests are not run (0 for nearly every site); cookies, mixed content
and SRI are read on every audited page, not only the start page; ``frame-ancestors *`` does not
count as clickjacking protection. Checks the Observatory does not run carry trustaudit's own
modifiers (source "trustaudit").
"""

from __future__ import annotations

from auditor.check_api import Outcome, check
from auditor.scoring import register_category_scorer
from auditor.site import SiteSnapshot
from checks.security import content, cookies, headers, securitytxt, transport
from checks.security.grading import graded, observatory_modifiers

JUDGED_BY = (transport, headers, cookies, content, securitytxt)  # modules registering judges


@check(
    id="https",
    category="security",
    severity="critical",
    weight=10,
    title="The site is served over HTTPS",
    failure_title="The site is not served over HTTPS",
    fix="Serve every page over HTTPS with a valid certificate and redirect http:// to https://.",
    needs=("http",),
    presence=True,
)
def https(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: the scheme of the start page after redirects, and audited pages that
    still end on http://.
    Why it matters: browsers mark plain-HTTP pages "Not secure", and anything typed into them
    (addresses, card numbers, passwords) can be read on the way.
    How to fix: install a certificate (free from Let's Encrypt), serve every page over HTTPS and
    redirect http:// to https://.
    Traps: a site audited at http://localhost during development is not the production site;
    audit the deployed URL. A certificate error stops the audit before any check runs.
    """
    return graded(site, "https").outcome


@check(
    id="http-to-https",
    category="security",
    severity="high",
    weight=6,
    title="http:// addresses redirect to HTTPS",
    failure_title="http:// addresses do not redirect to HTTPS",
    fix="Answer every http:// request with a 301 to the same host and path on https://.",
    needs=("http",),
)
def http_to_https(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: the answer to the http:// version of the start URL, fetched without
    following redirects, and each hop after it: the first hop should go to https:// on the same
    host (the Observatory's redirection test).
    Why it matters: visitors who type the bare domain, or follow an old link, start on plain
    HTTP; without a redirect they stay there, readable and changeable on the way.
    How to fix: redirect every http:// request with a 301 to the same host on https://, then to
    any other host; add HSTS so browsers skip the http:// step next time.
    Traps: a host that does not answer on http:// at all passes (nothing to land on); a first hop
    to another host passes in browsers but never shows them the host's HSTS header.
    """
    return graded(site, "http-to-https").outcome


@check(
    id="hsts",
    category="security",
    severity="medium",
    weight=4,
    title="The site tells browsers to use HTTPS only (HSTS)",
    failure_title="The site does not make browsers stick to HTTPS (no effective HSTS)",
    fix="Send Strict-Transport-Security: max-age=31536000; includeSubDomains on HTTPS responses.",
    needs=("http",),
)
def hsts(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a Strict-Transport-Security header on the HTTPS start page with a max-age
    of at least six months (15552000 s, the Observatory's threshold); includeSubDomains and
    preload are reported.
    Why it matters: once a browser has seen HSTS it never again sends the first request over
    plain HTTP, which closes the window for SSL-stripping attacks on public Wi-Fi.
    How to fix: send Strict-Transport-Security: max-age=31536000; includeSubDomains from the
    HTTPS site (roll out with a short max-age first), and consider the preload list.
    Traps: the header is ignored on http:// responses; a header sent twice (a comma in the value)
    is invalid; preload-list membership is not looked up, so preloaded hosts get no bonus.
    """
    return graded(site, "hsts").outcome


@check(
    id="csp",
    category="security",
    severity="medium",
    weight=4,
    title="The site restricts where scripts may come from (Content-Security-Policy)",
    failure_title="The site has no effective Content-Security-Policy",
    fix="Send a Content-Security-Policy that names script sources, without 'unsafe-inline' "
        "(use nonces or hashes) and without 'unsafe-eval'.",
    needs=("http",),
)
def csp(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: Content-Security-Policy headers and meta tags of the start page, graded
    like the Observatory: script-src (or default-src) must exist and must not allow
    'unsafe-inline' without a nonce or hash, data:, *, or whole schemes; object-src must be
    restricted; no http:// sources on an HTTPS page; no 'unsafe-eval'.
    Why it matters: a policy that only allows the site's own scripts stops injected code, such
    as card skimmers, from running or sending data away (PCI DSS 6.4.3).
    How to fix: start with Content-Security-Policy-Report-Only, list the script hosts you use,
    move inline scripts to files or give them nonces, then enforce the policy.
    Traps: Content-Security-Policy-Report-Only blocks nothing and does not count; a meta-tag
    policy cannot set frame-ancestors; 'unsafe-inline' is ignored by browsers when a nonce or
    hash is present, so it is not held against the site then.
    """
    return graded(site, "csp").outcome


@check(
    id="x-content-type-options",
    category="security",
    severity="low",
    weight=2,
    title="The site stops browsers from guessing file types (nosniff)",
    failure_title="The site lets browsers guess file types (no X-Content-Type-Options: nosniff)",
    fix="Send X-Content-Type-Options: nosniff with every response.",
    needs=("http",),
)
def x_content_type_options(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: X-Content-Type-Options: nosniff on the start page's response.
    Why it matters: without it a browser may run an uploaded file or a mislabelled response as a
    script or stylesheet.
    How to fix: send X-Content-Type-Options: nosniff from the web server or CDN on every response.
    Traps: only the exact value nosniff counts; the header has to be on the response itself (a
    meta tag does nothing).
    """
    return graded(site, "x-content-type-options").outcome


@check(
    id="clickjacking",
    category="security",
    severity="low",
    weight=2,
    title="Other sites cannot show the site in a frame",
    failure_title="Other sites can show the site in a frame (clickjacking)",
    fix="Send Content-Security-Policy: frame-ancestors 'self' (or X-Frame-Options: SAMEORIGIN).",
    needs=("http",),
)
def clickjacking(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: X-Frame-Options DENY or SAMEORIGIN, or a frame-ancestors directive in a
    Content-Security-Policy header of the start page.
    Why it matters: a page that any site may frame can be overlaid with a decoy, so visitors
    click buttons (buy, delete, allow) they cannot see.
    How to fix: send Content-Security-Policy: frame-ancestors 'self' (list partners that may
    embed you), or X-Frame-Options: SAMEORIGIN for old browsers.
    Traps: frame-ancestors in a meta tag is ignored by browsers; frame-ancestors * protects
    nothing; ALLOW-FROM is obsolete (the Observatory still scores it 0, the check fails it).
    """
    return graded(site, "clickjacking").outcome


@check(
    id="referrer-policy",
    category="security",
    severity="low",
    weight=2,
    title="The site keeps visitors' page addresses from other sites (Referrer-Policy)",
    failure_title="The site sets no safe Referrer-Policy",
    fix="Send Referrer-Policy: strict-origin-when-cross-origin (or stricter).",
    needs=("http",),
)
def referrer_policy(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a Referrer-Policy header (or meta name=referrer) on the start page with
    no-referrer, same-origin, strict-origin or strict-origin-when-cross-origin.
    Why it matters: full page addresses sent to third parties can carry search terms, order
    numbers or reset tokens.
    How to fix: send Referrer-Policy: strict-origin-when-cross-origin, or stricter.
    Traps: without the header current browsers already apply strict-origin-when-cross-origin,
    so the Observatory scores a missing header 0; unsafe-url, origin, origin-when-cross-origin and
    no-referrer-when-downgrade fail; with several values the last valid one counts.
    """
    return graded(site, "referrer-policy").outcome


@check(
    id="permissions-policy",
    category="security",
    severity="info",
    weight=1,
    title="The site limits the browser features its pages may use (Permissions-Policy)",
    failure_title="The site sets no Permissions-Policy",
    fix="Send a Permissions-Policy that turns off what you do not use, e.g. "
        "camera=(), microphone=(), geolocation=().",
    needs=("http",),
)
def permissions_policy(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a non-empty Permissions-Policy header (or the older Feature-Policy) on the
    start page.
    Why it matters: it keeps injected or embedded scripts from using the camera, microphone,
    location or payment features the site never needs.
    How to fix: send Permissions-Policy: camera=(), microphone=(), geolocation=() and add what
    your pages really use.
    Traps: the Observatory does not grade this header (OWASP recommends it), so it carries no
    modifier.
    """
    return graded(site, "permissions-policy").outcome


@check(
    id="server-version-disclosure",
    category="security",
    severity="low",
    weight=1,
    title="Response headers do not reveal software versions",
    failure_title="Response headers reveal software versions",
    fix="Hide version numbers: server_tokens off (nginx), ServerTokens Prod (Apache), "
        "expose_php = Off (PHP), and drop X-AspNet-Version.",
    needs=("http",),
    presence=True,
)
def server_version_disclosure(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: version numbers in the Server, X-Powered-By, X-AspNet-Version and
    X-AspNetMvc-Version headers of the audited pages (nginx/1.18.0, PHP/7.4.3, 4.0.30319).
    Why it matters: an exact version tells an attacker which published vulnerabilities to try,
    and an old one hints that nothing is patched.
    How to fix: turn version tokens off in the web server and language runtime (server_tokens
    off, ServerTokens Prod, expose_php = Off) and remove X-AspNet-Version.
    Traps: a product name without a version (Server: nginx, cloudflare) is fine; opaque build
    ids such as "ECS (dcb/7F84)" are not versions; fixed identifiers of managed services
    (awselb/2.0, Microsoft-HTTPAPI/2.0) reveal nothing the site could patch.
    """
    return graded(site, "server-version-disclosure").outcome


@check(
    id="cookie-flags",
    category="security",
    severity="medium",
    weight=5,
    title="The site's cookies are Secure, and session cookies HttpOnly",
    failure_title="The site sets cookies without protective flags",
    fix="Set cookies with Secure and SameSite=Lax (or Strict); add HttpOnly to session cookies.",
    needs=("http",),
    presence=False,
)
def cookie_flags(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: every Set-Cookie header of the audited pages: Secure on all cookies (or
    at least HSTS in front of them), HttpOnly on session-like cookies (names with sess, login,
    sid), SameSite Lax/Strict (or None with Secure), SameSite on anti-CSRF cookies.
    Why it matters: a session cookie without Secure travels over plain HTTP, and one without
    HttpOnly can be read by any injected script: both hand over the visitor's account.
    How to fix: set Secure and SameSite=Lax on every cookie, HttpOnly on session cookies, and
    serve the site with HSTS.
    Traps: cookies set by JavaScript (analytics, consent) never appear in headers and are not
    judged; anti-CSRF cookies read by scripts may rightly lack HttpOnly; values are never shown.
    """
    return graded(site, "cookie-flags").outcome


@check(
    id="mixed-content",
    category="security",
    severity="high",
    weight=6,
    title="HTTPS pages load their scripts, frames and forms over HTTPS",
    failure_title="HTTPS pages load scripts, frames or forms over plain HTTP",
    fix="Load every script, frame, stylesheet and form target over https:// (or send "
        "Content-Security-Policy: upgrade-insecure-requests).",
)
def mixed_content(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: http:// URLs in script src, iframe src and form action (active mixed
    content) and img src (passive) on pages served over HTTPS; in folder mode, on pages whose
    production URL is https://.
    Why it matters: one script loaded over plain HTTP lets anyone on the network rewrite the
    whole page; browsers block active mixed content, so the feature it serves simply breaks.
    How to fix: change the URLs to https:// (or protocol-relative), host the files yourself, or
    send Content-Security-Policy: upgrade-insecure-requests.
    Traps: plain links (<a href="http://...">) are navigation, not mixed content; protocol-relative
    URLs are fine; pages with upgrade-insecure-requests pass (in folder mode only a meta tag
    can say so); images alone pass with a note (browsers upgrade them); stylesheets are not
    extracted yet.
    """
    return graded(site, "mixed-content").outcome


@check(
    id="insecure-form",
    category="security",
    severity="critical",
    weight=10,
    title="No form sends data over plain HTTP",
    failure_title="Forms send data over plain HTTP",
    fix="Serve forms over HTTPS and point every form action at an https:// address.",
)
def insecure_form(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: forms on HTTPS pages whose action is an http:// address, and forms with
    password or card fields (cc-number, cvc, iban ...) that are submitted over plain HTTP.
    Why it matters: whatever is typed into such a form, a password or a card number, crosses
    the network readable by anyone in between; browsers warn before sending it.
    How to fix: serve the page over HTTPS and make every form action https://, including
    newsletter and search forms posting to other services.
    Traps: a search form on a site that is plain HTTP throughout is not counted (the https
    check covers it); an empty action posts to the page's own (HTTPS) address; the scheme of a
    folder audit comes from --site-url.
    """
    return graded(site, "insecure-form").outcome


@check(
    id="subresource-integrity",
    category="security",
    severity="low",
    weight=2,
    title="Third-party scripts are pinned with integrity hashes",
    failure_title="Third-party scripts load without integrity hashes",
    fix="Add integrity=\"sha384-…\" and crossorigin=\"anonymous\" to script tags that load "
        "fixed files from other domains (CDN libraries).",
    presence=False,
)
def subresource_integrity(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: <script src> elements that load from another registrable domain, and
    whether they carry an integrity hash (sha256/384/512) and load over https:// (the
    Observatory's subresource-integrity test, on every audited page).
    Why it matters: a hash pins the exact file, so a hacked CDN or vendor cannot swap in a card
    skimmer (one of the controls for PCI DSS 6.4.3).
    How to fix: add integrity and crossorigin="anonymous" to CDN libraries with fixed versions;
    self-host the files you cannot pin.
    Traps: vendor scripts that change without notice (analytics, chat, tag managers) cannot use
    SRI, so the check is low severity; scripts from the site's own domain or subdomains need no
    hash; an http:// third-party script is the worst case (-50 in the Observatory).
    """
    return graded(site, "subresource-integrity").outcome


@check(
    id="security-txt",
    category="security",
    severity="low",
    weight=3,
    title="The site tells security researchers how to reach it (security.txt)",
    failure_title="The site publishes no valid security.txt",
    fix="Publish /.well-known/security.txt (text/plain, over HTTPS) with a Contact: address and "
        "an Expires: date less than a year ahead.",
    scope=("saas",),
)
def security_txt(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: /.well-known/security.txt (or the legacy /security.txt) served as
    text/plain over HTTPS, with at least one Contact: (mailto:, https: or tel:) and exactly one
    Expires: date that is not past on the audit date (RFC 9116); in folder mode the file in the
    build folder.
    Why it matters: people who find a vulnerability know where to report it instead of posting
    it publicly, a sign of a mature security practice that B2B buyers look for.
    How to fix: generate one (securitytxt.org), put it at /.well-known/security.txt, and renew
    Expires before it passes.
    Traps: a 200 answer with an HTML page (soft 404) is not a security.txt; an expired file
    fails; signed files are unwrapped before parsing; a build folder without the file is
    unknown (the server or CDN may add it); only SaaS sites are expected to have one.
    """
    return graded(site, "security-txt").outcome


register_category_scorer("security", observatory_modifiers)
