"""Pseudonyms and scrubbing: what the gateway does before anything else sees a message."""

from __future__ import annotations

import hashlib
import hmac
import re

PSEUDONYM_LENGTH = 32

# Identifiers people type into messages. Order matters: e-mails before phone numbers.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_URL_WITH_ID = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
# 7+ digits, optionally with +, spaces, dots, dashes or brackets between them.
_PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]{0,2}\d){6,}(?![\w])")
# Passport / ID-like tokens: letters and digits mixed, 6-14 long, at least 4 digits (e.g. P1234567, AB-123456).
_DOCUMENT = re.compile(r"\b(?=[A-Za-z0-9-]{6,14}\b)(?=(?:[^\d\s]*\d){4})[A-Za-z]{1,3}-?\d[A-Za-z0-9]{3,12}\b")
_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹০১২৩৪৫৬৭৮৯", "0123456789" * 3)


def pseudonymise_sender(secret_key: str, channel: str, address: str) -> str:
    """A keyed HMAC of the sender's address: stable per channel, not reversible without the key."""
    message = f"{channel}:{address.strip()}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def scrub_identifiers(text: str) -> str:
    """Replace phone numbers, e-mails, IP addresses, links and document numbers typed in a message."""
    # Digits in Arabic-Indic or Bengali script are identifiers too.
    ascii_digits = text.translate(_EASTERN_DIGITS)
    if ascii_digits != text and re.search(r"\d{5,}", ascii_digits.replace(" ", "")):
        text = ascii_digits
    text = _EMAIL.sub("[email]", text)
    text = _URL_WITH_ID.sub("[link]", text)
    text = _IPV4.sub("[ip]", text)
    text = _PHONE.sub("[phone]", text)
    text = _DOCUMENT.sub("[id]", text)
    return text
