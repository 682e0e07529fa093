"""Does the FAQ answer chosen for a question answer it? A check on words, after the classifiers.

The response selector always picks the nearest entry, and the sentence similarity of a
question to the examples of a neighbouring entry is often as high as to its own ("how does
this trial differ from the standard of care?" is close to "what is a clinical trial"). What
separates them is what the question is about: the words it uses. An entry knows the words of
its examples and of its answer (both languages). A question that uses two or more words the
assistant knows from elsewhere (other entries, other intents) but this entry never uses, or
nothing but such words, asks about something else: it gets an honest "I don't know" with how
to reach the center (``dont_know``), never the neighbouring fact.

A question that asks for a practical fact (a cost, a duration, a place, how often, opening
hours, whether something stays confidential) gets an entry's answer only when one of that
entry's examples asks for the same kind of fact: "is my participation confidential?" is not
answered by the consent entry, whose examples never ask about confidentiality.

A question that names a subject of the curated vocabulary of bot/nlu/topics.py (randomisation,
placebo, alcohol, a vaccine, a single room, the cafeteria...) that the entry never uses is not
answered by it, even when no training example has that word ("what does randomization mean?"
is not answered by what a clinical trial is); so does one of its subject phrases ("a last
resort", "en première intention") unless the entry uses every word of it.

A definition question ("what is X?", "what does X mean?", "qu'est-ce que X ?") is answered by
an entry only when the entry uses the words of X: one word of X the assistant knows and the
entry never uses is enough ("what is a control group?" is not answered by what a trial is),
unless it is a near spelling of one of the entry's words. Words never seen in training count
there too when the entry uses none of X's words ("what is immunotherapy induced arthralgia?"
is not answered by what immunotherapy is).

A question about a trial is not answered by an entry that never speaks of trials ("where is
the trial site located?" is not answered by where the center is), nor one about the treatment
a trial tests ("the side effects of the new treatment", "the study drug").

A trial search is the answer only to a message about trials: a readable question that names
no trial, no cancer type, drug, phase, status or place, and no taking part ("comment obtenir
un deuxième avis en cancérologie ?") is not a search, and gets the same "I don't know".

An entry the response selector is less than ``min_entry_confidence`` sure of is a guess
between neighbours ("who conducts the clinical trials?" → who heads the center, 0.36): the
same "I don't know".

A question about trials (randomisation, placebo, taking part...) is never "outside what I can
help with": the classifier's out-of-scope guess becomes the same "I don't know"; so does an
unsure out-of-scope guess (``min_out_of_scope_confidence``) on a readable question with no word
of the out-of-scope examples ("is there a bicycle rack?").

An "I don't know" (or a readable question no intent is sure of) about something else than
what the assistant covers ("is it cold outside", "currency exchange": words of the
out-of-scope examples, none of our subject, see ``is_off_topic``; or no word of the curated
vocabulary of our subject, ``check_scope``, see bot/nlu/scope.py) gets "outside what I can help
with" (``out_of_scope``) instead.

How a trial is designed, asked as one's own future ("will I get a placebo?", "will I know which
treatment I get?", "est-ce décidé au hasard ?"), is general trial information
(``asks_about_trial_design``, used by bot/nlu/overrides.py): never refused, unless the message
asks what suits oneself or tells of one's disease. A short definition question about a term we
name ("Qu'est-ce que Keytruda?") and a three-word French question with its subject after the verb
("Serai-je radioactif ?") are questions we can say "I don't know" to (``is_answerable_question``).

"Who are you?" guessed for a message of two or more words its examples never use, about
nothing of ours and no language ("pourriez-vous reporter ma réunion", "combien de pattes a un
chien"), and our hours, costs or practical facts asked of another place ("what time does the
louvre open?", "is the pnc bank open?") are "outside what I can help with"; so is a request of
real words no intent is sure of, about nothing of ours ("joue ma station radio"). "Study" counts
as a trial only as a noun ("the study", "une étude"), not the verb or schooling.

Words every entry may share (cancer, trial, treatment...), cancer types and drug names (the
trial vocabulary), and words the assistant has never seen (a typo, a brand name) do not count.
Entries that are themselves an honest "we do not hold this" (``honest_entries``) are not
checked. Placed after RuleOverrides (which decides urgency and advice first) and before the
FallbackClassifier in config.yml.
"""
from __future__ import annotations

import difflib
import json
import logging
import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.faq.text import normalize
from bot.nlu.scope import names_our_subject, outside_our_subject
from bot.nlu.topics import ENTRY_TOPIC_WORDS, PHRASE_SUBJECTS, STUDY_NOUN, SUBJECT_WORDS
from bot.safety import describes_own_symptom, is_readable_question, unusable_input
from bot.text import fold
from bot.trials import NCT_IN_TEXT
from bot.trials.understand import find_concepts, parse_trial_request

logger = logging.getLogger(__name__)

DONT_KNOW_INTENT = "dont_know"
ANSWERABILITY_KEY = "answerability"
_FILE = "answerability.json"

# Function words and question frames of both languages: they say how a question is asked,
# not what it is about.
_STOP = frozenset("""
a an the and or of to in on for with by at from as is are was were be been being am do does did
have has had i me my mine you your we our us they them their he she it its this that these those
there here what which who whom whose when where why how can could would should will shall may might
must not no yes if then than so about into over after before during while also any all some more
most other such only own same very just get got one ones please tell know want like need thanks
let away happen happens happened exactly really actually basically simply maybe perhaps
make makes made type types kind kinds sort sorts sorte sortes genre genres
want wants wanted allow allowed long mother father husband wife son daughter
le la les un une des du de et ou au aux en dans par pour sur avec sans sous chez est sont etre ete
suis es sommes etes ai as avons avez ont avoir fait faire faut peut peux pouvez peuvent puis dois
doit doivent je tu il elle on nous vous ils elles me te se moi toi lui leur leurs mon ma mes ton ta
tes son sa ses notre nos votre vos ce cet cette ces ca cela ceci qui que quoi quel quelle quels
quelles lequel laquelle comment pourquoi quand combien ne pas plus tres bien aussi encore deja si
oui non merci svp est-ce passe deroule deroulent derouler deroulement
exactement vraiment concretement precisement simplement donc alors mais dit dire dis
veut veux voulez veulent vouloir donner donne parler parle vrai temps propose proposee
mere pere mari femme fille fils proche proches relative relatives loved
bonjour bonsoir salut coucou hello hi hey
comprendre comprends understand understanding voudrais voudrait aimerais aimerait souhaite souhaiterais
commence commencer commencent begin begins start starts starting started
mean means meaning signifie signifient signifier
tout tous toute toutes
""".split())
# Topic words every entry of this FAQ may share: they never tell two entries apart.
_SHARED = frozenset("""
cancer cancers cancerologie cancerologue oncologie oncology oncologist oncologue tumeur tumour tumor
trial trials study studies essai essais etude etudes clinique cliniques clinical recherche research
immunotherapy immunotherapie immunotherapies treatment treatments traitement traitements patient
patients therapy therapie doctor doctors medecin medecins drug drugs medicament medicaments
""".split())
# The kinds of practical fact a question can ask for (on the folded, punctuation-free text).
_ASKED_FACTS = {
    "privacy": r"\b(?:confidenti\w*|private|privacy|secret\w*|anonym\w*)\b",
    "cost": r"\b(?:costs?|price|pay|paid|paying|payants?|insurance|reimburs\w*|fees?|couts?|couteu\w*|prix"
            r"|payer|paye\w*|rembours\w*|gratuit\w*|frais|mutuelle|tarifs?|expensive|afford\w*|indemni\w*)\b",
    "duration": r"\bhow long\b|\bcombien de temps\b|\bduree\b|\bdure(?:r|ra|ront|nt)?\b",
    "frequency": r"\bhow often\b|\bfrequence\b|\bcombien de fois\b",
    "place": r"\bwhere\b|\bou (?:se|est|sont|a lieu|ca)\b|\bou$|\baddress\b|\badresse\b|\blocated\b|\bsitue\w*\b|\bparking\b",
    "benefit": r"\b(?:benefit\w*|advantages?|avantages?|interets?|benefices?)\b",
    "hours": r"\bwhat time\b|\bopening hours\b|\bhoraires?\b|\bheures? d ouverture\b",
}
# A message that names a trial.
_NAMES_A_TRIAL = re.compile(rf"\b(?:essais?|trials?|recherche clinique)\b|{STUDY_NOUN}")
# A message about trials names one, or taking part in one.
_ABOUT_TRIALS = re.compile(r"\b(?:essais?|trials?|recherche clinique|protocoles?"
                           r"|particip\w*|join\w*|enrol\w*|inscri\w*|randomi[sz]\w*|placebos?|tirage au sort)\b"
                           rf"|{STUDY_NOUN}")
# The treatment a trial tests, named without the word "trial" ("the side effects of the new
# treatment", "the study drug", "le traitement expérimental"): a question about the trial.
_TESTED_TREATMENT = re.compile(
    r"\b(?:the|this) new (?:treatment|drug|medicine|medication|therapy)\b"
    r"|\bstudy (?:drug|treatment|medication|medicine)s?\b"
    r"|\b(?:experimental|investigational) (?:treatment|drug|therapy|medicine|medication)s?\b"
    r"|\b(?:treatment|drug|therapy|medicine)s? (?:being|under) test\w*"
    r"|\b(?:le|ce) nouveau (?:traitement|medicament)\b"
    r"|\b(?:traitement|medicament|molecule)s? (?:experimenta\w*|a l essai|a l etude|teste\w*)")
_ASKED_FACT_PATTERNS = {kind: re.compile(pattern) for kind, pattern in _ASKED_FACTS.items()}
# How a trial is designed, asked as one's own future ("will I get a placebo?", "will I know which
# treatment I get?", "am I assured of getting the new treatment?", "est-ce décidé au hasard ?"):
# the arm, the placebo, the draw, knowing one's group. General trial information, the same for
# every participant, not a question about one's own care (folded, punctuation-free text).
_GETS = r"(?:get|gets|getting|got|receive|receiving|received|given|be on|am on|was on|recevoir|recevrai|recois|recu|aurai|avoir)"
_TRIAL_DESIGN = re.compile(
    r"\b(?:placebos?|randomi[sz]\w*|aleatoire\w*|au hasard|tirage au sort|tire\w* au sort|double (?:blind|aveugle|insu)"
    r"|blind(?:ed|ing)?|en aveugle|a l insu|control group|groupe (?:de )?(?:controle|temoin)|comparison group"
    r"|(?:treatment|study) arm|bras (?:de traitement|controle|experimental)|allocated|assigned to (?:a|the|one) (?:group|arm))\b"
    # knowing which treatment one gets ("will I know which treatment I get?", "saurai-je quel...")
    rf"|\b(?:know|knowing|told|tell|find out|learn|savoir|saurai|saurons|dira|informe\w*)\b.{{0,15}}"
    rf"\b(?:which|what|quel|quelle) (?:treatment|drug|medicine|medication|group|arm|traitement|medicament|groupe|bras)\b"
    rf"|\b{_GETS}\b.{{0,25}}(?:{_TESTED_TREATMENT.pattern})")
# ...unless the message asks what suits oneself or tells of one's disease: that stays advice.
_OWN_CASE = re.compile(
    r"\b(?:should i|should we|dois-je|dois je|devrais-je|devrais je|recommend\w*|recommand\w*|conseill\w*|for me|pour moi"
    r"|my (?:cancer|tumou?r|disease|stage|condition|illness|symptoms?)|mon (?:cancer|stade)|ma (?:maladie|tumeur))\b")
# Languages, and speaking them: "do you speak German?" is about the assistant.
_LANGUAGE_WORDS = re.compile(r"\b(?:speak\w*|spoken|parle\w*|language\w*|langues?|english|anglais|french|francais"
                             r"|german|allemand|spanish|espagnol|italian|italien|arabic|arabe|portugu\w*|chinese|chinois)\b")
# Words that address the assistant or the center it speaks for.
# (or people it knows of: "how can I reach them during business hours?" is about the care team)
_ADDRESSES_US = re.compile(r"\b(?:you|your|yours|vous|votre|vos|tu|ton|ta|tes|here|ici|chez vous"
                           r"|them|they|their|eux|ils|elles|leur|leurs)\b")
# The assistant asked about itself: "what do you call yourself?", "comment tu t'appelles ?"
_ABOUT_YOURSELF = re.compile(r"\b(?:yourself|yourselves|your name|ton nom|votre nom|toi meme|vous meme"
                             r"|t appelles|vous appelez|appelles tu|appelez vous|made you|created you"
                             # ...or what it can help with: "can you help me find information?"
                             r"|help|helps|helping|aide|aider|aidez|assist\w*)\b")
_FIRST_PERSON = re.compile(r"\b(?:i|my|me|je|j|mon|ma|mes|moi)\b")
_SUFFIXES = ("ements", "ement", "ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied",
             "ees", "ee", "es", "ed", "s", "e", "y")
_STEM_LENGTH = 6


def stem(word: str) -> str:
    """A crude stem shared by both languages: 'studies'/'study', 'patients'/'patient'."""
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:_STEM_LENGTH]


# Inflections of the function words are function words too ("needed", "wanted"); their
# shorter stems ("com" of "comment") would hide topics, and "donn" (donner) is also the stem
# of "données" (data), a topic.
_STOP_STEMS = frozenset(s for s in map(stem, _STOP) if len(s) >= 4) - {"donn"}


def _words(text: str) -> list[str]:
    return [w for w in normalize(text).split()
            if len(w) > 2 and w not in _STOP and not w.isdigit() and stem(w) not in _STOP_STEMS]


def stems(text: str) -> set[str]:
    return {stem(w) for w in _words(text)}


def _names_a_concept(word: str) -> bool:
    # cancer types and drugs: a question about melanoma is still a question about the entry
    return bool(find_concepts(word, "condition") or find_concepts(word, "intervention"))


def content_stems(text: str) -> set[str]:
    """What the question is about: its words, without function, shared-topic or concept words."""
    return {stem(w) for w in _words(text) if w not in _SHARED and not _names_a_concept(w)}


def asked_facts(text: str) -> set[str]:
    """The kinds of practical fact the question asks for ("cost", "duration", "place"...)."""
    folded = normalize(text)
    kinds = {kind for kind, pattern in _ASKED_FACT_PATTERNS.items() if pattern.search(folded)}
    if "benefit" in kinds and not _ABOUT_TRIALS.search(folded):
        # what one gains from a trial is the trial's own; immunotherapy's advantages over
        # chemotherapy are the comparison entry's
        kinds.discard("benefit")
    return kinds


def asks_about_trial_design(text: str) -> bool:
    """A question about how a trial is designed (placebo, draw, arms, knowing one's treatment),
    however personally asked, that neither asks what suits oneself nor tells of one's disease."""
    folded = normalize(text)
    # a cancer type named by someone speaking of themselves ("I have stage 4 melanoma, will I...")
    own_disease = bool(_FIRST_PERSON.search(folded)) and any(find_concepts(w, "condition") for w in folded.split())
    return (bool(_TRIAL_DESIGN.search(folded)) and not _OWN_CASE.search(folded) and not own_disease
            and not describes_own_symptom(text))


def asks_what_a_term_of_ours_is(text: str) -> bool:
    """A short definition question about a drug, cancer or symptom we name ("Qu'est-ce que
    Keytruda?", "what is nivolumab?"): a question we can say "I don't know" to, however short."""
    subject = definition_subject(text)
    return bool(subject) and names_our_subject(subject) and unusable_input(text) is None


# A French question with the subject after its verb ("Serai-je radioactif ?", "Puis-je venir ?").
_INVERTED = re.compile(r"\b\w+-(?:je|tu|il|elle|on|nous|vous|ils|elles)\b")


def is_answerable_question(text: str) -> bool:
    """A question we can honestly say "I don't know" to: a readable French/English question, a
    short definition question about a term of ours, or a three-word French question with its
    subject after the verb (its hyphenated pronoun hides a word from the readable count)."""
    if is_readable_question(text) or asks_what_a_term_of_ours_is(text):
        return True
    folded = fold(text)
    return (_INVERTED.search(folded) is not None and len(normalize(text).split()) >= 3
            and unusable_input(text) is None)


def names_a_trial(text: str) -> bool:
    return bool(_NAMES_A_TRIAL.search(normalize(text)))


def about_a_trial(text: str) -> bool:
    """The message names a trial, or the treatment a trial tests."""
    folded = normalize(text)
    return bool(_NAMES_A_TRIAL.search(folded) or _TESTED_TREATMENT.search(folded))


def not_a_trial_search(text: str) -> bool:
    """A readable question with nothing of a trial search in it (see the module doc)."""
    if not is_readable_question(text) or NCT_IN_TEXT.search(text) or _ABOUT_TRIALS.search(normalize(text)):
        return False
    return parse_trial_request(text).is_empty


def foreign_terms(text: str, entry_vocabulary: set[str], known: set[str]) -> tuple[list[str], int]:
    """The question's content words that this entry never uses but the assistant knows from
    elsewhere, and how many content words the question has."""
    content = content_stems(text)
    return sorted(w for w in content - entry_vocabulary if w in known), len(content)


def answers(text: str, entry_vocabulary: set[str], known: set[str], min_foreign: int) -> bool:
    """False when the question is about something else than the entry (see the module doc)."""
    foreign, total = foreign_terms(text, entry_vocabulary, known)
    return not _about_something_else(foreign, total, min_foreign)


# "what is X", "what does X mean", "qu'est-ce que X", "que signifie X"... (folded text): X is
# what the question asks to define.
_DEFINITION = re.compile(
    r"^(?:so |and |et |alors )?(?:what s|whats|what is|what are|what does|what do|define|definition of"
    r"|qu est ce qu(?:e|un|une)?|qu est ce|c est quoi|que veut dire|que veulent dire|que signifie"
    r"|que signifient|definition d(?:e|u|es)?|ca veut dire quoi|ca signifie quoi)\b(?P<subject>.*)$")
_DEFINITION_TAIL = re.compile(r"\b(?:mean|means|stand for|veut dire|signifie)\b.*$")
_DEFINITION_HEAD = re.compile(r"^(?:the |le |la |l )?(?:term|word|terme|mot|expression)\b")
# "what is I decide to withdraw?" (for "what if"): a clause, not a thing to define
_DEFINITION_CLAUSE = re.compile(r"^(?:i|you|we|they|he|she|je|j|tu|on|nous|vous|il|elle|ils|elles)\b")
_NEAR_SPELLING = 0.8


_PHRASE_SUBJECT = re.compile(r"\b(?:" + "|".join(sorted({re.escape(normalize(p)) for p in PHRASE_SUBJECTS},
                                                           key=len, reverse=True)) + r")\b")


def subjects_not_held(text: str, entry_vocabulary: set[str]) -> list[str]:
    """The words of the curated subjects (bot/nlu/topics.py) the question names and the entry
    never uses, and the subject phrases it names of which the entry misses a word."""
    folded = normalize(text)
    found = {stem(w) for w in _words(text) if w in SUBJECT_WORDS} - entry_vocabulary
    for match in _PHRASE_SUBJECT.finditer(folded):
        phrase = {stem(w) for w in match.group(0).split() if len(w) > 2}
        if not phrase <= entry_vocabulary:
            found.add(match.group(0))
    return sorted(found)


def definition_subject(text: str) -> str | None:
    """What a definition question asks to define, or None for another kind of question."""
    match = _DEFINITION.match(normalize(text))
    if not match:
        return None
    subject = _DEFINITION_HEAD.sub("", _DEFINITION_TAIL.sub("", match.group("subject")).strip()).strip()
    return None if _DEFINITION_CLAUSE.match(subject) else subject


def undefined_terms(text: str, entry_vocabulary: set[str], known: set[str]) -> list[str]:
    """The content words of a definition question's subject that the assistant knows and the
    entry never uses, near spellings of the entry's words excepted (see the module doc)."""
    subject = definition_subject(text)
    if not subject:
        return []
    content = content_stems(subject)
    foreign = set(foreign_terms(subject, entry_vocabulary, known)[0])
    if content and not content & entry_vocabulary:
        # a term the assistant has never seen, and nothing of it the entry uses ("what is
        # immunotherapy induced arthralgia?"): the entry does not define it either
        foreign |= content - known
    return [w for w in sorted(foreign)
            if not difflib.get_close_matches(w, entry_vocabulary, n=1, cutoff=_NEAR_SPELLING)]


def _about_something_else(foreign: list[str], total: int, min_foreign: int) -> bool:
    return len(foreign) >= min_foreign or (bool(foreign) and len(foreign) == total)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class AnswerabilityCheck(GraphComponent):
    """Turns an FAQ answer about something else than the question into ``dont_know``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "retrieval_intent": "faq",
            "trial_search_intent": "search_trials",
            "min_foreign_terms": 2,
            # a word of a curated subject the entry never uses (bot/nlu/topics.py) is enough
            "check_subjects": True,
            # a definition question whose subject's words the entry never uses
            "check_definitions": True,
            # below this selector confidence the entry is a guess between neighbours: "I don't
            # know" rather than a fact that may be about something else (honest entries excepted)
            "min_entry_confidence": 0.0,
            "min_honest_entry_confidence": 0.0,
            # the intent of questions about nothing the assistant covers, and the intents whose
            # examples are not the assistant's subject (their words do not make a message ours)
            "out_of_scope_intent": "out_of_scope",
            "off_topic_intents": [],
            # a readable message no intent is this sure of is left to the FallbackClassifier,
            # unless it is off topic (then: out of scope)
            "fallback_threshold": 0.0,
            # the classifier's "out of scope" below this, with no word of the out-of-scope
            # examples, is a readable question we do not know: "I don't know"
            "min_out_of_scope_confidence": 0.0,
            # ...and so does one that names nothing of the curated vocabulary of our subject
            # (bot/nlu/scope.py: "how to unclog a drain", "is autism a genetic disease")
            "check_scope": False,
            # honest entries about trials only: given to a message naming no trial, "I don't know"
            "trial_only_entries": [],
            # entries that already say "I do not have this information": never checked
            "honest_entries": [],
            # honest entries about the center's hours, costs and practical facts: given to a
            # message naming another place or thing and nothing of ours ("what time does the
            # louvre open?"), "outside what I can help with"
            "other_place_entries": [],
            # intents about the assistant itself ("who are you?"): a guess of one of them for a
            # message with two or more words its examples never use, and nothing of our subject
            # ("pourriez-vous reporter ma réunion"), is a request about something else
            "own_words_intents": [],
        }

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage | None = None,
                 resource: Resource | None = None, vocabularies: dict[str, set[str]] | None = None,
                 known: set[str] | None = None, facts: dict[str, set[str]] | None = None,
                 trial_entries: set[str] | None = None, domain: set[str] | None = None,
                 elsewhere: set[str] | None = None, intent_words: dict[str, set[str]] | None = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.vocabularies = vocabularies or {}
        self.known = known or set()
        self.facts = facts or {}  # entry -> the kinds of fact its examples ask for
        self.trial_entries = trial_entries or set()  # entries whose examples or answer name trials
        self.domain = domain or set()  # the words of every intent that is the assistant's subject
        self.elsewhere = elsewhere or set()  # the words of out-of-scope requests that are not ours
        self.intent_words = intent_words or {}  # own_words_intents -> the words of their examples

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> AnswerabilityCheck:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        assert self._model_storage is not None and self._resource is not None
        retrieval = self._config["retrieval_intent"]
        vocabularies: dict[str, set[str]] = {}
        facts: dict[str, set[str]] = {}
        trial_entries: set[str] = set()
        known: set[str] = set()
        domain: set[str] = set()
        elsewhere: set[str] = set()
        off_topic = {self._config["out_of_scope_intent"], *self._config["off_topic_intents"]}
        intent_words: dict[str, set[str]] = {name: set() for name in self._config["own_words_intents"]}
        for example in training_data.intent_examples:
            words = stems(example.get(TEXT) or "")
            known |= words
            if example.get(INTENT) in intent_words:
                intent_words[str(example.get(INTENT))] |= words
            if example.get(INTENT) not in off_topic:
                domain |= words
            elif example.get(INTENT) == self._config["out_of_scope_intent"]:
                elsewhere |= words
            key = example.get(INTENT_RESPONSE_KEY)
            if example.get(INTENT) == retrieval and key:
                vocabularies.setdefault(str(key), set()).update(words)
                facts.setdefault(str(key), set()).update(asked_facts(example.get(TEXT) or ""))
                if names_a_trial(example.get(TEXT) or ""):
                    trial_entries.add(str(key))
        for key in vocabularies:
            topic = ENTRY_TOPIC_WORDS.get(key.split("/", 1)[-1], frozenset())
            vocabularies[key] |= {stem(w) for w in topic}
            for variation in training_data.responses.get(f"utter_{key}", []):
                words = stems(str(variation.get(TEXT) or ""))
                vocabularies[key] |= words
                if names_a_trial(str(variation.get(TEXT) or "")):
                    trial_entries.add(key)
                known |= words
                domain |= words
        self.vocabularies, self.known, self.facts = vocabularies, known, facts
        self.trial_entries, self.domain, self.elsewhere = trial_entries, domain, elsewhere - domain
        self.intent_words = intent_words
        with self._model_storage.write_to(self._resource) as directory:
            data = {"vocabularies": {k: sorted(v) for k, v in vocabularies.items()}, "known": sorted(known),
                    "facts": {k: sorted(v) for k, v in facts.items()}, "trial_entries": sorted(trial_entries),
                    "domain": sorted(domain), "elsewhere": sorted(self.elsewhere),
                    "intent_words": {k: sorted(v) for k, v in intent_words.items()}}
            (directory / _FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> AnswerabilityCheck:
        try:
            with model_storage.read_from(resource) as directory:
                data = json.loads((directory / _FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.debug("AnswerabilityCheck: not trained, it will check nothing.")
            return cls(config, model_storage, resource)
        vocabularies = {k: set(v) for k, v in data.get("vocabularies", {}).items()}
        facts = {k: set(v) for k, v in data.get("facts", {}).items()}
        intent_words = {k: set(v) for k, v in data.get("intent_words", {}).items()}
        return cls(config, model_storage, resource, vocabularies, set(data.get("known", [])), facts,
                   set(data.get("trial_entries", [])), set(data.get("domain", [])), set(data.get("elsewhere", [])),
                   intent_words)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def _chosen_entry(self, message: Message) -> str | None:
        if (message.get(INTENT) or {}).get("name") != self._config["retrieval_intent"]:
            return None  # another intent, or already decided by RuleOverrides
        selector = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
        response = (selector.get(self._config["retrieval_intent"]) or {}).get("response") or {}
        key = response.get(INTENT_RESPONSE_KEY)
        return str(key) if key else None

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._check_answer(message)
            if self._off_topic(message):
                _decide(message, self._config["out_of_scope_intent"], {"off_topic": "no word of the assistant's subject"})
        return messages

    def _check_answer(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        intent = message.get(INTENT) or {}
        if self._not_about_the_assistant(text, str(intent.get("name"))):
            _decide(message, self._config["out_of_scope_intent"], {"intent": intent.get("name"), "off_topic": "not about the assistant"})
            return
        if intent.get("name") == self._config["out_of_scope_intent"]:
            if _ABOUT_TRIALS.search(normalize(text)):
                # trials are our subject: "what does randomization mean?" is not outside it
                _dont_know(message, {"out_of_scope": "a question about trials"})
            elif (float(intent.get("confidence") or 0.0) < float(self._config["min_out_of_scope_confidence"])
                  and is_readable_question(text) and not stems(text) & self.elsewhere):
                # an unsure guess with no word of the out-of-scope requests: "is there a
                # bicycle rack?" is a practical question we do not know the answer to
                _dont_know(message, {"out_of_scope": "an unsure guess"})
            return
        if intent.get("name") == self._config["trial_search_intent"] and not_a_trial_search(text):
            _dont_know(message, {"trial_search": "nothing of a trial in the message"})
            return
        key = self._chosen_entry(message)
        honest = {f"{self._config['retrieval_intent']}/{e}" for e in self._config["honest_entries"]}
        trial_only = {f"{self._config['retrieval_intent']}/{e}" for e in self._config["trial_only_entries"]}
        place_entries = {f"{self._config['retrieval_intent']}/{e}" for e in self._config["other_place_entries"]}
        confidence = self._entry_confidence(message)
        if key in honest:
            # an honest entry is about ONE topic: given as a guess between neighbours ("will I
            # have to stay in the hospital?" -> visiting hours) the plain "I don't know" is truer
            if confidence is not None and confidence < float(self._config["min_honest_entry_confidence"]):
                _dont_know(message, {"entry": key, "unsure_entry": True})
            elif key in place_entries and self._config["check_scope"] and self._about_another_place(text, key):
                # "what time does the louvre open?", "is the pnc bank open?": another place's
                # hours, not ours; our hours entry would send them to the center
                _decide(message, self._config["out_of_scope_intent"], {"entry": key, "off_topic": "another place"})
            elif key in trial_only and not _ABOUT_TRIALS.search(normalize(text)):
                # what we do not hold about a trial is no answer to a question naming none
                # ("how long will I stay in hospital?" -> a trial's duration, visits, costs)
                # (the selector was sure of an entry of ours: the question is on our subject)
                _dont_know(message, {"entry": key, "trial_question": False, "on_subject": True})
            return
        if key is None or key not in self.vocabularies:
            return
        vocabulary = self.vocabularies[key]
        foreign, total = foreign_terms(text, vocabulary, self.known)
        unheld = sorted(asked_facts(text) - self.facts.get(key, set()))
        other_subject = about_a_trial(text) and key not in self.trial_entries
        unsure = confidence is not None and confidence < float(self._config["min_entry_confidence"])
        subjects = subjects_not_held(text, vocabulary) if self._config["check_subjects"] else []
        undefined = undefined_terms(text, vocabulary, self.known) if self._config["check_definitions"] else []
        if not (unheld or other_subject or unsure or subjects or undefined
                or _about_something_else(foreign, total, int(self._config["min_foreign_terms"]))):
            return
        _dont_know(message, {"entry": key, "foreign_terms": foreign, "facts_not_held": unheld,
                             "trial_question": other_subject, "unsure_entry": unsure,
                             "subjects_not_held": subjects, "undefined_terms": undefined})

    def _request_of_real_words(self, text: str) -> bool:
        """A request, not a question, of four words or more, two of them words the assistant knows
        ("joue ma station radio", "show me recent activity in my backyard"): readable, so about
        nothing of ours it is "outside what I can help with", not "please rephrase"."""
        return (len(normalize(text).split()) >= 4 and len(stems(text) & self.known) >= 2
                and unusable_input(text) is None)

    def _not_about_the_assistant(self, text: str, intent: str) -> bool:
        """A guess of an intent about the assistant for a message of other words (two or more its
        examples never use), naming nothing of our subject and no language: "combien de pattes a
        un chien", "pourriez-vous reporter ma réunion" are not "who are you?"."""
        folded = normalize(text)
        if intent not in self.intent_words or _LANGUAGE_WORDS.search(folded) or _ABOUT_YOURSELF.search(folded):
            return False
        return len(content_stems(text) - self.intent_words[intent]) >= 2 and outside_our_subject(text)

    def _about_another_place(self, text: str, key: str) -> bool:
        """A message that names nothing of our subject and something none of our intents speaks
        of (a museum, a bank): its question is about that, not about the center."""
        if _ADDRESSES_US.search(normalize(text)):
            return False  # "are you open on sunday?": asked of the center
        # words of our other intents are no other place ("where should I go when I arrive?")
        foreign = content_stems(text) - self.vocabularies.get(key, set()) - self.domain
        return bool(foreign) and outside_our_subject(text)

    def _entry_confidence(self, message: Message) -> float | None:
        selector = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
        confidence = ((selector.get(self._config["retrieval_intent"]) or {}).get("response") or {}).get("confidence")
        return None if confidence is None else float(confidence)

    def _off_topic(self, message: Message) -> bool:
        """An honest "I don't know" (or a readable message no intent is sure of) about nothing
        the assistant covers: "outside what I can help with" says so better (see is_off_topic)."""
        if not self.domain:
            return False
        intent = message.get(INTENT) or {}
        text = message.get(TEXT) or ""
        below = float(intent.get("confidence") or 0.0) < float(self._config["fallback_threshold"])
        unsure = below and ((intent.get("name") != self._config["out_of_scope_intent"] and is_readable_question(text))
                            or self._request_of_real_words(text))
        if not (intent.get("name") == DONT_KNOW_INTENT or unsure):
            return False
        on_subject = bool((message.get(ANSWERABILITY_KEY) or {}).get("on_subject"))
        return (is_off_topic(text, self.domain, self.elsewhere)
                or (bool(self._config["check_scope"]) and not on_subject and outside_our_subject(text)))


def is_off_topic(text: str, domain: set[str], elsewhere: set[str]) -> bool:
    """A message about something else than the assistant's subject: at least one word of the
    out-of-scope examples that our subject never uses (weather, music, events...), and no word
    of our subject: no shared topic word (cancer, trial, treatment...), no cancer type or drug,
    nothing of a trial, no word of the examples of the intents about our subject or of the FAQ
    answers. Words never seen in training count for neither side ("What is a carer?" stays
    "I don't know")."""
    words = _words(text)
    if not words or NCT_IN_TEXT.search(text) or _ABOUT_TRIALS.search(normalize(text)):
        return False
    if any(w in _SHARED or _names_a_concept(w) for w in words):
        return False
    word_stems = {stem(w) for w in words}
    return bool(word_stems & elsewhere) and not word_stems & domain


def _dont_know(message: Message, why: dict[str, Any]) -> None:
    _decide(message, DONT_KNOW_INTENT, why)


def _decide(message: Message, intent: str, why: dict[str, Any]) -> None:
    # The ranking holds the decision alone, as in RuleOverrides: FallbackClassifier would
    # otherwise read a confident runner-up as ambiguity.
    forced = {"name": intent, "confidence": 1.0}
    message.set(INTENT, forced, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [forced], add_to_output=True)
    message.set(ANSWERABILITY_KEY, why, add_to_output=True)
