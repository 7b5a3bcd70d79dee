"""`GET /healthz` and `POST /api/v1/ask`: the JSON API behind the console and for partners."""

from __future__ import annotations

import asyncio
from typing import List, Optional

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StrictStr, validator

from bot import i18n
from channels import fields
from channels.core import Gateway
from channels.privacy import scrub_identifiers

router = APIRouter()


class AskRequest(BaseModel):
    text: StrictStr = Field(..., min_length=1, max_length=2000, description="the question, in any supported language")
    language: Optional[StrictStr] = Field(None, description="answer language (en, fr, es, ar, ru, uk, fil, bn); default: detected")
    country: Optional[StrictStr] = Field(None, description="ISO 3166 code of the country the person is in, e.g. LB")
    nationality: Optional[StrictStr] = Field(None, description="ISO 3166 code of the person's nationality, e.g. PH")

    @validator("text")
    def text_not_blank(cls, value: str) -> str:  # noqa: N805 - pydantic validator
        if not value.strip():
            raise ValueError("text is empty")
        return value

    @validator("language")
    def known_language(cls, value: Optional[str]) -> Optional[str]:  # noqa: N805
        return None if value is None else fields.language_code(value)

    @validator("country", "nationality")
    def iso_code(cls, value: Optional[str]) -> Optional[str]:  # noqa: N805
        return None if value is None else fields.country_code(value)


class Alternative(BaseModel):
    topic: str
    confidence: float


class Option(BaseModel):
    title: str
    payload: str


class AskResponse(BaseModel):
    topic: str = Field(..., description="a topic id from topics.yml")
    language: str
    answer: str
    confidence: float
    sources: List[str]
    basis: Optional[str] = Field(None, description="right | recommendation | practice (content topics)")
    translated: bool = Field(..., description="false when the answer fell back to English")
    alternatives: List[Alternative]
    options: List[Option]


@router.get("/healthz", summary="200 once the model is loaded and the content validated")
async def healthz(request: Request) -> JSONResponse:
    gateway: Gateway = request.app.state.gateway
    if gateway.assistant is None:
        return JSONResponse({"status": "starting"}, status_code=503)
    store_ok = await asyncio.to_thread(gateway.assistant.check_store)
    # Degraded still answers (without conversation state), so it stays in the load balancer.
    return JSONResponse({"status": "ok" if store_ok else "degraded", "model": gateway.assistant.model.name})


@router.post("/api/v1/ask", response_model=AskResponse, summary="one question, one answer (stateless)")
async def ask(body: AskRequest, request: Request) -> dict:
    gateway: Gateway = request.app.state.gateway
    if gateway.assistant is None:
        raise HTTPException(status_code=503, detail="the model is still loading")
    gateway.count("messages.api")
    answer = await gateway.assistant.ask(scrub_identifiers(body.text), body.language, body.country, body.nationality)
    return answer.as_json()
