"""The page that `make run` serves, in Chromium, against the real assistant (trained model,
action server, trial store): what a patient does, with the keyboard and the mouse."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import Assistant

from .chat import ChatPage

pytestmark = [pytest.mark.browser, pytest.mark.model]


def test_a_patient_chats_in_french_then_in_english(
    assistant: Assistant, page: Page, artifacts: Path
) -> None:
    page.set_default_timeout(30_000)  # the first answers of a cold server take a moment
    chat = ChatPage(page, assistant.settings.web_url)
    chat.open("fr")

    # Keyboard: type and press Enter.
    answer = chat.ask("c'est quoi l'immunotherapie")
    expect(answer).to_contain_text("système immunitaire")
    expect(chat.log).to_contain_text("Source : Fondation ARC")  # the answer's last paragraph

    chat.ask("y a t il des essais pour le melanome ?")
    cards = chat.root.locator(".cc-card")
    expect(cards.first).to_be_visible()
    expect(chat.root).to_contain_text("NCT04114136")
    expect(chat.root).to_contain_text("registre sont en anglais")
    page.screenshot(path=artifacts / "real-fr-desktop.png", full_page=True)

    # Mouse: the page's language switch, then a quick reply.
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(chat.root).to_be_visible()
    greeting = chat.ask("Hello")
    expect(greeting).to_contain_text("automated assistant")
    before = chat.bot_texts.count()
    chat.quick_replies.filter(has_text="Who runs the center?").last.click()
    expect(chat.bot_texts.nth(before)).to_contain_text("Sebastian Amigorena")
    expect(chat.log).to_contain_text("(2017-2018)")
    page.screenshot(path=artifacts / "real-en-desktop.png", full_page=True)

    chat.assert_no_page_errors()
    assert chat.console_errors == []
