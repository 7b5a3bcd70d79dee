"""Telegram Bot API: webhook updates in, sendMessage out, inline keyboards for menus."""
