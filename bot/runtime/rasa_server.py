"""Rasa's own command line, with our fixes applied first: `python -m bot.runtime.rasa_server run ...`
(and the API token read from the environment, see TOKEN_VARIABLE).

- Speed: the action server's replies are validated with a validator built once (below).
- Framing: malformed Content-Length / Transfer-Encoding get a 400 before Sanic reads a body
  (``bot.http_guard``: ``Content-Length: -1`` froze Sanic 21.12 for good).
- Conversations: our tracker store (``bot.conversation_store``) is used as it is, without
  Rasa's ``FailSafeTrackerStore`` that silently carries on in memory when the database fails.

Rasa 3.6 checks every reply of the action server with ``jsonschema.validate``, which rebuilds
the validator and re-checks the (constant) schema against its meta-schema on each call: about
70 ms of every message here, more than half of the reply time. We build that validator once.
The schema, the validator class and the errors raised are Rasa's own, unchanged.
"""
from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import Any

from bot.settings import load_settings

# The HTTP API's token comes through the environment: a command-line argument would be
# readable by every user of the machine in the process list.
TOKEN_VARIABLE = "BOT_RASA_API_TOKEN"


@lru_cache(maxsize=1)
def action_response_validator() -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    from jsonschema import ValidationError
    from rasa.shared.constants import DOCS_BASE_URL

    try:
        action_response_validator().validate(result)
        return True
    except ValidationError as error:  # the same message as Rasa's
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise


def _create_tracker_store(store: Any, domain: Any) -> Any:
    """Rasa's ``Agent._create_tracker_store``, minus the in-memory fallback for our store."""
    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore

    from bot.conversation_store import SafeSQLTrackerStore

    if isinstance(store, SafeSQLTrackerStore):
        store.domain = domain
        return store
    if store is not None:
        store.domain = domain
        return FailSafeTrackerStore(store)
    return FailSafeTrackerStore(InMemoryTrackerStore(domain))


def apply_fixes() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import Agent

    from bot import http_guard

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Agent._create_tracker_store = staticmethod(_create_tracker_store)  # type: ignore[assignment]
    http_guard.install()


def main() -> None:
    from bot import channels  # imports Rasa's channels: not for the launcher (TOKEN_VARIABLE)

    channels.use_settings(load_settings())  # once per Rasa process: the REST channel's limits
    apply_fixes()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    token = os.environ.pop(TOKEN_VARIABLE, None)
    if token:
        sys.argv.append(f"--auth-token={token}")  # "=": a token may start with "-"
    rasa_main()


if __name__ == "__main__":
    main()
