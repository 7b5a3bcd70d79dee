"""`haven content check`: the shipped content passes; each bad fixture fails with its exact message."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.content_check import check_content
from bot.paths import PROJECT_ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "content_bad"
TODAY = dt.date(2026, 11, 23)
ROLES = "iom, red_cross, icrc, unhcr, migrant_worker_hotline, trafficking_hotline, gbv_hotline, child_helpline, mental_health, labour_authority, immigration_authority, legal_aid"

# case -> (severity, line, exact message), for the one file the case replaces
CASES = {
    "bad_role": ("error", 13, f"IOM Lebanon: role 'embassy' is not one of: {ROLES}"),
    "cites_notes": ("error", 12, "cite the seed document, not the notes file 'notes_000_001.md'"),
    "consulate_bad_code": ("error", 19, "consulate key 'XX' is not an ISO 3166 country code"),
    "file_name_mismatch": ("error", 1, "country 'KW' does not match the file name 'lb.yml'"),
    "future_date": ("error", 11, "emergency number 1: 'verified' date 2099-01-01 is in the future"),
    "illegal_word": ("error", 18, "say 'irregular', never 'illegal'"),
    "invalid_phone": ("error", 15, "IOM Lebanon: '+961 12' is not a valid number for LB"),
    "kind_mismatch": ("error", 4, "kind is 'rights' but topics.yml says 'what_to_do'"),
    "missing_field": ("error", 1, "missing required field 'operator_script'"),
    "missing_seed": ("error", 12, "seed file '999_missing.txt' does not exist in shared/seeds"),
    "no_source": ("error", 8, "emergency number 1 has no 'source' (where it was published)"),
    "no_verified": ("error", 13, "IOM Lebanon has no 'verified' date"),
    "note_unknown_topic": ("error", 19, "note for unknown topic 'curfew_rules'"),
    "number_in_text": ("error", 22, "number '1740' in the text: numbers come from the country pack through 'contacts'"),
    "sms_not_gsm7": ("error", 18, "SMS text has characters outside GSM-7: '→'"),
    "sms_over_budget": ("error", 18, "SMS text is 300 characters; the budget is 250"),
    "stale_verified": ("warning", 11, "emergency number 1 was last verified 2020-01-01, more than 180 days ago: check it again"),
    "unhedged_recommendation": ("error", 22, "basis is 'recommendation' but the text does not say so: write e.g. 'governments are urged to', 'in some countries', 'recommended'"),
    "unknown_basis": ("error", 7, "basis 'promise' is not one of: right, recommendation, practice"),
    "unknown_role": ("error", 17, "unknown contact role 'police_station' (see content/README.md)"),
    "url_in_text": ("error", 22, "web address in the text: contacts come from the country pack through 'contacts'"),
    "yaml_syntax": ("error", 5, "YAML syntax error: expected ',' or ']', but got '<scalar>'"),
}


def test_shipped_content_passes():
    report = check_content(PROJECT_ROOT / "content")
    assert report.errors == []


def test_every_fixture_has_a_case():
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_fixture_gives_its_exact_message(case, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    (fixture,) = list((FIXTURES / case).rglob("*.yml"))
    target = content / fixture.relative_to(FIXTURES / case)
    shutil.copyfile(fixture, target)
    report = check_content(content, today=TODAY, max_age=180)
    severity, line, message = CASES[case]
    found = report.errors if severity == "error" else report.warnings
    located = [(e.line, e.message) for e in found if e.path == str(target)]
    assert (line, message) in located
    if severity == "warning":
        assert not [e for e in report.errors if e.path == str(target)]


def test_error_lines_read_path_line_message(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    shutil.copyfile(FIXTURES / "illegal_word" / "topics" / "evacuation.yml", content / "topics" / "evacuation.yml")
    (error,) = check_content(content, today=TODAY).errors
    assert str(error) == f"{content / 'topics' / 'evacuation.yml'}:18: say 'irregular', never 'illegal'"


def test_cli_exits_1_on_error(tmp_path, capsys):
    from bot.cli import main

    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    shutil.copyfile(FIXTURES / "unknown_basis" / "topics" / "evacuation.yml", content / "topics" / "evacuation.yml")
    assert main(["content", "check", "--content", str(content)]) == 1
    assert "evacuation.yml:7: basis 'promise'" in capsys.readouterr().out
    assert main(["content", "check"]) == 0
