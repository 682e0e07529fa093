"""Several questions in one message: each gets its own answer, the urgent ones first.

"Qui dirige le centre ? et quels sont les effets secondaires ?" is two questions; the NLU
model answers one intent per message, so the REST channel (bot/channels.py) sends each part
to Rasa in turn, in the same conversation. Splitting is deliberately conservative: a part
must be a full question on its own (an interrogative start or a question mark, and at least
three words) that does not point back at the part before it ("how does *it* work?").
Statements go with the question they introduce ("J'ai un mélanome. Y a-t-il des essais ?").
When in doubt the message stays whole, exactly as written.
"""
from __future__ import annotations

import re

from bot.faq.text import normalize
from bot.safety import MAX_MESSAGE_CHARS, fold, is_urgent

# One message costs at most this many parses; further questions ride along in the last part.
MAX_PARTS = 3
MIN_WORDS = 3

# Sentence ends: ? and ! (however many), a line break, or a full stop followed by a space.
_END = re.compile(r"[?!]+|\n+|\.(?=\s)")
# A full stop after these is an abbreviation ("M. Dupont", "Dr. House"), not a sentence end.
_ABBREVIATIONS = frozenset("m mme mlle mr mrs ms dr pr st ste etc cf ex vs no nº n°".split())
# "... le centre et quels sont ..." / "... the center, and how ..." inside one sentence.
_AND = re.compile(r"(,?\s+(?:et|and)\s+)", re.IGNORECASE)
_LEADING_LINK = re.compile(
    r"^(?:(?:et|and|puis|ensuite|then|also|aussi)\b[\s,]*)+", re.IGNORECASE
)
_WORDS = re.compile(r"\w+", re.UNICODE)

# First words (folded) that make a sentence a question even without a question mark.
_INTERROGATIVE = frozenset(
    """qui que qu quoi quel quelle quels quelles quand ou comment combien pourquoi est
    existe peut peuvent puis pouvez peux dois doit faut avez ai suis sommes sont
    who whom whose what when where which why how is are am was were do does did can could
    will would should shall may might must have has""".split()
)
# Question words proper: "... centre et quels sont ..." is split only between two of these
# ("can I and should I", "can I leave, and what would happen" are one question).
_WH = frozenset(
    """qui que qu quoi quel quelle quels quelles quand ou comment combien pourquoi
    who whom whose what when where which why how""".split()
)
# "À quelle fréquence ?", "For how long?": a follow-up that leans on the question before it.
_ELLIPTICAL = re.compile(
    r"^(?:a|au|aux|pour|de|du|des|depuis|pendant|avec|en|dans|par|sur|jusqu'a|"
    r"for|with|at|in|from|since|during|by|on|to|until)\s+(?:\w+\s+)?"
    r"(?:quel|quelle|quels|quelles|qui|quoi|quand|combien|which|what|whom|how|when|where)\b"
)
# Words that point back at an earlier part ("it", "ça"): such a part is not a question of
# its own ("if not, why not?" too). Impersonal "il" (y a-t-il, faut-il, s'il vous plaît) and
# "is there" are removed before looking.
_BACK_REFERENCE = re.compile(
    r"\b(?:it|its|they|them|their|this|that|these|those|there|he|she|him|his|her|hers|"
    r"ca|cela|ceci|celui|celle|ceux|celles|cet|cette|ces|il|elle|ils|elles|lui|y|"
    r"if (?:not|so|yes|no)|why not|otherwise|else|si (?:oui|non|c'est le cas)|sinon|pourquoi pas|"
    r"(?:pourquoi|comment|ou|quand|combien) (?:le|la|les|l'))\b"  # "pourquoi le demander"
)
_IMPERSONAL = re.compile(
    r"\b(?:il y a|y a[- ]t[- ]il|y a|faut[- ]il|est[- ]il possible|s'il (?:vous|te) plait|"
    r"(?:is|are|was|were) there|there (?:is|are|was|were))\b"
)


def _words(text: str) -> list[str]:
    return _WORDS.findall(fold(text))


def _strip_link(text: str) -> str:
    """'et quels sont...' -> 'quels sont...': the link word only made sense after a question."""
    return _LEADING_LINK.sub("", text.strip()).strip()


def _starts_like_question(text: str, words_allowed: frozenset[str] = _INTERROGATIVE) -> bool:
    words = _words(text)
    return len(words) >= MIN_WORDS and words[0] in words_allowed


def _is_question(text: str) -> bool:
    return (len(_words(text)) >= MIN_WORDS and text.rstrip().endswith("?")) or _starts_like_question(text)


def _refers_back(text: str) -> bool:
    folded = _IMPERSONAL.sub(" ", fold(text))
    if _ELLIPTICAL.match(_strip_link(folded)):
        return True
    words = _WORDS.findall(folded)
    # A sentence that ends on an object pronoun points back: "qui la chante / qui chante la".
    return bool(_BACK_REFERENCE.search(folded)) or bool(words and words[-1] in ("le", "la", "les", "leur"))


def _sentences(text: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for end in _END.finditer(text):
        before = _words(text[start : end.start()])
        if end.group().startswith(".") and (not before or before[-1] in _ABBREVIATIONS or len(before[-1]) == 1):
            continue
        sentences.append(text[start : end.end()])
        start = end.end()
    sentences.append(text[start:])
    return [s.strip() for s in sentences if s.strip()]


def _split_on_and(sentence: str) -> list[str]:
    """'qui dirige le centre et quels sont les effets ?' -> two questions, where both sides
    start with a question word ("j'ai un cancer et quels essais ?" stays whole)."""
    pieces = _AND.split(sentence)
    parts = [pieces[0]]
    for link, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        if _starts_like_question(parts[-1], _WH) and _starts_like_question(piece, _WH) and not _refers_back(piece):
            parts.append(piece)
        else:
            parts[-1] += link + piece
    return parts


def _candidates(text: str) -> list[str]:
    """The message cut into parts that each hold one question of its own."""
    parts: list[str] = []
    pending: list[str] = []  # statements waiting for the question they introduce
    for sentence in _sentences(text):
        for piece in _split_on_and(sentence):
            own = _strip_link(piece)
            if parts and _refers_back(piece):
                parts[-1] = " ".join([parts[-1], *pending, piece])  # "... ? Il a 40 de fièvre."
                pending = []
            elif _is_question(own):
                parts.append(" ".join([*pending, own]))
                pending = []
            else:
                pending.append(piece)
    if not parts:
        return [text]
    if pending:
        parts[-1] = " ".join([parts[-1], *pending])  # "... ? Merci."
    return parts


def split_questions(text: str, max_parts: int = MAX_PARTS) -> list[str]:
    """The questions of ``text`` in the order to answer them: urgent ones first, then as
    written. A single question (or anything unclear) comes back as ``[text]``, unchanged."""
    if len(text) > MAX_MESSAGE_CHARS:
        return [text]  # the "too long" answer is for the whole message
    unique: dict[str, str] = {}
    for part in _candidates(text):
        unique.setdefault(normalize(part), part)  # the same question twice: one answer
    parts = list(unique.values())
    if len(parts) < 2:
        return [text]
    urgent = [part for part in parts if is_urgent(part)]
    if is_urgent(text) and not urgent:
        return [text]  # cutting it hid the emergency: answer the whole message
    ordered = urgent + [part for part in parts if part not in urgent]
    if len(ordered) > max_parts:
        ordered = [*ordered[: max_parts - 1], " ".join(ordered[max_parts - 1 :])]
    return ordered
