"""STOP / START / HELP / FORGET: answered by the gateway itself, in the eight languages.

These never reach the NLU model: a person who sends STOP must be able to rely on it.
"""

from __future__ import annotations

import enum
import re

from bot import i18n


class Command(str, enum.Enum):
    STOP = "stop"
    START = "start"
    HELP = "help"
    FORGET = "forget"


# The whole message must be one of these (case, accents and punctuation ignored).
KEYWORDS: dict[Command, dict[str, tuple[str, ...]]] = {
    Command.STOP: {
        "en": ("stop", "stopall", "unsubscribe", "cancel", "end", "quit"),
        "fr": ("arret", "arrete", "arreter", "stop"),
        "es": ("parar", "para", "alto", "baja", "detener"),
        "ar": ("توقف", "قف", "الغاء", "ايقاف", "wa2ef", "stop"),
        "ru": ("стоп", "отписаться", "stop"),
        "uk": ("стоп", "відписатися"),
        "fil": ("tigil", "itigil", "hinto"),
        "bn": ("বন্ধ", "থামো", "bondho"),
    },
    Command.START: {
        "en": ("start", "unstop", "yes start", "resume"),
        "fr": ("demarrer", "commencer"),
        "es": ("empezar", "comenzar", "iniciar"),
        "ar": ("ابدا", "ابدأ", "بدء"),
        "ru": ("старт", "начать"),
        "uk": ("почати",),
        "fil": ("simula", "umpisa"),
        "bn": ("শুরু", "shuru"),
    },
    Command.HELP: {
        "en": ("help", "info"),
        "fr": ("aide",),
        "es": ("ayuda",),
        "ar": ("مساعدة", "musa3ada"),
        "ru": ("помощь", "pomosh"),
        "uk": ("допомога", "dopomoha"),
        "fil": ("tulong",),
        "bn": ("সাহায্য", "sahajjo"),
    },
    Command.FORGET: {
        "en": ("forget", "forget me", "delete", "erase", "delete my data"),
        "fr": ("oublier", "oublie moi", "effacer", "supprimer"),
        "es": ("olvidar", "olvidame", "borrar", "eliminar"),
        "ar": ("انسى", "امسح", "احذف", "حذف"),
        "ru": ("забыть", "забудь", "удалить", "удали"),
        "uk": ("забути", "забудь", "видалити", "видали"),
        "fil": ("kalimutan", "burahin"),
        "bn": ("মুছে ফেলো", "muche felo"),
    },
}


def _key(text: str) -> str:
    from bot.places import fold

    return re.sub(r"[^\w\s]", "", fold(text)).strip()


_LOOKUP = {_key(word): (command, language) for command, by_language in KEYWORDS.items() for language, words in by_language.items() for word in words}


def recognise(text: str) -> tuple[Command, str] | None:
    """(command, language of the keyword) if the whole message is a command keyword."""
    return _LOOKUP.get(_key(text)) if len(text) <= 40 else None


def reply(command: Command, language: str) -> str:
    _ = i18n.gettext_for(language)
    if command is Command.STOP:
        return _("Your conversation has been erased and you will get no more messages from Haven. Send START to use it again.")
    if command is Command.FORGET:
        return _("Done: this conversation has been erased. Nothing about it is kept.")
    if command is Command.START:
        return _("Welcome back to Haven. Write your question, or send 0 for the menu.")
    return _("Haven: free, anonymous information for migrants in a crisis. Send 0 for the menu, FORGET to erase this conversation, STOP to stop. In danger? Call the local emergency number.")


def rate_limited(language: str) -> str:
    _ = i18n.gettext_for(language)
    return _("Too many messages at once. Please wait a minute, then write again.")


def temporarily_unavailable(language: str) -> str:
    _ = i18n.gettext_for(language)
    return _("Sorry, Haven cannot answer right now. In danger? Call the local emergency number. Please try again in a few minutes.")
