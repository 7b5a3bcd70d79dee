"""Country names, demonyms and language names in the eight languages, as one lookup.

Country and language names come from Babel's CLDR data for every supported locale; demonyms and
the informal names people text ("po-russki", "bangla", "pinoy") come from `bot/data/names.yml`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import yaml
from babel import Locale as BabelLocale

from bot import i18n
from bot.paths import BOT_DIR

NAMES_FILE = BOT_DIR / "data" / "names.yml"
MAX_WORDS = 4


def fold(text: str) -> str:
    """Lower case, Latin and Cyrillic diacritics removed (not Bengali vowel signs), Arabic simplified."""
    text = unicodedata.normalize("NFKC", text).casefold()
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out and ord(out[-1]) < 0x0500 and out[-1] not in "иИ":
            continue  # é -> e, ё -> е; keep й, which Russian and Ukrainian spell apart from и
        out.append(ch)
    text = unicodedata.normalize("NFC", "".join(out))
    text = re.sub("[\u064b-\u0652\u0670\u0640]", "", text)  # Arabic harakat and tatweel
    text = text.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}))
    return text


def words(text: str) -> list[str]:
    return re.findall(r"[\w\u0980-\u09ff]+(?:[-'][\w]+)*", fold(text))


@dataclass(frozen=True)
class Match:
    kind: str  # country | nationality | language
    value: str  # ISO country code or locale code
    start: int  # word index
    end: int


@lru_cache(maxsize=1)
def lexicon() -> dict[str, dict[str, str]]:
    """{kind: {folded name: value}} for countries, nationalities and languages."""
    extra = yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8"))
    stop = {fold(w) for w in extra.get("not_names", [])}
    countries: dict[str, str] = {}
    languages: dict[str, str] = {}
    supported = list(i18n.locales())
    for display in supported:
        babel = BabelLocale.parse(display)
        for code, name in babel.territories.items():
            if len(code) == 2 and code.isalpha():
                key = " ".join(words(name))
                if key and key not in stop:
                    countries.setdefault(key, code)
        for code in supported:
            for name in (babel.languages.get(code), babel.languages.get("tl") if code == "fil" else None):
                if name:
                    languages.setdefault(" ".join(words(name)), code)
    for code, names in (extra.get("countries") or {}).items():
        for name in names:
            countries[" ".join(words(name))] = code
    nationalities = {}
    for code, names in (extra.get("nationalities") or {}).items():
        for name in names:
            nationalities[" ".join(words(name))] = code
    for code, names in (extra.get("languages") or {}).items():
        for name in names:
            languages[" ".join(words(name))] = code
    return {"country": countries, "nationality": nationalities, "language": languages}


def find(text: str, kinds: tuple[str, ...] = ("country", "nationality", "language")) -> list[Match]:
    """Longest non-overlapping matches of known names in `text`."""
    tokens = words(text)
    table = lexicon()
    found: list[Match] = []
    i = 0
    while i < len(tokens):
        hit = None
        for size in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i : i + size])
            for kind in kinds:
                if phrase in table[kind]:
                    hit = Match(kind, table[kind][phrase], i, i + size)
                    break
            if hit:
                break
        if hit:
            found.append(hit)
            i = hit.end
        else:
            i += 1
    return found
