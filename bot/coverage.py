"""`haven content coverage`: what each country pack and each language can answer.

Country cells: share of a topic's contact roles the pack answers itself (the rest fall back to
the default pack or are missing). Language cells: reviewed / unreviewed (fuzzy) / missing
translations of the topic's texts.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass

from bot import i18n
from bot.content import DEFAULT_PACK, TEXT_FIELDS, ContentBase
from bot.i18n_tools import po_path, read_catalog

NATIONALITY_ROLES = {"consulate"}  # depend on the user's nationality, not on the pack alone


@dataclass(frozen=True)
class CountryCell:
    own: int
    fallback: int
    missing: int

    @property
    def score(self) -> float:
        total = self.own + self.fallback + self.missing
        return 1.0 if total == 0 else (self.own + 0.5 * self.fallback) / total

    def label(self) -> str:
        if self.missing == 0 and self.fallback == 0:
            return "ok"
        parts = []
        if self.fallback:
            parts.append(f"{self.fallback} default")
        if self.missing:
            parts.append(f"{self.missing} missing")
        return ", ".join(parts)


@dataclass(frozen=True)
class LanguageCell:
    reviewed: int
    unreviewed: int
    missing: int

    @property
    def score(self) -> float:
        total = self.reviewed + self.unreviewed + self.missing
        return 0.0 if total == 0 else (self.reviewed + 0.5 * self.unreviewed) / total

    def label(self) -> str:
        if self.missing == 0 and self.unreviewed == 0:
            return "reviewed"
        if self.missing == 0:
            return "unreviewed"
        return f"{self.missing} missing"


def country_cell(content: ContentBase, topic_id: str, code: str) -> CountryCell:
    own = fallback = missing = 0
    pack = content.countries[code]
    default = content.countries.get(DEFAULT_PACK)
    for role in content.topics[topic_id].contacts:
        if role in NATIONALITY_ROLES:
            continue
        if role == "emergency":
            own, missing = (own + 1, missing) if pack.emergency else (own, missing + 1)
        elif pack.by_role(role):
            own += 1
        elif default and default.by_role(role):
            fallback += 1
        else:
            missing += 1
    return CountryCell(own, fallback, missing)


def language_cells(content: ContentBase) -> dict[str, dict[str, LanguageCell]]:
    """{locale: {topic: cell}} from the content catalogs (fuzzy = unreviewed)."""
    cells: dict[str, dict[str, LanguageCell]] = {}
    for locale in i18n.locales():
        if locale == i18n.SOURCE_LOCALE:
            continue
        path = po_path(locale, "content")
        entries = {}
        if path.exists():
            entries = {(m.context, m.id): m for m in read_catalog(path, locale) if m.id}
        cells[locale] = {}
        for topic in content.topics.values():
            reviewed = unreviewed = missing = 0
            for field in TEXT_FIELDS:
                message = entries.get((f"{topic.id}.{field}", getattr(topic, field)))
                if message is None or not message.string:
                    missing += 1
                elif message.fuzzy:
                    unreviewed += 1
                else:
                    reviewed += 1
            cells[locale][topic.id] = LanguageCell(reviewed, unreviewed, missing)
    return cells


def coverage_rows(content: ContentBase) -> tuple[list[str], list[list[str]], list[list[float]]]:
    countries = sorted(c for c in content.countries if c != DEFAULT_PACK)
    languages = language_cells(content)
    header = ["topic", *countries, *languages]
    rows, scores = [], []
    for topic_id in sorted(content.topics):
        row, score = [topic_id], []
        for code in countries:
            cell = country_cell(content, topic_id, code)
            row.append(cell.label())
            score.append(cell.score)
        for locale in languages:
            cell = languages[locale][topic_id]
            row.append(cell.label())
            score.append(cell.score)
        rows.append(row)
        scores.append(score)
    return header, rows, scores


def render(header: list[str], rows: list[list[str]], fmt: str) -> str:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue()
    if fmt == "markdown":
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths))]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(lines) + "\n"


def heat_map(header: list[str], rows: list[list[str]], scores: list[list[float]], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1.0 + 0.55 * len(header), 0.3 * len(rows) + 1.5))
    image = ax.imshow(scores, cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(header) - 1), labels=header[1:], rotation=60, fontsize=8)
    ax.set_yticks(range(len(rows)), labels=[r[0] for r in rows], fontsize=7)
    ax.set_title("Content coverage: contacts per country, translations per language")
    fig.colorbar(image, ax=ax, fraction=0.02, label="1 = own contacts / reviewed")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def coverage_command(args) -> int:
    from bot.nlg import shared_content

    content = shared_content()
    header, rows, scores = coverage_rows(content)
    sys.stdout.write(render(header, rows, args.format))
    if args.png:
        heat_map(header, rows, scores, args.png)
        print(f"wrote {args.png}", file=sys.stderr)
    return 0
