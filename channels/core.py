"""One internal message type for every channel, and the path every message takes to the bot."""

from __future__ import annotations

import enum
import hashlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import httpx

from bot import analytics, i18n
from bot.assistant import Assistant
from channels import commands
from channels.ratelimit import RateLimiter
from channels.privacy import pseudonymise_sender, scrub_identifiers
from channels.settings import Settings

log = logging.getLogger(__name__)
MAX_TEXT_CHARS = 2000  # longer messages are cut before NLU; the question is nearly always early
REPLAY_WINDOW_SECONDS = 3600
REPLAY_MEMORY = 10_000
COUNTED_TOPICS_EXTRA = frozenset({"out_of_scope"})  # counted beside the content topics: unmet needs


class Channel(str, enum.Enum):
    SMS = "sms"
    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"
    MESSENGER = "messenger"
    WEB = "web"


# Channels whose answers carry "useful / not useful" buttons. Never on SMS or WhatsApp: their menus
# are numbered lines, and "1" / "2" after an answer would clash with the menu shown before it.
FEEDBACK_CHANNELS = frozenset({Channel.WEB, Channel.TELEGRAM, Channel.MESSENGER})

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
    http: httpx.AsyncClient | None = None  # one shared client for provider APIs
    limiter: RateLimiter = field(default_factory=RateLimiter)
    counters: dict[str, int] = field(default_factory=dict)
    _answered: OrderedDict = field(default_factory=OrderedDict)

    def inbound(self, channel: Channel, address: str, text: str) -> Inbound:
        """Pseudonymise and scrub at once: the real address goes no further than this call."""
        sender = pseudonymise_sender(self.settings.secret_key, channel.value, address)
        return Inbound(channel, sender, scrub_identifiers(text.strip()[:MAX_TEXT_CHARS]))

    def count(self, name: str) -> None:
        self.counters[name] = self.counters.get(name, 0) + 1

    def replayed(self, provider_message_id: str) -> list[Outbound] | None:
        """The replies already given to this provider message id (a retry or a replay), if any."""
        key = self._replay_key(provider_message_id)
        entry = self._answered.get(key)
        if entry and time.monotonic() - entry[0] < REPLAY_WINDOW_SECONDS:
            self.count("replayed")
            return entry[1]
        return None

    def remember(self, provider_message_id: str, replies: list[Outbound]) -> None:
        self._answered[self._replay_key(provider_message_id)] = (time.monotonic(), replies)
        while len(self._answered) > REPLAY_MEMORY:
            self._answered.popitem(last=False)

    def _replay_key(self, provider_message_id: str) -> str:
        # Kept in memory only, and hashed: a message id is not an identifier of a person, but
        # nothing provider-issued needs to be kept verbatim.
        return hashlib.sha256((self.settings.secret_key + provider_message_id).encode()).hexdigest()[:32]

    async def reply(self, message: Inbound) -> list[Outbound]:
        if self.assistant is None:
            raise RuntimeError("the assistant is not loaded")
        self.count(f"messages.{message.channel.value}")
        command = commands.recognise(message.text)
        if command is not None:
            return await self._command(message, *command)  # STOP must always work
        if not self.limiter.allow(message.sender):
            self.count("rate_limited")
            language = self.assistant.language_of(message.text)
            return [Outbound(commands.rate_limited(language), topic="rate_limited", language=language)]
        feedback = analytics.parse_feedback(message.text)
        if feedback is not None:
            return self._feedback(*feedback)
        raw = await self.assistant.handle(message.text, message.sender, message.channel.value)
        # Rasa's collecting channel sends a reply's text (with buttons) and its custom data
        # (topic, language) as two messages: put them back together.
        merged: list[tuple[dict, dict]] = []
        for item in raw:
            if item.get("text") or item.get("buttons"):
                merged.append((item, {}))
            if item.get("custom") and merged:
                merged[-1][1].update(item["custom"])
        replies = []
        for item, custom in merged:
            options = tuple((b["title"], b["payload"]) for b in item.get("buttons") or [])
            topic, language, country = custom.get("topic"), custom.get("language"), custom.get("country")
            if topic in self.assistant.content.topics or topic in COUNTED_TOPICS_EXTRA:
                self._count_topic(topic, country, language)
                if message.channel in FEEDBACK_CHANNELS and topic in self.assistant.content.topics and language:
                    options += feedback_options(topic, country, language)
            replies.append(Outbound(item.get("text") or "", options, topic, language))
        return replies

    def _count_topic(self, topic: str, country: str | None, language: str | None) -> None:
        """The anonymous needs picture: topic x country x language x day, nothing else."""
        try:
            analytics.store(self.settings.data_dir).asked(topic, country, language)
        except Exception as error:  # noqa: BLE001 - counting must never stop an answer
            log.warning("analytics: %s", type(error).__name__)

    def _feedback(self, useful: bool, topic: str, country: str | None, language: str) -> list[Outbound]:
        """A press on "useful / not useful": counted like the topics, answered by the gateway."""
        language = i18n.normalise_locale(language) or i18n.SOURCE_LOCALE
        self.count("feedback")
        if topic in self.assistant.content.topics:
            try:
                analytics.store(self.settings.data_dir).feedback(useful, topic, country, language)
            except Exception as error:  # noqa: BLE001
                log.warning("analytics: %s", type(error).__name__)
        _ = i18n.gettext_for(language)
        text = _("Thank you. Your answer is counted, without anything that identifies you.")
        return [Outbound(text, ((_("Menu"), "/menu"),), "feedback", language)]

    async def _command(self, message: Inbound, command: commands.Command, language: str) -> list[Outbound]:
        self.count(f"command.{command.value}")
        if command in (commands.Command.STOP, commands.Command.FORGET):
            await self.assistant.forget(message.sender)
        return [Outbound(commands.reply(command, language), topic=command.value, language=language)]


def feedback_options(topic: str, country: str | None, language: str) -> tuple[tuple[str, str], ...]:
    """The two buttons after an answer on chat channels: "was this useful?" yes / no."""
    _ = i18n.gettext_for(language)
    return (
        (_("Useful"), analytics.feedback_payload(True, topic, country, language)),
        (_("Not useful"), analytics.feedback_payload(False, topic, country, language)),
    )
