"""`haven content check`: every rule an editor's change must pass, as `path:line: message`."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
import yaml
from babel import Locale as BabelLocale

from bot import sms
from bot.content import (
    BASES,
    CONTACT_ROLES,
    DEFAULT_PACK,
    EMERGENCY_SERVICES,
    HAZARDS,
    KINDS,
    PHASES,
    parse_country,
    parse_topic,
)
from bot.paths import SEEDS_DIR, SHARED_SPEC_DIR
from bot.yamlfile import ContentError, Located, load_located

SMS_TEXT_BUDGET = 250  # characters of the topic's own SMS text; the first contact fills the rest
SMS_SEGMENTS_EN = 2  # 306 GSM-7 characters, rendered with the longest first contact
CHAT_BUDGET = 900
DEFAULT_MAX_AGE_DAYS = 180
TOPIC_REQUIRED = ("id", "kind", "phase", "hazards", "basis", "sources", "contacts", "title", "sms", "chat", "operator_script")
PACK_REQUIRED = ("country", "editor", "updated", "complete", "reverify_before_deployment")
HEDGES = re.compile(
    r"urged|recommend|should|some countries|not guaranteed|may |might|practice|in some|"
    r"not always|varies|differ|depends|guidance|\bsome\b|\bmany\b|often|usually|in past crises",
    re.IGNORECASE,
)
PHONE_IN_TEXT = re.compile(r"\+?\d[\d ()-]{4,}\d|\b(?!(?:19|20)\d\d\b)\d{3,6}\b")
URL_IN_TEXT = re.compile(r"https?://|www\.", re.IGNORECASE)
SHORT_CODE = re.compile(r"^\d{2,6}$")
ISO_TERRITORIES = frozenset(code for code in BabelLocale("en").territories if len(code) == 2 and code.isalpha())


class ContentInvalid(Exception):
    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        super().__init__("invalid content:\n" + "\n".join(str(e) for e in errors))


@dataclass
class Report:
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)

    def error(self, doc: Located | Path, key: tuple, message: str) -> None:
        self.errors.append(_located(doc, key, message))

    def warn(self, doc: Located | Path, key: tuple, message: str) -> None:
        self.warnings.append(_located(doc, key, message))


def _located(doc: Located | Path, key: tuple, message: str) -> ContentError:
    if isinstance(doc, Located):
        return ContentError(doc.path, doc.line(*key), message)
    return ContentError(doc, 1, message)


def contract_topics() -> dict[str, dict] | None:
    """The content topics of ../shared/spec/topics.yml, when the spec is beside the project."""
    path = SHARED_SPEC_DIR / "topics.yml"
    if not path.exists():
        return None
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {t["id"]: t for t in raw["content_topics"]}


def max_age_days() -> int:
    return int(os.environ.get("HAVEN_CONTENT_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS))


def check_content(directory: Path, today: dt.date | None = None, max_age: int | None = None) -> Report:
    """Validate the whole content directory."""
    today = today or dt.date.today()
    max_age = max_age_days() if max_age is None else max_age
    report = Report()
    contract = contract_topics()
    topic_docs = _load_all(directory / "topics", report)
    pack_docs = _load_all(directory / "countries", report)
    topic_ids = set()
    for doc in topic_docs:
        topic_ids.add(_check_topic(doc, contract, report))
    if contract is not None:
        for missing in sorted(set(contract) - topic_ids):
            report.error(directory / "topics" / f"{missing}.yml", (), f"topic '{missing}' of topics.yml has no answer: create this file")
    codes = set()
    for doc in pack_docs:
        codes.add(_check_pack(doc, topic_ids, today, max_age, report))
    if pack_docs and DEFAULT_PACK not in codes:
        report.error(directory / "countries" / "default.yml", (), "the 'default' pack (country unknown) is missing")
    _check_menu(directory / "menu.yml", topic_ids, report)
    from bot import bulletins

    bulletins.check(directory, report)
    if not report.errors:
        _check_rendered_sms(directory, topic_docs, pack_docs, report)
    return report


def _listed(doc: Located, data: dict, name: str, report: Report) -> list:
    """`data[name]` when it is a list (absent or empty: []); anything else is reported."""
    value = data.get(name)
    if isinstance(value, list):
        return value
    if value not in (None, "", {}):
        report.error(doc, (name,), f"'{name}' must be a list, one '- ' line per item")
    return []


def _mapped(doc: Located, data: dict, name: str, report: Report) -> dict:
    """`data[name]` when it is a mapping (absent or empty: {}); anything else is reported."""
    value = data.get(name)
    if isinstance(value, dict):
        return value
    if value not in (None, "", []):
        report.error(doc, (name,), f"'{name}' must be a mapping, one 'key: value' line per item")
    return {}


def _check_menu(path: Path, topic_ids: set[str], report: Report) -> None:
    if not path.exists():
        return
    try:
        doc = load_located(path)
    except ContentError as error:
        report.errors.append(error)
        return
    menu = _mapped(doc, {"menu": doc.data}, "menu", report)
    for kind in menu:
        if kind not in KINDS:
            report.error(doc, (kind,), f"menu kind '{kind}' is not one of: {', '.join(KINDS)}")
        for index, topic_id in enumerate(_listed(doc, menu, kind, report)):
            if not isinstance(topic_id, str) or topic_id not in topic_ids:
                report.error(doc, (kind, index), f"menu lists unknown topic '{topic_id}'")


def _load_all(folder: Path, report: Report) -> list[Located]:
    docs = []
    for path in sorted(folder.glob("*.yml")):
        try:
            doc = load_located(path)
        except ContentError as error:
            report.errors.append(error)
            continue
        if not isinstance(doc.data, dict):
            report.error(doc, (), "expected a mapping of fields (key: value) at the top level")
            continue
        docs.append(doc)
    return docs


def _check_text(doc: Located, key: str, text: str, report: Report) -> None:
    if re.search(r"\billegal", text, re.IGNORECASE):
        report.error(doc, (key,), "say 'irregular', never 'illegal'")
    if URL_IN_TEXT.search(text):
        report.error(doc, (key,), "web address in the text: contacts come from the country pack through 'contacts'")
    match = PHONE_IN_TEXT.search(text)
    if match:
        report.error(doc, (key,), f"number '{match.group(0)}' in the text: numbers come from the country pack through 'contacts'")


def _check_topic(doc: Located, contract: dict | None, report: Report) -> str:
    data = doc.data
    for name in TOPIC_REQUIRED:
        if data.get(name) in (None, "", []):
            report.error(doc, (), f"missing required field '{name}'")
    topic_id = str(data.get("id", ""))
    if topic_id and topic_id != doc.path.stem:
        report.error(doc, ("id",), f"id '{topic_id}' does not match the file name '{doc.path.name}'")
    if contract is not None and topic_id and topic_id not in contract:
        report.error(doc, ("id",), f"'{topic_id}' is not a content topic in topics.yml")
    spec = (contract or {}).get(topic_id, {})
    for name, allowed in (("kind", KINDS), ("phase", PHASES)):
        value = data.get(name)
        if value is not None and value not in allowed:
            report.error(doc, (name,), f"{name} '{value}' is not one of: {', '.join(allowed)}")
        elif spec and value is not None and value != spec.get(name):
            report.error(doc, (name,), f"{name} is '{value}' but topics.yml says '{spec.get(name)}'")
    if data.get("basis") is not None and data["basis"] not in BASES:
        report.error(doc, ("basis",), f"basis '{data['basis']}' is not one of: {', '.join(BASES)}")
    for index, hazard in enumerate(_listed(doc, data, "hazards", report)):
        if hazard not in HAZARDS:
            report.error(doc, ("hazards", index), f"hazard '{hazard}' is not one of: {', '.join(HAZARDS)}")
    for index, role in enumerate(_listed(doc, data, "contacts", report)):
        if role not in CONTACT_ROLES:
            report.error(doc, ("contacts", index), f"unknown contact role '{role}' (see content/README.md)")
    for index, source in enumerate(_listed(doc, data, "sources", report)):
        if not isinstance(source, dict) or not source.get("seed") or not source.get("section"):
            report.error(doc, ("sources", index), "a source needs 'seed' (a file in shared/seeds) and 'section'")
            continue
        seed = str(source["seed"])
        if seed.startswith("notes_"):
            report.error(doc, ("sources", index, "seed"), f"cite the seed document, not the notes file '{seed}'")
        elif SEEDS_DIR.exists() and not (SEEDS_DIR / seed).exists():
            report.error(doc, ("sources", index, "seed"), f"seed file '{seed}' does not exist in shared/seeds")
    for name in ("title", "sms", "chat", "operator_script"):
        if isinstance(data.get(name), str):
            _check_text(doc, name, data[name], report)
    sms_text = data.get("sms")
    if isinstance(sms_text, str):
        plain = sms_text.strip()
        if not sms.is_gsm7(plain):
            bad = "".join(sorted({c for c in plain if not sms.is_gsm7(c)}))
            report.error(doc, ("sms",), f"SMS text has characters outside GSM-7: {bad!r}")
        if len(plain) > SMS_TEXT_BUDGET:
            report.error(doc, ("sms",), f"SMS text is {len(plain)} characters; the budget is {SMS_TEXT_BUDGET}")
    chat = data.get("chat")
    if isinstance(chat, str) and len(chat.strip()) > CHAT_BUDGET:
        report.error(doc, ("chat",), f"chat text is {len(chat.strip())} characters; the budget is {CHAT_BUDGET}")
    if data.get("basis") in ("recommendation", "practice") and isinstance(chat, str) and not HEDGES.search(chat):
        report.error(doc, ("chat",), f"basis is '{data['basis']}' but the text does not say so: write e.g. 'governments are urged to', 'in some countries', 'recommended'")
    return topic_id


def _check_dated(doc: Located, key: tuple, entry: dict, today: dt.date, max_age: int, report: Report, what: str) -> None:
    if not entry.get("source"):
        report.error(doc, key, f"{what} has no 'source' (where it was published)")
    verified = entry.get("verified")
    if isinstance(verified, dt.datetime):  # 'verified: 2026-01-05 10:00' (a date is all we need)
        verified = verified.date()
    if verified is None:
        report.error(doc, key, f"{what} has no 'verified' date")
    elif not isinstance(verified, dt.date):
        report.error(doc, (*key, "verified"), f"{what}: 'verified' must be a date (YYYY-MM-DD), not {verified!r}")
    elif verified > today:
        report.error(doc, (*key, "verified"), f"{what}: 'verified' date {verified} is in the future")
    elif (today - verified).days > max_age:
        report.warn(doc, (*key, "verified"), f"{what} was last verified {verified}, more than {max_age} days ago: check it again")


def _check_phone(doc: Located, key: tuple, number: object, region: str | None, report: Report, what: str) -> None:
    text = str(number).strip()
    if SHORT_CODE.match(text):
        return
    try:
        parsed = phonenumbers.parse(text, region if region and region != DEFAULT_PACK else None)
    except phonenumbers.NumberParseException as error:
        report.error(doc, key, f"{what}: '{text}' is not a phone number ({error})")
        return
    if not phonenumbers.is_valid_number(parsed):
        report.error(doc, key, f"{what}: '{text}' is not a valid number for {phonenumbers.region_code_for_number(parsed) or region}")


def _check_contact(doc: Located, key: tuple, entry: object, region: str | None, today: dt.date, max_age: int, report: Report, what: str) -> None:
    if not isinstance(entry, dict):
        report.error(doc, key, f"{what} must be a mapping")
        return
    if not entry.get("name"):
        report.error(doc, key, f"{what} has no 'name'")
    if not entry.get("phone") and not entry.get("web"):
        report.error(doc, key, f"{what} needs a 'phone' or a 'web' address")
    if entry.get("phone"):
        _check_phone(doc, (*key, "phone"), entry["phone"], region, report, what)
    if entry.get("web") and not str(entry["web"]).startswith("https://") and not str(entry["web"]).startswith("http://"):
        report.error(doc, (*key, "web"), f"{what}: web address must start with https://")
    _check_dated(doc, key, entry, today, max_age, report, what)


def _check_pack(doc: Located, topic_ids: set[str], today: dt.date, max_age: int, report: Report) -> str:
    data = doc.data
    for name in PACK_REQUIRED:
        if data.get(name) is None:
            report.error(doc, (), f"missing required field '{name}'")
    code = str(data.get("country", ""))
    expected = doc.path.stem
    is_default = expected == DEFAULT_PACK
    if code.lower() != expected:
        report.error(doc, ("country",), f"country '{code}' does not match the file name '{doc.path.name}'")
    if not is_default and code.upper() not in ISO_TERRITORIES:
        report.error(doc, ("country",), f"'{code}' is not an ISO 3166 country code")
    region = None if is_default else code.upper()
    if data.get("reverify_before_deployment") is not True and not data.get("complete"):
        report.error(doc, ("reverify_before_deployment",), "an incomplete pack must say reverify_before_deployment: true")
    if not is_default and not data.get("emergency"):
        if data.get("complete"):
            report.error(doc, (), "no 'emergency' numbers: a complete pack must list at least one")
        else:
            report.warn(doc, (), "no sourced 'emergency' numbers: answers will say 'call the local emergency number'")
    for index, entry in enumerate(_listed(doc, data, "emergency", report)):
        key = ("emergency", index)
        what = f"emergency number {index + 1}"
        if not isinstance(entry, dict) or not entry.get("number"):
            report.error(doc, key, f"{what} needs 'service' and 'number'")
            continue
        if entry.get("service") not in EMERGENCY_SERVICES:
            report.error(doc, (*key, "service"), f"service '{entry.get('service')}' is not one of: {', '.join(EMERGENCY_SERVICES)}")
        _check_phone(doc, (*key, "number"), entry["number"], region, report, what)
        _check_dated(doc, key, entry, today, max_age, report, what)
    for index, entry in enumerate(_listed(doc, data, "organisations", report)):
        key = ("organisations", index)
        name = entry.get("name", f"organisation {index + 1}") if isinstance(entry, dict) else f"organisation {index + 1}"
        if isinstance(entry, dict) and entry.get("role") not in CONTACT_ROLES[2:]:
            report.error(doc, (*key, "role"), f"{name}: role '{entry.get('role')}' is not one of: {', '.join(CONTACT_ROLES[2:])}")
        _check_contact(doc, key, entry, region, today, max_age, report, str(name))
    for nationality, entry in _mapped(doc, data, "consulates", report).items():
        key = ("consulates", nationality)
        if str(nationality).upper() not in ISO_TERRITORIES:
            report.error(doc, key, f"consulate key '{nationality}' is not an ISO 3166 country code")
        _check_contact(doc, key, entry, region, today, max_age, report, f"consulate for {nationality}")
    for topic_id, note in _mapped(doc, data, "notes", report).items():
        key = ("notes", topic_id)
        if topic_ids and topic_id not in topic_ids:
            report.error(doc, key, f"note for unknown topic '{topic_id}'")
        if not isinstance(note, dict) or not note.get("text"):
            report.error(doc, key, f"note '{topic_id}' needs 'text', 'source' and 'verified'")
            continue
        _check_dated(doc, key, note, today, max_age, report, f"note '{topic_id}'")
    for name in ("updated",):
        if data.get(name) is not None and not isinstance(data[name], dt.date):
            report.error(doc, (name,), f"'{name}' must be a date (YYYY-MM-DD)")
    return DEFAULT_PACK if is_default else code.upper()


def _check_rendered_sms(directory: Path, topic_docs: list[Located], pack_docs: list[Located], report: Report) -> None:
    """Every English SMS answer, with every country's first contact, fits its segment budget."""
    from bot.content import ContentBase

    topics = {doc.data["id"]: parse_topic(doc.data) for doc in topic_docs}
    packs = {}
    for doc in pack_docs:
        pack = parse_country(doc.data, doc.path)
        packs[pack.code] = pack
    base = ContentBase(topics, packs)
    by_id = {doc.data["id"]: doc for doc in topic_docs}
    for topic_id in sorted(topics):
        for country in [None, *sorted(c for c in packs if c != DEFAULT_PACK)]:
            rendered = base.render(topic_id, "en", country, None, variant="sms")
            encoded = sms.encode(rendered.text)
            if encoded.segments > SMS_SEGMENTS_EN:
                where = country or "no country"
                report.error(
                    by_id[topic_id],
                    ("sms",),
                    f"SMS answer with the contacts of {where} is {encoded.units} characters "
                    f"({encoded.segments} segments); the budget is {SMS_SEGMENTS_EN} segments",
                )
