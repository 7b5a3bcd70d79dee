"""The NLU regression gate: the full model on the independent realistic set, per language."""

from __future__ import annotations

from collections import defaultdict

from bot.nlu_eval import gate_failures, metrics, read_realistic, score, thresholds


def test_every_language_meets_its_threshold(assistant):
    results = score(assistant.agent, read_realistic())
    assert {r.case.language for r in results} == {"en", "fr", "es", "ar", "ru", "uk", "fil", "bn"}
    by_language = defaultdict(list)
    for r in results:
        by_language[r.case.language].append(r)
    summary = {language: round(metrics(items).accuracy, 3) for language, items in sorted(by_language.items())}
    failures = gate_failures(results, thresholds())
    assert not failures, f"{failures}; per language: {summary}"


def test_realistic_set_is_well_formed():
    import yaml

    from bot.paths import SHARED_SPEC_DIR

    spec = yaml.safe_load((SHARED_SPEC_DIR / "topics.yml").read_text(encoding="utf-8"))
    intents = {t["id"] for t in spec["content_topics"] + spec["conversation_intents"]}
    cases = read_realistic()
    assert cases and {c.intent for c in cases} == intents
