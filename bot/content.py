"""The content base: guideline answers by topic and contacts by country, rendered per language.

Copy lives in `content/` (English source) and `translations/<locale>/LC_MESSAGES/content.po`; this
module only loads, selects and lays it out. See `content/README.md` for the file format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale as BabelLocale
from babel.dates import format_date

from bot import i18n
from bot.paths import content_dir
from bot.yamlfile import load_located

BASES = ("right", "recommendation", "practice")
HAZARDS = ("conflict", "natural_disaster")
KINDS = ("what_to_do", "who_to_contact", "rights")
PHASES = ("pre_crisis", "emergency", "post_crisis", "any")
CONTACT_ROLES = (
    "emergency",
    "consulate",
    "iom",
    "red_cross",
    "icrc",
    "unhcr",
    "migrant_worker_hotline",
    "trafficking_hotline",
    "gbv_hotline",
    "child_helpline",
    "mental_health",
    "labour_authority",
    "immigration_authority",
    "legal_aid",
)
EMERGENCY_SERVICES = ("general", "police", "ambulance", "fire", "civil_defence", "coast_guard")
TEXT_FIELDS = ("title", "sms", "chat", "operator_script")
DEFAULT_PACK = "default"


@dataclass(frozen=True)
class Source:
    seed: str
    section: str

    def cite(self) -> str:
        return f"{self.seed} {self.section}"


@dataclass(frozen=True)
class Topic:
    id: str
    kind: str
    phase: str
    hazards: tuple[str, ...]
    basis: str
    sources: tuple[Source, ...]
    contacts: tuple[str, ...]
    title: str
    sms: str
    chat: str
    operator_script: str
    contacts_first: bool = False
    micic_guidelines: tuple[int, ...] = ()


@dataclass(frozen=True)
class Contact:
    """One organisation, consulate or emergency number, with where and when it was checked."""

    label: str
    phone: str | None
    web: str | None
    source: str
    verified: dt.date | None
    role: str = ""


@dataclass(frozen=True)
class CountryPack:
    code: str
    editor: str
    updated: dt.date | None
    complete: bool
    migrant_languages: tuple[str, ...]
    emergency: tuple[Contact, ...]
    organisations: tuple[Contact, ...]
    consulates: dict[str, Contact]
    notes: dict[str, str]
    path: Path | None = None

    def by_role(self, role: str) -> tuple[Contact, ...]:
        return tuple(c for c in self.organisations if c.role == role)


@dataclass(frozen=True)
class Rendered:
    """One answer, ready for a channel."""

    topic: str
    language: str
    text: str
    sources: tuple[str, ...]
    basis: str
    translated: bool
    contacts: tuple[Contact, ...] = ()
    buttons: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _contact(raw: dict, role: str = "", label: str | None = None) -> Contact:
    return Contact(
        label=label or str(raw.get("name", role)),
        phone=str(raw["phone"]) if raw.get("phone") else None,
        web=raw.get("web"),
        source=str(raw.get("source", "")),
        verified=_date(raw.get("verified")),
        role=role,
    )


def parse_topic(raw: dict) -> Topic:
    return Topic(
        id=raw["id"],
        kind=raw["kind"],
        phase=raw["phase"],
        hazards=tuple(raw.get("hazards") or ()),
        basis=raw["basis"],
        sources=tuple(Source(str(s["seed"]), str(s["section"])) for s in raw.get("sources") or ()),
        contacts=tuple(raw.get("contacts") or ()),
        title=str(raw.get("title") or raw["id"].replace("_", " ")),
        sms=str(raw["sms"]).strip(),
        chat=str(raw["chat"]).strip(),
        operator_script=str(raw.get("operator_script", "")).strip(),
        contacts_first=bool(raw.get("contacts_first", False)),
        micic_guidelines=tuple(raw.get("micic_guidelines") or ()),
    )


def parse_country(raw: dict, path: Path | None = None) -> CountryPack:
    emergency = tuple(
        Contact(
            label=str(e.get("service", "general")),
            phone=str(e.get("number", "")),
            web=None,
            source=str(e.get("source", "")),
            verified=_date(e.get("verified")),
            role="emergency",
        )
        for e in raw.get("emergency") or ()
    )
    return CountryPack(
        code=str(raw["country"]).upper() if raw["country"] != DEFAULT_PACK else DEFAULT_PACK,
        editor=str(raw.get("editor", "")),
        updated=_date(raw.get("updated")),
        complete=bool(raw.get("complete", False)),
        migrant_languages=tuple(raw.get("migrant_languages") or ()),
        emergency=emergency,
        organisations=tuple(_contact(o, o.get("role", "")) for o in raw.get("organisations") or ()),
        consulates={str(k).upper(): _contact(v, "consulate") for k, v in (raw.get("consulates") or {}).items()},
        notes={k: str(v.get("text", "")).strip() if isinstance(v, dict) else str(v) for k, v in (raw.get("notes") or {}).items()},
        path=path,
    )


class ContentBase:
    """All topics and country packs, loaded once; rendering is pure and cheap."""

    def __init__(self, topics: dict[str, Topic], countries: dict[str, CountryPack], menu: dict[str, list[str]] | None = None) -> None:
        self.topics = topics
        self.countries = countries
        self.menu = menu or {}

    @classmethod
    def load(cls, directory: Path | None = None) -> ContentBase:
        """Load and validate `content/`; raise ContentInvalid listing every error."""
        from bot.content_check import ContentInvalid, check_content

        directory = directory or content_dir()
        report = check_content(directory)
        if report.errors:
            raise ContentInvalid(report.errors)
        topics = {}
        for path in sorted((directory / "topics").glob("*.yml")):
            topic = parse_topic(load_located(path).data)
            topics[topic.id] = topic
        countries = {}
        for path in sorted((directory / "countries").glob("*.yml")):
            pack = parse_country(load_located(path).data, path)
            countries[pack.code] = pack
        menu_file = directory / "menu.yml"
        menu = load_located(menu_file).data if menu_file.exists() else {}
        return cls(topics, countries, {k: list(v or []) for k, v in (menu or {}).items()})

    # -- selection ---------------------------------------------------------------------------
    def pack(self, country: str | None) -> CountryPack | None:
        return self.countries.get(country.upper()) if country else None

    def contacts_for(self, role: str, country: str | None, nationality: str | None) -> tuple[Contact, ...]:
        """Contacts for one role: the country's own, else the default pack's."""
        pack = self.pack(country)
        default = self.countries.get(DEFAULT_PACK)
        if role == "emergency":
            return pack.emergency if pack else ()
        if role == "consulate":
            if pack and nationality and nationality.upper() in pack.consulates:
                return (pack.consulates[nationality.upper()],)
            return ()
        for candidate in (pack, default):
            if candidate and candidate.by_role(role):
                return candidate.by_role(role)
        return ()

    # -- rendering ---------------------------------------------------------------------------
    def text(self, topic: Topic, fieldname: str, language: str) -> tuple[str, bool]:
        return i18n.translate(language, getattr(topic, fieldname), "content", f"{topic.id}.{fieldname}")

    def render(
        self,
        topic_id: str,
        language: str = "en",
        country: str | None = None,
        nationality: str | None = None,
        variant: str = "chat",
    ) -> Rendered:
        """The answer to `topic_id` in `language`, with the contacts of `country`."""
        topic = self.topics[topic_id]
        _ = i18n.gettext_for(language)
        body, translated = self.text(topic, "sms" if variant == "sms" else "chat", language)
        contact_lines: list[str] = []
        shown: list[Contact] = []
        roles = topic.contacts[:1] if variant == "sms" else topic.contacts
        for role in roles:
            line, contacts = self._contact_line(role, language, country, nationality, compact=variant == "sms")
            if line:
                contact_lines.append(line)
                shown.extend(contacts)
        pack = self.pack(country)
        note = pack.notes.get(topic_id) if pack and variant != "sms" else None
        parts: list[str] = []
        if topic.contacts_first and contact_lines:
            parts.append("\n".join(contact_lines))
            parts.append(body)
        else:
            parts.append(body)
            if contact_lines:
                header = "" if variant == "sms" else _("Who to contact:") + "\n"
                parts.append(header + "\n".join(contact_lines))
        if note:
            note_text, _note_translated = i18n.translate(language, note, "content", f"{pack.code.lower()}.notes.{topic_id}")
            # Translators: {country} is a country name in the reader's language; keep the braces.
            parts.append(_("In {country}:", country=country_name(pack.code, language)) + " " + note_text)
        if not translated:
            parts.append(_("(This answer is not yet translated into your language.)"))
        return Rendered(
            topic=topic_id,
            language=language,
            text=("\n" if variant == "sms" else "\n\n").join(p for p in parts if p),
            sources=tuple(s.cite() for s in topic.sources),
            basis=topic.basis,
            translated=translated,
            contacts=tuple(shown),
        )

    def _contact_line(
        self, role: str, language: str, country: str | None, nationality: str | None, compact: bool
    ) -> tuple[str, tuple[Contact, ...]]:
        _ = i18n.gettext_for(language)
        contacts = self.contacts_for(role, country, nationality)
        if role == "emergency":
            if not contacts:
                return _("Emergency: call the local emergency number."), ()
            numbers = ", ".join(f"{c.phone} ({_service_name(c.label, language)})" for c in contacts)
            # Translators: {numbers} is a list like "112 (police), 140 (ambulance)"; keep the braces.
            return _("Emergency: {numbers}", numbers=numbers), contacts
        if role == "consulate" and not contacts:
            if compact:
                return _("Your embassy or consulate."), ()
            return _("Your embassy or consulate (its number is on your government's website)."), ()
        if not contacts:
            return "", ()
        if compact:
            contact = contacts[0]
            return f"{plain_latin(short_label(contact.label))}: {contact.phone or contact.web}", contacts[:1]
        lines = [f"- {c.label}: {' '.join(x for x in (c.phone, c.web) if x)}" for c in contacts]
        return "\n".join(lines), contacts


def plain_latin(text: str) -> str:
    """Latin letters without diacritics (Türk Kızılay -> Turk Kizilay), so an SMS can stay GSM-7."""
    import unicodedata

    text = text.replace("ı", "i").replace("İ", "I")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def short_label(label: str) -> str:
    """'US Department of Labor, Wage and Hour Division (unpaid wages)' -> 'US Department of Labor'."""
    for sep in (" (", ", ", " - ", ": "):
        label = label.split(sep)[0]
    return label


def _service_name(service: str, language: str) -> str:
    _ = i18n.gettext_for(language)
    names = {
        "general": _("all services"),
        "police": _("police"),
        "ambulance": _("ambulance"),
        "fire": _("fire"),
        "civil_defence": _("civil defence"),
        "coast_guard": _("coast guard"),
    }
    return names.get(service, service)


def country_name(code: str, language: str) -> str:
    """The country's name in `language`, from Babel's CLDR data."""
    if code == DEFAULT_PACK:
        return code
    try:
        return BabelLocale.parse(language).territories.get(code.upper(), code)
    except (ValueError, TypeError):
        return code


def format_checked_date(date: dt.date, language: str) -> str:
    return format_date(date, format="long", locale=language)
