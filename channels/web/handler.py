"""`GET /` (the web chat page) and `POST /api/v1/chat` (its endpoint).

The page is one small HTML file with inline CSS and JS: no external assets, no cookies; the
session id is random, made by the page, and pseudonymised like any other address.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path
from typing import List, Optional

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field, StrictStr, validator

from bot import i18n
from channels.core import Channel, Gateway

router = APIRouter(tags=["web"])
PAGE = Path(__file__).with_name("page.html")


class ChatRequest(BaseModel):
    session: StrictStr = Field(..., min_length=8, max_length=128, regex=r"^[A-Za-z0-9_-]+$", description="random id made by the page")
    text: StrictStr = Field(..., min_length=1, max_length=2000)
    language: Optional[StrictStr] = Field(None, description="the language picked on the page")

    @validator("text")
    def not_blank(cls, value: str) -> str:  # noqa: N805
        if not value.strip():
            raise ValueError("text is empty")
        return value


class ChatOption(BaseModel):
    title: str
    payload: str


class ChatMessage(BaseModel):
    text: str
    options: List[ChatOption]
    topic: Optional[str] = None


class ChatResponse(BaseModel):
    messages: List[ChatMessage]
    language: str
    direction: str


@lru_cache(maxsize=1)
def _template() -> str:
    return PAGE.read_text(encoding="utf-8")


def render_page(language: str) -> str:
    _ = i18n.gettext_for(language)
    locale = i18n.locales()[language]
    options = "".join(
        f'<option value="{code}"{" selected" if code == language else ""} lang="{code}">{html.escape(loc.native)}</option>'
        for code, loc in i18n.locales().items()
    )
    values = {
        "lang": language,
        "dir": locale.direction,
        "title": html.escape(_("Haven: help for migrants in a crisis")),
        "intro": html.escape(_("Free and anonymous. We do not keep your name or number. In danger now? Call the local emergency number.")),
        "label_language": html.escape(_("Language")),
        "label_message": html.escape(_("Your question")),
        "placeholder": html.escape(_("Write your question in your own words")),
        "send": html.escape(_("Send")),
        "sending": html.escape(_("Sending...")),
        "error": html.escape(_("Sorry, the message could not be sent. Please try again.")),
        "language_options": options,
        "directions": json.dumps({code: loc.direction for code, loc in i18n.locales().items()}),
    }
    page = _template()
    for key, value in values.items():
        page = page.replace("{{" + key + "}}", value)
    return page


@router.get("/", response_class=HTMLResponse, summary="the web chat page")
async def page(lang: Optional[str] = None) -> HTMLResponse:
    language = i18n.normalise_locale(lang) or i18n.SOURCE_LOCALE
    return HTMLResponse(render_page(language), headers={"cache-control": "no-store", "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; form-action 'self'"})


@router.post("/api/v1/chat", response_model=ChatResponse, summary="the web chat page's endpoint")
async def chat(body: ChatRequest, request: Request) -> dict:
    gateway: Gateway = request.app.state.gateway
    if gateway.assistant is None:
        raise HTTPException(status_code=503, detail="the model is still loading")
    text = body.text
    picked = i18n.normalise_locale(body.language) if body.language else None
    message = gateway.inbound(Channel.WEB, body.session, text)
    replies = await gateway.reply(message)
    language = next((r.language for r in reversed(replies) if r.language), None) or picked or i18n.SOURCE_LOCALE
    return {
        "messages": [{"text": r.text, "options": [{"title": t, "payload": p} for t, p in r.options], "topic": r.topic} for r in replies],
        "language": language,
        "direction": i18n.locales()[language].direction if language in i18n.locales() else "ltr",
    }
