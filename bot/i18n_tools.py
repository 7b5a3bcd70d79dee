"""Catalog round trip (extract, update, compile) and catalog checks. Filled in by the translation work."""

from __future__ import annotations

from bot.content_check import Report


def extract() -> int:
    print("no catalogs yet")
    return 0


def update() -> int:
    return 0


def compile_all() -> int:
    return 0


def check_catalogs(report: Report) -> None:
    return None
