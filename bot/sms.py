"""SMS encoding: GSM-7 when the text allows it (after normalising typography), UCS-2 otherwise."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# GSM 03.38 basic character set and the extension table (extension characters cost two septets).
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = "^{}\\[~]|€\f"
_GSM7_BASIC_SET = frozenset(GSM7_BASIC) - {"\x1b"}
_GSM7_EXT_SET = frozenset(GSM7_EXTENDED)

# Typography that phones and editors produce, mapped to GSM-7 equivalents.
_NORMALISE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
        "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
        "\u2026": "...", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u200b": "",
        "\u2022": "-", "\u00b7": "-", "\t": " ",
    }
)

GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67


def normalise_typography(text: str) -> str:
    """Replace curly quotes, dashes, ellipses and odd spaces by their plain forms."""
    return text.translate(_NORMALISE)


def fold_to_gsm7(text: str) -> str:
    """Letters outside GSM-7 replaced by their base letter where that is in GSM-7 (a, c, e for á, ç, ê),
    as carriers' smart encoding does; anything else is left for UCS-2."""
    out = []
    for ch in text:
        if ch in _GSM7_BASIC_SET or ch in _GSM7_EXT_SET:
            out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch)[0]
        out.append(base if base in _GSM7_BASIC_SET else ch)
    return "".join(out)


def is_gsm7(text: str) -> bool:
    return all(ch in _GSM7_BASIC_SET or ch in _GSM7_EXT_SET for ch in text)


def _utf16_units(text: str) -> int:
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


@dataclass(frozen=True)
class Encoded:
    text: str
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def encode(text: str) -> Encoded:
    """Choose the encoding for `text` and count its segments."""
    plain = fold_to_gsm7(normalise_typography(text))
    if is_gsm7(plain):
        units = sum(2 if ch in _GSM7_EXT_SET else 1 for ch in plain)
        segments = 1 if units <= GSM7_SINGLE else -(-units // GSM7_MULTI)
        return Encoded(plain, "GSM-7", units, segments)
    units = _utf16_units(text)
    segments = 1 if units <= UCS2_SINGLE else -(-units // UCS2_MULTI)
    return Encoded(text, "UCS-2", units, segments)


def max_units(segments: int, ucs2: bool) -> int:
    """How many units fit in `segments` concatenated segments."""
    if ucs2:
        return UCS2_SINGLE if segments == 1 else segments * UCS2_MULTI
    return GSM7_SINGLE if segments == 1 else segments * GSM7_MULTI


def fit(text: str, segments: int, more: str = "...") -> Encoded:
    """`text` cut at a line or word boundary so that it fits in `segments` segments."""
    encoded = encode(text)
    if encoded.segments <= segments:
        return encoded
    limit = max_units(segments, encoded.encoding == "UCS-2") - len(more) - 1
    plain = encoded.text
    while True:
        cut = plain[:limit]
        for sep in ("\n", " "):
            at = cut.rfind(sep)
            if at > limit // 2:
                cut = cut[:at]
                break
        candidate = encode(cut.rstrip() + " " + more)
        if candidate.segments <= segments or limit < 10:
            return candidate
        limit -= 10
