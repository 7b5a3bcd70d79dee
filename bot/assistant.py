"""The Rasa agent, hosted in-process: load once, then parse and answer pseudonymous messages.

Everything that reaches this module is already pseudonymised and scrubbed by the gateway.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlparse

from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import LockStore, RedisLockStore
from rasa.core.tracker_store import RedisTrackerStore, SQLTrackerStore, TrackerStore
from rasa.core.lock_store import LockError
from rasa.shared.core.domain import Domain
from redis.exceptions import RedisError
from rasa.shared.core.events import BotUttered
from rasa.utils.endpoints import read_endpoint_config

from bot import i18n
from bot.content import ContentBase
from bot.nlg import shared_content
from bot.paths import DOMAIN_FILE, ENDPOINTS_FILE, data_dir
from bot.responses import Context, Responder, country_code, text_entities

log = logging.getLogger(__name__)
FALLBACK_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
MENU_CHOICE = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
DEFAULT_TTL_HOURS = 24.0
REDIS_TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True)
class Parse:
    intent: str
    confidence: float
    entities: dict[str, str]
    ranking: tuple[tuple[str, float], ...]

    @property
    def topic(self) -> str:
        return "out_of_scope" if self.intent in FALLBACK_INTENTS else self.intent


@dataclass(frozen=True)
class Answer:
    """One answer to one message: what `/api/v1/ask` and `haven ask --json` return."""

    topic: str
    language: str
    answer: str
    confidence: float
    sources: tuple[str, ...]
    basis: str | None
    translated: bool
    alternatives: tuple[tuple[str, float], ...]
    options: tuple[tuple[str, str], ...] = ()

    def as_json(self) -> dict:
        return {
            "topic": self.topic,
            "language": self.language,
            "answer": self.answer,
            "confidence": round(self.confidence, 4),
            "sources": list(self.sources),
            "basis": self.basis,
            "translated": self.translated,
            "alternatives": [{"topic": t, "confidence": round(c, 4)} for t, c in self.alternatives],
            "options": [{"title": title, "payload": payload} for title, payload in self.options],
        }


def redis_stores(domain: Domain, url: str, ttl_hours: float) -> tuple[TrackerStore, LockStore]:
    """Rasa's Redis tracker store (conversations expire after `ttl_hours` idle) and lock store
    (one conversation's messages are handled one at a time across all instances)."""
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss") or not parsed.hostname:
        raise ValueError("REDIS_URL must look like redis://host:6379/0")
    db = int(parsed.path.strip("/") or 0)
    common = {
        "host": parsed.hostname,
        "port": parsed.port or 6379,
        "username": parsed.username or None,
        "password": parsed.password or None,
        "use_ssl": parsed.scheme == "rediss",
    }
    expiry_seconds = max(1, round(ttl_hours * 3600))  # Redis wants whole seconds
    tracker_store = RedisTrackerStore(domain=domain, db=db, record_exp=expiry_seconds, key_prefix="haven", **common)
    lock_store = RedisLockStore(db=db, key_prefix="haven", socket_timeout=REDIS_TIMEOUT_SECONDS, **common)
    # Fail fast when Redis is down: the gateway then answers without conversation state.
    for client in (tracker_store.red, lock_store.red):
        client.connection_pool.connection_kwargs.update(socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS)
    return tracker_store, lock_store


def sqlite_tracker_store(domain: Domain, directory: Path | None = None) -> SQLTrackerStore:
    directory = directory or data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    return SQLTrackerStore(domain=domain, dialect="sqlite", db=str(directory / "conversations.db"))


class Assistant:
    """The loaded model, its tracker store and the content; safe to share across requests."""

    def __init__(self, agent: Agent, content: ContentBase, model: Path) -> None:
        self.agent = agent
        self.content = content
        self.responder = Responder(content)
        self.model = model
        self.degraded_since: float | None = None  # set while the conversation store fails
        failsafe = agent.tracker_store
        if hasattr(failsafe, "_on_tracker_store_error"):
            failsafe._on_tracker_store_error = self._store_failed  # noqa: SLF001 - Rasa's hook

    @classmethod
    def load(
        cls,
        model: Path,
        tracker_store: TrackerStore | None = None,
        lock_store: LockStore | None = None,
        redis_url: str | None = None,
        ttl_hours: float = DEFAULT_TTL_HOURS,
    ) -> Assistant:
        started = time.monotonic()
        content = shared_content()
        domain = Domain.load(str(DOMAIN_FILE))
        if redis_url and tracker_store is None:
            tracker_store, lock_store = redis_stores(domain, redis_url, ttl_hours)
        store = tracker_store or sqlite_tracker_store(domain)
        nlg = read_endpoint_config(str(ENDPOINTS_FILE), "nlg")
        agent = Agent.load(str(model), generator=nlg, tracker_store=store, lock_store=lock_store)
        log.info("model loaded in %.1f s", time.monotonic() - started)
        return cls(agent, content, model)

    # -- health ------------------------------------------------------------------------------
    def _store_failed(self, error: Exception) -> None:
        if self.degraded_since is None:
            log.error("conversation store unreachable (%s): answering without conversation state", type(error).__name__)
            self.degraded_since = time.monotonic()

    def check_store(self) -> bool:
        """True when the conversation store answers; clears or sets the degraded state."""
        store = self.store
        try:
            if isinstance(store, RedisTrackerStore):
                store.red.ping()
        except Exception as error:  # noqa: BLE001 - any failure means degraded
            self._store_failed(error)
            return False
        if self.degraded_since is not None:
            log.warning("conversation store is back")
        self.degraded_since = None
        return True

    # -- NLU only ----------------------------------------------------------------------------
    async def parse(self, text: str) -> Parse:
        data = await self.agent.parse_message(text)
        intent = data.get("intent") or {}
        ranking = tuple((r["name"], float(r["confidence"])) for r in data.get("intent_ranking") or [])
        entities = text_entities(data.get("entities") or [])
        return Parse(intent.get("name") or "nlu_fallback", float(intent.get("confidence") or 0.0), entities, ranking)

    async def ask(self, text: str, language: str | None = None, country: str | None = None, nationality: str | None = None) -> Answer:
        """Stateless: one question, one answer (the JSON API, `haven ask`, the operator console)."""
        parse = await self.parse(text)
        if parse.intent != "nlu_fallback" and not self.responder.has_response(parse.intent):
            # An intent with no answer of its own, typed as a payload ('/session_start', '/restart').
            parse = replace(parse, intent="nlu_fallback")
        language = i18n.normalise_locale(language) or i18n.normalise_locale(parse.entities.get("language")) or i18n.SOURCE_LOCALE
        if parse.intent == "set_country" and not country:
            country = parse.entities.get("country")
        ctx = Context(language, country_code(country), country_code(nationality or parse.entities.get("nationality")), "api", parse.entities)
        name = "fallback" if parse.intent == "nlu_fallback" else parse.intent
        reply = self.responder.respond(name, ctx)
        alternatives = tuple((t, c) for t, c in parse.ranking if t != parse.intent and t not in FALLBACK_INTENTS)[:2]
        confidence = parse.confidence
        if parse.intent == "nlu_fallback" and parse.ranking:
            confidence = parse.ranking[0][1] if parse.ranking[0][0] != "nlu_fallback" else confidence
        return Answer(
            topic=parse.topic,
            language=language,
            answer=reply.text,
            confidence=confidence,
            sources=reply.sources,
            basis=reply.basis,
            translated=reply.translated,
            alternatives=alternatives,
            options=reply.options,
        )

    def language_of(self, text: str) -> str:
        """The language of one message, from the model's own detector (English when unsure)."""
        for component in self._language_components():
            language, confidence = component.detector.detect(text)
            if language and confidence >= 0.6:
                return language
        return i18n.SOURCE_LOCALE

    def _language_components(self) -> list:
        from bot.components import LanguageEntityExtractor

        runner = getattr(self.agent.processor, "graph_runner", None)
        instances = getattr(runner, "_instantiated_nodes", {}) if runner else {}
        return [node._component for node in instances.values() if isinstance(getattr(node, "_component", None), LanguageEntityExtractor)]

    # -- conversations -----------------------------------------------------------------------
    async def handle(self, text: str, sender: str, channel: str) -> list[dict]:
        """Run one message of a conversation; `sender` must already be a pseudonym."""
        try:
            text = await self._resolve_menu_choice(text, sender)
            output = CollectingOutputChannel()
            message = UserMessage(text, output, sender_id=sender, input_channel=channel, metadata={"channel": channel})
            await self.agent.handle_message(message)
            return output.messages
        except (RedisError, LockError) as error:
            # The conversation store or its locks are unreachable: answer the question on its own.
            self._store_failed(error)
            return self._stateless(await self.ask(text), channel)

    def _stateless(self, answer: Answer, channel: str) -> list[dict]:
        reply = self.responder.respond(
            "fallback" if answer.topic == "out_of_scope" and answer.confidence < 0.15 else answer.topic,
            Context(answer.language, None, None, channel, {}),
        )
        return [reply.as_message()]

    async def _resolve_menu_choice(self, text: str, sender: str) -> str:
        """'3' picks option 3 of the last menu shown in this conversation; '0' is the main menu."""
        match = MENU_CHOICE.match(text)
        if not match:
            return text
        number = int(match.group(1))
        if number == 0:
            return "/menu"
        try:
            tracker = await self.agent.tracker_store.retrieve(sender)
        except RedisError:
            return text
        if tracker is None:
            return text
        for event in reversed(tracker.events):
            if isinstance(event, BotUttered):
                buttons = (event.data or {}).get("buttons") or []
                if buttons:
                    if 1 <= number <= len(buttons):
                        return buttons[number - 1]["payload"]
                    return text
        return text

    @property
    def store(self) -> TrackerStore:
        """The real tracker store (Rasa wraps it in a FailSafeTrackerStore)."""
        store = self.agent.tracker_store
        return getattr(store, "_tracker_store", store)

    async def forget(self, sender: str) -> None:
        """Erase one conversation now (STOP / FORGET)."""
        store = self.store
        if isinstance(store, SQLTrackerStore):
            with store.session_scope() as session:
                session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender).delete()
                session.commit()
        elif isinstance(store, RedisTrackerStore):
            store.red.delete(store.key_prefix + sender)
        else:
            raise NotImplementedError(f"cannot erase from {type(store).__name__}")

    def purge_expired(self, ttl_hours: float = DEFAULT_TTL_HOURS) -> int:
        """Erase conversations idle for longer than `ttl_hours`; returns how many."""
        store = self.store
        if not isinstance(store, SQLTrackerStore):
            return 0  # Redis expires keys itself
        cutoff = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=ttl_hours)).timestamp()
        from sqlalchemy import func

        with store.session_scope() as session:
            event = store.SQLEvent
            stale = (
                session.query(event.sender_id)
                .group_by(event.sender_id)
                .having(func.max(event.timestamp) < cutoff)
                .all()
            )
            senders = [row[0] for row in stale]
            if senders:
                session.query(event).filter(event.sender_id.in_(senders)).delete(synchronize_session=False)
                session.commit()
        return len(senders)
