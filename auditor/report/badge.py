"""badge.svg: a shields-style flat badge with the score and grade, to embed in a README or wiki.

Self-contained SVG (no fonts, no links, no scripts), coloured by grade with white text that meets
WCAG AA contrast, and deterministic: the same score always gives the same bytes.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

#: Background per grade: each keeps white text above 4.5:1 contrast.
GRADE_COLOURS: dict[str | None, str] = {
    "A": "#1e7e34",
    "B": "#4a7a12",
    "C": "#756800",
    "D": "#975a00",
    "E": "#b0400a",
    "F": "#b3261e",
    None: "#5f6368",
}
LABEL_COLOUR = "#555555"
LABEL = "trustaudit"

# Approximate advance widths of 11px Verdana (what shields.io measures with), in pixels.
_WIDTHS: dict[str, float] = {
    **dict.fromkeys("0123456789", 7.0),
    **dict.fromkeys("ABCDEFGHKNPRSTUVXYZ", 7.5),
    "M": 8.6, "O": 8.6, "Q": 8.6, "W": 10.9, "I": 4.6, "J": 5.0, "L": 6.1,
    **dict.fromkeys("abcdeghknopqsuvxyz", 6.6),
    "f": 3.9, "i": 3.1, "j": 3.4, "l": 3.1, "m": 10.7, "r": 4.7, "t": 4.3, "w": 9.0,
    " ": 3.9, "/": 5.0, "·": 4.4, "—": 11.0, "%": 12.0,
}
_PAD = 6.0


def text_width(text: str) -> float:
    return round(sum(_WIDTHS.get(ch, 7.0) for ch in text), 1)


def badge_text(value: int | None, grade: str | None) -> str:
    """The right-hand text: ``87/100 · B``, or an em dash when nothing could be scored."""
    if value is None:
        return "—"
    return f"{value}/100 · {grade}" if grade else f"{value}/100"


def badge_svg(value: int | None, grade: str | None) -> str:
    """The badge as SVG text (UTF-8, final newline)."""
    message = badge_text(value, grade)
    colour = GRADE_COLOURS[None] if value is None else GRADE_COLOURS.get(grade, GRADE_COLOURS[None])
    left = round(text_width(LABEL) + 2 * _PAD, 1)
    right = round(text_width(message) + 2 * _PAD, 1)
    total = round(left + right, 1)
    title = f"{LABEL}: score {message}" if value is not None else f"{LABEL}: no score"
    lx, rx = round(left / 2, 1), round(left + right / 2, 1)

    def fmt(x: float) -> str:
        return f"{x:g}"

    label, msg, title_text = escape(LABEL), escape(message), escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{fmt(total)}" height="20" '
        f'role="img" aria-label="{title_text}">\n'
        f"  <title>{title_text}</title>\n"
        '  <linearGradient id="s" x2="0" y2="100%">\n'
        '    <stop offset="0" stop-color="#bbb" stop-opacity=".1"/>\n'
        '    <stop offset="1" stop-opacity=".1"/>\n'
        "  </linearGradient>\n"
        f'  <clipPath id="r">\n    <rect width="{fmt(total)}" height="20" rx="3" fill="#fff"/>\n'
        "  </clipPath>\n"
        '  <g clip-path="url(#r)">\n'
        f'    <rect width="{fmt(left)}" height="20" fill="{LABEL_COLOUR}"/>\n'
        f'    <rect x="{fmt(left)}" width="{fmt(right)}" height="20" fill="{colour}"/>\n'
        f'    <rect width="{fmt(total)}" height="20" fill="url(#s)"/>\n'
        "  </g>\n"
        '  <g fill="#fff" text-anchor="middle" '
        'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">\n'
        f'    <text x="{fmt(lx)}" y="15" fill="#010101" fill-opacity=".3">{label}</text>\n'
        f'    <text x="{fmt(lx)}" y="14">{label}</text>\n'
        f'    <text x="{fmt(rx)}" y="15" fill="#010101" fill-opacity=".3">{msg}</text>\n'
        f'    <text x="{fmt(rx)}" y="14">{msg}</text>\n'
        "  </g>\n"
        "</svg>\n"
    )
