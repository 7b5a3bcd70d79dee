"""`POST /webhooks/twilio` and `/webhooks/twilio/status`.

The signature is checked before the form is used for anything, against HAVEN_PUBLIC_URL when set
(Twilio signs the public URL, not the one a proxy forwards to).
"""

from __future__ import annotations

import logging
import re

from fastapi import APIRouter, Request, Response
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot import i18n, sms
from channels.core import Channel, Gateway

log = logging.getLogger(__name__)
router = APIRouter(tags=["twilio"])
TWIML = "application/xml"
# Characters XML 1.0 cannot carry (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/F): one
# of them in a reply would make the whole TwiML document unreadable to Twilio.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def signed_url(request: Request, public_url: str | None) -> str:
    """The URL Twilio signed: the public base URL plus this path and query."""
    path_and_query = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if public_url:
        return public_url + path_and_query
    proto = request.headers.get("x-forwarded-proto")
    host = request.headers.get("x-forwarded-host")
    if proto and host:
        return f"{proto.split(',')[0].strip()}://{host.split(',')[0].strip()}{path_and_query}"
    return str(request.url)


async def verified_form(request: Request, gateway: Gateway) -> dict[str, str] | Response:
    """The form fields if the X-Twilio-Signature is valid; otherwise a 403/503 response."""
    token = gateway.settings.twilio_auth_token
    if not token:
        return Response("Twilio channel not configured: set TWILIO_AUTH_TOKEN", status_code=503, media_type="text/plain")
    signature = request.headers.get("x-twilio-signature")
    if not signature:
        return Response("missing X-Twilio-Signature", status_code=403, media_type="text/plain")
    form = await request.form()
    params = {key: str(value) for key, value in form.multi_items()}
    if not RequestValidator(token).validate(signed_url(request, gateway.settings.public_url), params, signature):
        gateway.count("twilio.bad_signature")
        return Response("invalid X-Twilio-Signature", status_code=403, media_type="text/plain")
    return params


def twiml(*messages: str) -> Response:
    response = MessagingResponse()
    for text in messages:
        response.message(XML_INVALID.sub("", text))
    return Response(str(response), media_type=TWIML)


def sms_budget(language: str | None) -> int:
    locale = i18n.locales().get(language or "en") or i18n.locales()["en"]
    return locale.sms_segments


@router.post("/webhooks/twilio", summary="Twilio SMS / WhatsApp inbound message")
async def inbound(request: Request) -> Response:
    gateway: Gateway = request.app.state.gateway
    form = await verified_form(request, gateway)
    if isinstance(form, Response):
        return form
    address = form.get("From", "")
    if not address:
        return Response("missing From", status_code=400, media_type="text/plain")
    channel = Channel.WHATSAPP if address.startswith("whatsapp:") else Channel.SMS
    message_id = form.get("MessageSid") or form.get("SmsSid") or ""
    replies = gateway.replayed(message_id) if message_id else None
    if replies is None:
        message = gateway.inbound(channel, address, form.get("Body", ""))
        del address, form  # the real address goes no further
        replies = await gateway.reply(message)
        if message_id:
            gateway.remember(message_id, replies)
    text = "\n\n".join(r.text for r in replies if r.text)
    if channel is Channel.SMS:
        language = next((r.language for r in replies if r.language), None)
        text = sms.fit(text, sms_budget(language)).text
    return twiml(text) if text else twiml()


@router.post("/webhooks/twilio/status", summary="Twilio delivery status callback")
async def status(request: Request) -> Response:
    gateway: Gateway = request.app.state.gateway
    form = await verified_form(request, gateway)
    if isinstance(form, Response):
        return form
    state = "".join(ch for ch in form.get("MessageStatus", "unknown") if ch.isalpha())[:20] or "unknown"
    gateway.count(f"twilio.status.{state}")
    return Response(status_code=204)
