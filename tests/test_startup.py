"""The service refuses to start with one clear line naming what is wrong."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.paths import PROJECT_ROOT

SECRET = "startup-test-secret-0123456789abcdef"


def serve(env: dict, timeout: int = 120) -> subprocess.CompletedProcess:
    full = {**os.environ, "HAVEN_ENV": "production", "PYTHONWARNINGS": "ignore", **env}
    return subprocess.run([sys.executable, "-m", "bot.cli", "serve", "--port", "0"], cwd=PROJECT_ROOT, env=full, capture_output=True, text=True, timeout=timeout)


def haven_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if "haven" in line and "cannot start" in line or line.startswith("haven:")]


@pytest.mark.parametrize("secret", ["", "changeme", "short"])
def test_missing_or_weak_secret(secret):
    result = serve({"HAVEN_SECRET_KEY": secret})
    assert result.returncode != 0
    (line,) = haven_lines(result)
    assert "HAVEN_SECRET_KEY" in line


def test_missing_model(tmp_path):
    result = serve({"HAVEN_SECRET_KEY": SECRET, "HAVEN_MODELS_DIR": str(tmp_path)})
    assert result.returncode != 0
    (line,) = haven_lines(result)
    assert "no trained model" in line and "haven train" in line


def test_corrupt_model(tmp_path, trained_model):
    (tmp_path / trained_model.name).write_bytes(b"this is not a model archive")
    result = serve({"HAVEN_SECRET_KEY": SECRET, "HAVEN_MODELS_DIR": str(tmp_path), "HAVEN_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode != 0 or "could not be loaded" in result.stderr
    lines = haven_lines(result)
    assert lines and "could not be loaded" in lines[0]


def test_invalid_content(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    (content / "topics" / "evacuation.yml").write_text("id: evacuation\nkind: [broken\n")
    result = serve({"HAVEN_SECRET_KEY": SECRET, "HAVEN_CONTENT_DIR": str(content)})
    assert result.returncode != 0
    (line,) = haven_lines(result)
    assert "invalid content" in line and "evacuation.yml:" in line and "YAML syntax error" in line
