"""Telegram: recorded updates, table-driven, outbound requests asserted exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.channels.conftest import TELEGRAM_BASE, TELEGRAM_SECRET, TELEGRAM_TOKEN

PAYLOADS = Path(__file__).parent / "payloads"
SEND = f"{TELEGRAM_BASE}/bot{TELEGRAM_TOKEN}/sendMessage"
ANSWER = f"{TELEGRAM_BASE}/bot{TELEGRAM_TOKEN}/answerCallbackQuery"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET, "content-type": "application/json"}


def body(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


CASES = [
    # name, payload, headers, expected status, expected outbound URLs
    ("text message", body("text_message.json"), HEADERS, 200, [SEND]),
    ("button press", body("callback_query.json"), HEADERS, 200, [ANSWER, SEND]),
    ("stop", body("stop.json"), HEADERS, 200, [SEND]),
    ("sticker (no text)", body("sticker.json"), HEADERS, 200, []),
    ("unknown update kind", body("chat_member.json"), HEADERS, 200, []),
    ("unsigned", body("text_message.json"), {"content-type": "application/json"}, 403, []),
    ("wrong secret", body("text_message.json"), {**HEADERS, "X-Telegram-Bot-Api-Secret-Token": "nope"}, 403, []),
    ("empty body", b"", HEADERS, 400, []),
    ("not json", b"\xff{{", HEADERS, 400, []),
    ("json array", b"[1, 2]", HEADERS, 400, []),
]


@pytest.mark.parametrize(("name", "payload", "headers", "status", "urls"), CASES, ids=[c[0] for c in CASES])
def test_table(channel_client, provider, name, payload, headers, status, urls):
    provider.clear()
    # every case is a fresh update id, so replay protection does not hide a case
    if payload.startswith(b"{"):
        data = json.loads(payload)
        data["update_id"] = abs(hash(name)) % 10**9
        payload = json.dumps(data).encode()
    response = channel_client.post("/webhooks/telegram", content=payload, headers=headers)
    assert response.status_code == status
    assert [url for url, _ in provider.sent()] == urls


def test_answer_is_sent_exactly(channel_client, provider, assistant):
    provider.clear()
    data = json.loads(body("text_message.json"))
    data["update_id"] = 900000101
    channel_client.post("/webhooks/telegram", content=json.dumps(data), headers=HEADERS)
    ((url, sent),) = provider.sent()
    expected = assistant.responder.respond("utter_lost_documents", __import__("bot.responses", fromlist=["Context"]).Context(channel="telegram"))
    assert url == SEND
    assert sent == {
        "chat_id": 555000111,
        "text": expected.text,
        "reply_markup": {"inline_keyboard": [[{"text": "Menu", "callback_data": "/menu"}], [{"text": "Useful", "callback_data": "#useful-yes lost_documents - en"}], [{"text": "Not useful", "callback_data": "#useful-no lost_documents - en"}]]},
    }


def test_menu_becomes_an_inline_keyboard(channel_client, provider):
    provider.clear()
    data = json.loads(body("callback_query.json"))
    data["update_id"] = 900000102
    channel_client.post("/webhooks/telegram", content=json.dumps(data), headers=HEADERS)
    (_, answer), (_, sent) = provider.sent()
    assert answer == {"callback_query_id": "4382bfdwdsb323b2d9"}
    rows = sent["reply_markup"]["inline_keyboard"]
    assert rows and all(len(row) == 1 and row[0]["callback_data"].startswith("/") for row in rows)
    assert not any(line[:2].strip().isdigit() for line in sent["text"].splitlines())  # buttons, not numbered lines


def test_duplicate_update_is_answered_once(channel_client, provider):
    provider.clear()
    data = json.loads(body("text_message.json"))
    data["update_id"] = 900000103
    for _ in range(2):
        assert channel_client.post("/webhooks/telegram", content=json.dumps(data), headers=HEADERS).status_code == 200
    assert len(provider.sent()) == 1


def test_provider_failure_is_retried_then_given_up(channel_client, provider):
    provider.clear()
    provider.fail_next = 2
    data = json.loads(body("text_message.json"))
    data["update_id"] = 900000104
    assert channel_client.post("/webhooks/telegram", content=json.dumps(data), headers=HEADERS).status_code == 200
    assert len(provider.sent()) == 3  # two 502s, then success
