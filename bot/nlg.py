"""The content NLG: Rasa asks it for `utter_<name>`; it answers from `content/` and the catalogs.

Named in `bot/endpoints.yml` (`nlg: type: bot.nlg.ContentNLG`), so changing copy or contacts needs no
retraining: only the content base is read, never the model's domain responses.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa.core.nlg.generator import NaturalLanguageGenerator
from rasa.shared.core.trackers import DialogueStateTracker

from bot import i18n
from bot.content import ContentBase
from bot.paths import content_dir
from bot.responses import Context, Responder, country_code, text_entities


@lru_cache(maxsize=4)
def shared_content(directory: str | None = None) -> ContentBase:
    """One content base per directory for the whole process (the NLG and the gateway share it)."""
    return ContentBase.load(content_dir() if directory is None else __import__("pathlib").Path(directory))


def context_from_tracker(tracker: DialogueStateTracker, output_channel: str) -> Context:
    latest = tracker.latest_message
    entities = text_entities(latest.entities if latest else [])
    language = i18n.normalise_locale(tracker.get_slot("language")) or i18n.SOURCE_LOCALE
    country = country_code(tracker.get_slot("country"))
    nationality = country_code(tracker.get_slot("nationality"))
    channel = (latest.metadata or {}).get("channel", output_channel) if latest else output_channel
    return Context(language=language, country=country, nationality=nationality, channel=channel, entities=entities)


class ContentNLG(NaturalLanguageGenerator):
    """Renders responses from the content base, in the conversation's language and country."""

    def __init__(self, endpoint_config: Any = None, domain: Any = None, content: ContentBase | None = None) -> None:
        self.responder = Responder(content or shared_content())

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        ctx = context_from_tracker(tracker, output_channel)
        try:
            reply = self.responder.respond(utter_action, ctx)
        except KeyError:
            return None
        return reply.as_message()
