"""Request field checks shared by the JSON endpoints (the public API and the operator console)."""

from __future__ import annotations

from bot import i18n


def language_code(value: str) -> str:
    """A supported locale code for `value` ('fr', 'fr-FR', 'tl'), or ValueError naming the choices."""
    code = i18n.normalise_locale(value)
    if code is None:
        raise ValueError(f"unsupported language '{value}'; supported: {', '.join(i18n.locales())}")
    return code


def country_code(value: str) -> str:
    """An upper-case two-letter ISO 3166 code, or ValueError."""
    if len(value) != 2 or not value.isascii() or not value.isalpha():  # not 'éé', not 'ßß' (-> 'SSSS')
        raise ValueError("expected a two-letter ISO 3166 country code, e.g. LB")
    return value.upper()
