"""The widget's "was this answer helpful?" buttons, in Chromium, against the fake Rasa (which
stores its turns through Rasa's tracker store) and the real page server: mouse and keyboard
voting, the ARIA state, the live confirmation, and the vote reaching the inbox."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Route, expect

from bot.inbox import feedback, service, store
from bot.settings import Settings

from .chat import ChatPage
from .fake_rasa import TEXTS, FakeRasa

pytestmark = pytest.mark.browser

LABELS = {
    "fr": ("Cette réponse vous a-t-elle aidé ?", "Oui, cette réponse m'a aidé",
           "Non, cette réponse ne m'a pas aidé", "Merci pour votre retour."),
    "en": ("Was this answer helpful?", "Yes, this answer helped me", "No, this answer did not help me",
           "Thanks for your feedback."),
}


def unique_question(lang: str) -> str:
    """A question no other test asks: the conversation database is shared by the session."""
    word = "question" if lang == "en" else "demande"
    # Letters only: stored messages are masked, and a run of digits could become "[number]".
    return f"{word} {''.join(chr(ord('a') + int(c, 16)) for c in uuid.uuid4().hex[:8])}"


def wrong_answers(settings: Settings, question: str) -> list[service.InboxItem]:
    return [i for i in service.load_wrong_answers(settings.tracker_store_url) if i.leader.text == question]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_vote_with_the_mouse_reaches_the_inbox(
    chat: ChatPage, fake_rasa: FakeRasa, web_settings: Settings, lang: str
) -> None:
    ask, yes_label, no_label, thanks = LABELS[lang]
    chat.open(lang)
    question = unique_question(lang)
    chat.ask(question)

    group = chat.root.get_by_role("group", name=ask)
    expect(group).to_have_count(1)
    yes = group.get_by_role("button", name=yes_label, exact=True)
    no = group.get_by_role("button", name=no_label, exact=True)
    expect(yes).to_have_attribute("aria-pressed", "false")
    expect(no).to_have_attribute("aria-pressed", "false")
    expect(yes).to_have_text("Oui" if lang == "fr" else "Yes")

    no.click()

    expect(no).to_have_attribute("aria-pressed", "true")
    expect(yes).to_have_attribute("aria-pressed", "false")
    expect(chat.status).to_have_text(thanks)
    expect(chat.status).to_have_attribute("aria-live", "polite")
    [item] = wrong_answers(web_settings, question)
    assert item.reason == service.WRONG_ANSWER and item.language == lang
    assert item.answer == TEXTS[lang]["greet"]  # read from the stored conversation
    assert item.conversations == 1

    # One vote per answer, and it can change: "helpful" takes the answer out of the inbox.
    yes.click()
    expect(yes).to_have_attribute("aria-pressed", "true")
    expect(no).to_have_attribute("aria-pressed", "false")
    chat.page.wait_for_function(
        "() => document.querySelector('.cc-feedback[aria-busy]') === null"
    )
    assert wrong_answers(web_settings, question) == []
    engine = store.engine_for(web_settings.tracker_store_url)
    mine = [v for v in feedback.read_votes(engine) if v.question == question]
    assert [(v.vote, v.sender) for v in mine] == [(feedback.HELPFUL, fake_rasa.requests[-1]["sender"])]


def test_vote_with_the_keyboard_only(chat: ChatPage, web_settings: Settings) -> None:
    page = chat.page
    _, yes_label, no_label, thanks = LABELS["fr"]
    chat.open("fr")
    chat.ask("Que faire en cas d'urgence ?")  # an answer without quick replies
    expect(chat.input).to_be_focused()

    # The vote buttons come right before the input in the tab order.
    page.keyboard.press("Shift+Tab")
    no = chat.root.get_by_role("button", name=no_label, exact=True)
    expect(no).to_be_focused()
    page.keyboard.press("Space")
    expect(no).to_have_attribute("aria-pressed", "true")
    expect(chat.status).to_have_text(thanks)
    assert no.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"  # focus is visible

    page.keyboard.press("Shift+Tab")
    yes = chat.root.get_by_role("button", name=yes_label, exact=True)
    expect(yes).to_be_focused()
    page.keyboard.press("Enter")
    expect(yes).to_have_attribute("aria-pressed", "true")
    expect(no).to_have_attribute("aria-pressed", "false")
    expect(yes).to_be_focused()  # focus stays where the person is


def test_one_vote_group_per_answer_and_votes_survive_a_reload(chat: ChatPage) -> None:
    chat.open("en")
    chat.ask("Hello")
    chat.quick_replies.filter(has_text="Clinical trials").click()
    expect(chat.root.locator(".cc-card")).to_have_count(2)
    # Two answers (the greeting; the trial text with its cards): two groups, the second after the cards.
    expect(chat.feedback).to_have_count(2)
    assert chat.root.locator(".cc-cards + .cc-feedback").count() == 1
    chat.feedback.nth(0).get_by_role("button", name=LABELS["en"][2]).click()
    expect(chat.status).to_have_text("Thanks for your feedback.")

    chat.page.reload()

    expect(chat.feedback).to_have_count(2)
    expect(chat.feedback.nth(0).get_by_role("button", name=LABELS["en"][2])).to_have_attribute("aria-pressed", "true")
    expect(chat.feedback.nth(1).get_by_role("button", name=LABELS["en"][1])).to_have_attribute("aria-pressed", "false")


def test_a_vote_that_cannot_be_sent_is_undone_and_said(chat: ChatPage) -> None:
    def refuse(route: Route) -> None:
        route.fulfill(status=503, content_type="application/json", body='{"error": "down"}')

    chat.page.route("**/api/feedback", refuse)
    chat.open("fr")
    chat.ask("Bonjour")
    no = chat.feedback.first.get_by_role("button", name=LABELS["fr"][2])
    no.click()
    expect(chat.status).to_have_text("Votre avis n'a pas pu être envoyé. Vous pouvez réessayer plus tard.")
    expect(no).to_have_attribute("aria-pressed", "false")

    chat.page.unroute("**/api/feedback")
    no.click()  # the same vote can be sent again
    expect(no).to_have_attribute("aria-pressed", "true")
    expect(chat.status).to_have_text("Merci pour votre retour.")


def test_no_vote_buttons_where_votes_cannot_be_sent(chat: ChatPage) -> None:
    """A page that turns them off (data-feedback-url="none") shows no vote buttons."""
    chat.page.add_init_script("window.CurieChatConfig = {retryDelayMs: 100, feedbackUrl: 'none'};")
    chat.open("fr")
    chat.ask("Bonjour")
    expect(chat.feedback).to_have_count(0)
