"""Rules that must not depend on the statistical model: urgency, advice requests, bad input."""
import pytest

from bot.safety import (
    MAX_MESSAGE_CHARS,
    asks_medical_advice,
    calls_it_mild,
    is_about_ones_case,
    is_personal_health_question,
    is_urgent,
    may_be_a_symptom,
    mentions_serious_symptom,
    unusable_input,
)

URGENT = [
    "when should I call 15?",  # asking when to call: the numbers first
    "quels signes doivent faire appeler tout de suite ?",
    "quand je respire j'ai mal à la poitrine",
    "j'ai 39 de fièvre depuis ce matin",
    "J'ai une forte fievre apres ma perfusion",
    "mon mari ne peut plus respirer",
    "je n'arrive plus a respirer",
    "j'ai mal à la poitrine",
    "ma mère a fait un malaise",
    "j'ai la diarrhée depuis 3 jours",
    "I have chest pain",
    "i cant breathe",
    "my wife fainted",
    "i've had diarrhea 8 times today",
    "I'm really short of breath",
    "my dad is confused and doesn't recognise me",
    # urgency wins even inside another question
    "Bonjour, je suis sous pembrolizumab et j'ai 40 de fièvre, y a-t-il un essai pour le mélanome ?",
    # no pronoun needed when the symptom is described as happening
    "éruption avec des cloques partout, ça s'étend",
    "fievre 40 depuis hier",
    "douleur dans la poitrine là maintenant",
    "rash all over and fever since last night",
    "lèvres gonflées après la perfusion",
    # lists of symptoms
    "forte fièvre, diarrhée, vomissements",
    "vomissements et diarrhée depuis ce matin",
    "fever, chills and coughing",
    # saying it is urgent
    "c'est urgent svp",
    "URGENT",
    "urgent please",
    "emergency!!",
    "au secours",
    # spelling mistakes
    "diarhée tres forte depuis 2 jours",
    "j'ai de la fiévre a 39.5",
    "i cant brethe",
    "my dad colapsed",
    "jai une fievr de 40",
    # whoever it concerns
    "il a 39 de fievre",
    "ma fille est toute confuse depuis sa perfusion",
    "my wife has severe diarrhoea since yesterday",
]
NOT_URGENT = [
    "quels sont les effets secondaires",
    "can immunotherapy cause a high fever?",  # a general question
    "la fièvre est-elle un effet secondaire",
    "je n'ai pas de forte fièvre",  # negated
    "I don't have chest pain",
    "I have no fever and no chest pain",
    "is there a trial for melanoma",
    "I fit the criteria?",
    "my father has lung cancer, is there a trial",
    "can immunotherapy give you bad diarrhoea?",  # general: answered, plus the 15/112 line
    "peut-on avoir une forte fièvre avec l'immunothérapie ?",
    "ce n'est pas urgent, juste une question",
    "je n'ai pas de fièvre ni de diarrhée",
    "no fever, no diarrhoea, all fine",
    "help me with my math homework",
    "de quelle couleur est le logo",  # "couleur" is no misspelt "douleur"
    "ma maladie s'est-elle étendue ?",  # "maladie" is no misspelt "malaise"
    "I'm voting tomorrow",  # nor "voting" "vomiting"
    "is the center open on sundays?",
    "how much does it cost?",
]


# Signs added for real wordings nobody had a pattern for (each one failed before).
URGENT += [
    "black tarry stools",
    "j'ai des selles noires",
    "ma femme saigne du nez sans arrêt",
    "je n'arrive pas à uriner depuis hier",
    "je fais une réaction allergique",
    "il ne se réveille pas",
    "she won't wake up",
    "il a la bouche de travers et ne parle plus",
    "numbness on one side of my face",
    "je veux mourir",
    "ma peau part en lambeaux",
    "c'est urjent",
    "my legs are very weak and I can't walk",
    "je ne peux plus marcher",
    # asking what to do about an urgent symptom: the numbers are the answer, even before it happens
    "que faire si j'ai une forte fièvre ?",
    "Que faire si vous avez des douleurs thoraciques",
    "what should I do if I can't breathe?",
]
NOT_URGENT += [
    "vais-je mourir de ce cancer ?",  # a fear, not an emergency: the advice refusal
    "l'immunothérapie peut-elle provoquer une réaction allergique ?",  # general
    "can i drive to the center?",
    "can I walk after the infusion?",
]


@pytest.mark.parametrize("text", URGENT)
def test_urgent_symptoms_are_recognised(text: str) -> None:
    assert is_urgent(text)


@pytest.mark.parametrize("text", NOT_URGENT)
def test_general_questions_are_not_urgent(text: str) -> None:
    assert not is_urgent(text)


@pytest.mark.parametrize(
    ("text", "serious"),
    [
        ("can immunotherapy give you bad diarrhoea?", True),
        ("l'immunothérapie donne-t-elle de la fièvre ?", True),
        ("can it make you short of breath", True),
        ("qui dirige le centre", False),
        ("what is immunotherapy", False),
        ("je n'ai pas de fièvre", False),
    ],
)
def test_general_questions_naming_a_serious_symptom(text: str, serious: bool) -> None:
    assert mentions_serious_symptom(text) is serious
    assert not is_urgent(text)


@pytest.mark.parametrize(
    "text",
    [
        "est-ce que je dois arrêter mon traitement",
        "ma dose est-elle la bonne",
        "est-ce que je vais guérir",
        "should I stop my treatment",
        "will i survive",
        "can I take ibuprofen with my immunotherapy",
        "puis-je prendre du doliprane entre deux cures ?",
        "mon mari doit-il continuer le keytruda",
        # one person's situation: other illnesses, age, lab values, scans, which drug, chances
        "mon père a une insuffisance cardiaque, l'immunothérapie est-elle dangereuse pour lui ?",
        "j'ai un lupus, je peux avoir une immunothérapie ?",
        "I had a kidney transplant, can I get immunotherapy?",
        "ma mère a 85 ans, est-ce que l'immunothérapie est adaptée à son âge ?",
        "I'm 82, am I too old for immunotherapy",
        "mes plaquettes sont basses",
        "my platelets are at 90, is that bad",
        "ma tumeur a grossi au dernier scanner",
        "nivolumab ou pembrolizumab, lequel marche le mieux pour un mélanome comme le mien ?",
        "which drug is better for me, keytruda or opdivo?",
        "what are my chances",
        "will it work for me?",
        "est-ce normal que je sois si fatigué",
        "is it normal that I feel tired after my infusion",
        "puis-je encore travailler",
        "can I still drive",
        "combien de temps il me reste",
        "quel est le stade de mon cancer, c'est grave ?",
        "my tumour is triple negative, what does that mean for me?",
        "which immunotherapy do you recommend?",
        "is it OK to go in the sun during treatment?",
        "j'ai des démangeaisons depuis ma perfusion",
        "is there an approved immunotherapy for my kind of cancer?",
        "l'immunothérapie peut-elle soigner mon cancer ?",
        # one's own diagnosis, prognosis, the doctor's choice, the tests one needs
        "what sort of lung cancer do I have exactly?",
        "le cancer s'est-il étendu aux os ?",
        "what's the grade of the tumour?",
        "what are the odds that it comes back?",
        "mon cancer est-il curable ?",
        "pourquoi me prescrivez-vous ce médicament ?",
        "why this treatment and not chemo?",
        "should I ask for a second opinion?",
        "dois-je passer une IRM avant de commencer ?",
        "will I lose my hair?",
        "vais-je pouvoir retravailler pendant le traitement ?",
        "is my wound infected?",
        "my nails are breaking",
        "can you explain the results of my blood test?",
        "que signifient ces valeurs ?",
        "is a trial a good option for me?",
        "est-il normal que je sois si fatiguée ?",
        "am I cured now that the treatment has stopped?",
        "what will happen to me after the last infusion?",
        "is this rash serious?",
        "should I take part in a trial?",
    ],
)
def test_advice_requests_are_recognised(text: str) -> None:
    assert asks_medical_advice(text)


@pytest.mark.parametrize(
    "text",
    [
        # the definite tumour of a "question for my doctor", without a pronoun
        "La tumeur est-elle opérable ?",
        "Les ganglions sont-ils touchés ?",
        "Y a-t-il des métastases ?",
        "How big is the tumor?",
        "Is the goal to cure the cancer or to control it?",
        "Le traitement est-il curatif ou palliatif ?",
        "Est-ce grave docteur ?",
        "Quelles sont les chances que ça marche ?",
        "How will we know if the treatment is working?",
        # one's habit or other illness, and "is that a problem?"
        "Je fume encore, est-ce un problème ?",
        "I take steroids, is that a problem?",
        "Je suis allergique à la pénicilline, est-ce un souci ?",
        "I smoke, does it matter?",
        # one's future, work, lab values, the offered trial
        "Vais-je pouvoir continuer à travailler ?",
        "How long will I live?",
        "Combien de temps vais-je vivre ?",
        "What is the success rate for someone like my father?",
        "C'est normal d'avoir mal aux articulations ?",
        "le marqueur de ma mère a augmenté",
        "Should I take the trial the doctor offered?",
        "Should my mother do the trial or chemo?",
        "Is immunotherapy an option for my husband?",
    ],
)
def test_own_situation_without_the_usual_cues(text: str) -> None:
    assert asks_medical_advice(text)


@pytest.mark.parametrize(
    "text",
    [
        "quels sont les effets secondaires",
        "can i take part in this trial",
        "peut-on arrêter un essai en cours de route",  # leaving a trial: the FAQ answers
        "does immunotherapy replace chemotherapy",
        "what are the inclusion criteria",
        "quand vais-je recevoir mes résultats",  # practical: the care team, no refusal
        "how do I get my results?",
        "can i get information on the treatment",
        "est-ce qu'on peut avoir des problèmes de thyroïde avec l'immunothérapie",  # general
        "ma mère a 82 ans, est ce qu'elle peut être incluse dans un essai ?",  # trial answers
        "i had chemo before, can i still participate?",
        "est-ce que vous avez accès à mes résultats",  # what the assistant is
        "is the center open on sundays?",
        "how much does it cost?",
        "are there trials for my type of cancer?",  # the trial search answers
        "which cancers can immunotherapy treat?",
        # everyday requests with "for me" / "should I" / "my": no health, no advice
        "play some jazz for me",
        "joue la radio pour moi",
        "should I take an umbrella today?",
        "do you recommend a good film?",
        "can you help me with my homework?",
        # practical however personal: money, appointments, who to talk to
        "will my insurance cover immunotherapy?",
        "how long will I wait for an appointment?",
        "if I'm anxious about my treatment, who can I talk to?",
        "what are the stages of a clinical trial?",
        "when should I call the doctor?",  # the warning signs: the FAQ
        "can i drive to the center?",  # getting there, not driving while treated
        "I am going to keep driving to the center",
        "What trials can I take part in?",
    ],
)
def test_general_questions_are_not_advice_requests(text: str) -> None:
    assert not asks_medical_advice(text)


@pytest.mark.parametrize(
    ("text", "personal"),
    [
        ("where will I have my treatment?", False),  # where care is given: practical, not a refusal
        ("my skin is very red since the infusion", True),
        ("est-ce que je vais avoir mal ?", True),
        ("what is immunotherapy?", False),  # general
        ("can I bring my dog?", False),  # not about health
        ("can my husband stay with me during the infusion?", False),  # accompanying: the FAQ
        ("le cancer est-il contagieux ?", False),  # impersonal "il": nobody's own health
        ("what trials are open to me?", False),  # the trial search answers
        ("how much will my treatment cost?", False),  # money: the FAQ's costs entry
        ("Je n'ai plus d'appétit", True),  # health words the rules lacked
        ("I keep losing weight", True),
        ("My feet are numb", True),
        ("Dois-je suivre un régime particulier ?", True),
    ],
)
def test_questions_about_ones_own_health(text: str, personal: bool) -> None:
    assert is_personal_health_question(text) is personal


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("😀😀😀", "empty"),
        ("?!...", "empty"),
        ("a" * (MAX_MESSAGE_CHARS + 1), "too_long"),
        ("Ich möchte wissen, ob es eine Studie gibt", "unsupported_language"),
        ("hello", None),
        ("<script>alert(1)</script>", None),  # answered (by the fallback), shown as text
        ("'; DROP TABLE trials; --", None),
    ],
)
def test_unusable_input(text: str, reason: str | None) -> None:
    assert unusable_input(text) == reason


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        # asked of one's doctor about one's own diagnosis, tests and treatment
        ("Are you really sure it is a melanoma?", True),
        ("Êtes-vous vraiment sûr du diagnostic ?", True),
        ("Which scans have you ordered for me?", True),
        ("Quels examens restent à faire avant de commencer ?", True),
        ("Des analyses doivent-elles encore être faites ?", True),
        ("Les examens qui doivent être faits avant la perfusion, lesquels ?", True),
        ("Is the aim curative, or is it palliative now?", True),
        ("What happens if the immunotherapy doesn't work?", True),
        ("Et si le traitement ne marche pas ?", True),
        # a voice-assistant request is no question about one's health
        ("remind me to take my medicine at nine am", False),
        ("rappelle-moi de prendre mes médicaments ce soir", False),
    ],
)
def test_advice_cues_put_to_the_doctor(text: str, advice: bool) -> None:
    assert asks_medical_advice(text) is advice


@pytest.mark.parametrize(
    ("text", "personal"),
    [
        ("What does my pathology report say?", True),
        ("mes biomarqueurs, ça donne quoi ?", True),
        # everyday words alone: not one's health
        ("save my opinion on this song", False),
        ("tell me my chances of rain today", False),
        ("please scan my social media", False),
        ("i'm going to sleep now", False),
        ("merci d'archiver mes messages lus", False),  # "hiv" inside "archiver"
        ("j'aurai besoin de chaussettes chaudes cet hiver", False),
        # two of them together, or with a word of health, still are
        ("my test results and my chances, what do they say?", True),
        ("I keep losing weight", True),
    ],
)
def test_everyday_words_alone_are_not_health(text: str, personal: bool) -> None:
    assert is_personal_health_question(text) is personal


@pytest.mark.parametrize(
    ("text", "symptom"),
    [
        ("ça ne va pas du tout, je me sens partir", True),
        ("his lips are turning blue", True),
        ("c'est urgent", True),
        ("he is having fits", True),
        ("silence", False),
        ("play my jogging playlist", False),
        ("olly play i can't feel my face", False),  # a song title in a request
        ("aujourd'hui j'ai vu un bouledogue", False),
    ],
)
def test_what_may_tell_of_a_symptom(text: str, symptom: bool) -> None:
    assert may_be_a_symptom(text) is symptom


@pytest.mark.parametrize(
    ("text", "case"),
    [
        ("Has the melanoma spread?", True),
        ("What are the risks and benefits of this treatment plan?", True),
        ("Ce cancer est-il agressif ?", True),
        ("What Is My Prognosis?", True),
        # French "le cancer" is generic; a short definition is general information
        ("Le cancer est-il contagieux ?", False),
        ("Qu'est-ce que le cancer du poumon ?", False),
        ("What is the melanoma?", False),
        # a trial or a practical question keeps its own answers
        ("Is the melanoma trial still open?", False),
        ("How much does the surgery cost?", False),
        # one's relative named, but general information asked: "I don't know" may stand
        ("bonjour, mon pere commence une immunotherapie et je voudrais comprendre comment ca marche", False),
        ("my wife starts immunotherapy next week, how does it work?", False),
        ("my wife starts immunotherapy next week, will she lose her hair?", True),
    ],
)
def test_ones_case_named_with_a_definite_article(text: str, case: bool) -> None:
    assert is_about_ones_case(text) is case


@pytest.mark.parametrize(
    "text",
    [
        "il a les lèvres bleues",
        "she is not breathing",
        "I think I am having a heart attack",
        "je crois que je fais un AVC",
        "mon coeur bat très vite",
        "my husband is not making sense",
        "she can't keep anything down",
        "i threw up blood",
        "temp 39.5",
        "i have a 102 fever",  # Fahrenheit
        "fever 103F",
        "je ne sens plus mes jambes",
        "pee is red",
        "my stomach hurts so bad",
        "vomiting for 2 days",
        "can't stop shaking",
    ],
)
def test_more_urgent_wordings(text: str) -> None:
    assert is_urgent(text)


@pytest.mark.parametrize(
    "text",
    [
        "j'ai eu un AVC il y a 3 ans, puis-je avoir une immunothérapie ?",  # a past illness: advice
        "can immunotherapy cause a fever of 102?",  # a general question
        "heart attack symptoms in women",
        "play the song 101",
    ],
)
def test_not_urgent_wordings(text: str) -> None:
    assert not is_urgent(text)


# Wordings of issue 15 (items 2, 3) that the rules missed, one per class (stop 20).
@pytest.mark.parametrize(
    "text",
    [
        "j'ai la sensation de ne pas pouvoir respirer à fond",  # an infinitive
        "comme un poids sur la poitrine depuis ce matin",
        "mon père est tout jaune depuis hier",  # jaundice without skin or eyes
        "on n'arrive pas à la réveiller",  # told by the one trying
        "we can't wake my husband",
        "mon fils a convulsé",  # any form of the verb
        "je n'urine plus depuis hier",
        "my mom has a high temp and is shaking",
        "My heart is beating fast and it scares me.",  # "beating" is no misspelt "bleeding"
        "I feel heart pain when I walk a lot",
        "j'ai la tête qui tourne et je suis tombée",  # a fall beside another alarm
        "je respire très mal",  # an adverb between the verb and its manner
        "chest pian",
    ],
)
def test_urgent_wordings_of_real_questions(text: str) -> None:
    assert is_urgent(text)


@pytest.mark.parametrize(
    "text",
    [
        "à 75 ans on peut encore faire une immunothérapie ?",  # an age, no pronoun
        "can my wife still travel by plane during her treatment?",  # another subject of "still"
        "puis-je partir en vacances entre deux perfusions ?",
        "peut-on se faire vacciner contre la grippe sous keytruda ?",
        "je prends des corticoïdes, est-ce que ça diminue l'efficacité de l'immunothérapie ?",
        "quelle dose de pembrolizumab pour mon poids ?",
        "je pèse 50 kilos, la dose est-elle adaptée ?",
        "should my father do immunotherapy or palliative care?",
        "quels sont les risques pour quelqu'un qui a un lupus ?",  # an illness, someone
        "what are the risks for someone with rheumatoid arthritis?",
        "Quelles sont les autres options thérapeutiques dans mon cas ?",
        "Quelle est sa gravité ?",
    ],
)
def test_advice_wordings_of_real_questions(text: str) -> None:
    assert asks_medical_advice(text)


@pytest.mark.parametrize(
    "text",
    [
        "How will my treatment be administered?",  # its organisation, not advice
        "Who will administer my treatment?",
        "Où vais-je faire mon traitement ?",
        "Can Immunotherapy Cause Joint Pain?",
        "Comment fonctionne le pembrolizumab (Keytruda) ?",
        "Is immunotherapy treatment painful?",
    ],
)
def test_near_misses_are_not_advice(text: str) -> None:
    assert not asks_medical_advice(text)
    assert not is_urgent(text)


@pytest.mark.parametrize(
    ("text", "mild"),
    [
        ("How to manage mild diarrhea?", True),
        ("une légère fièvre depuis hier", True),
        ("une toux légère depuis la perfusion", True),  # the French adjective after the noun
        ("des vertiges passagers le matin", True),
        ("mild fever of 39.5", False),  # the rules decide what is severe
        ("a mild rash all over, spreading", False),
        ("severe diarrhea", False),
    ],
)
def test_symptoms_called_mild(text: str, mild: bool) -> None:
    assert calls_it_mild(text) is mild


def test_an_alarm_clock_is_no_symptom() -> None:
    assert not may_be_a_symptom("wake me up at five am")
    assert not may_be_a_symptom("réveille-moi à 7h")
    assert not may_be_a_symptom("do not wake me up tomorrow")
    assert is_urgent("wake me up, my husband is not breathing")  # the rules still decide


# Round 4 (issue 15): kinds of wording real lists, leaflets and accounts use; each failed before.
@pytest.mark.parametrize(
    "text",
    [
        # a leaflet's line: a general phrase ("en cas de") in a statement, not a question
        "En cas de douleur thoracique brutale.",
        "In case of sudden shortness of breath.",
        # blood named after the stools; a count of liquid stools; "bloody" is no misspelt "blood"
        "des selles avec du sang",
        "stools with blood in them",
        "bloody stools since this morning",
        "5 selles liquides depuis ce matin",
        "more than 4 watery stools today",
        # half a breath, not enough air, swallowing and breathing
        "je respire à moitié depuis ce matin",
        "I can't catch my breath",
        "not getting enough air",
        "difficulté à avaler et à respirer",
        # yellowing, an altered state of mind, meningism, a sudden headache or loss of sight
        "yellowing of the eyes",
        "altered mental state",
        "he is hard to wake",
        "fièvre et raideur de la nuque",
        "worst headache of my life",
        "perte de la vue soudaine",
        # a fever from 38.3 (the immunotherapy leaflets' threshold), a swollen painful calf, speech lost
        "fièvre à 38,3",
        "fever over 38",
        "j'ai 38,5 depuis hier",
        "mollet gonflé et douloureux",
        "il n'arrive plus à parler",
        "palpitations and dizziness",
        "très forte douleur au ventre",
        "I've been throwing up all day",
    ],
)
def test_urgent_wordings_of_leaflets_and_accounts(text: str) -> None:
    assert is_urgent(text)


@pytest.mark.parametrize(
    "text",
    [
        # one's future is asked about, not happening ("will I have...?"): the advice refusal
        "Will I get diarrhoea and vomiting?",
        "vais-je avoir de la fièvre et des frissons ?",
        # ...but a symptom happening now still wins
        # numbers that are no temperature, tests that are no bleeding
        "j'ai 39 ans",
        "analyse d'urine et prise de sang demain",
        "urine test and blood test",
    ],
)
def test_not_urgent_future_and_lookalikes(text: str) -> None:
    assert not is_urgent(text)


def test_eligibility_alone_belongs_to_the_trial_answers() -> None:
    # in a conversation about trials; eligibility for a named treatment is advice (round 4 list)
    assert not asks_medical_advice("suis-je éligible ?")


@pytest.mark.parametrize("text", [
    "un proche peut-il rester pendant la perfusion ?",
    "can my friend stay next to me during chemo?",
    "my mother wants to stay beside me during the infusion, is that allowed?",
    "mon amie peut-elle rester à côté de moi pendant la chimio ?",
])
def test_a_relative_staying_during_the_infusion_is_no_advice(text: str) -> None:
    # accompanying (accompany_patient in the FAQ), though it names the treatment
    assert not asks_medical_advice(text)


@pytest.mark.parametrize(("text", "urgent"), [("help!!", True), ("aidez-moi vite", True), ("Help me please!", True),
                                             ("help me find a restaurant", False), ("aide-moi à écrire un mail", False)])
def test_a_bare_cry_for_help(text: str, urgent: bool) -> None:
    assert is_urgent(text) is urgent


def test_a_symptom_now_wins_over_a_question_about_the_future() -> None:
    assert is_urgent("I have chest pain, will I be OK?")


@pytest.mark.parametrize(
    "text",
    [
        # declining or stopping the treatment, and what follows
        "If I refuse the chemo, what will happen?",
        "si je refuse le traitement, que va-t-il se passer ?",
        "et si j'arrête l'immunothérapie ?",
        # a part of oneself that hurts; what the treatment makes one feel; how one felt
        "my knee hurts since the infusion",
        "the chemo makes me feel sick all the time",
        "le traitement me donne des nausées",
        "I felt dizzy this morning",
        "I've been feeling weak lately",
        "je fais de l'insomnie depuis la cure",
        "je souffre de maux de ventre",
        "my wound looks infected",
        "ma cicatrice est rouge et gonflée",
        # another illness, an organ's problems
        "he has kidney problems, can he have opdivo?",
        # what a scan found; whether a treatment is worth it; worries about one's results
        "le scanner montre une nouvelle lésion, c'est grave ?",
        "is it worth trying immunotherapy at stage 4?",
        "est-ce que ça vaut la peine de faire une immunothérapie ?",
        "j'ai peur de mes résultats",
        # what one may do during or after one's treatment, being on a treatment
        "can I go to the gym after my infusion?",
        "puis-je faire du vélo après ma perfusion ?",
        "mon mari est sous keytruda, peut-il boire un verre de vin ?",
        "Peut-on se baigner à la mer trois semaines après une chimiothérapie ?",
        # going back to work, one's hair, one's options, a mutation one has, a relative's friend
        "est-ce que je pourrai reprendre le travail ?",
        "mes cheveux vont-ils repousser ?",
        "I'm 45 with stage 3 melanoma, what are my options?",
        "on m'a dit que j'ai une mutation BRAF, ça change quoi ?",
        "would immunotherapy help her?",
        # a symptom named, then "is it normal?"
        "Fatigue après la cure : est-ce normal ?",
        # being eligible oneself; the chances this treatment works; knowing the cancer has gone
        "Am I eligible for immunotherapy?",
        "Do I qualify for immunotherapy?",
        "What are the chances this treatment works?",
        "Comment saura-t-on si le cancer a disparu ?",
        "Y a-t-il des choses à éviter pendant le traitement ?",
    ],
)
def test_advice_wordings_of_round_4(text: str) -> None:
    assert asks_medical_advice(text)


@pytest.mark.parametrize(
    ("text", "case"),
    [
        # "this treatment", asked of one's cancer center, is the one proposed to the asker
        ("Quels sont les risques de ce traitement ?", True),
        ("How long will this treatment last?", True),
        # a clinical case written tersely, no person named: a patient asking about their own
        ("immunothérapie et insuffisance rénale ?", True),
        ("TSH 8 sous keytruda", True),
        ("nivolumab ou pembrolizumab ?", True),
        ("quelle dose de nivolumab ?", True),
        ("normal d'être fatigué après la perfusion ?", True),
        ("85 years old, is immunotherapy an option?", True),
        ("est-il trop tard pour une immunothérapie ?", True),
        ("chances de survie mélanome stade 4 avec immunothérapie", True),
        # ...not a trial, nor how it works
        ("nivolumab or pembrolizumab trials?", False),
        ("comment l'immunothérapie agit-elle en cas de lupus ?", False),
        # a symptom told without a question or a person (a leaflet's line): somebody has it
        ("Des douleurs articulaires persistantes.", True),
        ("fatigue persistante", True),
        ("night sweats and aches", True),
        # everyday words that name no symptom, a question, a negation
        ("dis moi la température", False),
        ("appelle le taxi jaune", False),
        ("les effets secondaires", False),
        ("pas de fièvre", False),
    ],
)
def test_a_symptom_told_is_about_ones_case(text: str, case: bool) -> None:
    assert is_about_ones_case(text) is case


@pytest.mark.parametrize(
    "text",
    [
        # the breath in French, told by a relative, in the past
        "hier mon père avait du mal à reprendre son souffle",
        "elle est à bout de souffle depuis ce matin",
        "il a le souffle court depuis la perfusion",
        # breathing that is fast, shallow or noisy, as a list line
        "respiration rapide et superficielle",
        "her breathing is fast and noisy",
        "laboured breathing",
        # English past and "in": the tense and a preposition do not change the sign
        "last night he couldn't breathe",
        "she could not breathe properly",
        "he was having difficulty in breathing",
        "his heart was racing",
        # blue named before the lips, cyanosis by its name
        "une coloration bleue des doigts",
        "bluish tint to the lips",
        "cyanose",
        # not knowing where one is, thinking in disorder, speech slurred or muddled
        "my father doesn't know where he is",
        "elle ne sait plus où elle est",
        "disorganized thinking since this morning",
        "slurred words",
        "mon mari bafouille depuis une heure",
        # sweating and weakness together: a worrying state, told by a relative
        "mon père transpire énormément et il a une grande faiblesse",
        "my husband is sweating and has a weakness in his arms",
    ],
)
def test_urgent_signs_in_other_words(text: str) -> None:
    assert is_urgent(text)


@pytest.mark.parametrize(
    "text",
    [
        "is sweating a side effect of immunotherapy?",  # one alarm word, a general question
        "la transpiration et la faiblesse sont-elles des effets secondaires ?",  # general, asked
        "comment retrouver son souffle après le sport ?",
        "play the song shallow",
        "can immunotherapy cause shortness of breath?",
    ],
)
def test_not_urgent_in_the_same_words(text: str) -> None:
    assert not is_urgent(text)


@pytest.mark.parametrize(
    "text",
    [
        # where a treatment or a test is done, whether a place offers it: practical
        "Where can I get my cancer treatment?",
        "où vais-je suivre mes traitements ?",
        "peut-on faire ses analyses de sang à l'hôpital ?",
        "est-ce que je peux passer mon scanner dans un autre hôpital ?",
        "Une radiothérapie par cyberknife n'est pas possible à Paris. Est-ce normal ?",
        # a tour, what to bring, being on time, plural appointments, one's doctor told
        "Can I have a tour of the ward?",
        "dois-je apporter la liste de mes médicaments ?",
        "Will my treatment be on time?",
        "Can I drive myself to my appointments?",
        "mon médecin sera-t-il prévenu de mes résultats ?",
    ],
)
def test_practical_questions_that_look_medical_are_not_advice(text: str) -> None:
    assert not asks_medical_advice(text)
    assert not is_about_ones_case(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can I get my flu shot at the hospital while on Keytruda?",  # what one may do on treatment
        "tu peux boire de l'alcool pendant tes traitements ?",  # the familiar "tu"
        "est-ce que tu peux arrêter ton traitement si tu as de la fièvre ?",
        "Will I feel sick?",
        "Chimio ou immuno : que dois-je faire comme traitement ?",  # "ou" is "or" here, not "where"
        "am I going to get sick after the infusion?",
        "puis-je boire une bière (ou un verre de vin, de temps en temps) pendant ma chimiothérapie ?",
    ],
)
def test_advice_in_familiar_french_and_about_feeling_sick(text: str) -> None:
    assert asks_medical_advice(text)


@pytest.mark.parametrize("text", ["I am sick of this song", "peux-tu m'expliquer l'immunothérapie ?"])
def test_sick_of_and_a_request_to_the_assistant_are_not_advice(text: str) -> None:
    assert not asks_medical_advice(text)


@pytest.mark.parametrize(
    "text",
    [
        "ma femme s'est écroulée dans la salle de bain",  # collapsed, another verb
        "il ne répond plus quand on lui parle",  # unresponsive
        "my dad isn't responding when we talk to him",
        "she has been throwing up since last night",  # vomiting that goes on, in English
    ],
)
def test_collapse_unresponsiveness_and_vomiting_in_other_words(text: str) -> None:
    assert is_urgent(text)


@pytest.mark.parametrize(
    "text",
    [
        "my tumour is not responding to treatment",  # a cancer, not a person
        "mon cancer ne répond plus au traitement",
        "il ne répond pas au téléphone",
    ],
)
def test_not_responding_to_a_treatment_or_the_phone_is_no_emergency(text: str) -> None:
    assert not is_urgent(text)


@pytest.mark.parametrize(
    "text",
    [
        "what would you do in my place?",  # the doctor's choice for this patient, no word of health
        "que feriez-vous à ma place ?",
        "est-il trop tard pour mon mari ?",
        "how much longer will my mum live?",  # prognosis for a relative
        "combien de temps encore va-t-il vivre ?",
        "dois-je continuer à prendre mon aspirine ?",  # everyday medicines beside the treatment
        "can I take paracetamol with my infusion?",
        "How will I feel?",  # one's own course
        "comment vais-je me sentir après la perfusion ?",
    ],
)
def test_advice_without_the_usual_words(text: str) -> None:
    assert asks_medical_advice(text)


@pytest.mark.parametrize(
    "text",
    [
        "Am I allowed to smoke on site?",  # the site's rules
        "Should I eat before treatment?",  # coming to a session
        "what is an aspirin?",
        "play a song for me in my place",
    ],
)
def test_site_rules_and_lookalikes_are_not_advice(text: str) -> None:
    assert not asks_medical_advice(text)


def test_how_a_trial_works_is_no_advice_for_the_classifier() -> None:
    from bot.safety import may_ask_advice

    assert not may_ask_advice("Quelles sont mes chances de recevoir le traitement ou le placebo ?")
    assert not may_ask_advice("Will I be allocated a treatment by computer?")
    assert may_ask_advice("is this trial right for me with my heart condition?")  # whether it suits one
    assert may_ask_advice("my skin is itching since the infusion")
    # one's own cancer told: the trial question asks about that case (both branches' rules)
    assert may_ask_advice("I have stage 4 melanoma, will I get a placebo?")
    assert may_ask_advice("mon mari a un cancer du poumon, aura-t-il le placebo ?")


def test_cycles_one_needs_and_a_test_in_ones_town_lab() -> None:
    assert asks_medical_advice("how many more cycles will I need?")  # one's own course
    assert not asks_medical_advice("can I have my blood test done in my town's lab?")  # where: practical
    assert not is_about_ones_case("can I have my blood test done in my town's lab?")
    assert not asks_medical_advice("what is the current weather condition in my place")  # "my place" alone
