"""The Twilio webhook, with requests signed by the twilio package's own RequestValidator."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

import pytest
from twilio.request_validator import RequestValidator

from tests.conftest import TEST_TWILIO_TOKEN

URL = "https://haven.example.org/webhooks/twilio"
SENDER = "+14155550123"  # fake number (555-01xx)


def form(body: str, sender: str = SENDER, sid: str | None = None) -> dict[str, str]:
    sid = sid or "SM" + uuid.uuid4().hex
    return {"From": sender, "To": "+14155550100", "Body": body, "MessageSid": sid, "AccountSid": "AC" + "0" * 32}


def signed(params: dict[str, str], url: str = URL, token: str = TEST_TWILIO_TOKEN) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(url, params)}


def twiml_text(response) -> str:
    root = ET.fromstring(response.text)
    assert root.tag == "Response"
    return "\n".join("".join(message.itertext()) for message in root.findall("Message"))


def test_signed_sms_gets_the_evacuation_answer_as_twiml(client, assistant):
    params = form("how can we get out of the city, is anyone evacuating people?")
    response = client.post("/webhooks/twilio", data=params, headers=signed(params))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    expected = assistant.content.topics["evacuation"].sms.split(":")[0]
    assert expected in twiml_text(response)


def test_passport_burned_gets_the_lost_documents_answer(client, assistant):
    params = form("my passport burned in the fire what do I do", sender="+14155550124")
    response = client.post("/webhooks/twilio", data=params, headers=signed(params))
    assert response.status_code == 200
    first_words = assistant.content.topics["lost_documents"].sms.split(".")[0]
    assert first_words in twiml_text(response)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 403),
        ({"X-Twilio-Signature": "bm90LWEtc2lnbmF0dXJl"}, 403),
        ("wrong-token", 403),
        ("wrong-url", 403),
    ],
    ids=["unsigned", "garbage-signature", "signed-with-another-token", "signed-for-another-url"],
)
def test_bad_signatures_are_refused(client, headers, status):
    params = form("help")
    if headers == "wrong-token":
        headers = signed(params, token="another-token-0000000000000000")
    elif headers == "wrong-url":
        headers = signed(params, url="https://attacker.example.com/webhooks/twilio")
    response = client.post("/webhooks/twilio", data=params, headers=headers)
    assert response.status_code == status


def test_tampered_body_is_refused(client):
    params = form("help")
    headers = signed(params)
    params["Body"] = "something else"
    assert client.post("/webhooks/twilio", data=params, headers=headers).status_code == 403


def test_status_callback_is_counted_without_the_number(client):
    params = {"MessageSid": "SM" + "1" * 32, "MessageStatus": "delivered", "To": SENDER, "From": "+14155550100"}
    url = "https://haven.example.org/webhooks/twilio/status"
    response = client.post("/webhooks/twilio/status", data=params, headers=signed(params, url=url))
    assert response.status_code == 204
    counters = client.app.state.gateway.counters
    assert counters.get("twilio.status.delivered", 0) >= 1
    assert not any("555" in key for key in counters)


def test_numbered_menu_reply_picks_from_the_last_menu(client, assistant):
    sender = "+14155550125"
    params = form("menu", sender=sender)
    menu = twiml_text(client.post("/webhooks/twilio", data=params, headers=signed(params)))
    assert "1 What to do now" in menu and "3 Your rights" in menu
    params = form("1", sender=sender, sid="SM" + "2" * 32)
    submenu = twiml_text(client.post("/webhooks/twilio", data=params, headers=signed(params)))
    assert "1 In danger now" in submenu
    params = form("1", sender=sender, sid="SM" + "3" * 32)
    answer = twiml_text(client.post("/webhooks/twilio", data=params, headers=signed(params)))
    assert assistant.content.topics["emergency_danger"].sms.split(".")[0] in answer


def test_tracker_store_never_holds_the_sender_number(client, data_dir):
    sender = "+14155550199"
    for index, body in enumerate(["hello", "I lost my passport", "my number is +1 415 555 0177, call me"]):
        params = form(body, sender=sender, sid=f"SM{index:032d}")
        assert client.post("/webhooks/twilio", data=params, headers=signed(params)).status_code == 200
    written = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    for needle in ("14155550199", "4155550199", "5550199", "4155550177", "5550177"):
        assert needle.encode() not in written
    assert b"[phone]" in written  # the typed number was replaced before Rasa saw it


def test_replayed_message_sid_is_answered_once(client):
    params = form("I lost my passport", sender="+14155550126", sid="SM" + "7" * 32)
    first = client.post("/webhooks/twilio", data=params, headers=signed(params))
    before = dict(client.app.state.gateway.counters)
    again = client.post("/webhooks/twilio", data=params, headers=signed(params))
    assert again.status_code == 200 and again.text == first.text
    after = client.app.state.gateway.counters
    assert after.get("replayed", 0) == before.get("replayed", 0) + 1
    assert after.get("messages.sms") == before.get("messages.sms")  # not run through the bot again


@pytest.mark.parametrize(("word", "language"), [("STOP", "en"), ("arrêt", "fr"), ("توقف", "ar"), ("стоп", "ru"), ("FORGET", "en"), ("olvidar", "es")])
def test_stop_and_forget_erase_the_conversation(client, assistant, run, word, language):
    from channels.privacy import pseudonymise_sender
    from tests.conftest import TEST_SECRET

    sender = "+14155550130"
    pseudonym = pseudonymise_sender(TEST_SECRET, "sms", sender)
    params = form("how do I find my missing brother", sender=sender, sid=f"SM{abs(hash(word)):032d}"[:34])
    client.post("/webhooks/twilio", data=params, headers=signed(params))
    assert run(assistant.agent.tracker_store.retrieve(pseudonym)).events
    params = form(word, sender=sender, sid=f"SM{abs(hash(word + 'x')):032d}"[:34])
    text = twiml_text(client.post("/webhooks/twilio", data=params, headers=signed(params)))
    assert text.strip()
    tracker = run(assistant.agent.tracker_store.retrieve(pseudonym))
    assert tracker is None or not [e for e in tracker.events if getattr(e, "text", None)]


def test_help_keyword_is_answered_by_the_gateway(client):
    params = form("HELP", sender="+14155550131", sid="SM" + "8" * 32)
    text = twiml_text(client.post("/webhooks/twilio", data=params, headers=signed(params)))
    assert "STOP" in text and "FORGET" in text
