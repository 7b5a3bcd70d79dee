"""`GET, POST /webhooks/messenger`: verify handshake; events signed with X-Hub-Signature-256."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from channels import outbound
from channels.core import Channel, Gateway, Outbound

log = logging.getLogger(__name__)
router = APIRouter(tags=["messenger"])
QUICK_REPLIES_LIMIT = 13
TITLE_LIMIT = 20
PAYLOAD_LIMIT = 1000


def signature_ok(app_secret: str, body: bytes, header: str) -> bool:
    expected = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.encode())


def send_payload(psid: str, reply: Outbound) -> dict:
    message: dict = {"text": reply.text[:2000]}
    quick = [
        {"content_type": "text", "title": title[:TITLE_LIMIT], "payload": payload}
        for title, payload in reply.options[:QUICK_REPLIES_LIMIT]
        if len(payload) <= PAYLOAD_LIMIT
    ]
    if quick:
        message["quick_replies"] = quick
    return {"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": message}


def _object(value: object) -> dict:
    """`value` if it is a JSON object, else {}: a forged event can put anything anywhere."""
    return value if isinstance(value, dict) else {}


def _array(value: object) -> list:
    return value if isinstance(value, list) else []


def parse_events(body: dict) -> list[tuple[str, str, str]]:
    """(sender PSID, text or payload, message id) for each text message, quick reply or postback."""
    found = []
    if body.get("object") != "page":
        return found
    for entry in _array(body.get("entry")):
        for event in _array(_object(entry).get("messaging")):
            if not isinstance(event, dict):
                continue
            psid = _object(event.get("sender")).get("id")
            message = _object(event.get("message"))
            if not psid or not isinstance(psid, (str, int)) or isinstance(psid, bool) or message.get("is_echo"):
                continue
            text = _object(message.get("quick_reply")).get("payload") or message.get("text") or _object(event.get("postback")).get("payload")
            if isinstance(text, str) and text.strip():
                found.append((str(psid), text, str(message.get("mid") or "")))
    return found


@router.get("/webhooks/messenger", summary="Messenger webhook verification handshake")
async def verify(request: Request) -> Response:
    gateway: Gateway = request.app.state.gateway
    expected = gateway.settings.messenger_verify_token
    query = request.query_params
    if not expected:
        return PlainTextResponse("Messenger channel not configured: set MESSENGER_VERIFY_TOKEN", status_code=503)
    token = query.get("hub.verify_token", "")
    if query.get("hub.mode") == "subscribe" and hmac.compare_digest(token.encode(), expected.encode()):
        return PlainTextResponse(query.get("hub.challenge", ""))
    return PlainTextResponse("verification failed", status_code=403)


@router.post("/webhooks/messenger", summary="Messenger events")
async def inbound(request: Request) -> Response:
    gateway: Gateway = request.app.state.gateway
    settings = gateway.settings
    if not settings.messenger_app_secret or not settings.messenger_page_token:
        return PlainTextResponse("Messenger channel not configured: set MESSENGER_APP_SECRET and MESSENGER_PAGE_TOKEN", status_code=503)
    body = await request.body()
    header = request.headers.get("x-hub-signature-256", "")
    if not header or not signature_ok(settings.messenger_app_secret, body, header):
        gateway.count("messenger.bad_signature")
        return PlainTextResponse("missing or invalid X-Hub-Signature-256", status_code=403)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deep
        return PlainTextResponse("body is not JSON", status_code=400)
    if not isinstance(data, dict):
        return PlainTextResponse("body must be a JSON object", status_code=400)
    events = parse_events(data)
    if not events:
        gateway.count("messenger.ignored")
    url = f"{settings.messenger_api_base}/me/messages"
    for psid, text, mid in events:
        replay_key = f"messenger:{mid}" if mid else ""
        if replay_key and gateway.replayed(replay_key) is not None:
            continue
        replies = await gateway.reply(gateway.inbound(Channel.MESSENGER, psid, text))
        if replay_key:
            gateway.remember(replay_key, replies)
        for reply in replies:
            if reply.text:
                await outbound.post_json(gateway.http, url, send_payload(psid, reply), params={"access_token": settings.messenger_page_token})
    return PlainTextResponse("EVENT_RECEIVED")
