"""Messenger: verify handshake, signed events, Send API requests asserted exactly."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest

from tests.channels.conftest import MESSENGER_BASE, MESSENGER_PAGE_TOKEN, MESSENGER_SECRET, MESSENGER_VERIFY

PAYLOADS = Path(__file__).parent / "payloads"
SEND = f"{MESSENGER_BASE}/me/messages"


def sign(payload: bytes, secret: str = MESSENGER_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "content-type": "application/json"}


def body(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


def test_verify_handshake(channel_client):
    ok = channel_client.get("/webhooks/messenger", params={"hub.mode": "subscribe", "hub.verify_token": MESSENGER_VERIFY, "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.text == "1158201444"
    bad = channel_client.get("/webhooks/messenger", params={"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"})
    assert bad.status_code == 403


CASES = [
    ("text message", body("text_message.json"), "signed", 200, 1),
    ("quick reply", body("quick_reply.json"), "signed", 200, 1),
    ("stop", body("stop.json"), "signed", 200, 1),
    ("delivery receipt", body("delivery.json"), "signed", 200, 0),
    ("echo of our own message", body("echo.json"), "signed", 200, 0),
    ("unsigned", body("text_message.json"), "none", 403, 0),
    ("wrong signature", body("text_message.json"), "wrong", 403, 0),
    ("body changed after signing", body("text_message.json"), "tampered", 403, 0),
    ("empty body", b"", "signed", 400, 0),
    ("not an object", b"[]", "signed", 400, 0),
]


@pytest.mark.parametrize(("name", "payload", "signing", "status", "sends"), CASES, ids=[c[0] for c in CASES])
def test_table(channel_client, provider, name, payload, signing, status, sends):
    provider.clear()
    if payload.startswith(b"{") and b'"mid"' in payload:  # a fresh message id per case
        payload = payload.replace(b'"mid": "m_', f'"mid": "m_{abs(hash(name))}_'.encode())
    headers = {"content-type": "application/json"}
    if signing == "signed":
        headers = sign(payload)
    elif signing == "wrong":
        headers = sign(payload, secret="another-secret")
    elif signing == "tampered":
        headers = sign(payload)
        payload = payload.replace(b"passport", b"visa")
    response = channel_client.post("/webhooks/messenger", content=payload, headers=headers)
    assert response.status_code == status
    assert len(provider.sent()) == sends
    assert all(url == SEND for url, _ in provider.sent())
    for request in provider.requests:
        assert request.url.params["access_token"] == MESSENGER_PAGE_TOKEN


def test_send_api_request_is_exact(channel_client, provider, assistant):
    from bot.responses import Context

    provider.clear()
    payload = body("quick_reply.json").replace(b"m_fixture_qr_1", b"m_fixture_qr_exact")
    channel_client.post("/webhooks/messenger", content=payload, headers=sign(payload))
    ((url, sent),) = provider.sent()
    expected = assistant.responder.respond("utter_menu", Context(channel="messenger", entities={"help_kind": "rights"}))
    assert url == SEND
    assert sent == {
        "recipient": {"id": "5550001112223334"},
        "messaging_type": "RESPONSE",
        "message": {
            "text": expected.text,
            "quick_replies": [{"content_type": "text", "title": t[:20], "payload": p} for t, p in expected.options],
        },
    }
