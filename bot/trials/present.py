"""Trial answers in French and English. Pure functions: views in, text (and card payloads) out.

Rules every answer follows: registry text is quoted as the registry gives it (English; French
answers say so), fixed labels are translated, statuses carry their capture date ("status as
registered on ..."), contacts come only from the record, eligibility always ends with "only the
trial team decides", and no trial is ever called an Institut Curie trial.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.text import DEFAULT_LANGUAGE, LANGUAGES
from bot.trials.eligibility import split_criteria
from bot.trials.lexicon import CONCEPTS
from bot.trials.places import country_in_french
from bot.trials.query import TrialQuery
from bot.trials.text import shorten
from bot.trials.views import REGISTRY_URL, LocationGroup, SearchResult, TrialDetail, TrialSummary

LANGS = LANGUAGES
HOME_COUNTRY = "France"
REGISTRY_HOME = "https://clinicaltrials.gov"
MAX_CRITERIA = 6
MAX_CRITERION_LENGTH = 180


@dataclass(frozen=True)
class Rendered:
    """An answer: ``text`` is complete on its own (any channel). With a card payload, a channel
    that draws cards sends ``lead``, then the payload, then ``follow_up`` instead."""

    text: str
    payload: dict[str, Any] | None = None
    lead: str = ""
    follow_up: str = ""


def _lang(lang: str) -> str:
    return lang if lang in LANGS else DEFAULT_LANGUAGE  # the center's first language


def _t(lang: str, fr: str, en: str) -> str:
    return fr if _lang(lang) == "fr" else en


REGISTRY_NOTE = {"fr": "Les informations du registre sont en anglais.", "en": ""}

STATUS_LABELS = {
    "RECRUITING": ("Recrute", "Recruiting"),
    "NOT_YET_RECRUITING": ("Pas encore ouvert au recrutement", "Not yet recruiting"),
    "ENROLLING_BY_INVITATION": ("Inclusion sur invitation uniquement", "Enrolling by invitation only"),
    "ACTIVE_NOT_RECRUITING": ("En cours, ne recrute plus", "Active, not recruiting"),
    "SUSPENDED": ("Suspendu", "Suspended"),
    "TERMINATED": ("Arrêté avant son terme", "Terminated (stopped early)"),
    "COMPLETED": ("Terminé", "Completed"),
    "WITHDRAWN": ("Retiré (n'a pas commencé)", "Withdrawn (never started)"),
    "UNKNOWN": ("Statut inconnu", "Unknown status"),
    "AVAILABLE": ("Disponible (accès élargi)", "Available (expanded access)"),
    "NO_LONGER_AVAILABLE": ("Plus disponible", "No longer available"),
    "TEMPORARILY_NOT_AVAILABLE": ("Temporairement indisponible", "Temporarily not available"),
    "APPROVED_FOR_MARKETING": ("Autorisé sur le marché", "Approved for marketing"),
    "WITHHELD": ("Non communiqué", "Withheld"),
}
STUDY_TYPES = {
    "INTERVENTIONAL": ("Interventionnel (un traitement ou une prise en charge est testé)", "Interventional (a treatment or care is tested)"),
    "OBSERVATIONAL": ("Observationnel (pas de traitement imposé)", "Observational (no assigned treatment)"),
    "EXPANDED_ACCESS": ("Accès élargi", "Expanded access"),
}
SEX_LABELS = {"ALL": ("tous", "all"), "FEMALE": ("femmes uniquement", "women only"), "MALE": ("hommes uniquement", "men only")}
MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
    "en": "January February March April May June July August September October November December".split(),
}
# How the query's lexicon keys are named back to the patient.
CONCEPT_LABELS = {
    "melanoma": ("mélanome", "melanoma"), "uveal_melanoma": ("mélanome de l'œil", "eye (uveal) melanoma"),
    "skin": ("cancer de la peau", "skin cancer"), "lung": ("cancer du poumon", "lung cancer"),
    "nsclc": ("cancer du poumon non à petites cellules", "non-small cell lung cancer"),
    "breast": ("cancer du sein", "breast cancer"), "cervical": ("cancer du col de l'utérus", "cervical cancer"),
    "uterine": ("cancer de l'utérus", "uterine cancer"), "ovarian": ("cancer de l'ovaire", "ovarian cancer"),
    "pancreas": ("cancer du pancréas", "pancreatic cancer"), "bladder": ("cancer de la vessie", "bladder cancer"),
    "kidney": ("cancer du rein", "kidney cancer"), "prostate": ("cancer de la prostate", "prostate cancer"),
    "colorectal": ("cancer colorectal", "colorectal cancer"), "gastric": ("cancer de l'estomac", "stomach cancer"),
    "esophageal": ("cancer de l'œsophage", "oesophageal cancer"), "liver": ("cancer du foie", "liver cancer"),
    "biliary": ("cancer des voies biliaires", "biliary tract cancer"), "digestive": ("cancer digestif", "digestive cancer"),
    "head_neck": ("cancer ORL (tête et cou)", "head and neck cancer"), "brain": ("tumeur du cerveau", "brain tumour"),
    "leukemia": ("leucémie", "leukaemia"), "lymphoma": ("lymphome", "lymphoma"), "myeloma": ("myélome", "myeloma"),
    "neuroblastoma": ("neuroblastome", "neuroblastoma"), "sarcoma": ("sarcome", "sarcoma"),
    "retinoblastoma": ("rétinoblastome", "retinoblastoma"), "thyroid": ("cancer de la thyroïde", "thyroid cancer"),
    "testicular": ("cancer du testicule", "testicular cancer"), "mesothelioma": ("mésothéliome", "mesothelioma"),
    "anal": ("cancer de l'anus", "anal cancer"), "vulvar": ("cancer de la vulve ou du vagin", "vulvar or vaginal cancer"),
    "penile": ("cancer du pénis", "penile cancer"), "neuroendocrine": ("tumeur neuroendocrine", "neuroendocrine tumour"),
    "thymic": ("cancer du thymus", "thymic cancer"), "adrenal": ("cancer de la glande surrénale", "adrenal cancer"),
    "bone": ("cancer des os", "bone cancer"), "small_intestine": ("cancer de l'intestin grêle", "small bowel cancer"),
    "gynecologic": ("cancer gynécologique", "gynaecological cancer"), "blood_cancer": ("cancer du sang", "blood cancer"),
    "solid_tumor": ("tumeur solide", "solid tumour"),
    "eye": ("cancer de l'œil", "eye cancer"), "myelodysplastic": ("syndrome myélodysplasique", "myelodysplastic syndrome"),
    "unknown_primary": ("cancer de primitif inconnu", "cancer of unknown primary"),
    "peritoneal": ("cancer du péritoine", "peritoneal cancer"),
    "pd1": ("anti-PD-1", "anti-PD-1"), "pdl1": ("anti-PD-L1", "anti-PD-L1"), "ctla4": ("anti-CTLA-4", "anti-CTLA-4"),
    "checkpoint": ("inhibiteurs de points de contrôle immunitaire", "immune checkpoint inhibitors"),
    "car_t": ("cellules CAR-T", "CAR-T cells"), "tcr_t": ("cellules TCR-T", "TCR-T cells"),
    "til": ("lymphocytes infiltrant la tumeur (TIL)", "tumour-infiltrating lymphocytes (TIL)"),
    "vaccine": ("vaccin thérapeutique", "cancer vaccine"), "cytokine": ("cytokines (IL-2, interféron)", "cytokines (IL-2, interferon)"),
    "anti_gd2": ("anticorps anti-GD2", "anti-GD2 antibodies"), "bispecific": ("anticorps bispécifiques", "bispecific antibodies"),
    "oncolytic": ("virus oncolytiques", "oncolytic viruses"), "cell_therapy": ("thérapie cellulaire", "cell therapy"),
    "chemotherapy": ("chimiothérapie", "chemotherapy"), "radiotherapy": ("radiothérapie", "radiotherapy"),
    "surgery": ("chirurgie", "surgery"),
}


# ---------------------------------------------------------------- labels
def status_label(status: str, lang: str) -> str:
    fr, en = STATUS_LABELS.get(status, (status, status))
    return _t(lang, fr, en)


def phase_label(phases: tuple[str, ...] | list[str], lang: str) -> str:
    if not phases:
        return _t(lang, "Phase non précisée", "Phase not given")
    if list(phases) == ["NA"]:
        return _t(lang, "Sans phase (non applicable)", "No phase (not applicable)")
    numbers = [p.replace("PHASE", "") for p in phases if p.startswith("PHASE")]
    parts = []
    if "EARLY_PHASE1" in phases:
        parts.append(_t(lang, "Phase 1 précoce", "Early phase 1"))
    if numbers:
        parts.append("Phase " + "/".join(numbers))
    return ", ".join(parts)


def sex_label(sex: str | None, lang: str) -> str:
    if sex not in SEX_LABELS:
        return _t(lang, "non précisé", "not given")
    fr, en = SEX_LABELS[sex]
    return _t(lang, fr, en)


def age_label(years: float, lang: str) -> str:
    if years < 2 and round(years * 12) != 12 * round(years):  # under two: months read better
        months = round(years * 12)
        return _t(lang, f"{months} mois", f"{months} month{'s' if months != 1 else ''}")
    n = int(round(years))
    return _t(lang, f"{n} an{'s' if n > 1 else ''}", f"{n} year{'s' if n != 1 else ''}")


def age_range(min_years: float | None, max_years: float | None, lang: str) -> str:
    if min_years is None and max_years is None:
        return _t(lang, "pas de limite d'âge indiquée", "no age limit given")
    if max_years is None:
        return _t(lang, f"{age_label(min_years or 0, lang)} et plus", f"{age_label(min_years or 0, lang)} and over")
    if min_years is None:
        return _t(lang, f"jusqu'à {age_label(max_years, lang)}", f"up to {age_label(max_years, lang)}")
    return _t(lang, f"de {age_label(min_years, lang)} à {age_label(max_years, lang)}",
              f"{age_label(min_years, lang)} to {age_label(max_years, lang)}")


def format_date(value: str | None, lang: str) -> str | None:
    """ISO (possibly partial) registry date in words: "14 novembre 2025" / "14 November 2025"."""
    if not value:
        return None
    try:
        parts = [int(p) for p in value.split("-")]
        month_name = MONTHS[_lang(lang)][parts[1] - 1] if len(parts) > 1 else None
    except (ValueError, IndexError):
        return value
    if len(parts) == 3:
        day = "1er" if parts[2] == 1 and _lang(lang) == "fr" else str(parts[2])
        return f"{day} {month_name} {parts[0]}"
    if len(parts) == 2:
        return f"{month_name} {parts[0]}"
    return str(parts[0])


def status_with_date(trial: TrialSummary, lang: str) -> str:
    """The status with its snapshot caveat: registry copies are captures, not live data."""
    label = status_label(trial.status, lang)
    date = format_date(trial.snapshot_date, lang)
    if date:
        return _t(lang, f"{label} (statut tel qu'enregistré au registre le {date})",
                  f"{label} (status as registered on {date})")
    return _t(lang, f"{label} (statut tel qu'enregistré au registre ; date de relevé inconnue)",
              f"{label} (status as registered; capture date unknown)")


def country_name(name: str, lang: str) -> str:
    return country_in_french(name) if _lang(lang) == "fr" else name


def where_label(trial: TrialSummary, lang: str, country: str | None = None) -> str:
    """Where the trial runs, in one line. Shown first: ``country`` (the patient's filter), else
    France (the center's patients live there), else the registry's first country."""
    groups = list(trial.locations)
    if not groups:
        return _t(lang, "Lieux non indiqués dans la fiche du registre", "Locations not given in the registry record")
    wanted = (country or HOME_COUNTRY).lower()
    primary: LocationGroup = next((g for g in groups if g.country.lower() == wanted), groups[0])
    cities = ", ".join(primary.cities[:3]) + ("…" if len(primary.cities) > 3 else "")
    text = country_name(primary.country, lang)
    if cities:
        text += _t(lang, " : ", ": ") + cities
    other_sites = trial.site_count - primary.count
    other_countries = len(groups) - 1
    if other_countries:
        text += _t(
            lang,
            f" et {other_sites} site{'s' if other_sites > 1 else ''} dans {other_countries} autre{'s' if other_countries > 1 else ''} pays",
            f" and {other_sites} site{'s' if other_sites != 1 else ''} in {other_countries} other countr{'ies' if other_countries > 1 else 'y'}",
        )
    return text


def concept_label(value: str, lang: str) -> str:
    if value in CONCEPT_LABELS:
        fr, en = CONCEPT_LABELS[value]
        return _t(lang, fr, en)
    return f"« {value} »" if _lang(lang) == "fr" else f"“{value}”"


def _with_note(lines: list[str], lang: str) -> str:
    note = REGISTRY_NOTE[_lang(lang)]
    return "\n".join(lines + ([note] if note else []))


# ---------------------------------------------------------------- cards
def card(trial: TrialSummary, lang: str, country: str | None = None) -> dict[str, str]:
    return {
        "id": trial.nct_id,
        "title": trial.title,
        "phase": phase_label(trial.phases, lang),
        "status": status_with_date(trial, lang),
        "where": where_label(trial, lang, country),
        "url": trial.url,
    }


def cards(result: SearchResult, lang: str, query: TrialQuery | None = None) -> Rendered:
    """Short cards for one page of results: text for any channel, and a ``trial_cards`` payload."""
    if not result.items:
        return Rendered(no_match(query or TrialQuery(), lang))
    country = query.country if query else None
    payload = {"type": "trial_cards", "cards": [card(t, lang, country) for t in result.items]}
    first, last = result.first_position, result.first_position + len(result.items) - 1
    lead = _t(lang, f"Voici les essais {first} à {last} sur {result.total} :" if result.total > 1 else "Voici l'essai trouvé :",
              f"Here are trials {first} to {last} of {result.total}:" if result.total > 1 else "Here is the trial I found:")
    lines = []
    for position, c in enumerate(payload["cards"], start=first):
        lines.append(f"{position}. {c['id']} — {c['title']}")
        lines.append(f"   {c['phase']} · {c['status']} · {c['where']}")
    after = []
    if result.has_more:
        remaining = result.total - last
        after.append(_t(lang, f"{remaining} autre{'s' if remaining > 1 else ''} essai{'s' if remaining > 1 else ''} correspond{'ent' if remaining > 1 else ''} : demandez la suite pour les voir.",
                        f"{remaining} more trial{'s' if remaining > 1 else ''} match{'' if remaining > 1 else 'es'}: ask for more to see them."))
    after.append(_t(lang, "Pour en savoir plus sur un essai, donnez son numéro dans la liste ou son identifiant NCT.",
                    "For more about one trial, give its number in the list or its NCT id."))
    follow_up = _with_note(after, lang)
    return Rendered("\n".join([lead, *lines, follow_up]), payload, lead, follow_up)


def no_more(lang: str) -> str:
    """Asked for more results when every match was already shown."""
    return _t(lang, "Il n'y a pas d'autre essai pour cette recherche. Vous pouvez élargir la recherche "
                    "(sans phase, sans lieu ou sans filtre de recrutement) ou en parler à votre oncologue.",
              "There are no more trials for this search. You can widen it (no phase, no place, or not only "
              "recruiting trials) or talk to your oncologist.")


def which_trial(nct_id: str | None, lang: str) -> str:
    """The message names no trial we can show: ask which one, or say this one is not in our list."""
    if not nct_id:
        return _t(lang, "De quel essai parlez-vous ? Donnez son numéro dans la dernière liste (par exemple « le 2 ») "
                        "ou son identifiant NCT.",
                  "Which trial do you mean? Give its number in the last list (for example “the 2nd”) or its NCT id.")
    url = REGISTRY_URL.format(nct_id=nct_id)
    return _t(lang, f"Je n'ai pas l'essai {nct_id} dans la liste des essais que je peux présenter. "
                    f"Sa fiche publique, si elle existe, est sur ClinicalTrials.gov : {url}",
              f"Trial {nct_id} is not among the trials I can present. Its public record, if it exists, "
              f"is on ClinicalTrials.gov: {url}")


def how_to_take_part_in_general(nct_id: str | None, lang: str) -> str:
    """How taking part works, when no stored trial can be named (never a contact we do not have)."""
    lines = [which_trial(nct_id, lang)] if nct_id else []
    lines.append(_t(lang, "Pour participer à un essai clinique, parlez-en d'abord à votre oncologue : il connaît votre "
                          "dossier, sait quels essais pourraient vous convenir et peut contacter leurs équipes.",
                    "To take part in a clinical trial, first talk to your oncologist: they know your medical file, "
                    "which trials might suit you, and can contact the trial teams."))
    lines.append(disclaimer(lang))
    return "\n".join(lines)


# ---------------------------------------------------------------- one trial
def trial_details(trial: TrialDetail, lang: str) -> str:
    title = trial.title + (f" ({trial.acronym})" if trial.acronym and trial.acronym not in trial.title else "")
    lines = [f"{trial.nct_id} — {title}"]
    if trial.official_title and trial.official_title != trial.title:
        lines.append(_t(lang, "Titre officiel : ", "Official title: ") + trial.official_title)
    lines.append(_t(lang, "Statut : ", "Status: ") + status_with_date(trial, lang))
    if trial.why_stopped and trial.status in ("TERMINATED", "WITHDRAWN", "SUSPENDED"):
        lines.append(_t(lang, "Raison de l'arrêt indiquée au registre : ", "Reason for stopping given in the registry: ") + trial.why_stopped)
    kind = STUDY_TYPES.get(trial.study_type or "")
    lines.append(_t(lang, "Phase : ", "Phase: ") + phase_label(trial.phases, lang)
                 + (" · " + _t(lang, "Type d'étude : ", "Study type: ") + _t(lang, *kind) if kind else ""))
    if trial.conditions:
        lines.append(_t(lang, "Maladies étudiées : ", "Conditions studied: ") + shorten(", ".join(trial.conditions), 300))
    if trial.interventions:
        names = [i.name + (f" ({', '.join(i.other_names[:2])})" if i.other_names else "") for i in trial.interventions[:8]]
        lines.append(_t(lang, "Traitements étudiés : ", "Treatments studied: ") + shorten(", ".join(names), 400))
    if trial.sponsor:
        lines.append(_t(lang, "Promoteur : ", "Sponsor: ") + trial.sponsor)
    lines.append(_t(lang, "Âge : ", "Age: ") + age_range(trial.min_age_years, trial.max_age_years, lang)
                 + " · " + _t(lang, "Sexe : ", "Sex: ") + sex_label(trial.sex, lang))
    lines.append(_t(lang, "Lieux : ", "Where: ") + where_label(trial, lang))
    if trial.start_date:
        lines.append(_t(lang, "Début : ", "Start: ") + (format_date(trial.start_date, lang) or ""))
    others = [f"{label} {value}" for kind_, label in (("EUDRACT", "EudraCT"), ("CTIS", "CTIS"), ("IDRCB", "ID-RCB"))
              for value in trial.identifiers_of(kind_)]
    if others:
        lines.append(_t(lang, "Autres numéros d'enregistrement : ", "Other registry numbers: ") + ", ".join(others))
    if trial.brief_summary:
        lines.append(_t(lang, "Résumé (registre) : ", "Summary (registry): ") + shorten(trial.brief_summary, 500))
    lines.append(_t(lang, "Fiche complète sur ClinicalTrials.gov : ", "Full record on ClinicalTrials.gov: ") + trial.url)
    return _with_note(lines, lang)


def trial_aspect(trial: TrialDetail, aspect: str, lang: str) -> str:
    """A short answer to one question about one trial: its status, phase or places."""
    if aspect == "status":
        line = _t(lang, f"Statut de l'essai {trial.nct_id} : ", f"Status of trial {trial.nct_id}: ") + status_with_date(trial, lang)
        if trial.status not in ("RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION"):
            line += _t(lang, ". Il ne recrute pas de participants.", ". It is not recruiting participants.")
    elif aspect == "phase":
        line = _t(lang, f"Phase de l'essai {trial.nct_id} : ", f"Phase of trial {trial.nct_id}: ") + phase_label(trial.phases, lang)
    else:
        line = _t(lang, f"Lieux de l'essai {trial.nct_id} : ", f"Where trial {trial.nct_id} runs: ") + where_label(trial, lang)
    more = _t(lang, "Fiche complète sur ClinicalTrials.gov : ", "Full record on ClinicalTrials.gov: ") + trial.url
    return _with_note([line, more], lang)


def eligibility(trial: TrialDetail, lang: str) -> str:
    """Who can take part, in plain words, always ending with "only the trial team decides"."""
    lines = [_t(lang, f"Qui peut participer à l'essai {trial.nct_id} (selon le registre) :",
                f"Who can take part in trial {trial.nct_id} (according to the registry):")]
    lines.append("- " + _t(lang, "Âge : ", "Age: ") + age_range(trial.min_age_years, trial.max_age_years, lang))
    lines.append("- " + _t(lang, "Sexe : ", "Sex: ") + sex_label(trial.sex, lang))
    if trial.healthy_volunteers is not None:
        lines.append("- " + _t(lang, "Volontaires sains : ", "Healthy volunteers: ")
                     + (_t(lang, "acceptés", "accepted") if trial.healthy_volunteers else _t(lang, "non", "no")))
    criteria = split_criteria(trial.eligibility_criteria)
    hidden = 0
    for items, fr, en in (
        (criteria.inclusion, "Principaux critères pour participer :", "Main criteria to take part:"),
        (criteria.exclusion, "Principaux critères qui empêchent de participer :", "Main criteria that rule participation out:"),
        (criteria.other, "Critères indiqués :", "Criteria given:"),
    ):
        if items:
            lines.append(_t(lang, fr, en))
            lines += [f"• {shorten(item, MAX_CRITERION_LENGTH)}" for item in items[:MAX_CRITERIA]]
            hidden += max(0, len(items) - MAX_CRITERIA)
    if criteria.empty:
        lines.append(_t(lang, "La fiche du registre ne donne pas le détail des critères.",
                        "The registry record does not give the detailed criteria."))
    if hidden:
        lines.append(_t(lang, f"… et {hidden} autre{'s' if hidden > 1 else ''} critère{'s' if hidden > 1 else ''} dans la fiche complète : {trial.url}",
                        f"… and {hidden} more criteria in the full record: {trial.url}"))
    lines.append(disclaimer(lang))
    return _with_note(lines, lang)


def disclaimer(lang: str) -> str:
    return _t(
        lang,
        "Seule l'équipe de l'essai peut décider si vous pouvez y participer, après examen de votre dossier avec votre oncologue.",
        "Only the trial team can decide whether you can take part, after reviewing your medical file with your oncologist.",
    )


def _contact_line(name: str | None, phone: str | None, ext: str | None, email: str | None, lang: str) -> str:
    parts = [name or _t(lang, "(nom non indiqué)", "(no name given)")]
    if phone:
        parts.append(_t(lang, "tél. ", "phone ") + phone + (_t(lang, f" (poste {ext})", f" (ext. {ext})") if ext else ""))
    if email:
        parts.append(email)
    return "• " + " — ".join(parts)


def how_to_take_part(trial: TrialDetail, lang: str) -> str:
    lines = [_t(lang, f"Pour participer à l'essai {trial.nct_id} :", f"To take part in trial {trial.nct_id}:")]
    if trial.status not in ("RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION"):
        lines.append(_t(lang, f"Attention : d'après le registre, cet essai ne recrute pas ({status_with_date(trial, lang)}). Votre oncologue peut vous indiquer d'autres essais ouverts.",
                        f"Note: according to the registry this trial is not recruiting ({status_with_date(trial, lang)}). Your oncologist can point you to open trials."))
    lines.append(_t(lang, "1. Parlez-en à votre oncologue : il connaît votre dossier et peut contacter l'équipe de l'essai.",
                    "1. Talk to your oncologist: they know your medical history and can contact the trial team."))
    contacts = [c for c in trial.central_contacts if c.name or c.phone or c.email]
    if contacts:
        lines.append(_t(lang, "2. Contacts indiqués dans le registre pour cet essai :", "2. Contacts given in the registry for this trial:"))
        lines += [_contact_line(c.name, c.phone, c.phone_ext, c.email, lang) for c in contacts]
    else:
        lines.append(_t(lang, f"2. La fiche du registre n'indique pas de contact central ; la fiche complète peut lister des contacts par site : {trial.url}",
                        f"2. The registry record gives no central contact; the full record may list contacts per site: {trial.url}"))
    lines.append(disclaimer(lang))
    return _with_note(lines, lang)


# ---------------------------------------------------------------- nothing found / store down
def describe_query(query: TrialQuery, lang: str) -> str:
    parts = [concept_label(v, lang) for v in query.conditions + query.interventions]
    if query.immunotherapy:
        parts.append(_t(lang, "immunothérapie", "immunotherapy"))
    if query.phases:
        parts.append(phase_label(tuple(query.phases), lang))
    if "RECRUITING" in query.statuses:
        parts.append(_t(lang, "qui recrutent", "recruiting"))
    place = query.facility or query.city or (country_name(query.country, lang) if query.country else None)
    if place:
        parts.append(_t(lang, f"lieu : {place}", f"in {place}"))
    if query.age is not None:
        parts.append(_t(lang, f"pour {age_label(query.age, lang)}", f"for age {age_label(query.age, lang)}"))
    return ", ".join(parts)


def _only_known_conditions(query: TrialQuery) -> bool:
    """The search named cancer types we recognise and nothing narrower (no phase, place...)."""
    rest = TrialQuery(conditions=query.conditions, immunotherapy=query.immunotherapy, include_hidden=query.include_hidden)
    return bool(query.conditions) and query == rest and all(c in CONCEPTS for c in query.conditions)


def no_trial_for(query: TrialQuery, lang: str) -> str:
    """No stored trial studies the cancer type asked for: say so, and what to do next."""
    what = describe_query(query, lang)
    return "\n".join([
        _t(lang, f"Il n'y a pas d'essai pour ce cancer ({what}) dans notre liste d'essais.",
           f"There is no trial for {what} in our list of trials."),
        _t(lang, "Votre oncologue ou votre équipe soignante peut rechercher avec vous les essais ouverts ailleurs "
                 "qui pourraient convenir à votre situation.",
           "Your oncologist or care team can look with you for open trials elsewhere that might suit your situation."),
        _t(lang, f"Le registre public ClinicalTrials.gov recense les essais du monde entier : {REGISTRY_HOME}",
           f"The public registry ClinicalTrials.gov lists trials worldwide: {REGISTRY_HOME}"),
    ])


def no_trial_for_some(conditions: list[str], lang: str) -> str:
    """Several cancer types asked for, some of which no stored trial studies: say so before the
    trials of the others ("myeloma or lymphoma?" is not answered by lymphoma trials alone)."""
    what = describe_query(TrialQuery(conditions=conditions), lang)
    return _t(lang, f"Il n'y a pas d'essai pour ce cancer ({what}) dans notre liste d'essais ; voici ceux pour le reste de votre demande.",
              f"There is no trial for {what} in our list of trials; here are those for the rest of your request.")


def no_match(query: TrialQuery, lang: str) -> str:
    if _only_known_conditions(query):
        return no_trial_for(query, lang)
    what = describe_query(query, lang)
    lines = [_t(lang, f"Je n'ai trouvé aucun essai correspondant ({what})." if what else "Je n'ai trouvé aucun essai correspondant.",
                f"I found no trial matching ({what})." if what else "I found no matching trial.")]
    tips: list[str] = []
    if query.statuses:
        tips.append(_t(lang, "inclure aussi les essais qui ne recrutent pas en ce moment", "include trials that are not recruiting right now"))
    if query.phases:
        tips.append(_t(lang, "ne pas préciser de phase", "leave the phase out"))
    if query.facility or query.city:
        tips.append(_t(lang, "chercher dans toute la France plutôt que dans une ville ou un hôpital", "search all of France rather than one city or hospital"))
    elif query.country:
        tips.append(_t(lang, "chercher sans préciser de pays", "search without a country"))
    if query.interventions:
        tips.append(_t(lang, "chercher seulement par maladie, sans nom de traitement", "search by disease only, without a treatment name"))
    if any(c not in CONCEPTS for c in query.conditions):
        tips.append(_t(lang, "décrire la maladie autrement (par exemple « cancer du poumon », « mélanome »)", "describe the disease differently (e.g. “lung cancer”, “melanoma”)"))
    if query.age is not None:
        tips.append(_t(lang, "chercher sans indiquer votre âge", "search without your age"))
    if tips:
        lines.append(_t(lang, "Vous pouvez essayer de :", "You could try to:"))
        lines += [f"- {tip}" for tip in tips]
    lines.append(_t(lang, "Votre oncologue peut aussi rechercher avec vous les essais adaptés à votre situation.",
                    "Your oncologist can also look for suitable trials with you."))
    return "\n".join(lines)


def unavailable(lang: str) -> str:
    return _t(
        lang,
        "La recherche d'essais cliniques est indisponible pour le moment. Réessayez dans quelques minutes ; "
        "votre oncologue ou l'équipe du centre peut aussi vous renseigner.",
        "Clinical trial search is unavailable right now. Please try again in a few minutes; "
        "your oncologist or the center's team can also help.",
    )

