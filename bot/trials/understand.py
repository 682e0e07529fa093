"""Patient messages (FR/EN) -> trial queries and trial references. Pure functions, no I/O."""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from bot.limits import MAX_MESSAGE_CHARS
from bot.text import fold as text_fold
from bot.text import squash_spaces
from bot.trials.lexicon import CONDITIONS, INTERVENTIONS, Concept
from bot.trials.matching import PhraseMatcher
from bot.trials.places import city_country, place_phrases
from bot.trials.query import TrialQuery
from bot.trials.records import STATUSES
from bot.trials.text import fold

# Parsing time stays bounded: a patient's message is never longer (the channel refuses it), and
# the console preview and the CLI get the same cut.
MAX_TEXT = MAX_MESSAGE_CHARS
NCT_IN_TEXT = re.compile(r"\bNCT\s?(\d{8})\b", re.I)
# When both are named, the narrower concept is what the patient means.
NARROWER = {"nsclc": "lung", "uveal_melanoma": "melanoma"}

CONDITION_ENTITIES = {"condition", "cancer_type", "cancer", "disease", "tumor_type", "tumour_type", "diagnosis"}
INTERVENTION_ENTITIES = {"intervention", "drug", "treatment", "therapy", "medication"}
PLACE_ENTITIES = {"location", "city", "country", "place", "gpe", "loc", "site", "hospital"}


def _matcher(concepts: tuple[Concept, ...]) -> PhraseMatcher:
    return PhraseMatcher((fold(say), c.key) for c in concepts for say in c.says)


@lru_cache(maxsize=1)
def _matchers() -> tuple[PhraseMatcher, PhraseMatcher, PhraseMatcher]:
    return _matcher(CONDITIONS), _matcher(INTERVENTIONS), PhraseMatcher(place_phrases())


def _blocked_positions(words: list[str]) -> set[int]:
    """Word positions that look like lexicon words but are not ("au sein de", "car t'as")."""
    blocked = set()
    for i, word in enumerate(words):
        if word == "sein" and i > 0 and words[i - 1] in ("au", "en"):
            blocked.add(i)
        if word == "car" and words[i + 1 : i + 2] == ["t"] and (
            i + 2 < len(words) and words[i + 2] in {"as", "es", "en", "y", "a", "e", "etais", "avais", "aurais"}
        ):
            blocked.update((i, i + 1))
    return blocked


def find_concepts(text: str, kind: str) -> list[str]:
    """Lexicon keys of ``kind`` ("condition"/"intervention") named in ``text``, in order."""
    conditions, interventions, _ = _matchers()
    words = fold(text[:MAX_TEXT]).split()
    matcher = conditions if kind == "condition" else interventions
    keys = _unique(m.value for m in matcher.find(words, _blocked_positions(words)))
    return _drop_broader(keys)


def _drop_broader(keys: list[str]) -> list[str]:
    return [k for k in keys if not any(NARROWER.get(other) == k for other in keys)]


def _unique(values: Any) -> list[str]:
    return list(dict.fromkeys(values))


# ---------------------------------------------------------------- phases, statuses, age
_NUM = r"(?:[1-4]|iv|iii|ii|i|un|une|deux|trois|quatre|one|two|three|four)"
_NUM_VALUE = {"1": 1, "i": 1, "un": 1, "une": 1, "one": 1, "2": 2, "ii": 2, "deux": 2, "two": 2,
              "3": 3, "iii": 3, "trois": 3, "three": 3, "4": 4, "iv": 4, "quatre": 4, "four": 4}
_EARLY = re.compile(
    r"\b(?:early phase(?: 1| i| one)?|phase (?:0|zero)|phase 1 precoce|phase i precoce|phase precoce|"
    r"first in human|premiere administration (?:a|chez) l homme)\b"
)
_PHASE = re.compile(
    rf"\bphases? ({_NUM})[ab]?(?: (?:(?:et|and|ou|or|a|to) )?(?:phase )?({_NUM})[ab]?)?\b"
)
_NOT_YET = re.compile(r"\b(?:not yet recruiting|pas encore (?:ouverts?|recrut\w*)|bientot ouverts?|opening soon)\b")
_NOT_RECRUITING = re.compile(
    r"\b(?:ne recrute(?:nt)? (?:plus|pas)|not recruiting|no longer recruiting|ne sont plus ouverts?)\b"
)
_RECRUITING = re.compile(
    r"\b(?:recrut\w*|recruiting|recruit|recruits|currently enrolling|enrolling|en cours d inclusion|"
    r"ouverts? (?:aux? (?:inclusions?|patients?|recrutement))|essais? ouverts?|open (?:trials?|studies|study)|"
    r"open to (?:enrol+ment|recruitment|patients|new patients)|accepting (?:new )?(?:patients|participants))\b"
)
_COMPLETED = re.compile(r"\b(?:termines?|completed|finished)\b")
_IMMUNO = re.compile(r"\b(?:immuno|immunotherap\w*|immune therapy|immunotherapeutique)\b")


def parse_phases(folded: str) -> list[str]:
    phases: list[str] = []
    if _EARLY.search(folded):
        phases.append("EARLY_PHASE1")
        folded = _EARLY.sub(" ", folded)
    for match in _PHASE.finditer(folded):
        low = _NUM_VALUE[match.group(1)]
        high = _NUM_VALUE.get(match.group(2) or "", low)
        for n in range(min(low, high), max(low, high) + 1):
            phases.append(f"PHASE{n}")
    return _unique(phases)


def parse_statuses(folded: str) -> list[str]:
    statuses: list[str] = []
    if _NOT_YET.search(folded):
        statuses.append("NOT_YET_RECRUITING")
        folded = _NOT_YET.sub(" ", folded)
    folded = _NOT_RECRUITING.sub(" ", folded)
    if _RECRUITING.search(folded):
        statuses.append("RECRUITING")
    if _COMPLETED.search(folded):
        statuses.append("COMPLETED")
    return statuses


def _light(text: str) -> str:
    """Lower case without accents, apostrophes as spaces, digits and punctuation kept."""
    return squash_spaces(text_fold(text).replace("'", " "))


_AGE_TRIGGER = re.compile(
    r"\b(?P<trigger>j ai|i m|i am|im|je suis agee? de|agee? de|aged|age|ma (?:fille|mere|femme|soeur|compagne) a|"
    r"mon (?:fils|pere|mari|frere|enfant|compagnon) a|il a|elle a|"
    r"my (?:son|daughter|mother|father|wife|husband|child|partner|brother|sister) is|he is|she is|he s|she s)"
    r"\s*:?\s+(?P<num>\d{1,3}(?:[.,]\d)?)\s*(?P<unit>ans?|years?|yrs?|y\.?o\.?|mois|months?)?(?![\w.,])"
)
_AGE_PLAIN = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:[.,]\d)?)[\s-]*(?P<unit>ans|an|years?[\s-]old|yrs?[\s-]old|y\.?o\.?|mois|months?[\s-]old)(?![\w])"
)
_FRENCH_TRIGGERS = ("j ai", "il a", "elle a", "mon ", "ma ")
_DURATION_BEFORE = re.compile(
    r"(?:depuis|pendant|durant|dans|il y a|y a|for|since|in|over|during|after|apres|plus de|moins de|within)\s*$"
)
_NOT_AGE_AFTER = re.compile(r"^\s*(?:weeks?|days?|semaines?|jours?|kg|kilos?|lbs?|cm|%|percent|times|fois|kids|children|enfants|ago)\b")


def parse_age(text: str) -> float | None:
    """The patient's age in years from "j'ai 45 ans", "I'm 45", "my son is 8", "18 mois"."""
    light = _light(text[:MAX_TEXT])
    for match in _AGE_TRIGGER.finditer(light):
        unit = match.group("unit")
        if unit is None:
            if match.group("trigger").startswith(_FRENCH_TRIGGERS):  # "j'ai 2 enfants"
                continue
            if _NOT_AGE_AFTER.match(light[match.end():]):
                continue
        age = _years(match.group("num"), unit)
        if age is not None:
            return age
    for match in _AGE_PLAIN.finditer(light):
        if _DURATION_BEFORE.search(light[: match.start()]) or re.match(r"^\s*ago\b", light[match.end():]):
            continue  # "depuis 3 ans", "il y a 2 ans", "3 years ago"
        age = _years(match.group("num"), match.group("unit"))
        if age is not None:
            return age
    return None


def _years(number: str, unit: str | None) -> float | None:
    value = float(number.replace(",", "."))
    if unit and (unit.startswith("mois") or unit.startswith("month")):
        value = round(value / 12, 2)
    return value if 0 <= value <= 120 else None


# ---------------------------------------------------------------- cancer names we do not know
# "cancer de l'appendice", "appendix cancer": a cancer type named but missing from the
# lexicon is kept as wording (the search then finds nothing and says so), never dropped,
# which would turn the question into "list every trial".
_CANCER_HEAD = r"(?:cancers?|tumeurs?|carcinomes?|tumou?rs?|carcinomas?)"
_UNKNOWN_FR = re.compile(rf"\b{_CANCER_HEAD} (?:du|de la|de l|des|de|d) ([a-z]{{4,}})\b")
_UNKNOWN_EN = re.compile(rf"\b([a-z]{{4,}}) {_CANCER_HEAD}\b|\b{_CANCER_HEAD} of the ([a-z]{{4,}})\b")
_NOT_A_SITE = frozenset(
    """stade grade type forme mon votre notre leur leurs enfant enfants adulte adultes patient patients
    personne personnes femme femmes homme hommes pere mere mari fille fils soeur frere famille
    haut niveau depuis immunotherapie traitement chimio moins plus tous toutes
    this that which what your their there these those with from have about some many every other
    advanced metastatic recurrent rare common early late stage aggressive childhood paediatric
    pediatric adult adults having treat treating immunotherapy immune against fight fighting after
    before trial trials study studies current curie centre center join open recruiting cell cells""".split()
)


# ...and a tumour named by one word the lexicon lacks ("chordome", "hepatoblastoma",
# "cholangiocarcinome"): its tumour suffix says it is a cancer type all the same.
_TUMOUR_WORD = re.compile(
    r"\b([a-z]*(?:cytome|cytoma|blastome|blastoma|carcinome|carcinoma|sarcome|sarcoma|gliome|glioma|lymphome"
    r"|lymphoma|myelome|myeloma|theliome|thelioma|germinome|germinoma|chordome|chordoma)s?)\b")


# A tumour word of a family the lexicon knows ("liposarcome", "oligodendrogliome"): that family.
_TUMOUR_FAMILIES = (("sarcom", "sarcoma"), ("lymphom", "lymphoma"), ("myelom", "myeloma"), ("gliom", "brain"))


def _tumour_family(wording: str) -> str:
    """The lexicon's concept for an unknown one-word tumour of a known family, else the wording."""
    if " " not in wording:
        for stem_, concept in _TUMOUR_FAMILIES:
            if stem_ in wording:
                return concept
    return wording


def unknown_cancer(folded: str) -> str | None:
    """The wording of a cancer type named in ``folded`` that the lexicon does not know, if any."""
    for pattern in (_UNKNOWN_FR, _UNKNOWN_EN, _TUMOUR_WORD):
        for match in pattern.finditer(folded):
            site = next(g for g in match.groups() if g)
            if site not in _NOT_A_SITE:
                return match.group(0)
    return None


# ---------------------------------------------------------------- whole request
def parse_trial_request(text: str, entities: list[dict[str, Any]] | None = None) -> TrialQuery:
    """Turns a patient's message (and NLU entities, if any) into a :class:`TrialQuery`.

    Only what is recognised is kept: unknown words never become search constraints, so
    "bonjour, je cherche un essai" is an empty query, not a search for "bonjour".
    """
    text = (text or "")[:MAX_TEXT]
    folded = fold(text)
    words = folded.split()
    taken = _blocked_positions(words)
    cond_matcher, int_matcher, place_matcher = _matchers()
    conditions = _drop_broader(_unique(m.value for m in cond_matcher.find(words, taken)))
    if not conditions and not entities:
        conditions = [_tumour_family(c) for c in [unknown_cancer(folded)] if c]
    interventions = _unique(m.value for m in int_matcher.find(words, taken))
    places = [m.value for m in place_matcher.find(words, taken)]
    query = TrialQuery(
        conditions=conditions,
        interventions=interventions,
        phases=parse_phases(folded),
        statuses=parse_statuses(folded),
        age=parse_age(text),
        immunotherapy=bool(_IMMUNO.search(folded)),
    )
    _apply_places(query, places)
    for entity in entities or []:
        _apply_entity(query, entity)
    return TrialQuery.from_dict(query.to_dict())  # re-normalise lists (dedup, caps)


def _apply_places(query: TrialQuery, places: list[str]) -> None:
    for place in places:
        kind, _, name = place.partition(":")
        if kind == "facility" and not query.facility:
            query.facility = name
        elif kind == "city" and not query.city:
            query.city = name
            query.country = query.country or city_country(name)
        elif kind == "country" and not query.country:
            query.country = name


def _apply_entity(query: TrialQuery, entity: dict[str, Any]) -> None:
    name = str(entity.get("entity") or "").lower()
    value = entity.get("value")
    if value is None or isinstance(value, (dict, list)):
        return
    value_text = str(value)[:200]
    if name in CONDITION_ENTITIES:
        query.conditions += find_concepts(value_text, "condition") or [value_text]
    elif name in INTERVENTION_ENTITIES:
        if _IMMUNO.search(fold(value_text)):
            query.immunotherapy = True
        else:
            query.interventions += find_concepts(value_text, "intervention") or [value_text]
    elif name == "phase":
        query.phases += parse_phases(fold(value_text if "phase" in value_text.lower() else f"phase {value_text}"))
    elif name == "status":
        upper = value_text.upper()
        query.statuses += [upper] if upper in STATUSES else parse_statuses(fold(value_text))
    elif name == "age":
        try:
            query.age = float(value_text.replace(",", ".")) if query.age is None else query.age
        except ValueError:
            query.age = query.age if query.age is not None else parse_age(value_text)
    elif name in PLACE_ENTITIES:
        places = [m.value for m in _matchers()[2].find(fold(value_text).split())]
        if places:
            _apply_places(query, places)
        elif not query.city:
            query.city = value_text.strip().title()


# ---------------------------------------------------------------- references to shown trials
_ORDINALS: dict[str, int] = {}
for _words, _n in (
    ("premier premiere 1er 1ere 1re first 1st", 1),
    ("deuxieme 2e 2eme 2nd second seconde", 2),
    ("troisieme 3e 3eme third 3rd", 3),
    ("quatrieme 4e 4eme fourth 4th", 4),
    ("cinquieme 5e 5eme fifth 5th", 5),
    ("sixieme 6e 6eme sixth 6th", 6),
    ("septieme 7e 7eme seventh 7th", 7),
    ("huitieme 8e 8eme eighth 8th", 8),
    ("neuvieme 9e 9eme ninth 9th", 9),
    ("dixieme 10e 10eme tenth 10th", 10),
    ("dernier derniere last final", -1),
):
    for _w in _words.split():
        _ORDINALS[_w] = _n
_ORDINAL = re.compile(
    r"\b(?:(?P<before>avant dernier|avant derniere|second to last|penultimate)|(?P<word>" + "|".join(_ORDINALS) + r"))\b"
)
_NOT_ORDINAL = re.compile(r"\b(?:a|one|une|wait a|attendez une|attends une|un) (?:second|seconde)\b|\bat first\b|\bfirst of all\b|\bd abord\b|\bat last\b")
_NUMBERED = re.compile(r"(?:\b(?:numero|number|num|no|n|essai|trial|option|study|etude|choice|choix)|#)\s*(\d{1,2})\b")
_BARE_NUMBER = re.compile(r"^\s*(?:(?:le|la|l|the|celui|celle|du|de)\s+)*(\d{1,2})\s*(?:svp|please|stp)?\s*$")
_THIS_ONE = re.compile(r"\b(?:celui ci|celui la|celle ci|celle la|cet essai|cette etude|this one|that one|this trial|that trial|this study|it)\b")
REFERENCE_ENTITIES = {"nct_id", "trial_id", "nct", "trial"}
INDEX_ENTITIES = {"ordinal", "number", "mention", "trial_index", "index"}


def resolve_trial_reference(
    text: str, entities: list[dict[str, Any]] | None, last_ids: Sequence[str] | None
) -> str | None:
    """The NCT id a message points at: an NCT number, or a position in the list last shown.

    "NCT03298893", "the second one", "le deuxième", "2", "le dernier" -> an id, or None when the
    message names nothing or a position outside ``last_ids``.
    """
    text = (text or "")[:MAX_TEXT]
    match = NCT_IN_TEXT.search(text)
    if match:
        return f"NCT{match.group(1)}"
    ids = [str(i) for i in (last_ids or [])]
    for entity in entities or []:
        name = str(entity.get("entity") or "").lower()
        value = str(entity.get("value") or "")
        if name in REFERENCE_ENTITIES and NCT_IN_TEXT.search(value):
            return f"NCT{NCT_IN_TEXT.search(value).group(1)}"  # type: ignore[union-attr]
        if name in INDEX_ENTITIES and ids:
            picked = _pick(ids, -1 if value.strip().upper() == "LAST" else _int(value))
            if picked:
                return picked
    if not ids:
        return None
    folded = _NOT_ORDINAL.sub(" ", fold(text))
    match = _ORDINAL.search(folded)
    if match:
        return _pick(ids, -2 if match.group("before") else _ORDINALS[match.group("word")])
    match = _NUMBERED.search(folded) or _BARE_NUMBER.match(folded)
    if match:
        return _pick(ids, int(match.group(1)))
    if len(ids) == 1 and _THIS_ONE.search(folded):
        return ids[0]
    return None


def _int(value: str) -> int | None:
    try:
        return int(float(value))
    except ValueError:
        return None


def _pick(ids: list[str], position: int | None) -> str | None:
    """1-based position, or negative from the end (-1 = last)."""
    if position is None or position == 0:
        return None
    index = position - 1 if position > 0 else len(ids) + position
    return ids[index] if 0 <= index < len(ids) else None


# ---------------------------------------------------------------- one question about a shown trial
_ASPECTS = (
    ("join", re.compile(
        r"\b(?:can i (?:join|take part|participate|enrol+|sign up)|could i (?:join|take part)|am i eligible|"
        r"how (?:do|can) i (?:join|take part|enrol+|sign up)|puis je (?:y )?participer|je peux (?:y )?participer|"
        r"est ce que je peux (?:y )?participer|(?:suis je|je suis) eligible|comment (?:y )?participer|"
        r"m inscrire|y entrer)\b")),
    ("status", re.compile(
        r"\b(?:still (?:open|recruiting|running|going)|is (?:it|this|that)(?: one| trial| study)? (?:open|recruiting|closed|finished)|"
        r"(?:open|recruiting|closed) (?:now|still|yet)|status|statut|toujours (?:ouvert|en cours|actif)|"
        r"(?:il|elle) (?:est|recrute) (?:encore|toujours)|recrute t il|recrute t elle|recrute (?:encore|toujours)|"
        r"est (?:il|elle) (?:ouvert|ouverte|ferme|fermee|termine|terminee|en cours)|encore ouvert|"
        r"does it (?:still )?recruit|accepting (?:patients|participants))\b")),
    ("phase", re.compile(r"\b(?:what|which|quelle|en quelle|c est quelle|it s which) phase\b|\bphase (?:of|de) (?:it|this|cet|l essai|the)\b|"
                         r"^\W*(?:et )?(?:la |the )?phase\W*$|\bphase (?:est )?(?:il|elle)\b|\bis it (?:in )?phase\s*$")),
    ("where", re.compile(
        r"\b(?:where (?:is|does|are|can)|which (?:hospital|hospitals|city|cities|country|countries|centre|center|sites?)|"
        r"(?:what|which) (?:locations?|places?)|ou (?:est|a lieu|se (?:deroule|passe|fait)|ca se passe)|"
        r"quel(?:le)?s? (?:hopital|hopitaux|ville|villes|pays|centres?|sites?|lieux?)|dans quel(?:le)?s? (?:villes?|pays|hopita(?:l|ux))|"
        r"en france ou|locations?|lieux?)\b")),
)


def asked_aspect(text: str) -> str | None:
    """The one thing a follow-up asks about a trial: 'status', 'phase', 'where', 'join', or None.

    "is it still open?", "quelle phase ?", "où a-t-il lieu ?", "can I join?". A phase with a
    number ("phase 2 trials") is a search, not a question about a shown trial.
    """
    folded = fold((text or "")[:MAX_TEXT])
    if not folded:
        return None
    for aspect, pattern in _ASPECTS:
        if pattern.search(folded):
            if aspect == "phase" and parse_phases(folded):
                continue
            return aspect
    if re.search(r"(?:^|\s)où(?:\s|$|\?)", (text or "").lower()):
        return "where"
    return None
