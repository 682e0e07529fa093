"""A small, valid FAQ in a temporary folder: what the FAQ tests break, one way at a time.

Three entries on clearly different subjects (cafeteria, parking, wifi) in two topic files,
with a comment that edits must keep, and a hand-written intent (greet) next to them, as in
the project (nlu_data/*.yml).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bot.faq.paths import FaqPaths

FUTURE = (dt.date.today() + dt.timedelta(days=200)).isoformat()

PRACTICAL = f"""\
# FAQ topic: practical questions. A comment that every edit must keep.
topic: practical
title: Practical / Pratique
entries:
  - id: cafeteria
    source:
      document: "Livret d'accueil de l'Institut Curie"
      date: "2026"
    review_by: {FUTURE}
    answer:
      fr: >-
        La cafétéria du hall est ouverte en semaine. Demandez les horaires à l'accueil.
      en: >-
        The cafeteria in the lobby is open on weekdays. Ask the reception desk for its hours.
    examples:
      fr:
        - la cafétéria est ouverte quand
        - horaires de la cafétéria
        - où manger un sandwich à l'hôpital
        - y a-t-il une cafétéria
        - on peut acheter à manger sur place ?
      en:
        - when is the cafeteria open
        - cafeteria opening hours
        - where can i eat a sandwich at the hospital
        - is there a cafeteria
        - can i buy food on site

  - id: parking
    source:
      document:
        fr: "Page « Venir à l'Institut Curie »"
        en: "Page \\"Getting to Institut Curie\\""
      date: "2025"
    review_by: {FUTURE}
    answer:
      fr: >-
        L'Institut Curie n'a pas de parking pour les patients. Venez plutôt en transports en commun.
      en: >-
        Institut Curie has no car park for patients. Please come by public transport.
    examples:
      fr:
        - où se garer
        - y a-t-il un parking pour les patients
        - je peux venir en voiture et me garer ?
        - stationnement près de l'institut
        - parking voiture
      en:
        - where can i park
        - is there a car park for patients
        - can i come by car and park
        - parking near the institute
        - car parking
"""

SERVICES = f"""\
topic: services
title: Services
entries:
  - id: wifi
    source:
      document: "Livret d'accueil de l'Institut Curie"
      date: "2026"
    review_by: {FUTURE}
    answer:
      fr: >-
        Un réseau wifi gratuit est proposé aux patients ; le code est affiché dans les chambres.
      en: >-
        Free wifi is offered to patients; the code is shown in the rooms.
    examples:
      fr:
        - y a-t-il le wifi
        - code wifi
        - internet gratuit pour les patients ?
        - comment me connecter au réseau sans fil
        - le wifi marche dans les chambres ?
      en:
        - is there wifi
        - wifi password
        - free internet for patients
        - how do i connect to the wireless network
        - does the wifi work in the rooms
"""

OTHER_INTENTS = """\
version: "3.1"
nlu:
  - intent: greet
    examples: |
      - bonjour
      - hello
      - [bonjour](language) madame
"""


def make_faq(root: Path) -> FaqPaths:
    """Writes the sample FAQ under ``root/faq`` (and a greet intent under ``root/nlu_data``)."""
    (root / "faq").mkdir(parents=True)
    (root / "faq" / "practical.yml").write_text(PRACTICAL, encoding="utf-8")
    (root / "faq" / "services.yml").write_text(SERVICES, encoding="utf-8")
    (root / "nlu_data").mkdir()
    (root / "nlu_data" / "conversation.yml").write_text(OTHER_INTENTS, encoding="utf-8")
    return FaqPaths(faq_dir=root / "faq", root=root, shown_dir="faq")


def change_entry(paths: FaqPaths, file: str, entry_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Rewrites one entry of ``file`` through ``change`` (a test may reformat the file)."""
    path = paths.faq_dir / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = next(e for e in data["entries"] if e["id"] == entry_id)
    change(entry)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def snapshot(paths: FaqPaths) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(paths.faq_dir.glob("*"))}
