"""`haven content coverage` in its three text formats and as a PNG heat map."""

from __future__ import annotations

import csv
import io

from bot.cli import main


def test_markdown_and_csv_list_every_topic_and_country(capsys, tmp_path):
    from bot.nlg import shared_content

    content = shared_content()
    png = tmp_path / "coverage.png"
    assert main(["content", "coverage", "--format", "csv", "--png", str(png)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    header = rows[0]
    assert header[0] == "topic"
    assert {c for c in content.countries if c != "default"} <= set(header)
    assert {"fr", "ar", "bn"} <= set(header)
    assert sorted(r[0] for r in rows[1:]) == sorted(content.topics)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    assert main(["content", "coverage", "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out.splitlines()
    assert markdown[0].startswith("| topic |") and markdown[1].startswith("|---|")
    assert len(markdown) == len(content.topics) + 2


def test_country_cell_counts_own_default_and_missing():
    from bot.coverage import country_cell
    from bot.nlg import shared_content

    content = shared_content()
    cell = country_cell(content, "emergency_danger", "LB")
    assert cell.missing == 0  # Lebanon's pack has sourced emergency numbers
    cell = country_cell(content, "emergency_danger", "LY")
    assert cell.missing >= 1  # Libya's pack has none that could be sourced
