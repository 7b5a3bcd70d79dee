"""Training and finding the model. A model is named by a hash of everything it is trained from,
so an unchanged model is reused and a stale one is never loaded by mistake."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import tempfile
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
    """Train unless a model for exactly this data and config exists; return its path.

    Safe to call from several processes at once: one trains (under a file lock, into a temporary
    folder, then renamed into place), the others wait and reuse its model."""
    target = model_path(intents_dir, config, models_dir)
    if target.exists() and not force:
        log.info("model is up to date: %s", target)
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    with (models_dir / ".train.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists() and not force:
            return target
        return _train_into(target, intents_dir, config, force)


def _train_into(target: Path, intents_dir: Path, config: Path, force: bool) -> Path:
    import rasa.api

    started = time.monotonic()
    print(f"Training {target.name} from {len(training_files(intents_dir))} files (about 1-2 minutes)...", flush=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".training-") as scratch:
        result = rasa.api.train(
            domain=str(DOMAIN_FILE),
            config=str(config),
            training_files=[str(intents_dir), str(RULES_FILE)],
            output=scratch,
            fixed_model_name=target.name.removesuffix(".tar.gz"),
            force_training=force,
        )
        if result.code != 0 or not result.model:
            raise RuntimeError(f"training failed (exit code {result.code})")
        os.replace(result.model, target)
    print(f"Trained {target.name} in {time.monotonic() - started:.0f} s", flush=True)
    return target


def latest_model(models_dir: Path = MODELS_DIR) -> Path | None:
    """The model for the current data if it exists, else the newest one in `models_dir`."""
    current = model_path(models_dir=models_dir)
    if current.exists():
        return current
    candidates = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return candidates[-1] if candidates else None
