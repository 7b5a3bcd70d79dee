"""Locales and gettext catalogs.

One registry (`translations/locales.yml`) lists the locales; `messages` holds the bot's own strings
and `content` the content texts (msgctxt `<topic>.<field>`). A missing catalog or message falls
back to English, and the caller can ask whether it did.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from babel.support import NullTranslations, Translations

from bot.paths import TRANSLATIONS_DIR

SOURCE_LOCALE = "en"
DOMAINS = ("messages", "content")


@dataclass(frozen=True)
class Locale:
    code: str
    native: str
    english: str
    direction: str
    fallback: str | None
    sms_ucs2: bool
    sms_segments: int


@lru_cache(maxsize=1)
def locales() -> dict[str, Locale]:
    """The locale registry, in menu order."""
    raw = yaml.safe_load((TRANSLATIONS_DIR / "locales.yml").read_text(encoding="utf-8"))
    return {entry["code"]: Locale(**entry) for entry in raw["locales"]}


# Other codes people and providers use for the same languages.
ALIASES = {"tl": "fil", "tgl": "fil", "ua": "uk", "eng": "en", "ara": "ar", "ben": "bn"}


def normalise_locale(code: str | None) -> str | None:
    """A registry code for `code` ('fr', 'fr-FR', 'tl', 'AR'), or None if unsupported."""
    if not code or not isinstance(code, str):  # a slot or entity can hold any JSON value
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    base = ALIASES.get(base, base)
    return base if base in locales() else None


@lru_cache(maxsize=None)
def translations(locale: str, domain: str) -> gettext.NullTranslations:
    """The compiled catalog of `domain` for `locale`; NullTranslations (English) when missing."""
    if locale == SOURCE_LOCALE:
        return NullTranslations()
    mo = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / f"{domain}.mo"
    if not mo.exists():
        return NullTranslations()
    with mo.open("rb") as handle:
        return Translations(handle, domain=domain)


def has_catalog(locale: str, domain: str) -> bool:
    return locale == SOURCE_LOCALE or isinstance(translations(locale, domain), Translations)


def _lookup(locale: str, domain: str, message: str, context: str | None) -> str | None:
    catalog = translations(locale, domain)
    if isinstance(catalog, NullTranslations) and not isinstance(catalog, Translations):
        return None
    key = f"{context}\x04{message}" if context else message
    found = catalog._catalog.get(key)  # noqa: SLF001 - gettext keeps no public membership test
    return found or None


def translate(locale: str, message: str, domain: str = "messages", context: str | None = None) -> tuple[str, bool]:
    """(text, translated): the message in `locale`, or in English with translated=False."""
    if locale == SOURCE_LOCALE or not message:
        return message, True
    found = _lookup(locale, domain, message, context)
    if found is not None:
        return found, True
    fallback = locales().get(locale)
    if fallback and fallback.fallback and fallback.fallback != SOURCE_LOCALE:
        return translate(fallback.fallback, message, domain, context)
    return message, False


def gettext_for(locale: str):
    """A `_()` for the bot's own strings in `locale`."""

    def _(message: str, **values: object) -> str:
        text, _translated = translate(locale, message)
        return text.format(**values) if values else text

    return _


@lru_cache(maxsize=None)
def fuzzy_entries(locale: str, domain: str) -> frozenset[tuple[str | None, str]]:
    """(msgctxt, msgid) of every entry of `locale`'s `domain` catalog flagged fuzzy (unreviewed).

    Read once from the .po file (the compiled .mo keeps no flags)."""
    path = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / f"{domain}.po"
    if locale == SOURCE_LOCALE or not path.exists():
        return frozenset()
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    return frozenset(
        (message.context, message.id if isinstance(message.id, str) else message.id[0])
        for message in catalog
        if message.id and message.fuzzy
    )


def review_state(locale: str, message: str, domain: str = "messages", context: str | None = None) -> str:
    """'reviewed', 'unreviewed' (a fuzzy translation is served) or 'missing' (English is served),
    following the same fallback chain as `translate`."""
    if locale == SOURCE_LOCALE or not message:
        return "reviewed"
    if _lookup(locale, domain, message, context) is not None:
        return "unreviewed" if (context, message) in fuzzy_entries(locale, domain) else "reviewed"
    fallback = locales().get(locale)
    if fallback and fallback.fallback and fallback.fallback != SOURCE_LOCALE:
        return review_state(fallback.fallback, message, domain, context)
    return "missing"


def clear_caches() -> None:
    translations.cache_clear()
    locales.cache_clear()
    fuzzy_entries.cache_clear()


def mo_path(locale: str, domain: str) -> Path:
    return TRANSLATIONS_DIR / locale / "LC_MESSAGES" / f"{domain}.mo"
