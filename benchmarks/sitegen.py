"""Deterministic synthetic company sites for the crawl benchmark.

A site of N pages looks like a small shop on a hosted theme: every page has a header with a
logo, a navigation menu, inline SVG icons and a search form; a main part with a breadcrumb, a
heading, paragraphs and a grid of product cards; a footer with policy links (privacy, terms,
returns, shipping, imprint, contact), a newsletter form, an address, payment icons and a
copyright line. Pages weigh 30-50 KB, hold 20-40 distinct internal links and are all reachable
from the home page by links alone (checked when the site is written). robots.txt disallows the
cart and names the sitemap; sitemap.xml lists every page. Both name the origin the site is
served at, so they are written per run by :func:`write_site_meta`; the pages themselves use
root-relative links only and are written once per (N, seed) into a cache folder.

The same N and seed give byte-identical files: each page draws from its own
``random.Random(f"{seed}:{index}")``, so nothing depends on generation order.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
from collections import deque
from dataclasses import dataclass
from pathlib import Path

#: Bumped whenever the generated files change, so cached sites are rebuilt.
GENERATOR_VERSION = 3
DEFAULT_SEED = 20240611
MIN_PAGE_BYTES = 30 * 1024
MAX_PAGE_BYTES = 50 * 1024
COMPANY = "Northwind Outfitters"

INFO_PAGES = (
    ("about", "About us"), ("contact", "Contact us"), ("privacy-policy", "Privacy policy"),
    ("terms", "Terms of service"), ("returns", "Returns and refunds"),
    ("shipping", "Shipping policy"), ("impressum", "Imprint"),
    ("faq", "Frequently asked questions"),
    ("reviews", "Customer reviews"), ("careers", "Careers"),
)
FOOTER_LINKS = (
    ("/about/", "About us"), ("/contact/", "Contact"), ("/privacy-policy/", "Privacy policy"),
    ("/terms/", "Terms of service"), ("/returns/", "Returns & refunds"),
    ("/shipping/", "Shipping"), ("/impressum/", "Imprint"), ("/faq/", "FAQ"),
    ("/reviews/", "Reviews"), ("/careers/", "Careers"),
)
_WORD_LIST = (
    "outdoor trail waterproof jacket lightweight merino wool layer breathable summit alpine "
    "hiking boots leather sole grip weather season canvas pack strap buckle zipper pocket "
    "insulated down fleece thermal comfort durable recycled fabric organic cotton stitched "
    "handmade workshop family business since founded quality tested guarantee repair service "
    "customers journey mountain river forest coast camping tent sleeping bag stove lantern "
    "compass map route weekend adventure explore warm dry fit size guide colour natural "
    "sustainable sourcing partner mill factory craft detail design team story values care "
    "washing instructions gentle cycle cold water dry flat iron low heat storage simple "
    "everyday travel commute city rain wind snow sun protection collar cuff hood adjustable "
    "length sleeve shoulder chest waist hip inseam measure order delivery free over days "
    "return exchange refund policy support email phone chat hours weekday question answer "
    "review rating stars verified buyer recommend friend gift card newsletter discount offer"
)
WORDS = tuple(_WORD_LIST.split())
COLLECTION_NAMES = (
    "Jackets", "Boots", "Backpacks", "Knitwear", "Base layers", "Tents", "Sleeping bags",
    "Accessories", "Trousers", "Shirts", "Socks", "Hats", "Gloves", "Stoves", "Lanterns",
)
ICON_PATHS = (
    "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16z",
    "M21 21l-4.35-4.35M11 19a8 8 0 1 1 0-16 8 8 0 0 1 0 16z",
    "M3 3h2l.4 2M7 13h10l4-8H5.4M7 13L5.4 5M7 13l-2.3 2.3c-.6.6-.2 1.7.7 1.7H17",
    "M20 21v-2a4 4 0 0 0-4-4H8a4 4 0 0 0-4 4v2M12 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z",
)
PAYMENT_METHODS = ("Visa", "Mastercard", "American Express", "PayPal", "Apple Pay", "Klarna")


@dataclass(frozen=True, slots=True)
class SitePage:
    """One page of the plan: its path (always ending in "/"), kind and title."""

    path: str
    kind: str  # home, info, collection, blog, product
    title: str


@dataclass(frozen=True, slots=True)
class GeneratedSite:
    """A generated site on disk: the folder, its pages' paths (sorted), total bytes."""

    root: Path
    pages: tuple[str, ...]
    total_bytes: int
    max_depth: int  # link depth of the deepest page from the home page


def plan(n: int) -> list[SitePage]:
    """The N pages of a site: home, info pages, collections, blog posts, then products."""
    if n < 50:
        raise ValueError("a benchmark site has at least 50 pages")
    pages = [SitePage("/", "home", f"{COMPANY} – outdoor clothing and gear")]
    pages += [SitePage(f"/{slug}/", "info", title) for slug, title in INFO_PAGES]
    collections = max(5, n // 50)
    blog = max(5, n // 10)
    for i in range(collections):
        name = COLLECTION_NAMES[i % len(COLLECTION_NAMES)]
        pages.append(SitePage(f"/collections/c{i:04d}/", "collection", f"{name} {i // 15 + 1}"))
    for i in range(blog):
        pages.append(SitePage(f"/blog/post-{i:05d}/", "blog", f"Journal entry {i + 1}"))
    i = 0
    while len(pages) < n:
        pages.append(SitePage(f"/products/p{i:06d}/", "product", f"Product {i + 1}"))
        i += 1
    return pages[:n]


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _sentence(rng: random.Random) -> str:
    text = _words(rng, rng.randint(8, 18))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))


def _icon(index: int, label: str) -> str:
    path = ICON_PATHS[index % len(ICON_PATHS)]
    return (f'<svg class="icon icon--{index}" aria-hidden="true" focusable="false" '
            f'viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" '
            f'stroke-width="1.5"><title>{label}</title><path d="{path}"/></svg>')


def _links(rng: random.Random, index: int, pages: list[SitePage], fixed: int) -> list[int]:
    """Page indexes this page links to in its body: the next page (so every page is reachable),
    its collection for products, and random others, so the page has 20-40 internal links."""
    n = len(pages)
    wanted = rng.randint(20, 40) - fixed
    chosen: dict[int, None] = {}
    chosen[(index + 1) % n] = None
    while len(chosen) < max(1, wanted):
        other = rng.randrange(n)
        if other != index:
            chosen[other] = None
    return list(chosen)


def _header(nav: list[SitePage]) -> str:
    items = "".join(
        f'<li class="site-nav__item"><a class="site-nav__link link--animated" '
        f'href="{p.path}" data-menu-item="{i}">{p.title}</a></li>' for i, p in enumerate(nav)
    )
    return (
        '<div class="announcement-bar" role="region" aria-label="Announcement">'
        '<p class="announcement-bar__message">Free shipping on orders over €75 – '
        'free returns within 30 days</p></div>\n'
        '<header class="site-header" id="shopify-section-header">'
        '<div class="header__inner page-width">'
        f'<a href="/" class="header__logo"><img src="/assets/logo.png" alt="{COMPANY}" '
        'width="180" height="40" class="header__logo-image"></a>'
        f'<nav class="site-nav" aria-label="Main"><ul class="site-nav__list">{items}</ul></nav>'
        '<div class="header__icons">'
        f'<a href="/cart" class="header__icon header__icon--cart">{_icon(2, "Cart")}'
        '<span class="visually-hidden">Cart</span></a>'
        f'<a href="/account/" class="header__icon">{_icon(3, "Account")}'
        '<span class="visually-hidden">Account</span></a>'
        '<form action="/search" method="get" role="search" class="search-form">'
        '<label for="Search" class="visually-hidden">Search</label>'
        '<input type="search" id="Search" name="q" placeholder="Search our store">'
        f'<button type="submit" class="search-form__submit">{_icon(1, "Search")}</button>'
        '</form></div></div></header>\n'
    )


def _footer(year: int) -> str:
    policy = "".join(f'<li class="footer-menu__item"><a href="{href}" class="link">{text}</a></li>'
                     for href, text in FOOTER_LINKS)
    payments = "".join(
        f'<li class="list-payment__item"><img src="/assets/pay-{i}.svg" alt="{name}" '
        f'width="38" height="24" loading="lazy" class="icon--payment"></li>'
        for i, name in enumerate(PAYMENT_METHODS)
    )
    return (
        '<footer class="site-footer" id="shopify-section-footer">'
        '<div class="footer__content-top page-width"><div class="footer-block grid__item">'
        '<h2 class="footer-block__heading">Customer service</h2>'
        f'<ul class="footer-menu list-unstyled">{policy}</ul></div>'
        '<div class="footer-block footer-block--newsletter">'
        '<h2 class="footer-block__heading">Join our newsletter</h2>'
        '<form method="post" action="/contact#newsletter" class="newsletter-form">'
        '<input type="hidden" name="form_type" value="customer">'
        '<label for="NewsletterEmail">Email</label>'
        '<input id="NewsletterEmail" type="email" name="contact[email]" required '
        'placeholder="you@example.com" autocomplete="email">'
        '<button type="submit" class="button">Subscribe</button></form></div>'
        '<div class="footer-block footer-block--address"><address>'
        f'{COMPANY} GmbH<br>Bergstraße 12<br>80331 München<br>Germany<br>'
        'Phone: <a href="tel:+498912345678">+49 89 1234 5678</a><br>'
        'Email: <a href="mailto:hello@northwind-outfitters.example">'
        'hello@northwind-outfitters.example</a></address></div></div>'
        '<div class="footer__content-bottom page-width">'
        f'<ul class="list-payment" role="list">{payments}</ul>'
        f'<p class="copyright__content">© {year} {COMPANY} GmbH. All rights reserved.</p>'
        '</div></footer>\n'
    )


def _card(rng: random.Random, page: SitePage, number: int) -> str:
    price = f"€{rng.randint(9, 480)}.{rng.choice(('00', '50', '95', '99'))}"
    image = f"/assets/products/{number % 40:02d}.jpg"
    return (
        '<li class="grid__item"><div class="card-wrapper product-card-wrapper '
        'underline-links-hover">'
        '<div class="card card--standard card--media" style="--ratio-percent: 125%;">'
        '<div class="card__inner color-background-2 gradient ratio">'
        f'<div class="card__media"><div class="media media--transparent media--hover-effect">'
        f'<img src="{image}" alt="{page.title}" width="533" height="666" loading="lazy" '
        'class="motion-reduce" sizes="(min-width: 1200px) 267px, 50vw"></div></div></div>'
        '<div class="card__content"><div class="card__information">'
        f'<h3 class="card__heading h5"><a href="{page.path}" class="full-unstyled-link">'
        f'{page.title}</a></h3><div class="card-information">'
        f'<span class="caption-large light">{_words(rng, 6)}</span>'
        '<div class="price"><div class="price__container"><div class="price__regular">'
        '<span class="visually-hidden">Regular price</span>'
        f'<span class="price-item price-item--regular">{price}</span></div></div></div>'
        '</div></div></div></div></div></li>'
    )


def render_page(seed: int, index: int, pages: list[SitePage], body_links: list[int],
                rng: random.Random) -> str:
    """The HTML of one page (between MIN_PAGE_BYTES and MAX_PAGE_BYTES)."""
    page = pages[index]
    nav = [p for p in pages if p.kind == "collection"][:8]
    target = rng.randint(MIN_PAGE_BYTES + 1024, MAX_PAGE_BYTES - 2048)
    head = (
        '<!doctype html>\n<html lang="en" class="no-js">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f'<title>{page.title} – {COMPANY}</title>\n'
        f'<meta name="description" content="{_sentence(rng)}">\n'
        f'<meta property="og:title" content="{page.title}">\n'
        f'<meta property="og:site_name" content="{COMPANY}">\n'
        f'<link rel="canonical" href="{page.path}">\n'
        '<link rel="icon" type="image/png" href="/assets/favicon.png">\n'
        '<link rel="stylesheet" href="/assets/base.css" media="all">\n'
        '<script type="application/ld+json">'
        + json.dumps({"@context": "https://schema.org", "@type": "Organization", "name": COMPANY,
                      "url": "/", "logo": "/assets/logo.png",
                      "sameAs": ["https://social.example/northwind"]}, sort_keys=True)
        + '</script>\n<script>window.theme = window.theme || {}; theme.settings = '
        + json.dumps({"cartType": "drawer", "moneyFormat": "€{{amount}}", "seed": seed,
                      "page": index}, sort_keys=True)
        + ';</script>\n<script src="/assets/theme.js" defer="defer"></script>\n</head>\n'
        f'<body class="template-{page.kind} gradient">\n'
        '<a class="skip-to-content-link button visually-hidden" href="#MainContent">'
        'Skip to content</a>\n'
    )
    crumbs = (
        '<nav class="breadcrumbs" aria-label="Breadcrumb"><ol class="breadcrumbs__list">'
        '<li class="breadcrumbs__item"><a href="/">Home</a></li>'
        f'<li class="breadcrumbs__item"><span aria-current="page">{page.title}</span></li>'
        '</ol></nav>'
    )
    main_open = (f'<main id="MainContent" class="content-for-layout" role="main">{crumbs}'
                 f'<div class="page-width"><h1 class="main-page-title">{page.title}</h1>'
                 '<div class="rte">')
    tail = _footer(2024) + ('<script src="/assets/cart.js" defer></script>\n'
                            '</body>\n</html>\n')
    parts = [head, _header(nav), main_open]
    size = sum(len(p.encode()) for p in parts) + len(tail.encode())
    for _ in range(3):
        paragraph = f"<p>{_paragraph(rng)}</p>"
        parts.append(paragraph)
        size += len(paragraph.encode())
    parts.append('</div><h2 class="title">You may also like</h2>'
                 '<ul class="grid product-grid grid--4-col-desktop" role="list">')
    for number, other in enumerate(body_links):
        card = _card(rng, pages[other], number)
        parts.append(card)
        size += len(card.encode())
    parts.append("</ul>")
    # Fill up to the page's size as themes do: text sections, each with the JSON data and the
    # decorative SVG a theme section carries (about a quarter of the bytes is visible text).
    while size < target - 600:
        variants = [{"id": rng.randrange(10**12), "title": _words(rng, 2), "price": rng.randrange(
            900, 48000), "available": rng.random() < 0.8, "sku": f"NW-{rng.randrange(10**6):06d}",
            "barcode": f"{rng.randrange(10**12):013d}", "option1": rng.choice(("S", "M", "L")),
            "option2": rng.choice(("Navy", "Olive", "Sand", "Black"))} for _ in range(5)]
        section = (f'<section class="rich-text section-{rng.randrange(10**8)}-padding '
                   'color-background-1 gradient isolate" data-section-type="rich-text">'
                   '<div class="rich-text__wrapper rich-text__wrapper--center page-width">'
                   '<div class="rich-text__blocks center">'
                   f'<h2 class="rich-text__heading rte inline-richtext h2">'
                   f'{_words(rng, 3).title()}</h2><div class="rich-text__text rte">'
                   f'<p>{_paragraph(rng)}</p></div></div></div>'
                   f'<svg class="section-divider" aria-hidden="true" viewBox="0 0 1200 40" '
                   f'preserveAspectRatio="none"><path d="{ICON_PATHS[0]} {ICON_PATHS[2]}" '
                   f'fill="currentColor"/></svg><script type="application/json" '
                   f'data-section-data>{json.dumps(variants, sort_keys=True)}</script></section>')
        if size + len(section.encode()) > target:
            break
        parts.append(section)
        size += len(section.encode())
    parts.append("</div></main>\n")
    parts.append(tail)
    return "".join(parts)


def _fingerprint(n: int, seed: int) -> str:
    return hashlib.sha256(f"{GENERATOR_VERSION}:{n}:{seed}".encode()).hexdigest()[:16]


def _depths(adjacency: list[list[int]]) -> list[int]:
    depth = [-1] * len(adjacency)
    depth[0] = 0
    queue = deque([0])
    while queue:
        node = queue.popleft()
        for other in adjacency[node]:
            if depth[other] < 0:
                depth[other] = depth[node] + 1
                queue.append(other)
    return depth


def generate(n: int, root: Path, seed: int = DEFAULT_SEED) -> GeneratedSite:
    """Write the N pages and assets of a site under ``root`` (replaced if it holds another)."""
    pages = plan(n)
    stamp = root / ".sitegen.json"
    if stamp.is_file():
        meta = json.loads(stamp.read_text("utf-8"))
        if meta.get("fingerprint") == _fingerprint(n, seed):
            return GeneratedSite(root, tuple(meta["pages"]), meta["bytes"], meta["max_depth"])
    if root.exists():
        shutil.rmtree(root)
    tmp = root.with_name(root.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    fixed_paths = {p.path for p in [p for p in pages if p.kind == "collection"][:8]}
    fixed_paths |= {"/", "/account/", "/cart"} | {href for href, _ in FOOTER_LINKS}
    index_of = {p.path: i for i, p in enumerate(pages)}
    adjacency: list[list[int]] = []
    total = 0
    for index, page in enumerate(pages):
        rng = random.Random(f"{seed}:{index}")
        body = _links(rng, index, pages, len(fixed_paths))
        html = render_page(seed, index, pages, body, rng)
        folder = tmp / page.path.strip("/")
        folder.mkdir(parents=True, exist_ok=True)
        data = html.encode("utf-8")
        (folder / "index.html").write_bytes(data)
        total += len(data)
        adjacency.append(body + [index_of[p] for p in fixed_paths if p in index_of])
    _write_assets(tmp / "assets")
    depths = _depths(adjacency)
    if min(depths) < 0:
        raise RuntimeError("generated site has pages unreachable by links")
    paths = tuple(sorted(p.path for p in pages))
    stamp_data = {"fingerprint": _fingerprint(n, seed), "pages": list(paths), "bytes": total,
                  "max_depth": max(depths), "n": n, "seed": seed}
    (tmp / ".sitegen.json").write_text(json.dumps(stamp_data, sort_keys=True) + "\n", "utf-8")
    os.rename(tmp, root)
    return GeneratedSite(root, paths, total, max(depths))


def _write_assets(folder: Path) -> None:
    """Small real files for the images, styles and scripts the pages reference."""
    (folder / "products").mkdir(parents=True)
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
    for name in ("logo.png", "favicon.png"):
        (folder / name).write_bytes(png)
    for i in range(40):
        (folder / "products" / f"{i:02d}.jpg").write_bytes(png)  # status-only: content is moot
    for i in range(len(PAYMENT_METHODS)):
        (folder / f"pay-{i}.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="38" height="24"/>\n', "utf-8")
    (folder / "base.css").write_text("body{margin:0;font-family:sans-serif}\n", "utf-8")
    (folder / "theme.js").write_text("window.theme=window.theme||{};\n", "utf-8")
    (folder / "cart.js").write_text("/* cart */\n", "utf-8")


def write_site_meta(site: GeneratedSite, origin: str) -> None:
    """robots.txt and sitemap.xml for the origin the site is served at (``http://host:port``)."""
    origin = origin.rstrip("/")
    (site.root / "robots.txt").write_text(
        "User-agent: *\nDisallow: /cart\nDisallow: /search\nDisallow: /account/\n\n"
        f"Sitemap: {origin}/sitemap.xml\n", "utf-8")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{origin}{path}</loc></url>" for path in site.pages]
    lines.append("</urlset>")
    (site.root / "sitemap.xml").write_text("\n".join(lines) + "\n", "utf-8")


def cache_dir() -> Path:
    """Where generated sites live: $TRUSTAUDIT_BENCH_CACHE, else ~/.cache/trustaudit-bench."""
    env = os.environ.get("TRUSTAUDIT_BENCH_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "trustaudit-bench"


def site_for(n: int, seed: int = DEFAULT_SEED) -> GeneratedSite:
    """The cached site of N pages (generated on first use)."""
    return generate(n, cache_dir() / f"site-{n}-{seed}", seed)


if __name__ == "__main__":  # pragma: no cover - a quick look: python -m benchmarks.sitegen 2000
    import sys

    built = site_for(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
    print(f"{built.root}: {len(built.pages)} pages, {built.total_bytes / 1e6:.1f} MB, "
          f"max link depth {built.max_depth}")
