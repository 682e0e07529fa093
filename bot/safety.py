"""Deterministic rules that must not depend on a statistical model.

- :func:`is_urgent`: a message describing an urgent symptom happening now (high fever, severe
  diarrhoea, breathlessness, chest pain, fainting...). Urgency takes precedence over every
  other intent, so the NLU pipeline overrides the classifier when this matches.
- :func:`asks_medical_advice`: a request for individual medical advice (stop my treatment? is
  my dose right? will I survive? what does my scan show?): always a kind refusal.
- :func:`unusable_input`: why a message cannot be answered as a question (nothing to read,
  far too long, a language we do not speak), so it gets a clear polite answer instead.
"""
from __future__ import annotations

import re
import unicodedata

from bot.language import OTHER, detect
from bot.limits import MAX_MESSAGE_CHARS  # one limit for the channel, the rules and the widget

__all__ = ["MAX_MESSAGE_CHARS", "asks_medical_advice", "fold", "is_urgent", "unusable_input"]


def fold(text: str) -> str:
    """Lowercase without accents and with one kind of apostrophe: how patterns are written."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Each pattern names a symptom with a severity that makes it urgent (on folded text).
_SYMPTOMS = [
    # fever: a high one, or a temperature of 39+
    r"(forte|grosse|haute|tres forte|high|very high|bad|severe)\s+(fievre|temperature|fever)",
    r"(fievre|temperature|fever)\s+(tres\s+)?(forte|elevee|importante|high)",
    r"(fievre|temperature|fever|thermometre)\D{0,12}\b(39|40|41)([.,]\d)?\b",
    r"\b(39|40|41)([.,]\d)?\s*(°|degres|degrees|de fievre|of fever|c\b)",
    # breathing
    r"(n'?arrive|n'?arrivent|arrive|peux|peut)\s+(plus|pas)\s+(a\s+)?respirer",
    r"(du mal|difficulte|difficultes|peine)\s+a\s+respirer",
    r"\b(essouffle|essoufflee|essoufflement|etouffe|etouffer|suffoque)",
    r"(can'?t|cannot|can not|unable to|struggling to|hard to|trouble|difficulty)\s+(breathe|breathing)",
    r"short(ness)?\s+of\s+breath|breathless|gasping for (air|breath)|choking",
    # chest pain
    r"douleur\w*\s+(thoracique|dans la poitrine|a la poitrine|au thorax)",
    r"mal\s+(a|dans)\s+la\s+poitrine|poitrine\s+(me\s+)?(fait|serre|brule)",
    r"chest\s+(pain|pains|hurts|is hurting|tightness)|pain\s+in\s+(my|his|her|the)\s+chest",
    # fainting, loss of consciousness, confusion, seizure
    r"\b(malaise|evanoui\w*|perdu connaissance|perte de connaissance|inconscient\w*|effondre\w*)",
    r"\b(fainted|fainting|passed out|lost consciousness|unconscious|collapsed|blacked out)",
    r"\b(convulsion\w*|crise d'epilepsie|seizure\w*)\b",
    r"\b(confus|confuse|desoriente\w*|ne (me |nous )?reconnait plus|confused|disoriented)\b",
    r"(doesn'?t|does not|no longer) recogni[sz]e",
    # severe diarrhoea, bleeding
    r"diarrh\w*\W+(\w+\W+){0,6}?(severe|importante|forte|grave|liquide|sang|plusieurs fois|\d+\s*fois|non[- ]stop|nuit et jour|depuis|toutes les|sans arret)",
    r"(severe|bad|terrible|heavy|constant|bloody|importante|forte|grosse)\s+diarrh",
    r"diarrh\w*\W+(\w+\W+){0,6}?(\d+\s*times|many times|every hour|for (two|three|\d+) days|won'?t stop|since)",
    # too weak to stand
    r"\b(ne\s+)?(tient|tiens|tenir)\s+(plus|pas)\s+debout|(can'?t|cannot|unable to)\s+(stand|get) up|too weak to (stand|walk)",
    r"sang dans (les|mes) (selles|urines)|crach\w* du sang|vomi\w* du sang|saign\w* beaucoup",
    r"blood in (my|his|her|the) (stool|stools|urine|poo)|coughing up blood|vomiting blood|bleeding heavily",
    r"(vomissements|vomis|vomit\w*)\W+(\w+\W+){0,5}?(s'arretent pas|arrete pas|won'?t stop|non[- ]stop|all (day|night))",
    r"(peau|yeux)\W+(\w+\W+){0,4}?jaunes|(skin|eyes)\W+(\w+\W+){0,4}?yellow",
]
_SYMPTOM = re.compile("|".join(f"(?:{p})" for p in _SYMPTOMS))

# Someone is affected now: "j'ai", "mon mari", "I have", "my wife"... A general question
# ("can immunotherapy cause a high fever?") has none, and is left to the classifier.
_AFFECTED = re.compile(
    r"\b(j'|je|j'ai|me|m'|moi|mon|ma|mes|il|elle|on|nous|mari|femme|epoux|epouse|pere|mere|"
    r"papa|maman|fils|fille|frere|soeur|i|i'm|i've|im|ive|me|my|he|she|his|her|we|husband|"
    r"wife|father|mother|dad|mum|mom|son|daughter|brother|sister|partner)\b"
)
_NEGATED = re.compile(
    r"\b(pas|plus|jamais|aucun|aucune|sans|no|not|never|without|any|don'?t|doesn'?t|didn'?t|"
    r"haven'?t|hasn'?t|isn'?t|wasn'?t)\W+(\w+\W+){0,2}$"
)


def is_urgent(text: str) -> bool:
    """True when the message describes an urgent symptom that someone has now."""
    folded = fold(text)
    if not _AFFECTED.search(folded):
        return False
    for match in _SYMPTOM.finditer(folded):
        if not _NEGATED.search(folded[: match.start()]):
            return True
    return False


_TREATMENT = (
    r"(traitement|immunotherapie|perfusion|cure|chimio\w*|medicament\w*|keytruda|opdivo|"
    r"pembrolizumab|nivolumab|treatment|immunotherapy|infusion|chemo\w*|medication|medicine|drug)"
)
_ADVICE = re.compile(
    "|".join(
        f"(?:{p})"
        for p in [
            # stopping, skipping or changing a treatment
            rf"\b(arreter|stopper|interrompre|sauter|decaler|reporter|continuer|diminuer|augmenter|"
            rf"stop|skip|quit|pause|continue|delay|reduce|increase)\b.{{0,40}}\b{_TREATMENT}",
            # the dose
            r"\b(ma|mon|sa|son|la bonne|my|his|her|the right)\s+(dose|dosage|posologie)\b",
            # prognosis
            r"\b(guerir|guerira|survivre|survivra|mourir|esperance de vie|chances de (survie|guerison))\b",
            r"\b(survive|be cured|life expectancy|chances? of (survival|surviving|cure))\b",
            r"how long (do|does|have) (i|he|she|we) (have|got) left",
            # reading one's own results
            r"\b(mon|mes|ma|son|ses|sa|my|his|her)\s+(scanner|scan|irm|mri|pet|resultats?|"
            r"results?|bilan|analyses?|prise de sang|blood tests?|biopsie|biopsy|marqueurs?)\b",
            # taking something with one's treatment
            rf"\b(prendre|boire|take|drink)\b(?!\s+part).{{0,30}}\b(avec|pendant|entre|with|during|between)"
            rf"\b.{{0,30}}\b{_TREATMENT}",
        ]
    )
)


def asks_medical_advice(text: str) -> bool:
    """True when the message asks for advice about one person's own care."""
    folded = fold(text)
    return bool(_AFFECTED.search(folded) and _ADVICE.search(folded))


def unusable_input(text: str) -> str | None:
    """'empty', 'too_long' or 'unsupported_language' when the message can't be read as a
    question in French or English; None when it can."""
    if not any(ch.isalnum() for ch in text):
        return "empty"
    if len(text) > MAX_MESSAGE_CHARS:
        return "too_long"
    if detect(text) == OTHER:
        return "unsupported_language"
    return None
