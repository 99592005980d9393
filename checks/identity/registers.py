"""Check digits of company register and VAT numbers, for the imprint-fields check.

Only algorithms that are published and unambiguous are implemented; a number whose format has no
checksum here is reported as found, never as invalid. Each function takes the number without
its country prefix, spaces, dots or hyphens, and answers True (valid) or False.
"""

from __future__ import annotations

from collections.abc import Callable

_ES_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_ES_CIF_LETTERS = "JABCDEFGHI"


def luhn(digits: str) -> bool:
    """The Luhn (mod 10) check used by French SIREN and SIRET numbers."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def de_vat(number: str) -> bool:
    """German USt-IdNr (9 digits): ISO 7064 MOD 11,10 over the first eight digits."""
    if len(number) != 9 or not number.isdigit() or number[0] == "0":
        return False
    product = 10
    for ch in number[:8]:
        total = (int(ch) + product) % 10 or 10
        product = (2 * total) % 11
    check = (11 - product) % 10
    return check == int(number[8])


def it_piva(number: str) -> bool:
    """Italian partita IVA (11 digits): Luhn over all eleven digits."""
    return len(number) == 11 and number.isdigit() and luhn(number)


def es_nif(number: str) -> bool:
    """Spanish NIF: a DNI (8 digits + letter), an NIE (X/Y/Z + 7 digits + letter) or a company
    CIF (letter + 7 digits + control digit or letter)."""
    number = number.upper()
    if len(number) != 9:
        return False
    if number[:8].isdigit():
        return _ES_DNI_LETTERS[int(number[:8]) % 23] == number[8]
    if number[0] in "XYZ" and number[1:8].isdigit():
        return _ES_DNI_LETTERS[int(str("XYZ".index(number[0])) + number[1:8]) % 23] == number[8]
    if number[0] in "ABCDEFGHJNPQRSUVW" and number[1:8].isdigit():
        digits = number[1:8]
        total = 0
        for i, ch in enumerate(digits):
            d = int(ch)
            if i % 2 == 0:  # positions 1, 3, 5, 7 are doubled
                d *= 2
                d = d // 10 + d % 10
            total += d
        control = (10 - total % 10) % 10
        return number[8] in (str(control), _ES_CIF_LETTERS[control])
    return False


def fr_siren(number: str) -> bool:
    return len(number) == 9 and luhn(number)


def fr_siret(number: str) -> bool:
    """SIRET (14 digits): the SIREN followed by an establishment number, Luhn over all 14 —
    except La Poste's establishments (SIREN 356000000), whose digit sum is a multiple of 5."""
    if len(number) != 14 or not number.isdigit():
        return False
    if number.startswith("356000000") and sum(int(c) for c in number) % 5 == 0:
        return True
    return luhn(number) and luhn(number[:9])


def fr_vat(number: str) -> bool:
    """French TVA number: a two-digit key then the SIREN; key = (12 + 3 × (SIREN mod 97)) mod 97.
    Keys with letters (older schemes) are not checked here."""
    if len(number) != 11 or not number[:2].isdigit():
        return True
    siren = number[2:]
    if not siren.isdigit():
        return False
    if not siren.startswith("000") and not luhn(siren):  # Monaco numbers are not SIRENs
        return False
    return int(number[:2]) == (12 + 3 * (int(siren) % 97)) % 97


def pt_nif(number: str) -> bool:
    """Portuguese NIF / NIPC (9 digits): weights 9..2, mod 11."""
    if len(number) != 9 or not number.isdigit():
        return False
    total = sum(int(ch) * (9 - i) for i, ch in enumerate(number[:8]))
    check = 11 - total % 11
    return (0 if check >= 10 else check) == int(number[8])


def be_vat(number: str) -> bool:
    """Belgian enterprise / VAT number (10 digits): the last two digits are 97 minus the first
    eight mod 97 (so both together are a multiple of 97)."""
    if len(number) == 9:
        number = "0" + number
    if len(number) != 10 or not number.isdigit():
        return False
    return (int(number[:8]) + int(number[8:])) % 97 == 0


def _cross_sum(n: int) -> int:
    return n // 10 + n % 10


def at_vat(number: str) -> bool:
    """Austrian UID without "ATU" (8 digits): digits 2, 4 and 6 doubled (cross sum), plus 4."""
    if len(number) != 8 or not number.isdigit():
        return False
    d = [int(c) for c in number]
    total = d[0] + _cross_sum(2 * d[1]) + d[2] + _cross_sum(2 * d[3]) + d[4] \
        + _cross_sum(2 * d[5]) + d[6]
    return (10 - (total + 4) % 10) % 10 == d[7]


def nl_vat(number: str) -> bool:
    """Dutch BTW-id without "NL" (9 digits, "B", 2 digits): the 11-test on the nine digits
    (older numbers) or ISO 7064 mod 97 over the whole identifier (numbers since 2020)."""
    number = number.upper()
    if len(number) != 12 or number[9] != "B" or not (number[:9] + number[10:]).isdigit():
        return False
    digits = number[:9]
    eleven = sum(int(c) * w for c, w in zip(digits[:8], range(9, 1, -1), strict=True))
    if (eleven - int(digits[8])) % 11 == 0:
        return True
    as_number = "".join(str(ord(c) - 55) if c.isalpha() else c for c in "NL" + number)
    return int(as_number) % 97 == 1


def ch_uid(number: str) -> bool:
    """Swiss UID without "CHE" (9 digits): weights 5,4,3,2,7,6,5,4 mod 11."""
    if len(number) != 9 or not number.isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(number[:8], (5, 4, 3, 2, 7, 6, 5, 4), strict=True))
    check = (11 - total % 11) % 11
    return check != 10 and check == int(number[8])


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "luhn": luhn,
    "de_vat": de_vat,
    "it_piva": it_piva,
    "es_nif": es_nif,
    "fr_siren": fr_siren,
    "fr_siret": fr_siret,
    "fr_vat": fr_vat,
    "pt_nif": pt_nif,
    "be_vat": be_vat,
    "at_vat": at_vat,
    "nl_vat": nl_vat,
    "ch_uid": ch_uid,
}
