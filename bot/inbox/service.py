"""The inbox: what patients asked that the assistant did not understand well, and what staff
do about it (make it an example of an entry, a new entry, or dismiss it).

A message is in the inbox when the assistant answered it with the fallback action ("I did
not understand", or "I can't help with that" for an out-of-scope question), or understood it
with a confidence below a threshold (of the intent, or of the FAQ answer chosen). Messages it cannot read
at all (another language, far too long) are left out: no FAQ change would help.

Answers that a patient marked "not helpful" in the web chat are items of their own kind,
"wrong answer" (:data:`WRONG_ANSWER`), with the answer given: what the model got confidently
wrong. They are handled with the same actions; :func:`load_wrong_answers` lists only them.
"""
from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field, replace

from sqlalchemy.engine import Engine

from bot.errors import InboxError
from bot.faq.edit import (
    EditError,
    EntryDraft,
    append_entry,
    checked_change,
    find_entry,
    insert_example,
)
from bot.faq.model import LANGUAGE_NAMES, LANGUAGES
from bot.faq.paths import FaqPaths
from bot.faq.problems import Report
from bot.faq.text import normalize
from bot.inbox import feedback, store
from bot.inbox.grouping import group_texts
from bot.inbox.privacy import has_personal_data, mask
from bot.language import detect
from bot.safety import unusable_input
from bot.settings import Settings

# Below this confidence an answer is "unsure" and worth a look, even if it was given
# (FallbackClassifier answers "not understood" below 0.5, config.yml).
LOW_CONFIDENCE = 0.6
NOT_UNDERSTOOD, OUT_OF_SCOPE, UNSURE = "not understood", "out of scope", "unsure"
# The FAQ had no answer close enough, so the assistant said "I don't know" (bot/nlu/overrides.py):
# exactly what staff should see, to add the answer or an example.
DONT_KNOW = "answered I don't know"
DONT_KNOW_INTENT = "dont_know"
WRONG_ANSWER = "wrong answer"  # a patient said the answer did not help (never grouped with the others)
# An item's reason is the most serious of its messages' reasons.
_REASON_ORDER = (WRONG_ANSWER, NOT_UNDERSTOOD, DONT_KNOW, OUT_OF_SCOPE, UNSURE)


@dataclass
class Message:
    """One distinct message (same normalised text), however many times it was sent."""

    key: str
    text: str  # as written: kept in memory to add it as an example, never printed
    masked: str
    count: int = 0
    conversations: set[str] = field(default_factory=set)
    languages: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    suggestions: Counter[str] = field(default_factory=Counter)
    answers: Counter[str] = field(default_factory=Counter)  # wrong answers: what was answered
    last_seen: float = 0.0


@dataclass
class InboxItem:
    id: str
    messages: list[Message]  # the leader (most frequent) first

    @property
    def leader(self) -> Message:
        return self.messages[0]

    @property
    def keys(self) -> list[str]:
        return [m.key for m in self.messages]

    @property
    def count(self) -> int:
        return sum(m.count for m in self.messages)

    @property
    def conversations(self) -> int:
        return len(set().union(*(m.conversations for m in self.messages)))

    @property
    def languages(self) -> list[str]:
        total: Counter[str] = sum((m.languages for m in self.messages), Counter())
        return [lang for lang, _ in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))]

    @property
    def language(self) -> str | None:
        return self.languages[0] if self.languages else None

    @property
    def reason(self) -> str:
        reasons: Counter[str] = sum((m.reasons for m in self.messages), Counter())
        return next(reason for reason in _REASON_ORDER if reasons[reason])

    @property
    def suggestion(self) -> str | None:
        total: Counter[str] = sum((m.suggestions for m in self.messages), Counter())
        return total.most_common(1)[0][0] if total else None

    @property
    def answer(self) -> str | None:
        """For a wrong answer: the answer given (the most frequent one, if it varied)."""
        total: Counter[str] = sum((m.answers for m in self.messages), Counter())
        return total.most_common(1)[0][0] if total else None

    @property
    def last_seen(self) -> float:
        return max(m.last_seen for m in self.messages)

    @property
    def handled_keys(self) -> list[str]:
        """What an add/new decision covers: for a wrong answer, the question in the other
        items too (it has been given the right entry)."""
        if self.reason != WRONG_ANSWER:
            return self.keys
        return [*self.keys, *(store.message_key(m.text) for m in self.messages)]


@dataclass
class Inbox:
    items: list[InboxItem]
    left_out: int  # unreadable messages (other language, too long): nothing to learn from


def _language(text: str, slot: str | None) -> str | None:
    detected = detect(text)
    return detected if detected in LANGUAGES else slot


def _reason(turn: store.Turn, below: float) -> str | None:
    if turn.fell_back:
        # Out-of-scope questions also get action_fallback (dialogue/rules.yml).
        return OUT_OF_SCOPE if turn.intent == "out_of_scope" else NOT_UNDERSTOOD
    if turn.intent == DONT_KNOW_INTENT:
        return DONT_KNOW
    if turn.confidence is not None and turn.confidence < below:
        return UNSURE
    if turn.intent == "faq" and turn.suggestion_confidence is not None and turn.suggestion_confidence < below:
        return UNSURE  # sure it is an FAQ question, unsure which answer
    return None


def collect(engine: Engine, below: float = LOW_CONFIDENCE, since: float | None = None) -> Inbox:
    """The inbox items, most asked first, without the messages staff already handled."""
    decided = store.decided_keys(engine)
    messages: dict[str, Message] = {}
    left_out = 0
    for turn in store.read_turns(engine, since):
        reason = _reason(turn, below)
        if reason is None or not normalize(turn.text):
            continue
        if unusable_input(turn.text):
            left_out += 1
            continue
        key = store.message_key(turn.text)
        if key in decided:
            continue
        _count(messages, key, turn.text, turn.conversation, turn.language, reason, turn.suggestion,
               turn.timestamp)
    items = _grouped(list(messages.values())) + _grouped(_wrong_answers(engine, decided, since))
    items.sort(key=lambda item: (-item.count, -item.last_seen, item.id))
    return Inbox(items, left_out)


def _count(
    messages: dict[str, Message], key: str, text: str, conversation: str, slot_language: str | None,
    reason: str, suggestion: str | None, at: float,
) -> Message:
    """Counts one more sending of the message ``key`` (created on its first sending)."""
    message = messages.get(key)
    if message is None:
        message = messages[key] = Message(key=key, text=" ".join(text.split()), masked=mask(text))
    message.count += 1
    message.conversations.add(conversation)
    language = _language(text, slot_language)
    if language:
        message.languages[language] += 1
    message.reasons[reason] += 1
    if suggestion:
        message.suggestions[suggestion] += 1
    message.last_seen = max(message.last_seen, at)
    return message


def wrong_answer_key(text: str) -> str:
    """A wrong answer is decided on apart from the same question missed (another kind of item)."""
    return hashlib.sha256(f"{WRONG_ANSWER}\n{normalize(text)}".encode()).hexdigest()


def _wrong_answers(engine: Engine, decided: set[str], since: float | None) -> list[Message]:
    """One message per question marked "not helpful" (however many times), with the answers."""
    messages: dict[str, Message] = {}
    for vote in feedback.read_votes(engine, feedback.NOT_HELPFUL, since):
        key = wrong_answer_key(vote.question)
        if key in decided or not normalize(vote.question):
            continue
        message = _count(messages, key, vote.question, vote.sender, vote.language, WRONG_ANSWER,
                         vote.entry, vote.voted_at)
        message.answers[vote.answer] += 1  # the assistant's own text: not masked
    return list(messages.values())


def _grouped(messages: list[Message]) -> list[InboxItem]:
    ordered = sorted(messages, key=lambda m: m.key)
    groups = group_texts([m.masked for m in ordered], [m.count for m in ordered])
    items = []
    for group in groups:
        members = sorted((ordered[i] for i in group), key=lambda m: (-m.count, normalize(m.masked)))
        item_id = hashlib.sha1(members[0].key.encode()).hexdigest()[:8]  # noqa: S324 (an id, not security)
        items.append(InboxItem(item_id, members))
    return items


def load_inbox(url: str, below: float = LOW_CONFIDENCE, days: int | None = None) -> Inbox:
    if store.sqlite_file_missing(url):
        return Inbox([], 0)
    since = time.time() - days * 86400 if days else None
    return collect(store.engine_for(url), below, since)


def load_wrong_answers(url: str, days: int | None = None) -> list[InboxItem]:
    """Only the "wrong answer" items (answers patients marked not helpful), most frequent
    first, not yet handled: each has ``leader.masked`` (the question, masked), ``answer`` (the
    answer given), ``last_seen``, ``language``, ``suggestion`` (the FAQ entry that answered)."""
    return [item for item in load_inbox(url, days=days).items if item.reason == WRONG_ANSWER]


def find_item(inbox: Inbox, item_id: str) -> InboxItem:
    """An item by its id (or the id of any message in it, since groups change as messages arrive)."""
    item_id = item_id.strip().strip("[]").lower()
    for item in inbox.items:
        if item.id == item_id:
            return item
    for item in inbox.items:
        for key in item.keys:
            if hashlib.sha1(key.encode()).hexdigest()[:8] == item_id:  # noqa: S324
                return item
    raise InboxError(
        f"there is no item '{item_id}' in the inbox (it may have been handled already). "
        "Run `bot inbox` to see the current items and their ids."
    )


# -- staff actions ---------------------------------------------------------------------------


def example_text(item: InboxItem, text: str | None) -> str:
    """The text to add as an example: the staff's own wording, or the message if it holds no
    personal data (a training example must never contain any)."""
    if text:
        if has_personal_data(text):
            raise InboxError(
                "the text you gave contains personal data (a name, number, email...). Write the "
                "question without it."
            )
        return " ".join(text.split())
    if has_personal_data(item.leader.text):
        raise InboxError(
            "this message contains personal data (shown masked), which must not go into the "
            "assistant's training data. Give the question in your own words: "
            f"--text \"{item.leader.masked}\" (with the [..] parts rewritten or removed)."
        )
    return item.leader.text


def example_language(item: InboxItem, lang: str | None) -> str:
    if lang:
        if lang not in LANGUAGES:
            raise InboxError("the language must be fr or en.")
        return lang
    if item.language:
        return item.language
    raise InboxError(
        "the message is too short to tell its language: say which with --lang fr or --lang en."
    )


def add_as_example(
    engine: Engine, paths: FaqPaths, item: InboxItem, entry_id: str, lang: str | None = None,
    text: str | None = None,
) -> Report:
    """Makes the item's question an example of ``entry_id``, then marks the item handled."""
    entry = find_entry(paths.faq_dir, entry_id)
    if entry is None:
        raise InboxError(f"there is no FAQ entry '{entry_id}'. `bot faq list` shows the entries.")
    example = example_text(item, text)
    lang = example_language(item, lang)
    already = {normalize(e) for e in entry.examples[lang]}
    if normalize(example) in already:
        store.record_decision(engine, item.handled_keys, store.ADDED_AS_EXAMPLE, entry_id)
        return Report()
    report = checked_change(
        paths, lambda faq_dir: insert_example(faq_dir / entry.file.name, entry_id, lang, example)
    )
    store.record_decision(engine, item.handled_keys, store.ADDED_AS_EXAMPLE, entry_id)
    return report


def add_as_entry(
    engine: Engine, paths: FaqPaths, item: InboxItem, draft: EntryDraft, topic_file_name: str,
    title: str | None = None,
) -> Report:
    """Adds ``draft`` (which staff completed) as a new entry, then marks the item handled."""
    if not all(draft.examples.get(lang) for lang in LANGUAGES):
        names = " and ".join(LANGUAGE_NAMES[lang] for lang in LANGUAGES if not draft.examples.get(lang))
        raise EditError(f"the new entry needs {names} examples.")
    report = checked_change(
        paths, lambda faq_dir: append_entry(faq_dir / topic_file_name, draft.to_data(), title)
    )
    store.record_decision(engine, item.handled_keys, store.ADDED_AS_ENTRY, draft.id)
    return report


def dismiss(engine: Engine, item: InboxItem) -> None:
    store.record_decision(engine, item.keys, store.DISMISSED)


# -- retention -------------------------------------------------------------------------------


def purge_expired_conversations(
    settings: Settings, days: int | None = None, now: float | None = None
) -> store.PurgeResult:
    """Deletes conversation events older than the retention period (``Settings.retention_days``,
    env RETENTION_DAYS, 90 by default). Safe to call at every start-up: does nothing when
    the conversation database does not exist yet."""
    days = settings.retention_days if days is None else days
    if days < 1:
        raise ValueError("the retention period must be at least 1 day")
    url = settings.tracker_store_url
    if store.sqlite_file_missing(url):
        return store.PurgeResult(0, 0)
    cutoff = (now if now is not None else time.time()) - days * 86400
    engine = store.engine_for(url)
    votes = feedback.purge_before(engine, cutoff)
    return replace(store.purge_before(engine, cutoff), votes=votes)
