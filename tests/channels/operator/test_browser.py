"""The operator console in a real headless Chromium (Debian's), driven by Playwright, against a real
uvicorn: log in, search in Arabic and Russian, open a country card, publish a bulletin and see it
answered over /api/v1/ask, export the needs CSV.

Set HAVEN_SCREENSHOT_DIR=docs to refresh the README's screenshots."""

from __future__ import annotations

import csv
import os
import re
import time
from pathlib import Path

import pytest

from tests.channels.operator.conftest import EDITOR, OPERATOR
from tests.live import chromium, needs_chromium, serve_in_thread

pytestmark = needs_chromium
ARABIC = re.compile("[\u0600-\u06ff]{3,}")
CYRILLIC = re.compile("[\u0400-\u04ff]{3,}")


@pytest.fixture(scope="module")
def server(console_app):
    with serve_in_thread(console_app) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("HAVEN_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_in(browser, server, account, path="/operator"):
    context = browser.new_context(viewport={"width": 1360, "height": 1080}, accept_downloads=True)
    page = context.new_page()
    page.goto(server + path)
    assert "/operator/login" in page.url
    page.get_by_label("Name").fill(account[0])
    page.get_by_label("Password").fill(account[1])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(server + path) + r"$"))
    return context, page


def test_operator_searches_in_arabic_and_russian_and_opens_a_country_card(server, browser, assistant, shots):
    context, page = log_in(browser, server, OPERATOR)
    cookies = context.cookies()
    assert len(cookies) == 1 and cookies[0]["httpOnly"] and cookies[0]["sameSite"] == "Strict" and cookies[0]["path"] == "/operator"

    # Russian first: the caller's column turns Russian, the operator's stays English
    page.locator("#q").fill("у меня сгорел паспорт при пожаре, что делать")
    page.locator("#q").press("Enter")
    page.wait_for_function("() => document.getElementById('caller-answer').getAttribute('lang') === 'ru'", timeout=15000)
    assert CYRILLIC.search(page.locator("#caller-answer").inner_text())
    assert page.locator("#script").inner_text().strip() == assistant.content.topics["lost_documents"].operator_script.strip()
    assert page.locator("#alternatives button").count() == 2

    # the country card: numbers with the date each was last verified
    page.get_by_label("Caller is in").select_option("LB")
    page.wait_for_function("() => document.getElementById('card-h').textContent === 'Contacts: Lebanon'", timeout=15000)
    card = page.locator("#card").inner_text()
    for contact in assistant.content.countries["LB"].emergency:
        assert contact.phone in card
    assert "verified" in card

    # Arabic: right-to-left caller column, marked when unreviewed
    page.locator("#q").fill("ضاع جواز سفري في الحريق ماذا أفعل")
    started = time.monotonic()
    page.locator("#q").press("Enter")
    page.wait_for_function("() => document.getElementById('caller-answer').getAttribute('lang') === 'ar'", timeout=15000)
    assert time.monotonic() - started < 2.0
    assert page.get_attribute("#caller-answer", "dir") == "rtl"
    assert ARABIC.search(page.locator("#caller-answer").inner_text())
    assert page.locator("#caller-review .badge").inner_text() in ("reviewed", "unreviewed translation")
    assert page.locator("#sources a").count() >= 1
    page.screenshot(path=str(shots / "operator-console.png"), full_page=False)

    # keyboard: "/" comes back to the search box; an alternative is reachable and opens its topic
    page.locator("#result").focus()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    alternative = page.locator("#alternatives button").first
    alternative.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('status').textContent === 'Topic chosen by hand.'", timeout=15000)

    # browse by phase and kind when the caller cannot say what they need
    page.get_by_role("button", name="During a crisis").click()
    page.get_by_role("button", name="What to do").click()
    page.wait_for_selector("#topics button[data-topic='evacuation']")
    page.locator("#topics button[data-topic='evacuation']").click()
    page.wait_for_function("() => document.querySelector('#topicline h3') && document.querySelector('#topicline .badge').textContent === 'topic: evacuation'", timeout=15000)

    # a source is one click away
    with context.expect_page() as opened:
        page.locator("#sources a").first.click()
    source = opened.value
    source.wait_for_load_state()
    assert "/operator/sources/" in source.url and source.locator("#text").inner_text()
    context.close()


def test_editor_publishes_a_bulletin_that_the_api_answers(server, browser, shots):
    context, page = log_in(browser, server, EDITOR, "/operator/editor")
    text = "Masnaa border crossing open 08:00-18:00. Evacuation registration at Beirut port, gate 3."
    page.get_by_label("Country", exact=True).select_option("LB")
    page.get_by_label("Bulletin in English").fill(text)
    page.locator("#others summary").click()
    page.get_by_label("Русский (Russian)").fill("Пункт пропуска Масна открыт с 08:00 до 18:00.")
    page.locator("#others summary").click()  # fold the other languages away again
    page.get_by_role("button", name="Publish bulletin").click()
    page.wait_for_selector("#published:not([hidden])", timeout=15000)
    assert "content/bulletins/lb/" in page.locator("#published-text").inner_text()
    page.get_by_role("button", name=re.compile("latest news")).click()
    page.wait_for_function("text => document.getElementById('check-answer').textContent.includes(text)", arg=text, timeout=15000)
    assert page.locator("#list .status-current").count() == 1
    page.screenshot(path=str(shots / "editor-bulletin.png"), full_page=True)

    answer = page.request.post(server + "/api/v1/ask", data={"text": "последние новости", "country": "LB", "language": "ru"}).json()
    assert answer["topic"] == "situation_update"
    assert "Масна" in answer["answer"]
    context.close()


def test_needs_picture_exports_a_csv(server, browser, settings, tmp_path):
    from bot import analytics

    store = analytics.store(settings.data_dir)
    for _ in range(6):
        store.asked("evacuation", "LB", "ar")
    store.asked("detention", "LB", "ar")
    context, page = log_in(browser, server, OPERATOR, "/operator/needs")
    page.wait_for_function("() => document.querySelectorAll('#topic li').length > 0", timeout=15000)
    assert "<5" in page.locator("#topic").inner_text() or "<5" in page.locator("#feedback").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    path = tmp_path / "needs.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    detention = [r for r in rows if r["topic"] == "detention" and r["country"] == "LB" and r["language"] == "ar"]
    assert detention and all(r["asked"] == "<5" for r in detention)
    assert all(r["asked"] == "<5" or int(r["asked"]) >= 5 for r in rows)
    context.close()
