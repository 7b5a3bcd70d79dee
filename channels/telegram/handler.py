"""`POST /webhooks/telegram`: the secret-token header is checked before the update is read."""

from __future__ import annotations

import hmac
import json
import logging
import re

from fastapi import APIRouter, Request, Response

from channels import outbound
from channels.core import Channel, Gateway, Outbound

log = logging.getLogger(__name__)
router = APIRouter(tags=["telegram"])
CALLBACK_DATA_LIMIT = 64  # bytes Telegram allows in an inline button's callback_data
KEYBOARD_ROWS = 12
INTEGER = re.compile(r"-?[0-9]+")  # not str.isdigit: that accepts '²', which int() refuses


def keyboard(options: tuple[tuple[str, str], ...]) -> dict | None:
    buttons = [
        [{"text": title, "callback_data": payload}]
        for title, payload in options[:KEYBOARD_ROWS]
        if len(payload.encode()) <= CALLBACK_DATA_LIMIT
    ]
    return {"inline_keyboard": buttons} if buttons else None


def send_message_payload(chat_id: int | str, reply: Outbound) -> dict:
    payload: dict = {"chat_id": chat_id, "text": reply.text[:4096]}
    markup = keyboard(reply.options)
    if markup:
        payload["reply_markup"] = markup
    return payload


def _object(value: object) -> dict:
    """`value` if it is a JSON object, else {}: a forged update can put anything anywhere."""
    return value if isinstance(value, dict) else {}


def _chat_id(chat: object) -> str | None:
    """A chat id is an integer (or a string); anything else is not a Telegram chat."""
    if isinstance(chat, (int, str)) and not isinstance(chat, bool):
        return str(chat)
    return None


def parse_update(update: dict) -> tuple[str, str, str | None] | None:
    """(chat id, text, callback query id) for a text message or a button press; None otherwise."""
    if isinstance(update.get("callback_query"), dict):
        query = update["callback_query"]
        chat = _chat_id(_object(_object(query.get("message")).get("chat")).get("id"))
        data = query.get("data")
        if chat is not None and isinstance(data, str):
            return chat, data, str(query.get("id", ""))
        return None
    message = update.get("message") or update.get("edited_message")
    if isinstance(message, dict):
        chat = _chat_id(_object(message.get("chat")).get("id"))
        text = message.get("text")
        if chat is not None and isinstance(text, str) and text.strip():
            return chat, text, None
    return None


@router.post("/webhooks/telegram", summary="Telegram Bot API update")
async def inbound(request: Request) -> Response:
    gateway: Gateway = request.app.state.gateway
    settings = gateway.settings
    if not settings.telegram_secret_token or not settings.telegram_bot_token:
        return Response("Telegram channel not configured: set TELEGRAM_BOT_TOKEN and TELEGRAM_SECRET_TOKEN", status_code=503, media_type="text/plain")
    token = request.headers.get("x-telegram-bot-api-secret-token", "")
    if not hmac.compare_digest(token.encode(), settings.telegram_secret_token.encode()):
        gateway.count("telegram.bad_secret")
        return Response("invalid X-Telegram-Bot-Api-Secret-Token", status_code=403, media_type="text/plain")
    try:
        update = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deep
        return Response("body is not JSON", status_code=400, media_type="text/plain")
    if not isinstance(update, dict):
        return Response("update must be a JSON object", status_code=400, media_type="text/plain")
    update_id = update.get("update_id")
    parsed = parse_update(update)
    if parsed is None:
        gateway.count("telegram.ignored")
        return Response(status_code=200)  # other update kinds: acknowledged, nothing to say
    chat_id, text, callback_id = parsed
    replay_key = f"telegram:{update_id}" if update_id is not None else ""
    if replay_key and gateway.replayed(replay_key) is not None:
        return Response(status_code=200)
    message = gateway.inbound(Channel.TELEGRAM, chat_id, text)
    replies = await gateway.reply(message)
    if replay_key:
        gateway.remember(replay_key, replies)
    base = f"{settings.telegram_api_base}/bot{settings.telegram_bot_token}"
    if callback_id:
        await outbound.post_json(gateway.http, f"{base}/answerCallbackQuery", {"callback_query_id": callback_id})
    for reply in replies:
        if reply.text:
            await outbound.post_json(gateway.http, f"{base}/sendMessage", send_message_payload(int(chat_id) if INTEGER.fullmatch(chat_id) else chat_id, reply))
    return Response(status_code=200)
