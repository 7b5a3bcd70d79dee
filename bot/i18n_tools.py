"""Catalog round trip with Babel: extract (POT), update (PO), compile (MO), and catalog checks.

Two domains: `messages` (the bot's own strings, from Python source) and `content` (texts from
`content/` YAML, msgctxt `<topic>.<field>` or `<cc>.notes.<topic>`). Templates are written
deterministically: no locations, no wrapping, a fixed creation date, sorted entries.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, unescape, write_po

from bot import i18n, sms
from bot.paths import PROJECT_ROOT, TRANSLATIONS_DIR
from bot.yamlfile import ContentError

FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
CONTACT_ROOM = 56  # characters an SMS keeps free for the first contact line
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
TOPIC_FIELDS = {
    "title": "Menu entry: at most 28 characters.",
    "sms": "SMS answer: plain text. Length limit: {limit}.",
    "chat": "Chat answer (web, WhatsApp, Telegram, Messenger): first line is the action, then numbered steps; at most about 900 characters.",
    "operator_script": "Script read by a hotline operator: numbered steps in a calm order.",
}


def sms_text_budget(locale: str) -> int:
    """Characters one topic's SMS text may use in `locale` (its segment budget less a contact line)."""
    loc = i18n.locales()[locale]
    return sms.max_units(loc.sms_segments, loc.sms_ucs2) - CONTACT_ROOM


def _sms_limits() -> str:
    return "; ".join(f"{code} {sms_text_budget(code)}" for code in i18n.locales())


def extract_content_yaml(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extractor for `content/` YAML (registered as `haven_content` in pyproject.toml)."""
    text = fileobj.read().decode("utf-8")
    data = yaml.safe_load(text) or {}
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    lines = {k.value: k.start_mark.line + 1 for k, _v in node.value} if isinstance(node, yaml.MappingNode) else {}
    if "id" in data and "kind" in data:  # a topic
        for field, note in TOPIC_FIELDS.items():
            value = str(data.get(field) or "").strip()
            if value:
                comment = note.format(limit=_sms_limits()) if field == "sms" else note
                yield lines.get(field, 1), "pgettext", (f"{data['id']}.{field}", value), [f"Translators: {comment}"]
    elif "country" in data:  # a country pack: notes are translatable
        code = str(data["country"]).lower()
        for topic, note in (data.get("notes") or {}).items():
            value = str(note.get("text", "") if isinstance(note, dict) else note).strip()
            if value:
                yield lines.get("notes", 1), "pgettext", (f"{code}.notes.{topic}", value), [f"Translators: note for {topic} in country {code.upper()}; keep numbers and names as they are."]


def _template(domain: str) -> Catalog:
    catalog = Catalog(project="Haven", version="1", copyright_holder="Haven", msgid_bugs_address="", creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False)
    if domain == "messages":
        method_map = [("bot/**.py", "python"), ("channels/**.py", "python")]
        options = {"bot/**.py": {}, "channels/**.py": {}}
        keywords = {"_": None}
    else:
        method_map = [("content/topics/*.yml", "bot.i18n_tools:extract_content_yaml"), ("content/countries/*.yml", "bot.i18n_tools:extract_content_yaml")]
        options = {}
        keywords = {"pgettext": ((1, "c"), 2)}
    found = [
        (context or "", message, comments)
        for _filename, _lineno, message, comments, context in extract_from_dir(
            str(PROJECT_ROOT), method_map, options, keywords=keywords, comment_tags=("Translators:",), strip_comment_tags=False
        )
        if message
    ]
    for context, message, comments in sorted(found, key=lambda m: (m[0], m[1])):
        catalog.add(message, None, auto_comments=comments, context=context or None)
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, no_location=True, omit_header=False, sort_output=False, include_previous=False)
    text = buffer.getvalue().decode("utf-8")
    # The header's dates would churn on every run: keep them fixed.
    text = re.sub(r'"(POT-Creation-Date|PO-Revision-Date): [^"]*\\n"', lambda m: f'"{m.group(1)}: 2026-01-01 00:00+0000\\n"', text)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def pot_path(domain: str) -> Path:
    return TRANSLATIONS_DIR / f"{domain}.pot"


def po_path(locale: str, domain: str) -> Path:
    return TRANSLATIONS_DIR / locale / "LC_MESSAGES" / f"{domain}.po"


def extract() -> int:
    for domain in i18n.DOMAINS:
        catalog = _template(domain)
        _write(catalog, pot_path(domain))
        print(f"{pot_path(domain).relative_to(PROJECT_ROOT)}: {len(catalog)} messages")
    return 0


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def update() -> int:
    """Merge the templates into every locale's catalogs (new entries empty, changed ones fuzzy)."""
    extract()
    for locale in i18n.locales():
        if locale == i18n.SOURCE_LOCALE:
            continue
        for domain in i18n.DOMAINS:
            template = read_catalog(pot_path(domain))
            path = po_path(locale, domain)
            catalog = read_catalog(path, locale) if path.exists() else Catalog(locale=locale, domain=domain, creation_date=FIXED_DATE, revision_date=FIXED_DATE)
            catalog.update(template, no_fuzzy_matching=True)  # a guessed match would be served as a translation
            catalog.obsolete.clear()
            _write(catalog, path)
            print(f"{path.relative_to(PROJECT_ROOT)}: {len([m for m in catalog if m.id])} messages")
    return 0


def compile_all() -> int:
    """Compile every .po to .mo, fuzzy (unreviewed) entries included: better than English in a crisis."""
    errors = 0
    for path in sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/*.po")):
        locale = path.parent.parent.name
        try:
            catalog = read_catalog(path, locale)
        except Exception as error:  # noqa: BLE001 - report any parse failure with its file
            print(f"{path}: cannot be read: {error}")
            errors += 1
            continue
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=True)
    i18n.clear_caches()
    return 1 if errors else 0


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def check_catalogs(report) -> None:
    """Catalogs that do not parse or compile, placeholder mismatches, SMS variants over budget."""
    for path in sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/*.po")):
        locale = path.parent.parent.name
        if locale not in i18n.locales():
            report.errors.append(ContentError(path, 1, f"locale '{locale}' is not in translations/locales.yml"))
            continue
        try:
            catalog = read_catalog(path, locale)
            write_mo(io.BytesIO(), catalog, use_fuzzy=True)
        except Exception as error:  # noqa: BLE001
            report.errors.append(ContentError(path, getattr(error, "lineno", 1) or 1, f"catalog does not compile: {error}"))
            continue
        lines = _msgid_lines(path)
        for message in catalog:
            if not message.id or not message.string:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            msgstr = message.string if isinstance(message.string, str) else message.string[0]
            line = lines.get((message.context, msgid), 1)
            if placeholders(msgid) != placeholders(msgstr):
                missing = sorted(placeholders(msgid) - placeholders(msgstr))
                extra = sorted(placeholders(msgstr) - placeholders(msgid))
                report.errors.append(ContentError(path, line, f"placeholders differ from the English: missing {missing}, unknown {extra}"))
            if message.context and message.context.endswith(".sms"):
                budget = sms_text_budget(locale)
                units = sms.encode(msgstr.strip()).units
                if units > budget:
                    report.errors.append(ContentError(path, line, f"SMS text for {message.context[:-4]} is {units} characters; the {locale} budget is {budget}"))


def _msgid_lines(path: Path) -> dict[tuple, int]:
    """(msgctxt, msgid) -> line of the entry, for error messages."""
    found: dict[tuple, int] = {}
    context = None
    text = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(text, start=1):
        if line.startswith("msgctxt "):
            context = _unquote(line[8:])
        elif line.startswith("msgid ") and line != 'msgid ""':
            found[(context, _unquote(line[6:]))] = number
            context = None
        elif line.startswith("msgid "):
            start = number
            parts = []
            for follow in text[number:]:
                if not follow.startswith('"'):
                    break
                parts.append(_unquote(follow))
            found[(context, "".join(parts))] = start
            context = None
    return found


def _unquote(quoted: str) -> str:
    return unescape(quoted.strip()) if quoted.strip() else ""
