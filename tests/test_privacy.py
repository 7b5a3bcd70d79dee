"""Pseudonyms and scrubbing."""

from __future__ import annotations

import pytest

from channels.privacy import pseudonymise_sender, scrub_identifiers


def test_pseudonym_is_keyed_stable_and_hides_the_number():
    a = pseudonymise_sender("key-one-0123456789", "sms", "+14155550123")
    assert a == pseudonymise_sender("key-one-0123456789", "sms", "+14155550123")
    assert a != pseudonymise_sender("key-two-0123456789", "sms", "+14155550123")
    assert a != pseudonymise_sender("key-one-0123456789", "telegram", "+14155550123")
    assert "4155550123" not in a and len(a) == 32


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("call me on +1 415 555 0123 please", "call me on", "555"),
        ("my number 0791234567", "my number", "0791234567"),
        ("write to amina.k@example.org", "write to", "amina"),
        ("passport P1234567 lost", "lost", "P1234567"),
        ("id AB-1234567", "id", "1234567"),
        ("رقمي ٠٧٩١٢٣٤٥٦٧", "رقمي", "0791234567"),
        ("from 203.0.113.7", "from", "203.0.113.7"),
    ],
)
def test_identifiers_are_replaced(text, kept, gone):
    scrubbed = scrub_identifiers(text)
    assert kept in scrubbed
    assert gone not in scrubbed


@pytest.mark.parametrize("text", ["3", "0", "call 112 now", "I am 25 years old", "in 2015 there was war", "help"])
def test_short_numbers_and_menu_choices_are_kept(text):
    assert scrub_identifiers(text) == text
