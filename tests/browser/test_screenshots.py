"""Screenshots of both languages, desktop and phone width, saved in test-artifacts/ for a
person to look at (layout problems a DOM assertion would miss)."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .chat import ChatPage
from .fake_rasa import FakeRasa

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1280, 900), "mobile": (360, 780)}


def _no_sideways_scroll(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_screenshot_conversation(
    page: Page, chat: ChatPage, artifacts: Path, lang: str, size: str
) -> None:
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    chat.open(lang)
    page.screenshot(path=artifacts / f"page-{lang}-{size}-empty.png", full_page=True)
    chat.ask("Bonjour" if lang == "fr" else "Hello")
    chat.quick_replies.first.click()
    expect(chat.root.locator(".cc-card")).to_have_count(2)
    chat.ask("urgence ?" if lang == "fr" else "emergency?")
    chat.ask("Bonjour" if lang == "fr" else "Hello")  # ends with quick replies on screen
    _no_sideways_scroll(page, width)
    page.mouse.move(0, 0)  # no hover effect left on the button clicked above
    page.screenshot(path=artifacts / f"page-{lang}-{size}.png", full_page=True)
    chat.log.evaluate("e => { e.scrollTop = 0; }")
    chat.root.screenshot(path=artifacts / f"widget-{lang}-{size}-top.png")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_screenshot_error_state_on_a_phone(
    page: Page, chat: ChatPage, fake_rasa: FakeRasa, artifacts: Path, lang: str
) -> None:
    page.set_viewport_size({"width": 360, "height": 780})
    chat.open(lang)
    fake_rasa.stop()
    chat.send("Bonjour" if lang == "fr" else "Hello")
    expect(chat.error).not_to_be_empty()
    _no_sideways_scroll(page, 360)
    chat.root.screenshot(path=artifacts / f"widget-{lang}-mobile-error.png")


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize(("lang", "path"), [("fr", "/fr/confidentialite/"), ("en", "/en/privacy/")])
def test_screenshot_privacy_notice(
    page: Page, base_url: str, artifacts: Path, lang: str, path: str, size: str
) -> None:
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(base_url + path)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    _no_sideways_scroll(page, width)
    page.screenshot(path=artifacts / f"privacy-{lang}-{size}.png", full_page=True)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_screenshot_feedback_buttons(page: Page, chat: ChatPage, artifacts: Path, lang: str, size: str) -> None:
    """The vote buttons under answers: one voted "not helpful", the confirmation below."""
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    chat.open(lang)
    chat.ask("urgence ?" if lang == "fr" else "emergency?")
    chat.ask("Bonjour" if lang == "fr" else "Hello")
    chat.feedback.first.locator(".cc-vote--no").click()
    expect(chat.feedback.first.locator(".cc-vote--no")).to_have_attribute("aria-pressed", "true")
    expect(chat.status).not_to_be_empty()
    _no_sideways_scroll(page, width)
    # Every vote group fits on the widget's width: the two buttons stay side by side.
    for i in range(chat.feedback.count()):
        buttons = chat.feedback.nth(i).locator(".cc-vote")
        tops = {round(buttons.nth(j).bounding_box()["y"]) for j in range(buttons.count())}  # type: ignore[index]
        assert len(tops) == 1
    page.mouse.move(0, 0)
    chat.log.evaluate("e => { e.scrollTop = 0; }")
    chat.root.screenshot(path=artifacts / f"widget-{lang}-{size}-feedback.png")
