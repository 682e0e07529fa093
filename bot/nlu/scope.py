"""Is a question about our subject at all? A curated FR/EN vocabulary of what the assistant is for.

The answerability check (bot/nlu/answerability.py) turns an "I don't know" into "outside what I
can help with" when the question has a word of the out-of-scope training examples and none of
the words of our intents. Those words are learned from training sentences, so they are
everyday words too ("best", "work", "record", "break", "disease", "food"), and a question of
words no example uses ("how to unclog a drain") counts for neither side: it stayed "I don't
know" (with our phone number) though it is about plumbing.

This module says it the other way round, from a short list written for the purpose: the
subject of the assistant is cancer and its treatment (immunotherapy first), clinical trials,
the center and the hospital, the care team, visiting and accompanying a patient, the practical
side of coming for treatment (appointments, costs, waiting, results, parking...), side effects
and symptoms, and the assistant itself. A question that names none of these is about something
else, even when it is about health in general (autism, the flu, hypnosis, a dog's food): we
hold nothing on it, and saying "I don't know, call the center" would send people to the
center for a question it does not answer.

Words are folded (bot.text.fold: lower case, no accents) and matched by prefix, so inflections
and both languages' spellings match ("hôpitaux" / "hospitalisation" / "hospital"). Prefixes are
at least four letters; shorter words are matched whole. Cancer types and drug names come from
the trial vocabulary (bot.trials.understand.find_concepts); symptoms and illnesses named by
the safety rules come from bot.vocabulary_terms.
"""
from __future__ import annotations

import functools
import re

from bot.nlu.topics import STUDY_NOUN
from bot.text import fold
from bot.trials import NCT_IN_TEXT
from bot.trials.understand import find_concepts
from bot.vocabulary_terms import VOCABULARY

# Prefixes (folded) of the words of our subject, one line per part of it.
_SUBJECT_PREFIXES = """
    cancer oncolo tumeu tumou tumor metasta malign carcino melanom lymphom leucem leukem myelom
    sarcom chimio chemo radioth radiot radiat radioa immuno anticorp antibod checkpoint
    imuno efect partenari partnership collabor pharma paracetam doliprane ibuprof
    traitem treatm therap medica medicat medecin medicin docteu doctor physicia infirmi nurse
    soignan caregiv aidan carer chirurg surger surgic biopsi perfusi infusi inject
    ordonnan prescri dosag posolo secondai sympto toxic fatigu nause douleu
    essai trial research protocol placeb randomi consent volontai
    volunte particip inscri enrol indemni remuner compensat
    hopit hospit clinic centre center institut curie imoca sanofi urgenc emergen
    ambulan consult rendez appoint accueil admissi sejour chambre
    visit accompa famill family entoura conjoin spouse
    horair parking garer stationn transpor navett shuttle
    cafeteri cantine canteen interpret fauteuil wheelchair aumoni chaplain heberge accommodat
    lodging pyjama valise luggage bicycl
    cout cost tarif factur rembours insuran assuran mutuell gratui financ
    attend wait delai resulta result analyse examen scanne biolog laborat radiog prelev echograph
    soign guerir convalesc recover adverse indesira cobaye guinea placeb blind aveugl sponsor
    promoteu eligib critere inclusi donnees confidenti benefi avantag pluridisciplin concertation
    patient malad diagnos guerison remissi rechut relaps pronost prognos
    assistan chatbo robot
"""
# Short words (and words whose prefix would say too much) of our subject, matched whole.
_SUBJECT_WORDS = """
    ct irm rdv soin soins care cure test tests exam scan sang blood proches relative
    relatives attente attentes labo effet effets effect effects
    phase phases nct park metro ward survie survival stade responder cures
    question questions wifi internet television tele repas meal meals velo bike toilettes
    toilet toilets fleurs flowers papiers paperwork documents sac sacs bag bags identite vitale
    bot ia staff personnel jeun fasting human humans humain humains machine computer ordinateur program programme logiciel software
"""

PREFIXES = tuple(_SUBJECT_PREFIXES.split())
WORDS = frozenset(_SUBJECT_WORDS.split())
# A demonstrative points back to what was said before ("what does this procedure involve?",
# "quelle est l'expérience de cette entreprise ?"): the question may be about our subject.
_CONTEXT = frozenset("cet cette ces this these those".split())
# ...and so does coming along with someone ("what can I bring with me?", "who will be with
# me?"): a visit, ours or not, is the question's subject.
_WITH_ME = re.compile(r"\b(?:with me|avec moi|avec soi)\b")
# ...and taking part in something: a trial, said without the word ("the risks of taking part").
_TAKING_PART = re.compile(r"\b(?:take|takes|taking|took) part\b|\bprendre part\b")
# Kinds of mention of bot.vocabulary_terms that are our subject (other illnesses alone are not).
_SUBJECT_KINDS = frozenset({"cancer", "drug", "symptom"})
_WORD = re.compile(r"[a-z0-9]+")
_STUDY_NOUN = re.compile(STUDY_NOUN)


def subject_words(text: str) -> list[str]:
    """The words of the message that belong to our subject (folded)."""
    return [w for w in _WORD.findall(fold(text))
            if w in WORDS or (len(w) >= 4 and w.startswith(PREFIXES))]


def names_our_subject(text: str) -> bool:
    """Whether the message names anything of what the assistant is for (see the module doc):
    a word of the list, a cancer type or drug of the trial vocabulary, or a cancer, drug or
    symptom of bot.vocabulary_terms (folded words, both languages)."""
    if subject_words(text) or NCT_IN_TEXT.search(text):  # a trial's registry number
        return True
    words = _WORD.findall(fold(text))
    if _STUDY_NOUN.search(" ".join(words)):  # a study as a trial, not the verb or schooling
        return True
    if any(find_concepts(w, "condition") or find_concepts(w, "intervention") for w in words):
        return True
    return _vocabulary_phrases().search(" ".join(words)) is not None


@functools.lru_cache(maxsize=1)
def _vocabulary_phrases() -> re.Pattern[str]:
    """bot.vocabulary_terms's cancer, drug and symptom phrases, folded, as whole words (a plural "s"
    or "x" allowed). Matched without spaCy's lemmas: its pipelines cost a Rasa process about
    180 MB and 5 s at their first use, for the few questions that reach this check."""
    phrases = {" ".join(_WORD.findall(fold(phrase))) for (kind, _key), says in VOCABULARY.items()
               if kind in _SUBJECT_KINDS for phrase in says}
    alternatives = "|".join(re.escape(p) for p in sorted(filter(None, phrases), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})[sx]?\b")


def outside_our_subject(text: str) -> bool:
    """A message about something else than what the assistant is for: it names nothing of our
    subject and does not point back to what was said before."""
    words = _WORD.findall(fold(text))
    joined = " ".join(words)
    return (bool(words) and not _CONTEXT & set(words) and not _WITH_ME.search(joined)
            and not _TAKING_PART.search(joined) and not names_our_subject(text))
