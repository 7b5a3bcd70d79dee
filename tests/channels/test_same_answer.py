"""The same question over SMS, WhatsApp, Telegram, Messenger and the web chat gets the same
answer, formatted for each channel."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import xml.etree.ElementTree as ET

from twilio.request_validator import RequestValidator

from bot import sms
from tests.channels.conftest import MESSENGER_SECRET, TELEGRAM_SECRET
from tests.conftest import TEST_TWILIO_TOKEN

QUESTION = "my passport burned in the fire what do I do"
ARABIC = "ضاع جواز سفري في الحريق، ماذا أفعل؟"


def twilio(client, sender: str, body: str) -> str:
    form = {"From": sender, "To": "+14155550100", "Body": body, "MessageSid": "SM" + secrets.token_hex(16)}
    signature = RequestValidator(TEST_TWILIO_TOKEN).compute_signature("https://haven.example.org/webhooks/twilio", form)
    response = client.post("/webhooks/twilio", data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200
    return "".join(ET.fromstring(response.text).find("Message").itertext())


def test_one_question_every_channel(channel_client, provider, assistant):
    topic = assistant.content.topics["lost_documents"]
    sms_start = topic.sms.split(".")[0]
    chat_start = topic.chat.split("\n")[0]

    sms_text = twilio(channel_client, "+14155550161", QUESTION)
    assert sms_start in sms_text and "0 Menu" in sms_text
    assert sms.encode(sms_text).segments <= 2

    whatsapp_text = twilio(channel_client, "whatsapp:+14155550162", QUESTION)
    assert chat_start in whatsapp_text  # the fuller variant, still with numbered menus

    provider.clear()
    update = {"update_id": 880000001, "message": {"message_id": 1, "chat": {"id": 4155550163, "type": "private"}, "date": 1, "text": QUESTION}}
    channel_client.post("/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
    telegram = [body for url, body in provider.sent() if url.endswith("/sendMessage")][0]
    assert telegram["text"].startswith(chat_start)

    provider.clear()
    event = {"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [{"sender": {"id": "4155550164"}, "recipient": {"id": "1"}, "timestamp": 1, "message": {"mid": "m_same_" + secrets.token_hex(4), "text": QUESTION}}]}]}
    raw = json.dumps(event).encode()
    signature = "sha256=" + hmac.new(MESSENGER_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    channel_client.post("/webhooks/messenger", content=raw, headers={"X-Hub-Signature-256": signature, "content-type": "application/json"})
    messenger = [body for _url, body in provider.sent()][0]
    assert messenger["message"]["text"].startswith(chat_start)

    web = channel_client.post("/api/v1/chat", json={"session": secrets.token_hex(16), "text": QUESTION}).json()
    assert web["messages"][0]["text"].startswith(chat_start)
    assert web["messages"][0]["topic"] == "lost_documents"


def test_arabic_sms_stays_within_its_ucs2_budget(channel_client):
    text = twilio(channel_client, "+14155550165", ARABIC)
    encoded = sms.encode(text)
    assert encoded.encoding == "UCS-2"
    assert encoded.segments <= 4
