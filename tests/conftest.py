"""One trained model per test session (reused across sessions while its data is unchanged)."""

from __future__ import annotations

import asyncio
import os
import warnings

import pytest

TEST_SECRET = "test-secret-key-0123456789abcdef"
TEST_TWILIO_TOKEN = "test-twilio-auth-token-0000000000"

os.environ["RASA_TELEMETRY_ENABLED"] = "false"
os.environ.setdefault("HAVEN_ENV", "production")
warnings.filterwarnings("ignore", category=DeprecationWarning)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("haven-data")
    os.environ["HAVEN_DATA_DIR"] = str(path)
    return path


@pytest.fixture(scope="session")
def trained_model():
    from bot.model import train

    return train()


@pytest.fixture(scope="session")
def assistant(trained_model, data_dir):
    from bot.assistant import Assistant

    return Assistant.load(trained_model)


@pytest.fixture(scope="session")
def settings(data_dir):
    from channels.settings import Settings

    return Settings(
        env="production",
        secret_key=TEST_SECRET,
        data_dir=data_dir,
        public_url="https://haven.example.org",
        redis_url=None,
        twilio_auth_token=TEST_TWILIO_TOKEN,
        conversation_ttl_hours=24,
        max_body_bytes=64 * 1024,
        rate_per_sender=10_000,  # the suite sends many messages per sender; limits have their own test
        rate_global=100_000,
    )


@pytest.fixture(scope="session")
def client(assistant, settings):
    from fastapi.testclient import TestClient

    from channels.app import create_app

    with TestClient(create_app(assistant=assistant, settings=settings), base_url="https://haven.example.org") as test_client:
        yield test_client


@pytest.fixture(scope="session")
def run():
    """Run a coroutine to completion from a sync test."""
    loop = asyncio.new_event_loop()
    yield loop.run_until_complete
    loop.close()
