"""The web chat in a real headless Chromium (Debian's), driven by Playwright, against a real uvicorn."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None and not __import__("os").environ.get("CI"), reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def server(assistant, settings):
    import uvicorn

    from channels.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(assistant=assistant, settings=settings), host="127.0.0.1", port=port, log_level="warning", access_log=False, ws="none")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "chromium is required in CI"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield instance
        instance.close()


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
