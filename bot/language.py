"""Which language to answer in: the one place that decides it.

The ``language`` slot is set from, in order of precedence:
1. an explicit request in either language ("en français", "in English please");
2. the language of the message itself, when it is long enough to tell;
3. the web page's ``lang`` (message metadata), when it changed since the previous message
   (the person switched the page's language) or when nothing else is known yet;
4. otherwise the current language is kept; French is the default when nothing is known.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable

SUPPORTED = ("fr", "en")
DEFAULT = "fr"
OTHER = "other"

# Words that are frequent in one language and rare in the other: with the accents stripped
# by patients, these tell short French from short English better than character statistics.
_FR_CUES = frozenset(
    """je j tu il elle nous vous ils elles le la les l un une des du de et est c ce cet cette
    qu que qui quoi quel quelle quels quelles pour avec sur dans mon ma mes ton ta tes son sa
    ses notre votre leur pas ne n au aux y ou est-ce comment pourquoi combien bonjour bonsoir
    merci oui svp stp essai essais mere pere mari femme fille fils traitement medecin suis
    ai avez peux puis-je c'est j'ai qu'est-ce d'immunotherapie l'immunotherapie""".split()
)
_EN_CUES = frozenset(
    """i you he she we they the an is are was were what which who how why where when my your
    his her our their of for with in to do does did can could would should there this that
    it and please hello hi thanks thank yes trial trials treatment doctor mother father
    husband wife daughter son am have has i'm what's don't""".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
_NEGATION = re.compile(r"\b(don'?t|do not|can'?t|cannot|pas|ne|n'|never|jamais)\b[^.!?]*$", re.I)

_LANG_WORDS = {
    "fr": r"(?:french|fran[cç]ais|francais)",
    "en": r"(?:english|anglais|angalis|englsih)",
}
_ASK_VERBS = (
    r"(?:in|into|speak|talk|write|answer|reply|respond|switch(?:\s+to)?|change\s+to|continue\s+in|"
    r"en|parle[rsz]?|[ée]cri[stv]?e?z?|r[ée]pond(?:s|ez|re)?|continue[rz]?\s+en|passe[rz]?\s+en)"
)
_EXPLICIT = {
    lang: (
        re.compile(rf"\b{_ASK_VERBS}\s+(?:moi\s+|me\s+|with\s+me\s+|to\s+me\s+)?{words}\b", re.I),
        re.compile(
            rf"^\W*{words}\W*(?:please|pls|plz|svp|stp|s'il\s+(?:vous|te)\s+pla[iî]t)?\W*$", re.I
        ),
    )
    for lang, words in _LANG_WORDS.items()
}

# Below this many words, statistical identification is a coin toss: keep the current language.
MIN_WORDS_TO_DETECT = 4
MIN_CONFIDENCE = 0.95


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_code(value: object) -> str | None:
    """'fr-FR', 'FR', 'en_GB' -> 'fr' / 'en'; anything else -> None."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if code in SUPPORTED else None


def explicit_request(text: str) -> str | None:
    """The language the person explicitly asks for ("en anglais svp", "in French"), if any."""
    for lang, patterns in _EXPLICIT.items():
        for pattern in patterns:
            match = pattern.search(text)
            if match and not _NEGATION.search(text[: match.start()]):
                return lang
    return None


@functools.lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    # Loaded on first use (about 0.1 s); the model ships inside the py3langid wheel.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)


def _cue_counts(words: Iterable[str]) -> tuple[int, int]:
    fr = en = 0
    for word in words:
        fr += word in _FR_CUES
        en += word in _EN_CUES
    return fr, en


def _long_enough(words: list[str], text: str) -> bool:
    if len(words) >= MIN_WORDS_TO_DETECT:
        return True
    # Scripts written without spaces (Chinese, Japanese...) make one long "word".
    return not text.isascii() and len(words) < 3 and sum(map(len, words)) >= 8


def detect(text: str) -> str | None:
    """'fr', 'en', 'other' (another language), or None when the message is too short to tell."""
    words = _WORD.findall(_fold(text))
    if not words:
        return None
    fr, en = _cue_counts(words)
    if max(fr, en) >= 2 and abs(fr - en) >= 2:
        return "fr" if fr > en else "en"
    if not _long_enough(words, text):
        return None
    lang, confidence = _identifier().classify(text)
    if confidence < MIN_CONFIDENCE:
        return None
    if lang in SUPPORTED:
        return lang
    # A confident other language with no French or English function words at all.
    return OTHER if fr == en == 0 else None


def choose_language(
    text: str,
    current: str | None,
    page_language: object = None,
    previous_page_language: object = None,
) -> str:
    """The language to answer this message in (see the module docstring for the order)."""
    asked = explicit_request(text)
    if asked:
        return asked
    detected = detect(text)
    if detected in SUPPORTED:
        return detected  # type: ignore[return-value]
    page = normalize_code(page_language)
    if page and page != normalize_code(previous_page_language):
        return page
    return normalize_code(current) or page or DEFAULT
