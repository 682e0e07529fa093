"""Deterministic rules that must not depend on a statistical model.

- :func:`is_urgent`: a message describing an urgent symptom happening now (high fever, severe
  diarrhoea, breathlessness, chest pain, fainting, blisters...), whoever it concerns and
  however it is written (no pronoun needed, a list of symptoms, a bare "c'est urgent", common
  spelling mistakes). Urgency takes precedence over every other intent, so the NLU pipeline
  overrides the classifier when this matches (a learned detector backs it up:
  bot/nlu/urgency.py).
- :func:`mentions_serious_symptom`: a general question that names a serious symptom ("can
  immunotherapy give you bad diarrhoea?"): answered, plus what to do if it is happening now.
- :func:`asks_medical_advice`: a request for individual medical advice (stop my treatment? is
  my dose right? will I survive? what does my scan show? with my lupus, can I...? which drug
  is best for me?): always a kind refusal.
- :func:`unusable_input`: why a message cannot be answered as a question (nothing to read,
  far too long, a language we do not speak), so it gets a clear polite answer instead.
"""
from __future__ import annotations

import difflib
import re
from functools import lru_cache

from bot.language import OTHER, detect
from bot.limits import MAX_MESSAGE_CHARS  # one limit for the channel, the rules and the widget

# patterns are written folded: lower case, no accents, one apostrophe
from bot.text import any_of, fold

__all__ = ["MAX_MESSAGE_CHARS", "calls_it_mild", "describes_own_symptom", "is_about_ones_case", "may_ask_advice", "may_be_a_symptom", "asks_medical_advice", "fold", "is_personal_health_question",
           "is_urgent", "unusable_input"]


# Symptom words whose misspellings we correct before matching ("diarhee", "fiever", "brethe").
_SYMPTOM_VOCABULARY = frozenset(
    """
    fievre fievres fiebre fever feverish temperature frissons chills diarrhee diarrhees
    diarrhea diarrhoea respirer respire respiration breathe breathing breath breathless
    essouffle essoufflee essoufflement etouffe etouffer suffoque poitrine thoracique chest
    malaise evanoui evanouie evanouir evanouissement connaissance inconscient inconsciente
    unconscious fainted fainting collapsed convulsion convulsions seizure seizures confus
    confuse confusion confused desoriente disoriented vomissements vomissement vomir vomis
    vomit vomiting vomited saigne saignement saignements bleeding blood crache cloques
    cloque blisters blister eruption boutons rash gonfle gonflee gonflement swollen swelling
    jaunes yellow selles urgent urgente urgence urgences emergency douleur douleurs
    """.split()
)
_TOKEN = re.compile(r"[a-z]+")
# Real words that sit close to a symptom word: never "corrected" ("ma maladie" is not "ma
# malaise", "voting" is not "vomiting"). Found by correcting every word of our training data,
# the dev questions and MASSIVE.
_REAL_WORDS = frozenset(
    "maladie maladies coque coques reparation reparations selling spelling voting sells connaissances beating bloody".split()
)


_BY_INITIAL: dict[str, list[str]] = {}
for _word in sorted(_SYMPTOM_VOCABULARY):
    _BY_INITIAL.setdefault(_word[0], []).append(_word)


@lru_cache(maxsize=4096)
def _corrected(token: str) -> str:
    # Same first letter only: typos rarely change it, and "couleur" must not become "douleur".
    if len(token) < 5 or token in _SYMPTOM_VOCABULARY or token in _REAL_WORDS:
        return token
    close = difflib.get_close_matches(token, _BY_INITIAL.get(token[0], []), n=1, cutoff=0.84)
    return close[0] if close else token


def _fix_typos(folded: str) -> str:
    return _TOKEN.sub(lambda m: _corrected(m.group(0)), folded)


# Each pattern names a symptom with a severity that makes it urgent (on folded text).
_SEVERE = [
    # fever: a high one, or a temperature of 38.5+
    r"(forte|grosse|grande|haute|tres forte|high|very high|bad|severe|big)\s+(fievre|temperature|temp|fever)\b",
    r"(fievre|temperature|fever)\s+(tres\s+|tellement\s+|super\s+)?(forte|elevee|importante|high|de cheval)",
    r"(fievre|temperature|fever|thermometre)\D{0,12}\b(39|40|41|42|38[.,][5-9])([.,]\d)?\b",
    r"\b(39|40|41|38[.,][5-9])([.,]\d)?\s*(°|degres|degre|degrees|degree|de fievre|of fever|c\b)",
    r"\b(fievre|fever|temp|temperature)\b.{0,40}\b(frissons|chills|shivering|shak\w*|trembl\w*)|\b(frissons|chills|shak\w*|trembl\w*)\b.{0,40}\b(fievre|fever)",
    # breathing
    r"(n'?arrive|n'?arrivent|arrive|peux|peut|pouvons|parviens)\s+(plus|pas)\s+(a\s+|bien\s+)?respirer",
    r"(du mal|difficulte|difficultes|peine|mal)\s+a\s+respir\w*|respire\s+(tres |vraiment |super |de plus en plus )?(mal|difficilement|plus)",
    r"\b(essouffle|essoufflee|essoufflement|etouffe|etouffer|suffoque|manque d'air)",
    r"\b(ne )?(pas|plus) pouvoir (bien |a fond |correctement )?respirer|\bpoids sur (la|ma|sa) poitrine|"
    r"\boppress(e|ee|ion)\b|\b(weight|pressure|heaviness) on (my|his|her|the) chest",
    r"(can'?t|cannot|can not|couldn'?t|could not|unable to|struggl\w* to|hard to|trouble|difficult(y|ies)|barely)\s+"
    r"((in|with) )?(breath\w*)",
    r"short(ness)?\s+of\s+breath|breathless|out of breath|gasping for (air|breath)|choking",
    # chest pain
    r"douleur\w*\s+(thoracique|dans la poitrine|a la poitrine|au thorax)",
    r"mal\s+(a|dans)\s+la\s+poitrine|poitrine\s+(me\s+)?(fait|serre|brule)|serrement",
    r"chest\s+(pain|pains|pian|hurts|is hurting|tightness)|pain\s+in\s+(my|his|her|the)\s+chest|tight (\w+ )?chest",
    r"\bheart (pain|pains|hurts|is hurting|ache)\b|\bpain\w* (in|around) (my|his|her|the) heart\b|\bdouleur\w* (au|du) coeur\b|"
    r"\bdouleur\w* cardiaque",
    r"\b(pains?|aches?|hurts?|hurting)\b\W+(\w+\W+){0,3}?(chest|rib ?cage|ribs|thorax)\b",
    r"\b(douleur\w*|mal)\W+(\w+\W+){0,3}?(poitrine|thorax|cage thoracique)\b",
    r"\b(mal|douleur\w*|pains?|hurts?)\W+(\w+\W+){0,5}?(quand|lorsque|when|while)\s+(je |j'|i )?(respire|breathe|inspire)",
    r"\b(quand|lorsque|when|while)\s+(je |j'|j |i )?(respire|breathe|inspire)\w*\W+(\w+\W+){0,4}?(mal|douleur\w*|pains?|hurts?)\b",
    # fainting, loss of consciousness, confusion, seizure
    r"\b(malaise|evanoui\w*|perdu connaissance|perte de connaissance|inconscient\w*|effondre\w*|ecroule\w*|tombe\w* dans les pommes)",
    r"\b(il|elle|he|she|mon \w+|ma \w+|my \w+)\b.{0,12}\b(ne repond (plus|pas)|ne reagit (plus|pas)|(is )?not responding|isn'?t responding|"
    r"unresponsive|won'?t respond|doesn'?t respond)\b(?!\s+(au|a la|aux|a|to|well)\b)",
    r"\b(fainted|fainting|faint|passed out|passing out|pass out|lost consciousness|unconscious|collapsed|blacked out)",
    r"\b(convuls\w*|crise d'epilepsie|seizure\w*|seizing|having (a )?fits?)\b",
    r"\b(confus|confuse|desoriente\w*|incoherent\w*|delire\w*|delirious|ne (me |nous )?reconnait plus|confused|disoriented)\b",
    # not knowing where one is, thinking in disorder: the same confusion, told by a relative or a list
    r"\b(not knowing|doesn'?t know|does not know|didn'?t know|no longer knows?)\s+where (he|she|they|i|you) (is|are|am|was|were)\b|"
    r"\bne (sait|savait|sais) (plus|pas) ou (il|elle|je) (est|etait|suis)\b|"
    r"\b(disorgani[sz]ed|muddled|cloudy) (thinking|thoughts?)\b|\bpensees? (desorganise\w*|confuse\w*)",
    r"(doesn'?t|does not|no longer) recogni[sz]e",
    # severe diarrhoea, vomiting, bleeding
    r"diarrh\w*\W+(\w+\W+){0,6}?(severe|importante|forte|grave|liquide|sang|plusieurs fois|\d+\s*fois|non[- ]stop|nuit et jour|depuis|toutes les|sans arret|arrete pas|s'arrete pas)",
    r"(severe|bad|terrible|heavy|constant|bloody|importante|forte|grosse|enorme|non[- ]stop)\s+diarrh",
    r"diarrh\w*\W+(\w+\W+){0,6}?(\d+\s*times|many times|every hour|for (two|three|\d+) days|won'?t stop|since|all (day|night))",
    r"\b(ne\s+)?(tient|tiens|tenir)\s+(plus|pas)\s+debout|(can'?t|cannot|unable to)\s+(stand|get) up|(can'?t|cannot|unable to|no longer able to) (walk|stand)\b|\b(n'arrive|ne peu[xt]) (plus|pas) (a )?marcher|too weak to (stand|walk)",
    r"sang dans (les|mes|ses) (selles|urines)|crach\w* du sang|vomi\w* du sang|saign\w* (beaucoup|enormement|abondamment)|hemorragie",
    r"blood in (my|his|her|the) (stool|stools|urine|poo)|coughing up blood|vomiting blood|bleeding (heavily|a lot)|haemorrhage|hemorrhage",
    r"(vomissements|vomis|vomit\w*|throwing up|thrown up|been sick)\W+(\w+\W+){0,5}?(s'arretent pas|arrete pas|arretent pas|won'?t stop|non[- ]stop|all (day|night)|sans arret|depuis|since)",
    r"(peau|yeux)\W+(\w+\W+){0,4}?jaunes|(skin|eyes)\W+(\w+\W+){0,4}?yellow|jaunisse|jaundice|"
    r"\b(est|suis|es|devenu\w*|devient) (tout |toute |completement |tres )?jaunes?\b|\b(turned|turning|gone|going) yellow\b",
    # skin: blisters, a rash that spreads; swelling of the face or throat
    r"\b(cloques?|bulles|blisters?|peau (qui )?(se decolle|part en lambeaux)|skin (is )?peeling)\b",
    r"\b(eruption|boutons|plaques|rash|spots)\b.{0,40}\b(partout|s'etend|s'etendent|se propage|all over|spreading|everywhere)",
    r"(visage|levres|langue|gorge|face|lips|tongue|throat)\W+(\w+\W+){0,3}?(gonfle\w*|swollen|swelling|swell\w*)|(gonflement|swelling) (du visage|des levres|de la gorge|of the (face|lips|throat))",
    # severe pain
    r"(tres|vraiment|terriblement|atrocement|horriblement|super)\s+mal\s+(au|a la|aux)\s+\w+",
    r"(douleur|mal)\w*\s+(\w+\s+){0,3}?(insupportable|atroce|violente?|intense|terrible|horrible)",
    r"(severe|terrible|unbearable|excruciating|intense|really bad)\s+(\w+\s+)?(pain|headache|stomach ache)",
    # black stools, bleeding that does not stop, no urine, an allergic reaction, not waking up,
    # signs of a stroke, wanting to die
    r"\bselles (noires|goudron\w*)|\bblack (\w+ )?(stools?|poo)|\btarry stools?|\bmel(a|e)na\b",
    r"\b(saign\w*|bleed\w*|nosebleed)\b.{0,25}\b(sans arret|arrete pas|s'arrete pas|won'?t stop|doesn'?t stop|non[- ]stop)",
    r"\b(n'arrive|n'arrivent) (pas|plus) a uriner|\b(can'?t|cannot|unable to) (pee|urinate)|"
    r"\bhaven'?t (peed|urinated)|\b(pas|plus) urine depuis|\bn'?urine (plus|pas)\b|\bne (fait|fais) plus pipi\b|"
    r"\b(hasn'?t|has not|have not) (peed|urinated|passed urine)",
    r"\b(reaction|choc) (allergique|anaphylactique)|\ballergic reaction|\banaphyla\w*",
    r"\bne se reveille (pas|plus)|\b(won'?t|doesn'?t|isn'?t|not) (wake|waking) up|\bcan'?t wake (him|her|them)|"
    r"\b(n'arrive|n'arrivons|arrive|arrivons) (pas|plus) a (la|le|les|l') ?reveiller|\bimpossible de (la|le|les|l') ?reveiller|"
    r"\b(can'?t|cannot|unable to|couldn'?t) (wake|rouse) (him|her|them|my \w+)",
    r"\bbouche (de travers|deformee)|\bne (peut plus|arrive plus a) parler|\bparalys\w*|\bslurred speech|"
    r"\bface (is )?drooping|\b(numb\w*|weak\w*|engourdi\w*|paralys\w*)\b.{0,20}\b(one side|un cote)",
    r"\b(envie de mourir|veux mourir|en finir|me suicider|suicid\w*|me tuer|kill myself|want to die|end my life)\b",
    # fever in Fahrenheit (100.4 F and more), "temp 39.5"
    r"\b(fievre|temperature|temp|fever)\D{0,12}\b(10[1-6]|100[.,][4-9])([.,]\d)?\b|"
    r"\b(10[1-6]|100[.,][4-9])([.,]\d)?\s*(°|degres|degrees?|f\b|fahrenheit|fever)|\btemp\D{0,6}\b(39|40|41|38[.,][5-9])",
    # blue lips or face, not breathing, a heart attack or stroke happening now, a racing heart
    r"(levres|lips|visage|face|doigts|fingers|ongles|nails)\W+(\w+\W+){0,3}?(bleu\w*|blue|violet\w*|purple|grey|gray)",
    r"\b(not|isn'?t|stopped|no longer|has stopped) breathing\b",
    r"\b(having|am having|is having|fais|fait|faire|en train de faire) (a |un |une )?(heart attack|stroke|avc|"
    r"crise cardiaque|infarctus)\b",
    r"\bcoeur (qui )?(bat|battre|s'emballe)\w* (\w+ )?(vite|fort|n'importe comment)|\bheart (is |was |'s )?(racing|pounding)|"
    r"\bheart (is )?(beating|beats|going) (so |very |really |too )?(fast|hard|quickly)|"
    r"\btachycard\w*",
    # not making sense, not keeping anything down, not feeling one's legs
    r"\b(not making sense|makes no sense|talking nonsense|dit n'importe quoi|propos incoherents?)\b",
    r"\b(can'?t|cannot|unable to|couldn'?t) keep (anything|any food|food|water|liquids?|fluids?) down\b|"
    r"\bne (garde|peu[xt] (rien )?garder|garde plus) (rien|aucun\w*)|\b(vomi\w*) tout ce qu",
    r"\b(threw|throw\w*|thrown) up blood\b",
    # wordings real lists and accounts use (each failed before): blood named after the stools,
    # a count of liquid stools, half a breath, yellowing, an altered state of mind, meningism,
    # a sudden headache or loss of sight, a fever from 38.3, a swollen painful leg, speech lost
    r"\b(selles|stools?|poo|urines?|pee)\b\W+(\w+\W+){0,3}?((?<!prise de )sang(?! \w*\s*(test|analyse))|"
    r"sanglant\w*|sanguinolent\w*|blood(?! tests?| counts?| work| samples?))\b|"
    r"\b(bloody|sanglant\w*|sanguinolent\w*) (stools?|diarrh\w*|urine|poo)|\bdiarrh\w* sanglant\w*|"
    r"\bblood in (\w+ )?(stools?|urine|poo|pee)\b",
    r"\b(\d+|plusieurs|many|several|more than \d+|plus de \d+)\s+(selles|stools?|bowel movements)\s+(liquides|molles|watery|loose)|"
    r"\b(\d+|more than \d+)\s+(watery|loose|liquid)\s+(stools?|bowel movements)",
    r"\brespir\w* a moitie|\b(remplir|remplis|fill\w*)\b.{0,15}\b(poumons|lungs)\b|\bpoumons\b.{0,30}\b(remplis|remplir)\b|"
    r"\b(can'?t|cannot|unable to|couldn'?t) (catch|get) (my |enough |any )?(breath|air)\b|\bnot (getting )?enough air\b|"
    r"\b(du mal|difficulte\w*|peine)\s+a\s+(\w+\s+){1,3}?respir\w*",
    r"\b(yellowing|jaunissement)\b",
    r"\baltered (mental (status|state)|consciousness|level of consciousness)\b|\btroubles? de (la )?conscience\b|"
    r"\b(conscience|etat de conscience) (altere\w*|modifie\w*)|\bhard to (wake|rouse)\b|\bdifficile a reveiller\b|"
    r"\bnot making any sense\b",
    r"\b(raideur (de la )?nuque|stiff neck)\b.{0,40}\b(fievre|fever|mal de tete|headache|vomi\w*)|"
    r"\b(fievre|fever|mal de tete|headache)\b.{0,40}\b(raideur (de la )?nuque|stiff neck)\b",
    r"\b(worst|pire)\b.{0,20}\b(headache|mal de tete)|\b(sudden|suddenly|soudain\w*|brutal\w*|brusque\w*)\b.{0,25}"
    r"\b(headache|mal de tete|maux de tete|double vision|vision double|loss of (vision|sight)|perte de (la )?vue|"
    r"(can'?t|cannot) see|ne voi[st] plus)|\b(double vision|vision double|loss of (vision|sight)|perte de (la )?vue)\b.{0,15}"
    r"\b(sudden\w*|soudaine?|brutal\w*|brusque\w*)",
    r"\b(fievre|temperature|temp|fever|thermometre)\D{0,12}\b38[.,][34]\b|\b(fever|fievre|temperature)\b.{0,12}"
    r"\b(over|above|plus de|au-dessus de|superieure? a)\s+38\b|\b(j'ai|il a|elle a|on a)\s+(39|40|41|38[.,][3-9])([.,]\d)?\b"
    r"(?!\s*(ans|an\b|kg|kilos?|euros?|%))",
    r"\b(jambe|mollet|leg|calf)\W+(\w+\W+){0,4}?(gonfle\w*|swollen)\W+(\w+\W+){0,4}?(douloureu\w*|painful|rouge|red|"
    r"chaud\w*|warm|hot)\b",
    r"\b(faibless\w*|weakness)\b.{0,20}\b(d'un (seul )?cote|one side)\b|\b(trouble|difficulty) (speaking|talking)\b|"
    r"\b(n'arrive|n'arrivent|n'arrivons) plus a parler\b|\bdifficulte\w* a parler\b",
    r"\b(throwing up|threw up|been sick|vomi\w*)\b.{0,15}\b(all day|all night|toute la (journee|nuit)|non[- ]stop)\b",
    r"\b(tres forte|violente?s?|intenses?|terribles?|atroces?|horribles?|insupportables?)\s+(douleur\w*|mal)\b",
    r"\b(ne sens plus|ne sent plus|can'?t feel) (mes|ses|les|my|his|her) (jambes|bras|pieds|legs|arms|feet)\b",
    r"\b(urine|urines|pee|pipi) (is |are |est |sont )?(toute? )?(rouges?|red|bloody|pleine de sang|marron|brown)\b",
    # pain that is "so bad", vomiting for days, shaking or bleeding that will not stop
    r"\b(hurts?|hurting|pains?|aches?)\s+(so|really|very|extremely|terribly)\s+(bad|badly|much)\b",
    r"\b(vomi\w*|throwing up|threw up)\b.{0,20}\b(for|depuis)\s+(\d+|two|three|four|deux|trois|quatre)\s+"
    r"(days|jours|hours|heures)\b",
    r"\b(can'?t|cannot) stop (shaking|shivering|trembling|vomiting|throwing up|bleeding)|"
    r"\bn'arrete (pas|plus) de (trembler|vomir|saigner)",
    # the same signs in other words, as relatives and first-aid lists tell them: the breath in
    # French ("souffle"), breathing that is fast, shallow or noisy, blue named before the lips,
    # speech that is slurred or lost
    r"\b(du mal|difficulte\w*|peine|n'arrive\w* (pas|plus)|n'arrivait (pas|plus))\s+a\s+(reprendre|retrouver|trouver)\s+"
    r"(son|mon|sa|leur|votre|ton)\s+souffle|\ba bout de souffle|\b(le )?souffle (court|coupe)\b|\bmanque de souffle|"
    r"\bcoupe le souffle\b.{0,30}\b(douleur|mal)|\b(perd|perdu|perds) (son|mon|le) souffle",
    r"\b(respiration|respire)\b\W+(\w+\W+){0,2}?(irreguliere|rapide|superficielle|sifflante|bruyante|haletante|saccadee|"
    r"genee|difficile|laborieuse)|\b(breathing)\b\W+(\w+\W+){0,2}?(fast|rapid|shallow|irregular|noisy|laboured|labored|"
    r"gurgling|rattling)\b|\b(rapid|shallow|irregular|noisy|laboured|labored)\s+breathing\b",
    r"\b(bleu\w*|blue|bluish|violet\w*|purple|cyanos\w*)\b\W+(\w+\W+){0,3}?(levres|lips|visage|face|doigts|fingers|ongles|nails|"
    r"mains|hands|pieds|feet)\b|\bcyanos(e|is)\b|\bcyanotic\b",
    r"\bslurr\w*|\b(change|loss|perte|changement)\b.{0,20}\b(ability to (speak|talk)|capacite a parler|parole)\b|"
    r"\bbafouill\w*|\bparole\w* (difficile|confuse|incomprehensible|embrouillee)",
]
_SEVERE_RE = any_of(_SEVERE)

# Words for alarming symptoms: two or more of them together describe a worrying state.
_ALARM_RE = re.compile(
    r"\b(fievre|fever|temperature|frissons|chills|diarrh\w*|vomi\w*|essouffl\w*|respir\w*|"
    r"breath\w*|toux|tousse|cough\w*|poitrine|chest|eruption|boutons|rash|cloques?|blisters?|"
    r"saign\w*|bleed\w*|(?<!prise de )sang|blood(?! tests?| counts?| cells)|vertiges?|dizzy|dizziness|tete qui tourne|malaise|douleurs?|"
    r"pains?|mal au ventre|stomach ache|maux de tete|headache|confus\w*|jaune\w*|yellow|"
    r"gonfl\w*|swollen|palpitation\w*|tres faible|very weak|epuise\w*|exhausted|nausees?|nausea|suis tombee?|est tombee?|"
    r"i fell|(he|she) fell|fell (down|over)|transpir\w*|sueurs?|sweating|sweaty|faiblesse|weakness|"
    r"pas bien du tout|not well at all)\b"
)

# Saying it is urgent is enough: the emergency numbers are the right first answer.
_URGENT_CALL_RE = re.compile(
    r"\b(urgent|urgente|urgence|urgences|emergency|emergencies|au secours|sos|a l'aide|911|999|samu|"
    r"ambulance|pompiers|urjent\w*|urjence\w*|urgance\w*|emergancy|emergensy|emmergency)\b"
)
# Asking when to call the emergency services, or which signs need immediate care: the
# emergency numbers first are the answer ("when should I call 15?").
_WHEN_TO_CALL_RE = re.compile(
    r"\b(when|quand|at what point|a partir de quand|dans quels cas)\b.{0,30}\b(call|appeler|phone|dial|composer|"
    r"go to|aller (aux|a l')|contacter)\b.{0,15}\b(15|112|911|999|samu|ambulance|er|a&e)\b|"
    r"\b(symptoms?|symptomes?|signs?|signes?)\b.{0,40}\b(immediate|emergency|right away|immediatement|"
    r"tout de suite|en urgence|sans attendre)\b"
)
# A bare cry for help, the whole message ("help!!", "aidez-moi vite"): within a request ("help me
# find a restaurant") it is no emergency.
_CRY_FOR_HELP_RE = re.compile(
    r"^\W*(help( me)?|aidez[- ]moi|aide[- ]moi|aidez[- ]nous)\W*(vite|quick(ly)?|please|svp|s'il (vous|te) plait|now|"
    r"maintenant|tout de suite)?\W*$"
)
_NOT_URGENT_CALL_RE = re.compile(r"non[- ]urgent|not (an )?(urgent|emergency)|pas (tres |si )?urgent")
# Asking what to do about an urgent symptom ("que faire si j'ai une forte fièvre ?", "what to do
# if you have chest pain"): the emergency numbers are the answer, even when it is not happening yet.
_WHAT_TO_DO_RE = re.compile(
    r"\b(que faire|quoi faire|que (dois|devons|doit|faut)[- ](je|nous|on|il) faire|comment reagir|"
    r"what (should|do|can|must) (i|we|you|one|he|she) do|what to do|how (should|do) (i|we|you) (react|respond))\b"
)

# Someone concerned: "j'ai", "mon mari", "I have", "my wife", "le mien", or a generic "you"
# ("can you drink alcohol during immunotherapy?" is still about one's own treatment).
_AFFECTED = re.compile(
    r"\b(j'|je|jai|j'ai|me|m'|moi|mon|ma|mes|il|elle|on|nous|mari|femme|epoux|epouse|pere|mere|"
    r"papa|maman|fils|fille|frere|soeur|enfant|bebe|i|i'm|i've|im|ive|me|my|mine|he|she|his|"
    r"her|him|we|husband|wife|father|mother|dad|mum|mom|son|daughter|brother|sister|partner|"
    r"child|baby|le mien|la mienne|lui|you|your|vous|votre|vos|tu|toi|ton|ta|tes)\b"
)
# Presence now ("j'ai", "depuis hier", "right now"), unless in an "if" clause.
_NOW_RE = re.compile(
    r"\b(j'ai|jai|j ai|je suis|je me|je (n'|ne )?(peux|arrive)|il a|elle a|il est|elle est|"
    r"(mon|ma) \w+ (a|est|fait|vient)|i have|i've|ive|i'm|im|i am|i can|i cant|he has|she has|he is|"
    r"she is|my \w+ (has|is|just)|depuis|since|right now|maintenant|en ce moment|tout a l'heure|"
    r"ce matin|this morning|today|aujourd'hui|hier|yesterday|tonight|cette nuit|ce soir|vient de|"
    r"just|partout|all over|la maintenant)\b"
)
_CONDITIONAL = re.compile(r"\b(si|s'|if|when|quand|lorsque|whether|en cas)\W+(\w+\W+){0,2}$")
# A general question about a symptom ("can immunotherapy cause a high fever?").
_GENERAL = re.compile(
    r"\b(l'immunotherapie|l'immuno|immunotherapie|ce traitement|le traitement|les traitements|"
    r"immunotherapy|this treatment|the treatment|treatments|it)\s+(peut|peuvent|can|could|may|might|"
    r"does|do|provoque\w*|donne\w*|cause\w*|entraine\w*|give\w*|est-elle|est-il)\b"
    r"|\b(can|could|may|might|does|do|est-ce que|est ce que)\s+(l'immunotherapie|immunotherapy|it|"
    r"this treatment|the treatment|ce traitement|le traitement|l'immuno|immuno)\b"
    r"|\beffets? (secondaires?|indesirables?)|side[- ]effects?|adverse effects?|"
    r"\b(peut-on|peut on|est-il possible|is it possible|can you get|can one|can people|do people|"
    r"is it common|est-ce frequent|est-ce courant|how common|how often|en general|in general|"
    r"que faire (si|en cas)|what (should|to|do) (i |you |we )?do (if|when|in case)|what if|"
    r"in case of|en cas de|risque de|risk of|signe\w* de|signs? of|symptomes? de|symptoms? of)"
)
# Asking something: a question mark, a question word first, or a French inversion ("peut-elle").
_ASKS_RE = re.compile(
    r"\?|^\W*(qui|que|quoi|quel\w*|quand|comment|combien|pourquoi|ou|est-ce|peut-on|puis-je|faut-il|"
    r"who|what|which|when|where|why|how|is|are|can|could|do|does|will|would|should|may|might)\b|"
    r"\w-(t-)?(il|elle|ils|elles|on)\b"
)
# One's own future with its verb ("will I have", "vais-je avoir"): what may happen, not what does.
_FUTURE_RE = re.compile(
    r"\b(will|would) (i|he|she|we|my \w+) (\w+ )?(have|get|be|feel|start|develop|need)\b|"
    r"\b(am i|is (he|she)|are we) going to (have|get|be|feel|develop)\b|"
    r"\b(vais-je|va-t-il|va-t-elle|est-ce que (je|j'|il|elle) (vais|va)|aurai-je|risque-t-(il|elle|on)|risque-je)"
    r"\s+(\w+\s+)?(avoir|faire|etre|ressentir|souffrir)?"
)
_NEGATED = re.compile(
    r"\b(pas|plus|jamais|aucun|aucune|sans|ni|no|not|never|without|any|don'?t|doesn'?t|didn'?t|"
    r"haven'?t|hasn'?t|isn'?t|wasn'?t|nor)\W+(\w+\W+){0,2}$"
)


def _positive(pattern: re.Pattern[str], folded: str) -> list[re.Match[str]]:
    """Matches of `pattern` that are not negated ("je n'ai pas de fièvre")."""
    return [m for m in pattern.finditer(folded) if not _NEGATED.search(folded[: m.start()])]


def _happening_now(folded: str) -> bool:
    return any(not _CONDITIONAL.search(folded[: m.start()]) for m in _NOW_RE.finditer(folded))


def _prepared(text: str) -> str:
    return _fix_typos(fold(text))


def is_urgent(text: str) -> bool:
    """True when the message describes an urgent symptom that someone has now, or says it
    is urgent."""
    folded = _prepared(text)
    if _positive(_URGENT_CALL_RE, folded) and not _NOT_URGENT_CALL_RE.search(folded):
        return True
    if _WHEN_TO_CALL_RE.search(folded) or _CRY_FOR_HELP_RE.search(folded):
        return True
    # A general phrase ("en cas de", "side effects") makes a message general only when it asks
    # something: a list item ("En cas de douleurs thoraciques brutales.") says when to act. One's
    # future ("will I have nausea and vomiting?") is general too, and no sign of "now".
    future = _FUTURE_RE.search(folded)
    general = bool(_GENERAL.search(folded) and _ASKS_RE.search(folded)) or bool(future)
    now = _happening_now(_FUTURE_RE.sub(" ", folded))
    if _positive(_SEVERE_RE, folded):
        return now or not general or bool(_WHAT_TO_DO_RE.search(folded))
    # A list of symptoms ("fièvre, diarrhée, vomissements"), described rather than asked about.
    alarms = {m.group(0)[:5] for m in _positive(_ALARM_RE, folded)}
    return len(alarms) >= 2 and (now or not general)


def mentions_serious_symptom(text: str) -> bool:
    """True when a (general) message names a serious symptom: fever, diarrhoea, breathing..."""
    folded = _prepared(text)
    return bool(_positive(_SEVERE_RE, folded) or _positive(_ALARM_RE, folded))


_TREATMENT = (
    r"(traitement|immunotherapie|immuno|perfusion|cure|chimio\w*|medicament\w*|keytruda|opdivo|"
    r"yervoy|tecentriq|imfinzi|bavencio|libtayo|pembrolizumab|nivolumab|ipilimumab|"
    r"atezolizumab|durvalumab|avelumab|cemiplimab|anti-?pd-?l?1|treatment|immunotherapy|"
    r"infusion|chemo\w*|medication|medicine|drug|therapie|therapy|"
    # everyday medicines taken beside it ("dois-je continuer mon aspirine ?")
    r"aspirin\w*|paracetamol|doliprane|dafalgan|efferalgan|acetaminophen|tylenol|ibuprof\w*|advil|nurofen|"
    r"statin\w*|levothyrox\w*|anticoagul\w*|blood thinners?|warfarin|insulin\w*|metformin\w*|antihistamin\w*|"
    r"laxati\w*|somnifer\w*|sleeping pills?|antidepress\w*|antibioti\w*|cortisone|prednis\w*|morphin\w*|tramadol)"
)
_CONDITION = (
    r"(lupus|insuffisance (cardiaque|renale|hepatique|respiratoire)|heart (failure|disease|problems?|issues?|condition)|"
    r"(kidney|liver|lung|thyroid|renal) (problems?|issues?|trouble|condition)|problemes? (de |aux |au |du )?(reins?|foie|coeur|poumons?|thyroide)|"
    r"kidney (failure|disease)|liver (disease|failure)|greffe\w*|transplant\w*|maladie auto-?immune|"
    r"auto-?immune|polyarthrite|arthrite|arthritis|crohn|rectocolite|colitis|sclerose en plaques|"
    r"multiple sclerosis|diabete\w*|diabetes|diabetic|psoriasis|hepatite|hepatitis|vih\b|hiv\b|"
    r"enceinte|pregnant|grossesse|pregnancy|allaite\w*|breastfeeding|pacemaker|thyroide|thyroid|"
    r"myasthenie|myasthenia|sarcoidose|sarcoidosis|asthme|asthma|bpco|copd|cardiaque|cardiac|"
    r"infarctus|heart attack|avc|stroke)"
)
# One's own milder symptom ("my skin is itching", "j'ai mal à la tête"): advice, and the learned
# urgency detector must be surer to make it an emergency (RuleOverrides).
_OWN_SYMPTOM = (
    r"(j'ai|jai|j ai|je suis|je me sens|je ressens|je fais|je souffre|i have|i've got|ive got|i'm|im|i am|i feel|i get|"
    r"i suffer|suffering from|(i|i've|ive|i'm|im)(\s+\w+){0,2}?\s+(felt|feeling|feel)|"
    r"(makes?|made|is making) (me|him|her)|(me|lui) (rend|donne|fait)|"
    r"(has become|have become|is becoming|looks?|seems?|a l'air|semble)|"
    r"(my|his|her|mon|ma|mes|son|sa|ses) \w+ (is|are|feels?|hurts?|looks?|seems?|has become|est|sont|me fait|me gratte))\b.{0,40}\b(demangeaisons|gratte|fatigue\w*|epuise\w*|nausee\w*|"
    r"mal de tete|maux de tete|mal au|mal a la|douleur\w*|toux|tousse|constipe\w*|triste|deprime\w*|"
    r"anxieu\w*|itch\w*|tired|exhausted|nause\w*|headache|ache\w*|pain\w*|sore|cough\w*|"
    r"constipat\w*|sad|depressed|anxious|weak|dizzy|lightheaded|light-headed|numb(?!er)\w*|tingl\w*|"
    r"vertige\w*|insomni\w*|can'?t sleep|dors mal|boutons|rash|ongles|nails|cheveux|hair|falling out|dry|seche\w*|"
    r"peel\w*|inflam\w*|sore|infect\w*|break\w*|brittle|cass\w*|fourmis|picote\w*|engourdi\w*|"
    r"perdu (\w+ )?(kilos?|poids)|lost (\w+ )?(kilos?|pounds|weight)|losing weight|appetit|appetite|"
    r"nodules?|lumps?|bosses?|grosseur|maux d\w*|feel sick|feeling sick|swollen|gonfle\w*|rouge|red|nausees?)"
    # a part of oneself that hurts or aches ("my knee hurts since the infusion")
    r"|\b(my|his|her|mon|ma|mes|son|sa|ses) \w+ (hurts?|aches?|is (hurting|aching|sore|painful))\b"
)
_OWN_SYMPTOM_RE = re.compile(_OWN_SYMPTOM)
# Asking for advice in so many words: stopping or changing a treatment, the dose, prognosis,
# reading one's results, taking something with the treatment.
_ADVICE_EXPLICIT = [
    rf"\b(arreter|arrete|arretes|arretais|arretons|stopper|interrompre|sauter|decaler|reporter|continuer|diminuer|augmenter|changer|"
    rf"stop|skip|quit|pause|continue|delay|reduce|increase|change|switch)\b.{{0,40}}\b{_TREATMENT}",
    r"\b(ma|mon|sa|son|la bonne|my|his|her|the right)\s+(dose|dosage|posologie)\b",
    r"\b(guerir|guerira|survivre|survivra|mourir|esperance de vie|chances? de (survie|guerison))\b",
    r"\b(survive|be cured|life expectancy|chances? of (survival|surviving|cure))\b",
    r"how long (do|does|have) (i|he|she|we) (have|got) left|how long (will|would|can|could|do) (i|he|she|we) "
    r"(live|survive)|combien de temps (vais-je|va-t-il|va-t-elle|est-ce que je vais|il va|elle va) vivre|combien de temps (il )?(me|lui|nous|leur) reste",
    # the same asked of a relative, or "how much longer"
    r"\bhow (much )?long(er)? (will|would|can|could|does|do|has|have) (i|he|she|we|they|my \w+|your \w+) (\w+ )?(live|survive|got|have left)\b|"
    r"\bcombien de temps (encore )?(\S+ ){0,2}?(vivre|a vivre|reste-t-il)\b",
    r"\b(mon|mes|ma|son|ses|sa|my|his|her)\s+(scanner|scan|irm|mri|pet|bilan|analyses?|prise de sang|"
    r"blood tests?|biopsie|biopsy|marqueurs?)\b",
    # results: reading them, not getting them (getting_results in the FAQ)
    r"\b(mes|mon|ses|son|my|his|her)\s+(\w+\s+){0,3}?(resultats?|results?)\b.{0,60}\b(bons?|bonnes?|normal\w*|"
    r"grave|inquiet\w*|veu\w* dire|signifi\w*|mean\w*|good|bad|ok|okay|worr\w*|pense\w*|think|"
    r"interpret\w*|lire|read|expli\w*)|(pensez|think|avis|opinion|interpret\w*|lire|read|expli\w*|mean)"
    r"\b.{0,30}\b(mes|mon|my|his|her|ses|son)\s+(\w+\s+){0,3}?(resultats?|results?)",
    rf"\b(prendre|boire|take|drink)\b(?!\s+part).{{0,60}}\b(avec|pendant|entre|sous|with|during|between|while on)"
    rf"\b.{{0,30}}\b{_TREATMENT}",
]
# One person's situation: age, other illnesses, lab values, "is it normal that I", "can I
# still", "is it dangerous for him", which drug is best for me, chances, will it work.
_ADVICE_SITUATION = [
    r"\b(mes|my|his|her|ses|sa|quelles sont (les|mes)|what are (the|my)|les) chances?\b|"
    r"\b(pronostic|taux de (survie|guerison|reussite|reponse)|odds|prognosis|survival rate|success rate)\b",
    r"\b(am i|is (he|she)|suis-je|est-il|est-elle) (at|a) (risk|risque)|\b(ai-je|j'ai|do i have) (un |a )?(risque|risk)",
    r"(que dois-je faire|que puis-je faire|what should i do|what can i do|what do i do)\b.{0,30}\b(my|mon|ma|mes)\b",
    r"\b(take|prendre|continuer|keep taking)\s+(my|mes|mon|ma)\s+(\w+\s+)?(medications?|medicaments?|medicines?|pills|traitements?)",
    # one's own disease: its type, stage, status, what it means
    r"\b(statut|type|stade|grade|recepteurs?|her2|mutations?|status|stage|receptors?)\b.{0,40}"
    r"\b(de mon|de ma|of my|dont je suis atteinte?|que j'ai|i have|i've got)\b",
    # a treatment for one's own cancer ("is there an approved drug for my type of cancer?")
    r"\b(for|treating|treat|against|pour|traiter|soigner|contre)\s+(my|mon|ma)\s+(type of |kind of |form of |"
    r"type de |forme de )?(cancer|tumeur|tumor|tumour|maladie|disease)\b",
    r"\b(mon|ma|my)\s+(cancer|tumeur|tumor|tumour|maladie|disease)\b.{0,60}\b(signifie|veut dire|means?|"
    r"grave|serious|stade|stage|type|statut|status|grade)\b",
    r"(que|what)\s+(signifient|veulent dire|veut dire|do|does)\s+(ces|these|mes|my|this|ce)\s+(\w+\s+)?"
    r"(chiffres|numbers|valeurs|values|resultats|results|mean)",
    r"(ca|cela|elle|il|l'immunotherapie|le traitement) (va|marchera|fonctionnera) (marcher|fonctionner|etre efficace)|"
    r"(will|would|could|is) (it|immunotherapy|this|the treatment) (going to )?(work|help)",
    r"\b(mon|mes|ma|son|ses|sa|my|his|her)\s+(taux|plaquettes|globules|tsh|crp|ct|radio|x-ray|"
    r"tumeurs?|tumou?rs?|stade|stage|examens?|liver|kidney|thyroid|thyroide|foie|reins?)\b",
    r"\b(plaquettes|globules (blancs|rouges)|neutrophiles|lymphocytes|leucocytes|hemoglobine|creatinine|"
    r"tsh|crp|transaminases|ldh|cea|psa|platelets|white (blood )?cells|white count|neutrophils|"
    r"ha?emoglobin|liver enzymes|blood count|pd-?l1)\b.{0,40}(\d|trop|bas|basse|haut|haute|"
    r"eleve|low|high|normal|grave|serious|bad|mauvais)",
    r"\b(marqueurs?|markers?|taux|levels?|counts?)\b.{0,30}\b(augment\w*|baiss\w*|monte\w*|went up|gone up|rose|"
    r"risen|dropped|fell|increas\w*|decreas\w*|doubl\w*)",
    r"(tumeur|tumor|tumour|scanner|scan|lesions?|ganglions?|metastases?)\W+(\w+\W+){0,4}?"
    r"(a grossi|a diminue|grossit|progresse|progression|stable|shrunk|shrank|grew|grown|growing|bigger|smaller)",
    rf"\b{_CONDITION}\b",
    r"\b\d{2,3}\s*(ans|years? old|yo)\b|trop (vieux|vieille|age|agee)|too old|a mon age|at my age|"
    r"a son age|at his age|at her age",
    r"(est-ce|est ce|c'est|cest|es ce) normal (que|qu'|d'|de)|is it normal (that|to|for)|is this normal|"
    r"c'est normal \?|is (it|that) (ok|okay|safe|fine) (for|to|if)",
    r"\b(puis-je|je peux|je pourrai|pourrai-je|peut-il|peut-elle|il peut|elle peut)\s+(encore|toujours)\b|"
    r"\b(can|could) (i|he|she|we|my \w+|your \w+) still\b|am i still",
    r"(dangereu\w*|risque\w*|sans danger|grave|mauvais\w*|bon|bonne|adapte\w*|indique\w*|dangerous|"
    r"risky|safe|bad|good|right|suitable)\s+(pour|for)\s+(moi|lui|elle|me|him|her|mon|ma|my|his|someone like)",
    r"\b(lequel|laquelle|lesquels|which (one|drug|treatment|medicine|is better|works better)|"
    r"quel (traitement|medicament) (est|serait|marche|choisir)|le (plus|mieux) (efficace|adapte)|"
    r"marche le mieux|works? best|the best (drug|treatment|option)|better for (me|him|her))\b",
    r"(recommand\w*|conseill\w*|recommend\w*|advise|suggest)\w*\s+(for|pour|to) (me|moi|him|her|lui)|"
    r"(available|open|offered|right) (to|for) me\b|(possibles?|ouverts?|adaptes?) pour moi|"
    r"(quel|quelle) (traitement|medicament|therapie)\s+(puis-je|dois-je|je peux|je dois|prendre)",
    # one's own (milder) symptoms: the care team judges them, with the general information
    _OWN_SYMPTOM,
    r"comme (le mien|la mienne|le sien|la sienne|moi|lui)|like (mine|me|his|hers)|pour moi|for me\b|"
    r"in my case|dans mon cas|in his case|dans son cas|in her case",
    r"(bonne idee|good idea|right choice|bon choix|vous (en )?pensez|you think|votre avis|your opinion)",
    r"\b(est-ce|c'est|is (that|it|this)|does (that|it|this)|would (that|it|this))\s+(un |une |a |an )?"
    r"(probleme|problem|genant|gene|souci|issue|matter|contre-indi\w*|contraindicat\w*|compatible|risque|risk)",
    r"(should i|dois-je|est-ce que je dois) (be|etre|m')\s*(worried|inquiet\w*|inquieter)|devrais-je m'inquieter",
    rf"\b(puis-je|je peux|est-ce que je peux|pourrais-je|ai-je droit|suis-je eligible|can i|could i|"
    rf"may i|am i eligible)\s+(avoir|recevoir|faire|suivre|beneficier|get|have|receive|be given|"
    rf"be treated|start)\s+(une |un |de l'|d'|l'|la |le |des |du |the |an |a |some |on )?{_TREATMENT}",
    rf"\b(me faire|se faire|get|have)\s+(vacciner|vaccinated|a (flu )?(shot|jab|vaccine)|the (flu )?(shot|jab|vaccine))"
    rf".{{0,40}}\b{_TREATMENT}",
    rf"(?<!what )\b(dois-je|est-ce que je dois|faut-il que je|faut il que je|devrais-je|je devrais|"
    rf"should (i|he|she|we|my \w+)(?! ask)|do i need to|do i have to|(mon|ma) \w+ (doit|devrait)-(il|elle))\b.{{0,25}}\b(prendre|arreter|consulter|faire|passer|"
    rf"commencer|eviter|utiliser|take|stop|keep|get|have|start|begin|see|use|avoid|{_TREATMENT})",
    # one's own diagnosis: its type, stage, spread, seriousness; how sure it is
    r"\b(what|which|quel\w*)\s+(\w+\s+){0,3}?(type|kind|sort|stage|grade|stade|sorte|forme)\b.{0,50}"
    r"\b(do i have|have i got|ai-je|que j'ai|dont je suis atteint\w*)",
    r"\b(my|mon|ma|mes)\s+(\w+\s+)?(cancer|tumeur|tumou?r|diagnosis|diagnostic|maladie|disease|prognosis|pronostic)\b",
    r"\b(how serious|how bad|how advanced|how aggressive|quelle est (la |sa )?gravite|est-il grave)\b",
    r"\b(second opinion|deuxieme avis|second avis|autre avis|other doctors|d'autres medecins)\b",
    r"\b(genetic|genetique)\s+(test\w*)|\btest\w* genetique",
    # what one's own future holds with a treatment or a disease
    r"\b(will i|will my|will it be my|am i going to|vais-je|est-ce que je vais|aurai-je|serai-je|pourrai-je|"
    r"est-ce que je pourrai)\b.{0,60}\b(cancer|tumeur|tumou?r|treat\w*|traitement|soign\w*|guer\w*|tests?|scans?|"
    r"examens?|analyses?|medic\w*|immuno\w*|chemo\w*|chimio\w*|sick|malade|diarrh\w*|hair|cheveux|fertil\w*|"
    r"children|enfants|pregnan\w*|enceinte|side effects?|effets?|problems?|problemes?|troubles?|memory|memoire|"
    r"thinking|remember\w*)",
    r"\b(affect|affecter|impact\w*|changer)\s+(on\s+)?(my|ma|mon|mes)\s+(daily|vie|life|quotidien|work|travail)",
    r"\b(interfere|interact\w*|interagi\w*|interfer\w*)\b",
    r"\b(alternatives?|autres? options?|other options?)\b.{0,40}\b(treatment|traitement|therap\w*)|"
    r"\b(tolerate|tolerer|supporter)\b",
    r"\b(benefit from|beneficier)\b",
    r"\b(resultats?|results?|valeurs|values|chiffres|numbers)\s+(de mon|de ma|de mes|of my|from my)\s+(\w+\s+)?"
    r"(blood|sang|scan\w*|irm|mri|analyses?|tests?|examens?|biops\w*|bilan|complete|prise)",
    r"\b(puis-je|pourrais-je|can i|could i)\b.{0,20}\b(etre opere\w*|be operated|have surgery|get surgery)",
    rf"\b(mon|ma|my)\s+{_TREATMENT}\b.{{0,30}}\b(me|make me|makes me|rend|affect\w*)\b",
    r"\b(will|would|does|can|could)\s+(this|it|the)\s+(\w+\s+)?(affect|harm|hurt|change|damage)\b.{0,20}\b(my|me)\b",
    r"\b(better off|would i be better)\b",
    r"\b(my|mon|ma)\s+(type|stage|stade|kind|form|forme)\b",
    r"\b(my|mon|ma|mes)\s+(only|seul|next|prochain\w*|other|autres?|first|premier\w*|usual|habituel\w*|regular)\s+"
    r"(\w+\s+){0,3}?(treat\w*|traitement\w*|medic\w*|therap\w*)",
    r"\b(is|are|est)\s+(my|mon|ma|mes)\s+\w+\s+(infect\w*|normal|grave|serious|ok|okay|swollen|broken|cass\w*)",
    # the tests or treatment one needs, the doctor's suspicion
    r"\b(tests?|scans?|examens?|analyses?|biops\w*|treat\w*|traitements?|surgery|chirurgie|cycles?|cures?|"
    r"perfusions?|infusions?|sessions?|seances?|doses?)\b.{0,25}"
    r"\b(do i need|will i need|i need|dois-je|me faut-il|vais-je|should i|j'ai besoin)\b|"
    r"\b(do i need|will i need|ai-je besoin|me faut-il)\b.{0,30}\b(tests?|scans?|examens?|analyses?|biops\w*|"
    r"treat\w*|traitements?|surgery|chirurgie|chemo\w*|chimio\w*)",
    r"\b(suspect\w*|soupconn\w*)\b|\b(think|pensez|croyez) (that )?(i have|que j'ai)\b",
    # other medicines one takes beside the treatment ("je prends des corticoïdes, est-ce que ça...")
    r"\b(je prends|j'ai pris|je suis sous|i take|i'm taking|im taking|i am taking|i'm on|im on|i am on|il prend|elle prend|"
    r"he takes|she takes|he's on|she's on|he is on|she is on)\b.{0,30}\b(medic\w*|cortico\w*|steroid\w*|prednis\w*|"
    r"antibio\w*|anticoag\w*|pills?|comprim\w*|pilule|hormon\w*|insulin\w*|paracetamol|doliprane|ibuprof\w*|aspirin\w*|"
    r"supplements?|complements?|vitamin\w*|plantes|herbs?|herbal|cbd|cannabis|antidepress\w*|anxiolyti\w*|somnifer\w*)",
    # worried about one's own results; one's options; a mutation one has; one's hair growing back
    r"\b(worried|worry|scared|afraid|anxious|nervous|peur|inquiet\w*|angoiss\w*|stresse\w*)\b.{0,20}\b(my|mes|mon|ma|his|her|ses|son|sa)\s+"
    r"(\w+\s+)?(results?|resultats?|scans?|scanner|tests?|examens?|analyses?|biops\w*)\b",
    r"\b(my|mes|his|her|ses|our|nos) (\w+ )?options\b",
    r"\b(i have|i've got|ive got|j'ai|il a|elle a|he has|she has)\s+(a |an |une |un )?(\w+\s+)?(mutation|fusion|amplification|deletion)\b",
    r"\b(my|mes|mon|ma|his|her|ses|son|sa) (\w+ )?(cheveux|hair|ongles|nails|cils|eyelashes|sourcils|eyebrows)\b.{0,30}"
    r"\b(repouss\w*|grow back|growing back|revenir|come back|tomb\w*|fall\w* out)",
    # on a treatment now: what follows is about that person's care ("je suis sous keytruda, ...")
    rf"\b(suis|est|is|am|i'm|im|he's|she's)\s+(sous|on)\s+(\w+\s+)?{_TREATMENT}",
    # a treatment helping or curing this person
    rf"\b(will|would|could|can|might|may)\s+({_TREATMENT}|it|this|that)\s+(\w+\s+)?(help|cure|heal|save|work for)\s+(me|him|her|my \w+|them)\b|"
    r"\b(peut|pourrait|pourra|va)-?(t-)?(elle|il)\s+(l'|m'|me |le |la |les |lui )(aider|guerir|soigner|sauver)\b",
    r"\b(immunotherap\w*|immuno|chimio\w*|chemo\w*|radioth\w*|radiation|chirurgie|surgery|keytruda|opdivo|yervoy|"
    r"nivolumab|pembrolizumab|ipilimumab)\b\s+(ou|or)\s+(\w+\s+)?(immunotherap\w*|immuno|chimio\w*|chemo\w*|radioth\w*|"
    r"radiation|chirurgie|surgery|soins palliatifs|palliative|keytruda|opdivo|yervoy|nivolumab|pembrolizumab|ipilimumab)\b",
]
_ADVICE_EXPLICIT_RE = any_of(_ADVICE_EXPLICIT)
_ADVICE_SITUATION_RE = any_of(_ADVICE_SITUATION)
# The person concerned, for the situation patterns: not "on" ("peut-on avoir...": general).
_PERSONAL = re.compile(
    r"\b(j'|je|jai|moi|mon|ma|mes|il|elle|lui|mari|femme|epoux|epouse|pere|mere|papa|maman|"
    r"fils|fille|frere|soeur|enfant|i|i'm|i've|im|ive|me|my|mine|he|she|his|her|him|husband|wife|"
    r"father|mother|dad|mum|mom|son|daughter|brother|sister|partner|child|le mien|la mienne|toi|ton|ta|tes)\b"
)
# The same without French "il" / "elle", so often impersonal ("y a-t-il", "est-il contagieux"):
# for the wider net of questions about one's own health.
_SOMEONE = re.compile(
    r"\b(j'|je|jai|moi|mon|ma|mes|lui|mari|femme|epoux|epouse|pere|mere|papa|maman|"
    r"fils|fille|frere|soeur|enfant|i|i'm|i've|im|ive|me|my|mine|he|she|his|her|him|husband|wife|"
    r"father|mother|dad|mum|mom|son|daughter|brother|sister|partner|child|le mien|la mienne|toi|ton|ta|tes)\b"
)
# Trial eligibility ("at 82, can she be included?") belongs to the trial answers; asking the
# assistant what it knows of one's record ("do you have my results?") to what it is.
_TRIAL = re.compile(
    r"\b(essais?|etudes?|trials?|study|studies|participer|participate|take part|inclus\w*|included|placebo|"
    r"randomi\w*|control group|groupe (de )?controle|assigned to a group|allocated|au hasard|by computer|"
    r"tir\w* au sort|being tested|study (drug|treatment)|traitement (teste|etudie|a l'etude))\b"
)
_ABOUT_THE_ASSISTANT = re.compile(
    r"\b(vous|tu|you)\b.{0,20}\b(acces|access|connaissez|connais|voyez|see)\b.{0,10}"
    r"\b(mes|mon|ma|my|dossier|record)\b"
)
# Asking when or how to get one's results is a practical question (contact the care team).
_RESULTS_LOGISTICS = re.compile(
    r"\b(quand|comment|ou|when|how|where)\b.{0,30}\b(recevoir|obtenir|avoir|aurai|aurais|recupere\w*|"
    r"get|receive|collect|access)\b.{0,20}\b(resultats?|results?|compte[- ]rendu|report)|"
    r"\b(medecin|doctor|gp|generaliste|oncologue|oncologist)\b.{0,30}\b(prevenu|informe|averti|notified|informed|told|"
    r"contacted|contacte)\b"
)

# Money and appointments are practical questions (costs, waiting_times in the FAQ), however
# personal: "will my insurance pay?", "how long do I have to wait to get an appointment?".
_LOGISTICS = re.compile(
    r"\b(appointments?|rendez-vous|rdv|insurances?|assurances?|mutuelles?|rembours\w*|pay|payer|paie|cost\w*|cout\w*|"
    r"on time|a l'heure|en retard|running late|be late|on site|on the premises|sur place|sur le site|dans l'enceinte|"
    r"(eat|manger|breakfast|petit[- ]dejeuner|lunch|dejeuner)\b.{0,25}\b(before|avant)\b.{0,25}\b(treatment|traitement|"
    r"appointment|rendez-vous|session|seance|infusion|perfusion|chemo\w*|chimio\w*|scan|scanner|blood test|prise de sang)|"
    # what to bring along (not "what will this treatment bring me")
    r"(dois-je|faut-il|peut-on|puis-je|je dois|je peux|on doit|il faut) (\w+ )?(apporter|emporter|amener)|"
    r"(should|can|do|must|may) (i|we) (\w+ )?(bring|pack)(?! up)|what to (bring|pack)|"
    r"a tour|tour of|look around|show me around|faire (le|un) tour (du|de la|des)|"
    r"price|prix|frais|fees|parking|local|near me|pres de chez moi|available (at|in)|disponible (a|au|dans))\b"
)
# French "ou" is "or" too ("chimio ou immuno, que dois-je faire ?"): "où" is a question word only
# first, or before its verb.
_WHERE_FR = r"(^\W*ou\b|\bou (est-ce|puis-je|vais-je|peut-on|pourrai-je|dois-je|faut-il|je|j'|on|se|s')\b)"
_ASKING_WHERE = rf"(\b(how|where|who|comment|qui|par qui)\b|{_WHERE_FR})"
# How, where and by whom one's treatment is given is its organisation (treatment_organisation in
# the FAQ), not advice: "how will my treatment be administered?", "où vais-je faire mon traitement ?".
_ORGANISATION = re.compile(
    rf"{_ASKING_WHERE}.{{0,40}}\b(administer\w*|given|receive|delivered|administr\w*|"
    rf"donne\w*|recevoir|recevrai|faire|fera|se deroul\w*|effectue\w*|lieu)\b.{{0,20}}\b{_TREATMENT}|"
    rf"{_ASKING_WHERE}.{{0,30}}\b{_TREATMENT}\b.{{0,20}}\b(administer\w*|given|delivered|"
    rf"administr\w*|donne\w*|se deroul\w*|effectue\w*|lieu)\b"
)

# Where a treatment or a test is done, or whether a place offers it, is a practical question
# however personal ("where can I get my cancer treatment?", "peut-on faire ses analyses de sang à
# l'hôpital ?", "cette radiothérapie n'est pas possible à Paris"): the care team and the FAQ's
# practical entries answer it, not a refusal.
_CARE_PLACE = re.compile(
    rf"(\bwhere\b|{_WHERE_FR}).{{0,40}}\b(get|have|do|receive|find|take|faire|passer|avoir|recevoir|trouver|suivre|obtenir|subir|"
    rf"realiser)\b.{{0,40}}\b({_TREATMENT}|tests?|scans?|analyses?|examens?|prises? de sang|bilan|radioth\w*)|"
    r"\b(faire|passer|subir|realiser|get|have|do|done|possible|available|disponibles?|proposee?s?|pratiquee?s?)\b.{0,40}"
    r"\b(a|au|aux|dans|at|in)\s+(l'|the\s+|un\s+|une\s+|a\s+|an\s+|votre\s+|your\s+|this\s+|cet\s+|ce\s+|my\s+|mon\s+|ma\s+)?"
    r"((autre|other|another|same|meme|nearby|local|\w+'s)\s+){0,2}"
    r"(hopital|hospital|institut\w*|centre|center|clinique|clinic|curie|paris|labo\w*|laboratoire|ville|lab)\b"
)
# ...unless it asks what one may do while on a treatment ("a flu shot at the hospital while on Keytruda?").
_WHILE_ON_TREATMENT = re.compile(rf"\b(while on|during|pendant|durant|sous)\s+(\w+\s+){{0,2}}?{_TREATMENT}")


def _care_place(folded: str) -> bool:
    return bool(_CARE_PLACE.search(folded)) and not _WHILE_ON_TREATMENT.search(folded)

# Asked of a cancer center's assistant, these are about one's situation even without a word
# of health: "can I still drive?", "will it work for me?", "est-ce normal que je...".
_ADVICE_STRONG_RE = re.compile(
    r"\b(puis-je|je peux|je pourrai|pourrai-je|peut-il|peut-elle|il peut|elle peut)\s+(encore|toujours)\b|"
    r"\b(can|could) (i|he|she|we) still\b|\bam i still\b|"
    r"\b(would you|feriez[- ]vous|ferais[- ]tu|vous feriez|tu ferais|choisiriez[- ]vous|you choose|you do)\b.{0,30}"
    r"\b(in my (place|shoes)|a ma place|a sa place|in (his|her) (place|shoes))\b|\b(if you were me|si vous etiez moi|"
    r"si tu etais moi)\b|\b(trop tard|too late)\s+(pour|for)\s+(moi|lui|elle|me|him|her|mon|ma|my|his)\b|"
    r"\bhow (will|would|am|is) (i|he|she|my \w+) (going to )?feel\b|\bcomment (vais-je|je vais|va-t-(il|elle)|il va|elle va) "
    r"(me |se )?sentir\b|"
    r"\b(puis-je|pourrai-je|vais-je pouvoir|est-ce que je (peux|pourrai|vais pouvoir)|can i|could i|will i be able to)"
    r"\s+(continuer a |encore |toujours |keep |still |go on )?(travailler|conduire|working|driving|work|drive)\b(?!\s+(to|jusqu|a|au|there|here|from|de)\b)|"
    r"\b(someone|a person|a patient|quelqu'un|une personne|un patient) (like|comme) (me|moi|him|her|lui|elle|my|mon|ma)\b|"
    r"\b(will|would|does|is) (it|this|that) (going to )?(work|help)\b.{0,10}\b(for )?(me|him|her)\b|"
    r"(est-ce|est ce|c'est|cest|es ce|est-il|est-elle|serait-il|est-ce bien) normal (que|qu')|"
    r"is it normal (that|for me|for my|to)|"
    r"\b(suis-je|je suis|am i|i am|is (he|she)|est-il|est-elle)\s+(gueri\w*|cured|en remission|in remission)\b|"
    # being eligible for a treatment oneself
    rf"\b(am i|is (he|she)|suis-je|est-il|est-elle|serais-je)\s+(eligible|a candidate|candidate?|un candidat|une candidate)\s+"
    rf"(for|pour|a|au|aux|a l')\s*(une |un |the |an? |l')?{_TREATMENT}|"
    rf"\b(do|does|would|will) (i|he|she|my \w+) (qualify|be eligible) for\s+(the |an? )?{_TREATMENT}|"
    # going back to one's work or life after the treatment
    r"\b(reprendre|retourner au|retrouver|go back to|return to|get back to)\s+(le |mon |son |my |his |her )?(travail|boulot|work|job)\b"
)
# Wanting to understand how something works or what it is: general information (the FAQ).
_GENERAL_INFO = re.compile(
    r"\bcomment (ca|cela|elle|il|ils|elles|l'immunotherapie|le traitement|ce traitement) (marche|fonctionne|agit)|"
    r"\bhow (does|do) (it|this|that|immunotherapy|the treatment|this treatment|they) work|"
    r"\b(comprendre|understand|explain|expliquer) (how|what|comment|ce qu|ce que|le fonctionnement)|"
    r"\b(qu'est-ce que|c'est quoi|what is|what are) (l'|la |le |les |an? |the )?(immunotherap\w*|essai\w*|trials?)|"
    r"\b(what|which) questions (should|to|do|can) (i )?ask|\bquelles questions (poser|dois-je poser|faut-il poser)"
)
# Health in any form: the situation and implicit rules need one such word, so everyday requests
# ("play some jazz for me", "should I take my raincoat?") are never taken for advice.
_MEDICAL = re.compile(
    rf"\b({_TREATMENT}|{_CONDITION})|\b(cancer\w*|tumeur\w*|tumou?r\w*|oncolog\w*|medecin\w*|doctor\w*|docteur|"
    r"sante|health|malad\w*|disease|diagnos\w*|stade|stage|grade|metasta\w*|ganglion\w*|lymph\w*|scan\w*|"
    r"irm|mri|biops\w*|examens?|analyses?|tests?|testing|bilan|resultats?|results?|sang|blood|chiffres|numbers|"
    r"valeurs|values|marqueurs?|markers?|dose\w*|pills?|vaccin\w*|vaccine\w*|flu|grippe|infect\w*|enceinte|pregnan\w*|fertil\w*|"
    r"birth control|contracepti\w*|survi\w*|surviv\w*|guer\w*|cure\w*|curable|chances?|soign\w*|opere\w*|"
    r"operated|surgery|chirurg\w*|symptom\w*|side effects?|effets?|fievre|fever|douleur\w*|pain\w*|aches?|aching|"
    r"mal (au|a la|aux|de)|avoir mal|j'ai mal|fait mal|hurts?|fatigu\w*|tired|epuise\w*|exhausted|weak|faible|nause\w*|vomi\w*|diarrh\w*|"
    r"constip\w*|toux|tousse|cough\w*|itch\w*|demang\w*|gratte|rash|boutons|peau|skin|cheveux|hair|ongles|"
    r"nails|bouche|mouth|dizzy|vertige\w*|lightheaded|triste|sad|depress\w*|anxi\w*|sleep|dors|insomni\w*|"
    r"soleil|sun|alcool|alcohol|cut|wound|plaie|heal\w*|cicatri\w*|memory|memoire|thinking|infirmi\w*|nurse|"
    r"specialist\w*|bleed\w*|saign\w*|eligib\w*|spread|propag\w*|opinion|avis|essais?|trials?|"
    r"study|etudes?|melanom\w*|lymphom\w*|leuc\w*|sarcom\w*|carcinom\w*|myelom\w*|enzymes?|liver|foie|"
    r"kidneys?|reins?|thyro\w*|coeur|heart|poumons?|lungs?|body|corps|treat\w*|plaquettes|platelets|globules|"
    r"cells|neutrophil\w*|ha?emoglobi\w*|creatinine|tsh|crp|transaminases|ldh|cea|psa|pd-?l1|taux|levels?|"
    r"x-ray|perfusions?|cures?|cycles?|odds|recur\w*|comes? back|revenir|reviendr\w*|recidiv\w*|rechut\w*|"
    r"operable|inoperable|souffr\w*|suffer\w*|regime (particulier|alimentaire|special|specifique)|"
    r"(special|particular) diet|fum\w*|smok\w*|cigaret\w*|tabac|"
    r"cortico\w*|steroid\w*|antibioti\w*|penicill\w*|allerg\w*|heredit\w*|ventre|belly|abdom\w*|"
    r"poids|weight|kilos?|appetit|appetite|fourmis|engourdi\w*|numb(?!er)\w*|tingl\w*|(glass|verre) (of |de |d')?(wine|vin|beer|biere)|"
    r"(boire|drink)\w* (du |de la |some |a )?(vin|wine|beer|biere)|"
    r"nodules?|lumps?|masse|lesions?|palliati\w*|curati\w*|vivre|stomach|estomac|nerfs?|nerves?|"
    r"(feel|feeling|felt|be|get|getting|got|being|make me|made me) sick|"
    # reports, imaging and tests of one's disease, named by patients asking what theirs say
    r"patholog\w*|anapath\w*|imaging|imagerie|biomarq\w*|biomarkers?|mutations?|genetiq\w*|genetic\w*|"
    r"radioth\w*|radiation|remission|progression|prognos\w*|pronostic\w*|diet\w*|regime\w*|alimentaire|"
    r"nutrition\w*|invasi\w*|in situ|out of the sun|in the sun|au soleil|sunscreen|sunburn\w*|creme solaire|"
    r"coup de soleil|therapeuti\w*|gravite|swollen|swelling|gonfle\w*|gonflement|inflam\w*|enflamm\w*)\b"
)
# "Who can I talk to?", "can my husband stay with me?": reaching or bringing people, not advice
# (contact_center, accompany_patient, visits in the FAQ).
_WHO_TO_TALK_TO = re.compile(
    r"\bwho (can|should|do) (i|we) (talk|speak|call|contact)|\ba qui (puis-je |je peux )?(en )?parler|"
    r"\bstay (with|next to|beside|by) (me|him|her)|\bbe with (my|him|her)|\brester (avec|a cote|aupres)|\baccompan\w*|\baccompagn\w*|"
    r"\bvisit\w*|\bvisite\w*|\bcome with (me|him|her)|\bvenir avec|"
    r"\b(un proche|une proche|quelqu'un|une personne|someone|a relative|a friend|family|famille|mon (mari|conjoint|fils|ami)|"
    r"ma (femme|conjointe|fille|amie)|my (husband|wife|partner|son|daughter|friend|mother|father|mum|mom|dad))\b.{0,25}\b(rester|stay|venir|come|assister|"
    r"be present|etre present\w*)\b|"
    r"\b(when|quand) (should|do|must|can) (i|we) (call|contact|phone|ring) (the|my|a|our) (doctor|nurse|care team|oncologist)|"
    r"\bquand (dois-je|faut-il) (appeler|contacter|prevenir) (le|mon|l') ?(medecin|infirmi\w*|equipe|oncologue)"
)


# Personal by itself, no pronoun needed: "is it OK to be out in the sun?", "which one do you
# recommend?"
_ADVICE_IMPLICIT = [
    # the definite tumour, nodes, metastases of one patient: operable, affected, how big
    r"\b(la tumeur|le cancer|les ganglions|les lesions|the tumou?r|the cancer|the (lymph )?nodes|the lesions?|"
    r"the mass|la masse)\b.{0,25}\b(operable|inoperable|touche\w*|atteint\w*|affected|involved|benign\w*|"
    r"malin\w*|malignant|agressi\w*|aggressive)\b",
    r"\b(how big|how large|what size)\b.{0,10}\b(the|my|his|her) (tumou?r|mass|cancer|nodule|lesion)",
    r"\b(y a-t-il|y-a-t-il|il y a|est-ce qu'il y a|are there|is there)\s+(des |any |de )?(metastases|ganglions "
    r"(touches|atteints)|spread)\b",
    # the goal of one's treatment: cure or control
    r"\b(curati\w*|curative) (ou|or) (palliati\w*)|\b(palliati\w*) (ou|or) (curati\w*|curative)|"
    r"\b(cure|guerir)\b.{0,25}\b(or|ou)\b.{0,10}\b(control\w*|stabilis\w*|ralentir)",
    # "is it serious, doctor?", "what are the chances it works?"
    r"^\W*(est-ce|c'est|is (it|this|that))\s+(grave|serieux|serious|dangerous|dangereux)\s*,?\s*(docteur|doctor)?\W*$",
    r"\b(chances?|probabilit\w*)\b.{0,20}\b(que (ca|cela|le traitement|ce traitement|l'immunotherapie|elle|il) (marche|fonctionne)|"
    r"(it|this|the treatment|this treatment|immunotherapy) (will )?works?|of (it|this|this treatment) working)",
    # "est-ce normal d'avoir mal aux articulations ?": one's own symptom, asked of a cancer center
    r"\b(est-ce|c'est|est-il|est ce|cest) (bien )?normal (d'|de )|\bis it normal to\b|"
    r"\b(est-ce|est ce|c'est|cest|is (it|this|that)) (bien |really )?normal\W*$",
    # how we will know that one's treatment works
    r"\b(how (will|would|do|can) (we|i|you) know|comment (saurons-nous|saurai-je|saura-t-on|savoir|va-t-on savoir))\b"
    r".{0,25}\b(working|works?|marche|fonctionne|efficace|effective|disparu|gone|gueri\w*|cured|remission|revenu|back)\b",
    # what to avoid during one's treatment
    rf"\b(eviter|avoid)\b.{{0,30}}\b(pendant|durant|during|while on|sous|avec|with)\s+(\w+\s+){{0,2}}?{_TREATMENT}",
    r"\b(is it|is that|c'est|est-ce) (ok|okay|safe|fine|dangereux|risque|bon|grave)\s+(to|if|de|d'|si)\b",
    # the doctor's choice for this patient: "do you recommend", "me prescrivez-vous", "referring me"
    r"\b(vous|you|tu)\s+(me |nous |lui )?(recommand\w*|conseill\w*|preconis\w*|prescri\w*|recommend\w*|advise|"
    r"suggest\w*|prescrib\w*)|\b(recommand\w*|conseill\w*|preconis\w*|prescri\w*)[- ](vous|tu)\b",
    r"\b(me |m')(prescri\w*|recommand\w*|conseill\w*|orient\w*|apporter)\b|\bwhy\b.{0,20}\breferr?(ing)? me\b|"
    r"\byou expect\b.{0,40}\b(do|achieve|work)\b",
    r"\b(pourquoi|why)\b.{0,20}\b(ce traitement|cette molecule|ce medicament|this treatment|this drug|this medicine)\b",
    r"\b(objectif|but|goal|aim|purpose)s?\s+(du|de mon|de ce|of the|of my|of this)\s+(traitement|treatment)\b",
    # a particular cancer's stage, size, spread, chances: about someone's own disease
    r"\b(stade|stage|grade|taille|size)\s+(du|de la|of the|of my|de mon|de ma)\s+(cancer|tumeur|tumou?r|maladie|disease)\b|"
    r"\b(cancer|tumou?r)'s (stage|grade|size)\b",
    r"\b(has|did|is) (it|the cancer|the tumou?r) (spread|spreading)|\bs'est(-il|-elle)? (propage|etendu)",
    r"\b(chances?|risque|risk|odds)\b.{0,40}\b(comes? back|returns?|recur\w*|revenir|reviendr\w*|recidiv\w*|rechut\w*)|"
    r"\b(guerissable|curable|incurable)\b|\b(vivre|live) (plus )?(longtemps|longer)\b",
    r"\b(keep|stop|prevent|empeche\w*|eviter)\b.{0,10}\b(my|your|mon|ma|votre|son|sa|his|her)\s+(cancer|tumeur|"
    r"tumou?r|maladie|disease)\b.{0,20}\b(coming back|come back|returning|revenir|recidiv\w*|rechut\w*)",
    r"\b(etre (sur|certain\w*)|be (sure|certain))\b.{0,30}\b(s'agit|it is|it's|c'est)\b",
    r"\b(que|what)\s+(signifient|veulent dire|veut dire|do|does)\s+(ces|these|this|ce)\s+(\w+\s+)?"
    r"(chiffres|numbers|valeurs|values|resultats|results)",
    r"\b(comment (les )?interpreter|how (do i |to |should i |can i )?(interpret|read))\b",
    r"\b(examens?|tests?|analyses?) (necessaires|needed|required)\b",
    r"\b(pronostic|prognosis|outlook|survival rate|taux de survie|esperance de vie|life expectancy)\b.{0,40}"
    r"\b(this|ce|cet|cette|ces)\b",
    r"\b(is|est-ce que|est ce que)\s+(this|that|ce|cet|cette|ces)\s+(\w+\s+){0,3}?(serious|grave|dangerous|"
    r"dangereu\w*|normal|an emergency|urgent)\b",
    r"\b(what will happen|what happens|que va-t-il se passer|que se passera-t-il|qu'est-ce qui va se passer)\b"
    r".{0,40}\b(my|mon|ma|mes|me|moi)\b",
    # asked of one's doctor: how sure the diagnosis is, which tests were or must be done
    r"\b(are|can|could) you (be )?(absolutely |really |completely |totally )?(sure|certain)\b|"
    r"\b(etes-vous|etes vous|vous etes) (\w+ )?(sur|sure|certain\w*)\b|\ba quel point (etes-vous|vous etes) (sur|certain)",
    r"\b(tests?|scans?|examens?|analyses?|exams?)\b.{0,20}\b(have you|did you|avez-vous|vous avez) (run|done|did|ordered|fait|"
    r"prescrit|demande)\b|\b(tests?|examens?|analyses?)\s+(qui\s+)?(doivent|doit|restent|reste|need to be|must be|should be)\b",
    # the aim of one's treatment named with its alternatives ("curative, ... or palliative?")
    r"\b(curati\w*|curative)\b.{0,60}\b(palliati\w*)|\b(palliati\w*)\b.{0,60}\b(curati\w*|curative)\b",
    # what comes next if one's treatment fails
    r"\b(what happens|what if|what next|what (will|would|should|do) (we|i) do|que se passe-t-il|"
    r"que se passera-t-il|que ferons-nous|qu'allons-nous faire|et si)\b.{0,20}\b(if|si)?\b.{0,20}"
    r"\b(treatment|traitement|therapy|therapie|immunotherap\w*|immuno|approach|it|ca|il|elle)\b.{0,20}\b(doesn'?t|does not|fails?|stops?|ne "
    r"(marche|fonctionne|agit) (pas|plus)|echoue)",
    rf"\b(travailler|work|working|conduire|drive|driving|voyager|travel\w*|faire du sport|exercise|exercising|"
    rf"partir en vacances|vacances|holidays?|vacation|fly|flying|prendre l'avion|swim\w*|piscine|me baigner|se baigner)\W+"
    rf"(\w+\W+){{0,6}}?(pendant|durant|during|while on|sous|entre|between|after|apres)\s+.{{0,20}}{_TREATMENT}",
    # one's age with what one can still have ("à 75 ans on peut encore faire une immunothérapie ?")
    r"\b(a|at|aged?|age de|agee? de)\s+\d{2,3}\s*(ans|years?( old)?)?\b.{0,50}\b(peut|peux|puis|pourr\w*|can|could|"
    r"encore|still|trop|too|possible|risque\w*|risk\w*|safe|dangereu\w*)\b",
    r"\b(peut-on|peut on|on peut|can (you|one|people|a person))\s+(encore|toujours|still)\b",
    # a vaccine while on treatment ("peut-on se faire vacciner contre la grippe sous keytruda ?")
    rf"\b(vaccin\w*|vaccine\w*|flu (shot|jab)|vaccinated)\b.{{0,40}}\b(pendant|durant|during|while on|sous|avec|with)\s+.{{0,20}}{_TREATMENT}",
    # the dose for oneself ("quelle dose pour mon poids ?", "je pèse 50 kilos, la dose est-elle adaptée ?")
    r"\b(quelle|what|which|la|the|ma|my)\s+(dose|dosage|posologie)\b.{0,40}\b(pour|for|adapt\w*|right|bonne|correct\w*|"
    r"enough|suffisante|trop|too|poids|weight)\b|\b(je pese|i weigh)\b",
    # how serious it is, asked alone
    r"^\W*(quelle est (sa|la) gravite|how serious is it|how bad is it)\W*$",
    # what a scan or test found: always somebody's ("le scanner montre une nouvelle lésion")
    r"\b(le|la|l'|mon|ma|the|my|his|her|son|sa)\s*(scanner|scan|ct|irm|mri|pet[- ]?scan|pet|biopsie|biopsy|prise de sang|"
    r"blood test|bilan|radio|x-ray|echographie|ultrasound|analyses?)\b.{0,20}\b(montre\w*|shows?|showed|shown|revele\w*|"
    r"reveals?|revealed|indique\w*|indicates?|found|trouve\w*|a montre|detecte\w*|detected)\b",
    # whether a treatment is worth it
    rf"\b(worth (it|trying|doing|having|taking|the)|vaut (la peine|le coup)|vaille (la peine|le coup))\b.{{0,40}}{_TREATMENT}|"
    rf"{_TREATMENT}.{{0,40}}\b(worth it|worth trying|vaut (la peine|le coup))",
    # declining or stopping one's treatment, and what follows
    rf"\b(if|si|et si|what if)\s+(i|je|j'|he|she|il|elle|we|on|my \w+|mon \w+|ma \w+)\s*(\w+\s+){{0,2}}?(refuse\w*|decline\w*|"
    rf"stop\w*|arret\w*|quit\w*|skip\w*|don'?t (do|have|take|get)|do not (do|have|take|get)|choose not|chose not|decide not|"
    rf"decided not|decide de ne pas|ne (fais|fait|prends|prend|suis|suit) pas)\b.{{0,30}}{_TREATMENT}",
    # what one may do during or after one's treatment ("can I go to the gym after my infusion?")
    rf"\b(can|could|may|should|am i allowed to|is he allowed to|is she allowed to)\s+(i|he|she|we|my \w+)\b.{{0,40}}"
    rf"\b(pendant|durant|during|while on|sous|after|apres|avant|before|with|avec)\s+(\w+\s+){{0,2}}?{_TREATMENT}|"
    rf"\b(puis-je|je peux|peut-il|peut-elle|est-ce que (je|il|elle) (peux|peut)|pourrai-je|pourrais-je|ai-je le droit de)\b.{{0,40}}"
    rf"\b(pendant|durant|sous|apres|avant|avec)\s+(\w+\s+){{0,2}}?{_TREATMENT}",
]
_ADVICE_IMPLICIT_RE = any_of(_ADVICE_IMPLICIT)
# Whether a trial suits oneself is still a question for one's oncologist (the trial search
# keeps "what trials are open to me?").
_ADVICE_OVER_TRIAL_RE = re.compile(
    r"\b(right|good|suitable|an option|a good option|appropriate) for me\b|\bgood candidate\b|\bbon candidat\b|"
    r"\b(adapte|indique|une option) pour moi\b|\b(une|an?)\s+(\w+\s+)?option\s+(pour|for)\b"
    r".{0,60}\b(moi|me|my|mon|ma|mes|lui|him|her|la personne|the person|someone)\b|\b(treatment options|treatment choices|options de traitement|"
    r"choix de traitement|options therapeutiques|therapeutic options)\b|\b(my eligibility|disqualify me|do i meet)\b|"
    r"\b(dois-je|devrais-je|should i|est-ce que je dois)\s+(participer|take part|participate|join|accepter|entrer|enter)\b|"
    r"\b(should|dois-je|devrais-je|doit-il|doit-elle|devrait-il|devrait-elle)( (i|he|she|we|my \w+))?\s+(do|take|faire|"
    r"accept\w*|choose|choisir|go for|prendre)\b.{0,20}\b(trial|essai|study|etude)\b"
)


_CONDITION_RE = re.compile(rf"\b{_CONDITION}\b")
# Someone with another illness, named without a pronoun: an individual case all the same.
_CONDITION_HOLDER = re.compile(
    r"\b(quelqu'un|une personne|un patient|une patiente|les patients|les personnes|someone|somebody|a person|"
    r"a patient|patients|people|anyone|si on|quand on|lorsqu'on|if you|when you|if one)\b"
)


def asks_medical_advice(text: str) -> bool:
    """True when the message asks for advice about one person's own care."""
    folded = fold(text)
    if (_RESULTS_LOGISTICS.search(folded) or _ABOUT_THE_ASSISTANT.search(folded)
            or _WHO_TO_TALK_TO.search(folded) or _COMMAND_RE.search(folded) or _care_place(folded)):
        return False
    if _AFFECTED.search(folded) and _ADVICE_EXPLICIT_RE.search(folded):
        return True
    if _LOGISTICS.search(folded) or _ORGANISATION.search(folded):
        return False
    if _PERSONAL.search(folded) and _ADVICE_STRONG_RE.search(folded) and not _TRIAL.search(folded):
        return True
    if not _MEDICAL.search(folded):
        return False
    if _ADVICE_IMPLICIT_RE.search(folded) and not _TRIAL.search(folded):
        return True
    if _ADVICE_OVER_TRIAL_RE.search(folded):
        return True
    if _CONDITION_RE.search(folded) and _CONDITION_HOLDER.search(folded) and not _TRIAL.search(folded):
        return True
    return bool(_PERSONAL.search(folded) and not _TRIAL.search(folded)
                and _ADVICE_SITUATION_RE.search(folded))


def _practical(folded: str) -> bool:
    return bool(_RESULTS_LOGISTICS.search(folded) or _ABOUT_THE_ASSISTANT.search(folded)
                or _WHO_TO_TALK_TO.search(folded) or _LOGISTICS.search(folded) or _ORGANISATION.search(folded)
                or _care_place(folded))


def describes_own_symptom(text: str) -> bool:
    """True when the message tells of one's own (milder) symptom: "my skin is itching"."""
    return bool(_OWN_SYMPTOM_RE.search(fold(text)))


# A symptom its writer calls mild ("how to manage mild diarrhea?", "une légère fièvre"): the
# rules still decide what is severe; the learned guesses must be surer to call it an emergency.
_MILD_RE = re.compile(
    r"\b(mild|mildly|slight|slightly|minor|a little|a bit of|faint|leger|legere|legers|legeres|legerement|"
    r"petite?s?|un peu de|peu de)\b\W+(\w+\W+){0,2}?(fievre|fever|temperature|diarrh\w*|nausee\w*|nausea|rash|"
    r"eruption|boutons|toux|cough\w*|douleur\w*|pain\w*|mal|ache\w*|headache|fatigue|tired\w*|itch\w*|"
    r"demangeaisons|vomi\w*|vertiges?|dizz\w*|essoufflement|breathless\w*|frissons|chills)|"
    # French puts the adjective after the noun ("des diarrhées légères", "une toux légère")
    r"\b(fievres?|diarrh\w*|nausees?|eruptions?|boutons|toux|douleurs?|fatigue|demangeaisons|vertiges?|frissons|"
    r"maux de tete|mal de tete)\s+(\w+\s+)?(legere?s?|peu (importante?s?|forte?s?)|moderee?s?|passagere?s?)\b"
)


def calls_it_mild(text: str) -> bool:
    """True when the message calls its symptom mild ("a mild rash", "une légère fièvre")."""
    folded = fold(text)
    return bool(_MILD_RE.search(folded)) and not _positive(_SEVERE_RE, _fix_typos(folded))


# Words of health that everyday requests use too ("save my opinion on this song", "the chance
# of rain", "scan my social media", "i'm going to sleep now"): alone, they do not make a message
# about one's health (measured on MASSIVE's everyday requests).
_EVERYDAY_WORDS = frozenset(
    "chance chances avis opinion resultat resultats result results taux scan scans numbers chiffres valeurs "
    "values sun soleil sleep sad triste cut test tests testing diet regime sunscreen "
    "scanne level levels health sante cure cures cycle cycles memory memoire thinking vivre".split()
)
# Requests to a voice assistant ("remind me to take my medicine", "play sad songs"): not a question
# about one's health.
_COMMAND_RE = re.compile(
    r"^\W*(\w+ )?(rappelle|remind|set|mets|play|joue|save|sauvegarde|enregistre|add|ajoute|tweet\w*|email|"
    r"envoie|send|scanne|open|ouvre|turn|allume|eteins|start|lance|show|montre|informez|prevenez|alert)\b|"
    r"^\W*(please |s'il te plait |stp )?(wake me|reveille-moi|reveille moi|reveillez-moi|ne me reveille|"
    r"do not wake me|don'?t wake me)\b"
)


def _health_word(folded: str) -> bool:
    """A word of health that is not also an everyday one, or two everyday ones together."""
    found = [m.group(0) for m in _MEDICAL.finditer(folded)]
    everyday = {w for w in found if w in _EVERYDAY_WORDS or w == "creme solaire"}
    return len(found) > len(everyday) or len(everyday) >= 2


def _about_own_health(folded: str) -> bool:
    return bool(_SOMEONE.search(folded) and _health_word(folded) and not _COMMAND_RE.search(folded))


# Parts of the body and signs a symptom is told with, beyond the words of health above.
_BODY_RE = re.compile(
    r"\b(tete|head|visage|face|levres?|lips?|bouche|mouth|gorge|throat|yeux|oeil|eyes?|ventre|belly|bras|arms?|"
    r"jambes?|legs?|mains?|hands?|pieds?|feet|foot|dos|back|bleu\w*|blue|souffle|breath\w*|respir\w*|coeur|"
    r"heart|pouls|pulse|urin\w*|selles|stools?|tomb\w*|fell|fall\w*|reveill\w*|wake|waking|conscious\w*|"
    r"sick|malade|mal|hurt\w*|sweat\w*|sueurs?|trembl\w*|shak\w*|froid|cold|chaud|hot|burn\w*|brul\w*|"
    r"gonfl\w*|swell\w*|swollen|rouge|red|pale|spots?|taches?|fits|gasp\w*|etouff\w*|"
    # feeling unwell, told without a symptom word ("je me sens partir", "i feel awful")
    r"feel\w*|felt|sens|sentir|senti\w*|ca (ne )?va pas|unwell|not well)\b"
)


def may_be_a_symptom(text: str) -> bool:
    """Whether a message could tell of a symptom: a word of health or of the body, and not a
    request to a voice assistant. The learned urgency detector alone needs one ("play my jogging
    playlist", "and the darkness has fallen" are no emergency)."""
    folded = _prepared(text)
    if _COMMAND_RE.search(folded):
        return False
    return bool(_URGENT_CALL_RE.search(folded) or _ALARM_RE.search(folded) or _SEVERE_RE.search(folded)
                or _health_word(folded) or _BODY_RE.search(folded))


# One's own cancer told ("I have stage 4 melanoma", "mon mari a un cancer du poumon"): a
# question about a trial then asks what it means for that case.
_OWN_CANCER_TOLD = re.compile(
    r"\b(i have|i've got|ive got|i was diagnosed with|j'ai|je suis atteinte?|(my|mon|ma) \w+ (has|had|a|is|est))\b"
    r".{0,40}\b(cancer\w*|tumou?r\w*|tumeur\w*|melanom\w*|lymphom\w*|carcinom\w*|sarcom\w*|myelom\w*|"
    r"leucemi\w*|leukemi\w*|stade|stage)\b"
)


def may_ask_advice(text: str) -> bool:
    """Whether a model's "advice" may stand: someone concerned, a word of health, and neither
    a practical question (money, appointments, getting results, who to talk to), a request
    for general information ("my father starts immunotherapy, how does it work?") nor a question
    on how a trial works ("will I get the placebo?", unless it asks whether the trial suits one)."""
    folded = fold(text)
    about_a_trial = (bool(_TRIAL.search(folded)) and not _ADVICE_OVER_TRIAL_RE.search(folded)
                     and not _OWN_CANCER_TOLD.search(folded))
    return (_about_own_health(folded) and not _practical(folded) and not _GENERAL_INFO.search(folded)
            and not about_a_trial)


# One's own case named with a definite article, asked of one's cancer center: "has the melanoma
# spread?", "what are the risks of this treatment plan?", "ce cancer est-il agressif ?". Not the
# French "le cancer", "la maladie": generic ("le cancer est-il contagieux ?"), nor a definition.
_THE_CASE_RE = re.compile(
    r"\b(the|this|ce|cette)\s+(cancer|tumou?r|tumeur|melanom\w*|lymphom\w*|carcinom\w*|sarcom\w*|"
    r"myelom\w*|leuc\w*|maladie|disease|diagnos\w*|treatment plan|plan de traitement|protocole|biops\w*|"
    r"pathology report|compte[- ]rendu|scanner|lesion|ganglion|lymph node|metasta\w*|surgery|chirurgie|"
    r"operation|intervention)\b|\b(this|ce|cet|cette)\s+(treatment|traitement|therap\w*|drug|medicament|medication|"
    r"immunotherap\w*|perfusion|infusion|cure|protocol)\b"
)


# A short definition question ("what is the melanoma?"), general information.
_DEFINITION_RE = re.compile(
    r"^\W*(what is|what are|what's|qu'est-ce que?|qu'est-ce qu'|c'est quoi|define|definition)\s*(\S+\s+){0,2}\S+\W*$"
)


_SYMPTOM_WORDS = (r"(fatigu\w*|tired\w*|rash|eruption|boutons|demangeaisons|itch\w*|diarrh\w*|nause\w*|toux|cough\w*|"
                  r"douleur\w*|pain\w*|mal (au|a la|aux)|fievre|fever|vertige\w*|dizz\w*|insomni\w*)")
# A clinical case written tersely, no person named ("immunotherapy with lupus?", "TSH 8 sous
# keytruda", "nivolumab ou pembrolizumab ?", "quelle dose de nivolumab ?", "à 85 ans ?"): a patient
# asking about their own; where nothing answers it, the refusal with the care team.
_DRUG = (r"(keytruda|opdivo|yervoy|tecentriq|imfinzi|bavencio|libtayo|pembrolizumab|nivolumab|ipilimumab|"
         r"atezolizumab|durvalumab|avelumab|cemiplimab|immunotherap\w*|immuno|chimio\w*|chemo\w*|radioth\w*|radiation)")
_CLINICAL_CASE_RE = re.compile(
    rf"\b{_CONDITION}\b.{{0,60}}\b{_TREATMENT}|\b{_TREATMENT}.{{0,60}}\b{_CONDITION}\b|"
    r"\b(tsh|psa|cea|ca[- ]?125|crp|ldh|plaquettes|platelets|neutrophil\w*|globules|leucocytes|lymphocytes|"
    r"ha?emoglobin\w*|creatinine|transaminases|pd-?l1|cps|tps)\b.{0,25}(\d|\b(bas|basses?|hauts?|hautes?|eleve\w*|low|high))|"
    rf"\b{_DRUG}\s+(ou|or|vs\.?|versus|contre|plutot que|rather than)\s+(\w+\s+)?{_DRUG}|"
    rf"\b(quelle|what|which|la|the)\s+(dose|dosage|posologie)\b.{{0,20}}{_DRUG}|"
    rf"^\W*(normal|is it normal|est-ce normal|c'est normal|est ce normal)\b.{{0,60}}({_TREATMENT}|{_SYMPTOM_WORDS})|"
    rf"\b\d{{2,3}}\s*(ans|years?( old)?|yo)\b.{{0,60}}{_TREATMENT}|"
    rf"\b(trop tard|too late|trop vieux|trop vieille|too old)\b.{{0,30}}{_TREATMENT}|"
    r"\b(chances?|survie|survival|pronostic|prognosis|esperance de vie|life expectancy)\b.{0,40}\b(stade|stage)\s*(\d|iv|i{1,3})\b"
)


# Symptoms named by a noun no everyday request uses ("température", "jaune", "bouton", "tomber"
# do: "dis moi la température", "appelle le taxi jaune"; measured on MASSIVE).
_SYMPTOM_NOUN_RE = re.compile(
    r"\b(fievres?|fever|diarrh\w*|vomissements?|vomiting|nausees?|nausea|essoufflement|breathlessness|toux|"
    r"cough(ing)?|eruptions?|rash(es)?|cloques?|blisters?|saignements?|bleeding|vertiges?|dizziness|malaises?|"
    r"douleurs?|pains?|maux de \w+|headaches?|migraines?|palpitations?|gonflements?|swelling|jaunisse|jaundice|"
    r"fatigue\w*|demangeaisons?|insomni\w*|courbatures?|crampes?|constipation|itch(ing|iness)|tiredness|aches|"
    r"soreness|numbness|tingling|fourmillements?|engourdissements?|sueurs? nocturnes|night sweats)\b"
)


def _told_symptom(folded: str) -> bool:
    """A symptom told, not asked about: no question, no request ("Des maux de tête persistants ou
    inhabituels;", a line of a leaflet's list). Somebody has it."""
    return bool(not _ASKS_RE.search(folded) and not _COMMAND_RE.search(folded) and not _practical(folded)
                and not _TRIAL.search(folded)
                and bool(_positive(_SYMPTOM_NOUN_RE, _fix_typos(folded))))


def is_about_ones_case(text: str) -> bool:
    """A question about one's own health (is_personal_health_question), about one's own
    disease named with a definite article ("has the melanoma spread?"), or a symptom told without
    a question: where nothing answers it, the refusal with the general information and the care
    team is the honest reply."""
    folded = fold(text)
    if _told_symptom(folded):
        return True
    # "my father starts immunotherapy, how does it work?" asks for general information: when
    # nothing answers it, "I don't know" with the care team is the honest reply, not a refusal
    if is_personal_health_question(text) and not _GENERAL_INFO.search(folded):
        return True
    if (_CLINICAL_CASE_RE.search(folded) and not _practical(folded) and not _TRIAL.search(folded)
            and not _GENERAL_INFO.search(folded) and not _COMMAND_RE.search(folded)):
        return True
    return bool(_THE_CASE_RE.search(folded) and not _DEFINITION_RE.search(folded) and not _practical(folded)
                and not _TRIAL.search(folded)
                and not _GENERAL_INFO.search(folded) and not _COMMAND_RE.search(folded))


def is_personal_health_question(text: str) -> bool:
    """One's own health, however asked ("will I lose my hair?", "my skin is peeling"), and not
    a trial, money, appointments or who to talk to: where no answer fits, a kind refusal with
    the care team is the honest reply."""
    folded = fold(text)
    if _practical(folded) or _TRIAL.search(folded):
        return False
    return _about_own_health(folded)


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


# A sentence that asks something: a question mark, or a question word first ("who can I talk to").
_QUESTION_RE = re.compile(
    r"\?|^(qui|que|quoi|quel\w*|quand|comment|combien|pourquoi|ou|est-ce|peut-on|puis-je|faut-il|"
    r"who|what|which|when|where|why|how|is|are|can|could|do|does|will|should)\b"
)


def is_readable_question(text: str, min_words: int = 4) -> bool:
    """A French or English question of a few words: one we can say "I don't know" to."""
    folded = fold(text).strip()
    return (len(folded.split()) >= min_words and bool(_QUESTION_RE.search(folded))
            and unusable_input(text) is None)
