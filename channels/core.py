"""One internal message type for every channel, and the path every message takes to the bot."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field

from bot.assistant import Assistant
from channels.privacy import pseudonymise_sender, scrub_identifiers
from channels.settings import Settings

log = logging.getLogger(__name__)
MAX_TEXT_CHARS = 2000  # longer messages are cut before NLU; the question is nearly always early


class Channel(str, enum.Enum):
    SMS = "sms"
    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"
    MESSENGER = "messenger"
    WEB = "web"


@dataclass(frozen=True)
class Inbound:
    """A message as the bot sees it: no address, only a pseudonym, and scrubbed text."""

    channel: Channel
    sender: str  # pseudonym
    text: str


@dataclass(frozen=True)
class Outbound:
    text: str
    options: tuple[tuple[str, str], ...] = ()
    topic: str | None = None
    language: str | None = None


@dataclass
class Gateway:
    """Shared by all adapters: turns provider messages into bot replies."""

    settings: Settings
    assistant: Assistant | None = None
    counters: dict[str, int] = field(default_factory=dict)

    def inbound(self, channel: Channel, address: str, text: str) -> Inbound:
        """Pseudonymise and scrub at once: the real address goes no further than this call."""
        sender = pseudonymise_sender(self.settings.secret_key, channel.value, address)
        return Inbound(channel, sender, scrub_identifiers(text.strip()[:MAX_TEXT_CHARS]))

    def count(self, name: str) -> None:
        self.counters[name] = self.counters.get(name, 0) + 1

    async def reply(self, message: Inbound) -> list[Outbound]:
        if self.assistant is None:
            raise RuntimeError("the assistant is not loaded")
        self.count(f"messages.{message.channel.value}")
        raw = await self.assistant.handle(message.text, message.sender, message.channel.value)
        replies = []
        for item in raw:
            custom = item.get("custom") or {}
            options = tuple((b["title"], b["payload"]) for b in item.get("buttons") or [])
            replies.append(Outbound(item.get("text") or "", options, custom.get("topic"), custom.get("language")))
        return replies
