"""A stand-in for Rasa's REST channel: canned replies by language, CORS like ``rasa --cors``.

Replies cover what the widget must render: plain text with links and emergency numbers,
quick-reply buttons, a ``trial_cards`` custom payload (with one unsafe URL), hostile HTML.
Like our REST channel (bot/channels.py), each reply carries ``reply_to``, the id of the
message it answers; after ``store_turns_in(url)``, each turn is also stored through Rasa's own SQL
tracker store, so the page server's feedback votes find the question and the answer.
"""
from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from aiohttp import web

from .servers import ServerThread

Message = dict[str, Any]

WEBHOOK = "/webhooks/rest/webhook"

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "greet": "Bonjour ! Je suis l'assistant automatisé du Centre d'immunothérapie. "
        "Que souhaitez-vous savoir ?",
        "trials_button": "Essais cliniques",
        "immuno_button": "L'immunothérapie, c'est quoi ?",
        "trials": "Voici deux essais fictifs, pour le test :",
        "immuno": "L'immunothérapie aide le système immunitaire à reconnaître les cellules "
        "cancéreuses.\nParlez-en avec votre équipe soignante.",
        "urgent": "En cas d'urgence, appelez le 15 ou le 112. Le 15 mars n'est pas un numéro. "
        "Plus d'informations : https://example.org/urgences. Pas ceci : javascript:alert(1)",
        "echo": "Vous avez écrit : ",
        "slow": "Réponse lente, mais réponse.",
    },
    "en": {
        "greet": "Hello! I am the automated assistant of the Immunotherapy Center. "
        "What would you like to know?",
        "trials_button": "Clinical trials",
        "immuno_button": "What is immunotherapy?",
        "trials": "Here are two made-up trials, for testing:",
        "immuno": "Immunotherapy helps the immune system recognise cancer cells.\n"
        "Talk to your care team about it.",
        "urgent": "In an emergency, call 15 or 112. Not a number: 15 minutes. "
        "More information: https://example.org/emergency. Not this: javascript:alert(1)",
        "echo": "You wrote: ",
        "slow": "A slow answer, but an answer.",
    },
}

HOSTILE = "<script>window.__pwned = true</script><b>bold?</b><img src=x onerror=alert(2)>"


def trial_cards(lang: str) -> dict[str, Any]:
    fake = "fictif" if lang == "fr" else "made-up"
    return {
        "type": "trial_cards",
        "cards": [
            {
                "id": "TEST-0001",
                "title": f"Essai {fake} A" if lang == "fr" else f"{fake.capitalize()} trial A",
                "phase": "II",
                "status": "Recrute" if lang == "fr" else "Recruiting",
                "where": "Paris",
                "url": "https://example.org/trials/TEST-0001",
            },
            {
                "id": "TEST-0002",
                "title": f"Essai {fake} B <img src=x onerror=alert(3)>",
                "phase": "I",
                "status": "Recrute" if lang == "fr" else "Recruiting",
                "where": "Paris",
                "url": "javascript:alert(4)",  # must not become a link
            },
        ],
    }


def canned_replies(message: str, lang: str) -> list[Message]:
    t = TEXTS["en" if lang == "en" else "fr"]
    lowered = message.lower()
    if message == "/ask_trials":
        return [{"text": t["trials"]}, {"custom": trial_cards(lang)}]
    if message == "/ask_immunotherapy":
        return [{"text": t["immuno"]}]
    if "<" in message:
        return [
            {"text": t["echo"] + message},
            {"text": HOSTILE},
            {"image": "javascript:alert(5)"},
        ]
    if "urgence" in lowered or "emergency" in lowered:
        return [{"text": t["urgent"]}]
    if "lent" in lowered or "slow" in lowered:
        return [{"text": t["slow"]}]
    return [
        {
            "text": t["greet"],
            "buttons": [
                {"title": t["trials_button"], "payload": "/ask_trials"},
                {"title": t["immuno_button"], "payload": "/ask_immunotherapy"},
            ],
        }
    ]


class FakeRasa:
    """Records every message it receives; ``stop()``/``start()`` play a Rasa outage."""

    def __init__(self, port: int) -> None:
        self.requests: list[Message] = []
        self.allowed_origins: set[str] = set()
        self.fail_status: int | None = None  # answer every message with this HTTP status
        self.fail_body: dict[str, Any] | None = None  # ... and this JSON body (Rasa's own refusals)
        self.slow_seconds = 1.5
        self._tracker_store: Any = None
        app = web.Application(middlewares=[self._cors])
        app.router.add_post(WEBHOOK, self._webhook)
        app.router.add_route("OPTIONS", WEBHOOK, self._preflight)
        self.server = ServerThread(app, port)
        self.server.start()

    @property
    def url(self) -> str:
        return self.server.url

    def reset(self) -> None:
        self.requests.clear()
        self.fail_status = None
        self.fail_body = None
        self.slow_seconds = 1.5
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def start(self) -> None:
        self.server.start()

    def close(self) -> None:
        self.server.close()

    @web.middleware
    async def _cors(self, request: web.Request, handler: Any) -> web.StreamResponse:
        response = await handler(request)
        origin = request.headers.get("Origin")
        # Like Sanic-CORS behind `rasa --cors`: other origins get no CORS headers at all,
        # so the browser refuses to hand them the answer.
        if origin in self.allowed_origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
        # One request per connection: stopping the site then really refuses the next send.
        response.force_close()
        return response

    async def _preflight(self, request: web.Request) -> web.Response:
        return web.Response(
            headers={
                "Access-Control-Allow-Methods": "POST, OPTIONS",
                "Access-Control-Allow-Headers": "content-type",
            }
        )

    async def _webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append({**body, "origin": request.headers.get("Origin")})
        if self.fail_status and self.fail_body is not None:
            return web.json_response(self.fail_body, status=self.fail_status)
        if self.fail_status:
            return web.Response(status=self.fail_status, text="unavailable")
        message = str(body.get("message", ""))
        lang = str((body.get("metadata") or {}).get("lang", "fr"))
        if "lent" in message.lower() or "slow" in message.lower():
            await asyncio.sleep(self.slow_seconds)
        sender = str(body.get("sender", ""))
        message_id = uuid.uuid4().hex
        replies = [
            {"recipient_id": sender, **reply, "reply_to": message_id}
            for reply in canned_replies(message, lang)
        ]
        if self._tracker_store is not None:
            await self._store_turn(sender, message_id, message, lang, replies)
        return web.json_response(replies)

    def store_turns_in(self, url: str) -> None:
        """Stores every turn from now on in ``url``, through Rasa's SQL tracker store (built
        here, not at the first message: loading Rasa takes seconds)."""
        from tests.stores.helpers import project_domain, tracker_store

        project_domain()
        self._tracker_store = tracker_store(url)

    async def _store_turn(
        self, sender: str, message_id: str, text: str, lang: str, replies: list[Message]
    ) -> None:
        """The turn as Rasa stores it: the user event (with its id), the language, the replies."""
        from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
        from rasa.shared.core.trackers import DialogueStateTracker

        from tests.stores.helpers import project_domain

        domain = project_domain()
        tracker = await self._tracker_store.retrieve(sender) or DialogueStateTracker(sender, domain.slots)
        now = time.time()
        intent = {"name": "faq", "confidence": 0.97}
        tracker.update(UserUttered(text, intent=intent, parse_data={"intent": intent, "text": text},
                                   message_id=message_id, timestamp=now, input_channel="rest"))
        tracker.update(SlotSet("language", "en" if lang == "en" else "fr", timestamp=now))
        tracker.update(ActionExecuted("utter_faq", timestamp=now))
        for reply in replies:
            data = {k: reply.get(k) for k in ("buttons", "image", "custom") if reply.get(k)}
            tracker.update(BotUttered(reply.get("text"), data=data, timestamp=now))
        tracker.update(ActionExecuted("action_listen", timestamp=now))
        await self._tracker_store.save(tracker)
