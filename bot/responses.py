"""What the bot says: content topics from the content base, and its own strings through gettext.

Every reply is a `Reply`: text, numbered options (channels show them as buttons or numbered
lines), and the topic it answers. Nothing here depends on Rasa, so the JSON API, the CLI and the
NLG all render the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from bot import bulletins, i18n, sms
from bot.content import KINDS, ContentBase, country_name, format_checked_date

# Options are (title, payload); payloads are Rasa intent triggers ("/intent{...}").
Option = tuple[str, str]
PAGE_SIZE = 8
SMS_CHANNELS = frozenset({"sms"})  # short variant, GSM-7 budget
NUMBERED_CHANNELS = frozenset({"sms", "whatsapp", "cli"})  # menus as numbered lines, no buttons
BULLETIN_NOTICE_TOPICS = frozenset({"emergency_danger", "evacuation"})  # say that a bulletin exists


@dataclass(frozen=True)
class Reply:
    topic: str
    language: str
    text: str
    options: tuple[Option, ...] = ()
    sources: tuple[str, ...] = ()
    basis: str | None = None
    translated: bool = True
    extra: dict = field(default_factory=dict)

    def as_message(self) -> dict:
        """The dict a Rasa NLG returns (text, buttons, custom)."""
        message: dict = {"text": self.text, "custom": {"topic": self.topic, "language": self.language}}
        if self.options:
            message["buttons"] = [{"title": title, "payload": payload} for title, payload in self.options]
        if self.sources:
            message["custom"]["sources"] = list(self.sources)
            message["custom"]["basis"] = self.basis
        if not self.translated:
            message["custom"]["translated"] = False
        if self.extra:
            message["custom"].update(self.extra)
        return message


def payload(intent: str, **entities: str) -> str:
    return f"/{intent}" + (json.dumps(entities, ensure_ascii=False, separators=(",", ":")) if entities else "")


# Anyone can type a payload ('/set_country{"country": {"a": 1}}'): Rasa then hands the dialogue any
# JSON value as an entity and keeps it in the conversation's slots. Replies use only these.
def text_entities(entities: list[dict]) -> dict[str, str]:
    """{entity: value} for the entities of a parse whose value is a string."""
    return {e["entity"]: e["value"] for e in entities if isinstance(e.get("entity"), str) and isinstance(e.get("value"), str)}


def country_code(value: object) -> str | None:
    """`value` as a two-letter ISO 3166 code ('lb' -> 'LB'), or None if it is not one."""
    if isinstance(value, str) and len(value) == 2 and value.isascii() and value.isalpha():
        return value.upper()
    return None


def _page(value: object) -> int:
    try:
        return int(value or 1)
    except (TypeError, ValueError, OverflowError):
        return 1


@dataclass(frozen=True)
class Context:
    """What a reply depends on: the conversation's slots and the channel."""

    language: str = "en"
    country: str | None = None
    nationality: str | None = None
    channel: str = "api"
    entities: dict = field(default_factory=dict)

    @property
    def variant(self) -> str:
        return "sms" if self.channel in SMS_CHANNELS else "chat"

    @property
    def numbered(self) -> bool:
        return self.channel in NUMBERED_CHANNELS


class Responder:
    """Renders every `utter_<name>` the dialogue can predict."""

    def __init__(self, content: ContentBase) -> None:
        self.content = content

    def has_response(self, name: str) -> bool:
        name = name.removeprefix("utter_")
        return name in self.content.topics or hasattr(self, f"_say_{name}")

    def respond(self, name: str, ctx: Context) -> Reply:
        name = name.removeprefix("utter_")
        if name in self.content.topics:
            return self.topic(name, ctx)
        method = getattr(self, f"_say_{name}", None)
        if method is None:
            raise KeyError(f"no response for '{name}'")
        return method(ctx)

    # -- content topics ----------------------------------------------------------------------
    def topic(self, topic_id: str, ctx: Context) -> Reply:
        bulletin = None
        if topic_id == "situation_update" or topic_id in BULLETIN_NOTICE_TOPICS:
            bulletin = bulletins.current(ctx.country)
        if bulletin and topic_id == "situation_update":
            return self.bulletin(bulletin, ctx)
        rendered = self.content.render(topic_id, ctx.language, ctx.country, ctx.nationality, ctx.variant)
        _ = i18n.gettext_for(ctx.language)
        text = rendered.text
        options = [] if ctx.numbered else [(_("Menu"), payload("menu"))]
        if bulletin:
            notice = self.bulletin_notice(bulletin, ctx.language)
            if ctx.variant != "sms":
                text += "\n\n" + notice
            elif sms.encode(f"{text}\n{notice}\n{_('0 Menu')}").segments <= i18n.locales()[ctx.language].sms_segments:
                text += "\n" + notice  # on SMS only when it fits: the numbers and steps come first
            if not ctx.numbered:
                options.insert(0, (self.topic_title("situation_update", ctx.language), payload("situation_update")))
        if ctx.numbered:
            text += "\n" + _("0 Menu")
        return Reply(
            topic=topic_id,
            language=ctx.language,
            text=text,
            options=tuple(options),
            sources=rendered.sources,
            basis=rendered.basis,
            translated=rendered.translated,
            extra={"country": ctx.country} if ctx.country else {},
        )

    def bulletin(self, bulletin: bulletins.Bulletin, ctx: Context) -> Reply:
        """`situation_update` when an editor has published a current bulletin for the country."""
        _ = i18n.gettext_for(ctx.language)
        body, body_language = bulletin.text(ctx.language)
        # Translators: {country} is a country name, {date} a date (e.g. 23 November 2026); keep the braces.
        header = _("Situation update for {country}, published {date}:", country=country_name(bulletin.country, ctx.language), date=format_checked_date(bulletin.published.date(), ctx.language))
        parts = [header, body]
        emergency, _contacts = self.content._contact_line("emergency", ctx.language, ctx.country, ctx.nationality, compact=ctx.variant == "sms")
        if emergency:
            parts.append(emergency)
        if body_language != ctx.language:
            parts.append(_("(This answer is not yet translated into your language.)"))
        text = ("\n" if ctx.variant == "sms" else "\n\n").join(parts)
        if ctx.numbered:
            text += "\n" + _("0 Menu")
        source = f"content/{bulletin.path.parent.parent.name}/{bulletin.path.parent.name}/{bulletin.path.name}" if bulletin.path else "bulletin"
        return Reply(
            topic="situation_update",
            language=ctx.language,
            text=text,
            options=((_("Menu"), payload("menu")),) if not ctx.numbered else (),
            sources=(source,),
            basis=None,
            translated=body_language == ctx.language,
            extra={"country": ctx.country, "bulletin": True} if ctx.country else {"bulletin": True},
        )

    def bulletin_notice(self, bulletin: bulletins.Bulletin, language: str) -> str:
        _ = i18n.gettext_for(language)
        # Translators: {country} is a country name, {date} a date; LATEST is the word the reader sends (translate it as a word your readers would send, e.g. the local word for "latest news"); keep the braces.
        return _("A situation update for {country} was published on {date}: send LATEST to read it.", country=country_name(bulletin.country, language), date=format_checked_date(bulletin.published.date(), language))

    def topic_title(self, topic_id: str, language: str) -> str:
        return self.content.text(self.content.topics[topic_id], "title", language)[0]

    # -- menus -------------------------------------------------------------------------------
    def kind_titles(self, language: str) -> dict[str, str]:
        _ = i18n.gettext_for(language)
        return {"what_to_do": _("What to do now"), "who_to_contact": _("Who to contact"), "rights": _("Your rights")}

    def _say_menu(self, ctx: Context) -> Reply:
        kind = ctx.entities.get("help_kind")
        if kind in KINDS:
            return self._topic_menu(kind, _page(ctx.entities.get("page")), ctx)
        if kind == "language":
            return self._language_menu(ctx)
        if kind == "country":
            return self._country_menu(ctx)
        _ = i18n.gettext_for(ctx.language)
        options = [(title, payload("menu", help_kind=kind_id)) for kind_id, title in self.kind_titles(ctx.language).items()]
        options.append((_("Language"), payload("menu", help_kind="language")))
        options.append((_("Country"), payload("menu", help_kind="country")))
        text = _("Choose what you need, or write your question in your own words.")
        return self._menu_reply("menu", text, options, ctx)

    def _topic_menu(self, kind: str, page: int, ctx: Context) -> Reply:
        _ = i18n.gettext_for(ctx.language)
        listed = self.content.menu.get(kind) or sorted(t.id for t in self.content.topics.values() if t.kind == kind)
        topics = [self.content.topics[t] for t in listed if t in self.content.topics]
        pages = max(1, -(-len(topics) // PAGE_SIZE))
        page = min(max(page, 1), pages)
        chunk = topics[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        options = [(self.topic_title(t.id, ctx.language), payload(t.id)) for t in chunk]
        if page < pages:
            options.append((_("More"), payload("menu", help_kind=kind, page=str(page + 1))))
        text = self.kind_titles(ctx.language)[kind] + ":"
        return self._menu_reply("menu", text, options, ctx)

    def _language_menu(self, ctx: Context) -> Reply:
        _ = i18n.gettext_for(ctx.language)
        options = [(loc.native, payload("set_language", language=code)) for code, loc in i18n.locales().items()]
        return self._menu_reply("set_language", _("Choose your language:"), options, ctx)

    def _country_menu(self, ctx: Context) -> Reply:
        _ = i18n.gettext_for(ctx.language)
        codes = sorted((c for c in self.content.countries if c != "default"), key=lambda c: country_name(c, ctx.language))
        options = [(country_name(code, ctx.language), payload("set_country", country=code)) for code in codes]
        text = _("Which country are you in now? Choose one or write its name.")
        return self._menu_reply("set_country", text, options, ctx)

    def _menu_reply(self, topic: str, text: str, options: list[Option], ctx: Context) -> Reply:
        """Numbered lines for SMS; buttons elsewhere. '0' always brings back the main menu."""
        _ = i18n.gettext_for(ctx.language)
        if ctx.numbered:
            lines = [text, *(f"{n} {title}" for n, (title, _payload) in enumerate(options, start=1))]
            if topic != "menu" or ctx.entities.get("help_kind"):
                lines.append(_("0 Menu"))
            text = "\n".join(lines)
        return Reply(topic=topic, language=ctx.language, text=text, options=tuple(options))

    # -- conversation ------------------------------------------------------------------------
    def _say_greet(self, ctx: Context) -> Reply:
        _ = i18n.gettext_for(ctx.language)
        intro = _("Hello. This is Haven: free, anonymous information for migrants in a crisis. In danger now? Call the emergency number.")
        menu = self._say_menu(Context(ctx.language, ctx.country, ctx.nationality, ctx.channel))
        return Reply("greet", ctx.language, intro + "\n" + menu.text, menu.options)

    def _say_goodbye(self, ctx: Context) -> Reply:
        _ = i18n.gettext_for(ctx.language)
        return Reply("goodbye", ctx.language, _("Take care. Write again any time; send STOP to erase this conversation."))

    def _say_thanks(self, ctx: Context) -> Reply:
        _ = i18n.gettext_for(ctx.language)
        return Reply("thanks", ctx.language, _("You're welcome. Send 0 for the menu if you need anything else."))

    def _say_affirm(self, ctx: Context) -> Reply:
        _ = i18n.gettext_for(ctx.language)
        return Reply("affirm", ctx.language, _("OK. Write your question, or send 0 for the menu."))

    def _say_deny(self, ctx: Context) -> Reply:
        _ = i18n.gettext_for(ctx.language)
        return Reply("deny", ctx.language, _("OK. Write your question in your own words, or send 0 for the menu."))

    def _say_set_language(self, ctx: Context) -> Reply:
        if not ctx.entities.get("language"):
            return self._language_menu(ctx)
        _ = i18n.gettext_for(ctx.language)
        native = i18n.locales()[ctx.language].native
        menu = self._say_menu(Context(ctx.language, ctx.country, ctx.nationality, ctx.channel))
        # Translators: {language} is the language's own name (e.g. Français); keep the braces.
        return Reply("set_language", ctx.language, _("Language: {language}.", language=native) + "\n" + menu.text, menu.options)

    def _say_set_country(self, ctx: Context) -> Reply:
        if not ctx.country:
            return self._country_menu(ctx)
        _ = i18n.gettext_for(ctx.language)
        name = country_name(ctx.country, ctx.language)
        if ctx.country not in self.content.countries:
            # Translators: {country} is a country name; keep the braces.
            text = _("Country: {country}. We have no local contacts for it yet; answers give general advice.", country=name)
        else:
            # Translators: {country} is a country name; keep the braces.
            text = _("Country: {country}. Answers now include its contacts.", country=name)
        menu = self._say_menu(Context(ctx.language, ctx.country, ctx.nationality, ctx.channel))
        return Reply("set_country", ctx.language, text + "\n" + menu.text, menu.options)

    def _say_set_nationality(self, ctx: Context) -> Reply:
        _ = i18n.gettext_for(ctx.language)
        if not ctx.nationality:
            return Reply("set_nationality", ctx.language, _("Which country are you from? You do not have to say."))
        name = country_name(ctx.nationality, ctx.language)
        # Translators: {country} is the user's country of origin; keep the braces.
        text = _("Noted: {country}. Answers about embassies will name its consulate where we know it. We do not keep this after the conversation ends.", country=name)
        return Reply("set_nationality", ctx.language, text)

    def _say_talk_to_human(self, ctx: Context) -> Reply:
        _ = i18n.gettext_for(ctx.language)
        text = _("This service is automatic. To speak to a person, call one of these:")
        lines = []
        for role in ("migrant_worker_hotline", "iom", "red_cross"):
            line, _contacts = self.content._contact_line(role, ctx.language, ctx.country, ctx.nationality, compact=True)
            if line:
                lines.append(line)
        if not lines:
            lines.append(_("Tell us the country you are in (for example 'I am in Lebanon') to get local numbers."))
        return Reply("talk_to_human", ctx.language, "\n".join([text, *lines]))

    def _say_bot_identity(self, ctx: Context) -> Reply:
        _ = i18n.gettext_for(ctx.language)
        return Reply(
            "bot_identity",
            ctx.language,
            _("I am Haven, an automatic information service, not a person and not a government. My answers come from the MICIC guidelines on migrants in countries in crisis and from local contacts checked by aid workers."),
        )

    def _say_privacy(self, ctx: Context) -> Reply:
        _ = i18n.gettext_for(ctx.language)
        return Reply(
            "privacy",
            ctx.language,
            _("We do not keep your number or your name, and we do not share anything with the police or immigration. The conversation is deleted after 24 hours; send STOP to delete it now."),
        )

    def _say_out_of_scope(self, ctx: Context) -> Reply:
        _ = i18n.gettext_for(ctx.language)
        menu = self._say_menu(Context(ctx.language, ctx.country, ctx.nationality, ctx.channel))
        text = _("Sorry, I can only help with safety, contacts and rights in a crisis.")
        return Reply("out_of_scope", ctx.language, text + "\n" + menu.text, menu.options)

    def _say_fallback(self, ctx: Context) -> Reply:
        _ = i18n.gettext_for(ctx.language)
        menu = self._say_menu(Context(ctx.language, ctx.country, ctx.nationality, ctx.channel))
        text = _("Sorry, I did not understand. Please say it in other words, or choose:")
        return Reply("out_of_scope", ctx.language, text + "\n" + menu.text, menu.options)
