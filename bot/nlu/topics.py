"""Subjects a question can be about that our FAQ entries mostly do not cover: a curated FR/EN
vocabulary for the answerability check (bot/nlu/answerability.py).

The check counts a word against an entry only when the assistant has seen it in training: a
typo or a brand name must not turn a right answer into "I don't know". But the words that name
what people ask about and we hold nothing on (randomisation, blinding, alcohol, a vaccine, a
single room, the cafeteria...) are often words no training example uses, so the nearest entry
answered them ("what does randomization mean?" -> what a clinical trial is). These words name a
subject on their own: one of them that the chosen entry never uses (in its examples or its
answer) is enough to say the entry does not answer the question.

Each line is one subject; words are folded (lowercase, no accents) and matched by the check's
crude stem, so inflections match too. Only words that never serve as a question frame belong
here ("work", "control", "contrôle" of "points de contrôle", "bras" the body part stay out).
"""
from __future__ import annotations

_SUBJECTS = {
    # how trials are designed, run and paid for: no entry explains these
    "trial design": """randomization randomisation randomized randomised randomly randomiser randomise
        aleatoire aleatoirement hasard tirage placebo placebos blind blinded blinding aveugle insu
        crossover sponsor sponsors sponsored promoteur investigator investigators investigateur
        ethics ethique comite committee irb cobaye cobayes guinea prevention screening depistage
        observational observationnelle observationnel""",
    "compensation": "compensation compensated remunere remuneres remuneration stipend indemnise",
    # who may be taken into a trial: the criteria are each trial's own
    "eligibility": """eligible eligibility ineligible eligibilite admissible admissibilite exclusion
        exclusions excluded exclude exclu exclus exclue exclure criteria criterion criteres critere
        inclusion""",
    # everyday life during treatment: individual questions for the care team
    "lifestyle": """alcohol alcool wine vin beer biere drinking sugar sucre sucres diet regime
        alimentation nutrition vaccine vaccines vaccin vaccins vaccination vaccinated vacciner
        travel travelling voyage voyager voyages sun soleil sunscreen exercise exercice sport sports
        pregnant pregnancy enceinte grossesse fertility fertilite contraception sexual sexualite
        driving conduire smoking smoke fumer tabac cigarette cigarettes""",
    # what causes cancer and the myths about it: outside the center's sources
    "causes and myths": """sweetener sweeteners edulcorant edulcorants deodorant deodorants
        antiperspirant antiperspirants phones portable contagious contagieux hereditary
        hereditaire inherited genetic genetique attitude herbal plantes microwave""",
    # a stay or a visit: facts the center's pages do not hold
    "hospital stay": """room chambre private cafeteria canteen cafet meal meals repas food
        nourriture wifi internet television tele parking voiture shuttle navette taxi
        ambulance hotel hebergement accommodation lodging interpreter interprete wheelchair fauteuil
        wear clothes clothing vetements pyjama luggage valise flowers fleurs pets animaux chaplain
        aumonier tour""",
}

SUBJECT_WORDS = frozenset(word for line in _SUBJECTS.values() for word in line.split())

# Subjects named by a phrase whose words, one by one, are ordinary ("last", "line", "early"):
# folded phrases, matched as whole words. One of them is enough unless the entry uses every
# word of it (bot/nlu/answerability.py, subjects_not_held).
_PHRASE_SUBJECTS = {
    # where a treatment comes in the course of care, and access outside a trial
    "line of treatment": """last resort | dernier recours | first line | second line
        | premiere intention | premiere ligne | deuxieme ligne | seconde ligne | compassionate use
        | usage compassionnel | acces compassionnel | expanded access | acces precoce
        | off label | hors amm | second opinion | deuxieme avis | second avis""",
    # how a trial is run or stopped: no entry explains these
    "trial conduct": """stopped early | ended early | terminated early | closed early
        | arrete prematurement | arret premature | arrete avant la fin | control group
        | groupe controle | groupe temoin | open label | study type | type of study | type d etude""",
    # who may be taken into a trial, asked without "eligible": each trial's criteria
    "who may join": """who can join | who can take part | who can participate | who may take part
        | qui peut participer | qui peut entrer dans un essai""",
}

PHRASE_SUBJECTS = frozenset(" ".join(phrase.split()) for line in _PHRASE_SUBJECTS.values()
                            for phrase in line.split("|"))

# Words of an entry's topic that its examples and answer do not all hold: a general question
# about immunotherapy and the thyroid, hair or the liver is a side-effect question, and the
# side-effect entry answers it (report any new symptom, serious signs: 15 / 112), even though
# that entry names only the serious signs. Merged into the entry's words at training time.
_ENTRY_TOPICS = {
    "side_effects": """rash rashes eruption eruptions itch itching itchy demangeaison demangeaisons
        skin peau diarrhea diarrhoea diarrhee diarrhees colitis colite fatigue fatigued tired tiredness
        fatigant epuisement exhaustion nausea nausee nausees vomiting vomit vomissement vomissements
        thyroid thyroide hormone hormones hormonal hormonaux liver foie hepatitis hepatite lung lungs
        poumon poumons pneumonitis pneumopathie cough toux breathless breathlessness essoufflement
        joint joints articulation articulations articulaire articulaires muscle muscles musculaire
        musculaires pain pains douleur douleurs ache aches fever fievre headache headaches cephalee
        appetite appetit hair cheveux kidney kidneys rein reins diabetes diabete eye eyes yeux vision
        inflammation inflammations inflammatoire autoimmune toxicity toxicities toxicite toxicites
        heart coeur myocarditis myocardite neuropathy numbness engourdissement constipation mouth
        bouche gland glands glande glandes pituitary hypophyse adrenal surrenale surrenales flu
        grippal grippaux adverse indesirable indesirables reaction reactions
        arthralgia arthralgias arthralgie arthralgies myalgia myalgie myalgies hypothyroidism
        hypothyroidie hyperthyroidism hyperthyroidie thyroiditis thyroidite vitiligo dermatitis
        dermatite nephritis nephrite myositis myosite hypophysitis hypophysite insomnia insomnie
        nails ongles""",
    # the days and times a question about our hours names ("are you open on sunday?")
    "opening_hours": """monday tuesday wednesday thursday friday saturday sunday weekend weekends
        lundi mardi mercredi jeudi vendredi samedi dimanche ferie feries holiday holidays
        morning evening night matin soir nuit midi noon""",
}

ENTRY_TOPIC_WORDS = {entry: frozenset(words.split()) for entry, words in _ENTRY_TOPICS.items()}

# "Study" is a trial only as a noun: "a study", "the research study", "the study drug", "une
# étude", "des études cliniques"; not the verb ("what to study in college", "how do I study for
# the SAT") nor schooling ("mes études", "faire des études de médecine"). A regular expression
# over folded, punctuation-free text, shared by the answerability and scope checks.
STUDY_NOUN = (
    r"(?:\b(?:a|an|the|this|that|these|those|my|your|our|their|its|each|any|which|what|clinical|research|medical"
    r"|observational|interventional|randomi[sz]ed|new|in|of|for|about|into|join|joining|enrol\w*|particip\w*"
    r"|take part in|taking part in)\s+(?:(?!to\b)\w+\s+)?(?:study|studies)\b"
    r"|\b(?:study|studies)\s+(?:drug|treatment|medication|medicine|team|doctor|nurse|visits?|sites?|staff"
    r"|participants?|volunteers?|results?|protocol)\b"
    r"|(?<!\bmes )(?<!\btes )(?<!\bses )(?<!\bnos )(?<!\bvos )(?<!faire des )(?<!fait des )(?<!fais des )"
    r"\betudes?\b(?! (?:superieures|universitaires|secondaires|de (?:medecine|droit|commerce|marche)))"
    r"(?!\s+(?:de|d)\s+(?:medecine|droit|commerce|ingenieur|marche)))"
)
