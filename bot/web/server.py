"""The chat page server: FR/EN pages, the privacy notice, the widget files, a health check,
and the widget's answer votes (``POST /api/feedback``, bot/web/feedback.py).

Pages are plain HTML fragments in ``templates/`` filled with :class:`string.Template`; every
value put into them is HTML-escaped here, so the fragments are the only markup. Nothing is
fetched from elsewhere at run time (no CDN, no web fonts), and the server adds no CORS
headers: the widget talks to Rasa directly, and Rasa's ``--cors`` decides which page
origins it answers.
"""
from __future__ import annotations

import hashlib
import html
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from string import Template

from aiohttp import web

from bot.console.settings import ConsoleSettings, load_console_settings
from bot.settings import Settings
from bot.text import LANGUAGES
from bot.web.feedback import add_routes as add_feedback_routes

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATES_DIR = WEB_DIR / "templates"

LANGS = LANGUAGES

# The two pages of each language; the privacy slug is localized because people read URLs.
PATHS: dict[str, dict[str, str]] = {
    "fr": {"home": "/fr/", "privacy": "/fr/confidentialite/"},
    "en": {"home": "/en/", "privacy": "/en/privacy/"},
}

# Page chrome, per language (the page bodies are in templates/).
CHROME: dict[str, dict[str, str]] = {
    "fr": {
        "site_name": "Institut Curie · Centre d'immunothérapie des cancers",
        "home_title": "Centre d'immunothérapie des cancers – Institut Curie",
        "privacy_title": "Données et confidentialité de l'assistant – Institut Curie",
        "description": "Présentation du Centre d'immunothérapie des cancers de l'Institut "
        "Curie et assistant automatisé d'information.",
        "skip": "Aller au contenu",
        "nav_label": "Langue",
        "privacy_link": "Données et confidentialité",
        "home_link": "Accueil",
        "footer_note": "Assistant automatisé d'information. En cas d'urgence médicale, "
        "appelez le 15 ou le 112.",
    },
    "en": {
        "site_name": "Institut Curie · Cancer Immunotherapy Center",
        "home_title": "Cancer Immunotherapy Center – Institut Curie",
        "privacy_title": "Assistant data and privacy – Institut Curie",
        "description": "About the Institut Curie Cancer Immunotherapy Center, with an "
        "automated information assistant.",
        "skip": "Skip to content",
        "nav_label": "Language",
        "privacy_link": "Data and privacy",
        "home_link": "Home",
        "footer_note": "Automated information assistant. In a medical emergency, call 15 or 112.",
    },
}
LANG_NAMES = {"fr": "Français", "en": "English"}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# Static text files get an explicit charset: a page that embeds the widget may declare
# none, and the browser would then read our UTF-8 French strings as windows-1252.
STATIC_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
}


def _static_version() -> str:
    """A short hash of the widget files, appended as ``?v=`` so browsers drop stale copies."""
    digest = hashlib.sha256()
    for path in sorted(STATIC_DIR.glob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _template(name: str) -> Template:
    return Template((TEMPLATES_DIR / name).read_text(encoding="utf-8"))


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def content_security_policy(settings: Settings) -> str:
    """Only our own scripts and styles; the page may talk to itself and to Rasa, nothing else.

    Rasa is reached at ``settings.chat_api_url``: the page's own public origin behind nginx or
    the hospital's proxy (PUBLIC_BASE_URL), Rasa's port otherwise. Images may come from
    http(s) because Rasa responses can carry an ``image`` URL.
    """
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: https: http:",
            f"connect-src 'self' {settings.chat_api_url}",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class Pages:
    """Renders the pages once at start-up: they depend only on the settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.version = _static_version()
        layout = _template("layout.html")
        self.rendered: dict[str, str] = {}
        for lang in LANGS:
            for kind in ("home", "privacy"):
                self.rendered[PATHS[lang][kind]] = self._render(layout, lang, kind)

    def _widget_tag(self, lang: str) -> str:
        attrs = {
            "src": f"/static/curie-chat.js?v={self.version}",
            "data-rasa-url": self.settings.chat_api_url,
            "data-lang": lang,
            "data-target": "curie-chat",
            "data-privacy-url": PATHS[lang]["privacy"],
        }
        rendered = " ".join(f'{key}="{_esc(value)}"' for key, value in attrs.items())
        return f"<script {rendered} defer></script>"

    def _render(self, layout: Template, lang: str, kind: str) -> str:
        other = "en" if lang == "fr" else "fr"
        chrome = CHROME[lang]
        body = _template(f"{kind}.{lang}.html").substitute(
            retention_days=_esc(self.settings.retention_days),
            privacy_url=_esc(PATHS[lang]["privacy"]),
            home_url=_esc(PATHS[lang]["home"]),
        )
        widget = self._widget_tag(lang) if kind == "home" else ""
        return layout.substitute(
            lang=lang,
            title=_esc(chrome[f"{kind}_title"]),
            description=_esc(chrome["description"]),
            version=_esc(self.version),
            alternate_lang=other,
            alternate_href=_esc(PATHS[other][kind]),
            alternate_name=_esc(LANG_NAMES[other]),
            current_name=_esc(LANG_NAMES[lang]),
            site_name=_esc(chrome["site_name"]),
            skip=_esc(chrome["skip"]),
            nav_label=_esc(chrome["nav_label"]),
            home_url=_esc(PATHS[lang]["home"]),
            home_link=_esc(chrome["home_link"]),
            privacy_url=_esc(PATHS[lang]["privacy"]),
            privacy_link=_esc(chrome["privacy_link"]),
            footer_note=_esc(chrome["footer_note"]),
            body=body,
            widget=widget,
        )

    def handler(self, path: str) -> Handler:
        page = self.rendered[path]

        async def handle(request: web.Request) -> web.Response:
            return web.Response(text=page, content_type="text/html", charset="utf-8")

        return handle


def _redirect(location: str) -> Handler:
    async def handle(request: web.Request) -> web.Response:
        raise web.HTTPFound(location)

    return handle


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def _security_headers(settings: Settings) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    csp = content_security_policy(settings)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # redirects and 404s get the same headers
            response = exc
        if isinstance(response, web.FileResponse):
            content_type = STATIC_TYPES.get(Path(request.path).suffix)
            if content_type:
                response.headers["Content-Type"] = content_type
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        # Conversation pages must not leak their URL to the sites that links open.
        response.headers["Referrer-Policy"] = "no-referrer"
        # Revalidate every time: a stale widget next to a new Rasa contract is worse than a 304.
        response.headers.setdefault("Cache-Control", "no-cache")
        if isinstance(response, web.HTTPException):
            raise response
        return response

    return middleware


def create_app(settings: Settings, console: ConsoleSettings | None = None) -> web.Application:
    """The page server's application (no CORS headers: see the module docstring), with the
    staff console (``console``, read from the environment when not given)."""
    app = web.Application(middlewares=[_security_headers(settings)])
    pages = Pages(settings)
    app.router.add_get("/", _redirect(PATHS["fr"]["home"]))
    for lang in LANGS:
        for path in PATHS[lang].values():
            app.router.add_get(path, pages.handler(path))
            app.router.add_get(path.rstrip("/"), _redirect(path))
    app.router.add_get("/healthz", healthz)
    add_feedback_routes(app, settings)
    app.router.add_static("/static/", STATIC_DIR, append_version=False)
    _mount_console(app, settings, console or load_console_settings())
    return app


def _mount_console(app: web.Application, settings: Settings, console: ConsoleSettings) -> None:
    """The staff console at /staff/ (STAFF_CONSOLE=false leaves it out of this server)."""
    from bot.console.web import mount

    if console.enabled:
        app.router.add_get("/staff", _redirect("/staff/"))
        mount(app, settings, console)


def run(settings: Settings) -> None:
    """Serves until Ctrl-C or SIGTERM (both end cleanly, without a traceback)."""
    url = f"http://{settings.host}:{settings.web_port}"

    def announce(*_: object) -> None:
        log.info("chat page on %s/fr/ and %s/en/ (Rasa expected at %s)", url, url, settings.chat_api_url)

    web.run_app(
        create_app(settings),
        host=settings.host,
        port=settings.web_port,
        print=announce,
        # Browsers keep connections alive; don't make Ctrl-C wait a minute for them.
        shutdown_timeout=2.0,
    )
