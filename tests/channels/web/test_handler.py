"""The web chat page and /api/v1/chat over HTTP."""

from __future__ import annotations

import re
import secrets

import pytest


def test_page_is_small_self_contained_and_cookieless(client):
    response = client.get("/")
    assert response.status_code == 200
    assert len(response.content) < 50 * 1024
    assert "set-cookie" not in response.headers
    assert not re.search(r'(src|href)=["\']https?://', response.text)  # no external assets
    assert '<html lang="en" dir="ltr">' in response.text
    assert '<label for="text"' in response.text and '<label for="lang"' in response.text


def test_arabic_page_is_right_to_left_and_translated(client):
    page = client.get("/", params={"lang": "ar"}).text
    assert '<html lang="ar" dir="rtl">' in page
    assert re.search("[\u0600-\u06ff]", page.split("<body>")[1].split("<script>")[0])


def test_chat_answers_and_keeps_the_conversation(client, assistant):
    session = secrets.token_hex(16)
    first = client.post("/api/v1/chat", json={"session": session, "text": "menu"}).json()
    assert first["messages"][0]["options"]
    payload = first["messages"][0]["options"][0]["payload"]
    second = client.post("/api/v1/chat", json={"session": session, "text": payload}).json()
    assert "In danger now" in [o["title"] for o in second["messages"][0]["options"]]
    answer = client.post("/api/v1/chat", json={"session": session, "text": "my passport burned in the fire"}).json()
    assert answer["messages"][0]["text"].startswith(assistant.content.topics["lost_documents"].chat.split("\n")[0])


def test_chat_answers_in_the_language_of_the_message(client):
    session = secrets.token_hex(16)
    body = client.post("/api/v1/chat", json={"session": session, "text": "ضاع جواز سفري في الحريق، ماذا أفعل؟"}).json()
    assert body["language"] == "ar" and body["direction"] == "rtl"
    assert re.search("[\u0600-\u06ff]", body["messages"][0]["text"])


@pytest.mark.parametrize(
    "payload",
    [{}, {"session": "short", "text": "hi"}, {"session": "x" * 200, "text": "hi"}, {"session": "abc def ghi!", "text": "hi"}, {"session": secrets.token_hex(8), "text": ""}, {"session": secrets.token_hex(8), "text": 7}],
    ids=["empty", "session-too-short", "session-too-long", "session-bad-chars", "no-text", "text-not-string"],
)
def test_bad_chat_requests_get_422(client, payload):
    assert client.post("/api/v1/chat", json=payload).status_code == 422
