"""The console in Debian's Chromium: keyboard-only use and labels, and the whole flow from
an editor's change to patients getting the new answer in both languages, then a rollback."""
from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright

from bot.console.auth import add_user
from bot.console.settings import ConsoleSettings
from bot.console.store import open_store
from bot.runtime.launcher import free_port
from bot.settings import PROJECT_ROOT
from bot.web.server import create_app
from tests.browser.chat import ChatPage
from tests.browser.servers import ServerThread, launch_chromium
from tests.conftest import Assistant

from .conftest import PASSWORD, copy_project

pytestmark = [pytest.mark.browser]
# Saving runs the whole validation (similarity, languages): seconds on a busy machine.
expect.set_options(timeout=60_000)
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "console"
ENTRY = "what_is_immunotherapy"
NEW = {
    "fr": "L'immunothérapie est un traitement qui aide le système immunitaire à reconnaître et à "
          "attaquer les cellules cancéreuses. Votre équipe soignante vous dira si elle peut vous concerner.",
    "en": "Immunotherapy is a treatment that helps the immune system recognise and attack cancer "
          "cells. Your care team can tell you whether it may apply to you.",
}
MARK = {"fr": "Votre équipe soignante vous dira si elle peut vous concerner", "en": "Your care team can tell you whether it may apply to you"}
QUESTION = {"fr": "c'est quoi l'immunotherapie", "en": "what is immunotherapy"}


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        context = launch_chromium(playwright, tmp_path_factory.mktemp("chromium"),
                                  viewport={"width": 1280, "height": 900})
        yield context
        context.close()


def new_page(browser: BrowserContext) -> Page:
    page = browser.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


def log_in(page: Page, base: str, name: str) -> None:
    """With the keyboard only: Tab between fields, Enter to send."""
    page.context.clear_cookies()
    page.goto(f"{base}/staff/login")
    page.keyboard.press("Tab")
    expect(page.locator("#login-name")).to_be_focused()
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#who")).to_contain_text(name)


def unlabelled(page: Page) -> list[str]:
    """Form controls without an accessible name (WCAG 1.3.1 / 4.1.2)."""
    return page.evaluate("""() => [...document.querySelectorAll('input, textarea, select, button')]
        .filter((el) => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                 && !(el.tagName === 'BUTTON' && el.textContent.trim()))
        .map((el) => el.outerHTML.slice(0, 120))""")


def console_server(tmp_path: Path, settings, console: ConsoleSettings) -> ServerThread:  # type: ignore[no-untyped-def]
    thread = ServerThread(create_app(settings, console), settings.web_port)
    thread.start()
    return thread


# -- keyboard and labels (no model needed) ------------------------------------------------------


def test_keyboard_only_use_and_labels(browser: BrowserContext, server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = new_page(browser)
    log_in(page, server.url, "adam")
    # The skip link comes first, then the sections: all reachable with Tab, focus visible.
    page.goto(f"{server.url}/staff/#/entries")
    expect(page.locator("h1")).to_have_text("Entries")
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Entries")).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Reviews, by keyboard
    expect(page.locator("h1")).to_have_text("Reviews")
    for view, title in [("entries", "Entries"), (f"entry/{ENTRY}", f"Entry {ENTRY}"), ("new", "New entry"),
                        ("reviews", "Reviews"), ("preview", "Preview & publish"), ("inbox", "Inbox"),
                        ("dashboard", "Dashboard"), ("audit", "Audit log"), ("users", "Users")]:
        page.goto(f"{server.url}/staff/#/{view}")
        expect(page.locator("h1")).to_have_text(title)
        page.wait_for_load_state("networkidle")
        expect(page.locator("main")).not_to_contain_text("Loading")
        assert unlabelled(page) == [], view
        assert page.evaluate("document.documentElement.lang") == "en"
        page.screenshot(path=ARTIFACTS / f"{view.replace('/', '-')}.png", full_page=True)
    # The editor form by keyboard: type in the French answer, the check runs as one types.
    page.goto(f"{server.url}/staff/#/entry/{ENTRY}")
    page.locator("#f-answer-en").focus()
    page.keyboard.press("End")
    page.keyboard.type(" Call 01 44 32 40 00.")
    expect(page.locator("#problems")).to_contain_text("phone number", timeout=60_000)
    expect(page.locator("#problems")).to_contain_text("Fix: remove the number")
    page.screenshot(path=ARTIFACTS / "entry-with-error.png", full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]


def test_login_page_says_wrong_password_then_locked_and_an_ended_session_goes_to_login(
    browser: BrowserContext, server, engine  # type: ignore[no-untyped-def]
) -> None:
    page = new_page(browser)
    page.context.clear_cookies()
    page.goto(f"{server.url}/staff/")
    expect(page).to_have_url(f"{server.url}/staff/login")  # no session: the login page
    for _ in range(3):  # lockout_attempts of the fixture
        page.locator("#login-name").fill("eve")
        page.locator("#login-password").fill("not the password")
        page.locator("#login-password").press("Enter")
        expect(page.locator("#login-error")).to_have_text("wrong name or password.")
        page.locator("#login-error").evaluate("el => { el.textContent = ''; }")
    page.locator("#login-password").fill(PASSWORD)
    page.locator("#login-password").press("Enter")
    expect(page.locator("#login-error")).to_contain_text("locked for 15 more minute(s)")
    page.screenshot(path=ARTIFACTS / "login-locked.png")
    # A session that ended (idle) sends the next action back to the login page.
    log_in(page, server.url, "rita")
    from sqlalchemy import delete

    from bot.console import store

    with engine.begin() as conn:
        conn.execute(delete(store.sessions))
    page.get_by_role("link", name="Reviews").click()
    expect(page).to_have_url(f"{server.url}/staff/login")


# -- the whole flow, with the trained model -------------------------------------------------------


@pytest.mark.slow
@pytest.mark.model
def test_from_an_edit_to_patients_and_back(
    browser: BrowserContext, assistant: Assistant, trained_model: Path, tmp_path: Path
) -> None:
    project = copy_project(tmp_path / "project")
    shutil.copy2(trained_model, project.models_dir / trained_model.name)  # what the live assistant runs
    console = ConsoleSettings(database_url=f"sqlite:///{tmp_path / 'staff.db'}", staging_dir=tmp_path / "staging",
                              project=project)
    engine = open_store(console.database_url)
    add_user(engine, "eve", "editor", PASSWORD)
    add_user(engine, "rita", "reviewer", PASSWORD)
    settings = replace(assistant.settings, web_port=free_port())
    server = console_server(tmp_path, settings, console)
    old = {lang: assistant.text(QUESTION[lang], lang=lang) for lang in ("fr", "en")}
    assert MARK["fr"] not in old["fr"] and "système immunitaire" in old["fr"]
    try:
        editor = new_page(browser)
        log_in(editor, server.url, "eve")
        editor.goto(f"{server.url}/staff/#/entry/{ENTRY}")
        editor.locator("#f-answer-fr").fill(NEW["fr"])
        editor.locator("#f-answer-en").fill(NEW["en"] + " Or call 01 44 32 40 00.")
        editor.get_by_role("button", name="Submit for review").click()
        expect(editor.locator("#save-message")).to_contain_text("the entry has errors")
        expect(editor.locator("#problems")).to_contain_text("phone number")
        expect(editor.locator("#problems")).to_contain_text("Fix: remove the number")
        editor.locator("#f-answer-en").fill(NEW["en"])
        expect(editor.locator("#problems")).not_to_contain_text("phone number", timeout=60_000)
        editor.get_by_role("button", name="Submit for review").click()
        expect(editor.locator("#status")).to_contain_text("Submitted for review", timeout=60_000)
        editor.screenshot(path=ARTIFACTS / "flow-1-submitted.png", full_page=True)

        # The same editor cannot approve: no button, and the server refuses the call.
        editor.goto(f"{server.url}/staff/#/reviews")
        expect(editor.locator("article")).to_contain_text(ENTRY)
        expect(editor.get_by_role("button", name="Approve")).to_have_count(0)
        refused = editor.evaluate("""async () => {
            const me = await (await fetch('/staff/api/me')).json();
            const pending = await (await fetch('/staff/api/reviews')).json();
            const r = await fetch(`/staff/api/versions/${pending.versions[0].id}/approve`, {method: 'POST',
                headers: {'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf}, body: '{}'});
            return r.status; }""")
        assert refused == 403

        reviewer = new_page(browser)
        log_in(reviewer, server.url, "rita")
        reviewer.goto(f"{server.url}/staff/#/reviews")
        expect(reviewer.locator("ins").first).to_be_visible()
        expect(reviewer.locator("article")).to_contain_text(MARK["en"])
        reviewer.screenshot(path=ARTIFACTS / "flow-2-review.png", full_page=True)
        reviewer.get_by_role("button", name="Approve").click()
        expect(reviewer.locator("#status")).to_contain_text("approved")

        # Preview: a staging model trained in the background, with its own chat box.
        reviewer.goto(f"{server.url}/staff/#/preview")
        reviewer.get_by_role("button", name="Preview the approved changes").click()
        expect(reviewer.locator("#train-progress")).to_be_visible()
        reviewer.screenshot(path=ARTIFACTS / "flow-3-training.png", full_page=True)
        expect(reviewer.get_by_role("button", name="Publish to patients")).to_be_visible(timeout=900_000)
        for lang in ("fr", "en"):
            reviewer.locator("#preview-lang").select_option(lang)
            reviewer.locator("#preview-text").fill(QUESTION[lang])
            reviewer.locator("#preview-text").press("Enter")
            expect(reviewer.locator("#preview-log .bot").last).to_contain_text(MARK[lang], timeout=60_000)
        # ...while patients still get the old answer.
        for lang in ("fr", "en"):
            assert MARK[lang] not in assistant.text(QUESTION[lang], lang=lang)
        reviewer.get_by_role("button", name="Compare live and preview answers").click()
        expect(reviewer.locator("table").first).to_contain_text(MARK["fr"], timeout=120_000)
        reviewer.screenshot(path=ARTIFACTS / "flow-4-preview.png", full_page=True)

        reviewer.get_by_role("button", name="Publish to patients").click()
        expect(reviewer.locator("#status")).to_contain_text("Published", timeout=300_000)

        # The public chat page answers with the new text, in both languages.
        public = new_page(browser)
        chat = ChatPage(public, assistant.settings.web_url)
        for lang in ("fr", "en"):
            chat.open(lang)
            expect(chat.ask(QUESTION[lang])).to_contain_text(MARK[lang], timeout=60_000)
        public.screenshot(path=ARTIFACTS / "flow-5-public-en.png", full_page=True)

        reviewer.get_by_role("button", name="Roll back the last publication").click()
        expect(reviewer.locator("#status")).to_contain_text("Rolled back", timeout=300_000)
        for lang in ("fr", "en"):
            assert MARK[lang] not in assistant.text(QUESTION[lang], lang=lang)
        assert "système immunitaire" in assistant.text(QUESTION["fr"], lang="fr")

        # The whole history is visible.
        reviewer.goto(f"{server.url}/staff/#/entry/{ENTRY}")
        history = reviewer.locator("table")
        expect(history).to_contain_text("Rolled back")
        expect(history).to_contain_text("rita")
        reviewer.screenshot(path=ARTIFACTS / "flow-6-history.png", full_page=True)
        assert editor.errors == [] and reviewer.errors == []  # type: ignore[attr-defined]
        actions = [json.loads(json.dumps(a)) for a in _actions(engine)]
        for wanted in ("login", "submitted", "approved", "preview_started", "published", "rolled_back"):
            assert wanted in actions, wanted
    finally:
        server.close()  # also stops the preview assistant
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            break


def _actions(engine) -> list[str]:  # type: ignore[no-untyped-def]
    from bot.console.audit import lines

    return [line["action"] for line in lines(engine)]
