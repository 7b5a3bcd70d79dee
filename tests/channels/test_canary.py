"""The canary test: identifiers sent through every channel never reach disk or the logs.

Messages carrying unusual phone numbers, chat ids, user names, e-mails, IP addresses (in
X-Forwarded-For and in the text) and document numbers go through every channel; then every byte
under HAVEN_DATA_DIR and everything the process logged (all loggers at DEBUG, stdout, stderr) is
searched for each canary and for its plain digits.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets

from twilio.request_validator import RequestValidator

from tests.channels.conftest import MESSENGER_SECRET, TELEGRAM_SECRET
from tests.conftest import TEST_TWILIO_TOKEN

CANARIES = {
    "sms_sender": "+14155550187",
    "whatsapp_sender": "whatsapp:+14155550186",
    "telegram_chat": "987654321012",
    "telegram_user": "canary_user_zq",
    "telegram_name": "Zquillaname",
    "messenger_psid": "9876543210987654",
    "web_session": "canarysessionzq1234567",
    "forwarded_ip": "203.0.113.99",
    "typed_phone": "+44 7700 900123",
    "typed_email": "zq.canary@example.org",
    "typed_passport": "ZQ9876543",
    "typed_ip": "198.51.100.23",
}
TEXT = f"help me, my email is {CANARIES['typed_email']}, call {CANARIES['typed_phone']}, passport {CANARIES['typed_passport']}, my ip {CANARIES['typed_ip']}, I lost my documents"


def needles() -> set[str]:
    found = set()
    for value in CANARIES.values():
        found.add(value.lower())
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 7:
            found.add(digits)
            found.add(digits[-7:])  # the local part alone
    return found


def test_no_identifier_reaches_disk_or_logs(channel_client, data_dir, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    root = logging.getLogger()
    forwarded = {"X-Forwarded-For": CANARIES["forwarded_ip"], "X-Real-IP": CANARIES["forwarded_ip"]}

    for sender in (CANARIES["sms_sender"], CANARIES["whatsapp_sender"]):
        for body in (TEXT, "menu", "1", "STOP"):
            form = {"From": sender, "To": "+14155550100", "Body": body, "MessageSid": "SM" + secrets.token_hex(16)}
            signature = RequestValidator(TEST_TWILIO_TOKEN).compute_signature("https://haven.example.org/webhooks/twilio", form)
            response = channel_client.post("/webhooks/twilio", data=form, headers={"X-Twilio-Signature": signature, **forwarded})
            assert response.status_code == 200
        channel_client.post("/webhooks/twilio", data={"From": sender, "Body": TEXT}, headers={"X-Twilio-Signature": "forged", **forwarded})

    for index, text in enumerate((TEXT, "/menu")):
        update = {
            "update_id": 700000000 + index,
            "message": {
                "message_id": index,
                "from": {"id": int(CANARIES["telegram_chat"]), "is_bot": False, "first_name": CANARIES["telegram_name"], "username": CANARIES["telegram_user"]},
                "chat": {"id": int(CANARIES["telegram_chat"]), "type": "private", "username": CANARIES["telegram_user"], "first_name": CANARIES["telegram_name"]},
                "date": 1763856000,
                "text": text,
            },
        }
        response = channel_client.post("/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET, **forwarded})
        assert response.status_code == 200

    event = {"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [{"sender": {"id": CANARIES["messenger_psid"]}, "recipient": {"id": "1"}, "timestamp": 1, "message": {"mid": "m_canary_" + secrets.token_hex(4), "text": TEXT}}]}]}
    raw = json.dumps(event).encode()
    digest = "sha256=" + hmac.new(MESSENGER_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    assert channel_client.post("/webhooks/messenger", content=raw, headers={"X-Hub-Signature-256": digest, "content-type": "application/json", **forwarded}).status_code == 200

    for text in (TEXT, "menu"):
        response = channel_client.post("/api/v1/chat", json={"session": CANARIES["web_session"], "text": text}, headers=forwarded)
        assert response.status_code == 200
    assert channel_client.post("/api/v1/ask", json={"text": TEXT}, headers=forwarded).status_code == 200

    written = b"".join(path.read_bytes() for path in sorted(data_dir.rglob("*")) if path.is_file()).decode("utf-8", "replace").lower()
    assert written, "the conversations were stored somewhere under HAVEN_DATA_DIR"
    captured = capfd.readouterr()
    logged = "\n".join([caplog.text, captured.out, captured.err]).lower()
    for needle in needles():
        assert needle not in written, f"canary {needle!r} found under HAVEN_DATA_DIR"
        assert needle not in logged, f"canary {needle!r} found in the logs"
    assert root.level <= logging.DEBUG  # the logs above were captured at full verbosity
