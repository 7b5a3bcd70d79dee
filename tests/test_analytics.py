"""The anonymous needs picture: aggregate counters only, small counts suppressed on output."""

from __future__ import annotations

import datetime as dt
import sqlite3

from bot import analytics


def test_counts_are_aggregated_per_day_and_suppressed_below_five(tmp_path):
    store = analytics.Analytics(tmp_path / "analytics.sqlite")
    today = analytics.today()
    for _ in range(5):
        store.asked("evacuation", "ua", "uk", today)
    for _ in range(3):
        store.asked("evacuation", None, "uk", today)
    store.feedback(True, "evacuation", "UA", "uk", today)
    store.feedback(False, "evacuation", "UA", "uk", today)
    rows = store.rows()
    assert {(r.country, r.asked, r.useful_yes, r.useful_no) for r in rows} == {("UA", 5, 1, 1), ("-", 3, 0, 0)}
    lines = store.csv(7).splitlines()
    assert lines[0] == "day,topic,country,language,asked,useful_yes,useful_no"
    assert f"{today.isoformat()},evacuation,-,uk,<5,0,0" in lines
    assert f"{today.isoformat()},evacuation,UA,uk,5,<5,<5" in lines
    summary = store.summary(7)
    assert summary["topic"] == [{"key": "evacuation", "asked": 8, "useful_yes": "<5", "useful_no": "<5", "bar": 8}]
    assert {r["key"]: r["asked"] for r in summary["country"]} == {"UA": 5, "-": "<5"}
    store.close()
    with sqlite3.connect(tmp_path / "analytics.sqlite") as db:
        assert [c[1] for c in db.execute("PRAGMA table_info(counts)")] == ["day", "topic", "country", "language", "asked", "useful_yes", "useful_no"]


def test_old_days_fall_outside_the_period(tmp_path):
    store = analytics.Analytics(tmp_path / "analytics.sqlite")
    store.asked("detention", "LB", "ar", analytics.today() - dt.timedelta(days=40))
    assert store.csv(30).splitlines()[1:] == []
    assert len(store.csv(60).splitlines()) == 2


def test_feedback_payloads_round_trip_and_reject_anything_else():
    payload = analytics.feedback_payload(True, "lost_documents", None, "fil")
    assert payload == "#useful-yes lost_documents - fil"
    assert analytics.parse_feedback(payload) == (True, "lost_documents", None, "fil")
    assert analytics.parse_feedback("#useful-no evacuation UA uk") == (False, "evacuation", "UA", "uk")
    for text in ("#useful-maybe x - en", "useful yes", "#useful-yes lost_documents LB en extra", "1"):
        assert analytics.parse_feedback(text) is None
