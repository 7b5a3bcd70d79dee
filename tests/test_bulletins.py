"""Situation bulletins: validation (also in `haven content check`), selection, expiry, rendering."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from bot import bulletins
from bot.content_check import check_content
from bot.paths import PROJECT_ROOT

UTC = dt.timezone.utc
NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def write(base, name, text):
    path = base / "bulletins" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_newest_unexpired_bulletin_is_selected(tmp_path):
    old = bulletins.publish("LB", {"en": "Old news."}, NOON + dt.timedelta(days=2), "ed", published=NOON - dt.timedelta(hours=5), base=tmp_path)
    new = bulletins.publish("LB", {"en": "New news.", "ar": "أخبار جديدة."}, NOON + dt.timedelta(hours=1), "ed", published=NOON - dt.timedelta(hours=1), base=tmp_path)
    bulletins.publish("UA", {"en": "Other country."}, NOON + dt.timedelta(days=1), "ed", published=NOON - dt.timedelta(hours=1), base=tmp_path)
    assert bulletins.current("lb", NOON, tmp_path).texts == new.texts
    assert bulletins.current("LB", NOON + dt.timedelta(hours=2), tmp_path).texts == old.texts  # the newer one expired
    assert bulletins.current("LB", NOON + dt.timedelta(days=3), tmp_path) is None
    assert bulletins.current("JP", NOON, tmp_path) is None
    assert bulletins.current(None, NOON, tmp_path) is None
    assert new.path.name == "2026-11-23-new-news.yml" and new.path.parent.name == "lb"


def test_text_falls_back_to_english():
    bulletin = bulletins.Bulletin("LB", NOON, NOON, {"en": "English.", "ar": "عربي."}, "ed")
    assert bulletin.text("ar") == ("عربي.", "ar")
    assert bulletin.text("fr") == ("English.", "en")


def test_withdraw_ends_a_bulletin_at_once(tmp_path):
    bulletin = bulletins.publish("LB", {"en": "Road open."}, bulletins.utcnow() + dt.timedelta(hours=6), "ed", base=tmp_path)
    assert bulletins.current("LB", base=tmp_path) is not None
    bulletins.withdraw(bulletin)
    assert bulletins.current("LB", base=tmp_path) is None
    assert bulletins.validate(__import__("yaml").safe_load(bulletin.path.read_text()), bulletin.path) == []


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("lb/2026-11-23-a.yml", "country: LB\npublished: 2026-11-23T08:00:00Z\neditor: x\ntexts: {en: ok}\n", "missing required field 'expires'"),
        ("lb/2026-11-23-a.yml", "country: LB\npublished: 2026-11-23T08:00:00Z\nexpires: 2026-11-23T07:00:00Z\neditor: x\ntexts: {en: ok}\n", "'expires' must be after 'published'"),
        ("lb/2026-11-23-a.yml", "country: LB\npublished: 2026-11-23 08:00\nexpires: 2026-11-24T07:00:00Z\neditor: x\ntexts: {en: ok}\n", "'published' must be an ISO date and time in UTC, e.g. 2026-11-23T08:00:00Z"),
        ("ua/2026-11-23-a.yml", "country: LB\npublished: 2026-11-23T08:00:00Z\nexpires: 2026-11-24T07:00:00Z\neditor: x\ntexts: {en: ok}\n", "a bulletin for LB belongs in bulletins/lb/, not bulletins/ua/"),
        ("lb/2026-11-22-a.yml", "country: LB\npublished: 2026-11-23T08:00:00Z\nexpires: 2026-11-24T07:00:00Z\neditor: x\ntexts: {en: ok}\n", "the file name's date 2026-11-22 is not the published date 2026-11-23"),
        ("lb/bulletin.yml", "country: LB\npublished: 2026-11-23T08:00:00Z\nexpires: 2026-11-24T07:00:00Z\neditor: x\ntexts: {en: ok}\n", "the file name must be <YYYY-MM-DD>-<slug>.yml (lower-case letters, digits and dashes)"),
        ("lb/2026-11-23-a.yml", "country: LB\npublished: 2026-11-23T08:00:00Z\nexpires: 2026-11-24T07:00:00Z\neditor: x\ntexts: {xx: ok}\n", "language 'xx' is not in translations/locales.yml"),
        ("lb/2026-11-23-a.yml", f"country: LB\npublished: 2026-11-23T08:00:00Z\nexpires: 2026-11-24T07:00:00Z\neditor: x\ntexts: {{en: {'a' * 321}}}\n", "the en text is 321 characters; a bulletin has at most 320"),
    ],
    ids=["no-expiry", "expires-first", "no-zone", "wrong-folder", "wrong-date", "bad-name", "bad-language", "too-long"],
)
def test_content_check_reports_bad_bulletins(tmp_path, name, text, message):
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content, ignore=shutil.ignore_patterns("bulletins"))
    path = write(content, name, text)
    report = check_content(content)
    assert [(e.path, e.message) for e in report.errors] == [(str(path), message)]
    assert bulletins.load_all(content) == []  # an invalid bulletin is never served


def test_situation_update_renders_the_bulletin_and_emergency_mentions_it(tmp_path, monkeypatch):
    from bot.nlg import shared_content
    from bot.responses import Context, Responder

    responder = Responder(shared_content())  # the real content; bulletins from tmp_path
    monkeypatch.setenv("HAVEN_CONTENT_DIR", str(tmp_path))
    assert "no current bulletin" in responder.respond("utter_situation_update", Context("en", "LB")).text
    bulletins.publish("LB", {"en": "Masnaa crossing open 08:00-18:00.", "ar": "معبر المصنع مفتوح."}, bulletins.utcnow() + dt.timedelta(hours=3), "ed", base=tmp_path)
    reply = responder.respond("utter_situation_update", Context("ar", "LB", channel="web"))
    assert "معبر المصنع مفتوح." in reply.text and reply.translated
    assert reply.sources[0].startswith("content/bulletins/lb/")
    english = responder.respond("utter_situation_update", Context("en", "LB", channel="sms"))
    assert english.text.startswith("Situation update for Lebanon, published ")
    assert "Masnaa crossing open 08:00-18:00." in english.text and "0 Menu" in english.text
    french = responder.respond("utter_situation_update", Context("fr", "LB"))
    assert "Masnaa crossing open 08:00-18:00." in french.text and not french.translated
    for topic in ("emergency_danger", "evacuation"):
        chat = responder.respond(f"utter_{topic}", Context("en", "LB", channel="web"))
        assert "send LATEST to read it" in chat.text
        assert chat.options[0] == ("Latest situation", "/situation_update")
    assert "LATEST" not in responder.respond("utter_emergency_danger", Context("en", "UA")).text
    from bot import i18n, sms

    for language in i18n.locales():  # on SMS the notice is added only where it fits the budget
        without = responder.content.render("emergency_danger", language, "LB", None, "sms").text
        text = responder.respond("utter_emergency_danger", Context(language, "LB", channel="sms")).text
        if text.count("\n") > without.count("\n") + 1:
            assert sms.encode(text).segments <= i18n.locales()[language].sms_segments
