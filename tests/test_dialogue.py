"""The generated domain and rules match the topic contract, and every intent has an answer."""

from bot.dialogue import expected_files


def test_domain_and_rules_are_generated_from_the_contract():
    for path, text in expected_files().items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run `python -m bot.dialogue`"


def test_every_intent_renders_in_every_channel_variant():
    import yaml

    from bot.nlg import shared_content
    from bot.paths import DOMAIN_FILE
    from bot.responses import Context, Responder

    responder = Responder(shared_content())
    domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    for action in domain["actions"]:
        for channel in ("sms", "whatsapp", "web", "api"):
            reply = responder.respond(action, Context(channel=channel, country="LB"))
            assert reply.text.strip(), (action, channel)


def test_rasa_data_validate_passes_without_warnings():
    import os
    import subprocess
    import sys
    from pathlib import Path

    from bot.paths import CONFIG_FILE, DOMAIN_FILE, INTENTS_DIR, PROJECT_ROOT, RULES_FILE

    rasa = Path(sys.executable).with_name("rasa")
    result = subprocess.run(
        [str(rasa), "data", "validate", "--fail-on-warnings", "--domain", str(DOMAIN_FILE), "--data", str(INTENTS_DIR), str(RULES_FILE), "--config", str(CONFIG_FILE)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
