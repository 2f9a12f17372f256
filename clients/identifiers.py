"""A-numbers and phone numbers: normalise what staff type, display it the way forms print it.

Pure functions, no database. Facts from domain-rules.md section 2: an A-number is "A" followed by
7 to 9 digits, stored as 9 digits left-padded with zeros, shown as A-123-456-789.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

A_NUMBER_DIGITS = 9
_A_NUMBER_SEPARATORS = re.compile(r"[\s\-.]")


def normalize_a_number(value: str) -> str:
    """'A 12-345-678' -> '012345678'. Raises ValidationError saying what is expected."""
    raw = _A_NUMBER_SEPARATORS.sub("", value.strip()).upper()
    if raw.startswith("A"):
        raw = raw[1:]
    if not raw.isdigit():
        raise ValidationError(
            _("An A-number has only digits after the A, like A-123-456-789."), code="a_number_letters"
        )
    if not 7 <= len(raw) <= A_NUMBER_DIGITS:
        raise ValidationError(
            _("An A-number has 7 to 9 digits, like A-123-456-789; this one has %(count)d.") % {"count": len(raw)},
            code="a_number_length",
        )
    return raw.zfill(A_NUMBER_DIGITS)


def looks_like_a_number(value: str) -> bool:
    """True for search input that is meant as an A-number rather than a name."""
    try:
        normalize_a_number(value)
    except ValidationError:
        return False
    return True


def format_a_number(digits: str | None) -> str:
    if not digits:
        return ""
    return f"A-{digits[0:3]}-{digits[3:6]}-{digits[6:9]}"


def normalize_phone(value: str, default_region: str = "US") -> str:
    """Any way of writing a phone number -> E.164 ('+19155550123'). Mexican and Central American
    numbers need their country code (+52, +502...); US numbers do not."""
    try:
        number = phonenumbers.parse(value, default_region)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("This does not look like a phone number."), code="phone_invalid") from None
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(
            _("Too few or too many digits. Outside the US, start with the country code, like +52."),
            code="phone_length",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str | None) -> str:
    if not e164:
        return ""
    if len(e164) == 12 and e164.startswith("+1"):
        # Most numbers are from the US: drawn directly, 20 times faster than a phonenumbers parse.
        return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"
    number = phonenumbers.parse(e164, None)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 1
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
