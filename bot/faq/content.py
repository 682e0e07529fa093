"""What an FAQ answer must never contain: dosages, advice to change a treatment, phone numbers.

The assistant gives general information only. A dose or an instruction to stop a treatment
is individual medical advice, and a phone number that is not the emergency numbers (15, 112)
risks sending patients to a wrong or invented line. These rules run on every answer at
validation; each finding says what matched and what to do instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.safety import fold

ALLOWED_PHONE_NUMBERS = frozenset({"15", "112"})


@dataclass(frozen=True)
class Finding:
    matched: str
    message: str
    fix: str


_NUMBER = r"\d+(?:[.,]\d+)?"
_DOSE_UNIT = (
    r"(?:mg|milligrammes?|milligrams?|µg|ug|mcg|microgrammes?|micrograms?|g|grammes?|grams?|"
    r"ml|millilitres?|milliliters?|ui|iu)"
)
_DOSAGE = re.compile(
    "|".join(
        [
            rf"\b{_NUMBER}\s*{_DOSE_UNIT}(?:\s*/\s*(?:kg|m2|m²|jour|j|day|d|semaine|week|h))?(?![\w/])",
            r"\b(?:mg|µg|ug|mcg|g|ml)\s*/\s*(?:kg|m2|m²)\b",
            rf"\b{_NUMBER}\s*(?:comprimes?|gelules?|gouttes|tablets?|pills?|capsules?|drops)\b",
            rf"\b{_NUMBER}\s*(?:fois par (?:jour|semaine)|times (?:a|per) (?:day|week))\b",
        ]
    )
)
_TREATMENT = (
    r"(?:traitements?|medicaments?|immunotherapies?|chimio\w*|perfusions?|doses?|cures?|prises?|"
    r"treatments?|medications?|medicines?|drugs?|immunotherap\w*|chemo\w*|infusions?|therap(?:y|ies)|"
    r"pills?|tablets?)"
)
_CHANGE_TREATMENT = re.compile(
    "|".join(
        [
            # French imperative or "vous devez / il faut" + verb, then a treatment word
            rf"\b(?:arretez|stoppez|interrompez|cessez|suspendez|diminuez|augmentez|doublez|"
            rf"sautez|espacez|ne prenez plus)\b[^.;:!?]{{0,40}}?\b{_TREATMENT}\b",
            rf"\b(?:vous devez|vous devriez|il faut|il faudrait|vous pouvez)\s+(?:l'|les |le |la )?"
            rf"(?:arreter|stopper|interrompre|cesser|suspendre|diminuer|augmenter|sauter)\b"
            rf"[^.;:!?]{{0,40}}?\b{_TREATMENT}\b",
            # English: "stop your treatment", "you should stop taking ..."
            rf"\b(?:stop|discontinue|quit|skip|pause|halt|reduce|increase|double|lower)\s+"
            rf"(?:taking\s+|using\s+)?(?:your|the|this|their|his|her|any)\s+(?:\w+\s+)?{_TREATMENT}\b",
            rf"\byou\s+(?:should|must|need to|have to|can|may|could)\s+(?:stop|discontinue|quit|skip|"
            rf"pause|reduce|increase)\b[^.;:!?]{{0,40}}?\b{_TREATMENT}\b",
        ]
    )
)
# "never stop", "do not stop", "n'arrêtez pas", "sans l'avis": warnings, which are fine.
_NEGATION_BEFORE = re.compile(
    r"(?:\bnever|\bnot|\bdon't|\bdo not|\bne|\bn'|\bjamais|\bwithout|\bsans)\W*(?:\w+\W+){0,2}$"
)

_PHONE_FORMATTED = re.compile(
    r"(?:\+|\b00)\d{2,3}[\s.\-]?\(?\d\)?(?:[\s.\-]?\d{1,4}){3,5}\b"  # +33 1 44 32 40 00
    r"|\b0[1-9](?:[\s.\-]?\d{2}){4}\b"  # 01 44 32 40 00
    r"|\b\d{2}(?:[\s.\-]\d{2}){3,4}\b"  # 44 32 40 00
)
_PHONE_CUE = re.compile(
    r"\b(?:appel\w*|composez|composer|joindre|joignable|numero|telephone\w*|tel|tél|standard|"
    r"hotline|ligne|call\w*|dial\w*|phone\w*|ring|number|helpline)\b"
)
# After a cue: "le 15", "the 3114", "15 ou le 112", "15 (SAMU) or 112"...
_CUED_NUMBER = re.compile(
    r"^(?:\W*(?:le|la|au|aux|un|une|the|on|a|an|de|du|number|numero|n°|no\.?|ou|or|et|and|"
    r"vert|gratuit|free|samu|\(samu\)|\(|\))\b)*\W*(\d[\d\s.\-]*\d|\d)"
)


def _negated(folded: str, start: int, end: int) -> bool:
    """"Never stop your treatment", "n'arrêtez pas / jamais": a warning, which is fine."""
    if _NEGATION_BEFORE.search(folded[max(0, start - 30) : start]):
        return True
    words = folded[start:end].split()
    return len(words) > 1 and words[1] in ("pas", "jamais")


def _phone_numbers(folded: str) -> list[str]:
    found = [m.group(0) for m in _PHONE_FORMATTED.finditer(folded)]
    for cue in _PHONE_CUE.finditer(folded):
        rest = folded[cue.end() : cue.end() + 60]
        while True:
            match = _CUED_NUMBER.match(rest)
            if not match:
                break
            found.append(match.group(1).strip())
            rest = rest[match.end() :]
    unique: dict[str, str] = {}  # digits -> as written
    for number in found:
        digits = re.sub(r"\D", "", number)
        if digits in ALLOWED_PHONE_NUMBERS or any(digits in seen for seen in unique):
            continue  # "+33 1 44..." also matches as "33 1 44...": report it once
        unique[digits] = number
    return list(unique.values())


def unsafe_content(text: str) -> list[Finding]:
    """Everything in an answer that must not be there (empty when the answer is safe)."""
    folded = fold(text)
    findings: list[Finding] = []
    for match in _DOSAGE.finditer(folded):
        findings.append(
            Finding(
                match.group(0),
                f"the answer gives a dose or quantity ('{match.group(0)}'): that is individual "
                "medical advice",
                "remove the dose; say instead that the care team decides the dose of each patient.",
            )
        )
    for match in _CHANGE_TREATMENT.finditer(folded):
        if _negated(folded, match.start(), match.end()):
            continue
        findings.append(
            Finding(
                match.group(0),
                f"the answer tells the reader to change a treatment ('{match.group(0)}')",
                "never advise stopping or changing a treatment; say instead to talk about it with "
                "the care team (\"ne modifiez jamais votre traitement sans l'avis de votre équipe "
                "soignante\").",
            )
        )
    for number in _phone_numbers(folded):
        findings.append(
            Finding(
                number,
                f"the answer contains a phone number ('{number}'); the only numbers the "
                "assistant may give are 15 and 112 (emergencies)",
                "remove the number; point to the care team or the appointment letter instead.",
            )
        )
    return findings
