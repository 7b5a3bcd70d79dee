"""A gateway whose provider API calls go to a recording mock transport."""

from __future__ import annotations

import dataclasses
import json

import httpx
import pytest

TELEGRAM_TOKEN = "123456:TEST-telegram-token"
TELEGRAM_SECRET = "test-telegram-secret-token"
MESSENGER_SECRET = "test-messenger-app-secret"
MESSENGER_VERIFY = "test-messenger-verify-token"
MESSENGER_PAGE_TOKEN = "test-messenger-page-token"
TELEGRAM_BASE = "https://telegram.mock"
MESSENGER_BASE = "https://graph.mock/v19.0"


class Provider:
    """Records every outbound request; answers 200 unless told to fail."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.fail_next = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail_next:
            self.fail_next -= 1
            return httpx.Response(502, json={"ok": False})
        return httpx.Response(200, json={"ok": True, "result": {}})

    def sent(self) -> list[tuple[str, dict]]:
        return [(str(r.url.copy_with(query=None)), json.loads(r.content)) for r in self.requests]

    def clear(self) -> None:
        self.requests.clear()


@pytest.fixture(scope="session")
def provider():
    return Provider()


@pytest.fixture(scope="session")
def channel_client(assistant, settings, provider):
    from fastapi.testclient import TestClient

    from channels.app import create_app

    configured = dataclasses.replace(
        settings,
        telegram_bot_token=TELEGRAM_TOKEN,
        telegram_secret_token=TELEGRAM_SECRET,
        telegram_api_base=TELEGRAM_BASE,
        messenger_app_secret=MESSENGER_SECRET,
        messenger_verify_token=MESSENGER_VERIFY,
        messenger_page_token=MESSENGER_PAGE_TOKEN,
        messenger_api_base=MESSENGER_BASE,
    )
    app = create_app(assistant=assistant, settings=configured, transport=httpx.MockTransport(provider))
    with TestClient(app, base_url="https://haven.example.org") as client:
        yield client
