"""Concepts a patient asks about, with their French/English wording and the registry's wording.

Each concept has ``says``: phrases patients use (FR and EN, folded: lower case, no accents, no
punctuation) and ``record``: regular expressions over folded registry text (conditions, keywords,
MeSH terms for conditions; intervention names, other names and titles for interventions). The
importer tags each trial with the concepts its record matches; the search looks tags up, so a
query never scans free text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.text import any_of


@dataclass(frozen=True)
class Concept:
    key: str
    kind: str  # "condition" or "intervention"
    says: tuple[str, ...]  # "|"-separated in the table below
    record: tuple[str, ...] = ()  # one regular expression each
    includes: tuple[str, ...] = ()  # asking for this concept also asks for these
    immunotherapy: bool = False
    oncology_only: bool = False  # counts as cancer immunotherapy only in a cancer trial

    @property
    def term(self) -> str:
        return f"{'c' if self.kind == 'condition' else 'i'}:{self.key}"


def _c(key: str, says: str, record: str = "", includes: str = "") -> Concept:
    return Concept(key, "condition", _split(says), (record,) if record else (), _split(includes))


def _i(key: str, says: str, record: str = "", *, imm: bool = False, onco: bool = False,
       includes: str = "") -> Concept:
    return Concept(key, "intervention", _split(says), (record,) if record else (), _split(includes), imm, onco)


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


_PD1 = r"pembrolizumab|keytruda|mk ?3475|nivolumab|opdivo|bms ?936558|tislelizumab|cemiplimab|dostarlimab|balstilimab|sintilimab|toripalimab|camrelizumab|spartalizumab|retifanlimab|serplulimab|\bpd ?1\b"
_PDL1 = r"atezolizumab|durvalumab|avelumab|\bpd ?l ?1\b"
_CTLA4 = r"ipilimumab|tremelimumab|botensilimab|\bctla ?4\b"

CONDITIONS: tuple[Concept, ...] = (
    _c("melanoma", "melanome|melanomes|melanoma|melanomas", r"melanoma"),
    _c("uveal_melanoma", "melanome oculaire|melanome uveal|melanome de l oeil|melanome choroidien|"
       "uveal melanoma|ocular melanoma|eye melanoma", r"(?:uveal|ocular|choroidal|intraocular|eye) melanoma"),
    _c("skin", "cancer de la peau|cancers de la peau|carcinome cutane|carcinome basocellulaire|carcinome spinocellulaire|merkel|peau|"
       "skin cancer|skin|basal cell carcinoma|squamous cell skin cancer",
       r"\bskin\b|cutaneous|melanoma|basal cell carcinoma|merkel"),
    _c("lung", "poumon|poumons|pulmonaire|bronches|bronchique|lung|lungs|nsclc|sclc|cbnpc|cpnpc|cbpc",
       r"\blung|\bnsclc\b|\bsclc\b|non ?small ?cell|bronch(?:ial|ogenic|us)\b|pulmonary (?:carcinoma|cancer|neoplasm|adenocarcinoma)"),
    _c("nsclc", "non a petites cellules|cbnpc|cpnpc|nsclc|non small cell|non small cell lung cancer",
       r"non ?small ?cell|\bnsclc\b"),
    _c("breast", "sein|seins|mammaire|breast", r"\bbreast\b|mammary"),
    _c("cervical", "cancer du col de l uterus|cancers du col de l uterus|cancer du col uterin|col de l uterus|col uterin|cancer du col|cervical cancer|cervix|cervical",
       r"cervical (?:cancer|carcinoma|neoplasm|intraepithelial|squamous|adenocarcinoma)|\bcervix\b|uterine cervical"),
    _c("uterine", "uterus|uterin|uterine|endometre|endometrial|endometrium|corps de l uterus",
       r"endometri|uterine (?:cancer|neoplasm|carcinoma|corpus|sarcoma)|\buterus\b"),
    _c("ovarian", "ovaire|ovaires|ovarien|trompe de fallope|trompes de fallope|ovarian|ovary|fallopian tube",
       r"\bovar|fallopian"),
    _c("pancreas", "pancreas|pancreatique|pancreatic", r"pancrea"),
    _c("bladder", "vessie|vesical|bladder|urothelial|urothelium|voies urinaires", r"bladder|urothelial|urinary tract (?:cancer|carcinoma|neoplasm)"),
    _c("kidney", "rein|reins|renal|renale|renaux|kidney|kidneys|carcinome renal|renal cell", r"renal cell|kidney (?:cancer|neoplasm|tumou?r)|renal (?:cancer|carcinoma|neoplasm|tumou?r)|nephroblastoma|wilms"),
    _c("prostate", "prostate|prostatique|prostatic", r"prostat"),
    _c("colorectal", "colon|colorectal|colorectale|rectum|rectal|gros intestin|bowel cancer",
       r"colorectal|\bcolon\b|\brect(?:al|um)\b|bowel cancer"),
    _c("gastric", "estomac|gastrique|gastric|stomach", r"gastric|stomach|gastro ?(?:o)?esophageal junction"),
    _c("esophageal", "oesophage|oesophagien|oesophagienne|esophagus|oesophagus|esophageal|oesophageal", r"o?esophag"),
    _c("liver", "foie|hepatique|hepatocellulaire|hepatocarcinome|chc|liver|hepatocellular|hcc|hepatoblastome|hepatoblastoma",
       r"hepatocellular|\bliver (?:cancer|neoplasm|carcinoma|metasta)|\bhcc\b|hepatoblastoma"),
    _c("biliary", "voies biliaires|cholangiocarcinome|vesicule biliaire|biliary|bile duct|cholangiocarcinoma|gallbladder",
       r"biliary|bile duct|cholangiocarcinoma|gallbladder"),
    _c("digestive", "digestif|digestifs|digestive|gastro intestinal|gastrointestinal",
       r"gastro ?intestinal|digestive", includes="colorectal|gastric|esophageal|pancreas|liver|biliary"),
    _c("head_neck", "orl|tete et cou|gorge|larynx|pharynx|cavite buccale|vads|cavum|nasopharynx|oropharynx|cancer de la bouche|"
       "cancer de la langue|cancer de la levre|glandes salivaires|glande salivaire|fosses nasales|cavite nasale|sinus de la face|"
       "head and neck|throat|oral cavity|hnscc|mouth cancer|tongue cancer|nasopharyngeal|laryngeal|lip cancer|"
       "salivary gland|nasal cavity|paranasal sinus|sinonasal",
       r"head and neck|\bhnscc\b|laryn|pharyn|oral cavity|\btongue\b|tonsil|salivary|paranasal|sinonasal|nasal cavity"),
    _c("brain", "cerveau|cerebral|cerebrale|cerebrales|tumeur cerebrale|glioblastome|gliome|gliomes|astrocytome|"
       "medulloblastome|ependymome|systeme nerveux central|brain|glioma|glioblastoma|astrocytoma|medulloblastoma|ependymoma",
       r"brain (?:tumou?r|neoplasm|cancer|metasta)|glioma|glioblastoma|astrocytoma|medulloblastoma|ependymoma|"
       r"choroid plexus|pineoblastoma|craniopharyngioma|\bcns (?:tumou?r|neoplasm|metasta|lymphoma)|"
       r"central nervous system (?:tumou?r|neoplasm|metasta)|\bdipg\b"),
    _c("leukemia", "leucemie|leucemies|leukemia|leukaemia|lam|lal|llc|lmc|aml|cll|cml",
       r"leuka?emia|\bcll\b|\baml\b|\bcml\b"),
    _c("lymphoma", "lymphome|lymphomes|lymphoma|lymphomas|hodgkin|waldenstrom|mycosis fongoide|mycosis fungoides|sezary",
       r"lymphoma|hodgkin|waldenstrom|mycosis fungoides|sezary"),
    _c("myeloma", "myelome|myelomes|myeloma|myelomas|kahler|plasmocytome|plasmocytomes|plasmacytoma|plasmacytomas",
       r"myeloma|plasmacytoma"),
    _c("neuroblastoma", "neuroblastome|neuroblastomes|neuroblastoma", r"neuroblastoma"),
    _c("sarcoma", "sarcome|sarcomes|sarcoma|osteosarcome|rhabdomyosarcome|ewing|tumeur stromale gastro intestinale|"
       "gastrointestinal stromal tumor|gastrointestinal stromal tumour", r"sarcoma|\bewing|gastrointestinal stromal"),
    _c("retinoblastoma", "retinoblastome|retinoblastoma", r"retinoblastoma"),
    _c("thyroid", "thyroide|thyroidien|thyroidienne|thyroid", r"thyroid"),
    # Cancer types none of the bundled records may study: recognised all the same, so the
    # answer is "no trial for X in our list", never an unrelated list.
    _c("testicular", "testicule|testicules|testiculaire|testiculaires|seminome|seminomes|tumeur germinale|"
       "tumeurs germinales|testicle|testicles|testicular|seminoma|seminomas|germ cell tumor|germ cell tumour",
       r"testic|\btestis\b|seminoma|germ cell"),
    _c("mesothelioma", "mesotheliome|mesotheliomes|cancer de la plevre|mesothelioma|mesotheliomas|pleural cancer",
       r"mesothelioma"),
    _c("anal", "cancer de l anus|cancer anal|canal anal|anal cancer|anal canal|cancer of the anus",
       r"\banal (?:cancer|canal|carcinoma|neoplasm|squamous)|\banus\b"),
    _c("vulvar", "vulve|vulvaire|vagin|vaginal|vaginale|vulva|vulvar|vagina", r"vulva|vagina"),
    _c("penile", "penis|penien|penienne|penile", r"\bpenile|\bpenis\b"),
    _c("neuroendocrine", "neuroendocrine|neuroendocrines|neuro endocrine|tumeur carcinoide|carcinoid tumor|carcinoid tumour|"
       "neuroendocrine tumor|neuroendocrine tumour", r"neuroendocrine|carcinoid"),
    _c("thymic", "thymus|thymome|thymomes|thymique|thymoma|thymic", r"thymoma|thymic (?:carcinoma|cancer|tumou?r)"),
    _c("adrenal", "surrenale|surrenales|surrenalien|corticosurrenalome|pheochromocytome|adrenal|adrenocortical|"
       "pheochromocytoma", r"adrenal|adrenocortical|pheochromocytoma"),
    _c("bone", "cancer des os|cancer de l os|cancer osseux|tumeur osseuse|tumeurs osseuses|bone cancer|bone cancers|"
       "bone tumor|bone tumour|bone tumors|bone tumours", r"bone (?:cancer|tumou?r|neoplasm|sarcoma)|osteosarcoma|\bewing"),
    _c("small_intestine", "intestin grele|cancer de l intestin|small intestine|small bowel", r"small (?:intestin|bowel)|duoden"),
    _c("gynecologic", "gynecologique|gynecologiques|cancer gynecologique|gynecologic|gynaecological|gynecological",
       r"gyn(?:a)?ecolog", includes="cervical|uterine|ovarian|vulvar"),
    _c("blood_cancer", "cancer du sang|cancers du sang|hemopathie|hemopathies|hemopathie maligne|blood cancer|"
       "blood cancers|haematological cancer|hematologic cancer|hematological malignancy",
       r"hematolog(?:ic|ical) malignan|haematolog", includes="leukemia|lymphoma|myeloma"),
    _c("eye", "cancer de l oeil|cancers de l oeil|cancer oculaire|tumeur de l oeil|tumeurs de l oeil|eye cancer|"
       "eye cancers|ocular cancer|eye tumor|eye tumour",
       r"(?:uveal|ocular|choroidal|intraocular|eye|conjunctival) (?:melanoma|cancer|neoplasm|tumou?r)|retinoblastoma",
       includes="uveal_melanoma|retinoblastoma"),
    _c("myelodysplastic", "myelodysplasie|myelodysplasies|syndrome myelodysplasique|syndromes myelodysplasiques|"
       "myelodysplastic|myelodysplasia", r"myelodysplas"),
    _c("unknown_primary", "primitif inconnu|cancer de primitif inconnu|unknown primary|cancer of unknown primary",
       r"unknown primary"),
    _c("peritoneal", "peritoine|peritoneal|pseudomyxome|peritoneum|pseudomyxoma", r"periton|pseudomyxoma"),
    _c("solid_tumor", "tumeur solide|tumeurs solides|solid tumor|solid tumors|solid tumour|solid tumours",
       r"solid (?:tumou?r|neoplasm|malignan|cancer)"),
)

INTERVENTIONS: tuple[Concept, ...] = (
    _i("pembrolizumab", "pembrolizumab|keytruda|mk 3475|pembro", r"pembrolizumab|keytruda|mk ?3475", imm=True),
    _i("nivolumab", "nivolumab|opdivo|nivo", r"nivolumab|opdivo|bms ?936558", imm=True),
    _i("ipilimumab", "ipilimumab|yervoy", r"ipilimumab|yervoy", imm=True),
    _i("atezolizumab", "atezolizumab|tecentriq", r"atezolizumab|tecentriq", imm=True),
    _i("durvalumab", "durvalumab|imfinzi", r"durvalumab|imfinzi", imm=True),
    _i("avelumab", "avelumab|bavencio", r"avelumab|bavencio", imm=True),
    _i("cemiplimab", "cemiplimab|libtayo", r"cemiplimab|libtayo", imm=True),
    _i("dostarlimab", "dostarlimab|jemperli", r"dostarlimab|jemperli", imm=True),
    _i("tislelizumab", "tislelizumab|tevimbra", r"tislelizumab|tevimbra", imm=True),
    _i("pd1", "anti pd 1|anti pd1|antipd1|inhibiteur de pd 1|inhibiteurs de pd 1|pd 1|pd1", _PD1, imm=True),
    _i("pdl1", "anti pd l1|anti pdl1|pd l1|pdl1", _PDL1, imm=True),
    _i("ctla4", "anti ctla 4|anti ctla4|ctla 4|ctla4", _CTLA4, imm=True),
    _i("checkpoint",
       "inhibiteur de checkpoint|inhibiteurs de checkpoint|inhibiteur de point de controle|"
       "inhibiteurs de point de controle|inhibiteurs des points de controle|inhibiteur du point de controle|"
       "inhibiteurs du point de controle immunitaire|point de controle immunitaire|checkpoint inhibitor|"
       "checkpoint inhibitors|immune checkpoint|checkpoint",
       f"{_PD1}|{_PDL1}|{_CTLA4}|check ?point|relatlimab|\\blag ?3\\b", imm=True),
    _i("car_t", "car t|cart cell|cellules car t|lymphocytes car t|chimeric antigen receptor|car t cell|car t cells",
       r"\bcar ?t\b|chimeric antigen receptor|\bcar ?nk\b", imm=True),
    _i("tcr_t", "tcr t|tcr|lymphocytes tcr|t cell receptor|recepteur des cellules t|tcr engineered",
       r"\btcr\b|\bmtcr\b|t ?cell receptor", imm=True),
    _i("til", "til|tils|lymphocytes infiltrant la tumeur|tumor infiltrating lymphocytes",
       r"tumou?r infiltrating lymphocyte|\btils?\b|lifileucel", imm=True),
    _i("vaccine", "vaccin|vaccins|vaccine|vaccines|vaccination|vaccinotherapie", r"vaccin", imm=True, onco=True),
    _i("cytokine", "interleukine 2|interleukin 2|il 2|aldesleukine|aldesleukin|interferon",
       r"aldesleukin|interleukin ?2\b|\bil ?2\b|interferon", imm=True, onco=True),
    _i("anti_gd2", "anti gd2|dinutuximab|naxitamab|ch14 18", r"dinutuximab|naxitamab|\bch ?14 ?18\b|anti ?gd ?2\b", imm=True),
    _i("bispecific", "bispecifique|bispecifiques|bispecific|blinatumomab|teclistamab|tebentafusp",
       r"bispecific|blinatumomab|tebentafusp|teclistamab|glofitamab|epcoritamab|mosunetuzumab|talquetamab|tarlatamab",
       imm=True),
    _i("oncolytic", "virus oncolytique|virus oncolytiques|oncolytic virus|oncolytic|t vec|talimogene",
       r"oncolytic|talimogene", imm=True),
    _i("cell_therapy", "therapie cellulaire|cell therapy", r"", includes="car_t|tcr_t|til"),
    _i("chemotherapy", "chimiotherapie|chimio|chemotherapie|chemotherapy|chemo",
       r"chemotherap|cisplatin|carboplatin|oxaliplatin|paclitaxel|docetaxel|gemcitabine|pemetrexed|"
       r"cyclophosphamide|doxorubicin|etoposide|fluorouracil|folfox|folfiri|capecitabine|irinotecan|temozolomide|vincristine"),
    _i("radiotherapy", "radiotherapie|rayons|radiation|radiotherapy|irradiation|protontherapie|proton therapy|protontherapy",
       r"radiation|radiotherap|irradiation|\bproton|stereotactic|brachytherap"),
    _i("surgery", "chirurgie|chirurgical|surgery|resection", r"surgery|surgical|resection"),
)

CONCEPTS: dict[str, Concept] = {c.key: c for c in CONDITIONS + INTERVENTIONS}
_IMMUNO_WORD = re.compile(r"\bimmunotherap|\bimmuno ?oncolog")
_CANCER_WORD = re.compile(
    r"cancer|carcinom|neoplas|tumou?r|malignan|lymphoma|leuka?emia|sarcoma|melanoma|blastoma|myeloma|"
    r"metasta|oncolog|glioma|mesothelioma"
)


@cache
def _record_regex(key: str) -> re.Pattern[str] | None:
    patterns = CONCEPTS[key].record
    return any_of(patterns) if patterns else None


@lru_cache(maxsize=20000)
def concepts_in_record_text(folded: str, kind: str) -> frozenset[str]:
    """Concept keys of ``kind`` whose registry patterns occur in the folded text."""
    found = set()
    for concept in CONDITIONS if kind == "condition" else INTERVENTIONS:
        regex = _record_regex(concept.key)
        if regex is not None and regex.search(folded):
            found.add(concept.key)
    return frozenset(found)


def is_cancer_text(folded: str) -> bool:
    return bool(_CANCER_WORD.search(folded))


def mentions_immunotherapy(folded: str) -> bool:
    return bool(_IMMUNO_WORD.search(folded))


def expand(keys: set[str] | frozenset[str]) -> set[str]:
    """``keys`` plus the concepts they include ("digestive" -> colorectal, gastric, ...)."""
    out = set(keys)
    pending = list(keys)
    while pending:
        for child in CONCEPTS[pending.pop()].includes:
            if child not in out:
                out.add(child)
                pending.append(child)
    return out
