"""Urgency and advice detection: the rules, the learned detector, and both, measured.

    python -m bench.safety_eval                       # the held-out sets (tests/nlu)
    python -m bench.safety_eval eval/real_questions/dev.yml   # a corpus part (items + expect)
    python -m bench.safety_eval --massive             # false alarms on MASSIVE's test utterances

For each language: precision and recall of urgency by the rules alone (bot.safety.is_urgent),
by the learned detector alone (bot/nlu/urgency.py, at its configured threshold), by both,
and as the whole pipeline decides (RuleOverrides: both, with a surer detector needed where the
advice rules see a milder symptom), and advice refusals the same way: the rules alone
(bot.safety.asks_medical_advice), the learned detector alone (bot/nlu/advice.py, at its
threshold), both (the detector counted on a question about one's own health, as RuleOverrides does) and
the whole NLU pipeline (urgent messages left out of the advice figures: urgency comes first).
A message is urgent when its held-out intent is urgent_symptoms, or when its
corpus item expects "emergency"; an advice request when the intent is medical_advice, or
the corpus item's category is "advice". ``--massive`` counts the false alarms on MASSIVE 1.1's
fr-FR / en-US test utterances (requests to a voice assistant, none urgent nor a request for
medical advice): emergency lines and refusals of the whole pipeline, and of the rules alone.
Uses the current trained model.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from bot.language import detect  # noqa: E402
from bot.nlu.advice import ADVICE_KEY  # noqa: E402
from bot.nlu.overrides import ADVICE_INTENT, ADVICE_WITH_INFO_INTENT, URGENT_INTENT  # noqa: E402
from bot.nlu.urgency import URGENCY_KEY  # noqa: E402
from bot.safety import asks_medical_advice, is_personal_health_question, is_urgent  # noqa: E402
from bot.settings import PROJECT_ROOT  # noqa: E402
from bot.text import LANGUAGES  # noqa: E402


@dataclass(frozen=True)
class Case:
    text: str
    lang: str
    urgent: bool
    advice: bool


def heldout_cases() -> list[Case]:
    from rasa.shared.nlu.training_data.loading import load_data

    cases = []
    for path in sorted((PROJECT_ROOT / "tests" / "nlu").glob("heldout_*.yml")):
        lang = path.stem.split("_")[-1]
        for message in load_data(str(path)).training_examples:
            intent = message.get("intent")
            cases.append(Case(message.get("text"), lang, intent == URGENT_INTENT, intent == ADVICE_INTENT))
    return cases


def corpus_cases(path: Path) -> list[Case]:
    import yaml

    items = yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    return [Case(i["text"], i.get("lang") or detect(i["text"]), "emergency" in i["expect"],
                 i.get("category") == "advice") for i in items if i.get("lang") in LANGUAGES]


def massive_cases() -> list[Case]:
    from bench.matching import massive_items

    return [Case(i.text, i.lang, False, False) for i in massive_items()]


def _scores(flags: list[tuple[bool, bool]]) -> str:
    tp = sum(p and t for p, t in flags)
    fp = sum(p and not t for p, t in flags)
    positives = sum(t for _, t in flags)
    recall = f"{tp}/{positives}" if positives else "-"
    precision = f"{tp / (tp + fp):.0%}" if tp + fp else "-"
    return f"recall {recall:>7}  precision {precision:>5}  false alarms {fp}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, help="a corpus part (YAML with items)")
    parser.add_argument("--massive", action="store_true", help="false alarms on MASSIVE's test utterances")
    args = parser.parse_args(argv)
    from rasa.core.agent import Agent

    from bot.faq.service import train as ensure_model  # the FAQ files built, then trained if needed

    cases = massive_cases() if args.massive else corpus_cases(args.corpus) if args.corpus else heldout_cases()
    agent = Agent.load(str(ensure_model()))
    loop = asyncio.new_event_loop()
    parsed = [loop.run_until_complete(agent.parse_message(c.text)) for c in cases]
    origin = "MASSIVE fr-FR/en-US test" if args.massive else args.corpus or "tests/nlu/heldout_*.yml"
    print(f"{len(cases)} messages from {origin}\n")
    for lang in LANGUAGES:
        rows = [(c, p) for c, p in zip(cases, parsed, strict=True) if c.lang == lang]
        rules = [is_urgent(c.text) for c, _ in rows]
        detector = [bool((p.get(URGENCY_KEY) or {}).get("urgent")) for _, p in rows]
        truth = [c.urgent for c, _ in rows]
        print(f"[{lang}] urgency, rules alone    {_scores(list(zip(rules, truth, strict=True)))}")
        print(f"[{lang}] urgency, detector alone {_scores(list(zip(detector, truth, strict=True)))}")
        both = [r or d for r, d in zip(rules, detector, strict=True)]
        print(f"[{lang}] urgency, both           {_scores(list(zip(both, truth, strict=True)))}")
        # What RuleOverrides decides: both, except that the advice rules need a surer detector.
        decided = [p["intent"]["name"] == URGENT_INTENT for _, p in rows]
        print(f"[{lang}] urgency, whole pipeline {_scores(list(zip(decided, truth, strict=True)))}")
        # Urgency is decided first: an urgent message taken for advice is no false alarm.
        rows = [(c, p) for c, p in rows if not c.urgent]
        advice = [c.advice for c, _ in rows]
        rule_advice = [asks_medical_advice(c.text) for c, _ in rows]
        learned = [bool((p.get(ADVICE_KEY) or {}).get("advice")) for _, p in rows]
        both_advice = [r or (d and is_personal_health_question(c.text))
                       for r, d, (c, _) in zip(rule_advice, learned, rows, strict=True)]
        refused = [p["intent"]["name"] in (ADVICE_INTENT, ADVICE_WITH_INFO_INTENT) for _, p in rows]
        print(f"[{lang}] advice, rules alone     {_scores(list(zip(rule_advice, advice, strict=True)))}")
        print(f"[{lang}] advice, detector alone  {_scores(list(zip(learned, advice, strict=True)))}")
        print(f"[{lang}] advice, both            {_scores(list(zip(both_advice, advice, strict=True)))}")
        print(f"[{lang}] advice, whole pipeline  {_scores(list(zip(refused, advice, strict=True)))}\n")
    missed = [c.text for c, p in zip(cases, parsed, strict=True)
              if c.urgent and p["intent"]["name"] != URGENT_INTENT]
    if missed:
        print("urgent messages missed:", *missed, sep="\n  ")
    alarmed = [c.text for c, p in zip(cases, parsed, strict=True) if not c.urgent and p["intent"]["name"] == URGENT_INTENT]
    if alarmed:
        print("emergency line, not urgent:", *alarmed, sep="\n  ")
    refused_wrongly = [c.text for c, p in zip(cases, parsed, strict=True) if not c.advice and not c.urgent
                       and p["intent"]["name"] in (ADVICE_INTENT, ADVICE_WITH_INFO_INTENT)]
    if refused_wrongly:
        print("refused, not advice requests:", *refused_wrongly, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
