"""The clinical-trial store: import registry records, search them, present them in FR/EN.

What custom actions use (all importable from ``bot.trials``)::

    query = parse_trial_request(text, entities)                # TrialQuery, pure
    result = await search_trials(query, page=0, page_size=5)   # SearchResult (plain dataclasses)
    nct = resolve_trial_reference(text, entities, result.ids)  # "the second one" -> "NCT..."
    trial = await get_trial(nct)                               # TrialDetail | None
    present.cards(result, lang, query) / present.trial_details(trial, lang) / ...
    except TrialStoreUnavailable: present.unavailable(lang)

Start-up calls ``ensure_ready()`` (migrate, then seed the bundled records into an empty store).
Nothing here opens a database at import time; names are loaded on first use.
"""
from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "TrialQuery": "bot.trials.query",
    "parse_trial_request": "bot.trials.understand",
    "resolve_trial_reference": "bot.trials.understand",
    "asked_aspect": "bot.trials.understand",
    "NCT_IN_TEXT": "bot.trials.understand",
    "search_trials": "bot.trials.service",
    "get_trial": "bot.trials.service",
    "TrialStoreUnavailable": "bot.trials.service",
    "SearchResult": "bot.trials.views",
    "TrialSummary": "bot.trials.views",
    "TrialDetail": "bot.trials.views",
    "ensure_ready": "bot.trials.seed",
    "upgrade": "bot.trials.migrate",
    "session_scope": "bot.trials.db",
    "import_paths": "bot.trials.importer",
    "ImportReport": "bot.trials.importer",
    "present": "bot.trials.present",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'bot.trials' has no attribute {name!r}")
    module = importlib.import_module(module_name)
    return module if name == "present" else getattr(module, name)
