"""The FastAPI gateway hosting the Rasa agent in-process (loaded once, at start-up)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from contextlib import asynccontextmanager

import bot  # noqa: F401  (telemetry off before Rasa loads)
import httpx
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.assistant import Assistant
from bot.content_check import ContentInvalid
from bot.model import model_path
from bot.nlg import shared_content
from channels import outbound, registry
from channels.core import Gateway
from channels.ratelimit import RateLimiter
from channels.settings import ConfigurationError, Settings

log = logging.getLogger("haven")
EXPIRY_INTERVAL_SECONDS = 300


class StartupError(SystemExit):
    """One clear line saying why the service will not start."""

    def __init__(self, message: str) -> None:
        super().__init__(f"haven: cannot start: {message}")


def _preflight(settings: Settings) -> None:
    try:
        settings.require_safe()
    except ConfigurationError as error:
        raise StartupError(str(error)) from None
    try:
        shared_content()
    except ContentInvalid as error:
        first = error.errors[0]
        raise StartupError(f"invalid content ({len(error.errors)} errors), first: {first}") from None


class LimitBody:
    """413 for a request body over `max_bytes`: at once when Content-Length says so, otherwise
    (a chunked body has no Content-Length) as soon as the bytes read so far pass the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        reason = f"request body over {self.max_bytes} bytes"
        length = Headers(scope=scope).get("content-length", "")
        if length.isascii() and length.isdigit() and int(length) > self.max_bytes:  # not '²'.isdigit()
            await PlainTextResponse(reason, status_code=413)(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised where the body is read (FastAPI's body parsing re-raises it, and the
                    # handlers' request.body()/form() do not catch it): the app answers 413.
                    raise StarletteHTTPException(413, reason)
            return message

        await self.app(scope, counting_receive, send)


def create_app(
    assistant: Assistant | None = None,
    settings: Settings | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """The app; with `assistant` given (tests), it is used instead of loading the model, and with
    `transport` given, provider API calls go to it instead of the network."""
    settings = settings or Settings.from_env()
    _preflight(settings)
    gateway = Gateway(settings=settings, assistant=assistant, limiter=RateLimiter(settings.rate_per_sender, settings.rate_global))
    model = None
    if assistant is None:
        model = model_path()
        if not model.exists():
            raise StartupError(f"no trained model for the current training data ({model.name}): run `haven train`")

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        gateway.http = outbound.new_client(transport)
        tasks = [asyncio.create_task(_expire(gateway))]
        if gateway.assistant is None:
            tasks.append(asyncio.create_task(_load(gateway, model)))
        yield
        for task in tasks:
            task.cancel()
        await gateway.http.aclose()

    app = FastAPI(
        title="Haven",
        version="0.1.0",
        description="Crisis information for migrants: SMS, chat and a JSON API. Nothing identifying is stored.",
        lifespan=lifespan,
    )
    app.state.gateway = gateway

    app.add_middleware(LimitBody, max_bytes=settings.max_body_bytes)

    @app.exception_handler(StarletteHTTPException)
    async def malformed_body_is_422(request: Request, exc: StarletteHTTPException):
        # FastAPI answers 400 to a JSON body it cannot decode; the API contract says 422.
        if exc.status_code == 400 and "parsing the body" in str(exc.detail):
            return JSONResponse({"detail": [{"loc": ["body"], "msg": "the body is not valid JSON", "type": "value_error.json"}]}, status_code=422)
        if exc.status_code == 413:  # raised by LimitBody while a streamed body is read
            return PlainTextResponse(str(exc.detail), status_code=413)
        return await http_exception_handler(request, exc)

    for router in registry.routers():
        app.include_router(router)
    return app


async def _expire(gateway: Gateway) -> None:
    """Erase conversations idle longer than the TTL, now and every few minutes."""
    while True:
        if gateway.assistant is not None:
            try:
                erased = await asyncio.to_thread(gateway.assistant.purge_expired, gateway.settings.conversation_ttl_hours)
                if erased:
                    log.info("erased %d expired conversations", erased)
            except Exception as error:  # noqa: BLE001 - keep expiring on the next round
                log.warning("expiry failed: %s", type(error).__name__)
        await asyncio.sleep(EXPIRY_INTERVAL_SECONDS)


async def _load(gateway: Gateway, model) -> None:
    try:
        settings = gateway.settings
        gateway.assistant = await asyncio.to_thread(
            Assistant.load, model, redis_url=settings.redis_url, ttl_hours=settings.conversation_ttl_hours
        )
        log.info("ready: model %s", model.name)
    except Exception as error:  # noqa: BLE001 - any load failure stops the service with one line
        log.critical("haven: cannot start: the model %s could not be loaded: %s", model, error)
        os.kill(os.getpid(), signal.SIGTERM)
