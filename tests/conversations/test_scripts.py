"""Conversation scripts in every language: greet, choose a country, ask three questions, switch language.

They run through the web chat endpoint (the same gateway path as every channel) and read like a
script: what the person writes, the topic and language the bot must answer with.
"""

from __future__ import annotations

import re
import secrets

import pytest

SCRIPTS_OF = {"ar": "[\u0600-\u06ff]", "ru": "[\u0400-\u04ff]", "uk": "[\u0400-\u04ff]", "bn": "[\u0980-\u09ff]"}

# language: (greeting, "I am in Lebanon", three questions with their topics, request to switch to French)
CONVERSATIONS = {
    "en": ("hello", "I'm in Lebanon now", [("the building next to us is on fire and we cant get out", "emergency_danger"), ("my boss has my passport and won't give it back", "employer_kept_passport"), ("where can I find food and a place to sleep", "shelter_basic_needs")], "français svp"),
    "fr": ("bonjour", "je suis au Liban", [("je n'ai plus de papiers, j'ai tout perdu dans l'explosion", "lost_documents"), ("comment joindre l'ambassade de mon pays", "contact_embassy"), ("mon patron ne me paie plus depuis 4 mois", "unpaid_wages")], "english please"),
    "es": ("hola buenas", "estoy en el Líbano", [("como puedo salir del pais, hay evacuacion?", "evacuation"), ("no encuentro a mi hermano desde el bombardeo", "missing_family"), ("necesito un medico pero no tengo papeles", "health_care")], "en français"),
    "ar": ("السلام عليكم", "أنا في لبنان", [("الكفيل أخذ جوازي ولا يريد إرجاعه", "employer_kept_passport"), ("كيف أتواصل مع سفارة بلدي", "contact_embassy"), ("أين أجد مكانا للنوم وطعاما", "shelter_basic_needs")], "français"),
    "ru": ("здравствуйте", "я в Ливане", [("как связаться с посольством моей страны", "contact_embassy"), ("я потерял паспорт, что делать", "lost_documents"), ("работодатель не платит зарплату уже три месяца", "unpaid_wages")], "english"),
    "uk": ("добрий день", "я в Лівані", [("як виїхати з країни, чи є евакуація", "evacuation"), ("не можу знайти свою сестру після обстрілу", "missing_family"), ("де можна переночувати і поїсти", "shelter_basic_needs")], "english please"),
    "fil": ("hello po, magandang araw", "nasa Lebanon po ako", [("kinuha ng amo ko ang passport ko at ayaw ibalik", "employer_kept_passport"), ("paano ko makokontak ang embahada natin dito", "contact_embassy"), ("hindi na ako pinapasweldo ng amo ko ng tatlong buwan", "unpaid_wages")], "english please"),
    "bn": ("আসসালামু আলাইকুম", "আমি এখন লেবাননে আছি", [("আমার পাসপোর্ট হারিয়ে গেছে, কী করব", "lost_documents"), ("দূতাবাসের সাথে কীভাবে যোগাযোগ করব", "contact_embassy"), ("মালিক তিন মাস ধরে বেতন দিচ্ছে না", "unpaid_wages")], "english please"),
}


def written_in(text: str, language: str) -> bool:
    if language in SCRIPTS_OF:
        letters = [c for c in text if c.isalpha()]
        return len(re.findall(SCRIPTS_OF[language], text)) > len(letters) / 3
    return True


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_conversation(client, assistant, language):
    greeting, country, questions, switch = CONVERSATIONS[language]
    session = secrets.token_hex(16)

    def say(text: str) -> dict:
        response = client.post("/api/v1/chat", json={"session": session, "text": text})
        assert response.status_code == 200, response.text
        return response.json()

    reply = say(greeting)
    assert reply["messages"][0]["topic"] == "greet"
    assert reply["language"] == language
    assert written_in(reply["messages"][0]["text"], language)

    reply = say(country)
    assert reply["messages"][0]["topic"] == "set_country"
    lebanon = assistant.content.countries["LB"]
    assert reply["language"] == language

    for question, topic in questions:
        reply = say(question)
        assert reply["messages"][0]["topic"] == topic, question
        assert reply["language"] == language
        text = reply["messages"][0]["text"]
        assert written_in(text.split("\n")[0], language)
        if topic == "emergency_danger":
            assert all(c.phone in text for c in lebanon.emergency)  # the country chosen above

    reply = say(switch)
    assert reply["messages"][0]["topic"] == "set_language"
    new_language = reply["language"]
    assert new_language != language and new_language in ("en", "fr")
    reply = say("0")
    assert reply["messages"][0]["topic"] == "menu"
    assert reply["language"] == new_language
