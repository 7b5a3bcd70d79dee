"""Training and finding the model. A model is named by a hash of everything it is trained from,
so an unchanged model is reused and a stale one is never loaded by mistake."""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

from bot.paths import BOT_DIR, CONFIG_FILE, DOMAIN_FILE, INTENTS_DIR, MODELS_DIR, PROJECT_ROOT, RULES_FILE

log = logging.getLogger(__name__)
# Code that shapes what the model learns: changing it makes the model stale.
MODEL_CODE = (BOT_DIR / "components.py", BOT_DIR / "places.py", BOT_DIR / "data" / "names.yml")


def training_files(intents_dir: Path = INTENTS_DIR) -> list[Path]:
    return sorted(intents_dir.rglob("*.yml"))


def fingerprint(intents_dir: Path = INTENTS_DIR, config: Path = CONFIG_FILE) -> str:
    import rasa

    digest = hashlib.sha256(rasa.__version__.encode())
    for path in [config, DOMAIN_FILE, RULES_FILE, *MODEL_CODE, *training_files(intents_dir)]:
        digest.update(str(path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path(intents_dir: Path = INTENTS_DIR, config: Path = CONFIG_FILE, models_dir: Path = MODELS_DIR) -> Path:
    return models_dir / f"haven-{fingerprint(intents_dir, config)}.tar.gz"


def train(
    force: bool = False,
    intents_dir: Path = INTENTS_DIR,
    config: Path = CONFIG_FILE,
    models_dir: Path = MODELS_DIR,
) -> Path:
    """Train unless a model for exactly this data and config exists; return its path."""
    target = model_path(intents_dir, config, models_dir)
    if target.exists() and not force:
        log.info("model is up to date: %s", target)
        return target
    import rasa.api

    models_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    print(f"Training {target.name} from {len(training_files(intents_dir))} files (about 2-5 minutes)...", flush=True)
    result = rasa.api.train(
        domain=str(DOMAIN_FILE),
        config=str(config),
        training_files=[str(intents_dir), str(RULES_FILE)],
        output=str(models_dir),
        fixed_model_name=target.name.removesuffix(".tar.gz"),
        force_training=force,
    )
    if result.code != 0 or not result.model:
        raise RuntimeError(f"training failed (exit code {result.code})")
    print(f"Trained {target.name} in {time.monotonic() - started:.0f} s", flush=True)
    return Path(result.model)


def latest_model(models_dir: Path = MODELS_DIR) -> Path | None:
    """The model for the current data if it exists, else the newest one in `models_dir`."""
    current = model_path(models_dir=models_dir)
    if current.exists():
        return current
    candidates = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return candidates[-1] if candidates else None
