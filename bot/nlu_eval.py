"""`haven nlu eval`: held-out evaluation of the NLU model, per language and style.

Two measurements:
- split: every language's examples are split per intent (seeded); a model trained on the rest
  is scored on the held-out part. The training examples were written to differ from each other
  (different people, situations and styles), so this is a hard, pessimistic measure;
- realistic: the full model is scored on `tests/nlu/realistic/<lang>.yml`, messages written
  independently of the training data (by a writer who never saw it), labelled with their style.
Both write into one Markdown report with PNG confusion matrices. The thresholds in
`bot/nlu_thresholds.yml` apply to the realistic set; `--gate` (and the test suite) fail on a
language below its threshold.
"""

from __future__ import annotations

import asyncio
import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.paths import CONFIG_FILE, INTENTS_DIR, MODELS_DIR, PROJECT_ROOT

THRESHOLDS_FILE = Path(__file__).with_name("nlu_thresholds.yml")
REALISTIC_DIR = PROJECT_ROOT / "tests" / "nlu" / "realistic"
EVAL_DIR = MODELS_DIR / "eval"
FALLBACK = {"nlu_fallback", "out_of_scope"}
SEED = 13


@dataclass(frozen=True)
class Case:
    text: str
    intent: str
    language: str
    style: str


@dataclass(frozen=True)
class Scored:
    case: Case
    predicted: str
    confidence: float

    @property
    def correct(self) -> bool:
        return self.predicted == self.case.intent


def read_examples(directory: Path = INTENTS_DIR) -> dict[str, dict[str, list[str]]]:
    """{language: {intent: [examples]}}"""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for lang_dir in sorted(p for p in directory.iterdir() if p.is_dir()):
        for path in sorted(lang_dir.glob("*.yml")):
            for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
                for line in str(block.get("examples", "")).splitlines():
                    text = line.strip().removeprefix("- ").strip()
                    if text:
                        found[lang_dir.name][block["intent"]].append(text)
    return found


def style_of(text: str, language: str) -> str:
    """A rough style label for split examples (the realistic set carries real labels)."""
    words = len(text.split())
    if words <= 3:
        return "short"
    if words >= 25:
        return "long"
    if language in ("ar", "ru", "uk", "bn") and sum(ch.isascii() and ch.isalpha() for ch in text) > 0.6 * max(1, sum(ch.isalpha() for ch in text)):
        return "translit"
    return "native"


def split(examples: dict, share: float) -> tuple[dict, list[Case]]:
    rng = random.Random(SEED)
    train: dict[str, dict[str, list[str]]] = {}
    test: list[Case] = []
    for language, intents in sorted(examples.items()):
        train[language] = {}
        for intent, texts in sorted(intents.items()):
            texts = sorted(texts)
            rng.shuffle(texts)
            cut = max(1, round(len(texts) * share))
            test.extend(Case(t, intent, language, style_of(t, language)) for t in texts[:cut])
            train[language][intent] = texts[cut:]
    return train, test


def write_split(train: dict, target: Path) -> Path:
    """Write the training part as Rasa NLU files (deterministic, so the model is reused)."""
    intents_dir = target / "intents"
    for language, intents in train.items():
        folder = intents_dir / language
        folder.mkdir(parents=True, exist_ok=True)
        blocks = [{"intent": intent, "examples": "".join(f"- {t}\n" for t in texts)} for intent, texts in intents.items()]
        text = yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, sort_keys=False, width=1000)
        path = folder / "nlu.yml"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    config = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if component["name"].endswith("LanguageEntityExtractor"):
            component["intents_dir"] = str(intents_dir)
    config_path = target / "config.yml"
    config_text = yaml.safe_dump(config, sort_keys=False)
    if not config_path.exists() or config_path.read_text() != config_text:
        config_path.write_text(config_text)
    return intents_dir


def read_realistic(directory: Path = REALISTIC_DIR) -> list[Case]:
    cases = []
    for path in sorted(directory.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            cases.append(Case(str(item["text"]), item["intent"], path.stem, item.get("style", "native")))
    return cases


def score(model, cases: list[Case]) -> list[Scored]:
    """Parse every case with `model` (a model path, or an already loaded Rasa Agent)."""
    from rasa.core.agent import Agent

    agent = model if isinstance(model, Agent) else Agent.load(str(model))

    async def run() -> list[Scored]:
        out = []
        for case in cases:
            data = await agent.parse_message(case.text)
            intent = data["intent"]["name"] or "nlu_fallback"
            out.append(Scored(case, "out_of_scope" if intent in FALLBACK else intent, float(data["intent"]["confidence"] or 0)))
        return out

    return asyncio.run(run())


@dataclass(frozen=True)
class Metrics:
    n: int
    accuracy: float
    macro_f1: float
    oos_recall: float | None


def metrics(results: list[Scored]) -> Metrics:
    from sklearn.metrics import f1_score

    if not results:
        return Metrics(0, 0.0, 0.0, None)
    truth = [r.case.intent for r in results]
    predicted = [r.predicted for r in results]
    oos = [r for r in results if r.case.intent == "out_of_scope"]
    return Metrics(
        n=len(results),
        accuracy=sum(r.correct for r in results) / len(results),
        macro_f1=float(f1_score(truth, predicted, average="macro", zero_division=0)),
        oos_recall=(sum(r.correct for r in oos) / len(oos)) if oos else None,
    )


def thresholds() -> dict:
    return yaml.safe_load(THRESHOLDS_FILE.read_text(encoding="utf-8"))


def gate_failures(results: list[Scored], limits: dict) -> list[str]:
    failures = []
    overall = metrics(results)
    if overall.accuracy < limits["overall_accuracy"]:
        failures.append(f"overall accuracy {overall.accuracy:.1%} < {limits['overall_accuracy']:.0%}")
    if overall.oos_recall is not None and overall.oos_recall < limits["out_of_scope_recall"]:
        failures.append(f"out-of-scope recall {overall.oos_recall:.1%} < {limits['out_of_scope_recall']:.0%}")
    by_language = defaultdict(list)
    for r in results:
        by_language[r.case.language].append(r)
    for language, items in sorted(by_language.items()):
        floor = limits.get("languages", {}).get(language, limits["language_accuracy"])
        accuracy = metrics(items).accuracy
        if accuracy < floor:
            failures.append(f"{language} accuracy {accuracy:.1%} < {floor:.0%}")
    return failures


def _table(results: list[Scored], key) -> list[str]:
    groups = defaultdict(list)
    for r in results:
        groups[key(r)].append(r)
    lines = ["| group | n | top-1 accuracy | macro-F1 | out-of-scope recall |", "|---|---|---|---|---|"]
    for name in sorted(groups):
        m = metrics(groups[name])
        oos = f"{m.oos_recall:.1%}" if m.oos_recall is not None else "-"
        lines.append(f"| {name} | {m.n} | {m.accuracy:.1%} | {m.macro_f1:.3f} | {oos} |")
    m = metrics(results)
    oos = f"{m.oos_recall:.1%}" if m.oos_recall is not None else "-"
    lines.append(f"| **all** | {m.n} | **{m.accuracy:.1%}** | {m.macro_f1:.3f} | {oos} |")
    return lines


def confused_pairs(results: list[Scored], top: int = 12) -> list[tuple[tuple[str, str], int]]:
    return Counter((r.case.intent, r.predicted) for r in results if not r.correct).most_common(top)


def plot_confusion(results: list[Scored], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    labels = sorted({r.case.intent for r in results} | {r.predicted for r in results})
    matrix = confusion_matrix([r.case.intent for r in results], [r.predicted for r in results], labels=labels, normalize="true")
    fig, ax = plt.subplots(figsize=(14, 12))
    ax.imshow(matrix, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels=labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels=labels, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def section(title: str, results: list[Scored], png: Path, with_styles: bool = True) -> list[str]:
    lines = [f"## {title}", "", "### By language", "", *_table(results, lambda r: r.case.language), ""]
    if with_styles:
        lines += ["### By style", "", *_table(results, lambda r: r.case.style), ""]
    lines += ["### Most confused (true -> predicted)", "", "| true | predicted | count |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {n} |" for (a, b), n in confused_pairs(results)]
    lines += ["", f"![confusion matrix]({png.name})", ""]
    plot_confusion(results, png, title)
    return lines


def run_eval(args) -> int:
    import time

    from bot.model import train

    report_dir = Path(args.report)
    report_dir.mkdir(parents=True, exist_ok=True)
    examples = read_examples()
    train_part, held_out = split(examples, args.test_share)
    EVAL_DIR.mkdir(parents=True, exist_ok=True)
    intents_dir = write_split(train_part, EVAL_DIR)
    started = time.monotonic()
    split_model = train(intents_dir=intents_dir, config=EVAL_DIR / "config.yml", models_dir=EVAL_DIR)
    split_seconds = time.monotonic() - started
    split_results = score(split_model, held_out)
    lines = [
        "# NLU evaluation",
        "",
        f"Model: {len(read_examples())} languages, pipeline `bot/config.yml`. Split model trained in {split_seconds:.0f} s "
        f"(0 s when reused) on {sum(len(t) for i in train_part.values() for t in i.values())} examples; "
        f"held out {len(held_out)} ({args.test_share:.0%} of each intent in each language, seed {SEED}).",
        "",
        *section("Held-out split", split_results, report_dir / "confusion_split.png"),
    ]
    realistic = read_realistic()
    realistic_results: list[Scored] = []
    if realistic:
        full_model = train()
        realistic_results = score(full_model, realistic)
        lines += [
            "Independent messages written apart from the training data (`tests/nlu/realistic/`), scored with the full model.",
            "",
            *section("Realistic set", realistic_results, report_dir / "confusion_realistic.png"),
        ]
    limits = thresholds()
    gated, gated_name = (realistic_results, "the realistic set") if realistic_results else (split_results, "the held-out split")
    failures = gate_failures(gated, limits)
    lines += ["## Gate", "", f"Thresholds (`bot/nlu_thresholds.yml`), applied to {gated_name}: {limits}", ""]
    lines += [f"- FAIL: {f}" for f in failures] or ["- all languages at or above their thresholds"]
    (report_dir / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nwrote {report_dir / 'report.md'}", file=sys.stderr)
    return 1 if (failures and args.gate) else 0
