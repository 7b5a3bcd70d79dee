"""Catalogs: every locale loads a real compiled catalog; answers come in the reader's script."""

from __future__ import annotations

import dataclasses
import re

import pytest

from bot import i18n
from bot.i18n_tools import _template, pot_path

OTHER_LOCALES = [code for code in i18n.locales() if code != "en"]
SCRIPTS = {"ar": "[\u0600-\u06ff]", "ru": "[\u0400-\u04ff]", "uk": "[\u0400-\u04ff]", "bn": "[\u0980-\u09ff]"}
QUESTIONS = {
    "fr": "j'ai perdu mon passeport dans l'incendie, que faire ?",
    "es": "perdi mi pasaporte en el incendio, que hago?",
    "ar": "ضاع جواز سفري في الحريق، ماذا أفعل؟",
    "ru": "я потерял паспорт при пожаре, что делать?",
    "uk": "я загубив паспорт під час пожежі, що робити?",
    "fil": "nawala ang passport ko sa sunog, ano ang gagawin ko?",
    "bn": "আগুনে আমার পাসপোর্ট পুড়ে গেছে, এখন কী করব?",
}


@pytest.mark.parametrize("locale", OTHER_LOCALES)
@pytest.mark.parametrize("domain", i18n.DOMAINS)
def test_every_locale_loads_a_real_compiled_catalog(locale, domain):
    assert i18n.mo_path(locale, domain).exists(), "run `make i18n-compile`"
    catalog = i18n.translations(locale, domain)
    assert type(catalog).__name__ == "Translations"  # Babel's silent fallback would be NullTranslations
    assert i18n.has_catalog(locale, domain)


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_menu_strings_are_translated(locale):
    text, translated = i18n.translate(locale, "Your rights")
    assert translated and text != "Your rights"


def test_templates_are_deterministic_and_up_to_date():
    for domain in i18n.DOMAINS:
        first = _template(domain)
        second = _template(domain)
        assert [(m.context, m.id) for m in first] == [(m.context, m.id) for m in second]
        committed = pot_path(domain).read_text(encoding="utf-8")
        assert "#: " not in committed  # no location lines to churn
        for message in first:
            if message.id:
                assert (message.id if isinstance(message.id, str) else message.id[0]).split("\n")[0].replace('"', '\\"') in committed, f"{domain}.pot is stale: run `make i18n-update`"


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_same_question_answered_in_that_language(client, locale):
    body = client.post("/api/v1/ask", json={"text": QUESTIONS[locale], "country": "LB"}).json()
    assert body["topic"] == "lost_documents"
    assert body["language"] == locale
    assert body["translated"] is True
    english = client.post("/api/v1/ask", json={"text": QUESTIONS[locale], "country": "LB", "language": "en"}).json()["answer"]
    assert body["answer"] != english
    if locale in SCRIPTS:
        first_line = body["answer"].splitlines()[0]
        assert len(re.findall(SCRIPTS[locale], first_line)) > len(first_line) / 3


def test_missing_translation_falls_back_to_english_and_says_so(assistant):
    content = assistant.content
    topic = content.topics["evacuation"]
    changed = dataclasses.replace(topic, chat="A new English text that no translator has seen yet.")
    content.topics["evacuation"] = changed
    try:
        rendered = content.render("evacuation", "ar", None, None, "chat")
    finally:
        content.topics["evacuation"] = topic
    assert rendered.translated is False
    assert rendered.text.startswith("A new English text")
    notice, _ = i18n.translate("ar", "(This answer is not yet translated into your language.)")
    assert notice in rendered.text and re.search(SCRIPTS["ar"], notice)
