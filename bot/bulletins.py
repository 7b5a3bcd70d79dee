"""Situation bulletins: short, dated, expiring notices an editor publishes for one country.

Each bulletin is one content file, `content/bulletins/<cc>/<YYYY-MM-DD>-<slug>.yml`, so that it is
reviewed and versioned like the rest of `content/`:

```yaml
country: LB
published: 2026-11-23T08:00:00Z   # ISO datetime, UTC
expires: 2026-11-24T08:00:00Z     # ISO datetime, UTC; after it the bulletin is no longer served
editor: "amira"
texts:                            # one or more languages; English is the fallback
  en: "Border crossing at Masnaa open 08:00-18:00. Evacuation registration at the port."
  ar: "..."
```

The `situation_update` topic answers with the newest unexpired bulletin for the user's country;
the emergency and evacuation answers say that one exists. Files are re-read when they change, so
a bulletin published through the operator console is served at once, without a restart.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot import i18n
from bot.paths import content_dir
from bot.yamlfile import ContentError, load_located

MAX_TEXT_CHARS = 320  # a bulletin must stay readable by SMS
FILE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-[a-z0-9][a-z0-9-]{0,60}\.yml$")
REQUIRED = ("country", "published", "expires", "texts", "editor")


@dataclass(frozen=True)
class Bulletin:
    country: str
    published: dt.datetime
    expires: dt.datetime
    texts: dict[str, str]
    editor: str
    path: Path | None = None

    def active(self, now: dt.datetime) -> bool:
        return self.published <= now < self.expires

    def text(self, language: str) -> tuple[str, str]:
        """(text, language it is in): the user's language, else its fallback, else English, else any."""
        chain = [language]
        locale = i18n.locales().get(language)
        if locale and locale.fallback:
            chain.append(locale.fallback)
        chain.append(i18n.SOURCE_LOCALE)
        for code in chain:
            if self.texts.get(code):
                return self.texts[code], code
        code = sorted(self.texts)[0]
        return self.texts[code], code

    def as_json(self) -> dict:
        return {
            "country": self.country,
            "published": iso(self.published),
            "expires": iso(self.expires),
            "texts": dict(self.texts),
            "editor": self.editor,
            "file": str(self.path.relative_to(self.path.parents[2])) if self.path else None,
        }


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_datetime(value: object) -> dt.datetime | None:
    """An aware UTC datetime from YAML (a datetime or an ISO string); None if it is not one."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, dt.datetime):
        return None
    if value.tzinfo is None:
        return None  # a time without a zone is ambiguous: say Z (UTC)
    return value.astimezone(dt.timezone.utc)


def directory(base: Path | None = None) -> Path:
    return (base or content_dir()) / "bulletins"


# -- validation (also run by `haven content check`) ------------------------------------------
def validate(data: object, path: Path, line=None) -> list[ContentError]:
    """Every problem of one bulletin file (its parsed data), as `path:line: message` errors;
    `line(key)` gives the line of a top-level key when the file was loaded with its lines."""
    errors: list[ContentError] = []

    def error(message: str, key: str | None = None) -> None:
        errors.append(ContentError(path, line(key) if line and key else 1, message))

    if not isinstance(data, dict):
        error("expected a mapping of fields (country, published, expires, editor, texts)")
        return errors
    for name in REQUIRED:
        if data.get(name) in (None, "", {}):
            error(f"missing required field '{name}'")
    country = str(data.get("country") or "")
    if country and (len(country) != 2 or not country.isalpha() or not country.isupper()):
        error(f"country '{country}' must be an upper-case ISO 3166 code, e.g. LB", "country")
    if country and path.parent.name != country.lower():
        error(f"a bulletin for {country} belongs in bulletins/{country.lower()}/, not bulletins/{path.parent.name}/", "country")
    published = parse_datetime(data.get("published"))
    expires = parse_datetime(data.get("expires"))
    for name, value in (("published", published), ("expires", expires)):
        if data.get(name) not in (None, "") and value is None:
            error(f"'{name}' must be an ISO date and time in UTC, e.g. 2026-11-23T08:00:00Z", name)
    if published and expires and expires <= published:
        error("'expires' must be after 'published'", "expires")
    match = FILE_NAME.match(path.name)
    if not match:
        error("the file name must be <YYYY-MM-DD>-<slug>.yml (lower-case letters, digits and dashes)")
    elif published and match.group(1) != published.date().isoformat():
        error(f"the file name's date {match.group(1)} is not the published date {published.date().isoformat()}", "published")
    texts = data.get("texts")
    if texts is not None and not isinstance(texts, dict):
        error("'texts' must map a language code to its text, e.g. en: \"...\"", "texts")
    elif isinstance(texts, dict):
        for code, text in texts.items():
            if str(code) not in i18n.locales():
                error(f"language '{code}' is not in translations/locales.yml", "texts")
            if not isinstance(text, str) or not text.strip():
                error(f"the {code} text is empty", "texts")
            elif len(text.strip()) > MAX_TEXT_CHARS:
                error(f"the {code} text is {len(text.strip())} characters; a bulletin has at most {MAX_TEXT_CHARS}", "texts")
    return errors


def check(base: Path, report) -> None:
    """Add the errors of every bulletin under `base/bulletins` to a content-check report."""
    folder = directory(base)
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*/*.yml")):
        try:
            doc = load_located(path)
        except ContentError as error:
            report.errors.append(error)
            continue
        report.errors.extend(validate(doc.data, path, lambda key: doc.line(key)))


def parse(data: dict, path: Path | None = None) -> Bulletin:
    return Bulletin(
        country=str(data["country"]).upper(),
        published=parse_datetime(data["published"]),  # type: ignore[arg-type]
        expires=parse_datetime(data["expires"]),  # type: ignore[arg-type]
        texts={str(k): str(v).strip() for k, v in (data.get("texts") or {}).items() if str(v).strip()},
        editor=str(data.get("editor", "")),
        path=path,
    )


# -- loading (cached; re-read when a file changes) -------------------------------------------
_lock = threading.Lock()
_cache: dict[str, tuple[tuple, list[Bulletin]]] = {}


def _signature(folder: Path) -> tuple:
    found = []
    try:
        countries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return ()
    for country in countries:
        if not country.is_dir():
            continue
        for entry in os.scandir(country.path):
            if entry.name.endswith(".yml"):
                stat = entry.stat()
                found.append((entry.path, stat.st_mtime_ns, stat.st_size, stat.st_ino))
    return tuple(sorted(found))


def load_all(base: Path | None = None) -> list[Bulletin]:
    """Every valid bulletin, newest first. An invalid file is skipped (content check reports it)."""
    folder = directory(base)
    signature = _signature(folder)
    key = str(folder)
    with _lock:
        cached = _cache.get(key)
        if cached and cached[0] == signature:
            return cached[1]
    bulletins = []
    for path_text, *_changed in signature:
        path = Path(path_text)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if validate(data, path):
            continue
        bulletins.append(parse(data, path))
    bulletins.sort(key=lambda b: (b.published, str(b.path)), reverse=True)
    with _lock:
        _cache[key] = (signature, bulletins)
    return bulletins


def for_country(country: str | None, base: Path | None = None) -> list[Bulletin]:
    if not country:
        return []
    return [b for b in load_all(base) if b.country == country.upper()]


def current(country: str | None, now: dt.datetime | None = None, base: Path | None = None) -> Bulletin | None:
    """The newest unexpired bulletin for `country`, or None."""
    now = now or utcnow()
    return next((b for b in for_country(country, base) if b.active(now)), None)


# -- publishing ------------------------------------------------------------------------------
def slugify(text: str, limit: int = 40) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:limit].strip("-")
    return slug or "bulletin"


def publish(
    country: str,
    texts: dict[str, str],
    expires: dt.datetime,
    editor: str,
    published: dt.datetime | None = None,
    base: Path | None = None,
) -> Bulletin:
    """Write a new bulletin file; raise ValueError listing the problems if it is not valid."""
    published = (published or utcnow()).replace(microsecond=0)
    country = country.strip().upper()
    texts = {code: text.strip() for code, text in texts.items() if text and text.strip()}
    data = {
        "country": country,
        "published": iso(published),
        "expires": iso(expires),
        "editor": editor,
        "texts": texts,
    }
    folder = directory(base) / country.lower()
    english = texts.get("en") or next(iter(texts.values()), "")
    stem = f"{published.date().isoformat()}-{slugify(english)}"
    path = folder / f"{stem}.yml"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}.yml"
        number += 1
    problems = validate(data, path)
    if problems:
        raise ValueError("; ".join(p.message for p in problems))
    _write(path, data)
    return parse(data, path)


def withdraw(bulletin: Bulletin, now: dt.datetime | None = None) -> Bulletin:
    """End a bulletin now (its file stays, with `expires` set to now, for the record)."""
    if bulletin.path is None:
        raise ValueError("bulletin has no file")
    now = (now or utcnow()).replace(microsecond=0)
    data = yaml.safe_load(bulletin.path.read_text(encoding="utf-8"))
    data["expires"] = iso(now)
    if bulletin.published >= now:  # withdrawn within a second of publishing (or before it began)
        earlier = now - dt.timedelta(seconds=1)
        if earlier.date() == bulletin.published.date():  # the file name carries the date
            data["published"] = iso(earlier)
        else:
            data["expires"] = iso(bulletin.published + dt.timedelta(seconds=1))
    _write(bulletin.path, data)
    return parse(data, bulletin.path)


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "# Situation bulletin, published through the operator console. Format: bot/bulletins.py.\n"
    text = header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
