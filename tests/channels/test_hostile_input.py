"""Hostile input never yields a 500 or a crash: one table of cases per endpoint.

Every class of hostile input is tried on every endpoint it applies to: oversized bodies (with a
Content-Length and chunked without one), wrong content types, invalid UTF-8, 10,000-character
messages, control characters, emoji floods, markup and SQL-like text, missing fields, payloads
that inject Rasa intents and entities, forged payload shapes, and replayed and forged signatures.

Bad input gets its exact 4xx status and a reason; merely strange text is answered normally (200
and a non-empty answer). After every case the same conversation still gets the right answer to
a normal question, and so does the JSON API.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Callable
from urllib.parse import unquote_plus, urlencode

import pytest
from twilio.request_validator import RequestValidator

from tests.channels.conftest import MESSENGER_BASE, MESSENGER_SECRET, TELEGRAM_BASE, TELEGRAM_SECRET, TELEGRAM_TOKEN
from tests.conftest import TEST_TWILIO_TOKEN

LIMIT = 64 * 1024  # settings.max_body_bytes in tests/conftest.py
TOO_BIG = f"request body over {LIMIT} bytes"
NORMAL = "my passport burned in the fire what do I do"  # -> lost_documents
TWILIO_URL = "https://haven.example.org/webhooks/twilio"
TELEGRAM_SEND = f"{TELEGRAM_BASE}/bot{TELEGRAM_TOKEN}/sendMessage"
MESSENGER_SEND = f"{MESSENGER_BASE}/me/messages"

ANSWERED = "answered"  # 200 and a non-empty answer
IGNORED = "ignored"  # 200 (acknowledged to the provider) and nothing sent
REPLAYED = "replayed"  # 200, the bot not run again

# Strange but legitimate text: always answered normally.
CONTROL = "help\x00 me\x01\x02\x07\x08\x0b\x0c\x1b[31m my passport\x7f\x85\u2028\u202e"
EMOJI_FLOOD = "😀🔥💣🆘🇱🇧👨‍👩‍👧" * 180  # 1,980 code points (the API allows 2,000): astral, flags, ZWJ
MARKUP = "<script>alert(1)</script><b>help</b> &amp; &#0; <![CDATA[x]]> {{7*7}} ${jndi:ldap://x} <?xml?>"
SQL = "'; DROP TABLE events; -- \" OR 1=1; SELECT * FROM users WHERE '1'='1' /* */ UNION ALL"
LONG = ("where can we sleep tonight, our house was bombed " * 250)[:10_000]
NESTED = b"[" * 5000 + b"]" * 5000  # valid JSON shape, nested past the parser's recursion limit
# Rasa reads '/intent{json}' as an intent with entities, whoever types it.
INJECT_COUNTRY = '/set_country{"country": {"a": 1}}'
INJECT_CONTROL = '/set_country{"country": "\\u0001\\u0002"}'
INJECT_PAGE = '/menu{"help_kind": "what_to_do", "page": "NaN"}'
INJECT_LANGUAGE = '/set_language{"language": 5}'
INTERNAL_INTENT = "/session_start"


def chunked(*parts: bytes):
    """A body httpx sends chunked, without a Content-Length."""
    return iter(parts)


def lost_documents_words(assistant, variant: str) -> str:
    return getattr(assistant.content.topics["lost_documents"], variant).split(".")[0][:30]


def ask_still_answers(client) -> None:
    response = client.post("/api/v1/ask", json={"text": NORMAL})
    assert response.status_code == 200, response.text
    assert response.json()["topic"] == "lost_documents"


# -- /api/v1/ask --------------------------------------------------------------------------------
JSON = {"content-type": "application/json"}

ASK_CASES = [
    pytest.param({"content": b'{"text": "' + b"x" * LIMIT + b'"}', "headers": JSON}, 413, TOO_BIG, id="oversized"),
    pytest.param({"content": chunked(b'{"text": "', b"x" * LIMIT, b'"}'), "headers": JSON}, 413, TOO_BIG, id="oversized-chunked"),
    pytest.param({"content": b'{"text": "hi"}', "headers": {"content-type": "text/plain"}}, 422, "not a valid dict", id="text-plain"),
    pytest.param({"data": {"text": "hi"}}, 422, "not a valid dict", id="form-encoded"),
    pytest.param({"files": {"text": ("q.txt", b"hi")}}, 422, "not a valid dict", id="multipart"),
    pytest.param({"content": b'{"text": "\xff\xfe where"}', "headers": JSON}, 422, "not valid JSON", id="invalid-utf8"),
    pytest.param({"content": '{"text": "caf\xe9"}'.encode("latin-1"), "headers": {"content-type": "application/json; charset=latin-1"}}, 422, "not valid JSON", id="latin1-declared"),
    pytest.param({"content": NESTED, "headers": JSON}, 422, "not valid JSON", id="nested-too-deep"),
    pytest.param({"content": b'{"text": ' + b"9" * 5000 + b"}", "headers": JSON}, 422, "not valid JSON", id="5000-digit-number"),
    pytest.param({"content": b"", "headers": JSON}, 422, "field required", id="empty-body"),
    pytest.param({"json": {}}, 422, "field required", id="missing-text"),
    pytest.param({"json": {"country": "LB"}}, 422, "field required", id="only-country"),
    pytest.param({"json": [NORMAL]}, 422, "not a valid dict", id="array"),
    pytest.param({"json": {"text": 5}}, 422, "str type expected", id="text-not-a-string"),
    pytest.param({"json": {"text": "\x00\x01 \t"}}, 200, ANSWERED, id="only-control-characters"),
    pytest.param({"json": {"text": " \n\t "}}, 422, "text is empty", id="blank"),
    pytest.param({"json": {"text": LONG}}, 422, "at most 2000 characters", id="10000-characters"),
    pytest.param({"json": {"text": NORMAL, "country": "éé"}}, 422, "two-letter ISO 3166", id="country-not-ascii"),
    pytest.param({"json": {"text": NORMAL, "country": "ßß"}}, 422, "two-letter ISO 3166", id="country-upper-grows"),
    pytest.param({"json": {"text": NORMAL, "language": "\x00"}}, 422, "unsupported language", id="language-nul"),
    pytest.param({"json": {"text": CONTROL}}, 200, ANSWERED, id="control-characters"),
    pytest.param({"json": {"text": EMOJI_FLOOD}}, 200, ANSWERED, id="emoji-flood"),
    pytest.param({"json": {"text": "🆘"}}, 200, ANSWERED, id="emoji-only"),
    pytest.param({"json": {"text": MARKUP}}, 200, ANSWERED, id="markup"),
    pytest.param({"json": {"text": SQL}}, 200, ANSWERED, id="sql-like"),
    pytest.param({"content": b'{"text": "\\ud800 where can we sleep"}', "headers": JSON}, 200, ANSWERED, id="lone-surrogate"),
    pytest.param({"json": {"text": NORMAL, "admin": True}}, 200, ANSWERED, id="unknown-field"),
    pytest.param({"json": {"text": INJECT_COUNTRY}}, 200, ANSWERED, id="inject-country-object"),
    pytest.param({"json": {"text": INJECT_CONTROL}}, 200, ANSWERED, id="inject-country-control"),
    pytest.param({"json": {"text": INJECT_PAGE}}, 200, ANSWERED, id="inject-page-nan"),
    pytest.param({"json": {"text": INJECT_LANGUAGE}}, 200, ANSWERED, id="inject-language-number"),
    pytest.param({"json": {"text": '/set_nationality{"nationality": [1, {"x": 2}]}'}}, 200, ANSWERED, id="inject-nationality-list"),
    pytest.param({"json": {"text": INTERNAL_INTENT}}, 200, ANSWERED, id="internal-intent"),
]


@pytest.mark.parametrize(("request_kwargs", "status", "expect"), ASK_CASES)
def test_ask(channel_client, request_kwargs, status, expect):
    response = channel_client.post("/api/v1/ask", **request_kwargs)
    assert response.status_code == status, response.text[:300]
    if expect == ANSWERED:
        assert response.json()["answer"].strip()
    else:
        assert expect in response.text
    ask_still_answers(channel_client)


@pytest.mark.parametrize("length", [b"\xb2", b"-1", b"1e9", b"", b" 12"], ids=["superscript-two", "negative", "float", "empty", "space"])
def test_odd_content_length_is_not_a_crash(run, length):
    """Header bytes are decoded as latin-1, so 0xB2 arrives as '²', which isdigit() accepts and int()
    refuses. (httpx would re-encode it, so this talks ASGI to the middleware directly.)"""
    from channels.app import LimitBody

    async def app(scope, receive, send):
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive():
        return {"type": "http.request", "body": b'{"text": "hi"}', "more_body": False}

    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/ask", "headers": [(b"content-length", length)]}
    run(LimitBody(app, max_bytes=LIMIT)(scope, receive, send))
    assert sent[0]["status"] == 200


# -- /api/v1/chat -------------------------------------------------------------------------------
def chat_body(session: str, text) -> dict:
    return {"session": session, "text": text}


CHAT_CASES = [
    pytest.param(lambda s: {"content": json.dumps(chat_body(s, "x" * LIMIT)).encode(), "headers": JSON}, 413, TOO_BIG, id="oversized"),
    pytest.param(lambda s: {"content": chunked(b'{"session": "' + s.encode() + b'", "text": "', b"x" * LIMIT, b'"}'), "headers": JSON}, 413, TOO_BIG, id="oversized-chunked"),
    pytest.param(lambda s: {"content": json.dumps(chat_body(s, "hi")).encode(), "headers": {"content-type": "text/plain"}}, 422, "not a valid dict", id="text-plain"),
    pytest.param(lambda s: {"data": chat_body(s, "hi")}, 422, "not a valid dict", id="form-encoded"),
    pytest.param(lambda s: {"content": b'{"session": "' + s.encode() + b'", "text": "\xff\xfe"}', "headers": JSON}, 422, "not valid JSON", id="invalid-utf8"),
    pytest.param(lambda s: {"content": NESTED, "headers": JSON}, 422, "not valid JSON", id="nested-too-deep"),
    pytest.param(lambda s: {"json": {"text": NORMAL}}, 422, "field required", id="missing-session"),
    pytest.param(lambda s: {"json": {"session": s}}, 422, "field required", id="missing-text"),
    pytest.param(lambda s: {"json": chat_body("../../etc/passwd", NORMAL)}, 422, "string does not match regex", id="session-path"),
    pytest.param(lambda s: {"json": chat_body(s + "'; DROP TABLE events;--", NORMAL)}, 422, "string does not match regex", id="session-sql"),
    pytest.param(lambda s: {"json": chat_body(s, ["hi"])}, 422, "str type expected", id="text-not-a-string"),
    pytest.param(lambda s: {"json": chat_body(s, LONG)}, 422, "at most 2000 characters", id="10000-characters"),
    pytest.param(lambda s: {"json": {**chat_body(s, NORMAL), "language": "\x00"}}, 200, ANSWERED, id="language-nul"),
    pytest.param(lambda s: {"json": chat_body(s, CONTROL)}, 200, ANSWERED, id="control-characters"),
    pytest.param(lambda s: {"json": chat_body(s, EMOJI_FLOOD)}, 200, ANSWERED, id="emoji-flood"),
    pytest.param(lambda s: {"json": chat_body(s, MARKUP)}, 200, ANSWERED, id="markup"),
    pytest.param(lambda s: {"json": chat_body(s, SQL)}, 200, ANSWERED, id="sql-like"),
    pytest.param(lambda s: {"json": chat_body(s, INJECT_COUNTRY)}, 200, ANSWERED, id="inject-country-object"),
    pytest.param(lambda s: {"json": chat_body(s, INJECT_CONTROL)}, 200, ANSWERED, id="inject-country-control"),
    pytest.param(lambda s: {"json": chat_body(s, INJECT_PAGE)}, 200, ANSWERED, id="inject-page-nan"),
    pytest.param(lambda s: {"json": chat_body(s, '/set_nationality{"nationality": {"a": 1}}')}, 200, ANSWERED, id="inject-nationality-object"),
]


@pytest.mark.parametrize(("request_kwargs", "status", "expect"), CHAT_CASES)
def test_chat(channel_client, assistant, request_kwargs: Callable[[str], dict], status, expect):
    session = uuid.uuid4().hex
    response = channel_client.post("/api/v1/chat", **request_kwargs(session))
    assert response.status_code == status, response.text[:300]
    if expect == ANSWERED:
        messages = response.json()["messages"]
        assert messages and all(m["text"].strip() for m in messages)
    else:
        assert expect in response.text
    # the same conversation is not broken by what came before
    after = channel_client.post("/api/v1/chat", json=chat_body(session, NORMAL))
    assert after.status_code == 200, after.text
    assert lost_documents_words(assistant, "chat") in " ".join(m["text"] for m in after.json()["messages"])
    ask_still_answers(channel_client)


# -- /webhooks/twilio ---------------------------------------------------------------------------
def twilio_params(sender: str, body: str) -> dict[str, str]:
    return {"From": sender, "To": "+14155550100", "Body": body, "MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": "AC" + "0" * 32}


def twilio_signature(params: dict[str, str], token: str = TEST_TWILIO_TOKEN, url: str = TWILIO_URL) -> str:
    return RequestValidator(token).compute_signature(url, params)


def twilio_signed(params: dict[str, str], **kwargs) -> dict:
    return {"data": params, "headers": {"X-Twilio-Signature": twilio_signature(params, **kwargs)}}


def twilio_raw_signed(raw: bytes) -> dict:
    """A raw form body signed over the fields as the server decodes them (as Twilio would sign)."""
    params = {}
    for pair in raw.split(b"&"):
        name, _, value = pair.partition(b"=")
        params[unquote_plus(name.decode("latin-1"))] = unquote_plus(value.decode("latin-1"))
    headers = {"content-type": "application/x-www-form-urlencoded", "X-Twilio-Signature": twilio_signature(params)}
    return {"content": raw, "headers": headers}


def twilio_replayed(client, sender: str) -> dict:
    """The identical signed request, sent once before the case's own request."""
    kwargs = twilio_signed(twilio_params(sender, "where can we sleep tonight"))
    first = client.post("/webhooks/twilio", **kwargs)
    assert first.status_code == 200
    kwargs["expect_same_as"] = first.text
    return kwargs


def twilio_signature_reused(client, sender: str) -> dict:
    """A genuine signature, replayed on a body the attacker changed."""
    params = twilio_params(sender, "where can we sleep tonight")
    headers = {"X-Twilio-Signature": twilio_signature(params)}
    return {"data": {**params, "Body": "FORGET"}, "headers": headers}


def encode_form(params: dict[str, str]) -> bytes:
    return urlencode(params).encode()


TWILIO_CASES = [
    pytest.param(lambda c, s: twilio_signed(twilio_params(s, "x" * LIMIT)), 413, TOO_BIG, id="oversized"),
    pytest.param(lambda c, s: {"content": chunked(b"From=%2B1&Body=", b"x" * LIMIT), "headers": {"content-type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "c2lnbmF0dXJl"}}, 413, TOO_BIG, id="oversized-chunked"),
    pytest.param(lambda c, s: {"json": twilio_params(s, NORMAL), "headers": {"X-Twilio-Signature": twilio_signature({})}}, 400, "missing From", id="json-instead-of-form"),
    pytest.param(lambda c, s: {"content": b"--x\r\nfoo", "headers": {"content-type": "multipart/form-data", "X-Twilio-Signature": "c2ln"}}, 400, "Missing boundary", id="multipart-without-boundary"),
    pytest.param(lambda c, s: twilio_raw_signed(encode_form({"From": s, "MessageSid": "SM" + uuid.uuid4().hex}) + b"&Body=%FF%FE%C0%AF"), 200, ANSWERED, id="invalid-utf8-percent-encoded"),
    pytest.param(lambda c, s: twilio_raw_signed(encode_form({"From": s, "MessageSid": "SM" + uuid.uuid4().hex}) + b"&Body=\xff\xfe\xc0\xaf"), 200, ANSWERED, id="invalid-utf8-raw-bytes"),
    pytest.param(lambda c, s: twilio_signed({k: v for k, v in twilio_params(s, NORMAL).items() if k != "From"}), 400, "missing From", id="missing-from"),
    pytest.param(lambda c, s: twilio_signed({k: v for k, v in twilio_params(s, "").items() if k != "Body"}), 200, ANSWERED, id="missing-body"),
    pytest.param(lambda c, s: twilio_signed({"From": s}), 200, ANSWERED, id="only-from"),
    pytest.param(lambda c, s: twilio_signed(twilio_params(s, LONG)), 200, ANSWERED, id="10000-characters"),
    pytest.param(lambda c, s: twilio_signed(twilio_params(s, CONTROL)), 200, ANSWERED, id="control-characters"),
    pytest.param(lambda c, s: twilio_signed(twilio_params(s, EMOJI_FLOOD * 2)), 200, ANSWERED, id="emoji-flood"),
    pytest.param(lambda c, s: twilio_signed(twilio_params(s, MARKUP)), 200, ANSWERED, id="markup"),
    pytest.param(lambda c, s: twilio_signed(twilio_params(s, SQL)), 200, ANSWERED, id="sql-like"),
    pytest.param(lambda c, s: twilio_signed(twilio_params(s, INJECT_COUNTRY)), 200, ANSWERED, id="inject-country-object"),
    pytest.param(lambda c, s: twilio_signed(twilio_params(s, INJECT_CONTROL)), 200, ANSWERED, id="inject-country-control"),
    pytest.param(lambda c, s: twilio_signed(twilio_params(s, INJECT_PAGE)), 200, ANSWERED, id="inject-page-nan"),
    pytest.param(lambda c, s: twilio_signed(twilio_params(s, INJECT_LANGUAGE)), 200, ANSWERED, id="inject-language-number"),
    pytest.param(twilio_replayed, 200, REPLAYED, id="replayed"),
    pytest.param(twilio_signature_reused, 403, "invalid X-Twilio-Signature", id="signature-reused-on-changed-body"),
    pytest.param(lambda c, s: {"data": twilio_params(s, NORMAL)}, 403, "missing X-Twilio-Signature", id="unsigned"),
    pytest.param(lambda c, s: twilio_signed(twilio_params(s, NORMAL), token="another-token-0000000000000000"), 403, "invalid X-Twilio-Signature", id="forged-other-token"),
    pytest.param(lambda c, s: twilio_signed(twilio_params(s, NORMAL), url="https://attacker.example.com/webhooks/twilio"), 403, "invalid X-Twilio-Signature", id="forged-other-url"),
    pytest.param(lambda c, s: {"data": twilio_params(s, NORMAL), "headers": {b"X-Twilio-Signature": b"\xe9\xff\x00"}}, 403, "invalid X-Twilio-Signature", id="forged-non-ascii"),
]


@pytest.mark.parametrize(("build", "status", "expect"), TWILIO_CASES)
def test_twilio(channel_client, assistant, build, status, expect):
    sender = f"+1415555{uuid.uuid4().int % 10_000:04d}"  # fake numbers (555-01xx range style)
    kwargs = build(channel_client, sender)
    same_as = kwargs.pop("expect_same_as", None)
    replayed_before = channel_client.app.state.gateway.counters.get("replayed", 0)
    response = channel_client.post("/webhooks/twilio", **kwargs)
    assert response.status_code == status, response.text[:300]
    if expect in (ANSWERED, REPLAYED):
        assert response.headers["content-type"].startswith("application/xml")
        assert twiml_text(response).strip()
    else:
        assert expect in response.text
    if expect == REPLAYED:
        assert response.text == same_as
        assert channel_client.app.state.gateway.counters.get("replayed", 0) == replayed_before + 1
    after = channel_client.post("/webhooks/twilio", **twilio_signed(twilio_params(sender, NORMAL)))
    assert after.status_code == 200, after.text
    assert lost_documents_words(assistant, "sms") in twiml_text(after)
    ask_still_answers(channel_client)


def twiml_text(response) -> str:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(response.content)  # must stay well-formed XML, whatever came in
    assert root.tag == "Response"
    return "\n".join("".join(message.itertext()) for message in root.findall("Message"))


# -- /webhooks/telegram -------------------------------------------------------------------------
TELEGRAM_HEADERS = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET, "content-type": "application/json"}


def telegram_update(chat: int, text) -> dict:
    return {"update_id": uuid.uuid4().int % 10**9, "message": {"message_id": 1, "chat": {"id": chat, "type": "private"}, "date": 0, "text": text}}


def tg(update: dict | bytes, headers: dict | None = None) -> dict:
    content = update if isinstance(update, bytes) else json.dumps(update).encode()
    return {"content": content, "headers": TELEGRAM_HEADERS if headers is None else headers}


def telegram_replayed(client, chat: int) -> dict:
    kwargs = tg(telegram_update(chat, "where can we sleep tonight"))
    assert client.post("/webhooks/telegram", **kwargs).status_code == 200
    return kwargs


TELEGRAM_CASES = [
    pytest.param(lambda c, chat: tg(telegram_update(chat, "x" * LIMIT)), 413, TOO_BIG, id="oversized"),
    pytest.param(lambda c, chat: {"content": chunked(b'{"update_id": 1, "message": {"text": "', b"x" * LIMIT, b'"}}'), "headers": TELEGRAM_HEADERS}, 413, TOO_BIG, id="oversized-chunked"),
    pytest.param(lambda c, chat: {"data": {"update_id": "1", "text": "hi"}, "headers": {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}}, 400, "body is not JSON", id="form-encoded"),
    pytest.param(lambda c, chat: tg(b'{"update_id": 1, "message": {"chat": {"id": 1}, "text": "\xff\xfe"}}'), 400, "body is not JSON", id="invalid-utf8"),
    pytest.param(lambda c, chat: tg(NESTED), 400, "body is not JSON", id="nested-too-deep"),
    pytest.param(lambda c, chat: tg(b""), 400, "body is not JSON", id="empty-body"),
    pytest.param(lambda c, chat: tg(b'"update"'), 400, "must be a JSON object", id="json-string"),
    pytest.param(lambda c, chat: tg({"update_id": 1}), 200, IGNORED, id="missing-message"),
    pytest.param(lambda c, chat: tg({"update_id": 2, "message": {"text": NORMAL}}), 200, IGNORED, id="missing-chat"),
    pytest.param(lambda c, chat: tg({"update_id": 3, "message": {"chat": {"id": chat}}}), 200, IGNORED, id="missing-text"),
    pytest.param(lambda c, chat: tg({"update_id": 4, "message": {"chat": "x", "text": NORMAL}}), 200, IGNORED, id="chat-not-an-object"),
    pytest.param(lambda c, chat: tg({"update_id": 5, "message": {"chat": [chat], "text": NORMAL}}), 200, IGNORED, id="chat-a-list"),
    pytest.param(lambda c, chat: tg({"update_id": 6, "message": {"chat": {"id": {"a": 1}}, "text": NORMAL}}), 200, IGNORED, id="chat-id-an-object"),
    pytest.param(lambda c, chat: tg({"update_id": 7, "message": "hi"}), 200, IGNORED, id="message-a-string"),
    pytest.param(lambda c, chat: tg({"update_id": 8, "callback_query": {"id": "1", "message": "x", "data": "/menu"}}), 200, IGNORED, id="button-message-a-string"),
    pytest.param(lambda c, chat: tg({"update_id": 9, "callback_query": {"id": "1", "message": {"chat": 5}, "data": "/menu"}}), 200, IGNORED, id="button-chat-a-number"),
    pytest.param(lambda c, chat: tg(telegram_update(chat, LONG)), 200, ANSWERED, id="10000-characters"),
    pytest.param(lambda c, chat: tg(telegram_update(chat, CONTROL)), 200, ANSWERED, id="control-characters"),
    pytest.param(lambda c, chat: tg(telegram_update(chat, EMOJI_FLOOD * 2)), 200, ANSWERED, id="emoji-flood"),
    pytest.param(lambda c, chat: tg(telegram_update(chat, MARKUP)), 200, ANSWERED, id="markup"),
    pytest.param(lambda c, chat: tg(telegram_update(chat, SQL)), 200, ANSWERED, id="sql-like"),
    pytest.param(lambda c, chat: tg(b'{"update_id": 10, "message": {"chat": {"id": %d}, "text": "\\udc00 where can we sleep"}}' % chat), 200, ANSWERED, id="lone-surrogate"),
    pytest.param(lambda c, chat: tg(telegram_update(chat, INJECT_COUNTRY)), 200, ANSWERED, id="inject-country-object"),
    pytest.param(lambda c, chat: tg(telegram_update(chat, INJECT_PAGE)), 200, ANSWERED, id="inject-page-nan"),
    pytest.param(lambda c, chat: tg(telegram_update("²", NORMAL)), 200, ANSWERED, id="chat-id-superscript-digit"),
    pytest.param(lambda c, chat: tg(telegram_update("--5", NORMAL)), 200, ANSWERED, id="chat-id-double-minus"),
    pytest.param(telegram_replayed, 200, IGNORED, id="replayed"),
    pytest.param(lambda c, chat: tg(telegram_update(chat, NORMAL), headers={"content-type": "application/json"}), 403, "invalid X-Telegram-Bot-Api-Secret-Token", id="unsigned"),
    pytest.param(lambda c, chat: tg(telegram_update(chat, NORMAL), headers={**TELEGRAM_HEADERS, "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET + "x"}), 403, "invalid X-Telegram-Bot-Api-Secret-Token", id="forged-secret"),
    pytest.param(lambda c, chat: tg(telegram_update(chat, NORMAL), headers={b"X-Telegram-Bot-Api-Secret-Token": b"\xe9t\xe9"}), 403, "invalid X-Telegram-Bot-Api-Secret-Token", id="forged-non-ascii"),
]


@pytest.mark.parametrize(("build", "status", "expect"), TELEGRAM_CASES)
def test_telegram(channel_client, provider, assistant, build, status, expect):
    chat = uuid.uuid4().int % 10**9
    kwargs = build(channel_client, chat)
    provider.clear()
    response = channel_client.post("/webhooks/telegram", **kwargs)
    assert response.status_code == status, response.text[:300]
    sends = [sent for url, sent in provider.sent() if url == TELEGRAM_SEND]
    if expect == ANSWERED:
        assert sends and all(sent["text"].strip() for sent in sends)
    elif expect == IGNORED:
        assert sends == []
    else:
        assert expect in response.text and sends == []
    provider.clear()
    after = channel_client.post("/webhooks/telegram", **tg(telegram_update(chat, NORMAL)))
    assert after.status_code == 200
    ((url, sent),) = [(url, sent) for url, sent in provider.sent() if url == TELEGRAM_SEND]
    assert sent["chat_id"] == chat
    assert lost_documents_words(assistant, "chat") in sent["text"]
    ask_still_answers(channel_client)


# -- /webhooks/messenger ------------------------------------------------------------------------
def messenger_event(psid: str, text, mid: str | None = None) -> dict:
    message = {"mid": mid or "m_" + uuid.uuid4().hex, "text": text}
    return {"object": "page", "entry": [{"id": "1", "time": 0, "messaging": [{"sender": {"id": psid}, "recipient": {"id": "1"}, "timestamp": 0, "message": message}]}]}


def messenger_signature(body: bytes, secret: str = MESSENGER_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def fb(event: dict | bytes, signature: str | bytes | None = None, content_type: str = "application/json") -> dict:
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    headers = {"content-type": content_type, "X-Hub-Signature-256": messenger_signature(body) if signature is None else signature}
    return {"content": body, "headers": headers}


def messenger_replayed(client, psid: str) -> dict:
    kwargs = fb(messenger_event(psid, "where can we sleep tonight"))
    assert client.post("/webhooks/messenger", **kwargs).status_code == 200
    return kwargs


def messenger_signature_reused(client, psid: str) -> dict:
    body = json.dumps(messenger_event(psid, "where can we sleep tonight")).encode()
    return fb(body.replace(b"sleep", b"go"), signature=messenger_signature(body))


FORM = "application/x-www-form-urlencoded"

MESSENGER_CASES = [
    pytest.param(lambda c, p: fb(messenger_event(p, "x" * LIMIT)), 413, TOO_BIG, id="oversized"),
    pytest.param(lambda c, p: {"content": chunked(b'{"object": "page", "entry": "', b"x" * LIMIT, b'"}'), "headers": {"content-type": "application/json", "X-Hub-Signature-256": "sha256=00"}}, 413, TOO_BIG, id="oversized-chunked"),
    pytest.param(lambda c, p: fb(b"object=page&entry=1", content_type=FORM), 400, "body is not JSON", id="form-encoded"),
    pytest.param(lambda c, p: fb(b'{"object": "page", "entry": [{"messaging": [{"sender": {"id": "1"}, "message": {"text": "\xff\xfe"}}]}]}'), 400, "body is not JSON", id="invalid-utf8"),
    pytest.param(lambda c, p: fb(NESTED), 400, "body is not JSON", id="nested-too-deep"),
    pytest.param(lambda c, p: fb(b"[]"), 400, "must be a JSON object", id="array"),
    pytest.param(lambda c, p: fb({"object": "page"}), 200, IGNORED, id="missing-entry"),
    pytest.param(lambda c, p: fb({"object": "page", "entry": [{"messaging": [{"message": {"text": NORMAL}}]}]}), 200, IGNORED, id="missing-sender"),
    pytest.param(lambda c, p: fb({"object": "page", "entry": [{"messaging": [{"sender": {"id": p}}]}]}), 200, IGNORED, id="missing-message"),
    pytest.param(lambda c, p: fb({"object": "page", "entry": {"messaging": []}}), 200, IGNORED, id="entry-an-object"),
    pytest.param(lambda c, p: fb({"object": "page", "entry": ["x", 5, None]}), 200, IGNORED, id="entry-items-not-objects"),
    pytest.param(lambda c, p: fb({"object": "page", "entry": 5}), 200, IGNORED, id="entry-a-number"),
    pytest.param(lambda c, p: fb({"object": "page", "entry": [{"messaging": 5}]}), 200, IGNORED, id="messaging-a-number"),
    pytest.param(lambda c, p: fb({"object": "page", "entry": [{"messaging": [{"sender": "x", "message": {"text": NORMAL}}]}]}), 200, IGNORED, id="sender-a-string"),
    pytest.param(lambda c, p: fb({"object": "page", "entry": [{"messaging": [{"sender": {"id": {"a": 1}}, "message": {"text": NORMAL}}]}]}), 200, IGNORED, id="sender-id-an-object"),
    pytest.param(lambda c, p: fb({"object": "page", "entry": [{"messaging": [{"sender": {"id": p}, "message": "hi"}]}]}), 200, IGNORED, id="message-a-string"),
    pytest.param(lambda c, p: fb({"object": "page", "entry": [{"messaging": [{"sender": {"id": p}, "message": {"quick_reply": "x", "text": NORMAL}}]}]}), 200, ANSWERED, id="quick-reply-a-string"),
    pytest.param(lambda c, p: fb({"object": "page", "entry": [{"messaging": [{"sender": {"id": p}, "postback": "x"}]}]}), 200, IGNORED, id="postback-a-string"),
    pytest.param(lambda c, p: fb(messenger_event(p, LONG)), 200, ANSWERED, id="10000-characters"),
    pytest.param(lambda c, p: fb(messenger_event(p, CONTROL)), 200, ANSWERED, id="control-characters"),
    pytest.param(lambda c, p: fb(messenger_event(p, EMOJI_FLOOD * 2)), 200, ANSWERED, id="emoji-flood"),
    pytest.param(lambda c, p: fb(messenger_event(p, MARKUP)), 200, ANSWERED, id="markup"),
    pytest.param(lambda c, p: fb(messenger_event(p, SQL)), 200, ANSWERED, id="sql-like"),
    pytest.param(lambda c, p: fb(messenger_event(p, INJECT_COUNTRY)), 200, ANSWERED, id="inject-country-object"),
    pytest.param(lambda c, p: fb(messenger_event(p, INJECT_PAGE)), 200, ANSWERED, id="inject-page-nan"),
    pytest.param(messenger_replayed, 200, IGNORED, id="replayed"),
    pytest.param(messenger_signature_reused, 403, "invalid X-Hub-Signature-256", id="signature-reused-on-changed-body"),
    pytest.param(lambda c, p: fb(messenger_event(p, NORMAL), signature=""), 403, "invalid X-Hub-Signature-256", id="unsigned"),
    pytest.param(lambda c, p: fb(messenger_event(p, NORMAL), signature=messenger_signature(b"{}", "another-secret")), 403, "invalid X-Hub-Signature-256", id="forged-other-secret"),
    pytest.param(lambda c, p: fb(messenger_event(p, NORMAL), signature="sha1=" + "0" * 40), 403, "invalid X-Hub-Signature-256", id="forged-sha1"),
    pytest.param(lambda c, p: fb(messenger_event(p, NORMAL), signature=b"sha256=\xe9\xff"), 403, "invalid X-Hub-Signature-256", id="forged-non-ascii"),
]


@pytest.mark.parametrize(("build", "status", "expect"), MESSENGER_CASES)
def test_messenger(channel_client, provider, assistant, build, status, expect):
    psid = str(uuid.uuid4().int % 10**15)
    kwargs = build(channel_client, psid)
    provider.clear()
    response = channel_client.post("/webhooks/messenger", **kwargs)
    assert response.status_code == status, response.text[:300]
    sends = [sent for url, sent in provider.sent() if url == MESSENGER_SEND]
    if expect == ANSWERED:
        assert sends and all(sent["message"]["text"].strip() for sent in sends)
    elif expect == IGNORED:
        assert sends == []
    else:
        assert expect in response.text and sends == []
    provider.clear()
    after = channel_client.post("/webhooks/messenger", **fb(messenger_event(psid, NORMAL)))
    assert after.status_code == 200
    ((url, sent),) = [(url, sent) for url, sent in provider.sent() if url == MESSENGER_SEND]
    assert sent["recipient"] == {"id": psid}
    assert lost_documents_words(assistant, "chat") in sent["message"]["text"]
    ask_still_answers(channel_client)
