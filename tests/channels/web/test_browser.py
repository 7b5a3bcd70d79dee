"""The web chat in a real headless Chromium (Debian's), driven by Playwright, against a real uvicorn."""

from __future__ import annotations

import re

import pytest

from tests.live import chromium, needs_chromium, serve_in_thread

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(assistant, settings):
    from channels.app import create_app

    with serve_in_thread(create_app(assistant=assistant, settings=settings)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def test_type_a_question_and_see_the_answer(server, browser, assistant, tmp_path):
    page = browser.new_page()
    page.goto(server + "/")
    page.wait_for_selector("#log li.bot")  # the greeting with the menu
    page.get_by_label("Your question").fill("my passport burned in the fire what do I do")
    page.get_by_role("button", name="Send").click()
    expected = assistant.content.topics["lost_documents"].chat.split("\n")[0]
    page.wait_for_function("text => [...document.querySelectorAll('#log li.bot')].some(li => li.textContent.includes(text))", arg=expected, timeout=15000)
    assert page.context.cookies() == []
    page.screenshot(path=str(tmp_path / "web-en.png"))
    page.close()


def test_arabic_is_right_to_left_and_answers_in_arabic(server, browser):
    page = browser.new_page()
    page.goto(server + "/?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    page.wait_for_selector("#log li.bot")
    page.locator("#text").fill("ضاع جواز سفري في الحريق ماذا أفعل")
    page.locator("#send").click()
    page.wait_for_function("() => document.querySelectorAll('#log li.bot').length >= 2", timeout=15000)
    last = page.locator("#log li.bot").last.inner_text()
    assert re.search("[\u0600-\u06ff]{3,}", last)
    assert page.get_attribute("html", "dir") == "rtl"
    page.close()


def test_numbered_options_are_buttons_reachable_by_keyboard(server, browser):
    page = browser.new_page()
    page.goto(server + "/")
    page.wait_for_selector("#log li.bot .options button")
    first_option = page.locator("#log li.bot .options button").first
    first_option.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#log li.bot').length >= 2", timeout=15000)
    page.close()
