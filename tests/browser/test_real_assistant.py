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


def test_two_questions_and_a_vote_that_reaches_the_inbox(
    assistant: Assistant, page: Page, artifacts: Path
) -> None:
    """Two questions in one message get two answers, each with its vote buttons; a "not
    helpful" vote reaches the inbox with the question and the answer the assistant gave."""
    from bot.inbox import service

    page.set_default_timeout(30_000)
    chat = ChatPage(page, assistant.settings.web_url)
    chat.open("fr")
    before = chat.bot_texts.count()
    chat.ask("qui dirige le centre ? et quels sont les effets secondaires ?")
    expect(chat.feedback).to_have_count(2)  # one group per answer
    expect(chat.log).to_contain_text("Sebastian Amigorena")
    expect(chat.log).to_contain_text("équipe soignante")
    assert chat.bot_texts.count() > before + 1

    chat.feedback.first.get_by_role("button", name="Non, cette réponse ne m'a pas aidé").click()
    expect(chat.status).to_have_text("Merci pour votre retour.")
    page.screenshot(path=artifacts / "real-fr-feedback.png", full_page=True)

    wrong = [i for i in service.load_wrong_answers(assistant.settings.tracker_store_url)
             if i.leader.text == "qui dirige le centre ?"]
    assert len(wrong) == 1
    assert "Sebastian Amigorena" in (wrong[0].answer or "")
    assert (wrong[0].language, wrong[0].suggestion) == ("fr", "center_head")
    chat.assert_no_page_errors()
    assert chat.console_errors == []
