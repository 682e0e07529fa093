"""The console's aiohttp application, mounted at ``/staff/`` by the page server.

Every API route is declared once in ``ROUTES`` with the permission it needs; the same table
produces the OpenAPI document (``/staff/api/openapi.json``). The checks, in this order, for
every call: a live session (else 401), the role's permission (else 403), and for any change
the session's CSRF token in ``X-CSRF-Token`` (else 403).
"""
from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy.engine import Engine

from bot.console import audit, auth, dashboard, entries, inbox, preview, publish, store
from bot.console.openapi import document
from bot.console.settings import ConsoleSettings
from bot.console.store import open_store
from bot.limits import MAX_MESSAGE_CHARS
from bot.settings import Settings
from bot.text import DEFAULT_LANGUAGE, LANGUAGES

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
COOKIE = "curie_staff"
JSON_LIMIT = 256 * 1024

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Console:
    settings: Settings
    console: ConsoleSettings
    engine: Engine
    staging: preview.Staging
    publishing: asyncio.Lock


CONSOLE = web.AppKey("console", Console)


def _console(request: web.Request) -> Console:
    return request.config_dict[CONSOLE]


def _error(status: int, message: str, problems: list[dict[str, Any]] | None = None) -> web.Response:
    return web.json_response({"error": message, "problems": problems or []}, status=status)


async def _call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """The services block (database, files, validation): run them off the event loop."""
    return await asyncio.to_thread(functools.partial(function, *args, **kwargs))


async def _body(request: web.Request) -> dict[str, Any]:
    if request.content_length and request.content_length > JSON_LIMIT:
        raise entries.ConsoleError("the request is too large.", 413)
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise entries.ConsoleError("the request body must be JSON.") from None
    if not isinstance(body, dict):
        raise entries.ConsoleError("the request body must be a JSON object.")
    return body


def _text(body: dict[str, Any], key: str, default: str = "") -> str:
    value = body.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise entries.ConsoleError(f"'{key}' must be text.")
    return value


def _int(request: web.Request, key: str) -> int:
    try:
        return int(request.match_info[key])
    except ValueError:
        raise entries.ConsoleError(f"'{key}' must be a number.", 404) from None


# -- the routes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # under /staff/api
    handler: Callable[[web.Request, auth.Session], Awaitable[web.StreamResponse]]
    permission: str
    summary: str
    body: dict[str, Any] | None = None  # JSON schema of the request body
    query: tuple[str, ...] = ()


ROUTES: list[Route] = []


def route(method: str, path: str, permission: str, summary: str, body: dict[str, Any] | None = None,
          query: tuple[str, ...] = ()) -> Callable[[Any], Any]:
    def register(handler: Any) -> Any:
        ROUTES.append(Route(method, path, handler, permission, summary, body, query))
        return handler

    return register


def _guard(item: Route) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        app = _console(request)
        session = await _call(auth.session_for, app.engine, app.console, request.cookies.get(COOKIE))
        if session is None:
            return _error(401, "you are not logged in, or your session ended: log in again.")
        if not session.staff.can(item.permission):
            return _error(403, f"your role ({session.staff.role}) does not allow this.")
        if request.method != "GET" and not auth.csrf_ok(session, request.headers.get("X-CSRF-Token")):
            return _error(403, "the request has no valid CSRF token: reload the page and try again.")
        try:
            return await item.handler(request, session)
        except entries.ConsoleError as exc:
            return _error(exc.status, str(exc), exc.problems)
        except ValueError as exc:
            return _error(400, str(exc))

    return handle


def _entry_schema() -> dict[str, Any]:
    per_lang = {"type": "object", "properties": {"fr": {"type": "string"}, "en": {"type": "string"}}}
    lists = {"type": "object", "properties": {"fr": {"type": "array", "items": {"type": "string"}},
                                              "en": {"type": "array", "items": {"type": "string"}}}}
    return {
        "type": "object",
        "required": ["id", "topic"],
        "properties": {
            "id": {"type": "string"}, "topic": {"type": "string"}, "answer": per_lang, "examples": lists,
            "source": {"type": "object", "properties": {"document": per_lang, "date": per_lang}},
            "review_by": {"type": "string"}, "retired": {"type": "boolean"},
        },
    }


ENTRY = _entry_schema()
COMMENT = {"type": "object", "properties": {"comment": {"type": "string"}}}


@route("GET", "/me", "view", "The logged-in staff member, their permissions and CSRF token")
async def me(request: web.Request, session: auth.Session) -> web.Response:
    staff = session.staff
    return web.json_response({
        "name": staff.name, "role": staff.role, "csrf": session.csrf,
        "permissions": sorted(auth.PERMISSIONS[staff.role]), "idle_minutes": _console(request).console.idle_minutes,
    })


@route("POST", "/logout", "view", "End the session")
async def logout(request: web.Request, session: auth.Session) -> web.Response:
    await _call(auth.logout, _console(request).engine, session)
    response = web.json_response({"ok": True})
    response.del_cookie(COOKIE, path="/staff")
    return response


@route("GET", "/entries", "view", "Entries by topic with review status and due dates", query=("q",))
async def list_entries(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)
    rows = await _call(entries.list_entries, app.engine, app.console.project, request.query.get("q", ""))
    return web.json_response({"entries": rows})


@route("GET", "/entries/{entry_id}", "view", "One entry: live text, open version and history")
async def get_entry(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)
    detail = await _call(entries.entry_detail, app.engine, app.console.project, request.match_info["entry_id"])
    return web.json_response(detail)


@route("POST", "/entries/validate", "edit", "Problems `bot faq validate` would report for an entry",
       {"type": "object", "properties": {"entry": ENTRY, "full": {"type": "boolean"}}, "required": ["entry"]})
async def validate_entry(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)
    body = await _body(request)
    data = entries.clean_data(body.get("entry"))
    problems = await _call(entries.check, app.console.project, data, bool(body.get("full")))
    return web.json_response({"problems": problems})


@route("POST", "/entries", "edit", "Save a new version of an entry (draft, or submitted for review)",
       {"type": "object", "required": ["entry"], "properties": {
           "entry": ENTRY, "submit": {"type": "boolean"}, "note": {"type": "string"}, "inbox_item": {"type": "string"}}})
async def save_entry(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)
    body = await _body(request)
    item = _text(body, "inbox_item")
    if item:
        result = await _call(inbox.to_entry, app.engine, app.console.project, app.settings, session.staff,
                             item, body.get("entry"))
    else:
        result = await _call(entries.save, app.engine, app.console.project, session.staff, body.get("entry"),
                             bool(body.get("submit")), _text(body, "note"))
    return web.json_response(result, status=201)


@route("GET", "/reviews", "view", "Versions waiting for a medical sign-off, with their FR/EN diff")
async def reviews(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)

    def pending() -> list[dict[str, Any]]:
        found = entries.versions_with(app.engine, ("pending",))
        return [{**v.to_json(), "diff": entries.diff(app.console.project, v)} for v in found]

    return web.json_response({"versions": await _call(pending)})


@route("GET", "/versions/{version_id}/diff", "view", "FR/EN diff of a version against the live entry")
async def version_diff(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)
    version = await _call(entries.get_version, app.engine, _int(request, "version_id"))
    return web.json_response(await _call(entries.diff, app.console.project, version))


@route("POST", "/versions/{version_id}/submit", "edit", "Submit a draft for review")
async def submit(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)
    result = await _call(entries.submit_draft, app.engine, app.console.project, session.staff, _int(request, "version_id"))
    return web.json_response(result)


async def _review(request: web.Request, session: auth.Session, approve: bool) -> web.Response:
    app = _console(request)
    body = await _body(request)
    version = await _call(entries.review, app.engine, session.staff, _int(request, "version_id"), approve,
                          _text(body, "comment"))
    return web.json_response(version.to_json())


@route("POST", "/versions/{version_id}/approve", "review", "Approve a version (medical sign-off)", COMMENT)
async def approve(request: web.Request, session: auth.Session) -> web.Response:
    return await _review(request, session, approve=True)


@route("POST", "/versions/{version_id}/reject", "review", "Reject a version, with a comment", COMMENT)
async def reject(request: web.Request, session: auth.Session) -> web.Response:
    return await _review(request, session, approve=False)


@route("POST", "/versions/{version_id}/restore", "edit", "Make an older version the entry's next version (to review)")
async def restore(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)
    result = await _call(entries.restore, app.engine, app.console.project, session.staff, _int(request, "version_id"))
    return web.json_response(result, status=201)


@route("GET", "/preview", "preview", "State of the preview assistant (training progress)")
async def preview_state(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)
    approved = await _call(entries.versions_with, app.engine, ("approved",))
    return web.json_response({**app.staging.state.to_json(), "approved": [v.to_json() for v in approved]})


@route("POST", "/preview", "preview", "Train the preview assistant with the approved changes")
async def preview_start(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)
    approved = await _call(entries.versions_with, app.engine, ("approved",))
    if not approved:
        raise entries.ConsoleError("there is no approved change to preview.", 409)
    state = await _call(app.staging.start, approved)
    await _call(store.record, app.engine, session.staff.name, "preview_started", "", {"versions": state.version_ids})
    return web.json_response(state.to_json(), status=202)


@route("POST", "/preview/chat", "preview", "Ask the preview assistant a question",
       {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}, "lang": {"enum": list(LANGUAGES)}}})
async def preview_chat(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)
    body = await _body(request)
    text, lang = _text(body, "text").strip(), _text(body, "lang", DEFAULT_LANGUAGE)
    if not text or len(text) > MAX_MESSAGE_CHARS or lang not in LANGUAGES:
        raise entries.ConsoleError(f"write a question (at most {MAX_MESSAGE_CHARS} characters); lang is fr or en.")
    replies = await _call(app.staging.chat, f"staff-preview-{session.staff.name}", text, lang)
    return web.json_response({"replies": replies})


@route("GET", "/preview/compare", "preview", "Each changed entry's questions answered by live and preview")
async def preview_compare(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)

    def rows() -> list[dict[str, Any]]:
        staged = [entries.get_version(app.engine, i) for i in app.staging.state.version_ids]
        live = entries.live_data(app.console.project)
        return preview.compare(app.staging, live, staged, inbox.questions_near(app.settings))

    return web.json_response({"entries": await _call(rows)})


@route("POST", "/publish", "publish", "Put the previewed approved changes live (swaps the model)")
async def publish_now(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)
    async with app.publishing:
        result = await _call(publish.publish, app.engine, app.console.project, app.settings, app.staging, session.staff)
    return web.json_response(result)


@route("POST", "/rollback", "publish", "Go back to the files and model before the last publication")
async def rollback(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)
    async with app.publishing:
        result = await _call(publish.rollback, app.engine, app.console.project, app.settings, session.staff)
    return web.json_response(result)


@route("GET", "/publications", "view", "Every publication, newest first")
async def list_publications(request: web.Request, session: auth.Session) -> web.Response:
    return web.json_response({"publications": await _call(publish.publications, _console(request).engine)})


@route("GET", "/inbox", "inbox", "The inbox groups (masked) and the answers marked not helpful")
async def inbox_items(request: web.Request, session: auth.Session) -> web.Response:
    return web.json_response(await _call(inbox.items, _console(request).settings))


@route("POST", "/inbox/{item_id}/example", "inbox", "Make an inbox question an example of an entry (to review)",
       {"type": "object", "required": ["entry_id"], "properties": {
           "entry_id": {"type": "string"}, "lang": {"enum": list(LANGUAGES)}, "text": {"type": "string"}}})
async def inbox_example(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)
    body = await _body(request)
    result = await _call(inbox.to_example, app.engine, app.console.project, app.settings, session.staff,
                         request.match_info["item_id"], _text(body, "entry_id"), _text(body, "lang") or None,
                         _text(body, "text") or None)
    return web.json_response(result, status=201)


@route("POST", "/inbox/{item_id}/dismiss", "inbox", "Dismiss an inbox item")
async def inbox_dismiss(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)
    await _call(inbox.dismiss, app.engine, app.settings, session.staff, request.match_info["item_id"])
    return web.json_response({"ok": True})


@route("GET", "/dashboard", "view", "Figures and charts (SVG) of the last 30 days")
async def dashboard_view(request: web.Request, session: auth.Session) -> web.Response:
    app = _console(request)
    return web.json_response(await _call(dashboard.figures, app.settings, app.console.project))


@route("GET", "/audit", "audit", "The audit log, filtered", query=("user", "action", "since", "until"))
async def audit_view(request: web.Request, session: auth.Session) -> web.Response:
    q = request.query
    rows = await _call(audit.lines, _console(request).engine, q.get("user", ""), q.get("action", ""),
                       q.get("since", ""), q.get("until", ""))
    return web.json_response({"lines": rows})


@route("GET", "/audit.csv", "audit", "The audit log, filtered, as CSV", query=("user", "action", "since", "until"))
async def audit_csv(request: web.Request, session: auth.Session) -> web.Response:
    q = request.query
    rows = await _call(audit.lines, _console(request).engine, q.get("user", ""), q.get("action", ""),
                       q.get("since", ""), q.get("until", ""), 100_000)
    return web.Response(text=audit.as_csv(rows), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": 'attachment; filename="audit.csv"'})


@route("GET", "/users", "users", "Staff accounts")
async def users(request: web.Request, session: auth.Session) -> web.Response:
    return web.json_response({"users": await _call(auth.list_users, _console(request).engine)})


# -- login, pages, OpenAPI -------------------------------------------------------------------


async def login(request: web.Request) -> web.Response:
    app = _console(request)
    try:
        body = await _body(request)
        name, password = _text(body, "name"), _text(body, "password")
    except entries.ConsoleError as exc:
        return _error(400, str(exc))
    try:
        session = await _call(auth.login, app.engine, app.console, name[:80], password[:1000])
    except auth.AuthError as exc:
        return _error(401, str(exc))
    response = web.json_response({"name": session.staff.name, "role": session.staff.role, "csrf": session.csrf})
    response.set_cookie(COOKIE, session.token, path="/staff", httponly=True, samesite="Strict",
                        secure=app.console.secure_cookies or request.secure)
    return response


def _page(name: str) -> Handler:
    async def handle(request: web.Request) -> web.Response:
        text = (HERE / "templates" / name).read_text(encoding="utf-8")
        return web.Response(text=text, content_type="text/html", charset="utf-8")

    return handle


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(document(ROUTES))


def mount(app: web.Application, settings: Settings, console: ConsoleSettings) -> None:
    """Adds the console's routes under /staff/ to ``app`` (routes, not a sub-application:
    aiohttp 3.9's sub-app prefix check breaks on Host headers with a port under yarl 1.25)."""
    engine = open_store(console.database_url)
    staging = preview.Staging(console, settings)
    app[CONSOLE] = Console(settings, console, engine, staging, asyncio.Lock())
    app.router.add_get("/staff/", _page("console.html"))
    app.router.add_get("/staff/login", _page("login.html"))
    app.router.add_post("/staff/api/login", login)
    app.router.add_get("/staff/api/openapi.json", openapi)
    for item in ROUTES:
        app.router.add_route(item.method, "/staff/api" + item.path, _guard(item))
    app.router.add_static("/staff/static/", HERE / "static", append_version=False)

    async def stop_staging(_: web.Application) -> None:
        await _call(staging.stop_server)

    app.on_cleanup.append(stop_staging)
