"""The console's HTTP API: sessions, roles, CSRF, lock-out, idle expiry, and the workflow."""
from __future__ import annotations

import time

from sqlalchemy import update
from sqlalchemy.engine import Engine

from bot.console import store
from bot.console.settings import ConsoleSettings, Project

from .conftest import PASSWORD, Client


def test_login_sets_a_hardened_session_cookie(client: Client) -> None:
    reply = client.login("eve")
    assert reply.status_code == 200
    cookie = reply.headers["Set-Cookie"]
    assert "curie_staff=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Path=/staff" in cookie
    me = client.get("/me").json()
    assert (me["name"], me["role"]) == ("eve", "editor")
    assert "review" not in me["permissions"]


def test_every_call_needs_a_session(client: Client) -> None:
    for path in ("/me", "/entries", "/reviews", "/audit", "/dashboard", "/inbox"):
        assert client.get(path).status_code == 401, path
    assert client.post("/publish").status_code == 401


def test_roles_are_checked_on_the_server(client: Client, server) -> None:
    client.login("eve")
    assert client.get("/audit").status_code == 403  # editors do not read the audit log
    assert client.post("/versions/1/approve", {"comment": ""}).status_code == 403
    assert client.post("/publish").status_code == 403
    reviewer = Client(server.url)
    reviewer.login("rita")
    entry = reviewer.get("/entries").json()["entries"][0]
    detail = reviewer.get(f"/entries/{entry['id']}").json()
    assert reviewer.post("/entries", {"entry": detail["live"], "submit": True}).status_code == 403


def test_changes_need_the_csrf_token(client: Client) -> None:
    client.login("eve")
    entry_id = client.get("/entries").json()["entries"][0]["id"]
    data = client.get(f"/entries/{entry_id}").json()["live"]
    data["answer"]["en"] += " Ask the care team."
    assert client.post("/entries", {"entry": data}, csrf=False).status_code == 403
    client.csrf = "forged"
    assert client.post("/entries", {"entry": data}).status_code == 403
    assert client.post("/logout", csrf=False).status_code == 403


def test_lock_out_after_repeated_failed_logins(client: Client, engine: Engine) -> None:
    for _ in range(3):  # lockout_attempts in the fixture
        assert client.login("eve", "wrong password!").status_code == 401
    reply = client.login("eve", PASSWORD)
    assert reply.status_code == 401 and "locked" in reply.json()["error"]
    assert client.login("nobody", PASSWORD).json()["error"] == "wrong name or password."
    with engine.begin() as conn:  # the lock-out period is over
        conn.execute(update(store.users).values(locked_until=time.time() - 1))
    assert client.login("eve", PASSWORD).status_code == 200
    actions = [line["action"] for line in __import__("bot.console.audit", fromlist=["lines"]).lines(engine)]
    assert actions.count("login_failed") == 4 and "login_refused" in actions and actions[0] == "login"


def test_an_idle_session_ends(client: Client, engine: Engine, console_settings: ConsoleSettings) -> None:
    client.login("eve")
    assert client.get("/me").status_code == 200
    idle = time.time() - console_settings.idle_minutes * 60 - 5
    with engine.begin() as conn:
        conn.execute(update(store.sessions).values(last_seen=idle))
    assert client.get("/me").status_code == 401
    assert client.login("eve").status_code == 200  # and a new login works


def test_logout_ends_the_session(client: Client) -> None:
    client.login("eve")
    assert client.post("/logout").status_code == 200
    assert client.get("/me").status_code == 401


def test_draft_review_and_audit_over_http(client: Client, server, project: Project) -> None:
    client.login("eve")
    entry_id = client.get("/entries").json()["entries"][0]["id"]
    data = client.get(f"/entries/{entry_id}").json()["live"]
    data["answer"]["fr"] = "Appelez le 01 44 32 40 00."
    problems = client.post("/entries/validate", {"entry": data}).json()["problems"]
    assert any("phone number" in p["message"] and p["fix"] for p in problems)
    assert client.post("/entries", {"entry": data, "submit": True}).status_code == 422
    data["answer"]["fr"] = "Demandez à votre équipe soignante ce qui est possible dans votre service."
    saved = client.post("/entries", {"entry": data, "submit": True})
    assert saved.status_code == 201, saved.text
    version_id = saved.json()["version"]["id"]
    reviews = client.get("/reviews").json()["versions"]
    assert [v["id"] for v in reviews] == [version_id]
    reviewer = Client(server.url)
    reviewer.login("rita")
    approved = reviewer.post(f"/versions/{version_id}/approve", {"comment": "ok"})
    assert approved.json()["status"] == "approved"
    admin = Client(server.url)
    admin.login("adam")
    log = admin.get("/audit?action=approved").json()["lines"]
    assert [(line["user"], line["target"]) for line in log] == [("rita", entry_id)]
    csv = admin.http.get(f"{server.url}/staff/api/audit.csv?user=eve", timeout=30)
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "at,user,action,target,detail"
    assert "submitted" in csv.text and "rita" not in csv.text


def test_pages_and_openapi(client: Client, server) -> None:
    assert client.http.get(f"{server.url}/staff/login", timeout=30).status_code == 200
    page = client.http.get(f"{server.url}/staff/", timeout=30)
    assert "Content-Security-Policy" in page.headers and "<script" in page.text
    doc = client.http.get(f"{server.url}/staff/api/openapi.json", timeout=30).json()
    assert doc["openapi"].startswith("3.") and "/staff/api/entries/{entry_id}" in doc["paths"]
