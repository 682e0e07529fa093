"""What the REST channel says itself, in the conversation's language, when it cannot pass a
message to the assistant: too long, too many messages, the conversation cannot be saved.

Sent as ``{"error": text, "reason": key}`` with a 4xx/5xx status; the chat widget shows ``error``.
Every one of them ends with the emergency numbers: the message we refuse could be about symptoms.
"""
from __future__ import annotations

from bot.language import DEFAULT, normalize_code
from bot.limits import MAX_MESSAGE_CHARS

_URGENT = {
    "fr": "En cas de symptômes inquiétants, appelez le 15 ou le 112.",
    "en": "If you have worrying symptoms, call 15 or 112.",
}

MESSAGES: dict[str, dict[str, str]] = {
    "too_long": {
        "fr": f"Votre message est trop long (plus de {MAX_MESSAGE_CHARS} caractères) : pouvez-vous "
        "poser votre question en une ou deux phrases ?",
        "en": f"Your message is too long (over {MAX_MESSAGE_CHARS} characters): could you ask your "
        "question in one or two sentences?",
    },
    "rate_limited": {
        "fr": "Vous envoyez beaucoup de messages à la suite : patientez quelques secondes avant le "
        "suivant, s'il vous plaît.",
        "en": "You are sending many messages in a row: please wait a few seconds before the next one.",
    },
    "not_saved": {
        "fr": "Je ne peux pas enregistrer notre conversation pour le moment, donc je ne réponds pas "
        "à ce message (je l'oublierais). Réessayez dans quelques minutes.",
        "en": "I cannot save our conversation right now, so I am not answering this message (I would "
        "forget it). Please try again in a few minutes.",
    },
}


def service_message(key: str, language: object) -> str:
    lang = normalize_code(language) or DEFAULT
    return f"{MESSAGES[key][lang]} {_URGENT[lang]}"
