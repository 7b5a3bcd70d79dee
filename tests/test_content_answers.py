"""Every topic answers through /api/v1/ask, with a country and without (issue: content base)."""

from __future__ import annotations

import pytest
import yaml

from bot.paths import INTENTS_DIR, SHARED_SPEC_DIR

CONTRACT = yaml.safe_load((SHARED_SPEC_DIR / "topics.yml").read_text(encoding="utf-8"))
TOPICS = [t["id"] for t in CONTRACT["content_topics"]]


def first_example(intent: str) -> str:
    data = yaml.safe_load((INTENTS_DIR / "en" / "topics.yml").read_text(encoding="utf-8"))
    block = next(b for b in data["nlu"] if b["intent"] == intent)
    return block["examples"].splitlines()[0].removeprefix("- ").strip()


@pytest.mark.parametrize("topic", TOPICS)
@pytest.mark.parametrize("country", [None, "LB", "UA"])
def test_every_topic_answers_in_english(client, assistant, topic, country):
    payload = {"text": first_example(topic), "language": "en"}
    if country:
        payload["country"] = country
    body = client.post("/api/v1/ask", json=payload).json()
    assert body["topic"] == topic
    expected = assistant.content.render(topic, "en", country, None, "chat").text
    assert body["answer"].startswith(expected.split("\n")[0])
    assert body["sources"] and body["basis"] in ("right", "recommendation", "practice")


def test_emergency_answer_leads_with_each_pack_numbers(client, assistant):
    for code, pack in sorted(assistant.content.countries.items()):
        if code == "default":
            continue
        body = client.post("/api/v1/ask", json={"text": "fire in our building we are trapped", "country": code}).json()
        assert body["topic"] == "emergency_danger"
        first_line = body["answer"].splitlines()[0]
        if pack.emergency:
            assert first_line.startswith("Emergency:"), code
            for contact in pack.emergency:
                assert contact.phone in first_line, (code, contact.phone)
        else:
            assert first_line == "Emergency: call the local emergency number.", code


def test_contact_embassy_names_the_users_consulate(client, assistant):
    consulate = assistant.content.countries["LB"].consulates["PH"]
    body = client.post("/api/v1/ask", json={"text": "how do I reach my embassy", "country": "LB", "nationality": "PH"}).json()
    assert body["topic"] == "contact_embassy"
    assert consulate.label in body["answer"]
    other = client.post("/api/v1/ask", json={"text": "how do I reach my embassy", "country": "LB"}).json()
    assert consulate.label not in other["answer"]


def test_situation_update_without_bulletin_says_so(client, assistant):
    body = client.post("/api/v1/ask", json={"text": first_example("situation_update"), "country": "UA"}).json()
    assert body["topic"] == "situation_update"
    assert body["answer"].startswith(assistant.content.topics["situation_update"].chat.split("\n")[0])
