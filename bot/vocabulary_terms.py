"""The curated FR/EN vocabulary of cancer names, drugs, symptoms and illnesses: phrases only.

Pure data, no spaCy: the scope check of the Rasa process matches these phrases as folded words
(bot.nlu.scope), and the lemma-aware matcher of :mod:`bot.vocabulary` builds on them. Cancer
names and drugs come from ``bot/trials/lexicon.py``; symptoms and illnesses from the urgency and
advice rules of ``bot/safety.py``.
"""
from __future__ import annotations

from bot.trials.lexicon import CONDITIONS, INTERVENTIONS

KINDS = ("cancer", "drug", "symptom", "illness")
_IGNORE = "ignore"  # phrases that contain a vocabulary word but are not a mention of it

# Symptoms named by the urgency rules (bot/safety.py: _SEVERE, _ALARM_RE, _SYMPTOM_VOCABULARY),
# singular forms: the lemmatizer brings plurals and feminine forms to these.
_SYMPTOMS: dict[str, str] = {
    "fever": "fièvre|forte fièvre|température|frisson|fever|high temperature|temperature|chills|shivering",
    "breathing": "essoufflement|essoufflé|étouffer|étouffe|suffoquer|manque d'air|du mal à respirer|"
    "difficulté à respirer|mal à respirer|respirer|shortness of breath|short of breath|breathless|"
    "out of breath|trouble breathing|difficulty breathing|breath|breathe|breathing|gasping",
    "chest_pain": "douleur thoracique|douleur à la poitrine|douleur dans la poitrine|mal à la poitrine|"
    "poitrine|chest pain|chest tightness|chest",
    "fainting": "malaise|évanouissement|évanoui|s'évanouir|perte de connaissance|perdu connaissance|inconscient|"
    "faint|fainting|fainted|passed out|unconscious|collapsed|lost consciousness",
    "seizure": "convulsion|crise d'épilepsie|seizure|convulsions",
    "confusion": "confusion|confus|désorienté|délire|confused|disoriented|delirious",
    "digestive": "diarrhée|vomissement|vomir|vomi|nausée|diarrhea|diarrhoea|vomit|vomiting|nausea",
    "bleeding": "saignement|saigner|saigne|hémorragie|sang dans les selles|sang dans les urines|cracher du sang|"
    "bleeding|bleed|haemorrhage|hemorrhage|blood in the stool|blood in my stool|coughing up blood|vomiting blood",
    "skin": "cloque|éruption|bouton|démangeaison|peau qui se décolle|blister|rash|itching|itch|peeling skin",
    "swelling": "gonflement|gonflé|visage gonflé|swelling|swollen|swollen face",
    "jaundice": "jaunisse|yeux jaunes|peau jaune|jaundice|yellow eyes|yellow skin",
    "pain": "douleur|mal de tête|maux de tête|mal au ventre|pain|headache|stomach ache",
    "cough": "toux|tousser|cough|coughing",
    "dizziness": "vertige|tête qui tourne|dizzy|dizziness|lightheaded",
    "fatigue": "fatigue|épuisé|épuisement|exhausted|exhaustion|tired",
}

# Illnesses besides cancer that make a question individual ("with my lupus, can I..."):
# bot/safety.py's _CONDITION.
_ILLNESSES: dict[str, str] = {
    "autoimmune": "maladie auto-immune|maladie autoimmune|auto-immune|autoimmune disease|autoimmune|auto-immune disease",
    "lupus": "lupus",
    "arthritis": "polyarthrite|polyarthrite rhumatoïde|arthrite|arthritis|rheumatoid arthritis",
    "ibd": "maladie de crohn|crohn|rectocolite|rectocolite hémorragique|colitis|crohn's disease|ulcerative colitis",
    "multiple_sclerosis": "sclérose en plaques|multiple sclerosis",
    "diabetes": "diabète|diabétique|diabetes|diabetic",
    "psoriasis": "psoriasis",
    "hepatitis": "hépatite|hepatitis",
    "hiv": "vih|hiv|sida|aids",
    "organ_failure": "insuffisance cardiaque|insuffisance rénale|insuffisance hépatique|insuffisance respiratoire|"
    "heart failure|kidney failure|renal failure|liver failure|liver disease|kidney disease|heart disease",
    "transplant": "greffe|greffé|transplantation|transplant|organ transplant",
    "pregnancy": "grossesse|enceinte|allaitement|pregnancy|pregnant|breastfeeding",
    "pacemaker": "pacemaker|stimulateur cardiaque",
    "myasthenia": "myasthénie|myasthenia|myasthenia gravis",
    "sarcoidosis": "sarcoïdose|sarcoidosis",
    "asthma": "asthme|asthma|bpco|copd",
    "cardiovascular": "infarctus|crise cardiaque|avc|heart attack|stroke",
    "thyroid_disease": "hypothyroïdie|hyperthyroïdie|thyroïdite|hypothyroidism|hyperthyroidism|thyroiditis",
}

# Immunotherapy drugs the trial records name (bot/trials/lexicon.py's registry patterns) that
# patients may write although the lexicon's patient phrases leave them out.
_MORE_DRUGS = (
    "tremelimumab|relatlimab|opdualag|botensilimab|sintilimab|toripalimab|camrelizumab|spartalizumab|"
    "retifanlimab|serplulimab|balstilimab|lifileucel|glofitamab|epcoritamab|mosunetuzumab|talquetamab|"
    "tarlatamab"
)

# Words that carry a vocabulary word without naming it: "au sein de" (within), "le mal de mer".
_NOT_MENTIONS = "au sein de|au sein du|au sein des|en son sein|car t'as|car t'es"

# French elided words ("l'", "d'", "qu'") and the same written without the apostrophe ("l uterus"):
# the same norm, whatever the lemmatizer makes of them.
_ELIDED = frozenset("l d j m n s t c qu jusqu lorsqu puisqu".split())
# Plural and feminine endings, for the words the lookup table does not know (FR and EN).
_ENDINGS = ("ees", "es", "ee", "s", "x", "e")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split("|") if part.strip()]


def _with_apostrophes(phrase: str) -> str:
    """Lexicon phrases are folded without apostrophes ("col de l uterus"): put them back."""
    words = phrase.split()
    return " ".join(f"{w}'" if w in _ELIDED and i + 1 < len(words) else w for i, w in enumerate(words)) \
        .replace("' ", "'")


def vocabulary() -> dict[tuple[str, str], list[str]]:
    """(kind, key) -> phrases: the curated FR/EN vocabulary the matcher looks for."""
    vocab: dict[tuple[str, str], list[str]] = {}
    for concept in CONDITIONS:
        vocab[("cancer", concept.key)] = [_with_apostrophes(s) for s in concept.says]
    for concept in INTERVENTIONS:
        if concept.immunotherapy:
            vocab[("drug", concept.key)] = [_with_apostrophes(s) for s in concept.says]
    vocab[("drug", "other_immunotherapy")] = _split(_MORE_DRUGS)
    for key, phrases in _SYMPTOMS.items():
        vocab[("symptom", key)] = _split(phrases)
    for key, phrases in _ILLNESSES.items():
        vocab[("illness", key)] = _split(phrases)
    vocab[(_IGNORE, "not_a_mention")] = _split(_NOT_MENTIONS)
    return vocab


VOCABULARY = vocabulary()
