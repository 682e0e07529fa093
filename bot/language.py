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
import unicodedata
from collections.abc import Iterable

from bot.text import DEFAULT_LANGUAGE, LANGUAGES, fold

DEFAULT = DEFAULT_LANGUAGE
OTHER = "other"
# Other languages recognised as such (the reply says which languages we answer in).
OTHERS_KNOWN = ("es", "de", "it", "pt", "nl", "ro", "pl", "tr")

# Words that are frequent in one language and rare in the other: with the accents stripped
# by patients, these tell short French from short English better than character statistics.
_FR_CUES = frozenset(
    """je j tu il elle nous vous ils elles le la les l un une des du de et est c ce cet cette
    qu que qui quoi quel quelle quels quelles pour avec sur dans mon ma mes ton ta tes son sa
    ses notre votre leur pas ne n au aux y ou est-ce comment pourquoi combien bonjour bonsoir
    merci oui svp stp essai essais mere pere mari femme fille fils traitement medecin suis
    ai avez peux puis-je c'est j'ai qu'est-ce d'immunotherapie l'immunotherapie
    poumon poumons sein seins vessie rein reins foie peau""".split()
)
_EN_CUES = frozenset(
    """i you he she we they the an is are was were what which who how why where when my your
    his her our their of for with in to do does did can could would should there this that
    it and please hello hi thanks thank yes trial trials treatment doctor mother father
    husband wife daughter son am have has i'm what's don't
    lung lungs breast bladder kidney liver bowel skin""".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
_NEGATION = re.compile(r"\b(don'?t|do not|can'?t|cannot|pas|ne|n'|never|jamais)\b[^.!?]*$", re.I)

_LANG_WORDS = {
    "fr": r"(?:french|fran[cç]ais|francais)",
    "en": r"(?:english|anglais|angalis|englsih)",
}
_ASK_VERBS = (
    r"(?:in|into|speak|talk|write|answer|reply|respond|switch(?:\s+to)?|change\s+to|continue\s+in|prefer|"
    r"en|parle[rsz]?|[ée]cri[stv]?e?z?|r[ée]pond(?:s|ez|re)?|continue[rz]?\s+en|passe[rz]?\s+en|"
    r"pr[ée]f[èée]r(?:e|es|ez|erais)?)"
)
_EXPLICIT = {
    lang: (
        re.compile(rf"\b{_ASK_VERBS}(?:-(?:vous|tu|moi))?\s+(?:moi\s+|me\s+|with\s+me\s+|to\s+me\s+)?(?:l['’]\s*|le\s+)?{words}\b", re.I),
        re.compile(
            rf"^\W*{words}\W*(?:version\W*)?(?:please|pls|plz|svp|stp|s'il\s+(?:vous|te)\s+pla[iî]t)?\W*$", re.I
        ),
    )
    for lang, words in _LANG_WORDS.items()
}
# "I don't speak French", "je ne comprends pas l'anglais": the person wants the other language.
_REFUSED = {
    lang: re.compile(
        r"\b(?:(?:don'?t|do\s+not|can'?t|cannot|doesn'?t|does\s+not)\s+(?:speak|understand|read|talk|know)|"
        r"(?:ne|n['’])\s*(?:parle|parlons|comprends|comprend|lis|sais|connais)\s+pas(?:\s+(?:le|l['’]|bien|tr[eè]s\s+bien))*|"
        r"\bno|\bpas\s+(?:de|d['’]|en)|\bnot\s+in)\s*" + words + r"\b",
        re.I,
    )
    for lang, words in _LANG_WORDS.items()
}
_OTHER_OF = dict(zip(LANGUAGES, reversed(LANGUAGES), strict=True))  # French <-> English

# A language someone else speaks ("a doctor who speaks English", "un interprète qui parle
# anglais", "English-speaking staff"): a question about the people, not a request to us.
_ANY_LANGUAGE = (
    r"(?:english|anglais|french|fran[cç]ais|spanish|espagnol|german|allemand|italian|italien|arabic|arabe|"
    r"portuguese|portugais|chinese|chinois|russian|russe|dutch|n[ée]erlandais|polish|polonais|turkish|turc|"
    r"romanian|roumain|sign\s+language|langue\s+des\s+signes)"
)
_SPOKEN_BY_SOMEONE = re.compile(
    r"\b(?:(?:qui|who|that|which)\s+(?:ne\s+)?(?:parle(?:nt)?|comprenne?n?t?|speaks?|understands?)"
    r"|parlant)\s+(?:l['’]\s*|le\s+)?" + _ANY_LANGUAGE + r"\b"
    r"|\b" + _ANY_LANGUAGE + r"[\s-]speaking\b|\b(?:anglophones?|francophones?)\b",
    re.I,
)

# Below this many words, identification is a coin toss: keep the current language.
MIN_WORDS_TO_DETECT = 3
# py3langid's confidence for "another language" (Spanish, German...); lingua decides FR vs EN.
MIN_CONFIDENCE = 0.95
# Lingua's confidence (French vs English, summing to 1) needed to decide.
MIN_FR_EN_CONFIDENCE = 0.6
# A message naming another language with at most this many French/English function words
# ("de", "a") is still in that other language ("hola, ¿tienen ensayos para cáncer de pulmón?").
MAX_CUES_IN_OTHER = 1
# Measured on MASSIVE fr/en test utterances (bench/language.py): lingua's French-vs-English
# model is right on 94-100 % of 3- to 5-word messages, py3langid on 3-95 %.


def normalize_code(value: object) -> str | None:
    """'fr-FR', 'FR', 'en_GB' -> 'fr' / 'en'; anything else -> None."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else None


def explicit_request(text: str) -> str | None:
    """The language the person explicitly asks for ("en anglais svp", "in French"), if any."""
    for lang, patterns in _EXPLICIT.items():
        for pattern in patterns:
            match = pattern.search(text)
            if match and not _NEGATION.search(text[: match.start()]) and not _spoken_by_someone_at(text, match.start()):
                return lang
    return None


def names_someone_speaking(text: str) -> bool:
    """The message asks about a language that someone else speaks (staff, a doctor, an
    interpreter): "do you have English-speaking staff?", "un médecin qui parle anglais"."""
    return _SPOKEN_BY_SOMEONE.search(text) is not None


def _spoken_by_someone_at(text: str, start: int) -> bool:
    """The request found at ``start`` is the verb of "who speaks ..." / "qui parle ..."."""
    return any(found.start() <= start < found.end() for found in _SPOKEN_BY_SOMEONE.finditer(text))


@functools.lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    # Loaded on first use (about 0.1 s); the model ships inside the py3langid wheel.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
    # Only languages patients here are likely to write in: among all 97, short French or
    # English messages too often look like Breton, Welsh or Walloon.
    identifier.set_languages(list(OTHERS_KNOWN + LANGUAGES))
    return identifier


@functools.lru_cache(maxsize=1)
def _fr_or_en():  # type: ignore[no-untyped-def]
    # Lingua restricted to the two languages we answer in: its models ship in the wheel
    # (nothing downloaded), loaded on first use (about 0.5 s, 90 MB).
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.FRENCH, Language.ENGLISH).build()


def _cue_counts(words: Iterable[str]) -> tuple[int, int]:
    fr = en = 0
    for word in words:
        fr += word in _FR_CUES
        en += word in _EN_CUES
    return fr, en


def _clear_cues(fr: int, en: int) -> bool:
    return max(fr, en) >= 2 and abs(fr - en) >= 2


def _mostly_other_script(text: str) -> bool:
    """Written mostly in letters that are not Latin (Chinese, Arabic, Cyrillic...)."""
    letters = [ch for ch in text if ch.isalpha()]
    other = sum(1 for ch in letters if not unicodedata.name(ch, "LATIN").startswith("LATIN"))
    return len(letters) >= 2 and other * 2 > len(letters)


@functools.lru_cache(maxsize=1)
def _second_opinion():  # type: ignore[no-untyped-def]
    # Lingua's small models (low accuracy mode: 15 MB) over the same languages: an "other
    # language" verdict needs both identifiers to agree, short FR/EN is never turned away.
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in OTHERS_KNOWN + LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


# French/English cue words that Spanish, Italian, Portuguese or German also use a lot.
_SHARED_WITH_OTHERS = frozenset("de la le les que a es son un une il in o e en ou me se per con no was".split())


_SPANISH_MARKS = re.compile("[¿¡ñÑ]")


def _other_language(text: str, words: list[str]) -> bool:
    if sum(1 for w in words if (w in _FR_CUES or w in _EN_CUES) and w not in _SHARED_WITH_OTHERS) > MAX_CUES_IN_OTHER:
        return False
    lang, confidence = _identifier().classify(text)
    if lang in LANGUAGES:
        return False
    if _SPANISH_MARKS.search(text):
        return True  # "¿", "¡", "ñ": never French or English
    if confidence < MIN_CONFIDENCE:
        return False
    second = _second_opinion().detect_language_of(text)
    return second is not None and second.iso_code_639_1.name.lower() not in LANGUAGES


def warm_up() -> None:
    """Loads the identifiers now (about 0.4 s) rather than during a patient's first message."""
    sample = "is this trial still open"  # lingua loads its models at the first detection
    _identifier().classify(sample)
    _fr_or_en().compute_language_confidence_values(sample)
    _second_opinion().detect_language_of(sample)


def detect(text: str) -> str | None:
    """'fr', 'en', 'other' (another language), or None when the message is too short to tell."""
    words = _WORD.findall(fold(text))
    if not words:
        return None
    fr, en = _cue_counts(words)
    if _clear_cues(fr, en):
        # Cue words Spanish or Italian share ("que", "la", "de") do not rule those out.
        if _clear_cues(*_cue_counts(w for w in words if w not in _SHARED_WITH_OTHERS)) or not _other_language(text, words):
            return "fr" if fr > en else "en"
        return OTHER
    if _mostly_other_script(text):
        return OTHER
    if len(words) < MIN_WORDS_TO_DETECT:
        return None
    if _other_language(text, words):
        return OTHER
    best = _fr_or_en().compute_language_confidence_values(text)[0]
    if best.value < MIN_FR_EN_CONFIDENCE:
        return None  # gibberish or markup ("blorf zanzibar quux"): keep the current language
    return best.language.iso_code_639_1.name.lower()


def refused_language(text: str) -> str | None:
    """The language wanted when the person says they do not read the other one, if so."""
    for lang, pattern in _REFUSED.items():
        if pattern.search(text):
            return _OTHER_OF[lang]
    return None


def choose_language(
    text: str,
    current: str | None,
    page_language: object = None,
    previous_page_language: object = None,
) -> str:
    """The language to answer this message in (see the module docstring for the order)."""
    asked = explicit_request(text) or refused_language(text)
    if asked:
        return asked
    detected = detect(text)
    if detected in LANGUAGES:
        return detected  # type: ignore[return-value]
    page = normalize_code(page_language)
    if page and page != normalize_code(previous_page_language):
        return page
    return normalize_code(current) or page or DEFAULT


def slot_update(
    text: str,
    current: str | None,
    latest_metadata: object = None,
    previous_metadata: object = None,
) -> str | None:
    """The ``language`` slot's new value after this message, or None when it stays.

    The metadata are those of the latest and the previous user messages (the page's ``lang``).
    Used by Rasa in-process (``bot.runtime.rasa_server``) and by ``action_detect_language``.
    """
    language = choose_language(text, current, _page_language(latest_metadata), _page_language(previous_metadata))
    return None if language == current else language


def _page_language(metadata: object) -> object:
    return metadata.get("lang") if isinstance(metadata, dict) else None
