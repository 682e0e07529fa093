"""The OpenAPI 3 document of the console's API, made from the route table (never by hand)."""
from __future__ import annotations

import re
from typing import Any

ERROR = {"type": "object", "properties": {"error": {"type": "string"}, "problems": {"type": "array"}}}


def document(routes: list[Any]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for item in routes:
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in re.findall(r"{(\w+)}", item.path)
        ] + [{"name": name, "in": "query", "required": False, "schema": {"type": "string"}} for name in item.query]
        operation: dict[str, Any] = {
            "summary": item.summary,
            "operationId": item.handler.__name__,
            "description": f"Needs the '{item.permission}' permission"
            + ("" if item.method == "GET" else " and the session's CSRF token in X-CSRF-Token") + ".",
            "parameters": parameters,
            "security": [{"session": []}],
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                "400": {"description": "Bad request", "content": {"application/json": {"schema": ERROR}}},
                "401": {"description": "No valid session", "content": {"application/json": {"schema": ERROR}}},
                "403": {"description": "Role or CSRF token refused", "content": {"application/json": {"schema": ERROR}}},
                "404": {"description": "Not found", "content": {"application/json": {"schema": ERROR}}},
                "409": {"description": "Not possible in the current state", "content": {"application/json": {"schema": ERROR}}},
            },
        }
        if item.body is not None:
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": item.body}}}
        if item.method == "POST":
            operation["responses"]["201"] = {"description": "Created"}
            operation["responses"]["202"] = {"description": "Accepted"}
            operation["responses"]["422"] = {"description": "Validation errors", "content": {"application/json": {"schema": ERROR}}}
        paths.setdefault("/staff/api" + item.path, {})[item.method.lower()] = operation
    paths["/staff/api/login"] = {"post": {
        "summary": "Log in (sets the session cookie)", "operationId": "login", "security": [],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["name", "password"],
            "properties": {"name": {"type": "string"}, "password": {"type": "string"}}}}}},
        "responses": {"200": {"description": "Logged in"}, "400": {"description": "Bad request"},
                      "401": {"description": "Wrong name or password, or account locked"}},
    }}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Institut Curie assistant: staff console API", "version": "1"},
        "components": {"securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "curie_staff"}}},
        "security": [{"session": []}],
        "paths": paths,
    }
