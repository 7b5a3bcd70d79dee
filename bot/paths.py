"""Where the project's files are. Everything the service writes goes under HAVEN_DATA_DIR."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BOT_DIR = PROJECT_ROOT / "bot"
INTENTS_DIR = PROJECT_ROOT / "intents"
TRANSLATIONS_DIR = PROJECT_ROOT / "translations"
MODELS_DIR = Path(os.environ.get("HAVEN_MODELS_DIR", PROJECT_ROOT / "models"))
CONFIG_FILE = BOT_DIR / "config.yml"
DOMAIN_FILE = BOT_DIR / "domain.yml"
RULES_FILE = BOT_DIR / "data" / "rules.yml"
ENDPOINTS_FILE = BOT_DIR / "endpoints.yml"
# The product contract, kept beside the project in ../shared (read by checks and tests only).
SHARED_SPEC_DIR = PROJECT_ROOT.parent / "shared" / "spec"
SEEDS_DIR = PROJECT_ROOT.parent / "shared" / "seeds"


def content_dir() -> Path:
    return Path(os.environ.get("HAVEN_CONTENT_DIR", PROJECT_ROOT / "content"))


def data_dir() -> Path:
    return Path(os.environ.get("HAVEN_DATA_DIR", PROJECT_ROOT / "var"))
