"""All configuration, read once from the environment. Refuses unsafe secrets outside development."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bot.paths import data_dir

PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "secret", "development", "dev"})
DEVELOPMENT_KEY = "haven-development-key-not-for-production"
MIN_SECRET_LENGTH = 16


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise ConfigurationError(f"{name} must be a positive whole number, not '{raw}'")
    return int(raw)


class ConfigurationError(Exception):
    """The service cannot start; the message names the variable to fix."""


@dataclass(frozen=True)
class Settings:
    env: str
    secret_key: str
    data_dir: Path
    public_url: str | None
    redis_url: str | None
    twilio_auth_token: str | None
    conversation_ttl_hours: float
    max_body_bytes: int
    rate_per_sender: int = 20  # messages per pseudonym per minute
    rate_global: int = 3000  # messages per instance per minute
    telegram_bot_token: str | None = None
    telegram_secret_token: str | None = None
    telegram_api_base: str = "https://api.telegram.org"
    messenger_app_secret: str | None = None
    messenger_verify_token: str | None = None
    messenger_page_token: str | None = None
    messenger_api_base: str = "https://graph.facebook.com/v19.0"

    @property
    def development(self) -> bool:
        return self.env == "development"

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ.get("HAVEN_ENV", "production").strip().lower() or "production"
        if env not in ("development", "production"):
            raise ConfigurationError(f"HAVEN_ENV must be 'development' or 'production', not '{env}'")
        secret = os.environ.get("HAVEN_SECRET_KEY", "")
        if not secret and env == "development":
            secret = DEVELOPMENT_KEY
        try:
            ttl = float(os.environ.get("HAVEN_CONVERSATION_TTL_HOURS", "24"))
        except ValueError:
            raise ConfigurationError("HAVEN_CONVERSATION_TTL_HOURS must be a number of hours") from None
        return cls(
            env=env,
            secret_key=secret,
            data_dir=data_dir(),
            public_url=(os.environ.get("HAVEN_PUBLIC_URL") or "").rstrip("/") or None,
            redis_url=os.environ.get("REDIS_URL") or None,
            twilio_auth_token=os.environ.get("TWILIO_AUTH_TOKEN") or None,
            conversation_ttl_hours=ttl,
            max_body_bytes=int(os.environ.get("HAVEN_MAX_BODY_BYTES", str(64 * 1024))),
            rate_per_sender=_positive_int("HAVEN_RATE_PER_SENDER", 20),
            rate_global=_positive_int("HAVEN_RATE_GLOBAL", 3000),
            telegram_bot_token=os.environ.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_secret_token=os.environ.get("TELEGRAM_SECRET_TOKEN") or None,
            telegram_api_base=(os.environ.get("TELEGRAM_API_BASE") or "https://api.telegram.org").rstrip("/"),
            messenger_app_secret=os.environ.get("MESSENGER_APP_SECRET") or None,
            messenger_verify_token=os.environ.get("MESSENGER_VERIFY_TOKEN") or None,
            messenger_page_token=os.environ.get("MESSENGER_PAGE_TOKEN") or None,
            messenger_api_base=(os.environ.get("MESSENGER_API_BASE") or "https://graph.facebook.com/v19.0").rstrip("/"),
        )

    def require_safe(self) -> Settings:
        """Raise ConfigurationError unless the secrets are fit for this environment."""
        if self.development:
            return self
        if self.secret_key.lower() in PLACEHOLDER_SECRETS or self.secret_key == DEVELOPMENT_KEY:
            raise ConfigurationError("HAVEN_SECRET_KEY is not set (or is a placeholder): set a random key of 32+ characters, or HAVEN_ENV=development")
        if len(self.secret_key) < MIN_SECRET_LENGTH:
            raise ConfigurationError(f"HAVEN_SECRET_KEY is too short: use at least {MIN_SECRET_LENGTH} random characters")
        return self
