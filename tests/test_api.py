"""`/api/v1/ask` and `/healthz` through FastAPI's test client, on the real trained model."""

from __future__ import annotations

import pytest

# Messages written for these tests, not copied from the training data.
SKELETON_CASES = [
    ("hi there good evening", "greet"),
    ("what can you do? show me the options", "menu"),
    ("there is shooting outside our building and my friend is bleeding", "emergency_danger"),
    ("is there a bus or ship taking foreigners out of the country?", "evacuation"),
    ("where is the consulate of my country, I need to talk to them", "contact_embassy"),
    ("I have no papers at all, can I still ask for help or will they deport me?", "help_regardless_of_status"),
    ("the fire burned all my papers including my passport", "lost_documents"),
    ("who won the football match yesterday", "out_of_scope"),
]


@pytest.mark.parametrize(("text", "topic"), SKELETON_CASES)
def test_ask_returns_the_topic(client, text, topic):
    response = client.post("/api/v1/ask", json={"text": text})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["topic"] == topic
    assert body["language"] == "en"
    assert body["answer"]
    assert 0.0 <= body["confidence"] <= 1.0


def test_answer_carries_sources_and_basis(client, assistant):
    body = client.post("/api/v1/ask", json={"text": "my documents burned, how do I get new ones", "country": "lb"}).json()
    topic = assistant.content.topics[body["topic"]]
    assert body["basis"] == topic.basis
    assert body["sources"] == [s.cite() for s in topic.sources]


def test_emergency_answer_starts_with_the_country_numbers(client, assistant):
    body = client.post("/api/v1/ask", json={"text": "water is rising in our room, we are trapped", "country": "JP"}).json()
    assert body["topic"] == "emergency_danger"
    first_line = body["answer"].splitlines()[0]
    for number in (c.phone for c in assistant.content.countries["JP"].emergency):
        assert number in first_line


@pytest.mark.parametrize(
    "payload",
    [{}, {"text": ""}, {"text": "   "}, {"text": 5}, {"text": "hi", "language": "xx"}, {"text": "hi", "country": "Lebanon"}, {"text": "x" * 2001}],
    ids=["no-text", "empty", "blank", "not-a-string", "unknown-language", "country-not-iso", "too-long"],
)
def test_malformed_requests_get_422(client, payload):
    response = client.post("/api/v1/ask", json=payload)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_not_json_gets_422(client):
    response = client.post("/api/v1/ask", content=b"\xff\xfe not json", headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_healthz_once_loaded(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_openapi_describes_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/ask", "/healthz", "/webhooks/twilio"} <= set(paths)
