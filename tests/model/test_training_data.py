"""Cross-checks of the training data, before any model is involved."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

from bot.faq.generate import build
from bot.runtime.model import rasa_env, rasa_executable
from bot.settings import CONFIG_FILE, DATA_DIRS, DOMAIN_DIR, PROJECT_ROOT

HELDOUT = sorted((PROJECT_ROOT / "tests" / "nlu").glob("heldout_*.yml"))
# Responses that only custom actions send (Rasa can't see that), a warning Rasa 3.6 emits
# for every retrieval intent declared in the domain, and the intents that only RuleOverrides
# sets (bot/nlu/overrides.py: never predicted, so no examples): the known, harmless warnings.
EXPECTED_WARNINGS = [
    r"The intent '(dont_know|faq_serious_symptom|medical_advice_general)' is listed in the domain file, "
    r"but is not found in the NLU training data",
    r"The utterance '(utter_fallback|utter_fallback_handoff|utter_unsupported_language|utter_message_too_long|utter_out_of_scope)' is not used",
    r"duplicated intents have been found across multiple domain files: faq",
]


def test_generated_faq_files_are_up_to_date() -> None:
    result = build(check_only=True)
    stale = [str(p.relative_to(PROJECT_ROOT)) for p in result.written + result.removed]
    assert not stale, f"run `bot faq build`: {stale}"


def test_rasa_data_validate_finds_no_unexpected_problem() -> None:
    completed = subprocess.run(
        [rasa_executable(), "data", "validate", "--config", str(CONFIG_FILE), "--domain", str(DOMAIN_DIR),
         "--data", *map(str, DATA_DIRS)],
        cwd=PROJECT_ROOT, env=rasa_env(), capture_output=True, text=True, timeout=300,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    warnings = [line for line in output.splitlines() if "UserWarning" in line]
    unexpected = [w for w in warnings if not any(re.search(p, w) for p in EXPECTED_WARNINGS)]
    assert not unexpected, "\n".join(unexpected)


def _examples(paths: list[Path]) -> set[str]:
    texts: set[str] = set()
    for path in paths:
        texts |= {" ".join(m.get("text").lower().split()) for m in load_data(str(path)).training_examples}
    return texts


def test_heldout_sets_do_not_overlap_training_data() -> None:
    training = _examples(sorted((PROJECT_ROOT / "nlu_data").rglob("*.yml")))
    overlap = _examples(HELDOUT) & training
    assert not overlap, f"held-out examples also in training data: {sorted(overlap)}"


def test_every_intent_has_examples_in_both_languages() -> None:
    from bot.language import detect

    data = load_data(str(PROJECT_ROOT / "nlu_data"))
    by_intent: dict[str, set[str]] = {}
    for message in data.training_examples:
        intent = message.get("intent")
        full = f"{intent}/{message.get('response_key')}" if message.get("response_key") else intent
        lang = detect(message.get("text"))
        if lang in ("fr", "en"):
            by_intent.setdefault(full, set()).add(lang)
    missing = {intent: langs for intent, langs in by_intent.items() if langs != {"fr", "en"}}
    assert not missing, f"intents without recognisable examples in both languages: {missing}"
