"""The chat widget in Chromium, against the fake Rasa and the real page server."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from aiohttp import web
from playwright.sync_api import Page, expect

from bot.settings import Settings

from .chat import ChatPage
from .fake_rasa import FakeRasa
from .servers import ServerThread, free_port

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("lang", "greeting", "placeholder", "send_label"),
    [
        ("fr", "Bonjour ! Je suis l'assistant", "Votre question…", "Envoyer"),
        ("en", "Hello! I am the automated assistant", "Your question…", "Send"),
    ],
)
def test_ask_a_question_in_each_language(
    chat: ChatPage, fake_rasa: FakeRasa, lang: str, greeting: str, placeholder: str, send_label: str
) -> None:
    chat.open(lang)
    expect(chat.page.locator("html")).to_have_attribute("lang", lang)
    expect(chat.root).to_have_attribute("lang", lang)
    expect(chat.input).to_have_attribute("placeholder", placeholder)
    expect(chat.root.get_by_role("button", name=send_label, exact=True)).to_be_visible()

    reply = chat.ask("Bonjour" if lang == "fr" else "Hello")

    expect(reply).to_contain_text(greeting)
    expect(chat.user_texts.last).to_have_text("Bonjour" if lang == "fr" else "Hello")
    assert len(fake_rasa.requests) == 1
    sent = fake_rasa.requests[0]
    assert sent["metadata"] == {"lang": lang}
    assert re.fullmatch(r"[0-9a-f]{32}", sent["sender"])
    assert sent["origin"] == chat.base_url  # a cross-origin call that CORS let through


def test_quick_reply_sends_payload_shows_title_and_renders_cards(
    chat: ChatPage, fake_rasa: FakeRasa
) -> None:
    chat.open("fr")
    chat.ask("Bonjour")
    expect(chat.quick_replies).to_have_count(2)
    expect(chat.root.get_by_role("group", name="Réponses proposées")).to_be_visible()

    chat.quick_replies.filter(has_text="Essais cliniques").click()

    expect(chat.bot_texts.last).to_have_text("Voici deux essais fictifs, pour le test :")
    assert fake_rasa.requests[-1]["message"] == "/ask_trials"
    expect(chat.user_texts.last).to_have_text("Essais cliniques")  # the title, not the payload
    expect(chat.quick_replies).to_have_count(0)  # answered: the old choices go away
    expect(chat.input).to_be_focused()

    cards = chat.root.locator(".cc-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("Essai fictif A")
    expect(cards.nth(0)).to_contain_text("Phase")
    expect(cards.nth(0)).to_contain_text("II")
    expect(cards.nth(0)).to_contain_text("Recrute")
    link = cards.nth(0).get_by_role("link")
    expect(link).to_have_attribute("href", "https://example.org/trials/TEST-0001")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    # The second card's URL is javascript: -> no link; its hostile title stays text.
    expect(cards.nth(1).get_by_role("link")).to_have_count(0)
    expect(cards.nth(1)).to_contain_text("Essai fictif B <img src=x onerror=alert(3)>")
    expect(chat.root.locator("img")).to_have_count(0)


def test_links_use_an_allow_list(chat: ChatPage) -> None:
    chat.open("fr")
    reply = chat.ask("Que faire en cas d'urgence ?")

    links = reply.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs == ["tel:15", "tel:112", "https://example.org/urgences"]
    # Sentence punctuation is not part of the URL; "le 15 mars" is not a phone number.
    expect(reply.get_by_role("link", name=re.compile("example.org"))).to_contain_text(
        "https://example.org/urgences"
    )
    expect(reply).to_contain_text("Le 15 mars n'est pas un numéro.")
    expect(reply).to_contain_text("javascript:alert(1)")
    expect(chat.root.locator("a[href^='javascript']")).to_have_count(0)

    tokens = chat.page.evaluate(
        """() => [
          'Appelez le 15, le 112 ou le 3114.',
          'Dial 112 now; 15 minutes later.',
          'Standard : 01 23 45 67 89 ou +33 1 23 45 67 89.',
          'See (https://example.org/a_(b)) and http://x.test/path?q=1&r=2.',
          'tel:0123456789 data:text/html,<b>x</b> vbscript:x JAVASCRIPT:alert(1) ftp://f.test',
        ].map((t) => CurieChat.tokenize(t).filter((p) => p.href).map((p) => p.href))"""
    )
    assert tokens == [
        ["tel:15", "tel:112", "tel:3114"],
        ["tel:112"],
        ["tel:0123456789", "tel:+33123456789"],
        ["https://example.org/a_(b)", "http://x.test/path?q=1&r=2"],
        ["tel:0123456789"],
    ]


def test_hostile_html_is_shown_as_text(chat: ChatPage, fake_rasa: FakeRasa) -> None:
    chat.open("en")
    hostile = "<img src=x onerror=alert(1)>"
    chat.send(hostile)

    expect(chat.user_texts.last).to_have_text(hostile)
    expect(chat.bot_texts.nth(0)).to_have_text("You wrote: " + hostile)
    expect(chat.bot_texts.nth(1)).to_have_text(
        "<script>window.__pwned = true</script><b>bold?</b><img src=x onerror=alert(2)>"
    )
    assert fake_rasa.requests[-1]["message"] == hostile
    chat.page.wait_for_timeout(300)  # give any onerror handler a chance to fire
    expect(chat.root.locator("img, script, b")).to_have_count(0)
    assert chat.page.evaluate("window.__pwned") is None
    assert chat.dialogs == []


def test_conversation_survives_a_reload(chat: ChatPage, fake_rasa: FakeRasa) -> None:
    chat.open("fr")
    chat.ask("Bonjour")
    chat.quick_replies.filter(has_text="L'immunothérapie").click()
    expect(chat.bot_texts).to_have_count(2)

    chat.page.reload()

    expect(chat.user_texts).to_have_text(["Bonjour", "L'immunothérapie, c'est quoi ?"])
    expect(chat.bot_texts.nth(1)).to_contain_text("L'immunothérapie aide le système immunitaire")
    # Line breaks from the bot survive as line breaks (rendered, not stripped).
    assert "\n" in chat.bot_texts.nth(1).inner_text()
    chat.ask("Bonjour encore")
    senders = {r["sender"] for r in fake_rasa.requests}
    assert len(fake_rasa.requests) == 3 and len(senders) == 1

    # Switching language keeps the conversation (same tab, same sender), now in English.
    chat.page.get_by_role("link", name="English").click()
    expect(chat.page.locator("html")).to_have_attribute("lang", "en")
    expect(chat.user_texts).to_have_count(3)
    chat.ask("Hello")
    assert fake_rasa.requests[-1]["metadata"] == {"lang": "en"}
    assert fake_rasa.requests[-1]["sender"] in senders


def test_new_conversation_forgets_the_transcript(chat: ChatPage, fake_rasa: FakeRasa) -> None:
    chat.open("en")
    chat.ask("Hello")
    first_sender = fake_rasa.requests[-1]["sender"]

    chat.root.get_by_role("button", name="New conversation").click()

    expect(chat.bot_texts).to_have_count(0)
    expect(chat.status).to_have_text("New conversation started.")
    expect(chat.input).to_be_focused()
    chat.page.reload()
    expect(chat.root.locator(".cc-hint")).to_be_visible()
    chat.ask("Hello")
    assert fake_rasa.requests[-1]["sender"] != first_sender


def test_typing_indicator_while_waiting(chat: ChatPage, fake_rasa: FakeRasa) -> None:
    chat.open("fr")
    chat.send("une réponse lente")
    expect(chat.status).to_have_text("L'assistant écrit…")
    expect(chat.status.locator(".cc-dots")).to_be_visible()
    # A second message while the first is answered is kept in the box, not lost or reordered.
    chat.send("Bonjour")
    expect(chat.status).to_have_text("Patientez : l'assistant répond à votre message précédent.")
    expect(chat.input).to_have_value("Bonjour")
    expect(chat.bot_texts.last).to_have_text("Réponse lente, mais réponse.")
    expect(chat.status).to_have_text("")
    chat.input.press("Enter")
    expect(chat.bot_texts.last).to_contain_text("Bonjour !")
    assert [r["message"] for r in fake_rasa.requests] == ["une réponse lente", "Bonjour"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_rasa_down_shows_error_then_resend_recovers(
    chat: ChatPage, fake_rasa: FakeRasa, lang: str
) -> None:
    webhook_calls: list[str] = []
    chat.page.on(
        "request",
        lambda r: webhook_calls.append(r.method) if r.url.endswith("/webhooks/rest/webhook") else None,
    )
    chat.open(lang)
    fake_rasa.stop()
    message = "Bonjour" if lang == "fr" else "Hello"
    chat.send(message)

    expected = {
        "fr": ("Le service de discussion ne répond pas", "Renvoyer le message", "Non envoyé"),
        "en": ("The chat service is not responding", "Send the message again", "Not sent"),
    }[lang]
    expect(chat.error).to_contain_text(expected[0])
    expect(chat.error).to_have_attribute("role", "alert")
    expect(chat.user_texts.last).to_have_text(message)  # the message is still there
    expect(chat.root.locator(".cc-msg--failed")).to_contain_text(expected[2])
    # 1 try + 3 retries, then it stops (no endless hammering of a server that is down).
    posts = [m for m in webhook_calls if m == "POST"]
    assert len(posts) == 4, webhook_calls
    chat.page.wait_for_timeout(1000)
    assert len([m for m in webhook_calls if m == "POST"]) == 4
    assert fake_rasa.requests == []

    # The failure survives a reload too: the message can still be resent.
    chat.page.reload()
    expect(chat.error).to_contain_text(expected[0])

    fake_rasa.start()
    chat.error.get_by_role("button", name=expected[1]).click()

    expect(chat.bot_texts.last).to_contain_text("Bonjour" if lang == "fr" else "Hello")
    expect(chat.error).to_be_empty()
    expect(chat.root.locator(".cc-msg--failed")).to_have_count(0)
    expect(chat.user_texts).to_have_count(1)  # resent, not duplicated
    assert [r["message"] for r in fake_rasa.requests] == [message]


def test_short_outage_is_bridged_by_retries(chat: ChatPage, fake_rasa: FakeRasa) -> None:
    chat.open("en")
    fake_rasa.fail_status = 502  # a proxy in front of a restarting Rasa
    chat.send("Hello")
    expect(chat.status).to_contain_text("Trying again in")
    fake_rasa.fail_status = None
    expect(chat.bot_texts.last).to_contain_text("Hello! I am the automated assistant")
    expect(chat.error).to_be_empty()


def test_timeout_is_not_retried_but_can_be_resent(chat: ChatPage, fake_rasa: FakeRasa) -> None:
    chat.page.add_init_script("window.CurieChatConfig = {retryDelayMs: 100, timeoutMs: 1000};")
    chat.open("en")
    chat.send("a slow one")  # the fake takes 1.5 s
    expect(chat.error).to_contain_text("The chat service is taking too long to answer")
    chat.page.wait_for_timeout(800)
    assert len(fake_rasa.requests) == 1  # Rasa may still process it: no blind duplicate
    fake_rasa.slow_seconds = 0  # reset() puts it back for the next test
    chat.error.get_by_role("button", name="Send the message again").click()
    expect(chat.bot_texts.last).to_have_text("A slow answer, but an answer.")


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (500, "The chat service ran into an error"),
        (400, "The chat service ran into an error"),
        # Our REST channel answers 503 when Rasa timed out: it may have handled the message.
        (503, "The chat service is taking too long to answer"),
        (504, "The chat service is taking too long to answer"),
    ],
)
def test_server_errors_are_not_retried(
    chat: ChatPage, fake_rasa: FakeRasa, status: int, message: str
) -> None:
    chat.open("en")
    fake_rasa.fail_status = status
    chat.send("Hello")
    expect(chat.error).to_contain_text(message)
    chat.page.wait_for_timeout(500)
    assert len(fake_rasa.requests) == 1
    fake_rasa.fail_status = None
    chat.error.get_by_role("button", name="Send the message again").click()
    expect(chat.bot_texts.last).to_contain_text("Hello! I am the automated assistant")


def test_keyboard_only(chat: ChatPage, fake_rasa: FakeRasa) -> None:
    page = chat.page
    chat.open("fr")

    def focused() -> str:
        return page.evaluate(
            """() => {
              const e = document.activeElement;
              return e.getAttribute('href') || e.getAttribute('aria-label') || e.placeholder
                || e.textContent.trim();
            }"""
        )

    order: list[str] = []
    for _ in range(20):
        page.keyboard.press("Tab")
        order.append(focused())
        if order[-1] == "Votre question…":
            break
    assert order == [
        "#main",  # skip link
        "/fr/",  # site name
        "/en/",  # language switch
        "/fr/confidentialite/",  # privacy link in the intro
        "Nouvelle conversation",
        "tel:15",
        "tel:112",
        f"{chat.base_url}/fr/confidentialite/",
        "Conversation avec l'assistant",
        "Votre question…",
    ]
    page.keyboard.type("Bonjour")
    page.keyboard.press("Enter")
    expect(chat.bot_texts.last).to_contain_text("Bonjour !")
    expect(chat.input).to_be_focused()

    # The quick replies sit right before the input in the tab order.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert focused() == "Essais cliniques"
    page.keyboard.press("Enter")
    expect(chat.root.locator(".cc-card")).to_have_count(2)
    expect(chat.input).to_be_focused()
    assert fake_rasa.requests[-1]["message"] == "/ask_trials"
    page.keyboard.press("Tab")
    assert focused() == "Envoyer"


def test_skip_link_and_focus_styles(chat: ChatPage) -> None:
    chat.open("en")
    chat.page.keyboard.press("Tab")
    skip = chat.page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    chat.page.keyboard.press("Enter")
    assert chat.page.evaluate("document.activeElement.id") == "main"
    chat.input.focus()
    outline = chat.input.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 360])
def test_emergency_line_and_labels(page: Page, chat: ChatPage, lang: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    chat.open(lang)
    notice = chat.root.locator(".cc-notice")
    expect(notice).to_be_visible()
    notice.scroll_into_view_if_needed()
    expect(notice).to_be_in_viewport(ratio=0.98)
    box = notice.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width  # not cut at the sides
    if lang == "fr":
        expect(notice).to_contain_text("Assistant automatisé, pas pour les urgences.")
        expect(notice).to_contain_text("appelez le 15 ou le 112")
    else:
        expect(notice).to_contain_text("Automated assistant, not for emergencies.")
        expect(notice).to_contain_text("call 15 or 112")
    expect(notice.locator("a[href='tel:15']")).to_be_visible()
    expect(notice.locator("a[href='tel:112']")).to_be_visible()
    # Controls have accessible names in the page language.
    label = "Votre message" if lang == "fr" else "Your message"
    expect(chat.root.get_by_label(label, exact=True)).to_be_visible()
    expect(chat.log).to_have_attribute("role", "log")
    expect(chat.log).to_have_attribute("aria-live", "polite")
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    privacy = notice.get_by_role("link", name="Données et confidentialité" if lang == "fr" else "Data and privacy")
    privacy.click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_contain_text("confidentialité" if lang == "fr" else "privacy")


CONTRAST_JS = """
() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  let checked = 0;
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const isInput = el.matches('input');
    if (!own && !isInput) continue;
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (rect.width <= 1 || rect.height <= 1 || style.visibility === 'hidden') continue;
    const fg = parse(style.color).slice(0, 3);
    const bg = background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    checked += 1;
    if (ratio < (large ? 3 : 4.5)) failures.push(`${el.className || el.tagName}: ${ratio.toFixed(2)}`);
  }
  return {checked, failures};
}
"""


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_text_contrast_meets_wcag_aa(chat: ChatPage, fake_rasa: FakeRasa, lang: str) -> None:
    chat.open(lang)
    chat.ask("Bonjour")
    chat.quick_replies.first.click()
    expect(chat.root.locator(".cc-card")).to_have_count(2)
    fake_rasa.stop()
    chat.send("x")
    expect(chat.error).not_to_be_empty()  # the error box and the "not sent" flag are checked too
    result = chat.page.evaluate(CONTRAST_JS)
    assert result["checked"] > 20
    assert result["failures"] == []
    # Non-text contrast (WCAG 1.4.11): the input's border against white.
    border = chat.input.evaluate("e => getComputedStyle(e).borderTopColor")
    assert border == "rgb(91, 104, 120)"  # #5b6878: 5.6:1 on white


def test_floating_mode_on_another_site(
    page: Page, base_url: str, web_settings: Settings, fake_rasa: FakeRasa, artifacts: Path
) -> None:
    """One script tag on a page of another origin, without data-target: a corner button."""
    html = f"""<!DOCTYPE html><html lang="en"><head><title>Any page</title></head>
    <body><p>Some other page.</p><button>Page button</button>
    <script src="{base_url}/static/curie-chat.js" data-rasa-url="{web_settings.rasa_url}" defer>
    </script></body></html>"""
    other = ServerThread(_single_page_app(html), free_port())
    other.start()
    fake_rasa.allowed_origins.add(other.url)  # as if listed in Rasa's --cors
    try:
        chat = ChatPage(page, base_url, retry_delay_ms=100)
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(other.url)
        launcher = page.get_by_role("button", name="Ask the assistant a question")
        expect(launcher).to_be_visible()
        expect(launcher).to_have_attribute("aria-expanded", "false")
        expect(chat.root).to_be_hidden()

        launcher.focus()
        page.keyboard.press("Enter")
        expect(chat.root).to_be_visible()
        expect(chat.input).to_be_focused()
        notice = chat.root.locator(".cc-notice")
        expect(notice).to_contain_text("call 15 or 112")  # language from <html lang="en">
        expect(notice.get_by_role("link", name="Data and privacy")).to_have_attribute(
            "href", f"{base_url}/en/privacy/"
        )
        expect(chat.root.get_by_role("button", name="Close the assistant")).to_have_text("×")
        reply = chat.ask("Hello")
        expect(reply).to_contain_text("Hello! I am the automated assistant")
        assert fake_rasa.requests[-1]["origin"] == other.url
        # Votes go only to our own page server (no CORS there): no vote buttons on another site.
        expect(chat.feedback).to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=artifacts / "floating-en-mobile.png")

        page.keyboard.press("Escape")
        expect(chat.root).to_be_hidden()
        expect(launcher).to_be_focused()
        chat.assert_no_page_errors()
    finally:
        fake_rasa.allowed_origins.discard(other.url)
        other.close()


def _single_page_app(html: str) -> web.Application:
    async def handle(request: web.Request) -> web.Response:
        # No charset on purpose: the widget must not depend on the host page's encoding.
        return web.Response(body=html.encode(), content_type="text/html")

    app = web.Application()
    app.router.add_get("/", handle)
    return app


@pytest.mark.parametrize(
    ("status", "reason", "lang", "shown"),
    [(429, "rate_limited", "fr", "patientez quelques secondes"), (503, "not_saved", "en", "cannot save our conversation"),
     (413, "too_long", "en", "too long")],
)
def test_the_assistants_own_refusals_are_shown_as_written(
    chat: ChatPage, fake_rasa: FakeRasa, status: int, reason: str, lang: str, shown: str
) -> None:
    from bot.service_messages import service_message

    chat.open(lang)
    fake_rasa.fail_status = status
    fake_rasa.fail_body = {"error": service_message(reason, lang), "reason": reason}
    chat.send("Hello")
    expect(chat.error).to_contain_text(shown)
    expect(chat.error).to_contain_text("112")
