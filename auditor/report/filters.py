"""Jinja2 filters and file-name helpers of the report site: the one place that vets report data.

Audited pages are written by strangers, so every URL that becomes an ``href`` passes through
:func:`safe_href` (http and https only), and every file name derived from report data (check ids,
page URLs, category ids) comes from these helpers, never from the raw string.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "pass": ("✓", "Pass"),
    "fail": ("✗", "Fail"),
    "unknown": ("?", "Unknown"),
    "not-applicable": ("–", "Not applicable"),
    "error": ("!", "Error"),
}
STATUS_ORDER: tuple[str, ...] = ("fail", "error", "unknown", "pass", "not-applicable")
SEVERITY_ORDER: dict[str, int] = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
KIND_LABELS: dict[str, str] = {
    "link": "Link",
    "text": "Text",
    "header": "HTTP header",
    "jsonld": "JSON-LD",
    "microdata": "Microdata",
    "script": "Script",
    "iframe": "Iframe",
    "image": "Image",
    "form": "Form",
    "meta": "Meta tag",
    "page": "Page",
    "searched": "Searched",
}
#: Folder mode without --site-url names pages under this reserved origin: never linked.
PLACEHOLDER_HOST = "site.invalid"
SOURCE_LABELS: dict[str, str] = {
    "start": "start URL",
    "link": "followed link",
    "sitemap": "sitemap",
    "probe": "probe of a common path",
    "resource": "image (status only)",
}

# Browsers drop ASCII tab and newline anywhere in a URL and strip C0 controls and spaces at both
# ends; anything else that is a control character makes us refuse the URL outright.
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UNSAFE_NAME = re.compile(r"[^a-z0-9_-]+")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
NAME_MAX = 80


def safe_href(url: object) -> str:
    """The URL to put in an ``href`` when it is an absolute http(s) URL, else ``""``."""
    if not isinstance(url, str):
        return ""
    cleaned = _TAB_NEWLINE.sub("", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
                                              "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
                                              "\x1a\x1b\x1c\x1d\x1e\x1f ")
    if not cleaned or _CONTROL.search(cleaned):
        return ""
    try:
        parts = urlsplit(cleaned)
    except ValueError:  # e.g. an invalid IPv6 literal
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return cleaned


def live_href(url: object) -> str:
    """:func:`safe_href`, except for the placeholder origin of folder audits (not a real site)."""
    href = safe_href(url)
    if href and (urlsplit(href).hostname or "").lower() == PLACEHOLDER_HOST:
        return ""
    return href


def short_url(url: str, origin: str) -> str:
    """``url`` without ``origin`` (``https://shop.example/a?b`` -> ``/a?b``) when it is on it."""
    if origin and url.startswith(origin):
        rest = url[len(origin):]
        if not rest:
            return "/"
        if rest[0] in "/?#":
            return rest
    return url


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an http(s) URL, else ``""``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def kind_label(kind: str) -> str:
    """What kind of evidence, in words ("JSON-LD", "HTTP header")."""
    return KIND_LABELS.get(kind, kind)


def capfirst(text: str) -> str:
    """Doc text starts lower-case in the catalogue; a paragraph starts with a capital."""
    return text[:1].upper() + text[1:] if text else text


def started_text(started: str) -> str:
    """An ISO 8601 start time as ``2025-01-02 03:04 UTC`` (unchanged when it is not one)."""
    try:
        when = datetime.fromisoformat(started.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return str(started)
    if when.utcoffset() is None:
        return when.strftime("%Y-%m-%d %H:%M")
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def duration_text(seconds: object) -> str:
    """12.345 -> "12.3 s"; 192 -> "3 min 12 s"; "" when not a number."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
        return ""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def script_json(data: Any) -> str:
    """JSON to embed in a script: ``<``, ``>``, ``&``, quotes and line separators escaped, so
    no value can end the script or start markup wherever the text is placed."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("'", "\\u0027"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def status_label(status: str) -> str:
    """The word of a status ("Fail"), so no verdict is shown by colour alone."""
    return STATUS_LABELS.get(status, ("", status))[1]


def status_symbol(status: str) -> str:
    return STATUS_LABELS.get(status, ("•", status))[0]


def found_label(found: bool | None) -> str:
    """``found`` as a user reads it: yes, no, or an em dash when it could not tell."""
    if found is None:
        return "—"
    return "yes" if found else "no"


def found_class(found: bool | None) -> str:
    """A CSS class word for ``found``: yes, no or none."""
    return "none" if found is None else ("yes" if found else "no")


def percent(fraction: float) -> str:
    """0.8234 -> "82%" (rounded the same way as the command-line summary)."""
    return f"{round(fraction * 100)}%"


def score_text(value: int | None) -> str:
    return "—" if value is None else str(value)


def paragraphs(text: str) -> list[str]:
    """Split doc text on blank lines; each paragraph is rendered (escaped) in its own ``<p>``."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def url_digest(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


def _safe_stem(raw: str, fallback: str) -> str:
    stem = _UNSAFE_NAME.sub("-", raw.lower().replace(":", "--")).strip("-")
    if len(stem) > NAME_MAX:
        stem = stem[:NAME_MAX].rstrip("-")
    if not stem or stem in _WINDOWS_RESERVED:
        stem = f"{fallback}-{stem}" if stem else fallback
    return stem


def assign_names(keys: Iterable[str], fallback: str) -> dict[str, str]:
    """Safe, unique (also on case-insensitive disks) file stems for ids, assigned in sorted order.

    ``acme:returns-window`` becomes ``acme--returns-window``; a stem that is already taken, was
    shortened, or had characters replaced gets a short hash of the id, so names never collide.
    """
    names: dict[str, str] = {}
    used: set[str] = set()
    for key in sorted(set(keys)):
        stem = _safe_stem(key, fallback)
        if stem in used or stem != key.replace(":", "--"):
            stem = f"{stem}-{url_digest(key)[:8]}"
        while stem in used:  # astronomically unlikely: lengthen the hash
            stem = f"{stem}-{url_digest(stem)[:8]}"
        used.add(stem)
        names[key] = stem
    return names


def page_names(urls: Iterable[str]) -> dict[str, str]:
    """File stems of page views: the first 12 hex digits of sha256(url), longer on a collision."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for url in sorted(set(urls)):
        digest = url_digest(url)
        stem = digest[:12]
        if stem in used:
            stem = digest
        used.add(stem)
        names[url] = stem
    return names
