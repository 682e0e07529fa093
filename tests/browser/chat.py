"""A page object for the chat widget, shared by the tests against the fake and the real Rasa."""
from __future__ import annotations

import json

from playwright.sync_api import ConsoleMessage, Dialog, Locator, Page, expect


class ChatPage:
    """Drives one widget on one page and watches for dialogs and script errors."""

    def __init__(self, page: Page, base_url: str, retry_delay_ms: int | None = None) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.dialogs: list[str] = []
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        page.on("dialog", self._on_dialog)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("console", self._on_console)
        if retry_delay_ms is not None:
            # Same retry logic, shorter waits: the widget reads this before its data-attributes.
            config = json.dumps({"retryDelayMs": retry_delay_ms})
            page.add_init_script(f"window.CurieChatConfig = {config};")

    def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    # --- navigation

    def open(self, lang: str = "fr") -> None:
        self.page.goto(f"{self.base_url}/{lang}/")
        expect(self.root).to_be_visible()

    # --- parts of the widget

    @property
    def root(self) -> Locator:
        return self.page.locator("[data-curie-chat]")

    @property
    def input(self) -> Locator:
        return self.root.locator("input.cc-input")

    @property
    def log(self) -> Locator:
        return self.root.locator(".cc-log")

    @property
    def bot_texts(self) -> Locator:
        return self.root.locator(".cc-msg--bot .cc-text")

    @property
    def user_texts(self) -> Locator:
        return self.root.locator(".cc-msg--user .cc-text")

    @property
    def quick_replies(self) -> Locator:
        return self.root.locator(".cc-quick-btn")

    @property
    def feedback(self) -> Locator:
        """The "was this answer helpful?" groups, one per answer."""
        return self.root.locator(".cc-feedback")

    @property
    def error(self) -> Locator:
        return self.root.locator(".cc-error")

    @property
    def status(self) -> Locator:
        return self.root.locator(".cc-status")

    # --- actions

    def send(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def ask(self, text: str, replies_before: int | None = None) -> Locator:
        """Sends ``text`` and waits until at least one new bot text arrives; returns the newest."""
        before = self.bot_texts.count() if replies_before is None else replies_before
        self.send(text)
        expect(self.bot_texts.nth(before)).to_be_visible()
        return self.bot_texts.nth(before)

    def assert_no_page_errors(self) -> None:
        assert self.page_errors == [], f"uncaught script errors: {self.page_errors}"
        assert self.dialogs == [], f"unexpected dialogs: {self.dialogs}"
